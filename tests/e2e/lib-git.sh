# lib-git.sh - helpers for the 2NN-git end-to-end tests (sourced after lib.sh):
# a fixed identity and dates, fake secrets, and a findings summary.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME='Ada Tester' GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME='Ada Tester' GIT_COMMITTER_EMAIL=ada@example.com
GHP=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
SK1=sk_live_xnzonJNSMymMXbteRLw3bk9O
SK2=sk_live_MbxeD08KaCyZkrQT9lWkUu2j
# commit DAY MSG: commit what is staged on 2024-01-DAY at 10:00 UTC
commit() {
	GIT_AUTHOR_DATE="2024-01-$1T10:00:00Z" GIT_COMMITTER_DATE="2024-01-$1T10:00:00Z" \
		git commit -q --allow-empty -m "$2"
}
newrepo() {
	git init -q -b main "$1"
}
# summary: the JSON findings in ./out as "rule path:line commit" lines
summary() {
	awk -F'"' '/^    \{/ { r = ""; p = ""; l = ""; c = "-" }
		/^      "rule":/ { r = $4 }
		/^      "path":/ { p = $4 }
		/^      "line":/ { l = $3; gsub(/[^0-9]/, "", l) }
		/^        "id":/ { c = $4 }
		/^    \}/ { print r, p ":" l, c }' out
}
expect_summary() {
	summary > got
	printf '%s\n' "$@" | sed '/^$/d' > want
	diff -u want got || { cat err; fail "findings differ"; }
}
