#!/bin/sh
# run.sh - run the libFuzzer targets (make fuzz, make fuzz-regress; fuzz.mk).
#
# usage: run.sh fuzz    OUT SECONDS JOBS TARGET...
#        run.sh regress OUT 0 1 TARGET...
#        run.sh one     OUT SECONDS TARGET      (one fuzzing run; internal)
#
# fuzz: each target fuzzes for SECONDS over a scratch copy of its seeds
#   (OUT/run/<target>/corpus; the repository's corpus is never written),
#   JOBS targets at a time; its log is OUT/run/<target>/log and a crash,
#   leak or timeout reproducer lands in OUT/artifacts/<target>/.
# regress: each target runs once over every seed and every reproducer in
#   tests/fuzz/regress/<target>/, without fuzzing.
# Either fails (status 1) if any target failed, naming it.
set -u

mode=$1 out=$2 secs=$3
here=$(dirname "$0")

# per-target options: -max_len and a dictionary
opts() {
	case $1 in
	toml | rules) echo "-max_len=16384 -dict=$here/dict/toml.dict" ;;
	ignore) echo "-max_len=4096 -dict=$here/dict/ignore.dict" ;;
	containerfile) echo "-max_len=16384 -dict=$here/dict/containerfile.dict" ;;
	image_tar) echo "-max_len=65536 -dict=$here/dict/json.dict" ;;
	image_json) echo "-max_len=16384 -dict=$here/dict/json.dict" ;;
	matcher) echo "-max_len=16384" ;;
	*) echo "run.sh: unknown target '$1'" >&2; exit 2 ;;
	esac
}

common="-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

case $mode in
one)
	t=$4
	bin=$out/fuzz/fuzz_$t
	dir=$out/run/$t
	rm -rf "$dir/corpus"
	mkdir -p "$dir/corpus" "$out/artifacts/$t"
	cp "$here/corpus/$t/"* "$dir/corpus/"
	# shellcheck disable=SC2046
	"$bin" $(opts "$t") $common -max_total_time="$secs" \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" \
		"$dir/corpus" >"$dir/log" 2>&1
	st=$?
	if [ $st -ne 0 ]; then
		echo "fuzz: $t FAILED (status $st): see $dir/log and $out/artifacts/$t/" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$dir/log" | head -n 5 >&2
		exit 1
	fi
	echo "fuzz: $t ok: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$dir/log" | tail -n 1)"
	;;
fuzz)
	jobs=$4
	shift 4
	mkdir -p "$out/run"
	printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh "$0" one "$out" "$secs" {}
	[ $? -eq 0 ] || { echo "make fuzz: a target failed" >&2; exit 1; }
	echo "make fuzz: $# targets, $secs s each: no crash, leak or timeout"
	;;
regress)
	shift 4
	fail=0
	for t in "$@"; do
		files=$(find "$here/corpus/$t" "$here/regress/$t" -type f \
			! -name README 2>/dev/null | sort)
		n=$(echo "$files" | grep -c .)
		[ "$n" -gt 0 ] || { echo "fuzz-regress: $t: no inputs" >&2; fail=1; continue; }
		mkdir -p "$out/run/$t"
		# shellcheck disable=SC2046,SC2086
		if "$out/fuzz/fuzz_$t" $(opts "$t" | sed 's/ -dict=[^ ]*//') $common \
			$files >"$out/run/$t/regress.log" 2>&1; then
			echo "fuzz-regress: $t: $n inputs ok"
		else
			echo "fuzz-regress: $t FAILED: see $out/run/$t/regress.log" >&2
			grep -E '^(Running:|==[0-9]+==ERROR|SUMMARY)' "$out/run/$t/regress.log" | tail -n 3 >&2
			fail=1
		fi
	done
	exit $fail
	;;
*)
	echo "usage: run.sh fuzz|regress|one OUT SECONDS ..." >&2
	exit 2
	;;
esac
