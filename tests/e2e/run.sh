#!/bin/sh
# run.sh - run every tests/e2e/NNN-*.sh with $LAYERSCAN set; print a total.
#
# Each test is a POSIX shell script that sources tests/e2e/lib.sh, runs the
# binary, and exits 0 on success.  A test that needs something missing
# fails: no test passes by skipping.
#
# LS_E2E_VALGRIND=1 runs every layerscan invocation under valgrind's memcheck
# (through valgrind/layerscan, which $LAYERSCAN then names); a test passes
# only if it passes and every run's log is clean (vg_check below).
# LS_E2E_JOBS=N runs N tests at a time (default 1; make e2e, check-san and
# check-valgrind: 2);
# results are printed as tests finish, failures again at the end.
# usage: LAYERSCAN=/abs/path/layerscan tests/e2e/run.sh [PATTERN]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
vg=${LS_E2E_VALGRIND:-0}

# vg_check DIR: every valgrind log under DIR reports no error, and the log
# of the process the wrapper started (not of a child forked to run podman)
# has its summary, so a run that valgrind did not finish is not taken as
# clean.  Prints the offending logs (without valgrind's --PID-- notes, e.g.
# on openat2, which it does not know: src/source/context.c falls back);
# writes the number of runs to DIR/.count.
vg_check() {
	_bad=0 _runs=0 _skipped=0
	for _r in "$1"/run.*; do
		[ -d "$_r" ] || continue
		_runs=$((_runs + 1))
		if [ -f "$_r/skipped" ]; then
			_skipped=$((_skipped + 1))
			continue
		fi
		_main="$_r/vg.$(cat "$_r/pid")"
		if ! grep -q 'ERROR SUMMARY: 0 errors' "$_main" 2>/dev/null ||
			grep -q 'ERROR SUMMARY: [1-9]' "$_r"/vg.*; then
			echo "valgrind: layerscan $(cat "$_r/args")"
			grep -hv '^--[0-9]*-- ' "$_r"/vg.*
			_bad=1
		fi
	done
	echo "$_runs runs, $_skipped not under valgrind" >"$1/.count"
	[ "$_bad" -eq 0 ]
}

# run_one TEST RESULTS: run one test, print ok/FAIL; RESULTS/NAME.log is
# its output, RESULTS/NAME.ok marks a pass.
run_one() {
	_name=$(basename "$1" .sh)
	_tmp=$(mktemp -d)
	_vgl=$(mktemp -d)
	_t0=$(date +%s)
	_res="ok  "
	# under valgrind, these tests keep Hyperscan (valgrind/layerscan)
	case $_name in
	010-*|100-*|131-*|201-*|207-*) _vghs=1 ;;
	*) _vghs=0 ;;
	esac
	(cd "$_tmp" && TMPDIR_TEST="$_tmp" LS_VG_LOGDIR="$_vgl" LS_VG_HYPERSCAN=$_vghs \
		sh "$1") >"$2/$_name.log" 2>&1 ||
		_res=FAIL
	if [ "$vg" = 1 ] && ! vg_check "$_vgl" >>"$2/$_name.log" 2>&1; then
		_res=FAIL
	fi
	[ "$_res" = FAIL ] || : >"$2/$_name.ok"
	_info=" ($(($(date +%s) - _t0)) s)"
	[ "$vg" != 1 ] || _info=" (valgrind: $(cat "$_vgl/.count" 2>/dev/null), $(($(date +%s) - _t0)) s)"
	echo "$_res $_name$_info"
	rm -rf "$_tmp" "$_vgl"
}

if [ "${1:-}" = --one ]; then # a job of a parallel run (below)
	run_one "$2" "$3"
	exit 0
fi

: "${LAYERSCAN:?set LAYERSCAN to the binary}"
export LAYERSCAN TOP="$top"
if [ "$vg" = 1 ]; then
	command -v valgrind >/dev/null 2>&1 || { echo "valgrind missing (src/tools/deps.sh test installs it)" >&2; exit 1; }
	LS_VG_REAL=$LAYERSCAN
	LAYERSCAN=$here/valgrind/layerscan
	export LS_VG_REAL
fi
jobs=${LS_E2E_JOBS:-1}
results=$(mktemp -d)
tests=
for t in "$here"/[0-9][0-9][0-9]-*.sh; do
	case "$(basename "$t" .sh)" in *"${1:-}"*) tests="$tests $t" ;; esac
done
if [ "$jobs" -gt 1 ]; then
	# the slowest tests are numbered last (git, podman): start with them
	# shellcheck disable=SC2086
	printf '%s\n' $tests | sort -r | xargs -P "$jobs" -I{} sh "$0" --one {} "$results"
else
	for t in $tests; do
		run_one "$t" "$results"
	done
fi
passed=0 failed=0
for t in $tests; do
	name=$(basename "$t" .sh)
	if [ -f "$results/$name.ok" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		sed 's/^/     | /' "$results/$name.log" | tail -n 40
	fi
done
rm -rf "$results"
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
