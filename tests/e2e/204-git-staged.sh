# git --staged: what is staged against HEAD, for a pre-commit hook.  Only
# added or changed lines count; unstaged changes do not.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

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
printf 'a = 1\n' > conf.py
git add tracked.txt conf.py
commit 02 'tracked'
# staged: a new file with a token, an edit next to the old secret, and a
# secret added to a tracked file
printf 'x\ntoken = "%s"\n' "$GHP" > new.py
printf 'K=%s\nnew line\n' "$SK1" > old.env
printf 'a = 1\nkey = "%s"\n' "$SK2" > conf.py
git add new.py old.env conf.py
# unstaged: a secret in a tracked file and in an untracked one
printf 'one\nS=%s\n' "$SK2" > tracked.txt
printf 'S=%s\n' "$SK2" > untracked.env
cd ..

run "$LAYERSCAN" git --staged --format json r
expect_status 1
expect_summary "stripe-live-secret-key conf.py:2 -" "github-pat new.py:2 -"
expect_out '"source": "file"'
expect_out '"kind": "staged"'
expect_no_out '"commit"'

run "$LAYERSCAN" git --staged r
expect_status 1
expect_out 'at +new.py:2:10'
expect_out 'at +conf.py:2:8'
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
