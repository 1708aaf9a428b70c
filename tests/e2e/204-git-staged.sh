# git --staged: what is staged against HEAD, for a pre-commit hook.  Only
# added or changed lines count; unstaged changes do not.
. "$TOP/tests/e2e/lib.sh"

# ---- helpers shared by the 2NN-git tests (copied, kept identical) ----
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
# ---- end of helpers ----

newrepo r
cd r
# HEAD not born yet: everything staged is added
printf 'K=%s\n' "$SK1" > old.env
git add old.env
cd ..
run "$LAYERSCAN" git --staged r
expect_status 1
expect_out 'at +old.env:1:3'

cd r
commit 01 'old secret, committed'
printf 'one\ntwo\n' > tracked.txt
git add tracked.txt
commit 02 'tracked'
# staged: a new file with a token, and an edit next to the old secret
printf 'x\ntoken = "%s"\n' "$GHP" > new.py
printf 'K=%s\nnew line\n' "$SK1" > old.env
git add new.py old.env
# unstaged: a secret in a tracked file and in an untracked one
printf 'one\nS=%s\n' "$SK2" > tracked.txt
printf 'S=%s\n' "$SK2" > untracked.env
cd ..

run "$LAYERSCAN" git --staged --format json r
expect_status 1
expect_summary "github-pat new.py:2 -"
expect_out '"source": "file"'
expect_out '"kind": "staged"'
expect_no_out '"commit"'

run "$LAYERSCAN" git --staged r
expect_status 1
expect_out 'at +new.py:2:10'
expect_no_out 'old.env|tracked.txt|untracked.env'

# once committed, nothing is staged
cd r
commit 03 'commit it'
cd ..
run "$LAYERSCAN" git --staged r
expect_status 0

# a staged rename moves a secret without adding a line
cd r
git mv new.py moved.py
cd ..
run "$LAYERSCAN" git --staged r
expect_status 0

# --staged needs a work tree, and goes with no history option
git clone -q --bare r bare.git
run "$LAYERSCAN" git --staged bare.git
expect_status 2
expect_err "'bare.git': --staged needs a work tree"
run "$LAYERSCAN" git --staged --max-commits 3 r
expect_status 2
