# A decompression bomb inside a layer (300 MB of zeros as a 0.3 MB .tar.gz)
# is stopped at the ratio limit, reported naming image, layer and file,
# exits 2, and does not take long or much memory.
. "$TOP/tests/e2e/lib.sh"
command -v podman >/dev/null 2>&1 || fail "podman is not installed"
sh "$TOP/tests/lib/base-image.sh" >/dev/null 2>&1 || fail "base image"

mkdir ctx
head -c 300000000 /dev/zero > zeros.bin
tar czf ctx/inner.tar.gz zeros.bin
rm zeros.bin
printf 'FROM localhost/layerscan-busybox:latest\nCOPY inner.tar.gz /app/\n' > ctx/Containerfile
tag=localhost/layerscan-test-bomb:$$
podman build -q --isolation=chroot -t "$tag" ctx > build.log 2>&1 || { cat build.log; fail "podman build"; }
podman save -o bomb.tar "$tag" > /dev/null 2>&1 || fail "podman save"
podman rmi -i "$tag" > /dev/null 2>&1 || true

run timeout 60 "$LAYERSCAN" image bomb.tar
expect_status 2
expect_err "^layerscan: 'bomb\.tar': layer [0-9a-f]+\.tar: 'app/inner\.tar\.gz': decompression bomb"
# it stopped early: well under the 300 MB the bomb inflates to
grep -q 'MB in' out || fail "no summary line"
bytes=$(sed -n 's/.* \([0-9.]*\) MB in .*/\1/p' out)
[ "${bytes%.*}" -lt 200 ] || fail "read $bytes MB: the bomb was not stopped"
