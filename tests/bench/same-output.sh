#!/bin/sh
# same-output.sh - check that an optimisation changed no output.
#
# Runs two layerscan binaries (before and after a change) with --threads 1
# and --threads 2 on saved images and directories, as JSON, and fails when
# any report differs from the first binary's --threads 1 report (the
# "seconds" statistic aside).  Also checks stderr and exit status.
#
# usage: tests/bench/same-output.sh OLD-BIN NEW-BIN [INPUT...]
#   INPUT: an image file or directory (`layerscan image`), or ctx:DIR
#   (`layerscan context`).  Default: the demo image, every saved image in
#   the e2e cache ($LS_E2E_CACHE, default /tmp/layerscan-e2e-cache) and
#   the labelled corpus directory.
set -u
old=${1:?usage: same-output.sh OLD-BIN NEW-BIN [INPUT...]}
new=${2:?usage: same-output.sh OLD-BIN NEW-BIN [INPUT...]}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LS_E2E_CACHE:-${TMPDIR:-/tmp}/layerscan-e2e-cache}
if [ $# -eq 0 ]; then
	set -- "$top/fixtures/demo/image.tar" "ctx:$top/fixtures/corpus/files"
	for d in "$cache"/*/; do
		for f in docker.tar oci.tar ocidir; do
			[ -e "$d$f" ] && set -- "$@" "$d$f"
		done
	done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
run() { # BIN THREADS INPUT OUT
	case "$3" in
	ctx:*) "$1" context --format json --threads "$2" "${3#ctx:}" ;;
	*) "$1" image --format json --threads "$2" "$3" ;;
	esac >"$4.json" 2>"$4.err"
	echo "$?" >"$4.st"
	sed -i -e '/"seconds":/d' -e '/"name": /d' "$4.json"
}
for in in "$@"; do
	n=$((n + 1))
	run "$old" 1 "$in" "$tmp/ref"
	for b in old new; do
		eval bin=\$$b
		for t in 1 2; do
			[ "$b$t" = old1 ] && continue
			run "$bin" "$t" "$in" "$tmp/cur"
			for x in json err st; do
				if ! cmp -s "$tmp/ref.$x" "$tmp/cur.$x"; then
					echo "DIFF $in ($b, --threads $t, .$x)"
					diff "$tmp/ref.$x" "$tmp/cur.$x" | head -20
					bad=$((bad + 1))
				fi
			done
		done
	done
done
echo "same-output: $n inputs, $bad differences"
[ "$bad" -eq 0 ]
