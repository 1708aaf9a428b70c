# git history ranks findings by path the way a context scan does (issue #19
# item 4): one blob at a test path and at an application path is scanned
# once, but its findings are low in the test folder and at the rule's
# severity elsewhere; one blob in a README and in a config file likewise for
# a generic rule.  (A blob is scanned once per path class: the class must
# include what the rankings read in the path, finding/place.h.)
. "$TOP/tests/e2e/lib.sh"

. "$TOP/tests/e2e/lib-git.sh"

newrepo r
cd r
mkdir -p tests/fixtures app docs
printf 'STRIPE_KEY=%s\n' "$SK1" > app/app.env
cp app/app.env tests/fixtures/app.env
printf 'db_password = "Vq7nT2wLz9kR4m"\n' > settings.ini
cp settings.ini README.md
git add -A
commit 01 'one blob at two places each'
c1=$(git rev-parse HEAD)
cd ..

"$LAYERSCAN" git --format json r > out.json 2>err || true
python3 - out.json > got <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f["path"], f["severity"])
PY
sort got -o got
cat > want <<WANT
generic-password README.md low
generic-password settings.ini medium
stripe-live-secret-key app/app.env critical
stripe-live-secret-key tests/fixtures/app.env low
WANT
diff -u want got || { cat err; fail "findings or severities differ"; }

# the same in the other order of first sight: in a new history the test
# path sorts before the application path (a rename would not be reported
# again, so this is a repository of its own)
newrepo r2
cd r2
mkdir -p tests/fixtures zz-app
printf 'STRIPE_KEY=%s\n' "$SK1" > zz-app/app.env
cp zz-app/app.env tests/fixtures/app.env
git add -A
commit 01 'test path first'
cd ..
"$LAYERSCAN" git --format json r2 > out.json 2>err || true
python3 - out.json > got <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f["path"], f["severity"])
PY
grep -qx 'stripe-live-secret-key zz-app/app.env critical' got || { cat got; fail "zz-app/app.env not critical when the test path comes first"; }
grep -qx 'stripe-live-secret-key tests/fixtures/app.env low' got || { cat got; fail "tests/fixtures/app.env not low"; }
