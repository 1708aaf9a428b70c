#!/bin/sh
# mutate.sh - does the test suite catch plausible bugs?  (make mutate)
#
# Reads the mutants in tests/mutate/mutants.txt (format at its top).  For
# each one: find the one file under src/ holding its `find` fragment exactly
# once, replace the fragment by `replace` in a private copy of the working
# tree, build what the test needs there, run the test, restore the file.  A
# mutant is caught when its test fails, and survives when it passes.
#
# First every distinct test must pass on the unmutated copy: a test that
# fails anyway catches nothing.  One copy and one build serve all mutants
# (a mutant recompiles one file and relinks).  The copy is taken with
# `git ls-files` (tracked and untracked files, not the ignored build
# directories), so uncommitted changes to tests and fixtures count.
#
# usage: tests/mutate/mutate.sh [PATTERN]
#   PATTERN: only the mutants whose id contains it.
# e2e tests run with LS_E2E_REUSE_PODMAN=1: the ignore-file cases take
# podman's committed ground truth (podman is not what is mutated).
# Environment: MUTATE_KEEP=1 keeps the copy (its path is printed);
#   MUTATE_TIMEOUT=S (default 900) bounds one test run: a test killed by
#   the timeout counts as having caught its mutant (a hang is a failure).
# Exits 0 only if every selected mutant was caught.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
list=$here/mutants.txt
pat=${1:-}
tmo=${MUTATE_TIMEOUT:-900}

die() {
	echo "mutate: $*" >&2
	exit 2
}

[ -f "$list" ] || die "no $list"
cd "$top" || die "cannot enter $top"
command -v git >/dev/null 2>&1 || die "git is needed to list the tree's files"

# ---- parse the list into a directory of records: N/id N/test N/find ... ----
work=$(mktemp -d "${TMPDIR:-/tmp}/layerscan-mutate.XXXXXX") || die "mktemp"
cleanup() {
	if [ "${MUTATE_KEEP:-0}" = 1 ]; then
		echo "mutate: kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
recs=$work/recs
mkdir "$recs"
awk -v dir="$recs" '
function flush() {
	if (!n) return
	for (k in need) if (!(k in have)) {
		printf "%s:%d: mutant lacks \"%s\"\n", FILENAME, start, k > "/dev/stderr"; bad = 1
	}
	delete have
}
BEGIN { need["id"]; need["test"]; need["find"]; need["replace"]; need["about"] }
/^#/ { next }
/^[ \t]*$/ { if (open) { flush(); open = 0 } next }
{
	if (!open) { n++; open = 1; start = FNR }
	key = $0; sub(/[ \t].*/, "", key)
	val = $0; sub(/^[^ \t]+[ \t]+/, "", val)
	if (val == $0) val = ""
	if (!(key in need)) { printf "%s:%d: unknown key \"%s\"\n", FILENAME, FNR, key > "/dev/stderr"; bad = 1; next }
	if (key in have) { printf "%s:%d: \"%s\" given twice\n", FILENAME, FNR, key > "/dev/stderr"; bad = 1; next }
	have[key]
	if (key != "replace" && val == "") { printf "%s:%d: empty \"%s\"\n", FILENAME, FNR, key > "/dev/stderr"; bad = 1 }
	f = sprintf("%s/%03d", dir, n); system("mkdir -p " f)
	printf "%s", val > (f "/" key); close(f "/" key)
}
END { if (open) flush(); exit bad }
' "$list" || die "bad mutant list $list"

# ids are unique; select by PATTERN
sel=
for r in "$recs"/*; do
	[ -d "$r" ] || continue
	id=$(cat "$r/id")
	if [ "$(for x in "$recs"/*/id; do cat "$x"; echo; done | grep -cxF -- "$id")" -ne 1 ]; then
		die "mutant id '$id' is used twice"
	fi
	case $id in *"$pat"*) sel="$sel $r" ;; esac
done
[ -n "$sel" ] || die "no mutant matches '$pat'"

# locate: the one file under src/ with the fragment, exactly once
for r in $sel; do
	id=$(cat "$r/id")
	files=$(grep -rlF -e "$(cat "$r/find")" src/ 2>/dev/null)
	nf=$(printf '%s' "$files" | grep -c .)
	[ "$nf" -eq 1 ] || {
		[ -n "$files" ] && printf '  %s\n' $files >&2
		die "$id: its find fragment is in $nf files under src/ (needs exactly 1)"
	}
	c=$(FIND=$(cat "$r/find") awk '
		{ s = $0; while ((i = index(s, ENVIRON["FIND"])) > 0) { n++; s = substr(s, i + 1) } }
		END { print n + 0 }' "$files")
	[ "$c" -eq 1 ] || die "$id: its find fragment occurs $c times in $files (needs exactly 1)"
	[ "$(cat "$r/find")" != "$(cat "$r/replace")" ] || die "$id: replace equals find"
	printf '%s' "$files" >"$r/file"
done

# ---- the copy ----
copy=$work/tree
mkdir "$copy"
# (files deleted from the work tree but still tracked are left out)
git ls-files -z -co --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
	xargs -0 cp -a --parents -t "$copy" || die "cannot copy the working tree"
[ ! -f config.mak ] || cp -p config.mak "$copy/"

# test kinds:  e2e PATTERN   (tests/e2e/run.sh PATTERN on build/layerscan)
#              unit NAME     (build/tests/test_NAME)
# build_for TEST, run_test TEST LOG
build_for() {
	case $1 in
	"e2e "*) tgt=build/layerscan ;;
	"unit "*) tgt=build/tests/test_${1#unit } ;;
	*) die "unknown test kind: '$1' (e2e PATTERN or unit NAME)" ;;
	esac
	(cd "$copy" && make --no-print-directory DEPS=0 -j2 "$tgt") >"$work/build.log" 2>&1
}

run_test() {
	case $1 in
	"e2e "*)
		(cd "$copy" && LAYERSCAN="$copy/build/layerscan" LS_E2E_JOBS=1 \
			LS_E2E_REUSE_PODMAN=1 \
			timeout "$tmo" sh tests/e2e/run.sh "${1#e2e }") >"$2" 2>&1 ;;
	"unit "*)
		(cd "$copy" && timeout "$tmo" "build/tests/test_${1#unit }") >"$2" 2>&1 ;;
	esac
}

# an e2e pattern must name exactly one test
for r in $sel; do
	t=$(cat "$r/test")
	case $t in
	"e2e "*)
		n=0
		for f in tests/e2e/[0-9][0-9][0-9]-*.sh; do
			case "$(basename "$f" .sh)" in *"${t#e2e }"*) n=$((n + 1)) ;; esac
		done
		[ "$n" -eq 1 ] || die "$(cat "$r/id"): '$t' names $n e2e tests (needs exactly 1)" ;;
	"unit "*)
		[ -f "tests/unit/test_${t#unit }.c" ] || die "$(cat "$r/id"): no tests/unit/test_${t#unit }.c" ;;
	*) die "$(cat "$r/id"): unknown test kind '$t'" ;;
	esac
done

now() { date +%s; }
t_start=$(now)

# ---- every distinct test passes unmutated ----
for r in $sel; do cat "$r/test"; echo; done | sort -u >"$work/tests"
echo "mutate: $(echo $sel | wc -w) mutants, $(wc -l <"$work/tests") tests; copy in $copy"
while IFS= read -r t; do
	t0=$(now)
	build_for "$t" || { cat "$work/build.log" >&2; die "the unmutated tree does not build"; }
	if ! run_test "$t" "$work/base.log"; then
		tail -n 40 "$work/base.log" >&2
		die "'$t' fails without any mutant: fix it first"
	fi
	printf 'passes   %-57s %4ss\n' "$t" "$(($(now) - t0))"
done <"$work/tests"

# ---- the mutants ----
caught=0 survived=0 broken=0
surv_list=
for r in $sel; do
	id=$(cat "$r/id") t=$(cat "$r/test") f=$(cat "$r/file")
	cp -p "$copy/$f" "$work/orig"
	FIND=$(cat "$r/find") REPL=$(cat "$r/replace") awk '
		{ i = index($0, ENVIRON["FIND"])
		  if (i) $0 = substr($0, 1, i - 1) ENVIRON["REPL"] substr($0, i + length(ENVIRON["FIND"]))
		  print }' "$work/orig" >"$copy/$f"
	t0=$(now)
	if ! build_for "$t"; then
		res=BROKEN
		broken=$((broken + 1))
		sed 's/^/     | /' "$work/build.log" | grep -E 'error|Error' | head -n 5
	elif run_test "$t" "$r/log"; then
		res=SURVIVED
		survived=$((survived + 1))
		surv_list="$surv_list $id"
	else
		res=caught
		caught=$((caught + 1))
	fi
	# restore with a fresh mtime, so the next build recompiles the file
	cat "$work/orig" >"$copy/$f"
	touch "$copy/$f"
	printf '%-8s %-30s %-26s %4ss  %s\n' "$res" "$id" "$t" "$(($(now) - t0))" "$f"
	# how it was caught: the test's first failure message
	[ "$res" != caught ] || grep -m1 -E 'FAIL: |\[  ERROR|\[  FAILED' "$r/log" |
		cut -c1-150 | sed 's/^ *| */         /'
done
# leave the copy's build unmutated (MUTATE_KEEP)
total=$((caught + survived + broken))
echo "mutate: $total mutants: $caught caught, $survived survived, $broken did not build ($(($(now) - t_start)) s)"
[ -z "$surv_list" ] || echo "mutate: survivors:$surv_list (strengthen their tests)"
[ "$caught" -eq "$total" ]
