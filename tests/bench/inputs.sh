#!/bin/sh
# inputs.sh - build the benchmark's inputs on this machine (nothing large is
# committed), cached under $BENCH_DIR (default /var/tmp/layerscan-bench) so
# reruns are quick.  Each step leaves a marker file; delete a step's output
# (or the whole directory) to rebuild it.
#
#   tree/rootfs   a Debian bookworm minbase rootfs (debootstrap --foreign,
#                 then every downloaded package unpacked with dpkg-deb -x)
#                 with python3, perl, git and the Go 1.19 source tree
#   tree/linux    part of the Linux 6.1 source (kernel, mm, fs, net,
#                 include, lib, crypto, security, Documentation)
#   tree/planted  a few fake, clearly marked secrets (see planted_secrets)
#   image.docker.tar  a ~1 GB podman image, several COPY layers of the tree,
#   image.oci.tar     saved as docker-archive and as oci-archive (gzip)
#   oci-blobs/    the oci-archive unpacked, and oci-layers.list naming its
#                 gzip layer blobs, for the zcat floor
#
# usage: tests/bench/inputs.sh    (prints the cache directory)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${BENCH_DIR:-/var/tmp/layerscan-bench}
mirror=${BENCH_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$B"
cd "$B"
log() { echo "inputs: $*" >&2; }

# --- the text tree ---------------------------------------------------------
if [ ! -e tree/.rootfs-done ]; then
	log "debootstrap (minbase + python3, perl, git, golang-1.19-src)"
	rm -rf rootfs.tmp tree/rootfs
	debootstrap --foreign --variant=minbase \
		--include=python3,perl,git,golang-1.19-src,libpython3.11-testsuite \
		bookworm rootfs.tmp "$mirror" >debootstrap.log 2>&1 ||
		{ tail -20 debootstrap.log >&2; exit 1; }
	# --foreign unpacks only the required set; unpack the rest too (the
	# files are what matters here, not a bootable system)
	for d in rootfs.tmp/var/cache/apt/archives/*.deb; do
		dpkg-deb -x "$d" rootfs.tmp
	done
	rm -rf rootfs.tmp/var/cache/apt/archives/*.deb rootfs.tmp/debootstrap \
		rootfs.tmp/dev rootfs.tmp/proc rootfs.tmp/sys
	mkdir -p tree
	mv rootfs.tmp tree/rootfs
	touch tree/.rootfs-done
fi
if [ ! -e tree/.linux-done ]; then
	log "Linux source (apt-get download linux-source-6.1)"
	rm -rf linux.tmp tree/linux
	[ -n "$(ls linux-source-6.1_*_all.deb 2>/dev/null)" ] ||
		apt-get download linux-source-6.1 >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get download linux-source-6.1; }
	mkdir linux.tmp
	dpkg-deb --fsys-tarfile linux-source-6.1_*_all.deb |
		tar -xOf - --wildcards '*/usr/src/linux-source-*.tar.xz' |
		xz -dc | tar -C linux.tmp --strip-components=1 -xf -
	for e in linux.tmp/* linux.tmp/.[!.]*; do
		case "${e#linux.tmp/}" in
		kernel|mm|fs|net|include|lib|crypto|security|Documentation) ;;
		*) rm -rf "$e" ;;
		esac
	done
	mv linux.tmp tree/linux
	touch tree/.linux-done
fi

# Fake secrets, made of pieces so this script itself holds none whole.
planted_secrets() {
	d=$1
	mkdir -p "$d/app/config" "$d/home/dev/.ssh"
	printf '# fake credentials for the layerscan benchmark\n[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
		"AKIA""QYLPMN5HFIQR7XPE" "Fq3vD8kX2mLp9Qz""Wb4NcR7tY1uJ6hSe0aGiVoKx" \
		>"$d/app/config/aws-credentials"
	printf 'GITHUB_TOKEN=%s\n' "ghp_""a8Kd02mXqP7rT5vW9zB3nC6yL1hJ4f""2MNm4O" >"$d/app/.env.production"
	printf 'const slack = "%s";\n' "xoxb-""263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1" \
		>"$d/app/notify.js"
	{
		echo "-----BEGIN OPENSSH PRIVATE KEY-----"
		echo "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
		echo "QyNTUxOQAAACDz1jdXz5oK7Lq8hF5oJm4tVZQf1zG0m9u3a0Qqd8sxHAAAAJiYQ2lmmENp"
		echo "ZgAAAAtzc2gtZWQyNTUxOQAAACDz1jdXz5oK7Lq8hF5oJm4tVZQf1zG0m9u3a0Qqd8sxHA"
		echo "AAAEC3ZlEn7kN0y7m1M2p9wYc0hT8lXo6fQ2gU1sRk4dJvZfPWN1fPmgrsurwYXmgmbi1V"
		echo "lB/XMbSb27drRCp3yzEcAAAAEWJlbmNoQGxheWVyc2NhbgECAwQF"
		echo "-----END OPENSSH PRIVATE KEY-----"
	} >"$d/home/dev/.ssh/id_ed25519"
}
if [ ! -e tree/.planted-done ]; then
	rm -rf tree/planted
	planted_secrets tree/planted
	touch tree/.planted-done
fi

# --- the image ---------------------------------------------------------------
# Layers: busybox base, rootfs/usr, the rest of the rootfs and the planted
# secrets, linux, and a second copy of usr/share and linux (other paths,
# so other layers): about 1 GB uncompressed.
if [ ! -e .image-done ]; then
	log "podman build (about 1 GB, several COPY layers)"
	sh "$top/tests/lib/base-image.sh"
	cat >Containerfile <<'EOF'
FROM localhost/layerscan-busybox:latest
COPY rootfs/usr /bench/rootfs/usr
COPY rootfs/etc /bench/rootfs/etc
COPY rootfs/var /bench/rootfs/var
COPY planted /bench/planted
COPY linux /bench/linux
COPY rootfs/usr/share /bench/copy/share
COPY linux /bench/copy/linux
EOF
	printf '.*-done\n' >containerignore
	# --no-cache: other builds share this storage, and a cache lookup can
	# trip over their half-removed layers
	podman build -q --no-cache --isolation=chroot --format docker \
		-f Containerfile --ignorefile containerignore \
		-t localhost/layerscan-bench:latest tree >/dev/null
	rm -f image.docker.tar image.oci.tar
	podman save -q --format docker-archive -o image.docker.tar localhost/layerscan-bench:latest
	podman save -q --format oci-archive -o image.oci.tar localhost/layerscan-bench:latest
	rm -f .floors-done
	touch .image-done
fi
if [ ! -e .floors-done ]; then
	log "unpacking the saved images for the floors"
	rm -rf oci-blobs && mkdir oci-blobs
	tar -C oci-blobs -xf image.oci.tar
	: >oci-layers.list
	for f in oci-blobs/blobs/sha256/*; do
		[ "$(head -c2 "$f" | od -An -tx1 | tr -d ' ')" = 1f8b ] &&
			echo "$B/$f" >>oci-layers.list
	done
	touch .floors-done
fi
echo "$B"
