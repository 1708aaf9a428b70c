#!/bin/sh
# measure.sh - run a layerscan binary on the realistic images of issue #16
# (tests/lib/real-images.sh builds them, or finds them cached) and count what
# it reports: findings by severity, rule, path prefix and source, the exit
# status, and for real-node-planted which of the secrets listed in
# fixtures/real/planted.tsv were found and at what severity.
#
# usage: tests/real/measure.sh [--check] [-o DIR] LAYERSCAN [IMAGE...]
#   IMAGE     real-base, real-node, real-node-planted (default: all three)
#   -o DIR    keep the JSON reports and stderr there (default: a temporary
#             folder, removed at the end)
#   --check   the acceptance test of issue #16: real-base and real-node exit 0
#             with no finding above info; in real-node-planted every planted
#             secret is found above info (by its rule, at its path) and the
#             exit status is 1.  measure.sh then exits 1 when any of that
#             fails (each failure is a line starting with FAIL).
# $LS_MEASURE_ARGS: more layerscan options (split on spaces), e.g.
# "-c rules.toml" or "-j 1".
# Without --check the exit status is 0 when every scan ran to its end
# (whatever it found), 2 when a build failed or a scan exited 2 or more (its
# counts are still printed, from what the report holds).
#
# The JSON is read with awk (the report is pretty-printed, one key a line,
# as tests/e2e/lib-image.sh's summarize reads it); no jq or python.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
check=0
out=
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1; shift ;;
	-o) out=${2:?-o needs a folder}; shift 2 ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) echo "measure.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: measure.sh [--check] [-o DIR] LAYERSCAN [IMAGE...]" >&2; exit 2; }
ls_bin=$1
shift
[ -x "$ls_bin" ] || { echo "measure.sh: $ls_bin is not an executable" >&2; exit 2; }
[ $# -gt 0 ] || set -- real-base real-node real-node-planted

if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/layerscan-measure.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

sh "$top/tests/lib/real-images.sh" "$@" || { echo "measure.sh: real-images.sh failed" >&2; exit 2; }

# one line per finding: severity TAB rule TAB source TAB path TAB layer TAB created_by
flatten() {
	awk '
	function val(s) {
		sub(/^ *"[a-z_]+": /, "", s); sub(/,$/, "", s)
		if (s ~ /^".*"$/) s = substr(s, 2, length(s) - 2)
		return s
	}
	/^  "findings": \[/ { inf = 1; next }
	!inf { next }
	/^  \]/ { inf = 0; next }
	/^    \{$/ { delete f; inlayer = 0; next }
	/^    \},?$/ {
		printf "%s\t%s\t%s\t%s\t%s\t%s\n", f["severity"], f["rule"], f["source"], \
		    f["path"], f["index"], f["created_by"]
		next
	}
	/^      "layer": \{/ { inlayer = 1; next }
	/^      (\]|\}),?$/ { inlayer = 0; next }
	inlayer && /^        "(index|created_by)": / { k = $1; gsub(/[":]/, "", k); f[k] = val($0); next }
	/^      "(rule|severity|source|path)": / { k = $1; gsub(/[":]/, "", k); f[k] = val($0); next }
	' "$1"
}

# the folder of a path, at most three components deep; a path inside an
# archive or compressed file counts as the file that holds it
prefix() {
	awk -F '\t' '{
		p = $4; sub(/!.*/, "", p)
		if (p == "") { print "(" $3 ")"; next }
		n = split(p, c, "/"); d = (n - 1 < 3) ? n - 1 : 3
		s = ""
		for (i = 1; i <= d; i++) s = s (i > 1 ? "/" : "") c[i]
		print (s == "" ? "/" : s)
	}'
}

counts() {
	sort | uniq -c | sort -k1,1nr -k2 | sed 's/^/    /'
}

fails=0 scan_errors=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

for img in "$@"; do
	tar=$(sh "$top/tests/lib/real-images.sh" --path "$img")
	json=$out/$img.json
	set +e
	# shellcheck disable=SC2086 # options, split on purpose
	"$ls_bin" image --format json ${LS_MEASURE_ARGS:-} "$tar" >"$json" 2>"$out/$img.err"
	st=$?
	set -e
	if [ $st -ge 2 ]; then
		# an incomplete scan (a limit hit, an unreadable layer) still has
		# a report; a usage error has none and counts nothing
		echo "measure.sh: $ls_bin exited $st on $img:" >&2
		sed 's/^/    /' "$out/$img.err" >&2
		scan_errors=$((scan_errors + 1))
	fi
	flatten "$json" >"$out/$img.tsv"
	n=$(wc -l <"$out/$img.tsv")
	files=$(awk '/^    "files": / { v = $2; sub(/,$/, "", v); print v }' "$json")
	secs=$(awk '/^    "seconds": / { v = $2; sub(/,$/, "", v); print v }' "$json")
	echo "== $img: exit $st, $n findings ($files files scanned in $secs s; $(du -m "$tar" | cut -f1) MB archive)"
	printf '  by severity:'
	for s in critical high medium low info; do
		printf ' %s %s' "$s" "$(awk -F '\t' -v s="$s" '$1 == s' "$out/$img.tsv" | wc -l)"
	done
	echo
	above=$(awk -F '\t' '$1 != "info"' "$out/$img.tsv" | wc -l)
	echo "  above info: $above"
	echo "  by rule:"
	cut -f2 "$out/$img.tsv" | counts
	echo "  by path prefix:"
	prefix <"$out/$img.tsv" | counts
	echo "  by source:"
	cut -f3 "$out/$img.tsv" | counts
	echo "  by layer (instruction):"
	awk -F '\t' '{ c = $6; if (length(c) > 90) c = substr(c, 1, 87) "..."; print $5 " " c }' \
		"$out/$img.tsv" | counts

	case $img in
	real-node-planted)
		echo "  planted secrets (fixtures/real/planted.tsv):"
		found=0 total=0
		while IFS="$(printf '\t')" read -r id path rule instr; do
			case $id in '#'*|'') continue ;; esac
			total=$((total + 1))
			sev=$(awk -F '\t' -v p="$path" -v r="$rule" '
				BEGIN { rank["info"] = 1; rank["low"] = 2; rank["medium"] = 3
					rank["high"] = 4; rank["critical"] = 5 }
				{ q = $4; sub(/!.*/, "", q) }
				q == p && $2 == r && rank[$1] > best { best = rank[$1]; b = $1 }
				END { print (b == "" ? "-" : b) }' "$out/$img.tsv")
			layer=$(awk -F '\t' -v p="$path" -v r="$rule" '
				{ q = $4; sub(/!.*/, "", q) }
				q == p && $2 == r { print $6; exit }' "$out/$img.tsv")
			if [ "$sev" = - ]; then
				echo "    MISSED   $id: $rule in $path (planted by: $instr)"
				[ $check = 0 ] || fail "planted $id ($rule in $path) not reported"
			else
				echo "    $sev $id: $rule in $path (layer: $(printf '%s' "$layer" | cut -c1-70))"
				if [ "$sev" = info ]; then
					[ $check = 0 ] || fail "planted $id ($rule in $path) reported only as info"
				else
					found=$((found + 1))
				fi
			fi
		done <"$top/fixtures/real/planted.tsv"
		echo "  planted found above info: $found of $total"
		# everything else in the planted image: what real-node has, plus any
		# second rule on a planted file
		other=$(awk -F '\t' 'NR == FNR { if ($1 !~ /^#/) p[$2] = 1; next }
			{ q = $4; sub(/!.*/, "", q) } !(q in p)' "$top/fixtures/real/planted.tsv" "$out/$img.tsv" | wc -l)
		echo "  findings outside the planted files: $other"
		if [ $check = 1 ] && [ $st != 1 ]; then
			fail "$img: exit $st, want 1"
		fi
		;;
	*)
		if [ $check = 1 ]; then
			[ $st = 0 ] || fail "$img: exit $st, want 0"
			[ "$above" = 0 ] || fail "$img: $above findings above info, want 0"
		fi
		;;
	esac
done

if [ $check = 1 ]; then
	if [ $fails = 0 ]; then
		echo "measure.sh --check: passed"
	else
		echo "measure.sh --check: $fails failures"
		exit 1
	fi
fi
[ $scan_errors = 0 ] || exit 2
exit 0
