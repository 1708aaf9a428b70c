#!/bin/sh
# debian-base.sh - make the local debian:bookworm-slim image that the
# Containerfile's builder stage starts FROM.  There is no registry on these
# machines, so the image is made from Debian's own packages: debootstrap of
# bookworm's minbase variant, trimmed the way the official -slim image is
# (no documentation, manual pages or translations; dpkg told to keep them
# out), then `podman import`ed as localhost/debian:bookworm-slim.
#
# podman resolves the short name `debian:bookworm-slim` in `FROM` to that
# local image (the registries.conf alias docker.io/library/debian is tried
# first, is not in local storage, then localhost/ matches), so a build with
# --pull=never or --pull=missing needs no registry; Docker users get the
# real image from Docker Hub.
#
# usage: tests/lib/debian-base.sh          (no-op when the image exists)
#
# Idempotent and quick after the first run: the root filesystem is cached
# as a tarball ($LS_CACHE_DIR, default ~/.cache/layerscan), so debootstrap
# runs once per machine; a removed image is re-imported from the cache in
# seconds.  Concurrent runs wait for each other (flock).  Needs root and
# debootstrap for the first run only (src/tools/deps.sh installs it).
# Prints nothing on success but what debootstrap takes long to do.
set -eu

name=localhost/debian:bookworm-slim
suite=bookworm
mirror=${LS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${LS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/layerscan}
tarball=$cache/debian-$suite-minbase.tar

die() {
	echo "debian-base.sh: $*" >&2
	exit 1
}

podman image exists "$name" && exit 0

mkdir -p "$cache"
exec 9>"$cache/debian-base.lock"
flock 9
# Someone else may have made it while we waited for the lock.
podman image exists "$name" && exit 0

if [ ! -s "$tarball" ]; then
	[ "$(id -u)" = 0 ] || die "debootstrap needs root (run once as root, or sh src/tools/deps.sh test)"
	command -v debootstrap >/dev/null 2>&1 ||
		die "debootstrap missing (apt-get install debootstrap, or sh src/tools/deps.sh test)"
	tmp=$(mktemp -d "$cache/rootfs.XXXXXX")
	# debootstrap leaves bind mounts behind only when killed mid-way;
	# umount whatever is still mounted below the tree before removing it.
	cleanup() {
		for m in $(awk -v t="$tmp/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do
			umount -l "$m" 2>/dev/null || true
		done
		rm -rf "$tmp"
	}
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
	r=$tmp/rootfs
	echo "debian-base.sh: debootstrap --variant=minbase $suite (once; cached in $cache)" >&2
	if ! debootstrap --variant=minbase "$suite" "$r" "$mirror" >"$tmp/log" 2>&1; then
		tail -n 20 "$tmp/log" >&2
		die "debootstrap failed (full log above, last 20 lines)"
	fi

	# What the official -slim image does: keep documentation, manual pages
	# and translations out, now and for every later apt-get install.
	cat >"${r:?}/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
# as in the official debian:*-slim images: no documentation, manual pages
# or translations (copyright files are kept)
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
	find "${r:?}/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
	find "${r:?}/usr/share/doc" -mindepth 1 -type d -empty -delete
	rm -rf "${r:?}/usr/share/man/"* "${r:?}/usr/share/info/"* "${r:?}/usr/share/locale/"* \
		"${r:?}/usr/share/groff/"* "${r:?}/usr/share/lintian/"*
	# The official image's apt sources: the release, its updates and the
	# security archive, in the deb822 format.
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
	# No package lists, downloaded packages, logs, or the host's resolver
	# and hostname in the image; the engine provides /dev, /proc and /sys.
	# Never delete below a mount point (a bind-mounted host /dev).
	if awk -v t="${r:?}/" 'index($2, t) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		die "something is still mounted below $r; not cleaning it"
	fi
	rm -rf "${r:?}/var/lib/apt/lists/"* "${r:?}/var/cache/apt/"*.bin \
		"${r:?}/var/cache/apt/archives/"*.deb "${r:?}/var/log/"* "${r:?}/debootstrap"
	rm -rf "${r:?}/dev/"* "${r:?}/proc/"* "${r:?}/sys/"* "${r:?}/run/"* "${r:?}/tmp/"*
	: >"${r:?}/etc/resolv.conf"
	echo localhost >"${r:?}/etc/hostname"
	tar --numeric-owner --sort=name --xattrs -C "$r" -cf "$tmp/rootfs.tar" .
	mv "$tmp/rootfs.tar" "$tarball"
fi

podman import --quiet \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'CMD ["bash"]' \
	"$tarball" "$name" >/dev/null
podman image exists "$name" || die "podman import of $tarball did not make $name"
