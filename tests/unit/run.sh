#!/bin/sh
# run.sh - run each cmocka unit-test binary given; print a total line.
# usage: tests/unit/run.sh BIN...
passed=0 failed=0
for t in "$@"; do
	if out=$("$t" 2>&1); then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		printf '%s\n' "$out"
		echo "FAIL: $t"
	fi
	printf '%s\n' "$out" | grep -E '^\[  PASSED  \]|^\[  FAILED  \]' | sed "s|^|$(basename "$t"): |"
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
