# lib.sh - helpers for end-to-end tests (sourced).
# $LAYERSCAN is the binary, $TOP the repository, cwd a fresh temp dir.
set -eu

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# run CMD...: run, capture stdout in ./out, stderr in ./err, status in $st
run() {
	set +e
	"$@" >out 2>err
	st=$?
	set -e
}

expect_status() {
	[ "$st" -eq "$1" ] || {
		echo "--- stdout"; cat out; echo "--- stderr"; cat err
		fail "expected exit $1, got $st"
	}
}

expect_out() {
	grep -qE -- "$1" out || { echo "--- stdout"; cat out; fail "stdout lacks /$1/"; }
}

expect_err() {
	grep -qE -- "$1" err || { echo "--- stderr"; cat err; fail "stderr lacks /$1/"; }
}

expect_no_out() {
	if grep -qE -- "$1" out; then echo "--- stdout"; cat out; fail "stdout has /$1/"; fi
}
