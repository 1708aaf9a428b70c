/* version.h - the release version; no build dates, so builds reproduce. */
#ifndef LS_VERSION_H
#define LS_VERSION_H
#define LS_VERSION "0.1.0"
#endif
