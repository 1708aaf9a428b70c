# Limits on images (docs/limits.md), on inputs made here by hostile.py:
# gzip and zstd layer bombs (8 GiB and 4 GiB of zeros in a few hundred KB),
# zip and tar.gz bombs inside a layer, a layer of a million and one empty
# files, an over-long entry name, deep and big JSON, a file over
# --max-file-size, truncated and corrupt layers, --timeout and
# --allow-partial.  Each limit is an error naming the image, the layer,
# the entry and the flag; the scan stops in bounded time (the runs are
# under `timeout`) and bounded memory (peak RSS by /usr/bin/time).
. "$TOP/tests/e2e/lib.sh"
command -v python3 >/dev/null 2>&1 || fail "python3 is not installed"
command -v zstd >/dev/null 2>&1 || fail "zstd is not installed"
[ -x /usr/bin/time ] || fail "/usr/bin/time is not installed (Debian package time)"
H="$TOP/tests/e2e/hostile.py"
TOK=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

# peak RSS bound: the scanner's fixed buffers are a few MB per thread; the
# largest case, the million paths kept for the whiteout checks, peaks at
# ~80 MB.  Under ASan (redzones around every allocation, a quarantine of
# freed memory) the same run peaks at ~600 MB.
RSS_MAX_KB=400000
if ldd "$LAYERSCAN" 2>/dev/null | grep -q libasan; then
	RSS_MAX_KB=1500000
fi

# scan ARGS...: run with a 120 s timeout and peak RSS in ./rss
# Under valgrind (make check-valgrind) the inputs that inflate or list
# GiBs run natively: memcheck would take many minutes over them, and
# valgrind's own memory would break the RSS bound.  The same code paths
# run under memcheck on the small inputs here and in 155 and 160, and under
# ASan on these inputs too (check-san).
scan() {
	for _a in "$@"; do _last=$_a; done
	case "$_last" in
	gzbomb*.tar | zbomb.tar | nested-bomb.tar | many.tar | big-img.tar)
		LS_VG_SKIP="GiB-scale input (bomb, a million entries): too slow under memcheck; ASan covers it"
		export LS_VG_SKIP ;;
	esac
	run timeout 120 /usr/bin/time -f %M -o rss "$LAYERSCAN" "$@"
	unset LS_VG_SKIP
	[ "$st" -ne 124 ] || fail "layerscan $*: hung (killed after 120 s)"
	[ "$st" -le 2 ] || { cat err; fail "layerscan $*: exit $st (crashed?)"; }
	rss=$(tail -n 1 rss)
	[ "$rss" -lt "$RSS_MAX_KB" ] || fail "layerscan $*: peak RSS $rss KB"
}
# the one layer of IMAGE.tar made by hostile.py image from LAYER
layer_of() {
	echo "$(sha256sum "$1" | cut -c1-64)\\.tar"
}

mkdir -p tok/app
printf 'T=%s\n' "$TOK" >tok/app/token.env
tar -cf tok.tar -C tok app

# --- gzip layer bomb: 8 GiB of zeros; stopped by the ratio past 1 GiB
python3 "$H" gzbomb gz.tar.gz 8192 || fail "hostile.py gzbomb"
python3 "$H" image gzbomb.tar gz.tar.gz || fail "hostile.py image"
scan image gzbomb.tar
expect_status 2
expect_err "^layerscan: 'gzbomb\\.tar': layer $(layer_of gz.tar.gz): decompression bomb: [0-9]+ bytes from [0-9]+, reaching --max-ratio \\(200:1\\), at 'zeros\\.bin': the rest of the layer was not scanned$"
# without the ratio, --max-layer-size stops it
scan image --max-ratio 0 --max-layer-size 512MiB gzbomb.tar
expect_status 2
expect_err "^layerscan: 'gzbomb\\.tar': layer $(layer_of gz.tar.gz): inflates to more than --max-layer-size \\(512 MiB\\), at 'zeros\\.bin': the rest of the layer was not scanned$"

# --- zstd layer bomb: 4 GiB of zeros as 4096 frames of 1 MiB
python3 "$H" tarhead head.tar zeros.bin 4294967296 || fail "hostile.py tarhead"
zstd -q -f head.tar -o head.zst
head -c 1048576 /dev/zero | zstd -q -19 >z4096
i=0
while [ $i -lt 12 ]; do cat z4096 z4096 >z2 && mv z2 z4096; i=$((i + 1)); done
cat head.zst z4096 >zb.tar.zst
[ "$(zstd -dc zb.tar.zst | head -c 600 | tail -c 88 | tr -d '\0' | wc -c)" -eq 0 ] ||
	fail "the zstd bomb does not start with a header and zeros"
python3 "$H" image zbomb.tar zb.tar.zst || fail "hostile.py image"
scan image zbomb.tar
expect_status 2
expect_err "^layerscan: 'zbomb\\.tar': layer $(layer_of zb.tar.zst): decompression bomb: .*--max-ratio \\(200:1\\)"

# --- bombs inside a layer: a zip and a tar.gz of 600 MB of zeros, next to
# a token that is still found
mkdir -p nested/app
python3 "$H" zipbomb nested/app/z.zip 600 || fail "hostile.py zipbomb"
head -c 629145600 /dev/zero >zeros.bin
tar -czf nested/app/inner.tar.gz zeros.bin
rm zeros.bin
cp tok/app/token.env nested/app/
tar -cf nested.tar -C nested app
python3 "$H" image nested-bomb.tar nested.tar || fail "hostile.py image"
scan image --format json nested-bomb.tar
expect_status 2
l=$(layer_of nested.tar)
expect_err "^layerscan: 'nested-bomb\\.tar': layer $l: 'app/z\\.zip': decompression bomb: [0-9]+ bytes from [0-9]+, reaching --max-ratio \\(200:1\\): the rest was not scanned$"
expect_err "^layerscan: 'nested-bomb\\.tar': layer $l: 'app/inner\\.tar\\.gz': decompression bomb: "
[ "$(grep -c "decompression bomb" err)" -eq 2 ] || { cat err; fail "each bomb is reported once"; }
expect_out '"path": "app/token\.env"'
# --max-nested-size, with the ratio off
scan image --max-ratio 0 --max-nested-size 32MiB nested-bomb.tar
expect_status 2
expect_err "^layerscan: 'nested-bomb\\.tar': layer $l: 'app/z\\.zip': nested archive inflates to more than --max-nested-size \\(32 MiB\\): the rest was not scanned$"
expect_err "^layerscan: 'nested-bomb\\.tar': layer $l: 'app/inner\\.tar\\.gz': nested archive inflates to more than --max-nested-size \\(32 MiB\\)"
# --allow-partial: the same errors, exit by findings
scan image --allow-partial nested-bomb.tar
expect_status 1
expect_err "decompression bomb"
expect_err "^layerscan: 2 errors: the scan is incomplete \\(--allow-partial"

# --- a million and one empty files in one layer: --max-entries
python3 "$H" many many.tar.gz 1000001 || fail "hostile.py many"
python3 "$H" image many.tar many.tar.gz tok.tar || fail "hostile.py image"
scan image many.tar
expect_status 2
expect_err "^layerscan: 'many\\.tar': layer $(layer_of many.tar.gz): more than --max-entries \\(1000000\\) entries: the rest was not scanned$"
expect_out 'app/token\.env'
scan image --max-entries 1000 many.tar
expect_status 2
expect_err "more than --max-entries \\(1000\\) entries"
scan image --max-entries 0 many.tar
expect_status 1
[ ! -s err ] || { cat err; fail "--max-entries 0 is no limit"; }
scan image --allow-partial many.tar
expect_status 1
expect_err "more than --max-entries"

# --- an entry name of 5000 bytes: --max-path-length
long=$(printf '%05000d' 0 | tr 0 a)
python3 - "$long" "$TOK" <<'PY' || fail "long name layer"
import io, sys, tarfile
with tarfile.open("long.tar", "w", format=tarfile.PAX_FORMAT) as t:
    data = ("T=" + sys.argv[2] + "\n").encode()
    ti = tarfile.TarInfo("app/" + sys.argv[1] + ".env")
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
PY
python3 "$H" image long-img.tar long.tar || fail "hostile.py image"
scan image long-img.tar
expect_status 2
expect_err "^layerscan: 'long-img\\.tar': layer $(layer_of long.tar): an entry name of 5008 bytes is longer than --max-path-length \\(4096\\): 'app/a{60}\\.\\.\\.' was not scanned$"
scan image --max-path-length 0 long-img.tar
expect_status 1
expect_out "github-pat"

# --- JSON: a config nested 101 deep (an object holding 100 arrays); one
# bigger than --max-json-size
python3 "$H" deepjson deep.json 100 || fail "hostile.py deepjson"
python3 "$H" image deep-img.tar tok.tar --config deep.json || fail "hostile.py image"
scan image deep-img.tar
expect_status 2
expect_err "^layerscan: 'deep-img\\.tar': config '[0-9a-f]{64}\\.json': JSON nested 101 deep, deeper than --max-json-depth \\(64\\): not read$"
scan image --max-json-depth 101 deep-img.tar
if grep -q -- "--max-json-depth" err; then cat err; fail "--max-json-depth 101 still refused a depth of 101"; fi
python3 "$H" image tok-img.tar tok.tar || fail "hostile.py image"
scan image --max-json-size 100 tok-img.tar
expect_status 2
expect_err "^layerscan: 'tok-img\\.tar': '[0-9a-f]{64}\\.json': JSON document larger than --max-json-size \\(100 bytes\\): not read$"

# --- a text file over --max-file-size: the error names image, layer, file
mkdir -p big/app
{ printf 'T=%s\n' "$TOK"; head -c 3145728 /dev/zero | tr '\0' 'x'; } >big/app/big.txt
tar -cf big.tar -C big app
python3 "$H" image big-img.tar big.tar || fail "hostile.py image"
scan image --max-file-size 1MiB big-img.tar
expect_status 2
expect_err "^layerscan: 'big-img\\.tar': layer $(layer_of big.tar): 'app/big\\.txt': file is larger than --max-file-size \\(1 MiB\\): the rest was not scanned$"
expect_out "github-pat"
scan image --max-file-size 1MiB --allow-partial big-img.tar
expect_status 1
scan image big-img.tar
expect_status 1
[ ! -s err ] || { cat err; fail "a 3 MiB file is under the default --max-file-size"; }

# --- truncated and corrupt layers
head -c 100000 gz.tar.gz >trunc.tar.gz
python3 "$H" image trunc-img.tar trunc.tar.gz tok.tar || fail "hostile.py image"
scan image trunc-img.tar
expect_status 2
expect_err "^layerscan: 'trunc-img\\.tar': layer $(layer_of trunc.tar.gz): "
expect_out "github-pat"
{ head -c 5000 zb.tar.zst; head -c 5000 /dev/urandom; } >corrupt.tar.zst
python3 "$H" image corrupt-img.tar corrupt.tar.zst tok.tar || fail "hostile.py image"
scan image corrupt-img.tar
expect_status 2
expect_err "^layerscan: 'corrupt-img\\.tar': layer $(layer_of corrupt.tar.zst): "
head -c 300000 nested/app/z.zip >nested/app/z.zip.part && mv nested/app/z.zip.part nested/app/z.zip
rm -f nested/app/inner.tar.gz
tar -cf trunc-nested.tar -C nested app
python3 "$H" image trunc-nested-img.tar trunc-nested.tar || fail "hostile.py image"
scan image trunc-nested-img.tar
expect_status 2
expect_err "^layerscan: 'trunc-nested-img\\.tar': layer $(layer_of trunc-nested.tar): .*z\\.zip"
expect_out "github-pat"

# --- --timeout: a bomb with every limit off takes minutes; stopped after
# 2 s, the token in the other layer reported, one error naming the flag
python3 "$H" image gzbomb-tok.tar tok.tar gz.tar.gz || fail "hostile.py image"
start=$(date +%s)
scan image --timeout 2s --max-ratio 0 --max-layer-size 0 --max-file-size 0 gzbomb-tok.tar
end=$(date +%s)
expect_status 2
[ $((end - start)) -lt 30 ] || fail "--timeout 2s took $((end - start)) s"
expect_err "^layerscan: the scan took longer than --timeout \\(2 s\\) and was stopped: what was not reached was not scanned$"
expect_out "github-pat"

# --- bad limit values are usage errors
for a in "--max-file-size 1.5MiB" "--max-file-size 10M" "--max-layer-size -1" \
	"--max-ratio x" "--max-json-depth 0" "--max-json-depth 2049" \
	"--max-json-size 2GiB" "--timeout 5x" "--timeout -1"; do
	run "$LAYERSCAN" image $a tok-img.tar
	expect_status 2
	expect_err "^layerscan: --"
done
