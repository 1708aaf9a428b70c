# git memory: peak RSS must not grow with the history beyond the documented
# per-commit and per-blob costs (docs/performance.md, "Git history:
# memory").  Two generated histories of small edits (git fast-import), one
# ten times as long as the other, every commit a new blob; the difference
# of their peak RSS (/usr/bin/time) is held to
#     (commits added) * PER_COMMIT + (blobs added) * PER_BLOB
#     + the growth of the mapped files: the pack index twice (libgit2's
#       mapping and layerscan's), the pack up to LS_GIT_MAPPED_MAX
#     + SLACK
# and the longer one's peak RSS to at most 256 MB.  The release before
# issue #20 kept ~300 bytes per blob for the whole run and fails this.
# LS_GIT_MEM_SMALL / LS_GIT_MEM_BIG change the lengths (20000 / 200000).
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

command -v /usr/bin/time >/dev/null || { echo "skip: no /usr/bin/time"; exit 0; }

small=${LS_GIT_MEM_SMALL:-20000}
big=${LS_GIT_MEM_BIG:-200000}
PER_COMMIT=200          # bytes: the commit graph (docs/performance.md)
PER_BLOB=41             # bytes: an entry of the set of (blob, path) pairs
SLACK=$((24 << 20))     # allocator and libgit2 cache noise

# history N: N commits, each rewriting one of 64 small files; commit N/2
# adds a secret (so the scan is seen to reach the middle)
history() {
	git init -q --bare "h$1.git"
	awk -v n="$1" -v sk="$SK1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			msg = "edit " i
			body = "counter_" (i % 64) " = " i "\n"
			if (i == int(n / 2)) body = body "STRIPE = \"" sk "\"\n"
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "committer Ada <ada@example.com> %d +0000\n", 1700000000 + i
			printf "data %d\n%s\n", length(msg), msg
			if (i > 1) printf "from :%d\n", i - 1
			printf "M 100644 inline src/f%02d.txt\ndata %d\n%s\n", i % 64, length(body), body
		}
	}' | git -C "h$1.git" fast-import --quiet
}

# The bounds are the native build's.  Under make check-valgrind these runs
# go natively (LS_VG_SKIP: memcheck would take hours on 200 k commits, and
# /usr/bin/time would measure valgrind); under the sanitizer pass (an ASan
# binary: shadow memory, redzones and a quarantine of freed blocks) the
# scans run and are checked, the memory bounds are not.
export LS_VG_SKIP="200k-commit histories; the RSS bounds are the native binary's"
san=0
if ldd "$LAYERSCAN" 2>/dev/null | grep -q 'libasan'; then
	san=1
fi

# peak N: peak RSS in bytes of scanning history N (two threads)
peak() {
	set +e
	/usr/bin/time -f %M -o "rss$1" "$LAYERSCAN" git -q --threads 2 --format json -o "out$1" "h$1.git" 2>"err$1"
	st=$?
	set -e
	[ "$st" -eq 1 ] || { cat "err$1"; fail "history $1: expected exit 1, got $st"; }
	n=$(grep -c '"rule":' "out$1")
	[ "$n" -eq 1 ] || fail "history $1: expected one finding, got $n"
	echo $(($(tail -n 1 "rss$1") * 1024))
}

history "$small"
history "$big"
a=$(peak "$small")
b=$(peak "$big")
dc=$((big - small))
# mapped N: bytes of history N's files that may be resident: its pack
# indexes twice, its packs up to 64 MiB (LS_GIT_MAPPED_MAX)
mapped() {
	i=$(cat "h$1.git"/objects/pack/*.idx | wc -c)
	p=$(cat "h$1.git"/objects/pack/*.pack | wc -c)
	[ "$p" -le $((64 << 20)) ] || p=$((64 << 20))
	echo $((2 * i + p))
}
files=$(($(mapped "$big") - $(mapped "$small")))
allowed=$((dc * PER_COMMIT + dc * PER_BLOB + files + SLACK))
echo "mapped files grew $((files >> 20)) MB"
echo "peak RSS: $((a >> 20)) MB at $small commits, $((b >> 20)) MB at $big; grew $(((b - a) >> 20)) MB, allowed $((allowed >> 20)) MB"
if [ "$san" = 1 ]; then
	echo "sanitizer build: the memory bounds are not checked"
	exit 0
fi
[ $((b - a)) -le "$allowed" ] || fail "peak RSS grew $(((b - a) >> 20)) MB from $small to $big commits (allowed $((allowed >> 20)) MB)"
[ "$b" -le $((256 << 20)) ] || fail "peak RSS $((b >> 20)) MB at $big commits (at most 256 MB)"
