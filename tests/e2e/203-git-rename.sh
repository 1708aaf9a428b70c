# git history and renames: a pure rename (the same blob moves) reports
# nothing new; a later edit of the renamed file reports only what is new
# there; a copy to a new path is a new place for the secret: reported.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

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
