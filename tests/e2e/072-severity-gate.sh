# The severity gate (docs/cli.md): --fail-on SEV makes the exit status 1
# only for findings at or above SEV (default low), the others still
# reported; --min-severity SEV leaves lower findings out of the report.  In
# every report format, and from a [scan] table in the rule file, which the
# command line overrides.  A context with one medium finding
# (generic-password) and one critical (github-pat).
. "$TOP/tests/e2e/lib.sh"

mkdir ctx
printf 'db_password = "Tr0ub4dor&3xyz"\n' >ctx/settings.ini
printf 'GITHUB_TOKEN=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\n' >ctx/deploy.sh

rules() {   # the rules and severities in ./out (JSON)
	python3 -c 'import json; print(" ".join(sorted(f["rule"] + ":" + f["severity"] for f in json.load(open("out"))["findings"])))'
}

# the default gate (low): both fail the run
run "$LAYERSCAN" context --format json ctx
expect_status 1
[ "$(rules)" = "generic-password:medium github-pat:critical" ] || fail "default: $(rules)"

# --fail-on critical: the medium one is reported, the critical one fails
run "$LAYERSCAN" context --format json --fail-on critical ctx
expect_status 1
[ "$(rules)" = "generic-password:medium github-pat:critical" ] || fail "fail-on critical: $(rules)"
rm ctx/deploy.sh
for fmt in text json sarif junit; do
	run "$LAYERSCAN" context --format $fmt --fail-on high ctx
	expect_status 0
	expect_out 'generic-password'
done
# JUnit: below the gate it is a passing test case, not a failure
expect_out 'failures="0"'
expect_no_out '<failure'
run "$LAYERSCAN" context --format junit ctx
expect_status 1
expect_out 'failures="1"'
expect_out '<failure type="medium"'
printf 'GITHUB_TOKEN=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\n' >ctx/deploy.sh

# --min-severity high: the medium finding is left out of every format
run "$LAYERSCAN" context --format json --min-severity high ctx
expect_status 1
[ "$(rules)" = "github-pat:critical" ] || fail "min-severity high: $(rules)"
for fmt in text sarif junit; do
	run "$LAYERSCAN" context --format $fmt --min-severity high ctx
	expect_status 1
	expect_out 'github-pat'
	expect_no_out 'generic-password'
done
# nothing left: exit 0
rm ctx/deploy.sh
run "$LAYERSCAN" context --format json --min-severity high ctx
expect_status 0
[ -z "$(rules)" ] || fail "min-severity high without the token: $(rules)"

# [scan] in the rule file, and the command line over it
cat >ctx/.layerscan.toml <<'EOF2'
[extend]
useDefault = true
[scan]
fail-on = "high"
min-severity = "info"
EOF2
run "$LAYERSCAN" context --format json ctx
expect_status 0
[ "$(rules)" = "generic-password:medium" ] || fail "[scan] fail-on high: $(rules)"
run "$LAYERSCAN" context --format json --fail-on medium ctx
expect_status 1

# bad values: exit 2 with a clear message
run "$LAYERSCAN" context --fail-on severe ctx
expect_status 2
expect_err "--fail-on wants a severity \\(info, low, medium, high, critical\\), not 'severe'"
printf '[scan]\nfail-on = "loud"\n' >bad.toml
run "$LAYERSCAN" context --config bad.toml ctx
expect_status 2
expect_err "bad\\.toml:2.*\\[scan\\] 'fail-on' must be a severity"
