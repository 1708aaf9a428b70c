#!/bin/sh
# bench-git.sh - time `layerscan git` on long histories, next to git's own
# passes over the same history, measured in the same run:
#
#   layerscan git REPO                            (fast path, the default)
#   LAYERSCAN_GIT_FULL_SCAN=1 layerscan git REPO  (every new blob whole; FULL=0 skips)
#   git log -p --all | grep -c -i -F -f KEYWORDS  (the rules' keywords)
#   git cat-file --batch-all-objects --batch > /dev/null
#
# and prints layerscan's peak RSS (/usr/bin/time), checks that the fast path
# and the full scan report the same findings, and that they are those of a
# reference binary (REF, default ~/.cache/layerscan/rel/layerscan-main, a
# copy of the last release; its reports are kept next to it, per binary).
#
# usage: [REPO=path] [REF=binary] [FULL=0] [LAYERSCAN=build/layerscan] sh tests/bench/bench-git.sh
# Without REPO, two histories: curl's, then git's, each the branches and
# tags of the mirror fetched under /work/.mirror/ (a mirror also has pull
# request refs whose objects are missing: `git log -p --all` dies on them),
# cloned bare once into ~/.cache/layerscan/ (outside the repository).  A
# history whose mirror is absent is skipped with a message.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${LAYERSCAN:-$top/build/layerscan}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/layerscan
ref=${REF:-$cache/rel/layerscan-main}
full=${FULL:-1}

die() {
	echo "bench-git: $*" >&2
	exit 2
}

[ -x "$bin" ] || die "no layerscan binary at '$bin' (run make first)"
command -v /usr/bin/time >/dev/null || die "needs /usr/bin/time (Debian: time) for peak RSS"

# clone NAME MIRROR: the branches and tags of MIRROR, bare, once
clone() {
	dst=$cache/$1.git
	if [ ! -d "$dst" ]; then
		echo "bench-git: cloning the branches and tags of $2 into $dst (once)" >&2
		mkdir -p "$cache"
		rm -rf "$dst.tmp"
		git clone -q --bare --no-local "file://$2" "$dst.tmp" ||
			die "cannot clone '$2'"
		mv "$dst.tmp" "$dst"
	fi
	echo "$dst"
}

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
	/usr/bin/time -f %M -o "$tmp/rss" "$bin" git -q --format json -o "$tmp/fast.json" "$REPO"
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

bench_one() {
REPO=$1
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 ||
	die "'$REPO' is not a git repository"
commits=$(git -C "$REPO" rev-list --all | wc -l)
echo
echo "repository: $REPO ($commits commits, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
timed fast ls_fast
if [ "$full" = 1 ]; then
	timed full ls_full
else
	cp "$tmp/fast.json" "$tmp/full.json"
	echo "-" > "$tmp/full"; echo "-" > "$tmp/full.cpu"; echo 0 > "$tmp/full.status"
fi
timed log gitlog
timed cat catfile

for n in fast full; do
	case $(cat "$tmp/$n.status") in
	0 | 1) ;;
	*) echo "bench-git: layerscan ($n) exited $(cat "$tmp/$n.status") (its errors are above)" >&2 ;;
	esac
done
nfind=$(grep -c '"rule":' "$tmp/fast.json" || true)
rss=$(tail -n 1 "$tmp/rss" | awk '{ printf "%d", $1 / 1024 }')
refsame="no reference binary at '$ref'"
if [ -x "$ref" ]; then
	refjson=$cache/ref-$(basename "$REPO" .git)-$(cksum < "$ref" | cut -d' ' -f1).json
	if [ ! -s "$refjson" ]; then
		echo "bench-git: reference findings of $ref on $REPO (once)" >&2
		set +e
		"$ref" git -q --format json -o "$refjson.tmp" "$REPO"
		set -e
		mv "$refjson.tmp" "$refjson"
	fi
	# the target's name is the path as given, which may differ
	grep -v -e '"seconds"' -e '^    "name":' "$refjson" > "$tmp/r"
	grep -v -e '"seconds"' -e '^    "name":' "$tmp/fast.json" > "$tmp/a"
	if cmp -s "$tmp/r" "$tmp/a"; then refsame=yes; else refsame=NO; fi
fi
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
row "layerscan git" fast "$nfind findings, peak RSS $rss MB, same as reference: $refsame"
row "layerscan git (LAYERSCAN_GIT_FULL_SCAN=1)" full "same findings: $same"
row "git log -p --all | grep -c -i -F -f KEYWORDS" log \
	"layerscan/this: wall $(ratio wall log), cpu $(ratio cpu log)"
row "git cat-file --batch-all-objects --batch" cat \
	"layerscan/this: wall $(ratio wall cat), cpu $(ratio cpu cat)"
[ "$same" = yes ] || { echo "bench-git: the fast path and the full scan differ" >&2; status=1; }
case $refsame in NO) echo "bench-git: findings differ from the reference's" >&2; status=1 ;; esac
}

status=0
if [ -n "${REPO:-}" ]; then
	bench_one "$REPO"
else
	for name in curl git; do
		mirror=/work/.mirror/$name+$name/repo
		if [ -d "$cache/$name.git" ] || [ -d "$mirror" ]; then
			bench_one "$(clone "$name" "$mirror")"
		else
			echo
			echo "bench-git: skipping $name: no mirror at '$mirror' (fetch it with the search tool: fetch github:$name/$name)"
		fi
	done
fi
exit $status
