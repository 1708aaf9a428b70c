# Hostile layer entries (made here by hostile.py, in a docker-archive made
# by hand): path traversal and absolute names, a file "through" a symlink
# to outside the layer, symlinks and hard links to /etc/passwd and to
# ../../, devices and a FIFO, invalid UTF-8 and terminal escapes in names,
# NUL bytes and invalid UTF-8 in contents.  Every regular file is reported
# under its name as the layer gives it (normalised: no leading /), nothing
# is written anywhere, links and devices are never content, the text
# report has no control characters and the JSON report is valid.
. "$TOP/tests/e2e/lib.sh"
command -v python3 >/dev/null 2>&1 || fail "python3 is not installed"
H="$TOP/tests/e2e/hostile.py"
TOK=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
mark=ls-hostile-$$-$(date +%s)
trap 'rm -rf "/tmp/$mark" "/tmp/$mark-abs"' EXIT
[ ! -e "/tmp/$mark" ] && [ ! -e "/tmp/$mark-abs" ] || fail "marker exists before the test"

python3 "$H" tricks tricks.tar "$TOK" "$mark" || fail "hostile.py tricks"
python3 "$H" image img.tar tricks.tar || fail "hostile.py image"
# from a subdirectory, so that ../ names would land inside the test dir
mkdir -p a/b/c/d/e/f/g/h/i
listing() {
	find . | sort | grep -v -e '^\./out$' -e '^\./err$' -e '^\./report\.json$' \
		-e '^\./paths' -e '^\./want' -e '^\./before$' -e '^\./after$' -e '^\./\.log$'
}
listing >before
run sh -c 'cd a/b/c/d/e/f/g/h/i && timeout 60 "$LAYERSCAN" image --format json ../../../../../../../../../img.tar' </dev/null
expect_status 1
cp out report.json
python3 - report.json >paths <<'PY' || fail "the JSON report is not valid JSON"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for f in d["findings"]:
    print("%s %s %s" % (f["rule"], f["path"].encode("unicode_escape").decode(), f.get("line")))
PY
cat >want <<EOF
github-pat ../../../../../../../../tmp/$mark/traversal.env 1
github-pat app/../../../escape.env 1
github-pat app/bad-\ufffd\ufffd-utf8.env 1
github-pat app/dir-out/through-link.env 1
github-pat app/esc-\x1b[31mred\x1b[0m-\x07.env 1
github-pat app/hl-secret 1
github-pat app/nul-content.bin.txt 1
github-pat app/nul-content.bin.txt 2
github-pat app/secret.env 1
github-pat tmp/$mark-abs/absolute.env 1
EOF
sort paths >paths.s
sort want >want.s
diff -u want.s paths.s || fail "findings differ (- expected, + got)"
# no error: links, devices and FIFOs are not content, and not a problem
[ ! -s err ] || { cat err; fail "unexpected messages"; }

# nothing was written: not outside (the names' targets), not inside
[ ! -e "/tmp/$mark" ] && [ ! -e "/tmp/$mark-abs" ] || fail "a file was written outside the test directory"
listing >after
diff -u before after || fail "files appeared or vanished in the test directory"

# text: the names are printed without control characters
run timeout 60 "$LAYERSCAN" image --color never img.tar
expect_status 1
expect_out 'at +app/esc-\?\[31mred\?\[0m-\?\.env:1:3$'
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" out; then
	fail "the text report has control characters"
fi
expect_out 'at +app/bad-\?\?-utf8\.env:1:3$'
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' out ||
	fail "the text report is not valid UTF-8"
