# git history across branches: a secret only on a side branch, a secret
# added while resolving a merge conflict, a merge that brings a secret in
# (reported once, at its branch commit), --branch, --range, --since and
# --max-commits.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

newrepo r
cd r
printf 'a\nb\nc\n' > f.txt
git add f.txt
commit 01 'base'
c_base=$(git rev-parse HEAD)

# a side branch with a secret that is never merged
git checkout -q -b side
printf 'KEY=%s\n' "$SK1" > side.env
git add side.env
commit 02 'side secret'
c_side=$(git rev-parse HEAD)

# a feature branch that conflicts with main
git checkout -q main
git checkout -q -b feature
printf 'a\nfeature\nc\n' > f.txt
printf 'token: %s\n' "$GHP" > feat.yml
git add f.txt feat.yml
commit 03 'feature work'
c_feat=$(git rev-parse HEAD)
git checkout -q main
printf 'a\nmain\nc\n' > f.txt
git add f.txt
commit 04 'main work'
c_main=$(git rev-parse HEAD)
if GIT_AUTHOR_DATE=2024-01-05T10:00:00Z GIT_COMMITTER_DATE=2024-01-05T10:00:00Z \
	git merge -q feature -m merge >/dev/null 2>&1; then
	fail "the merge should conflict"
fi
# the resolution adds a new secret
printf 'a\nmain and feature\nSTRIPE=%s\nc\n' "$SK2" > f.txt
git add f.txt
commit 05 'merge feature'
c_merge=$(git rev-parse HEAD)
git rev-parse HEAD^2 >/dev/null || fail "not a merge commit"
cd ..

run "$LAYERSCAN" git --format json r
expect_status 1
expect_summary "stripe-live-secret-key f.txt:3 $c_merge" \
	"github-pat feat.yml:1 $c_feat" \
	"stripe-live-secret-key side.env:1 $c_side"

# --branch: only what main can reach
run "$LAYERSCAN" git --format json --branch main r
expect_status 1
expect_summary "stripe-live-secret-key f.txt:3 $c_merge" \
	"github-pat feat.yml:1 $c_feat"
run "$LAYERSCAN" git --format json --branch side r
expect_status 1
expect_summary "stripe-live-secret-key side.env:1 $c_side"
run "$LAYERSCAN" git --branch nosuch r
expect_status 2
expect_err "'r': --branch 'nosuch'"

# --range: what a push of the merge adds to main (the feature commit and
# the merge), not what main had
run "$LAYERSCAN" git --format json --range "$c_main..main" r
expect_status 1
expect_summary "stripe-live-secret-key f.txt:3 $c_merge" \
	"github-pat feat.yml:1 $c_feat"
# the merge alone: the feature side is outside the range, so what the merge
# takes from it is not new; only the conflict resolution is
run "$LAYERSCAN" git --format json --range "$c_feat..main" r
expect_status 1
expect_summary "stripe-live-secret-key f.txt:3 $c_merge"
run "$LAYERSCAN" git --format json --range "$c_base..$c_main" r
expect_status 0
run "$LAYERSCAN" git --range main r
expect_status 2
expect_err '--range wants A..B'

# the same secret added at the same path on two branches: reported once, at
# the older commit (commits ready at once are taken oldest first), whichever
# branch was made first
newrepo two
cd two
printf 'x\n' > f.txt
git add f.txt
commit 01 'base'
git checkout -q -b later
printf 'K=%s\n' "$SK1" > same.env
git add same.env
commit 03 'later copy'
c_later=$(git rev-parse HEAD)
git checkout -q main
git checkout -q -b earlier
printf 'K=%s\n' "$SK1" > same.env
git add same.env
commit 02 'earlier copy'
c_earlier=$(git rev-parse HEAD)
cd ..
run "$LAYERSCAN" git --format json two
expect_status 1
expect_summary "stripe-live-secret-key same.env:1 $c_earlier"
[ "$c_later" != "$c_earlier" ] || fail "precondition: the two commits are one"

# --since and --max-commits on a line of commits; commit 3 edits a file
# whose old secret is outside the window: not new, not reported
newrepo lin
cd lin
printf 'A=%s\n' "$SK1" > a.env
git add a.env
commit 01 'first'
printf 'B=%s\n' "$SK2" > b.env
git add b.env
commit 02 'second'
c2=$(git rev-parse HEAD)
printf 'A=%s\nmore\n' "$SK1" > a.env
printf 'C=%s\n' "$GHP" > c.env
git add a.env c.env
commit 03 'third'
c3=$(git rev-parse HEAD)
cd ..
run "$LAYERSCAN" git --format json --max-commits 1 lin
expect_status 1
expect_summary "github-pat c.env:1 $c3"
run "$LAYERSCAN" git --format json --max-commits 2 lin
expect_status 1
expect_summary "stripe-live-secret-key b.env:1 $c2" "github-pat c.env:1 $c3"
run "$LAYERSCAN" git --format json --since 2024-01-02 lin
expect_status 1
expect_summary "stripe-live-secret-key b.env:1 $c2" "github-pat c.env:1 $c3"
run "$LAYERSCAN" git --format json --since 2024-01-02T11:00:00+02:00 lin
expect_status 1
expect_summary "stripe-live-secret-key b.env:1 $c2" "github-pat c.env:1 $c3"
run "$LAYERSCAN" git --format json --since 2024-01-03T10:00:01Z lin
expect_status 0
run "$LAYERSCAN" git --since yesterday lin
expect_status 2
expect_err '--since wants a date'
run "$LAYERSCAN" git --max-commits 0 lin
expect_status 2

# a commit allowlist: what the listed commit adds is not reported, not
# even later when the file changes again with the secret still in it
newrepo al
cd al
printf 'x\n' > a.env
git add a.env
commit 01 'base'
printf 'x\nK=%s\n' "$SK1" > a.env
git add a.env
commit 02 'allowed'
c_allowed=$(git rev-parse HEAD)
printf 'y\nK=%s\n' "$SK1" > a.env
printf 'K=%s\n' "$SK2" > b.env
git add a.env b.env
commit 03 'more'
c_more=$(git rev-parse HEAD)
cd ..
printf '[extend]\nuseDefault = true\n\n[[allowlists]]\ncommits = ["%s"]\n' "$c_allowed" > allow.toml
run "$LAYERSCAN" git --format json --config allow.toml al
expect_status 1
expect_summary "stripe-live-secret-key b.env:1 $c_more"
run "$LAYERSCAN" git --format json al
expect_status 1
expect_summary "stripe-live-secret-key a.env:2 $c_allowed" \
	"stripe-live-secret-key b.env:1 $c_more"
