#!/bin/sh
# run.sh - run every tests/e2e/NNN-*.sh with $LAYERSCAN set; print a total.
#
# Each test is a POSIX shell script that sources tests/e2e/lib.sh, runs the
# binary, and exits 0 on success.  A test that needs something missing
# fails: no test passes by skipping.
# usage: LAYERSCAN=/abs/path/layerscan tests/e2e/run.sh [PATTERN]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${LAYERSCAN:?set LAYERSCAN to the binary}"
export LAYERSCAN TOP="$top"
passed=0 failed=0 failures=
for t in "$here"/[0-9][0-9][0-9]-*.sh; do
	name=$(basename "$t" .sh)
	case "$name" in *"${1:-}"*) ;; *) continue ;; esac
	tmp=$(mktemp -d)
	if (cd "$tmp" && TMPDIR_TEST="$tmp" sh "$t") >"$tmp/.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name"
		sed 's/^/     | /' "$tmp/.log" | tail -n 40
	fi
	rm -rf "$tmp"
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
