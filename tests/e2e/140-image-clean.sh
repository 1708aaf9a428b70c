# Images without secrets exit 0 on every form: a realistic service image
# (env, labels, user, health check, entrypoint), one full of placeholders
# (${VAR}, changeme, <your-token>, AKIAIOSFODNN7EXAMPLE), and the final
# stage of a multi-stage build whose builder stage had a secret (the builder
# image alone is flagged, so the fixture does hold one).
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

config_of() {
	cfg=$(tar -xOf "$1" manifest.json | grep -o '"Config":"[^"]*"' | sed 's/"Config":"//; s/"$//')
	[ -n "$cfg" ] || fail "no Config in $1's manifest.json"
	tar -xOf "$1" "$cfg"
}

# --format docker keeps HEALTHCHECK in the config, so it is scanned too
build_case clean --format docker
save_all clean
config_of clean.docker.tar >clean.config
for k in '"Healthcheck"' '"User":"app"' '"Entrypoint"' '"Labels"' 'DB_PASSWORD_FILE'; do
	grep -q "$k" clean.config || fail "precondition: clean's config lacks $k"
done
scan_all clean
expect_status 0
expect_out '"findings": \[\]'
expect_out '"errors": \[\]'
files=$(sed -n 's/^    "files": \([0-9]*\).*/\1/p' out)
[ "${files:-0}" -ge 7 ] || fail "clean: only ${files:-0} files scanned, expected the app's files too"
run timeout 60 "$LAYERSCAN" image --color never clean.ocidir
expect_status 0
expect_out '^no findings in [0-9]+ files'

build_case placeholders
save_all placeholders
config_of placeholders.docker.tar >placeholders.config
grep -q 'API_KEY=\${API_KEY}' placeholders.config || fail "precondition: ENV API_KEY is not the literal \${API_KEY}"
grep -q 'AKIAIOSFODNN7EXAMPLE' placeholders.oci.tar ||
	tar -xOf placeholders.docker.tar | grep -q 'AKIAIOSFODNN7EXAMPLE' ||
	fail "precondition: placeholders image lacks the example AWS key"
scan_all placeholders
expect_status 0
expect_out '"findings": \[\]'
expect_out '"errors": \[\]'

# the final stage: only version.txt from the builder
build_case multistage-clean
save_all multistage-clean
scan_all multistage-clean
expect_status 0
expect_out '"findings": \[\]'
expect_out '"errors": \[\]'
tar -xOf multistage-clean.docker.tar manifest.json | tr ',[' '\n\n' | grep -c '[0-9a-f]\{64\}\.tar' >nlayers
[ "$(cat nlayers)" -eq 2 ] || fail "final stage should have 2 layers (base + COPY --from), has $(cat nlayers)"
# the builder stage of the same Containerfile does ship the secret
build_case_as multistage-clean-builder multistage-clean --target builder
save_all multistage-clean-builder
scan_all multistage-clean-builder
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=file path=src/.env line=2 col=19 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-dotenv source=file path=src/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
EOF
