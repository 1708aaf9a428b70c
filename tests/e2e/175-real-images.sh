# Issue #16's acceptance on realistic images built the way users make them
# (tests/lib/real-images.sh: a debootstrap Debian base with its docs, plus
# Debian's nodejs/npm and 346 npm packages from `npm ci`; cached outside the
# repository, about 6 minutes the first time on a machine, seconds after):
# the two images with no secret of their own exit 0 with nothing above info,
# with no path-based skip of usr/, node_modules or docs; in the planted
# image every secret added where path-based scanners stop looking (a bundle
# under /usr/share/nginx/html, a package copied into node_modules, a module
# copied into dist-packages, the README, two edited dpkg files, a .npmrc)
# is found above info.  tests/real/measure.sh does the counting.
. "$TOP/tests/e2e/lib.sh"

sh "$TOP/tests/lib/real-images.sh" >build.log 2>&1 ||
	{ tail -n 40 build.log; fail "building the realistic images failed"; }
LS_VG_SKIP="three images of 180-520 MB: too slow under memcheck; ASan covers them"
export LS_VG_SKIP
run sh "$TOP/tests/real/measure.sh" --check "$LAYERSCAN"
unset LS_VG_SKIP
expect_status 0
expect_out '^measure.sh --check: passed'
expect_out 'planted found above info: 9 of 9'
