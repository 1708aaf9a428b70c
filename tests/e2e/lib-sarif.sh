# lib-sarif.sh - SARIF Multitool validation for the e2e tests (sourced
# after lib.sh): validate FILE WARNING..., levels FILE.

mt=/opt/layerscan-tools/sarif-multitool-5.7.0/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
[ -x "$mt" ] || fail "SARIF Multitool missing: run src/tools/deps.sh test (as root)"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

# validate FILE WARNING...: the Multitool finds no error in FILE, and
# exactly the warnings (SARIF rule ids) listed
validate() {
	_f=$1
	shift
	rm -f "$_f.val"
	"$mt" validate -o "$_f.val" "$_f" > "$_f.log" 2>&1 || { cat "$_f.log"; fail "Multitool failed on $_f"; }
	[ -s "$_f.val" ] || { cat "$_f.log"; fail "no validation log for $_f"; }
	if grep -q '"level": "error"' "$_f.val"; then
		grep -B2 -A12 '"level": "error"' "$_f.val" | head -60
		fail "$_f: SARIF validation errors"
	fi
	grep -o '"ruleId": "SARIF[0-9]*"' "$_f.val" | sort -u | sed 's/.*"\(SARIF[0-9]*\)"/\1/' > "$_f.warn"
	printf '%s\n' "$@" | sort -u > "$_f.want"
	diff -u "$_f.want" "$_f.warn" > "$_f.wdiff" || {
		cat "$_f.log"
		cat "$_f.wdiff"
		fail "$_f: the Multitool's warnings (+) are not the expected ones (-): a log without the usual warnings means it could not read the file"
	}
}

# levels FILE: every "level" in FILE is one SARIF knows (3.27.10)
levels() {
	grep -o '"level": "[^"]*"' "$1" | sort -u > "$1.levels"
	[ -s "$1.levels" ] || fail "$1: no level at all"
	if grep -vxE '"level": "(none|note|warning|error)"' "$1.levels"; then
		fail "$1: levels SARIF does not define (above)"
	fi
}

