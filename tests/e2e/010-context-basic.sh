# context: finds planted secrets with exact line and column; exit codes.
. "$TOP/tests/e2e/lib.sh"

mkdir -p ctx/sub
printf 'first line\n# FAKE token for tests\nexport GITHUB_TOKEN=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\n' > ctx/sub/env.sh
printf 'nothing here\n' > ctx/clean.txt

run "$LAYERSCAN" context ctx
expect_status 1
expect_out 'github-pat'
expect_out 'at +sub/env.sh:3:21$'
expect_out '1 finding'
# redacted by default: the full token is never printed
expect_no_out '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'

run "$LAYERSCAN" --no-redact context ctx
expect_status 1
expect_out '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'

run "$LAYERSCAN" context ctx --exit-code 7
expect_status 7

# a lookalike with a wrong checksum (GitHub's documentation example)
mkdir clean
printf 'token: gho_16C7e42F292c6912E7710c838347Ae178B4a\n' > clean/doc.md
run "$LAYERSCAN" context clean
expect_status 0
expect_out '^no findings in 1 file'

# --quiet prints nothing when clean
run "$LAYERSCAN" --quiet context clean
expect_status 0
[ ! -s out ] || fail "quiet run printed something"

# a missing directory is an input error naming it
run "$LAYERSCAN" context does-not-exist
expect_status 2
expect_err "'does-not-exist': cannot open"

# --output writes the report there and nothing to stdout
run "$LAYERSCAN" context ctx --format json --output report.json
expect_status 1
[ ! -s out ] || fail "stdout not empty with --output"
grep -q '"rule": "github-pat"' report.json || fail "report.json lacks the finding"
