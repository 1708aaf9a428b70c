# The CLI contract: help, version, usage errors, unbuilt commands (exit 2).
. "$TOP/tests/e2e/lib.sh"

run "$LAYERSCAN" --help
expect_status 0
expect_out '^usage: layerscan'
expect_out 'context'

run "$LAYERSCAN"
expect_status 2
expect_err 'usage: layerscan'

run "$LAYERSCAN" version
expect_status 0
expect_out '^layerscan [0-9]+\.[0-9]+\.[0-9]+$'

run "$LAYERSCAN" context --help
expect_status 0
expect_out 'layerscan context'

run "$LAYERSCAN" --bogus context .
expect_status 2
expect_err "unknown option '--bogus'"

run "$LAYERSCAN" frobnicate
expect_status 2
expect_err "unknown command 'frobnicate'"

run "$LAYERSCAN" --format xml context .
expect_status 2
expect_err "unknown format 'xml'"

run "$LAYERSCAN" --threads 0 context .
expect_status 2
expect_err 'threads'

# git on a directory that is no repository: an input error naming it
mkdir notrepo
run "$LAYERSCAN" git notrepo
expect_status 2
expect_err "'notrepo': not a git repository"

# `layerscan FILE` for an existing file means `image FILE`
: > some.tar
run "$LAYERSCAN" some.tar
expect_status 2
expect_err "^layerscan: 'some\.tar': "

# the health-check canary
run "$LAYERSCAN" selftest
expect_status 0
expect_out '^selftest: ok \([0-9]+ rules, 1 finding\)$'
run "$LAYERSCAN" selftest --config /nonexistent.toml
expect_status 0

# A report that cannot be written (a full disk, here /dev/full) is an
# error, not a clean exit.
mkdir -p fullctx
printf 'nothing to see\n' >fullctx/a.txt
set +e
"$LAYERSCAN" context fullctx >/dev/full 2>err
st=$?
set -e
expect_status 2
expect_err 'cannot write the report to standard output'
