/*
 * xmlent.h - XML character references: the `decode = "xml"` rules read
 * text that an XML or HTML file holds escaped (&apos;secret&apos; in a
 * script stored in an XML export).
 */
#ifndef LS_UTIL_XMLENT_H
#define LS_UTIL_XMLENT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Replace the references &amp; &lt; &gt; &quot; &apos; and the numeric
 * ones (&#39; &#x27;) that stand for an ASCII character in `in[0..len)`,
 * writing at most `len` bytes to `out`; anything else is copied as it is.
 * `pos[j]` is set to the offset in `in` of the text that output byte j came
 * from, and `pos[n]` to `len` (so `pos` has room for len + 1 entries and
 * len must fit in uint16_t). Returns n, the output length, and stores the
 * number of references replaced in `*nrefs`.
 */
size_t ls_xml_unescape(const char *in, size_t len, unsigned char *out,
		       uint16_t *pos, size_t *nrefs);

#endif
