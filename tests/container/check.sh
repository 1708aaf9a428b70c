#!/bin/sh
# check.sh - `make container-check`: build the production image
# (Containerfile) with podman and check what docs/container.md promises.
#
#   1. the image: size under budget, user 1000, the exec-form health check,
#      exactly the expected files (the binary, the shared libraries it needs
#      and the loader: no shell, no package manager); then the image's own
#      binary, run as its configured user: `version`, the health check
#      command, and a scan of a saved image piped on standard input
#   2. `layerscan context .` on this repository (the .containerignore keeps
#      the fake-secret fixtures out) and `layerscan image` on the saved image
#   3. a rebuild after changing one source file, in a copy of the tree: the
#      dependency layer comes from the cache; the time is reported
#   4. reproducibility: two compiles of the same tree with the same
#      --timestamp give the same image ID and layer digest, and the binary
#      of the unchanged tree is the same file
#
# usage: LAYERSCAN=/abs/build/layerscan tests/container/check.sh
# Needs root (buildah run, and uid 1000 checked by file ownership), podman,
# buildah and, on the first run only, debootstrap and Debian's mirrors.
# Leaves the layer cache behind (that is what makes the next run quick) but
# no tags, containers or the rebuilds' builder layers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${LAYERSCAN:=$TOP/build/layerscan}"

MAX_SIZE=25000000        # bytes: the image must stay under 25 MB
MAX_REBUILD=120          # seconds: a source-only change rebuilds well under 2 min
# bytes sent to the build: Makefile, src/ and patterns/ (3.02 MB at 975 rules, 2.13 MB of them the
# rule files with their examples; 2.26 MB at 633 rules, 1.88 MB at 472): the rules grow, nothing
# else may come in (the file list is checked below)
MAX_CONTEXT=4000000
BIN=/usr/local/bin/layerscan

fail() {
	echo "container-check: FAIL: $*" >&2
	exit 1
}
say() {
	echo "container-check: $*"
}

[ "$(id -u)" = 0 ] || fail "run as root: buildah run, and the uid check reads file ownership"
[ -x "$LAYERSCAN" ] || fail "LAYERSCAN=$LAYERSCAN is not an executable"
for t in podman buildah readelf; do
	command -v "$t" >/dev/null 2>&1 || fail "$t missing (sh src/tools/deps.sh test)"
done

tmp=$(mktemp -d)
run=lscheck$$
main=localhost/layerscan-check:main-$$
tags=
ctr=
# Image IDs each rebuild made (not taken from the cache), removed at the
# end; the first build's layers stay as the cache for the next run.
newids=
cleanup() {
	st=$?
	[ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1
	for t in $tags; do podman rmi "$t" >/dev/null 2>&1 || true; done
	for i in $newids; do podman rmi "$i" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
	exit $st
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# snapshot DIR: copy exactly what podman would send (the list layerscan
# prints is the contract being tested), plus the Containerfile and the
# ignore file.  One snapshot for every build, so that edits made to the
# working tree meanwhile cannot make two builds differ.
snapshot() {
	mkdir -p "$1"
	tar -C "$tmp/tree" -cf - . | tar -C "$1" -xf -
}

# build NAME DIR: build DIR as localhost/layerscan-check:NAME-PID, output
# in $tmp/NAME.log, seconds taken in $secs; adds the image IDs it made to
# $newids (children first) unless NAME is main.
build() {
	t0=$(date +%s.%N)
	if ! ls_container_build "$2" "localhost/layerscan-check:$1-$$" "$epoch" >"$tmp/$1.log" 2>&1; then
		tail -n 40 "$tmp/$1.log" >&2
		fail "podman build of $1 failed (last 40 lines above)"
	fi
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	tags="$tags localhost/layerscan-check:$1-$$"
	[ "$1" = main ] && return 0
	# not the final image: with a reproducible build it is main's
	fid=$(inspect '{{.Id}}' "localhost/layerscan-check:$1-$$")
	newids="$(awk -v f="$fid" '/^--> Using cache/ { c = 1; next }
		/^--> [0-9a-f]+$/ { if (!c && index(f, $2) != 1) print $2; c = 0 }' "$tmp/$1.log" | tac) $newids"
}

# cached LOG PATTERN: is the step whose instruction matches PATTERN taken
# from the cache?  (buildah prints "--> Using cache ID" after its STEP line)
cached() {
	awk -v p="$2" '
		$0 ~ /STEP [0-9]+\/[0-9]+: / { s = ($0 ~ p); next }
		s && /^--> / { print ($0 ~ /^--> Using cache/) ? "yes" : "no"; exit }
	' "$1"
}

inspect() { # FORMAT IMAGE
	podman image inspect --format "$1" "$2"
}

sh "$TOP/tests/lib/debian-base.sh"
epoch=$(ls_container_epoch)

# ---- 2a. the build context: small, and nothing in it is a secret
cd "$TOP"
"$LAYERSCAN" context --list-files . >"$tmp/sent" || fail "layerscan context --list-files failed"
bad=$(grep -vE '^(Makefile|src/.+|patterns/[^/]+\.(toml|tsv))$' "$tmp/sent" || true)
[ -z "$bad" ] || fail "the build context would send files it must not:
$bad"
grep -q '^patterns/github\.toml$' "$tmp/sent" || fail "patterns/*.toml are not sent; the build embeds them"
grep -q '^src/main\.c$' "$tmp/sent" || fail "src/ is not sent"
nsent=$(wc -l <"$tmp/sent")
bytes=$(tr '\n' '\0' <"$tmp/sent" | xargs -0 cat | wc -c)
[ "$bytes" -lt "$MAX_CONTEXT" ] || fail "the build context is $bytes bytes (budget $MAX_CONTEXT)"
say "context: $nsent files, $bytes bytes sent to the build"
set +e
"$LAYERSCAN" context --quiet . >"$tmp/context.out" 2>&1
st=$?
set -e
[ "$st" -eq 0 ] || { cat "$tmp/context.out" >&2; fail "layerscan context . exited $st, expected 0"; }
say "context: layerscan context . found nothing (exit 0)"

mkdir -p "$tmp/tree"
tr '\n' '\0' <"$tmp/sent" | tar -C "$TOP" --null --verbatim-files-from -T - -cf - | tar -C "$tmp/tree" -xf -
cp Containerfile .containerignore "$tmp/tree/"

# ---- 1. the image
snapshot "$tmp/main"
build main "$tmp/main"
say "build: $main in ${secs}s (with the layer cache of earlier runs)"
[ "$(inspect '{{.Id}}' debian:bookworm-slim)" = "$(inspect '{{.Id}}' localhost/debian:bookworm-slim)" ] ||
	fail "debian:bookworm-slim does not resolve to localhost/debian:bookworm-slim"

size=$(inspect '{{.Size}}' "$main")
[ "$size" -lt "$MAX_SIZE" ] || fail "image is $size bytes (budget $MAX_SIZE)"
user=$(inspect '{{.Config.User}}' "$main")
[ "$user" = 1000:1000 ] || fail "image user is '$user', expected 1000:1000"
ep=$(inspect '{{json .Config.Entrypoint}}' "$main")
[ "$ep" = "[\"$BIN\"]" ] || fail "entrypoint is $ep"
hc=$(inspect '{{json .Config.Healthcheck.Test}}' "$main")
[ "$hc" = "[\"CMD\",\"$BIN\",\"selftest\",\"--quiet\"]" ] ||
	fail "healthcheck is '$hc', expected the exec form of '$BIN selftest --quiet'"
# shellcheck disable=SC2016 # a Go template, not shell
hc_args=$(inspect '{{range $i, $a := .Config.Healthcheck.Test}}{{if $i}}{{$a}} {{end}}{{end}}' "$main")
hc_args=${hc_args% }

podman save --quiet --format docker-archive -o "$tmp/image.tar" "$main"
archive=$(wc -c <"$tmp/image.tar")
[ "$archive" -lt "$MAX_SIZE" ] || fail "saved image is $archive bytes (budget $MAX_SIZE)"
say "image: $size bytes ($archive saved), user $user, healthcheck $hc"

# Exactly these files: the account files, the binary, the dynamic loader
# it names and the shared libraries it needs, directly or through one
# another (what the builder copied from `ldd`).  No shell, no package
# manager, nothing else.
layers=$(tar -xOf "$tmp/image.tar" manifest.json | sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' ' ')
[ "$(echo "$layers" | wc -w)" -eq 1 ] || fail "expected one layer, got: $layers"
tar -xOf "$tmp/image.tar" "$layers" >"$tmp/layer.tar"
mkdir "$tmp/root"
tar -C "$tmp/root" -xf "$tmp/layer.tar"
tar -tf "$tmp/layer.tar" | sed 's,^\./,,; s,/$,,' | grep -v '^$' | sort >"$tmp/files"
bin=$tmp/root$BIN
interp=$(readelf -l "$bin" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
[ "$interp" = /lib64/ld-linux-x86-64.so.2 ] || fail "the binary's loader is '$interp'"
libdir=lib/x86_64-linux-gnu
needed() { readelf -d "$@" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
{
	needed "$bin"
	for l in "$tmp/root/$libdir"/*; do [ -f "$l" ] && needed "$l"; done
} | sort -u | grep -vx "${interp##*/}" >"$tmp/needed"
{
	printf '%s\n' etc/group etc/passwd "${BIN#/}" "${interp#/}" src
	sed "s,^,$libdir/," "$tmp/needed"
} | awk '{ print; while (sub("/[^/]*$", "")) print }' | sort -u >"$tmp/files.want"
diff -u "$tmp/files.want" "$tmp/files" >&2 ||
	fail "the image holds other files than the binary, its libraries, the loader and /etc/passwd, /etc/group"
bad=$(grep -E '^(libicu|libxml2|libstdc|libgcc_s)' "$tmp/needed" || true)
[ -z "$bad" ] || fail "the binary needs libraries it should link statically or not at all: $bad"
tar -xOf "$tmp/layer.tar" etc/passwd | grep -qx 'layerscan:x:1000:1000:layerscan:/nonexistent:/sbin/nologin' ||
	fail "/etc/passwd lacks the uid 1000 user"
tar -tvf "$tmp/layer.tar" "${BIN#/}" | grep -q '^-rwxr-xr-x 0/0 ' ||
	fail "the binary is not root's with mode 0755: $(tar -tvf "$tmp/layer.tar" "${BIN#/}")"
say "files: $(grep -c . "$tmp/files") entries: the binary, /etc/passwd, /etc/group, the loader and $(tr '\n' ' ' <"$tmp/needed")(nothing else)"

# The image's own binary, as the image's user.  (podman run cannot start
# containers here: crun may not set rlimits; buildah run uses chroot.)
ctr=$(buildah from --pull=never --name "$run" "$main")
crun() { # run the command in the image, status in $st, output in $tmp/out
	set +e
	buildah run --isolation=chroot "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	set -e
}
crun "$ctr" -- layerscan version
[ "$st" -eq 0 ] || fail "layerscan version exited $st: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "$("$LAYERSCAN" version)" ] ||
	fail "the image says '$(cat "$tmp/out")', the tree's binary '$("$LAYERSCAN" version)'"
say "run: $(cat "$tmp/out")"

# The user: a file the binary writes into a directory only uid 1000 may
# write to belongs to uid 1000 (root would make it root's).
mkdir "$tmp/w"
chown 1000:1000 "$tmp/w"
chmod 0700 "$tmp/w"
crun -v "$tmp/w:/w" "$ctr" -- layerscan context --quiet --output /w/probe /etc
[ "$st" -eq 0 ] || fail "layerscan context --output as the image user exited $st: $(cat "$tmp/err")"
owner=$(stat -c %u:%g "$tmp/w/probe")
[ "$owner" = 1000:1000 ] || fail "the image runs as $owner, expected 1000:1000"
say "run: runs as uid:gid $owner"

# The health check, exactly as the image's config has it.
# shellcheck disable=SC2086
crun "$ctr" -- $hc_args
[ "$st" -eq 0 ] || fail "healthcheck '$hc_args' exited $st: $(cat "$tmp/out" "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "healthcheck with --quiet printed: $(cat "$tmp/out")"
crun "$ctr" -- layerscan selftest
grep -q '^selftest: ok' "$tmp/out" || fail "selftest: $(cat "$tmp/out" "$tmp/err")"
say "run: healthcheck '$hc_args' exit 0; $(cat "$tmp/out")"

# A saved image on standard input: the demo image's findings, exactly as
# the tree's binary reports them (exit 1), and this image itself (exit 0).
crun "$ctr" -- layerscan image --format json - <"$TOP/fixtures/demo/image.tar"
[ "$st" -eq 1 ] || fail "demo image on stdin: exit $st, expected 1: $(cat "$tmp/err")"
grep -v '"seconds"' "$tmp/out" >"$tmp/demo.ctr"
set +e
"$LAYERSCAN" image --format json - <"$TOP/fixtures/demo/image.tar" | grep -v '"seconds"' >"$tmp/demo.host"
set -e
diff -u "$tmp/demo.host" "$tmp/demo.ctr" >&2 || fail "the image's findings on the demo image differ from the tree's binary"
n=$(grep -c '"rule":' "$tmp/demo.ctr")
[ "$n" -gt 0 ] || fail "no findings in the demo image"
set +e
podman save --quiet --format docker-archive "$main" |
	buildah run --isolation=chroot "$ctr" -- \
		layerscan image - >"$tmp/out" 2>"$tmp/err"
st=$?
set -e
[ "$st" -eq 0 ] || fail "podman save | layerscan image - in the image: exit $st: $(cat "$tmp/out" "$tmp/err")"
say "run: demo image on stdin: $n findings as on the host; podman save | layerscan image -: $(tail -n 1 "$tmp/out")"

# ---- 2b. layerscan image on the saved image, with no allowlist: exit 0.
# layerscan's own binary must be clean (the rule examples are embedded
# deflated, the selftest canary is built at run time); the only findings
# allowed are the self-test keys mbedTLS compiles into Debian's mbedTLS
# libraries (libgit2 needs them), which are in the published-keys data and
# so reported at info (docs/rules.md, "Published keys").
set +e
"$LAYERSCAN" image --format json "$tmp/image.tar" >"$tmp/self.json"
st=$?
set -e
[ "$st" -eq 0 ] || { cat "$tmp/self.json" >&2; fail "layerscan image on the saved image exited $st, expected 0"; }
others=$(grep '"path":' "$tmp/self.json" |
	grep -Ev '"path": "(usr/)?lib/x86_64-linux-gnu/libmbed(x509|tls|crypto)\.so\.[0-9.]+"' || true)
[ -z "$others" ] || fail "findings in the image outside mbedTLS's libraries:
$others"
nmbed=$(grep -c '"rule":' "$tmp/self.json" || true)
ninfo=$(grep -c '"severity": "info"' "$tmp/self.json" || true)
npub=$(grep -c '"note": "a published test key from' "$tmp/self.json" || true)
[ "$ninfo" -eq "$nmbed" ] && [ "$npub" -eq "$nmbed" ] ||
	fail "of $nmbed findings in mbedTLS's libraries, $ninfo are info and $npub published test keys"
say "image scan: exit 0 with no allowlist ($nmbed published mbedTLS self-test keys at info; none elsewhere, none in layerscan)"

# ---- 2c. the production policy (docs/policy.md) on the saved image: runs
# as uid 1000, has a health check, no build tools or caches, under 25 MB;
# and, stricter, distroless: no shell and no package manager.  Not even an
# informational finding (setuid, world-writable) is allowed.
for pol in production distroless; do
	set +e
	"$LAYERSCAN" image --format json \
		--policy "$pol" --policy-user 1000 --max-size 25MB "$tmp/image.tar" \
		>"$tmp/policy.json" 2>"$tmp/policy.err"
	st=$?
	set -e
	[ "$st" -eq 0 ] || { cat "$tmp/policy.json" "$tmp/policy.err" >&2
		fail "layerscan image --policy $pol on the saved image exited $st, expected 0"; }
	! grep -q '"source": "policy"' "$tmp/policy.json" ||
		{ cat "$tmp/policy.json" >&2; fail "policy findings on layerscan's own image ($pol)"; }
done
say "policy: production and distroless pass (--policy-user 1000 --max-size 25MB), no findings"

# ---- 3. a source-only change, in a copy of the tree
snapshot "$tmp/a"
printf '\n/* container-check %s: rebuild A */\n' "$run" >>"$tmp/a/src/main.c"
build a "$tmp/a"
rebuild=$secs
[ "$(cached "$tmp/a.log" 'RUN sh src/tools/deps.sh')" = yes ] ||
	fail "the dependency layer was rebuilt after a source-only change"
[ "$(cached "$tmp/a.log" 'RUN set -eu')" = no ] || fail "the compile step was not rerun after a source change"
awk -v s="$rebuild" -v m="$MAX_REBUILD" 'BEGIN { exit !(s < m) }' ||
	fail "the cached rebuild took ${rebuild}s (budget ${MAX_REBUILD}s)"
say "rebuild: src/main.c changed: ${rebuild}s (dependencies from the cache, compile rerun)"

# ---- 4. reproducibility: a second compile of the same snapshot (its
# change is a comment, like A's, so the binary must not change) with the
# same --timestamp must give the same image ID and layer as A, and the
# binary of the unchanged tree must be the same file.
# (Only builds compiled in this run are compared by ID: buildah 1.28 takes
# a layer from the cache even when only --timestamp or --build-arg
# SOURCE_DATE_EPOCH differ, so the first build may carry an older date.)
snapshot "$tmp/b"
printf '\n/* container-check %s: rebuild B */\n' "$run" >>"$tmp/b/src/main.c"
build b "$tmp/b"
[ "$(cached "$tmp/b.log" 'RUN set -eu')" = no ] || fail "build B did not compile"
id_a=$(inspect '{{.Id}}' "localhost/layerscan-check:a-$$")
id_b=$(inspect '{{.Id}}' "localhost/layerscan-check:b-$$")
l_a=$(inspect '{{json .RootFS.Layers}}' "localhost/layerscan-check:a-$$")
l_b=$(inspect '{{json .RootFS.Layers}}' "localhost/layerscan-check:b-$$")
[ "$l_a" = "$l_b" ] || fail "two compiles of the same tree made different layers: $l_a $l_b"
[ "$id_a" = "$id_b" ] || fail "two compiles of the same tree with --timestamp $epoch gave image IDs $id_a and $id_b"
podman save --quiet --format docker-archive -o "$tmp/b.tar" "localhost/layerscan-check:b-$$"
lb=$(tar -xOf "$tmp/b.tar" manifest.json | sed -n 's/.*"Layers":\["\([^"]*\)".*/\1/p')
tar -xOf "$tmp/b.tar" "$lb" | tar -xOf - "${BIN#/}" >"$tmp/layerscan.b"
cmp -s "$bin" "$tmp/layerscan.b" || fail "the binary of build B differs from the first build's"
say "reproducible: --timestamp $epoch: two compiles, one image ID ${id_a%"${id_a#????????????}"}, one layer; same binary as the first build"
say "ok"
