# git history and renames: a pure rename (the same blob moves) reports
# nothing new; a later edit of the renamed file reports only what is new
# there; a copy to a new path is a new place for the secret: reported.
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
mkdir src
printf 'x = 1\nkey = "%s"\n' "$SK1" > src/a.py
git add src
commit 01 'add a.py'
c1=$(git rev-parse HEAD)
git mv src/a.py src/b.py
commit 02 'rename a.py to b.py'
printf 'y = 2\nx = 1\nkey = "%s"\n' "$SK1" > src/b.py
git add src/b.py
commit 03 'edit b.py'
# a whole directory moves
git mv src lib
commit 04 'move src to lib'
printf 'z = 3\nkey = "%s"\ntoken = "%s"\n' "$SK1" "$GHP" > lib/b.py
git add lib/b.py
commit 05 'add a token to b.py'
c5=$(git rev-parse HEAD)
cp lib/b.py lib/c.py
git add lib/c.py
commit 06 'copy b.py to c.py'
c6=$(git rev-parse HEAD)
cd ..

run "$LAYERSCAN" git --format json r
expect_status 1
expect_summary "github-pat lib/b.py:3 $c5" \
	"stripe-live-secret-key lib/c.py:2 $c6" \
	"github-pat lib/c.py:3 $c6" \
	"stripe-live-secret-key src/a.py:2 $c1"
