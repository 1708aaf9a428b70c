# SARIF output passes Microsoft's SARIF Multitool validation with zero
# errors, for context, image and git findings, for a clean scan and for a
# scan with errors; the only warnings are the ones docs/ci.md justifies
# (SARIF2005: no public information URI; SARIF2017: findings about a
# file's name have no region).  The Multitool writes a log without any
# result, and exits 0, for a file it cannot read as SARIF (an unknown
# "level", say): so each validation must show the warnings the file is
# known to earn, proof that the Multitool analysed it.  And each SARIF
# file holds the findings of the JSON report of the same scan.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-sarif.sh"

# same_results FILE.sarif FILE.json: the SARIF results are the JSON
# report's findings (the same rules, as many times each, at least one)
same_results() {
	grep -o '"ruleId": "[^"]*"' "$1" | sed 's/.*: //' | sort > "$1.rules"
	grep '^      "rule": ' "$2" | sed 's/.*: //; s/,$//' | sort > "$2.rules"
	[ -s "$2.rules" ] || fail "$2: no findings"
	diff -u "$2.rules" "$1.rules" || fail "$1: its results (+) are not the findings of $2 (-)"
}

run "$LAYERSCAN" context "$TOP/fixtures/demo/context" --format sarif --output ctx.sarif
expect_status 1
grep -q '"version": "2.1.0"' ctx.sarif || fail "not SARIF 2.1.0"
grep -q '"security-severity": "9.5"' ctx.sarif || fail "no security-severity"
grep -q '"layerscan/v1": "ls1:[0-9a-f]\{32\}"' ctx.sarif || fail "no partial fingerprint"
grep -q '"uri": "app/settings.py"' ctx.sarif || fail "context path not repository-relative"
levels ctx.sarif
grep -q '"level": "error"' ctx.sarif || fail "ctx.sarif: no error-level result for the critical findings"
validate ctx.sarif SARIF2005 SARIF2017
run "$LAYERSCAN" context "$TOP/fixtures/demo/context" --format json --output ctx.json
expect_status 1
same_results ctx.sarif ctx.json

run "$LAYERSCAN" image "$TOP/fixtures/demo/image.tar" --format sarif --output img.sarif
expect_status 1
grep -q '"uri": "layer-1/app/.env"' img.sarif || fail "image location does not name the layer"
grep -q '"layerDigest": "sha256:' img.sarif || fail "no layer digest"
levels img.sarif
validate img.sarif SARIF2005 SARIF2017
run "$LAYERSCAN" image "$TOP/fixtures/demo/image.tar" --format json --output img.json
expect_status 1
same_results img.sarif img.json

# history findings: a real repository with a secret added and removed
git init -q repo
git -C repo config user.email dev@example.org
git -C repo config user.name Dev
printf 'TOKEN=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\n' > repo/app.env
git -C repo add app.env && git -C repo commit -qm "add config"
git -C repo rm -q app.env && git -C repo commit -qm "remove config"
run "$LAYERSCAN" git repo --format sarif --output git.sarif
expect_status 1
grep -q '"uri": "app.env"' git.sarif || fail "git location is not the repository path"
grep -q '"commit": "[0-9a-f]\{40\}"' git.sarif || fail "git result lacks the commit"
levels git.sarif
validate git.sarif SARIF2005
run "$LAYERSCAN" git repo --format json --output git.json
expect_status 1
same_results git.sarif git.json

# a clean scan is valid SARIF too
mkdir clean && echo hello > clean/a.txt
run "$LAYERSCAN" context clean --format sarif --output clean.sarif
expect_status 0
grep -q '"results": \[\]' clean.sarif || fail "clean.sarif: results not empty"
grep -q '"executionSuccessful": true' clean.sarif || fail "clean.sarif: execution not successful"
validate clean.sarif SARIF2005

# errors become notifications: a truncated image (the demo cut inside its
# last layer) exits 2, and what could be read is still reported
head -c 600000 "$TOP/fixtures/demo/image.tar" > trunc.tar
run "$LAYERSCAN" image trunc.tar --format sarif --output bad.sarif
expect_status 2
expect_err "^layerscan: 'trunc\.tar': .*Truncated"
[ -s bad.sarif ] || fail "no SARIF written for a scan with errors"
grep -q '"executionSuccessful": false' bad.sarif || fail "bad.sarif: execution not marked unsuccessful"
grep -A4 '"toolExecutionNotifications"' bad.sarif | grep -q '"level": "error"' ||
	fail "bad.sarif: errors are not error-level notifications"
grep -q "Truncated" bad.sarif || fail "bad.sarif: the notifications do not carry the error"
levels bad.sarif
validate bad.sarif SARIF2005 SARIF2017
run "$LAYERSCAN" image trunc.tar --format json --output bad.json
expect_status 2
same_results bad.sarif bad.json
