# Baselines and ignore files: a baseline written from one scan makes the same
# scan exit 0, and a secret added afterwards is the only one reported.
# Ignore files accept the three fingerprint forms.
. "$TOP/tests/e2e/lib.sh"

mkdir ctx
printf 'GITHUB_TOKEN=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\n' > ctx/a.env
printf 'stripe_key = "sk_live_9Rf3kQ2mXvL8pT6wYz1bNc4H"\n' > ctx/b.py

run "$LAYERSCAN" context ctx --write-baseline base.json
expect_status 1
grep -c '"fingerprint"' base.json > n
[ "$(cat n)" -ge 2 ] || fail "baseline has $(cat n) findings"

run "$LAYERSCAN" context ctx --baseline base.json
expect_status 0
expect_out '^no findings'

# a new secret after the baseline: the only one reported
printf 'OTHER=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\nNPM=npm_4H2Y7GzQWBuTSOoRi4A9spHcVY5nc0yUqhP\n' > ctx/c.env
run "$LAYERSCAN" context ctx --baseline base.json --format json
expect_status 1
[ "$(grep -c '"rule"' out)" -ge 1 ] || fail "nothing new reported"
expect_no_out '"path": "(a\.env|b\.py)"'
expect_out '"path": "c\.env"'
rm ctx/c.env

# JSON carries all three fingerprints
run "$LAYERSCAN" context ctx --format json
expect_status 1
# github-pat's content fingerprint (the key follows "rule" in a finding)
awk '/^      "rule": / { r = $2 } r == "\"github-pat\"," && /"content": "sha256:[0-9a-f]+"/ { print; exit }' out |
	grep -o '"content": "sha256:[0-9a-f]\{64\}"' > content.fp || true
[ -s content.fp ] || fail "no content fingerprint for github-pat"
expect_out '"positional": "a\.env:github-pat:1"'

# .layerscanignore with the positional form and a comment
printf '# accepted: test token\na.env:github-pat:1\n' > ctx/.layerscanignore
run "$LAYERSCAN" context ctx --format json
expect_status 1
expect_no_out '"rule": "github-pat"'
expect_out '"rule": "stripe-live-secret-key"'

# the content form survives the secret moving to another line
printf '\n\n%s\n' "$(cat ctx/a.env)" > ctx/a2 && mv ctx/a2 ctx/a.env
c=$(sed 's/.*"\(sha256:[0-9a-f]*\)"/\1/' content.fp)
printf '%s\n' "$c" > ctx/.layerscanignore
run "$LAYERSCAN" context ctx --format json --report-unused-ignores
expect_status 1
expect_no_out '"rule": "github-pat"'
expect_out '"rule": "stripe-live-secret-key"'
expect_out '"path": "b\.py"'
# an entry that suppressed something is not reported unused
if grep -q 'unused ignore entry' err; then cat err; fail "a used ignore entry is reported unused"; fi

# .gitleaksignore is read too; unused entries are reported on request
rm ctx/.layerscanignore
printf 'nowhere.txt:github-pat:7\n' > ctx/.gitleaksignore
run "$LAYERSCAN" context ctx --report-unused-ignores
expect_status 1
expect_err "\.gitleaksignore:1: unused ignore entry 'nowhere\.txt:github-pat:7'"

# a broken baseline is an input error
echo 'not json' > broken.json
run "$LAYERSCAN" context ctx --baseline broken.json
expect_status 2
expect_err 'broken\.json:1:'
