#!/bin/sh
# bench-git.sh - time `layerscan git` on a long history, next to git's own
# passes over the same history, measured in the same run:
#
#   layerscan git REPO                            (fast path, the default)
#   LAYERSCAN_GIT_FULL_SCAN=1 layerscan git REPO  (every new blob whole)
#   git log -p --all | grep -c -i -F -f KEYWORDS  (the rules' keywords)
#   git cat-file --batch-all-objects --batch > /dev/null
#
# and checks that the fast path and the full scan report the same findings.
#
# usage: [REPO=path] [LAYERSCAN=build/layerscan] sh tests/bench/bench-git.sh
# REPO defaults to the curl mirror fetched under /work/.mirror/.  That
# mirror is a partial clone (a few objects of pull-request refs are
# missing, and `git log -p --all` dies on them), so the default is a bare
# clone of its branches and tags, made once under build/.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${LAYERSCAN:-$top/build/layerscan}
mirror=/work/.mirror/curl+curl/repo

die() {
	echo "bench-git: $*" >&2
	exit 2
}

[ -x "$bin" ] || die "no layerscan binary at '$bin' (run make first)"
if [ -z "${REPO:-}" ]; then
	[ -d "$mirror" ] || die "set REPO to a git repository (no curl mirror at '$mirror')"
	REPO=$top/build/bench-curl.git
	if [ ! -d "$REPO" ]; then
		echo "bench-git: cloning the branches and tags of $mirror into $REPO (once)" >&2
		rm -rf "$REPO.tmp"
		git clone -q --bare --no-local "file://$mirror" "$REPO.tmp" ||
			die "cannot clone '$mirror'"
		mv "$REPO.tmp" "$REPO"
	fi
fi
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 ||
	die "'$REPO' is not a git repository"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# the default rules' keywords: `rules list` prints id, severity, keywords
"$bin" rules list | sed -E 's/^[^ ]+ +[^ ]+ +//' | tr ',' '\n' |
	grep -v -e '^(check:' -e '^$' > "$tmp/keywords"

now() {
	date +%s.%N
}

# CPU seconds (user + system) of finished children in a `times` output
cpu_of() {
	awk 'NR == 2 {
		n = split($1 " " $2, t, " "); s = 0
		for (i = 1; i <= n; i++) { split(t[i], p, "m"); s += p[1] * 60 + p[2] }
		printf "%.2f\n", s }' "$1"
}

# timed NAME CMD...: run CMD; its wall-clock seconds go to $tmp/NAME, its
# CPU seconds (all processes, all cores) to $tmp/NAME.cpu: on a machine
# shared with other work the CPU time is the steadier number.  `times`
# runs in this shell, not in a $(...) subshell, to see our children.
timed() {
	name=$1
	shift
	times > "$tmp/times0"
	t0=$(now)
	set +e
	"$@"
	st=$?
	set -e
	t1=$(now)
	times > "$tmp/times1"
	echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }' > "$tmp/$name"
	echo "$(cpu_of "$tmp/times0") $(cpu_of "$tmp/times1")" |
		awk '{ printf "%.2f\n", $2 - $1 }' > "$tmp/$name.cpu"
	echo "$st" > "$tmp/$name.status"
}

ls_fast() {
	"$bin" git -q --format json -o "$tmp/fast.json" "$REPO"
}
ls_full() {
	LAYERSCAN_GIT_FULL_SCAN=1 "$bin" git -q --format json -o "$tmp/full.json" "$REPO"
}
gitlog() {
	git -C "$REPO" log -p --all | grep -c -i -F -f "$tmp/keywords" > "$tmp/loglines"
}
catfile() {
	git -C "$REPO" cat-file --batch-all-objects --batch > /dev/null
}

commits=$(git -C "$REPO" rev-list --all | wc -l)
echo "repository: $REPO ($commits commits, $(nproc) CPUs)"
timed fast ls_fast
timed full ls_full
timed log gitlog
timed cat catfile

for n in fast full; do
	case $(cat "$tmp/$n.status") in
	0 | 1) ;;
	*) echo "bench-git: layerscan ($n) exited $(cat "$tmp/$n.status") (its errors are above)" >&2 ;;
	esac
done
nfind=$(grep -c '"rule":' "$tmp/fast.json" || true)
if grep -v '"seconds"' "$tmp/fast.json" > "$tmp/a" &&
	grep -v '"seconds"' "$tmp/full.json" > "$tmp/b" && cmp -s "$tmp/a" "$tmp/b"; then
	same=yes
else
	same=NO
fi
ratio() {   # ratio KIND NAME: layerscan's KIND (wall or cpu) over NAME's
	sfx=
	[ "$1" = cpu ] && sfx=.cpu
	awk -v a="$(cat "$tmp/fast$sfx")" -v b="$(cat "$tmp/$2$sfx")" \
		'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}
row() {     # row LABEL NAME NOTE
	printf '%-44s %8s s %8s s  %s\n' "$1" "$(cat "$tmp/$2")" \
		"$(cat "$tmp/$2.cpu")" "$3"
}
printf '%-44s %10s %10s\n' "" "wall" "cpu"
row "layerscan git" fast "$nfind findings"
row "layerscan git (LAYERSCAN_GIT_FULL_SCAN=1)" full "same findings: $same"
row "git log -p --all | grep -c -i -F -f KEYWORDS" log \
	"layerscan/this: wall $(ratio wall log), cpu $(ratio cpu log)"
row "git cat-file --batch-all-objects --batch" cat \
	"layerscan/this: wall $(ratio wall cat), cpu $(ratio cpu cat)"
[ "$same" = yes ] || { echo "bench-git: the fast path and the full scan differ" >&2; exit 1; }
