# Image inputs: one podman-built image gives the same report as a
# docker-archive, oci-archive, oci-dir, docker-dir (plain and compressed),
# a whole-compressed archive, standard input, podman:NAME and the
# `layerscan FILE` shorthand; the layer digest is the diff_id and the layer
# index and instruction come from the config.  Also a multi-image archive
# and podman:NAME of a missing image.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case env-removed
ref=$img
save_all env-removed
scan_all env-removed
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=true hidden_by=2 layers=1
rule=stripe-live-secret-key source=file path=app/.env line=3 col=19 layer=1 hidden=true hidden_by=2 layers=1
rule=github-pat source=file path=app/.env line=4 col=14 layer=1 hidden=true hidden_by=2 layers=1
EOF
expect_out '"errors": \[\]'
expect_out '"kind": "image"'
# the digest is the layer's diff_id (the same in every format), the
# instruction is the layer's history entry without "/bin/sh -c #(nop)"
diff1=$(podman image inspect --format '{{index .RootFS.Layers 1}}' "$ref")
case "$diff1" in sha256:????????????????????????????????????????????????????????????????) ;;
*) fail "unexpected diff_id from podman: $diff1" ;; esac
[ "$(grep -c "\"digest\": \"$diff1\"" out)" -eq 3 ] || fail "layer digest is not the diff_id $diff1"
expect_out '"created_by": "COPY file:[0-9a-f]{64} in /app/\.env ?"'
expect_no_out '#\(nop\)'
# secrets are redacted
expect_no_out 'sk_live_OlaWp7N2|ghp_zQWBuTSO'

norm() { normalise "$1" >"$1.norm" && diff -u env-removed.ref.norm "$1.norm" >&2 || fail "$2: report differs from the docker-archive one"; }

# oci-archive on standard input
run timeout 60 sh -c '"$LAYERSCAN" image --format json - < env-removed.oci.tar'
expect_status 1
cp out stdin-oci.json
norm stdin-oci.json "oci-archive on stdin"

# an archive compressed as a whole, as a file and on stdin
gzip -c env-removed.docker.tar >whole.tar.gz
run timeout 60 "$LAYERSCAN" image --format json whole.tar.gz
expect_status 1
cp out whole-gz.json
norm whole-gz.json "gzip-compressed docker-archive"
run timeout 60 sh -c 'gzip -c env-removed.oci.tar | "$LAYERSCAN" image --format json -'
expect_status 1
cp out whole-gz-stdin.json
norm whole-gz-stdin.json "gzip-compressed oci-archive on stdin"

# docker-dir ("dir" transport): plain layers, and gzip layers with --compress
podman save -q --format docker-dir -o dockerdir "$ref" >save.log 2>&1 || { cat save.log; fail "podman save docker-dir"; }
podman save -q --compress --format docker-dir -o dockerdir-gz "$ref" >save.log 2>&1 || { cat save.log; fail "podman save --compress docker-dir"; }
[ -f dockerdir/manifest.json ] && [ -f dockerdir/version ] || fail "docker-dir layout not as expected"
ngz=0
for f in dockerdir-gz/*; do gzip -t "$f" 2>/dev/null && ngz=$((ngz + 1)); done
[ "$ngz" -eq 3 ] || fail "podman save --compress wrote $ngz gzip layers, expected 3"
for d in dockerdir dockerdir-gz; do
	run timeout 60 "$LAYERSCAN" image --format json "$d"
	expect_status 1
	cp out "$d.json"
	norm "$d.json" "$d"
done

# podman:NAME saves through a pipe, no temporary file
run timeout 120 "$LAYERSCAN" image --format json "podman:$ref"
expect_status 1
cp out podman.json
norm podman.json "podman:$ref"
expect_out "\"name\": \"podman:$ref\""
[ ! -s err ] || { cat err; fail "podman:NAME wrote to stderr"; }

# podman:NAME of an image that does not exist
run timeout 120 "$LAYERSCAN" image "podman:localhost/layerscan-test-no-such-image:0"
expect_status 2
expect_err "^layerscan: 'podman:localhost/layerscan-test-no-such-image:0': podman save failed"

# `layerscan FILE` means `layerscan image FILE`; output does not depend on threads
run timeout 60 "$LAYERSCAN" --format json --threads 1 env-removed.docker.tar
expect_status 1
cp out short.json
norm short.json "layerscan FILE --threads 1"
expect_out '"name": "env-removed\.docker\.tar"'

# text report: position, layer and instruction, and the note on the hiding layer
run timeout 60 "$LAYERSCAN" image --color never env-removed.oci.tar
expect_status 1
expect_out '^CRITICAL stripe-live-secret-key'
expect_out '^ +at +app/\.env:3:19$'
expect_out '^ +layer +1 \(COPY file:[0-9a-f]{64} in /app/\.env ?\)$'
expect_out 'removed from the final filesystem by layer 2 \(rm /app/\.env\), but layer 1 still ships it'
expect_out '^3 findings \(2 critical, 1 [a-z]+\)'

# several images in one docker-archive (podman save -m): each image's layers
# are indexed in that image, the shared base layer is read once
build_case npmrc
ref2=$img
podman save -q -m --format docker-archive -o multi.tar "$ref" "$ref2" >save.log 2>&1 ||
	{ cat save.log; fail "podman save -m"; }
run timeout 60 "$LAYERSCAN" image --format json multi.tar
expect_status 1
summarize out >findings
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=true hidden_by=2 layers=1
rule=stripe-live-secret-key source=file path=app/.env line=3 col=19 layer=1 hidden=true hidden_by=2 layers=1
rule=github-pat source=file path=app/.env line=4 col=14 layer=1 hidden=true hidden_by=2 layers=1
rule=npm-access-token source=file path=home/app/.npmrc line=2 col=34 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-package-credentials source=file path=home/app/.npmrc line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_out '"errors": \[\]'
