# Secrets in an image's metadata, not its files: ENV (config.Env and the
# ENV history entry), ARG defaults a RUN used ("|N NAME=value ..." in that
# RUN's history entry), LABEL (config.Labels) and CMD (config.Cmd); each
# finding names its field and key or its history index and has no layer.
# Every case on all four forms.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

# ENV: config:Env (field Env, key NAME) and history entry 1 (the ENV step)
build_case env-secret
save_all env-secret
scan_all env-secret
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=config path=config:Env line=1 col=16 field=Env key=STRIPE_API_KEY
rule=container-secret-variable source=config path=config:Env line=1 col=13 field=Env key=DB_PASSWORD
rule=stripe-live-secret-key source=history path=history:1 line=1 col=56 history=1
rule=generic-password source=history path=history:1 line=1 col=109 history=1
EOF
expect_out '"errors": \[\]'
expect_no_out '"layer"|"layers"'
expect_no_out 'APP_PORT'
expect_no_out 'sk_live_04gw|3HOd6g59'
# text: where a metadata finding is
run timeout 60 "$LAYERSCAN" image --color never env-secret.docker.tar
expect_status 1
expect_out '^ +at +image config Env STRIPE_API_KEY$'
expect_out '^ +at +image config Env DB_PASSWORD$'
expect_out '^ +at +history\[1\]$'
# --no-redact shows the value
run timeout 60 "$LAYERSCAN" image --format json --no-redact env-secret.oci.tar
expect_status 1
expect_out '"secret": "sk_live_04gwYkJsjj99nwdbDH9MDLfOQ928"'

# ARG used by RUN: only the RUN's entry (3) has the values; they are judged
# once each, as NAME=value pairs (history:args, key NAME); the rest of the
# entry (the command) is scanned as text.  A name-based finding yields to a
# token-format finding of the same value.
build_case build-arg
save_all build-arg
scan_all build-arg
expect_status 1
expect_findings <<'EOF'
rule=npm-access-token source=history path=history:args line=1 col=11 key=NPM_TOKEN history=3
rule=container-secret-variable source=history path=history:args line=1 col=16 key=SIGNING_SECRET history=3
EOF
expect_out '"errors": \[\]'
expect_no_out '"layer"|"field"'

# LABEL: config:Labels, key = the label name
build_case label-secret
save_all label-secret
scan_all label-secret
expect_status 1
expect_findings <<'EOF'
rule=github-pat source=config path=config:Labels line=1 col=26 field=Labels key=com.example.deploy-token
rule=github-pat source=history path=history:1 line=1 col=103 history=1
EOF
expect_out '"errors": \[\]'
expect_no_out 'org\.opencontainers\.image\.title'

# CMD exec form: config:Cmd is the words joined by spaces
build_case cmd-secret
save_all cmd-secret
scan_all cmd-secret
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=config path=config:Cmd line=1 col=42 field=Cmd
rule=stripe-live-secret-key source=history path=history:1 line=1 col=72 history=1
EOF
expect_out '"errors": \[\]'
