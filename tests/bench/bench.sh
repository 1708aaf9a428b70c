#!/bin/sh
# bench.sh - layerscan next to the floors and peers, on inputs built here.
#
# `make bench` runs it.  Inputs come from tests/bench/inputs.sh (a ~620 MB
# text tree and a ~1 GB image as docker-archive and oci-archive, cached in
# $BENCH_DIR), tools from tests/bench/deps.sh.  Every command runs
# $BENCH_REPEAT times (default 5: the machines are shared) from the page cache, after one warm-up
# read; the table shows the median time, MB/s of the input's size and the
# largest peak RSS (GNU time, the whole process tree).  secretlint, which
# takes a minute, runs $BENCH_PEER_REPEAT times (default 1).  Then the
# ratios the targets in docs/performance.md are about, and a check that
# every planted secret was found.
#
# usage: LAYERSCAN=build/layerscan tests/bench/bench.sh
#   BENCH_ONLY="tree docker oci"   sections to run (default: all three)
#   BENCH_SECRETLINT=0             skip secretlint
# Exit status: 0 when the findings check passed (targets missed do not
# fail the run: they are printed), 1 otherwise.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
LAYERSCAN=${LAYERSCAN:-$top/build/layerscan}
B=${BENCH_DIR:-/var/tmp/layerscan-bench}
export BENCH_DIR="$B"
R=${BENCH_REPEAT:-5}
RP=${BENCH_PEER_REPEAT:-1}
ONLY=${BENCH_ONLY:-tree docker oci}
[ -x "$LAYERSCAN" ] || { echo "bench: $LAYERSCAN is not built" >&2; exit 1; }

sh "$here/deps.sh"
sh "$here/inputs.sh" >/dev/null
T=$B/tree D=$B/image.docker.tar O=$B/image.oci.tar
W=$B/run
rm -rf "$W"
mkdir -p "$W"

# the default rules' keywords, one literal a line, for ripgrep: `rules list`
# prints "ID SEVERITY KW,KW,..." with \n \r \t \\ and \x2c (a comma)
# escaped; ripgrep matches line by line, so a keyword with a line break in
# it ("\ndata:\n") becomes its parts
"$LAYERSCAN" rules list | awk '{
	sub(/^[^ ]+ +[^ ]+ +/, "")
	sub(/\((check|path rule|no keywords)[^)]*\)$/, "")
	n = split($0, kw, ",")
	for (i = 1; i <= n; i++) {
		s = kw[i]
		gsub(/\\[nr]/, "\n", s); gsub(/\\t/, "\t", s)
		gsub(/\\x2c/, ",", s); gsub(/\\\\/, "\\", s)
		print s
	}
}' | grep -v '^$' | sort -u >"$W/keywords"
RG="rg -i -F -f $W/keywords --no-ignore --hidden --count"

mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
tree_bytes=$(find "$T" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
img_bytes=$(stat -c %s "$D")
tree_mb=$(mb "$tree_bytes") img_mb=$(mb "$img_bytes")

# measure KEY LABEL MB RUNS COMMAND: median seconds, max peak RSS (MB)
: >"$W/results"
measure() {
	key=$1 label=$2 size=$3 runs=$4
	shift 4
	: >"$W/times"
	rss=0 i=0
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -f '%e %M %U %S' -o "$W/t" sh -c "$*" >/dev/null 2>"$W/$key.err" || {
			st=$?
			# layerscan and rg exit 1 on findings/matches
			[ "$st" -eq 1 ] || { echo "bench: $label failed ($st):" >&2;
				tail -5 "$W/$key.err" >&2; tail -1 "$W/t" >&2; exit 1; }
		}
		read -r s k u y <<EOF
$(tail -1 "$W/t")
EOF
		echo "$s $u $y" >>"$W/times"
		[ "$k" -gt "$rss" ] && rss=$k
		i=$((i + 1))
	done
	# the median run by wall time, and its CPU time (user + system)
	set -- $(sort -n "$W/times" | awk '{ v[NR] = $1; c[NR] = $2 + $3 }
		END { i = int((NR + 1) / 2); print v[i], c[i] }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$label" "$1" "$size" "$rss" "$2" >>"$W/results"
	awk -v l="$label" -v s="$1" -v c="$2" -v m="$size" -v r="$rss" 'BEGIN {
		printf "  %-50s %7.2f s %7.2f s CPU %6.0f MB/s %5.0f MB RSS\n", l, s, c, m / s, r / 1024 }' >&2
}
get() { awk -F'\t' -v k="$1" '$1 == k { print $3 }' "$W/results"; }

# planted secrets: rule and path pairs that a JSON report must contain
check_found() { # REPORT PATH-PREFIX
	awk -F'"' '/^      "rule": / { r = $4 } /^      "path": / { print r " " $4 }' "$1" >"$1.pairs"
	miss=0
	for want in "aws-access-key-id app/config/aws-credentials" \
		"github-pat app/.env.production" "slack-bot-token app/notify.js" \
		"private-key home/dev/.ssh/id_ed25519"; do
		grep -qxF "${want%% *} $2${want#* }" "$1.pairs" || {
			echo "bench: MISSED planted secret: $want in $1" >&2; miss=1; }
	done
	return "$miss"
}
# number of entries in a JSON report's "errors" array
errors() {
	awk '/^  "errors": \[\]/ { print 0; exit } /^  "errors": \[/ { on = 1; next }
		on && /^  \]/ { print n + 0; exit } on { n++ }' "$1"
}

echo "bench: warming the page cache" >&2
find "$T" -type f -print0 | xargs -0 cat >/dev/null
cat "$D" "$O" >/dev/null
xargs cat <"$B/oci-layers.list" >/dev/null

fail=0
case " $ONLY " in *" tree "*)
	echo "text tree: $tree_mb MB, $(find "$T" -type f | wc -l) files" >&2
	measure tree_cat "cat (floor)" "$tree_mb" "$R" \
		"find '$T' -type f -print0 | xargs -0 cat"
	measure tree_rg1 "ripgrep -j1, keywords" "$tree_mb" "$R" "$RG -j1 '$T'"
	measure tree_rg2 "ripgrep -j2, keywords" "$tree_mb" "$R" "$RG -j2 '$T'"
	measure tree_ls1 "layerscan context --threads 1" "$tree_mb" "$R" \
		"'$LAYERSCAN' context --format json -o '$W/tree1.json' --threads 1 '$T'"
	measure tree_ls2 "layerscan context --threads 2" "$tree_mb" "$R" \
		"'$LAYERSCAN' context --format json -o '$W/tree2.json' --threads 2 '$T'"
	check_found "$W/tree1.json" planted/ || fail=1
	check_found "$W/tree2.json" planted/ || fail=1
	if [ "${BENCH_SECRETLINT:-1}" = 1 ]; then
		measure tree_sl "secretlint (recommended preset)" "$tree_mb" "$RP" \
			"cd '$B/npm' && ./node_modules/.bin/secretlint --secretlintrc .secretlintrc.json --format compact --maskSecrets '$T/**/*'"
	fi
	;;
esac
# The images hold Go's test archives, some broken on purpose: layerscan
# reports them as scan errors (exit 2) and scans the rest, so 2 is
# accepted for images and the number of errors is printed.
case " $ONLY " in *" docker "*)
	echo "docker-archive: $img_mb MB" >&2
	measure dk_cat "cat (floor)" "$img_mb" "$R" "cat '$D'"
	# tar -i reads the layer tars back to back; it says "Skipping to next
	# header" at the JSON files between them and exits 2
	measure dk_tar "tar -xOf + tar -ixOf - (floor)" "$img_mb" "$R" \
		"tar -xOf '$D' | tar -ixOf - 2>/dev/null; [ \$? -le 2 ]"
	measure dk_rg1 "tar -xOf + tar -ixOf - + ripgrep -j1" "$img_mb" "$R" \
		"tar -xOf '$D' | tar -ixOf - 2>/dev/null | $RG -j1"
	measure dk_ls1 "layerscan image --threads 1" "$img_mb" "$R" \
		"'$LAYERSCAN' image --format json -o '$W/dk1.json' --threads 1 '$D'; [ \$? -le 2 ]"
	measure dk_ls2 "layerscan image --threads 2" "$img_mb" "$R" \
		"'$LAYERSCAN' image --format json -o '$W/dk2.json' --threads 2 '$D'; [ \$? -le 2 ]"
	# like for like with ripgrep, which does not look into compressed files
	measure dk_ls1d0 "layerscan image --threads 1 --max-archive-depth 0" "$img_mb" "$R" \
		"'$LAYERSCAN' image --format json -o '$W/dk1d0.json' --threads 1 --max-archive-depth 0 '$D'; [ \$? -le 2 ]"
	check_found "$W/dk1.json" bench/planted/ || fail=1
	check_found "$W/dk2.json" bench/planted/ || fail=1
	check_found "$W/dk1d0.json" bench/planted/ || fail=1
	echo "docker-archive: $(errors "$W/dk1.json") scan errors (Go's broken test archives)" >&2
	;;
esac
case " $ONLY " in *" oci "*)
	echo "oci-archive (gzip): $(mb "$(stat -c %s "$O")") MB, $img_mb MB uncompressed" >&2
	measure oci_zcat "zcat of the layer blobs (floor)" "$img_mb" "$R" \
		"xargs zcat <'$B/oci-layers.list'"
	measure oci_ls1 "layerscan image --threads 1" "$img_mb" "$R" \
		"'$LAYERSCAN' image --format json -o '$W/oci1.json' --threads 1 '$O'; [ \$? -le 2 ]"
	measure oci_ls2 "layerscan image --threads 2" "$img_mb" "$R" \
		"'$LAYERSCAN' image --format json -o '$W/oci2.json' --threads 2 '$O'; [ \$? -le 2 ]"
	measure oci_ls1d0 "layerscan image --threads 1 --max-archive-depth 0" "$img_mb" "$R" \
		"'$LAYERSCAN' image --format json -o '$W/oci1d0.json' --threads 1 --max-archive-depth 0 '$O'; [ \$? -le 2 ]"
	check_found "$W/oci1.json" bench/planted/ || fail=1
	check_found "$W/oci2.json" bench/planted/ || fail=1
	check_found "$W/oci1d0.json" bench/planted/ || fail=1
	;;
esac

# --- the tables (Markdown, for docs/performance.md) ----------------------
echo
echo "| input | command | time (s) | CPU (s) | MB/s | peak RSS (MB) |"
echo "|---|---|---:|---:|---:|---:|"
awk -F'\t' '{
	in_ = $1 ~ /^tree/ ? "text tree" : $1 ~ /^dk/ ? "docker-archive" : "oci-archive (gzip)"
	printf "| %s | %s | %.2f | %.2f | %.0f | %.0f |\n", in_, $2, $3, $6, $4 / $3, $5 / 1024 }' "$W/results"
echo
echo "| target | ratio | limit | met |"
echo "|---|---:|---:|---|"
ratio() { # LABEL NUM DEN OP LIMIT
	n=$(get "$2") d=$(get "$3")
	[ -n "$n" ] && [ -n "$d" ] || return 0
	awk -v l="$1" -v n="$n" -v d="$d" -v op="$4" -v lim="$5" 'BEGIN {
		r = n / d; ok = op == "<=" ? r <= lim : op == "<" ? r < lim : r >= lim
		printf "| %s | %.2f | %s %s | %s |\n", l, r, op, lim, ok ? "yes" : "**no**" }'
}
ratio "context 1 thread / ripgrep -j1" tree_ls1 tree_rg1 "<=" 1.5
ratio "context 2 threads / ripgrep -j1" tree_ls2 tree_rg1 "<=" 1.0
ratio "secretlint / context, default threads (2)" tree_sl tree_ls2 ">=" 10
ratio "secretlint / context, 1 thread" tree_sl tree_ls1 ">=" 10
ratio "docker-archive 1 thread / (tar + tar + ripgrep -j1)" dk_ls1 dk_rg1 "<=" 1.5
ratio "the same, 1 thread, --max-archive-depth 0" dk_ls1d0 dk_rg1 "<=" 1.5
ratio "the same, 2 threads (the pipe runs on both cores too)" dk_ls2 dk_rg1 "<=" 1.5
ratio "oci-archive 1 thread / zcat" oci_ls1 oci_zcat "<" 1.0
ratio "the same, --max-archive-depth 0" oci_ls1d0 oci_zcat "<" 1.0
ratio "oci-archive 1 thread / 2 threads (speed-up)" oci_ls1 oci_ls2 ">=" 1.6
awk -F'\t' '$1 ~ /_ls/ { if ($5 > m) m = $5 } END {
	if (m) printf "| layerscan peak RSS (MB), any run | %.0f | <= 64 | %s |\n", m / 1024, m <= 65536 ? "yes" : "**no**" }' "$W/results"
echo
printf 'machine: %s, %s cores, CPU pressure (some, avg300) %s%%; %s; %s; secretlint %s; %s\n' \
	"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)" \
	"$(awk '/^some/ { sub(/avg300=/, "", $4); print $4 }' /proc/pressure/cpu 2>/dev/null)" \
	"$(rg --version 2>/dev/null | sed -n 1p)" "$(zcat --version 2>/dev/null | sed -n 1p)" \
	"$("$B/npm/node_modules/.bin/secretlint" --version)" "$("$LAYERSCAN" version)"
if [ "$fail" = 0 ]; then
	echo "findings check: every planted secret was found"
else
	echo "findings check: FAILED (see above)"
fi
exit "$fail"
