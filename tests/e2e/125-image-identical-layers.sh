# A reproducible build (podman build --timestamp 0) of same-secret-twice,
# with both copies owned by root, makes the two `COPY token.env /app/.env`
# layers byte-identical, so the manifest lists one blob as layer 1 and as
# layer 3.  The secret is in the
# final filesystem (layer 3 is the last to write /app/.env): one finding,
# layers [1, 3], not hidden -- exactly as for the ordinary build in
# 120-image-hidden.  Every form.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case_as same-secret-twice-ts0 same-secret-twice --timestamp 0 --build-arg SECOND_OWNER=0:0
save_all same-secret-twice-ts0

# precondition: one blob named twice
tar -xOf same-secret-twice-ts0.docker.tar manifest.json | tr ',[' '\n\n' |
	grep -o '[0-9a-f]\{64\}\.tar' >layers.list
[ "$(wc -l <layers.list)" -eq 4 ] || { cat layers.list; fail "precondition: expected 4 layers"; }
[ "$(sed -n 2p layers.list)" = "$(sed -n 4p layers.list)" ] ||
	{ cat layers.list; fail "precondition: layers 1 and 3 are not the same blob (podman changed?)"; }

scan_all same-secret-twice-ts0
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1,3
rule=github-pat source=file path=app/.env line=1 col=14 layer=1 hidden=false hidden_by=null layers=1,3
EOF
expect_no_out 'removed from the final filesystem'
