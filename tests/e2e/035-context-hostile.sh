# A hostile build context: a symlink to a directory outside the root and
# to /etc/passwd, a symlink loop, a character device (/dev/zero: endless
# if opened), a FIFO with no writer (blocks forever if opened), a socket,
# a hard link (a regular file: the build sends it, so it is scanned),
# invalid UTF-8 and terminal escapes in names, NUL bytes and invalid UTF-8
# in contents, a 50 MB line without a newline, a path over
# --max-path-length, more than --max-entries files, and --timeout.  The
# scan finishes (it runs under `timeout`), opens nothing it should not,
# prints names safely and writes valid JSON.
. "$TOP/tests/e2e/lib.sh"
command -v python3 >/dev/null 2>&1 || fail "python3 is not installed"
[ -x /usr/bin/time ] || fail "/usr/bin/time is not installed (Debian package time)"
TOK=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

mkdir -p outside ctx/d
printf 'T=%s\n' "$TOK" >outside/secret.env
ln -s ../outside ctx/link-dir
ln -s /etc/passwd ctx/passwd
ln -s loop ctx/loop
mknod ctx/zero c 1 5 || fail "mknod (the test runs as root, like make check)"
mkfifo ctx/fifo
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' ctx/sock ||
	fail "cannot make a socket"
ln outside/secret.env ctx/d/hardlink.env
printf 'T=%s\n' "$TOK" >"$(printf 'ctx/d/bad-\377\376.env')"
printf 'T=%s\n' "$TOK" >"$(printf 'ctx/d/esc-\033[31mred\033[0m.env')"
printf 'T=%s\n' "$TOK" >"$(printf 'ctx/d/c1-\302\233x-caf\303\251.env')"
{ head -c 9000 /dev/zero | tr '\0' x; printf '\000\377\376\000T=%s\n\303\050T=%s\n' "$TOK" "$TOK"; } >ctx/d/nul.txt

run timeout 60 "$LAYERSCAN" context --format json ctx
[ "$st" -ne 124 ] || fail "the scan hung (a device or FIFO was opened?)"
expect_status 1
python3 - out >paths <<'PY' || fail "the JSON report is not valid JSON"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for f in d["findings"]:
    print("%s %s:%s" % (f["rule"], f["path"].encode("unicode_escape").decode(), f.get("line")))
PY
sort paths >got
cat >want <<'EOF'
github-pat d/bad-\ufffd\ufffd.env:1
github-pat d/c1-\x9bx-caf\xe9.env:1
github-pat d/esc-\x1b[31mred\x1b[0m.env:1
github-pat d/hardlink.env:1
github-pat d/nul.txt:1
github-pat d/nul.txt:2
EOF
sort want >want.s
diff -u want.s got || fail "findings differ (- expected, + got)"
[ ! -s err ] || { cat err; fail "unexpected messages"; }

# text: no control characters from names
run timeout 60 "$LAYERSCAN" context --color never ctx
expect_status 1
expect_out 'at +d/esc-\?\[31mred\?\[0m\.env:1:3$'
expect_out 'at +d/bad-\?\?\.env:1:3$'
expect_out "at +d/c1-\\?x-caf$(printf '\303\251')\\.env:1:3\$"
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" out; then
	fail "the text report has control characters"
fi
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' out ||
	fail "the text report is not valid UTF-8"

# --- a 50 MB line without a newline, the token at its end: found at line
# 1, in fixed memory
mkdir big
{ head -c 52428800 /dev/zero | tr '\0' 'a'; printf ' T=%s' "$TOK"; } >big/minified.js
# a 50 MB line: natively under make check-valgrind (minutes under memcheck,
# and valgrind's memory would break the RSS bound); ASan covers it
LS_VG_SKIP="50 MB single line: too slow under memcheck; ASan covers it"
export LS_VG_SKIP
run timeout 120 /usr/bin/time -f %M -o rss "$LAYERSCAN" context --format json big
unset LS_VG_SKIP
expect_status 1
expect_out '"line": 1,'
expect_out '"column": 52428804,'
rss=$(tail -n 1 rss)
rss_max=200000
ldd "$LAYERSCAN" 2>/dev/null | grep -q libasan && rss_max=800000
[ "$rss" -lt "$rss_max" ] || fail "peak RSS $rss KB for a 50 MB line"

# --- a path over --max-path-length (4096): 24 directories of 200 bytes
# (made from inside, since the whole path is over the kernel's PATH_MAX)
mkdir deep
python3 - deep "$TOK" <<'PY' || fail "cannot make the deep tree"
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(24):
    name = "%0200d" % i
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
f = os.open("deep.env", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(f, ("T=%s\n" % sys.argv[2]).encode())
PY
printf 'T=%s\n' "$TOK" >deep/shallow.env
run timeout 60 "$LAYERSCAN" context deep
expect_status 2
expect_err "^layerscan: 'deep': a directory path of 4220 bytes is longer than --max-path-length \\(4096\\): '0{64}\\.\\.\\.' was not scanned$"
expect_out 'shallow\.env'
# a lower limit: a path of 2 x 60 bytes
mkdir -p "mid/$(printf '%060d' 1)"
printf 'T=%s\n' "$TOK" >"mid/$(printf '%060d' 1)/$(printf '%060d' 2).env"
run timeout 60 "$LAYERSCAN" context --max-path-length 100 mid
expect_status 2
expect_err "^layerscan: 'mid': a file path of 125 bytes is longer than --max-path-length \\(100\\): '0{59}1/0{3}\\.\\.\\.' was not scanned$"
run timeout 60 "$LAYERSCAN" context mid
expect_status 1

# --- more than --max-entries files and directories
mkdir many
i=0
while [ $i -lt 30 ]; do : >"many/f$i"; i=$((i + 1)); done
run timeout 60 "$LAYERSCAN" context --max-entries 20 many
expect_status 2
expect_err "^layerscan: 'many': more than --max-entries \\(20\\) files and directories: the rest was not scanned$"
run timeout 60 "$LAYERSCAN" context --max-entries 20 --allow-partial many
expect_status 0
expect_err "more than --max-entries"
run timeout 60 "$LAYERSCAN" context --max-entries 30 many
expect_status 0

# --- a text file over --max-file-size: the first SIZE bytes are scanned
mkdir fs
{ printf 'A=%s\n' "$TOK"; head -c 2000 /dev/zero | tr '\0' x; printf '\nB=%s\n' "$TOK"; } >fs/two.env
run "$LAYERSCAN" context --max-file-size 1000 --format json fs
expect_status 2
expect_err "^layerscan: 'two\\.env': file is larger than --max-file-size \\(1000 bytes\\): the rest was not scanned$"
[ "$(grep -c '"rule"' out)" -eq 1 ] || fail "the first 1000 bytes hold one token"
run "$LAYERSCAN" context --max-file-size 1KiB fs
expect_status 2
expect_err "larger than --max-file-size \\(1 KiB\\)"
run "$LAYERSCAN" context --format json fs
expect_status 1
[ "$(grep -c '"rule"' out)" -eq 2 ] || fail "without a limit: two tokens"

# --- --timeout: 200 files of 9 MB of keywords take far longer than 1 s
mkdir slow
head -c 1000000 /dev/zero | tr '\0' '=' | sed 's/=/password=/g' >slow/0 2>/dev/null ||
	fail "cannot make the slow file"
i=1
while [ $i -lt 200 ]; do ln slow/0 "slow/$i"; i=$((i + 1)); done
printf 'T=%s\n' "$TOK" >slow/.a-token.env
# a bound on wall time: natively under make check-valgrind (memcheck with the
# PCRE2 interpreter is 50x slower, and one chunk of this file then outlasts the
# bound on a loaded machine); ASan covers the code
LS_VG_SKIP="a wall-time bound: memcheck is 50x slower; ASan covers it"
export LS_VG_SKIP
start=$(date +%s)
run timeout 60 "$LAYERSCAN" context --timeout 1 --threads 1 slow
end=$(date +%s)
unset LS_VG_SKIP
expect_status 2
[ $((end - start)) -lt 20 ] || fail "--timeout 1 took $((end - start)) s"
expect_err "^layerscan: the scan took longer than --timeout \\(1 s\\) and was stopped: what was not reached was not scanned$"
expect_out 'github-pat'

# --- --max-findings: 3000 tokens in one file; the first 1000 (in position
# order, after a specific rule's finding has replaced its generic twin) are
# reported, then an error; 0 keeps them all
mkdir manyf
i=0
while [ $i -lt 3000 ]; do printf 'T=%s\n' "$TOK"; i=$((i + 1)); done >manyf/tokens.txt
run "$LAYERSCAN" context --format json manyf
expect_status 2
expect_err "^layerscan: 'tokens\\.txt': more than --max-findings \\(1000\\) findings: the rest were not reported$"
[ "$(grep -c '"rule": "github-pat"' out)" -eq 1000 ] || fail "default: the first 1000 findings"
grep -q '"line": 1000,' out || fail "the first 1000 lines are the ones reported"
! grep -q '"line": 1001,' out || fail "line 1001 is past the limit"
run "$LAYERSCAN" context --format json --max-findings 5 manyf
expect_status 2
[ "$(grep -c '"rule"' out)" -eq 5 ] || fail "--max-findings 5: five findings"
run "$LAYERSCAN" context --format json --max-findings 0 manyf
expect_status 1
[ "$(grep -c '"rule": "github-pat"' out)" -eq 3000 ] || fail "--max-findings 0: every finding"
