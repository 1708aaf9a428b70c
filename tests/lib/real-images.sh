#!/bin/sh
# real-images.sh - build the realistic images of issue #16 the way users make
# them, and save each as a docker-archive in a cache outside the repository.
#
#   real-base          FROM a debootstrap minbase of bookworm that keeps its
#                      documentation (usr/share/doc, man pages, locales: the
#                      debootstrap default, unlike the -slim trim of
#                      tests/lib/debian-base.sh) + `RUN apt-get install
#                      python3 curl ca-certificates`, apt lists removed
#   real-node          real-base + `RUN apt-get install nodejs npm` (Debian's
#                      packages) + a service: fixtures/real/node-service with
#                      node_modules from `npm ci --omit=dev` run on the host
#                      (the build cannot reach the npm registry), COPY'd to
#                      /srv/app, USER node
#   real-node-planted  real-node + layers that plant fake secrets where
#                      path-based scanners stop looking; fixtures/real/
#                      planted.tsv lists each one
#
# usage: tests/lib/real-images.sh [NAME...]     (default: all three)
#        tests/lib/real-images.sh --path NAME   print the archive's path
#
# Archives: $cache/NAME.tar (docker-archive, `podman save`), where cache is
# ${LS_CACHE_DIR:-~/.cache/layerscan}/real.  Each archive has a stamp holding
# a hash of its inputs (this script, the fixture files, the parent's stamp);
# an archive whose stamp matches is not rebuilt, so a second run is a no-op.
# The podman images are tagged localhost/layerscan-real:NAME.  Concurrent runs
# wait for each other (flock on $cache/real.lock).  Builds use
# --isolation=chroot, --pull=never and --network=host (apt-get in RUN steps
# fetches from $LS_DEBIAN_MIRROR, default deb.debian.org).
#
# One layer per instruction, as docker build makes them (--layers; --no-cache
# so that nothing comes from a layer cache of another run).
#
# Each step's wall time is appended to $cache/timings.log ("NAME STEP SECONDS").
#
# Needs root, debootstrap, podman, npm, flock; the npm registry and the
# Debian mirror must be reachable for a cold build.  Recommends are not
# installed (--no-install-recommends, as hadolint's DL3015 asks);
# LS_REAL_RECOMMENDS=1 installs them (a bigger image: git, node-tap, ...).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=$top/fixtures/real
suite=bookworm
mirror=${LS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${LS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/layerscan}/real
repo=localhost/layerscan-real
rootfs_tar=$cache/debian-$suite-minbase-docs.tar
recommends=--no-install-recommends
[ "${LS_REAL_RECOMMENDS:-0}" = 1 ] && recommends=
all="real-base real-node real-node-planted"

die() {
	echo "real-images.sh: $*" >&2
	exit 1
}

say() {
	echo "real-images.sh: $*" >&2
}

if [ "${1:-}" = --path ]; then
	[ $# = 2 ] || die "usage: real-images.sh --path NAME"
	echo "$cache/$2.tar"
	exit 0
fi

for t in podman flock sha256sum tar; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done

mkdir -p "$cache"
exec 9>"$cache/real.lock"
flock 9

now() {
	date +%s
}

# time_step NAME STEP COMMAND...: run COMMAND, log its wall time
time_step() {
	_n=$1 _s=$2
	shift 2
	_t0=$(now)
	"$@"
	_t1=$(now)
	echo "$_n $_s $((_t1 - _t0))" >>"$cache/timings.log"
	say "$_n: $_s took $((_t1 - _t0)) s"
}

# The debootstrap rootfs, untrimmed: minbase with documentation, manual
# pages and locales as dpkg installs them.  Made once, cached as a tarball.
make_rootfs() {
	[ "$(id -u)" = 0 ] || die "debootstrap needs root"
	command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing (apt-get install debootstrap)"
	tmp=$(mktemp -d "$cache/rootfs.XXXXXX")
	cleanup() {
		for m in $(awk -v t="$tmp/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do
			umount -l "$m" 2>/dev/null || true
		done
		rm -rf "$tmp"
	}
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
	r=$tmp/rootfs
	say "debootstrap --variant=minbase $suite (once; cached in $cache)"
	if ! debootstrap --variant=minbase "$suite" "$r" "$mirror" >"$tmp/log" 2>&1; then
		tail -n 20 "$tmp/log" >&2
		die "debootstrap failed (last 20 lines of its log above)"
	fi
	# The apt sources of the official image (deb822), so RUN apt-get sees
	# the release, its updates and the security archive.
	rm -f "${r:?}/etc/apt/sources.list"
	cat >"${r:?}/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	if awk -v t="${r:?}/" 'index($2, t) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		die "something is still mounted below $r; not cleaning it"
	fi
	rm -rf "${r:?}/var/lib/apt/lists/"* "${r:?}/var/cache/apt/"*.bin \
		"${r:?}/var/cache/apt/archives/"*.deb "${r:?}/var/log/"* "${r:?}/debootstrap"
	rm -rf "${r:?}/dev/"* "${r:?}/proc/"* "${r:?}/sys/"* "${r:?}/run/"* "${r:?}/tmp/"*
	: >"${r:?}/etc/resolv.conf"
	echo localhost >"${r:?}/etc/hostname"
	tar --numeric-owner --sort=name --xattrs -C "$r" -cf "$tmp/rootfs.tar" .
	mv "$tmp/rootfs.tar" "$rootfs_tar"
	cleanup
	trap - EXIT INT TERM HUP
}

# hash of files and strings given: `inputs_hash FILE... -- STRING...`
inputs_hash() {
	{
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			printf 'file %s\n' "$1"
			cat "$1"
			shift
		done
		[ $# -gt 0 ] && shift
		printf 'str %s\n' "$@"
	} | sha256sum | cut -c1-16
}

stamp_of() {
	cat "$cache/$1.stamp" 2>/dev/null || echo none
}

# fresh NAME HASH: the archive exists, its stamp is HASH and the image is
# in podman's storage (loaded again from the archive when it is not)
fresh() {
	[ -s "$cache/$1.tar" ] && [ "$(stamp_of "$1")" = "$2" ] || return 1
	if ! podman image exists "$repo:$1-$2"; then
		podman load -q -i "$cache/$1.tar" >/dev/null || return 1
		podman image exists "$repo:$1-$2" || return 1
	fi
	podman tag "$repo:$1-$2" "$repo:$1"
}

# build NAME HASH CONTEXT CONTAINERFILE [BUILD-ARGS...]
build() {
	_n=$1 _h=$2 _ctx=$3 _cf=$4
	shift 4
	_old=$(stamp_of "$_n")
	time_step "$_n" build podman build --quiet --isolation=chroot --pull=never \
		--network=host --layers --no-cache -f "$_cf" -t "$repo:$_n-$_h" "$@" "$_ctx" >/dev/null
	podman tag "$repo:$_n-$_h" "$repo:$_n"
	rm -f "$cache/$_n.tar" "$cache/$_n.stamp"
	time_step "$_n" save podman save -q --format docker-archive -o "$cache/$_n.tar.tmp" \
		"$repo:$_n-$_h"
	mv "$cache/$_n.tar.tmp" "$cache/$_n.tar"
	echo "$_h" >"$cache/$_n.stamp"
	# the image this one replaces: removed, or only untagged while an
	# image built on it is still stored
	if [ "$_old" != "$_h" ] && podman image exists "$repo:$_n-$_old"; then
		podman rmi "$repo:$_n-$_old" >/dev/null 2>&1 || podman untag "$repo:$_n-$_old"
	fi
}

# bump when the way the images are built changes (a build step in this
# script, not a fixture file: those are hashed themselves)
recipe='recipe-v2'

ensure_debian() {
	h=$(inputs_hash -- "$suite" "$mirror" rootfs-v1)
	debian=$repo:debian-$h
	# the stamp: the hash, then when this tarball was made (so that the
	# images built on it are rebuilt when it is made again)
	if ! [ -s "$rootfs_tar" ] || [ "$(cut -d' ' -f1 "$rootfs_tar.stamp" 2>/dev/null)" != "$h" ]; then
		time_step debian debootstrap make_rootfs
		echo "$h $(now)" >"$rootfs_tar.stamp"
		# a new root filesystem: import it again
		! podman image exists "$debian" || podman untag "$debian"
	fi
	podman image exists "$debian" ||
		time_step debian import podman import --quiet \
			--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			--change 'CMD ["bash"]' "$rootfs_tar" "$debian" >/dev/null
}

ensure_real_base() {
	ensure_debian
	h=$(inputs_hash "$fixtures/base.Containerfile" -- "$(cat "$rootfs_tar.stamp")" \
		"$recommends" "$recipe")
	fresh real-base "$h" && return 0
	say "building real-base"
	build real-base "$h" "$fixtures" "$fixtures/base.Containerfile" \
		--build-arg "BASE=$debian" --build-arg "RECOMMENDS=$recommends"
}

# The service's context: the committed files plus node_modules from npm ci
# on the host, in the cache (never in the repository).
node_context() {
	ctx=$cache/node-service
	src=$fixtures/node-service
	rm -rf "$ctx"
	mkdir -p "$ctx"
	(cd "$src" && tar -cf - --exclude=node_modules .) | tar -xf - -C "$ctx"
	command -v npm >/dev/null 2>&1 || die "npm is not installed"
	(cd "$ctx" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >"$cache/npm-ci.log" 2>&1) || {
		tail -n 20 "$cache/npm-ci.log" >&2
		die "npm ci failed in $ctx (log: $cache/npm-ci.log)"
	}
}

ensure_real_node() {
	ensure_real_base
	files=$(cd "$fixtures/node-service" && find . -type f ! -path './node_modules/*' | LC_ALL=C sort)
	# shellcheck disable=SC2086 # fixture names, no blanks: split on purpose
	h=$(cd "$fixtures/node-service" && inputs_hash $files "$fixtures/node.Containerfile" -- \
		"$(stamp_of real-base)" "$recommends" "$recipe")
	fresh real-node "$h" && return 0
	say "building real-node"
	time_step real-node npm-ci node_context
	build real-node "$h" "$ctx" "$fixtures/node.Containerfile" \
		--build-arg "BASE=$repo:real-base-$(stamp_of real-base)" \
		--build-arg "RECOMMENDS=$recommends"
	rm -rf "$ctx" # 200 MB of node_modules, in the image now
}

ensure_real_node_planted() {
	ensure_real_node
	pd=$fixtures/planted
	files=$(cd "$pd" && find . -type f | LC_ALL=C sort)
	# shellcheck disable=SC2086 # fixture names, no blanks: split on purpose
	h=$(cd "$pd" && inputs_hash $files "$fixtures/planted.tsv" -- "$(stamp_of real-node)" "$recipe")
	fresh real-node-planted "$h" && return 0
	say "building real-node-planted"
	build real-node-planted "$h" "$pd" "$pd/Containerfile" \
		--build-arg "BASE=$repo:real-node-$(stamp_of real-node)"
}

# shellcheck disable=SC2086 # the list of names
[ $# -gt 0 ] || set -- $all
for n in "$@"; do
	case $n in
	real-base) ensure_real_base ;;
	real-node) ensure_real_node ;;
	real-node-planted) ensure_real_node_planted ;;
	*) die "unknown image $n (known: $all)" ;;
	esac
done
