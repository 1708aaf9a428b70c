# git errors: a path that is no repository, a bad revision, a corrupt and
# a missing object: exit 2 with a message naming the repository and the
# object; what could be read is still reported.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

run "$LAYERSCAN" git nosuch
expect_status 2
expect_err "^layerscan: 'nosuch': not a git repository$"
mkdir plain
run "$LAYERSCAN" git plain
expect_status 2
expect_err "'plain': not a git repository"
run "$LAYERSCAN" git a b
expect_status 2

newrepo r
cd r
printf 'K=%s\n' "$SK1" > a.env
printf 'token: %s\n' "$GHP" > b.yml
git add a.env b.yml
commit 01 'two secrets'
blob=$(git rev-parse HEAD:a.env)
cd ..
cp -a r r2

# a truncated loose object
obj="r/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
[ -f "$obj" ] || fail "no loose object $obj"
chmod u+w "$obj"
head -c 10 "$obj" > obj.tmp
cat obj.tmp > "$obj"
run "$LAYERSCAN" git r
expect_status 2
expect_err "^layerscan: 'r': cannot read blob $blob \('a.env' in commit [0-9a-f]{40}\): "
expect_out 'b.yml:1'

# a missing object
obj="r2/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
rm -f "$obj"
run "$LAYERSCAN" git --format json r2
expect_status 2
expect_err "'r2': cannot read blob $blob"
expect_out '"errors": \['
expect_out "cannot read blob $blob"

# a loose object cut to a few bytes (libgit2 1.5 would loop forever on it):
# the tip commit, then a blob; each is an error naming it, never a hang
newrepo t
cd t
printf 'token: %s\n' "$GHP" > a.yml
git add a.yml
commit 01 'one'
printf 'K=%s\n' "$SK1" > b.env
git add b.env
commit 02 'two'
tip=$(git rev-parse HEAD)
blob=$(git rev-parse HEAD:b.env)
cd ..
cp -a t t2
cut5() {
	chmod u+w "$1"
	head -c 5 "$1" > cut.tmp
	cat cut.tmp > "$1"
}
cut5 "t/.git/objects/$(echo "$tip" | cut -c1-2)/$(echo "$tip" | cut -c3-)"
run timeout 60 "$LAYERSCAN" git t
expect_status 2
expect_err "^layerscan: 't': cannot read ref 'refs/heads/main': object $tip: loose object is truncated or corrupt$"
run timeout 60 "$LAYERSCAN" git --branch main t
expect_status 2
expect_err "'t': --branch 'main': cannot read commit $tip"
cut5 "t2/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
run timeout 60 "$LAYERSCAN" git t2
expect_status 2
expect_err "^layerscan: 't2': cannot read blob $blob \('b.env' in commit $tip\): loose object is truncated or corrupt$"
expect_out 'a.yml:1'

# --allow-partial: the same error, exit by findings (a.yml's token)
run timeout 60 "$LAYERSCAN" git --allow-partial t2
expect_status 1
expect_err "^layerscan: 't2': cannot read blob $blob "
expect_err "the scan is incomplete \(--allow-partial"
expect_out 'a.yml:1'

# a mirror's pull ref naming a commit it does not have: one error naming
# the ref, the rest scanned (git log -p --all stops at it instead)
cp -a r2 m
mkdir -p m/.git/refs/pull/7
echo 0123456789abcdef0123456789abcdef01234567 > m/.git/refs/pull/7/head
run timeout 60 "$LAYERSCAN" git m
expect_status 2
expect_err "^layerscan: 'm': cannot read ref 'refs/pull/7/head': object 0123456789abcdef0123456789abcdef01234567: "
expect_out 'b.yml:1'
run timeout 60 "$LAYERSCAN" git --allow-partial m
expect_status 1
expect_out 'b.yml:1'
