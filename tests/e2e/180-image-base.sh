# Base layers (docs/image.md, "Base layers"): an application image built
# FROM a base image that ships a token, plus a layer of its own with
# another.  With --base (a docker-archive, an oci-dir, podman:NAME) the
# base's layers are matched by diff ID and their findings are info, marked
# base, the base named, and leave the exit status alone; --include-base
# ranks them by their rules again.  Without --base, the image's own
# org.opencontainers.image.base.name annotation (podman writes it into the
# manifest of a --format oci build: oci-archive and oci-dir keep it, a
# docker-archive cannot) decides with buildah's history; without it,
# nothing is base.  A base secret that the application's layer deletes is
# still the base's; a base file the application rewrites with a secret is
# the application's finding, even when the secret is the same.
#
# The contexts are written here (fake tokens made for this test); the
# images are cached by lib-image.sh's content hash like the fixtures'.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

ctx=$PWD/ctx
mkdir -p "$ctx/base" "$ctx/app" "$ctx/app-clean"
# fake tokens, made up for this test
base_tok=xoxb-2841937465-5930284716-Qm8ZtR4nW2xLp7VkB9sYc3Hd
shared_tok=xoxb-7305918246-1847362950-Lw3Xp9Kv2Zn5Tq8Rb4Ym7Jc6
app_tok=sk_live_Q8mZr4TnW2xLp7VkB9sYc3Hd
printf 'SLACK_BOT_TOKEN=%s\n' "$base_tok" >"$ctx/base/base.env"
printf 'SLACK_BOT_TOKEN=%s\n' "$shared_tok" >"$ctx/base/shared.env"
cat >"$ctx/base/Containerfile" <<'EOF'
FROM localhost/layerscan-busybox:latest
COPY base.env /etc/base.env
COPY shared.env /etc/shared.env
EOF
# the application: its own token, deletes the base's base.env, and writes
# the base's shared.env again (same bytes: one secret, two layers)
printf 'STRIPE_SECRET_KEY=%s\n' "$app_tok" >"$ctx/app/app.env"
cp "$ctx/base/shared.env" "$ctx/app/shared.env"
cat >"$ctx/app/Containerfile" <<'EOF'
FROM localhost/layerscan-test-180-base:latest
COPY app.env /app/app.env
RUN rm /etc/base.env
COPY shared.env /etc/shared.env
EOF
# an application with no secret of its own, built --format docker (no
# base annotation anywhere)
echo hello >"$ctx/app-clean/hello.txt"
cat >"$ctx/app-clean/Containerfile" <<'EOF'
FROM localhost/layerscan-test-180-base:latest
COPY hello.txt /app/hello.txt
EOF

# build_case reads fixtures/images/CASE: point it at the contexts above
FIXTURES=$ctx
build_case_as 180-base base   # also tagged ...-180-base:latest
base_ref=$img
# the application's hash must follow the base's content (its FROM is by
# tag): pass the base's id as a build argument
base_id=$(podman image inspect --format '{{.Id}}' "$base_ref")
build_case_as 180-app app --format oci --build-arg "BASE_ID=$base_id"
build_case_as 180-app-clean app-clean --format docker --build-arg "BASE_ID=$base_id"
save_all 180-base
save_all 180-app
save_all 180-app-clean

# one line a finding: rule path layer severity base base_image hidden
# (python3, as 170 does: the JSON reader of lib-image.sh knows no "base")
bases() {
	python3 - "$1" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    l = f.get("layer") or {}
    print(f["rule"], f["path"], l.get("index"), f["severity"],
          "base" if l.get("base") else "own", l.get("base_image", "-"),
          "hidden" if l.get("hidden") else "visible")
EOF
}
expect_bases() {
	bases out | sort >bases.got
	sort >bases.expected
	diff -u bases.expected bases.got || fail "$1: findings differ from the expected"
}

# the layers: 0 busybox, 1-2 the base's, 3-5 the application's

# --base as a docker-archive, an oci-dir and podman:NAME, on every form of
# the application: the base's two findings are info and base; the
# application's token and its copy of shared.env keep their severity
for b in 180-base.docker.tar 180-base.ocidir "podman:$base_ref"; do
	for a in 180-app.docker.tar 180-app.oci.tar 180-app.ocidir; do
		run "$LAYERSCAN" image --format json --base "$b" "$a"
		expect_status 1
		expect_bases "--base $b $a" <<EOF
slack-bot-token etc/base.env 1 info base $b hidden
slack-bot-token etc/shared.env 2 info base $b hidden
slack-bot-token etc/shared.env 5 high own - visible
stripe-live-secret-key app/app.env 3 critical own - visible
EOF
	done
done
expect_out '"note": "in a layer of the base image podman:'

# only the base's findings: exit 0, and the findings are still reported
run "$LAYERSCAN" image --format json --base 180-base.docker.tar 180-app-clean.docker.tar
expect_status 0
expect_bases "app-clean --base" <<'EOF'
slack-bot-token etc/base.env 1 info base 180-base.docker.tar visible
slack-bot-token etc/shared.env 2 info base 180-base.docker.tar visible
EOF
# --include-base: their rules' severity, exit 1
run "$LAYERSCAN" image --format json --include-base --base 180-base.ocidir 180-app-clean.ocidir
expect_status 1
expect_bases "app-clean --include-base" <<'EOF'
slack-bot-token etc/base.env 1 high base 180-base.ocidir visible
slack-bot-token etc/shared.env 2 high base 180-base.ocidir visible
EOF
expect_out '"note": "in a layer of the base image 180-base.ocidir: the base ships it, not this image.s own layers; rebuild FROM'

# text, SARIF and JUnit say it too
run "$LAYERSCAN" image --base 180-base.docker.tar 180-app-clean.docker.tar
expect_status 0
expect_out '^INFO +slack-bot-token'
expect_out 'layer   1 \(COPY .*\) \[base: 180-base.docker.tar\]'
run "$LAYERSCAN" image --format sarif --base 180-base.docker.tar 180-app-clean.docker.tar
expect_status 0
expect_out '"baseImage": "180-base.docker.tar"'
expect_out '"base": true'
run "$LAYERSCAN" image --format junit --base 180-base.docker.tar 180-app-clean.docker.tar
expect_status 0
expect_out 'name="layer 1 \(base\): etc/base.env:1:17"'

# without --base: the annotation of the --format oci build (oci forms)
# names the base, and its history says it ends after layer 2
for a in 180-app.oci.tar 180-app.ocidir; do
	run "$LAYERSCAN" image --format json "$a"
	expect_status 1
	expect_bases "$a, annotation" <<EOF
slack-bot-token etc/base.env 1 info base $base_ref hidden
slack-bot-token etc/shared.env 2 info base $base_ref hidden
slack-bot-token etc/shared.env 5 high own - visible
stripe-live-secret-key app/app.env 3 critical own - visible
EOF
done
# (buildah resolves FROM ...:latest to the image and names the base by
# another of its tags: here the content-hash one)
grep -q "\"org.opencontainers.image.base.name\":\"$base_ref\"" \
	180-app.ocidir/blobs/sha256/* || fail "precondition: podman wrote no base annotation"
# ... a docker-archive has no annotations, podman: is a docker-archive, and
# a --format docker build has none in any form: nothing is base
for a in 180-app.docker.tar "podman:$(case_image 180-app)"; do
	run "$LAYERSCAN" image --format json "$a"
	expect_status 1
	# (the two copies of shared.env are one finding again, in layers 2
	# and 5, visible)
	expect_bases "$a, no annotation" <<'EOF'
slack-bot-token etc/base.env 1 high own - hidden
slack-bot-token etc/shared.env 2 high own - visible
stripe-live-secret-key app/app.env 3 critical own - visible
EOF
done
for a in 180-app-clean.docker.tar 180-app-clean.oci.tar 180-app-clean.ocidir; do
	run "$LAYERSCAN" image --format json "$a"
	expect_status 1
	expect_bases "$a, no annotation" <<'EOF'
slack-bot-token etc/base.env 1 high own - visible
slack-bot-token etc/shared.env 2 high own - visible
EOF
done

# a --base that is not the image's base: a warning, nothing is base
run "$LAYERSCAN" image --format json --base 180-app-clean.docker.tar 180-app.docker.tar
expect_status 1
expect_err "warning: .*--base '180-app-clean.docker.tar' is not the base of .*: its layer 3 \(sha256:[0-9a-f]{64}\) is not the image's layer at that position"
expect_out '"base": false'
if grep -q '"base": true' out; then fail "a wrong --base made a layer base"; fi
# ... nor is an image that is longer than the application
run "$LAYERSCAN" image --format json --base 180-app.docker.tar 180-base.docker.tar
expect_status 1
expect_err "its layer 3 .* is past the image's last layer"
# an unreadable base is a usage/input error, before anything is scanned
run "$LAYERSCAN" image --base missing.tar 180-app.docker.tar
expect_status 2
expect_err "--base 'missing.tar': cannot open"
printf 'not an image\n' >junk.txt
run "$LAYERSCAN" image --base junk.txt 180-app.docker.tar
expect_status 2
expect_err "--base 'junk.txt': "
run "$LAYERSCAN" image --base podman:localhost/layerscan-no-such-image 180-app.docker.tar
expect_status 2
expect_err "--base 'podman:localhost/layerscan-no-such-image': podman save failed"
