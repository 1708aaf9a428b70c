# Layers compressed with zstd (OCI media type ...layer.v1.tar+zstd).
# podman save only writes gzip, so the test converts a saved oci-dir: each
# gzip layer is inflated and recompressed with zstd, renamed to its new
# digest, and the manifest and index are rewritten to match.  The findings
# must equal those of the gzip layout (diff_ids, which name the layers in
# reports, do not change).
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"
command -v zstd >/dev/null 2>&1 || fail "zstd is not installed (src/tools/deps.sh test installs it)"

build_case env-removed
save_all env-removed
cp -R env-removed.ocidir zstd.ocidir
b=zstd.ocidir/blobs/sha256
man=$(sed 's/.*"manifests":\[{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/' zstd.ocidir/index.json)
[ -f "$b/$man" ] || fail "precondition: manifest $man not found"
new_man=$(cat "$b/$man")
for l in $(grep -o '"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:[0-9a-f]*"' "$b/$man" |
		sed 's/.*sha256://; s/"$//'); do
	gzip -dc "$b/$l" | zstd -q -c > z.tmp
	nd=$(sha256sum z.tmp | cut -d' ' -f1)
	ns=$(wc -c < z.tmp)
	mv z.tmp "$b/$nd"
	rm "$b/$l"
	new_man=$(printf '%s' "$new_man" |
		sed "s/\"application\/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$l\",\"size\":[0-9]*/\"application\/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"sha256:$nd\",\"size\":$ns/")
done
printf '%s' "$new_man" | grep -q 'tar+zstd' || fail "precondition: no layer was converted"
printf '%s' "$new_man" | grep -q 'tar+gzip' && fail "precondition: a gzip layer is left"
printf '%s' "$new_man" > "$b/new-manifest"
nm=$(sha256sum "$b/new-manifest" | cut -d' ' -f1)
nms=$(wc -c < "$b/new-manifest")
mv "$b/new-manifest" "$b/$nm"
rm "$b/$man"
sed -i "s/sha256:$man\",\"size\":[0-9]*/sha256:$nm\",\"size\":$nms/" zstd.ocidir/index.json
head -c 4 "$b/$nd" | od -An -tx1 | grep -q '28 b5 2f fd' || fail "precondition: not zstd"

run "$LAYERSCAN" image --format json env-removed.ocidir
expect_status 1
normalise out > gzip.json
run "$LAYERSCAN" image --format json zstd.ocidir
expect_status 1
expect_out '"hidden": true'
normalise out > zstd.json
diff -u gzip.json zstd.json || fail "zstd layers give other findings than gzip layers"

# and as an archive, on standard input
tar -cf zstd.tar -C zstd.ocidir .
run sh -c "\"$LAYERSCAN\" image --format json - < zstd.tar"
expect_status 1
normalise out > stdin.json
diff -u gzip.json stdin.json || fail "zstd oci-archive on stdin differs"
