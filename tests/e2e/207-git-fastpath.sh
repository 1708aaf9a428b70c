# git fast path: edits of big files are scanned around the changed bytes
# only; the findings must be exactly those of scanning every blob whole
# (LAYERSCAN_GIT_FULL_SCAN=1): same commits, paths, lines and columns.
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

# lines 1..1500 of filler, about 30 KB
filler() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) printf "value_%04d = compute(%d)  # filler\n", i, i }'
}

newrepo r
cd r
filler 1 1500 > big.py
git add big.py
commit 01 'big file'
# a secret in the middle
{ filler 1 499; printf 'STRIPE = "%s"\n' "$SK1"; filler 500 1500; } > big.py
git add big.py
commit 02 'secret in the middle'
c2=$(git rev-parse HEAD)
# an edit right next to it: nothing new
{ filler 1 499; printf 'STRIPE = "%s"\n' "$SK1"; echo 'changed = 1'; filler 501 1500; } > big.py
git add big.py
commit 03 'edit next to the secret'
# a token at the very start and a key at the very end
{ printf 'TOKEN = "%s"\n' "$GHP"; filler 1 499; printf 'STRIPE = "%s"\n' "$SK1"; echo 'changed = 1'; filler 501 1500; } > big.py
git add big.py
commit 04 'token at the start'
c4=$(git rev-parse HEAD)
{ printf 'TOKEN = "%s"\n' "$GHP"; filler 1 499; printf 'STRIPE = "%s"\n' "$SK1"; echo 'changed = 1'; filler 501 1500; printf 'OTHER = "%s"\n' "$SK2"; } > big.py
git add big.py
commit 05 'key at the end'
c5=$(git rev-parse HEAD)
# two edits far apart, one of them removing the first secret
{ printf 'TOKEN = "%s"\n' "$GHP"; filler 1 99; filler 120 499; echo 'STRIPE = None'; echo 'changed = 1'; filler 501 1500; printf 'OTHER = "%s"\n' "$SK2"; } > big.py
git add big.py
commit 06 'two edits'
# the first secret comes back somewhere else in the file
{ printf 'TOKEN = "%s"\n' "$GHP"; filler 1 99; filler 120 899; printf 'AGAIN = "%s"\n' "$SK1"; filler 900 1500; printf 'OTHER = "%s"\n' "$SK2"; } > big.py
git add big.py
commit 07 'the key again'
cd ..

want="github-pat big.py:1 $c4
stripe-live-secret-key big.py:500 $c2
stripe-live-secret-key big.py:1503 $c5"
run "$LAYERSCAN" git --format json -v r
expect_status 1
expect_summary "$want"
grep -v '"seconds"' out > fast
# the fast path did run: fewer bytes went through the matcher than exist
sed -n 's/.* \([0-9]*\) of \([0-9]*\) bytes through the matcher.*/\1 \2/p' err > bytes
read -r scanned total < bytes || fail "no statistics note"
[ "$scanned" -lt "$total" ] || fail "the fast path did not run ($scanned of $total)"

LAYERSCAN_GIT_FULL_SCAN=1 run "$LAYERSCAN" git --format json -v r
expect_status 1
grep -v '"seconds"' out > full
cmp fast full || { diff -u full fast; fail "the fast path changed the findings"; }
sed -n 's/.* \([0-9]*\) of \([0-9]*\) bytes through the matcher.*/\1 \2/p' err > bytes
read -r scanned total < bytes
[ "$scanned" -eq "$total" ] || fail "full scan skipped bytes"

# A Kubernetes Secret: its rule reads a whole data block from the "data:"
# line (a wide window), so an edit far below that line still yields a new
# finding; the fast path must see the wide-window keyword and scan whole.
manifest() {   # manifest N VALUE: the manifest with entry N's value replaced
	awk 'BEGIN { for (i = 1; i <= 150; i++) printf "# padding comment line %04d to make the manifest long\n", i }'
	printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n'
	i=1
	while [ $i -le 120 ]; do
		v=$(printf 'Zq7K%04dXw9Lm3Rt8Vb2Ny' $i)
		[ $i -eq "$1" ] && v=$2
		printf '  key%04d: %s\n' $i "$(printf '%s' "$v" | base64)"
		i=$((i + 1))
	done
}
newrepo k
cd k
manifest 0 x > secret.yaml
git add secret.yaml
commit 01 'a secret manifest'
manifest 110 'Hn4Pw8Qz2Lk6Tr9Vm3Xc' > secret.yaml
git add secret.yaml
commit 02 'rotate key0110'
c2=$(git rev-parse HEAD)
cd ..
run "$LAYERSCAN" git --format json k
expect_status 1
summary | grep " $c2\$" > got
[ "$(cat got)" = "kubernetes-secret-data secret.yaml:266 $c2" ] || { cat got; fail "the rotated value is not reported"; }
grep -v '"seconds"' out > fast
LAYERSCAN_GIT_FULL_SCAN=1 run "$LAYERSCAN" git --format json k
grep -v '"seconds"' out > full
cmp fast full || { diff -u full fast; fail "the fast path changed the findings"; }
