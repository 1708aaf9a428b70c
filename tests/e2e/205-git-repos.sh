# git repositories of every shape: empty, bare, a .git directory given
# directly, a directory inside a work tree, a shallow clone, a submodule
# entry, and a binary blob.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

# no commits at all: a clean scan
newrepo empty
run "$LAYERSCAN" git empty
expect_status 0
expect_out '^no findings'
git init -q --bare empty.git
run "$LAYERSCAN" git --format json empty.git
expect_status 0
expect_out '"findings": \[\]'

newrepo r
cd r
printf 'K=%s\n' "$SK1" > gone.env
git add gone.env
commit 01 'a secret that is removed later'
c1=$(git rev-parse HEAD)
git rm -q gone.env
printf 'token: %s\n' "$GHP" > keep.yml
git add keep.yml
commit 02 'a secret that stays'
c2=$(git rev-parse HEAD)
# a submodule entry (gitlink) pointing at a commit this repo lacks
git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib
commit 03 'add a submodule'
# a binary file holding a token
printf 'PK\003\004\000\000\000 token=%s \000\001\002\n' "$GHP" > blob.bin
git add blob.bin
commit 04 'binary'
c4=$(git rev-parse HEAD)
mkdir sub
cd ..

want_all="github-pat blob.bin:1 $c4
stripe-live-secret-key gone.env:1 $c1
github-pat keep.yml:1 $c2"

run "$LAYERSCAN" git --format json r
expect_status 1
expect_summary "$want_all"
expect_no_out 'vendor/lib'

# the same from a bare clone, the .git directory and a subdirectory
git clone -q --bare r bare.git
run "$LAYERSCAN" git --format json bare.git
expect_status 1
expect_summary "$want_all"
run "$LAYERSCAN" git --format json r/.git
expect_status 1
expect_summary "$want_all"
run "$LAYERSCAN" git --format json r/sub
expect_status 1
expect_summary "$want_all"

# a shallow clone: the one commit it has is the boundary, its files count
# as added there; the missing parents are not an error
git clone -q --depth 1 "file://$PWD/r" shallow
[ -f shallow/.git/shallow ] || fail "the clone is not shallow"
run "$LAYERSCAN" git --format json shallow
expect_status 1
expect_summary "github-pat blob.bin:1 $c4" "github-pat keep.yml:1 $c4"
expect_out '"errors": \[\]'

# one blob at two paths that rules treat differently (a path-only rule for
# .env, allowlisted for .env.example): the findings of a context scan
newrepo pc
cd pc
mkdir config
printf 'STRIPE=%s\n' "$SK1" > config/.env
cp config/.env config/.env.example
git add config
commit 01 'env files'
c1=$(git rev-parse HEAD)
cd ..
run "$LAYERSCAN" git --format json pc
expect_status 1
expect_summary "sensitive-file-dotenv config/.env:0 $c1" \
	"stripe-live-secret-key config/.env:1 $c1" \
	"stripe-live-secret-key config/.env.example:1 $c1"
