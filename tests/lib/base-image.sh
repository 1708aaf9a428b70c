#!/bin/sh
# base-image.sh - make the local base image that tests and fixtures build
# FROM.  There is no registry on these machines, so the image is made from
# Debian's busybox-static: a root filesystem with /bin/busybox and its
# applets, users root (0) and app (1000), imported with `podman import`.
#
# usage: tests/lib/base-image.sh        (no-op when the image exists)
# prints nothing on success; the image is localhost/layerscan-busybox:latest
set -eu
name=localhost/layerscan-busybox:latest
podman image exists "$name" && exit 0

bb=/bin/busybox
[ -x "$bb" ] || { echo "base-image.sh: $bb missing (apt-get install busybox-static)" >&2; exit 1; }
case "$(file -b "$bb" 2>/dev/null || echo static)" in
*dynamic*) echo "base-image.sh: $bb is dynamically linked; install busybox-static" >&2; exit 1 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=$tmp/rootfs
mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root" "$r/home/app" "$r/app"
chmod 1777 "$r/tmp"
cp "$bb" "$r/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\napp:x:1000:\n' > "$r/etc/group"
tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$r" -cf "$tmp/rootfs.tar" .
podman import --quiet --change 'CMD ["/bin/sh"]' "$tmp/rootfs.tar" "$name" >/dev/null
