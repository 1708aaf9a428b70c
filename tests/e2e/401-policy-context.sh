# The production policy on a Containerfile before building (layerscan
# context DIR --policy production): for each check a Containerfile that
# fails it and one that passes; rule, line, severity, exit status, a note,
# the [policy] table, the errors.  No build needed.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"
. "$TOP/tests/e2e/lib-policy.sh"

# cf TEXT: ctx/Containerfile holds TEXT (and a harmless file)
mkdir ctx
printf 'nothing secret\n' >ctx/README.md
cf() {
	printf '%s\n' "$1" >ctx/Containerfile
}

# pol [ARGS]: context ctx --policy production as JSON; ./findings
pol() {
	run timeout 30 "$LAYERSCAN" context --format json --policy production "$@" ctx
	[ "$st" -lt 3 ] || { cat err; fail "layerscan exited $st"; }
	with_sev
}

# lines that pass every check, appended to a stage to isolate one check
OK_USER='USER 1000'
OK_HC='HEALTHCHECK CMD ["/app", "health"]'

# ---- a Containerfile that passes every check ----
cf 'FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libssl-dev
COPY . /src
RUN make -C /src
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/app /app
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/ca.pem /etc/ca.pem
USER 65532:65532
HEALTHCHECK --interval=30s \
  CMD ["/app", "health"]
ENTRYPOINT ["/app"]'
pol
expect_clean
pol --policy distroless
expect_clean

# ---- no USER in the final stage ----
cf "FROM alpine:3.20
COPY app /app
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-root-user source=policy path=Containerfile line=1 col=1 sev=high
EOF
expect_note 'the final stage sets no USER'
# the builder's USER is not the final stage's (line: the final FROM)
cf "FROM alpine:3.20 AS build
USER 1000
FROM alpine:3.20
COPY --from=build /out/app /app
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-root-user source=policy path=Containerfile line=3 col=1 sev=high
EOF
# USER root, USER 0:0 (the last USER counts)
cf "FROM alpine:3.20
USER app
$OK_HC
user root"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-root-user source=policy path=Containerfile line=4 col=1 sev=high
EOF
expect_note '^      "note": "USER root: the image runs as root"'
cf "FROM alpine:3.20
USER 0:0
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-root-user source=policy path=Containerfile line=2 col=1 sev=high
EOF
# passing: USER root then an unprivileged one; inherited through FROM base
cf "FROM alpine:3.20
USER root
RUN adduser -D -u 1000 app
USER app:app
$OK_HC"
pol
expect_clean
cf "FROM alpine:3.20 AS base
USER 65532
FROM base
COPY app /app
$OK_HC"
pol
expect_clean
cf "FROM alpine:3.20 AS a
FROM a AS b
USER 1000
FROM b
$OK_HC"
pol
expect_clean

# ---- HEALTHCHECK ----
cf "FROM alpine:3.20
$OK_USER"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-no-healthcheck source=policy path=Containerfile line=1 col=1 sev=medium
EOF
# the text note tells podman users about --format docker
run "$LAYERSCAN" context --color never --policy production ctx
expect_status 1
expect_out '^MEDIUM +policy-cf-no-healthcheck'
expect_out '^ +at +Containerfile:1:1$'
expect_out '^ +note +the final stage has no HEALTHCHECK \(and with podman, build with --format docker: the default OCI format drops it\)$'
cf "FROM alpine:3.20
$OK_USER
HEALTHCHECK NONE"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-no-healthcheck source=policy path=Containerfile line=3 col=1 sev=medium
EOF
expect_note 'HEALTHCHECK NONE turns the health check off'
# passing: a continued HEALTHCHECK; one inherited from the base stage
cf "FROM alpine:3.20
$OK_USER
HEALTHCHECK --interval=30s --timeout=3s \\
  CMD wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1"
pol
expect_clean
cf "FROM alpine:3.20 AS base
$OK_HC
FROM base
$OK_USER"
pol
expect_clean

# ---- build tools in the final image ----
cf "FROM debian:bookworm-slim
RUN apt-get update && \\
    apt-get install -y --no-install-recommends build-essential libpq-dev
COPY . /src
$OK_USER
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-build-tools source=policy path=Containerfile line=2 col=1 sev=medium
EOF
expect_note '^      "note": "RUN installs build-essential in a single-stage build: '
# apk in a stage the final one is built FROM; exec form; heredoc
cf "FROM alpine:3.20 AS base
RUN [\"apk\", \"add\", \"--no-cache\", \"gcc\"]
FROM base
RUN <<SH
apk add --no-cache musl-dev
SH
$OK_USER
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-build-tools source=policy path=Containerfile line=2 col=1 sev=medium
rule=policy-cf-build-tools source=policy path=Containerfile line=4 col=1 sev=medium
EOF
expect_note 'RUN installs gcc in a stage of the final image'
expect_note 'RUN installs musl-dev in a stage of the final image'
# a toolchain base image as the final stage
cf "FROM golang:1.22
COPY . .
RUN go build -o /app .
$OK_USER
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-build-tools source=policy path=Containerfile line=1 col=1 sev=medium
EOF
expect_note 'starts FROM golang:1\.22, a toolchain image'
# passing: tools only in the builder; removed in the same step; runtime
# packages only
cf "FROM golang:1.22 AS build
RUN apt-get update && apt-get install -y gcc make
FROM alpine:3.20
RUN apk add --virtual .build gcc musl-dev && make -C /src && apk del .build
RUN apk add --no-cache ca-certificates libpq
COPY --from=build /out/app /app
$OK_USER
$OK_HC"
pol
expect_clean

# ---- latest or untagged base images (every stage) ----
cf "FROM node:latest AS build
FROM ubuntu
FROM localhost:5000/team/app
$OK_USER
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-base-tag source=policy path=Containerfile line=1 col=1 sev=low
rule=policy-cf-base-tag source=policy path=Containerfile line=2 col=1 sev=low
rule=policy-cf-base-tag source=policy path=Containerfile line=3 col=1 sev=low
EOF
expect_note "FROM node:latest: 'latest' moves"
expect_note "FROM ubuntu has no tag"
# an ARG default as the base is resolved
cf "ARG BASE=node:latest
FROM \${BASE}
$OK_USER
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-base-tag source=policy path=Containerfile line=2 col=1 sev=low
EOF
expect_note "FROM node:latest: 'latest' moves"
cf "FROM registry.example.com:5000/team/base:1.4 AS base
FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS tools
FROM scratch AS empty
FROM base
$OK_USER
$OK_HC"
pol
expect_clean

# ---- ADD of a remote URL without --checksum ----
cf "FROM alpine:3.20
ADD https://example.com/tool.tar.gz /opt/
ADD [\"https://example.com/app.jar\", \"/app/app.jar\"]
$OK_USER
$OK_HC"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-add-url source=policy path=Containerfile line=2 col=1 sev=medium
rule=policy-cf-add-url source=policy path=Containerfile line=3 col=1 sev=medium
EOF
expect_note 'ADD downloads https://example\.com/tool\.tar\.gz at build time without --checksum'
cf "FROM alpine:3.20
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/
ADD vendor/tool.tar.gz /opt/
COPY README.md /app/
$OK_USER
$OK_HC"
pol
expect_clean

# ---- all at once; the policy is opt-in; [policy] settings ----
cf "FROM ubuntu
RUN apt-get install -y gcc
ADD https://example.com/x /x"
pol
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-root-user source=policy path=Containerfile line=1 col=1 sev=high
rule=policy-cf-no-healthcheck source=policy path=Containerfile line=1 col=1 sev=medium
rule=policy-cf-build-tools source=policy path=Containerfile line=2 col=1 sev=medium
rule=policy-cf-base-tag source=policy path=Containerfile line=1 col=1 sev=low
rule=policy-cf-add-url source=policy path=Containerfile line=3 col=1 sev=medium
EOF
run "$LAYERSCAN" context --format json ctx
expect_status 0
expect_no_out 'policy-'
config cfg.toml 'cf-base-tag = "off"' 'cf-add-url = "off"' 'cf-root-user = "low"' 'build-tools = "off"'
pol -c cfg.toml
expect_status 1
expect_findings <<'EOF'
rule=policy-cf-root-user source=policy path=Containerfile line=1 col=1 sev=low
rule=policy-cf-no-healthcheck source=policy path=Containerfile line=1 col=1 sev=medium
rule=policy-cf-build-tools source=policy path=Containerfile line=2 col=1 sev=medium
EOF
config cfg2.toml 'cf-root-user = "off"' 'cf-no-healthcheck = "off"' 'cf-build-tools = "info"' 'cf-base-tag = "off"' 'cf-add-url = "off"'
pol -c cfg2.toml
# info policy findings do not fail the run
expect_status 0
expect_findings <<'EOF'
rule=policy-cf-build-tools source=policy path=Containerfile line=2 col=1 sev=info
EOF

# ---- the image fixtures' Containerfiles ----
# good: passes all but the base tag (the test base image is :latest)
run "$LAYERSCAN" context --format json --policy production "$TOP/fixtures/policy/good"
expect_status 1
with_sev
expect_findings <<'EOF'
rule=policy-cf-base-tag source=policy path=Containerfile line=8 col=1 sev=low
EOF
config tag.toml 'cf-base-tag = "off"'
run "$LAYERSCAN" context --format json --policy distroless -c tag.toml "$TOP/fixtures/policy/good"
expect_status 0
with_sev
[ ! -s findings ] || { cat findings; fail "good: expected no findings"; }
# root-empty: no USER, no HEALTHCHECK, and its .env secret
run "$LAYERSCAN" context --format json --policy production -c tag.toml "$TOP/fixtures/policy/root-empty"
expect_status 1
with_sev
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=.env line=0 col=0 sev=medium
rule=stripe-live-secret-key source=file path=.env line=2 col=19 sev=critical
rule=policy-cf-root-user source=policy path=Containerfile line=6 col=1 sev=high
rule=policy-cf-no-healthcheck source=policy path=Containerfile line=6 col=1 sev=medium
EOF
# -f: another Containerfile name, shown as given
cf 'FROM alpine:3.20'
printf 'FROM alpine:3.20\nUSER 1000\nHEALTHCHECK CMD ["/x"]\n' >ctx/prod.Containerfile
run "$LAYERSCAN" context --format json --policy production -f prod.Containerfile ctx
expect_status 0
with_sev
[ ! -s findings ] || { cat findings; fail "-f prod.Containerfile: expected no findings"; }

# ---- errors ----
run "$LAYERSCAN" context --policy bogus ctx
expect_status 2
expect_err "--policy wants production or distroless, not 'bogus'"
run "$LAYERSCAN" context --max-size 5MB ctx
expect_status 2
expect_err 'belong to a policy'
config bad.toml 'cf-root-user = "low"' 'nosuchcheck = "off"'
run "$LAYERSCAN" context --policy production -c bad.toml ctx
expect_status 2
expect_err "bad\.toml:6: \[policy\] 'nosuchcheck' is not a policy check"
[ ! -s out ] || { cat out; fail "a report despite a bad config"; }
mkdir empty
printf 'x\n' >empty/file.txt
run "$LAYERSCAN" context --policy production empty
expect_status 2
expect_err 'no Containerfile or Dockerfile to check'
mkdir repo
git -C repo init -q
run "$LAYERSCAN" git --policy production repo
expect_status 2
expect_err "--policy applies to the image and context commands, not 'git'"
