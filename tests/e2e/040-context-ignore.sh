# The acceptance case of the build-context issue: a context whose .env is
# ignored exits 0; the same context without the ignore line exits 1 naming
# .env and the fix. Plus --all-files, --engine and ignore-file errors.
. "$TOP/tests/e2e/lib.sh"

mkdir -p ctx/src
printf 'FROM scratch\nCOPY . /app\n' > ctx/Containerfile
printf 'print("hello")\n' > ctx/src/app.py
printf 'STRIPE_SECRET_KEY=sk_live_9Rf3kQ2mXvL8pT6wYz1bNc4H\n' > ctx/.env
printf '.env\n' > ctx/.containerignore

run "$LAYERSCAN" context ctx
expect_status 0
expect_out '^no findings'

run "$LAYERSCAN" context --list-files ctx
expect_status 0
[ "$(cat out)" = "$(printf '.containerignore\nContainerfile\nsrc/app.py')" ] || fail "list: $(cat out)"

# without the ignore line: .env is sent, and COPY . ships it
: > ctx/.containerignore
run "$LAYERSCAN" context ctx
expect_status 1
expect_out 'at +\.env$'
expect_out 'stripe-live-secret-key'
expect_out 'at +\.env:1:19$'
expect_out 'containerfile-copy-context-secrets'
expect_out 'COPY copies the whole build context, which sends files that hold secrets: \.env'
expect_out 'fix +Keep \.env files out of the image: add `\.env`'

# --all-files scans ignored files, two severities lower, marked not sent
printf '.env\n' > ctx/.containerignore
run "$LAYERSCAN" context ctx --all-files --format json
expect_status 1
expect_out '"severity": "medium"'
expect_out 'not sent to the build'
expect_no_out '"severity": "critical"'

# .containerignore beats .dockerignore; --engine docker reads only .dockerignore
printf '' > ctx/.dockerignore
run "$LAYERSCAN" context ctx
expect_status 0
run "$LAYERSCAN" context ctx --engine docker
expect_status 1
printf '.env\n' > ctx/.dockerignore
rm ctx/.containerignore
run "$LAYERSCAN" context ctx
expect_status 0

# --engine docker: a pattern naming a directory excludes what is below it
# even where the walk enters the directory (an exception re-includes a file
# in it), as Docker matches each parent directory of a path
mkdir -p dk/build/sub
printf 'x\n' > dk/app.py
printf 'k\n' > dk/build/keep.txt
printf 'S=1\n' > dk/build/other.env
printf 's\n' > dk/build/sub/deep.txt
printf 'build\n!build/keep.txt\n' > dk/.dockerignore
run "$LAYERSCAN" context --engine docker --list-files dk
expect_status 0
[ "$(cat out)" = "$(printf '.dockerignore\napp.py\nbuild/keep.txt')" ] || fail "docker list: $(cat out)"

# a Containerfile-specific ignore file (-f), relative to the context as podman does
mkdir ctx/build
printf 'FROM scratch\nCOPY . /app\n' > ctx/build/Containerfile
printf '' > ctx/build/Containerfile.containerignore
run "$LAYERSCAN" context -f build/Containerfile ctx
expect_status 1
expect_out 'at +\.env'

# a broken pattern fails the build, so it fails the scan: exit 2, named
printf '[oops\n' > ctx/.dockerignore
run "$LAYERSCAN" context ctx
expect_status 2
expect_err "\.dockerignore:1: bad pattern '\[oops'"
