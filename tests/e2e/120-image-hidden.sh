# Files a later layer hides but an earlier layer still ships: a whiteout
# (RUN rm), an opaque directory (RUN rm -rf DIR && mkdir DIR, which podman's
# overlay storage saves as DIR/.wh..wh..opq), an overwrite (a later COPY to
# the same path), and the same secret shipped by two layers (one finding
# listing both, not hidden because the last copy is in the final
# filesystem).  Every case on all four forms.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

# layer N's tar name in a docker-archive (0-based, from manifest.json)
layer_tar() {
	tar -xOf "$1" manifest.json | tr ',[' '\n\n' | grep -o '[0-9a-f]\{64\}\.tar' | sed -n "$(($2 + 1))p"
}

# whiteout: hidden by the RUN rm layer, whose instruction the note names
build_case env-removed
save_all env-removed
scan_all env-removed
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=true hidden_by=2 layers=1
rule=stripe-live-secret-key source=file path=app/.env line=3 col=19 layer=1 hidden=true hidden_by=2 layers=1
rule=github-pat source=file path=app/.env line=4 col=14 layer=1 hidden=true hidden_by=2 layers=1
EOF
expect_out '"note": "removed from the final filesystem by layer 2 \(rm /app/\.env\), but layer 1 still ships it'
l2=$(layer_tar env-removed.docker.tar 2)
tar -xOf env-removed.docker.tar "$l2" | tar -tf - | grep -qx 'app/\.wh\.\.env' ||
	fail "precondition: layer 2 of env-removed has no whiteout app/.wh..env"

# opaque directory: first check that podman really wrote an opaque marker
# (and not one whiteout per file), then that it hides the copied secret
build_case opaque-dir
save_all opaque-dir
l2=$(layer_tar opaque-dir.docker.tar 2)
[ -n "$l2" ] || fail "no layer 2 in opaque-dir's manifest.json"
tar -xOf opaque-dir.docker.tar "$l2" | tar -tf - >layer2.list
grep -qx 'app/conf/\.wh\.\.wh\.\.opq' layer2.list ||
	{ cat layer2.list; fail "precondition: podman wrote no app/conf/.wh..wh..opq in layer 2"; }
if grep -q '\.wh\.secrets\.env' layer2.list; then fail "precondition: layer 2 has a per-file whiteout"; fi
grep -qx 'app/conf/app\.ini' layer2.list || fail "precondition: layer 2 lacks the new app/conf/app.ini"
scan_all opaque-dir
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=file path=app/conf/secrets.env line=2 col=19 layer=1 hidden=true hidden_by=2 layers=1
EOF
expect_out 'removed from the final filesystem by layer 2 \(rm -rf /app/conf && mkdir /app/conf'
expect_no_out '\.wh\.'

# a whiteout two levels up: RUN rm -rf /app hides app/conf/payments.env;
# first check that layer 2 has only the one whiteout, .wh.app
build_case dir-removed
save_all dir-removed
l2=$(layer_tar dir-removed.docker.tar 2)
[ -n "$l2" ] || fail "no layer 2 in dir-removed's manifest.json"
tar -xOf dir-removed.docker.tar "$l2" | tar -tf - >layer2.list
grep -qx '\.wh\.app' layer2.list ||
	{ cat layer2.list; fail "precondition: layer 2 of dir-removed has no whiteout .wh.app"; }
if grep -q '^app/' layer2.list; then
	cat layer2.list
	fail "precondition: layer 2 of dir-removed has entries below app/ (the whiteout is not the only thing hiding the file)"
fi
scan_all dir-removed
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=file path=app/conf/payments.env line=2 col=19 layer=1 hidden=true hidden_by=2 layers=1
EOF
expect_out 'removed from the final filesystem by layer 2 \(rm -rf /app\)'

# overwrite: no whiteout, the later layer has the same path
build_case overwrite
save_all overwrite
scan_all overwrite
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=file path=app/.env line=2 col=19 layer=1 hidden=true hidden_by=2 layers=1
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1,2
EOF
expect_out '"created_by": "COPY file:[0-9a-f]{64} in /app/\.env ?"'
expect_out 'removed from the final filesystem by layer 2 \(COPY file:[0-9a-f]{64} in /app/\.env ?\), but layer 1 still ships it'

# the same secret at the same path in layers 1 and 3: one finding, both
# layers, reported where it entered (1), not hidden (layer 3 is final)
build_case same-secret-twice
save_all same-secret-twice
scan_all same-secret-twice
expect_status 1
expect_findings <<'EOF'
rule=github-pat source=file path=app/.env line=1 col=14 layer=1 hidden=false hidden_by=null layers=1,3
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1,3
EOF
[ "$(grep -c '"rule": "github-pat"' out)" -eq 1 ] || fail "expected exactly one github-pat finding"
expect_no_out 'removed from the final filesystem'
run timeout 60 "$LAYERSCAN" image --color never same-secret-twice.docker.tar
expect_status 1
expect_out '^ +layer +1 \(COPY '
expect_out '^ +also in layers 3$'
expect_out '^2 findings \(1 critical, 1 [a-z]+\)'
