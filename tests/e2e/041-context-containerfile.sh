# Containerfile checks: each kind, with stage attribution; a builder stage's
# secret is reported as not reaching the final image, at lower severity.
. "$TOP/tests/e2e/lib.sh"

mkdir ctx
printf 'nothing secret\n' > ctx/README.md
cat > ctx/Containerfile <<'CF'
# syntax=docker/dockerfile:1
ARG BASE=alpine:3.19
FROM ${BASE} AS build
ARG NPM_TOKEN
ENV BUILD_PASSWORD=Xk29vLq8PzWm4
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci
FROM alpine:3.19
COPY --from=build /out /app
ARG DEPLOY_TOKEN=a8f5f167f44f4964e6c998dee8271
ENV API_SECRET=Rm4Xv9Lq2Pz8Kd7T \
    MODE=production
RUN curl -H "Authorization: Bearer 9c1f7b7f3d8e4a2b6c5d0e9f8a7b6c5d" \
        https://api.example.com/hook
ADD https://deploy:Sup3rS3cretPw9@files.acme-corp.io/app.tgz /tmp/
USER 1000
CF

run "$LAYERSCAN" context ctx --format json
expect_status 1
# ARG used by RUN, in the builder stage: reported, lowered (high -> low)
grep -A12 '"rule": "containerfile-secret-arg-in-run"' out > f1 || fail "arg-in-run missing"
grep -q '"line": 4' f1 || fail "arg-in-run line"
grep -q '"severity": "low"' f1 || fail "builder-stage finding not lowered"
grep -q "stage 'build' (not in the final image)" out || fail "builder stage not named"
# ENV with a secret-named key in the builder stage: low; in the final stage: high
grep -q '"key": "BUILD_PASSWORD"' out || fail "builder ENV missing"
grep -B30 '"key": "API_SECRET"' out | grep -q '"line": 11' || fail "final ENV line"
grep -q 'ENV at line 11, in stage 1 (reaches the final image)' out || fail "final stage words"
# ARG default with a literal secret in the final stage
grep -q '"key": "DEPLOY_TOKEN"' out || fail "ARG default missing"
# inline secret in RUN (continuation line) and ADD URL with credentials
grep -q '"line": 13' out || fail "RUN header secret line"
grep -q '"rule": "url-credentials"' out || fail "ADD URL credentials missing"
grep -q 'ADD at line 15' out || fail "ADD not attributed"
# nothing from COPY --from: no copy-context finding
expect_no_out 'containerfile-copy-context-secrets'

# exact columns for ENV values
run "$LAYERSCAN" context ctx
expect_out 'at +Containerfile:11:16$'

# a multi-stage build whose secret stays in the builder: only low findings
cat > ctx/Containerfile <<'CF'
FROM alpine AS build
ENV DB_PASSWORD=Xk29vLq8PzWm4
RUN make
FROM alpine
COPY --from=build /out/app /app
CF
run "$LAYERSCAN" context ctx --format json
expect_status 1
expect_out '"severity": "low"'
expect_no_out '"severity": "(high|critical|medium)"'
