# JUnit XML is well-formed with one failure per finding; the man page is
# installed by `make install` and renders with man -l without warnings;
# the text summary names layers and counts files.
. "$TOP/tests/e2e/lib.sh"
command -v xmllint >/dev/null 2>&1 || fail "xmllint missing (libxml2-utils)"
command -v man >/dev/null 2>&1 || fail "man missing (man-db)"

run "$LAYERSCAN" image "$TOP/fixtures/demo/image.tar" --format junit --output r.xml
expect_status 1
xmllint --noout r.xml || fail "JUnit report is not well-formed XML"
n=$(grep -c '<failure ' r.xml)
[ "$n" -ge 5 ] || fail "only $n failures"
grep -q "<testsuites name=\"layerscan\" tests=\"$n\" failures=\"$n\" errors=\"0\"" r.xml ||
	fail "suite counts do not match the failures"
mkdir clean && echo hi > clean/a
run "$LAYERSCAN" context clean --format junit
expect_status 0
expect_out '<testcase classname="layerscan" name="no secrets found"/>'

run "$LAYERSCAN" image "$TOP/fixtures/demo/image.tar"
expect_out '^[0-9]+ findings \([^)]*\) in 1 layer, [0-9,]+ files, [0-9.]+ [KM]?B in [0-9.]+ s$'

# the man page: installed, and man renders it cleanly
# -o: install the binary under test as it is, never rebuild it
make -s -C "$TOP" install DEPS=0 PREFIX="$PWD/inst" O="$(dirname "$LAYERSCAN")" \
	-o "$LAYERSCAN" >/dev/null ||
	fail "make install failed"
[ -x inst/bin/layerscan ] || fail "binary not installed"
[ -f inst/share/man/man1/layerscan.1 ] || fail "man page not installed"
MANWIDTH=80 LC_ALL=C man --warnings -l inst/share/man/man1/layerscan.1 > man.txt 2> man.err ||
	{ cat man.err; fail "man -l failed"; }
[ ! -s man.err ] || { cat man.err; fail "man page has warnings"; }
grep -q 'EXIT STATUS' man.txt || fail "man page lacks EXIT STATUS"
grep -q -- '--baseline' man.txt || fail "man page lacks --baseline"
