# A decompression bomb inside a layer (300 MB of zeros as a 0.3 MB .tar.gz)
# is stopped at the ratio limit, reported naming image, layer and file,
# exits 2, and does not take long or much memory.
#
# Memory: the peak RSS of a scan with 2 threads (GNU time's "Maximum
# resident set size"; ~25 MB natively) must stay under 60 MB, less than the
# 64 MB the nested archive inflates to before its ratio is judged
# (LS_RATIO_FLOOR_NESTED), so holding those bytes in memory fails the test.
# An ASan build (check-san) needs ~80 MB: its bound is 160 MB.  Under
# valgrind (check-valgrind) the measured run is native (LS_VG_SKIP) and the
# other run is checked by memcheck.
. "$TOP/tests/e2e/lib.sh"
command -v podman >/dev/null 2>&1 || fail "podman is not installed"
[ -x /usr/bin/time ] || fail "GNU time missing (/usr/bin/time): src/tools/deps.sh test installs it"
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

# peak memory, natively (LS_VG_SKIP: under valgrind RSS is valgrind's)
bound=60
real=${LS_VG_REAL:-$LAYERSCAN}
if ldd "$real" 2>/dev/null | grep -q libasan; then
	bound=160
fi
set +e
LS_VG_SKIP="peak RSS is measured natively" /usr/bin/time -v -o time.log \
	timeout 60 "$LAYERSCAN" image --threads 2 bomb.tar >out 2>err
st=$?
set -e
expect_status 2
expect_err 'decompression bomb'
kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): \([0-9]*\)$/\1/p' time.log)
[ -n "$kb" ] || { cat time.log; fail "no peak RSS in GNU time's report"; }
echo "peak RSS $((kb / 1024)) MB (bound $bound MB)"
[ "$kb" -gt 8192 ] || fail "peak RSS of $kb kB is not plausible: did time measure layerscan?"
[ "$kb" -lt $((bound * 1024)) ] || fail "peak RSS $((kb / 1024)) MB, above the $bound MB bound"
