/* place.c - what the finding rankings read in a path (place.h). */
#include "finding/place.h"

#include "finding/prose.h"
#include "finding/testdata.h"

unsigned ls_finding_place(const char *path)
{
	unsigned v = 0;

	if (!path)
		return 0;
	if (ls_testdata_path(path))
		v |= LS_PLACE_TEST;
	if (ls_testdata_patch_path(path))
		v |= LS_PLACE_PATCH;
	if (ls_prose_path(path))
		v |= LS_PLACE_DOC;
	if (ls_prose_code_path(path))
		v |= LS_PLACE_CODE;
	return v;
}
