# SARIF output passes Microsoft's SARIF Multitool validation with zero
# errors, for context and image findings; the only warnings are the ones
# docs/ci.md justifies (SARIF2005: no public information URI; SARIF2017:
# findings about a file's name have no region).
. "$TOP/tests/e2e/lib.sh"

mt=/opt/layerscan-tools/sarif-multitool-5.7.0/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
[ -x "$mt" ] || fail "SARIF Multitool missing: run src/tools/deps.sh test (as root)"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

validate() {
	# $1: a SARIF file. The Multitool exits 0 even on problems: read its log.
	"$mt" validate -o "$1.val" "$1" > "$1.log" 2>&1 || { cat "$1.log"; fail "Multitool failed on $1"; }
	[ -s "$1.val" ] || { cat "$1.log"; fail "no validation log for $1"; }
	if grep -q '"level": "error"' "$1.val"; then
		grep -B2 -A12 '"level": "error"' "$1.val" | head -60
		fail "$1: SARIF validation errors"
	fi
	grep -o '"ruleId": "SARIF[0-9]*"' "$1.val" | sort -u | sed 's/.*"\(SARIF[0-9]*\)"/\1/' > "$1.warn"
	if grep -vxE 'SARIF2005|SARIF2017' "$1.warn"; then
		fail "$1: unexpected SARIF warnings (above)"
	fi
}

run "$LAYERSCAN" context "$TOP/fixtures/demo/context" --format sarif --output ctx.sarif
expect_status 1
grep -q '"version": "2.1.0"' ctx.sarif || fail "not SARIF 2.1.0"
grep -q '"security-severity": "9.5"' ctx.sarif || fail "no security-severity"
grep -q '"layerscan/v1": "ls1:[0-9a-f]\{32\}"' ctx.sarif || fail "no partial fingerprint"
grep -q '"uri": "app/settings.py"' ctx.sarif || fail "context path not repository-relative"
validate ctx.sarif

run "$LAYERSCAN" image "$TOP/fixtures/demo/image.tar" --format sarif --output img.sarif
expect_status 1
grep -q '"uri": "layer-1/app/.env"' img.sarif || fail "image location does not name the layer"
grep -q '"layerDigest": "sha256:' img.sarif || fail "no layer digest"
validate img.sarif

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
validate git.sarif

# a clean scan is valid SARIF too, and errors become notifications
mkdir clean && echo hello > clean/a.txt
run "$LAYERSCAN" context clean --format sarif --output clean.sarif
expect_status 0
validate clean.sarif
run "$LAYERSCAN" image clean/a.txt --format sarif --output bad.sarif
expect_status 2
