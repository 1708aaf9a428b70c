# Secrets in layer files of various kinds: an SSH private key (a multi-line
# PEM block, reported at its first line), an .npmrc token, docker registry
# credentials (base64 "auth", decoded), a .tar.gz and a .zip inside a layer
# (path ARCHIVE!MEMBER, opened as nested archives up to --max-archive-depth),
# and a token inside a binary file.  Every case on all four forms.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case private-key
save_all private-key
scan_all private-key
expect_status 1
expect_findings <<'EOF'
rule=private-key source=file path=home/app/.ssh/id_ed25519 line=1 col=1 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-private-key source=file path=home/app/.ssh/id_ed25519 line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_out '"end_line": 7,'
expect_out '"created_by": "COPY file:[0-9a-f]{64} in /home/app/\.ssh/id_ed25519 ?"'
expect_no_out 'b3BlbnNzaC1rZXktdjE'   # the key body is never printed

build_case npmrc
save_all npmrc
scan_all npmrc
expect_status 1
expect_findings <<'EOF'
rule=npm-access-token source=file path=home/app/.npmrc line=2 col=34 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-package-credentials source=file path=home/app/.npmrc line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
EOF

build_case docker-config
save_all docker-config
scan_all docker-config
expect_status 1
expect_findings <<'EOF'
rule=docker-config-auth source=file path=root/.docker/config.json line=4 col=13 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-cloud-credentials source=file path=root/.docker/config.json line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_out '"decoded": "base64"'
expect_no_out 'S0me-Real1stic|ZGVwbG95OlMw'

build_case nested-targz
save_all nested-targz
scan_all nested-targz
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=file path=opt/bundle/config-bundle.tar.gz!conf/.env line=2 col=19 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-dotenv source=file path=opt/bundle/config-bundle.tar.gz!conf/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_out '"errors": \[\]'
# depth 0: archives in layers are not opened (and their compressed bytes
# hold nothing); depth 1 opens them
run timeout 60 "$LAYERSCAN" image --format json --max-archive-depth 0 nested-targz.oci.tar
expect_status 0
expect_out '"findings": \[\]'
run timeout 60 "$LAYERSCAN" image --color never --max-archive-depth 1 nested-targz.docker.tar
expect_status 1
expect_out '^ +at +opt/bundle/config-bundle\.tar\.gz!conf/\.env:2:19$'

build_case nested-zip
save_all nested-zip
scan_all nested-zip
expect_status 1
expect_findings <<'EOF'
rule=stripe-live-secret-key source=file path=opt/plugins/plugin.zip!config/settings.py line=9 col=19 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_out '"errors": \[\]'
expect_no_out 'plugin\.yaml'
run timeout 60 "$LAYERSCAN" image --format json --max-archive-depth 0 nested-zip.docker.tar
expect_status 0
expect_out '"findings": \[\]'

build_case binary
save_all binary
scan_all binary
expect_status 1
expect_findings <<'EOF'
rule=github-pat source=file path=usr/local/bin/agent line=1 col=78 layer=1 hidden=false hidden_by=null layers=1
EOF
expect_out '"errors": \[\]'
