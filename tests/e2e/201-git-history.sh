# git history: a secret is reported once, at the commit that added it, with
# the line of that version; removing it later does not hide it; keeping it
# through 50 more commits does not repeat it.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

newrepo r
cd r
printf 'readme\n' > README
git add README
commit 01 'initial'
printf 'import os\n\nTOKEN = "%s"\n' "$GHP" > config.py
git add config.py
commit 02 'add config

with a body that is not the summary'
c_add=$(git rev-parse HEAD)
printf 'import sys\n\nTOKEN = "%s"\n' "$GHP" > config.py
git add config.py
commit 03 'touch another line'
printf 'import sys\n' > config.py
git add config.py
commit 04 'remove the token'
cd ..

run "$LAYERSCAN" git --format json r
expect_status 1
expect_summary "github-pat config.py:3 $c_add"
for k in '"source": "commit"' '"kind": "git"' '"author": "Ada Tester"' \
	 '"email": "ada@example.com"' '"date": "2024-01-02T10:00:00Z"' \
	 '"message": "add config"' '"column": 10' '"errors": \[\]'; do
	expect_out "$k"
done

# the same fingerprint as a context scan of that version of the file
mkdir ctx
printf 'import os\n\nTOKEN = "%s"\n' "$GHP" > ctx/config.py
run "$LAYERSCAN" context --format json ctx
grep '"fingerprint"' out > fp_ctx
run "$LAYERSCAN" git --format json r
grep '"fingerprint"' out > fp_git
cmp fp_ctx fp_git || fail "history fingerprint differs from the context one"

# text output names the path and line
run "$LAYERSCAN" git --color never r
expect_status 1
expect_out 'at +config.py:3:10'

# the same secret kept through 50 commits is one finding; a second secret
# added at commit 30 is one more, at that commit
newrepo many
cd many
printf 'STRIPE=%s\n' "$SK1" > app.env
git add app.env
commit 01 'stripe key'
c_first=$(git rev-parse HEAD)
i=1
while [ $i -le 50 ]; do
	printf 'line %d\n' $i >> app.env
	if [ $i -eq 30 ]; then
		printf 'OTHER=%s\n' "$SK2" >> app.env
	fi
	git add app.env
	GIT_AUTHOR_DATE="2024-02-01T10:00:$(printf %02d $((i % 60)))Z" \
	GIT_COMMITTER_DATE="2024-02-01T10:00:$(printf %02d $((i % 60)))Z" \
		git commit -q -m "commit $i"
	[ $i -eq 30 ] && c30=$(git rev-parse HEAD)
	i=$((i + 1))
done
cd ..
run "$LAYERSCAN" git --format json many
expect_status 1
expect_summary "stripe-live-secret-key app.env:1 $c_first" \
	"stripe-live-secret-key app.env:32 $c30"

# identical output for any thread count
run "$LAYERSCAN" git --format json -j1 many
grep -v '"seconds"' out > j1
run "$LAYERSCAN" git --format json -j4 many
grep -v '"seconds"' out > j4
cmp j1 j4 || fail "output depends on the thread count"
