# lib-policy.sh - helpers for the policy end-to-end tests (sourced after
# lib.sh and lib-image.sh).
#
#   with_sev
#       ./findings from ./out (summarize), each line with the finding's
#       sev=S appended
#   expect_note ERE
#       some "note" of ./out matches ERE
#   expect_clean
#       exit 0, an empty findings list, no ./findings lines
#   config FILE [LINES...]
#       a rules file that keeps the default rules and adds a [policy]
#       table of LINES

with_sev() {
	summarize out >findings
	sed -n 's/^      "severity": "\([a-z]*\)",*$/sev=\1/p' out >sevs
	[ "$(wc -l <sevs)" -eq "$(wc -l <findings)" ] ||
		fail "$(wc -l <sevs) severities for $(wc -l <findings) findings"
	paste -d' ' findings sevs >findings.sev
	mv findings.sev findings
}

expect_note() {
	grep '^      "note": ' out | grep -qE -- "$1" ||
		{ grep '"note"' out; fail "no note matches /$1/"; }
}

expect_clean() {
	expect_status 0
	expect_out '"findings": \[\]'
	[ ! -s findings ] || { cat findings; fail "expected no findings"; }
}

config() {
	_f=$1
	shift
	printf '[extend]\nuseDefault = true\n\n[policy]\n' >"$_f"
	for _l in "$@"; do printf '%s\n' "$_l" >>"$_f"; done
}
