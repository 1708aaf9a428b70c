# Bad inputs made from a real saved image (env-removed: layer 1 ships
# app/.env with two secrets, layer 2 removes it): a truncated archive, a
# manifest naming a missing layer, a layer that is not an archive, corrupt
# gzip in an oci-archive layer, an empty file, random bytes, directories
# that are not layouts.  Each exits 2 -- never crashes, never hangs -- with
# messages naming the image (and the layer where there is one), and what
# could be read is still reported.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case env-removed
save_all env-removed
img_tar=env-removed.docker.tar

# scan IMAGE [ARGS]: text report, bounded time
scan() {
	_t=$1
	shift
	run timeout 60 "$LAYERSCAN" image --color never "$@" "$_t"
	[ "$st" -ne 124 ] || fail "'$_t': layerscan hung (killed after 60 s)"
	[ "$st" -le 2 ] || { cat err; fail "'$_t': layerscan exited $st (crashed?)"; }
}

# every message on stderr names the image: "layerscan: 'IMAGE': ..." (the
# closing count "layerscan: N errors: the scan is incomplete" aside)
expect_errors_name() {
	grep -q . err || fail "no message on stderr"
	if grep -v -e "^layerscan: '$1': " -e '^layerscan: [0-9]* errors*: the scan is incomplete$' err >stray; then
		echo "--- stderr"
		cat err
		fail "a message does not name the image '$1': $(head -n 1 stray)"
	fi
}

# exactly one line on stderr
expect_one_line() {
	[ "$(wc -l <err)" -eq 1 ] || { echo "--- stderr"; cat err; fail "expected a one-line message"; }
}

# layer N's member name in a docker-archive
layer_tar() {
	tar -xOf "$1" manifest.json | tr ',[' '\n\n' | grep -o '[0-9a-f]\{64\}\.tar' | sed -n "$(($2 + 1))p"
}
# byte offset of a member's header in a tar (GNU tar -R: block numbers)
member_offset() {
	_b=$(tar -tRf "$1" | sed -n "s/^block \([0-9]*\): $2\$/\1/p" | head -n 1)
	[ -n "$_b" ] || fail "no member $2 in $1"
	echo $((_b * 512))
}

l1=$(layer_tar $img_tar 1)
l2=$(layer_tar $img_tar 2)
[ -n "$l1" ] && [ -n "$l2" ] || fail "cannot find layers 1 and 2 in $img_tar"

# --- truncated after the manifest (in the trailing "repositories" member):
# everything that matters was read, but the scan still says it is incomplete
off=$(member_offset $img_tar repositories)
head -c $((off + 600)) $img_tar >trunc-end.tar
scan trunc-end.tar --format json
expect_status 2
summarize out >findings
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=true hidden_by=2 layers=1
rule=stripe-live-secret-key source=file path=app/.env line=3 col=19 layer=1 hidden=true hidden_by=2 layers=1
rule=github-pat source=file path=app/.env line=4 col=14 layer=1 hidden=true hidden_by=2 layers=1
EOF
expect_out "\"'trunc-end\\.tar': truncated or corrupt archive"
expect_errors_name trunc-end.tar

# --- truncated inside layer 2: layer 1's findings are still reported; the
# error names the image and the layer
off=$(member_offset $img_tar "$l2")
head -c $((off + 512 + 700)) $img_tar >trunc-layer.tar
scan trunc-layer.tar
expect_status 2
expect_out '^CRITICAL stripe-live-secret-key'
expect_out '^ +at +app/\.env:3:19$'
expect_out '^CRITICAL github-pat'
expect_err "^layerscan: 'trunc-layer\\.tar': (layer )?'?$l2'?: "
expect_errors_name trunc-layer.tar

# --- manifest names a layer that is not in the archive
rm -rf x && mkdir x && tar -xf $img_tar -C x
sed "s/$l2/0000000000000000000000000000000000000000000000000000000000000000.tar/" x/manifest.json >manifest.new
grep -q 00000000000000000000 manifest.new || fail "manifest rewrite did not happen"
mv -f manifest.new x/manifest.json
rm -f "x/$l2"
(cd x && tar -cf ../missing-layer.tar $(tar -tf ../$img_tar | grep -vx "$l2")) || fail "re-tar failed"
scan missing-layer.tar --format json
expect_status 2
summarize out >findings
# layer 2 (the rm) is unknown, so layer 1's copy counts as not hidden
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
rule=stripe-live-secret-key source=file path=app/.env line=3 col=19 layer=1 hidden=false hidden_by=null layers=1
rule=github-pat source=file path=app/.env line=4 col=14 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_err "^layerscan: 'missing-layer\\.tar': manifest names layer '0{64}\\.tar' that is not in the image$"
expect_errors_name missing-layer.tar

# --- a layer blob that is not an archive
rm -rf x && mkdir x && tar -xf $img_tar -C x
rm -f "x/$l2" && echo "this is not a layer, just text" >"x/$l2"
(cd x && tar -cf ../text-layer.tar $(tar -tf ../$img_tar)) || fail "re-tar failed"
scan text-layer.tar
expect_status 2
expect_out '^ +at +app/\.env:3:19$'
expect_out '^ +at +app/\.env:4:14$'
expect_err "^layerscan: 'text-layer\\.tar': layer '$l2' is not an archive$"
expect_errors_name text-layer.tar

# --- corrupt gzip in an oci-archive layer blob (layer 2): the layer is named
# by its blob; layer 1's findings are reported
rm -rf o && mkdir o && tar -xf env-removed.oci.tar -C o
man=$(grep -o '"digest": *"sha256:[0-9a-f]*"' o/index.json | head -n 1 | sed 's/.*sha256://; s/"//')
[ -n "$man" ] && [ -f "o/blobs/sha256/$man" ] || fail "no manifest blob in the oci-archive"
# the manifest's digests: the config, then the layers in order
b2=$(grep -o '"digest": *"sha256:[0-9a-f]*"' "o/blobs/sha256/$man" | sed -n 4p | sed 's/.*sha256://; s/"//')
[ -n "$b2" ] && gzip -t "o/blobs/sha256/$b2" 2>/dev/null || fail "layer 2 of the oci-archive is not a gzip blob"
{
	head -c 12 "o/blobs/sha256/$b2"
	printf 'corrupt-deflate-stream-corrupt-deflate-stream'
	tail -c +58 "o/blobs/sha256/$b2"
} >blob.bad
gzip -t blob.bad 2>/dev/null && fail "the corrupted blob still decompresses"
rm -f "o/blobs/sha256/$b2" && mv blob.bad "o/blobs/sha256/$b2"
(cd o && tar -cf ../bad-gzip.oci.tar oci-layout index.json blobs) || fail "re-tar failed"
scan bad-gzip.oci.tar
expect_status 2
expect_out '^ +at +app/\.env:3:19$'
expect_out '^ +layer +1 \(COPY '
expect_err "^layerscan: 'bad-gzip\\.oci\\.tar': layer blobs/sha256/$b2: "
expect_errors_name bad-gzip.oci.tar
# the same as an oci-dir
scan o
expect_status 2
expect_out '^ +at +app/\.env:3:19$'
expect_err "^layerscan: 'o': layer blobs/sha256/$b2: "
expect_errors_name o

# --- an empty file, on disk and on stdin
: >empty.tar
scan empty.tar
expect_status 2
expect_err "^layerscan: 'empty\\.tar': "
expect_one_line
[ ! -s out ] || { cat out; fail "output for an empty file"; }
run timeout 60 sh -c '"$LAYERSCAN" image - </dev/null'
expect_status 2
expect_err "^layerscan: '-': "
expect_one_line

# --- random bytes (deterministic)
LC_ALL=C awk 'BEGIN { srand(20240601); for (i = 0; i < 65536; i++) printf "%c", int(rand() * 255) + 1 }' >random.bin
[ "$(wc -c <random.bin)" -ge 65536 ] || fail "random.bin too small"
scan random.bin
expect_status 2
expect_err "^layerscan: 'random\\.bin': "
expect_one_line

# --- directories that are not image layouts
mkdir notlayout && printf 'hello\n' >notlayout/README
scan notlayout
expect_status 2
expect_err "^layerscan: 'notlayout': no manifest\\.json or index\\.json: not a saved image$"
expect_errors_name notlayout
mkdir emptydir
scan emptydir
expect_status 2
expect_err "^layerscan: 'emptydir': "
expect_one_line

# --- truncated in the middle of a file inside the base layer: the message
# must still name the image and the layer, not just the file
base_size=$(tar -tvf $img_tar "$(layer_tar $img_tar 0)" | awk '{ print $3 }')
head -c $((512 + base_size / 2)) $img_tar >trunc-base.tar
scan trunc-base.tar
expect_status 2
expect_err "^layerscan: 'trunc-base\\.tar': "
expect_errors_name trunc-base.tar
