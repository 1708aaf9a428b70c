# Issue #19 items 1 and 2 beyond test folders: a generic (name = value)
# finding in documentation, in a code comment's example or in a patch hunk
# that changes a test file is reported at low with a note saying why; the
# same line in configuration keeps the rule's severity; a provider-format
# token keeps its severity everywhere.  Translation catalogs and
# reStructuredText roles are not configuration at all.
. "$TOP/tests/e2e/lib.sh"

pw='password = "Vq7nT2wLz9kR4m"'
tok='xoxb-2048617354-4096123857-Gk3Lm9QrT2vXw8Yb5Nc1Hd6J'

mkdir -p t/docs t/guides t/app t/debian/patches t/config t/po
printf 'Connect with:\n\n    %s\n' "$pw" > t/docs/setup.txt
printf '# Upgrading\n\n    %s\n' "$pw" > t/guides/upgrading.md
printf '* 1.2: the example uses %s\n' "$pw" > t/CHANGELOG
printf 'Bot token for the demo: %s\n' "$tok" > t/README.md
# a comment example (two spaces after the marker) and code switched off (one)
printf 'class Client\n  # Example:\n  #   client.%s\n  # %s\nend\n' "$pw" "$pw" > t/app/client.rb
printf '// Usage:\n//\tconn.%s\n' "$pw" > t/app/conn.go
# a quilt patch: one hunk adds a test fixture, one changes the program
cat > t/debian/patches/fix-auth.patch <<PATCH
Description: fix auth
--- a/tests/data/test998
+++ b/tests/data/test998
@@ -0,0 +1,2 @@
+user = tester
+$pw
--- a/src/config.ini
+++ b/src/config.ini
@@ -1,1 +1,2 @@
 [db]
+$pw
PATCH
printf '%s\n' "$pw" > t/config/app.ini
# a translated --password help line, a grammar role in reStructuredText
printf 'msgid "  --password=PASS  set password"\nmsgstr "  --password=PASS  adgangskode: Hk3Lz8Qw2Rv"\n' > t/po/da.po
printf 'the value of :token:`~python-grammar:expression_list` is\n' > t/docs/expressions.rst

"$LAYERSCAN" context --format json t > out.json || true
python3 - out.json > got <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f["path"], f["line"], f["severity"], f.get("note", ""))
PY
cat got

want() {
	grep -qE "$1" got || fail "no finding like: $1"
}
want '^generic-password docs/setup.txt 3 low in documentation, a generic rule: ranked low'
want '^generic-password guides/upgrading.md 3 low in documentation'
want '^generic-password CHANGELOG 1 low in documentation'
want '^slack-bot-token README.md 1 (critical|high) '
want "^generic-password app/client.rb 3 low in a code comment's example"
want '^generic-password app/client.rb 4 medium $'
want "^generic-password app/conn.go 2 low in a code comment's example"
want '^generic-password debian/patches/fix-auth.patch 6 low in test data \(a test folder or a test file\): ranked low \(the patch changes b/tests/data/test998\)'
want '^generic-password debian/patches/fix-auth.patch 11 medium $'
want '^generic-password config/app.ini 1 medium $'
if grep -E 'po/da.po|expressions.rst' got; then
	fail "a translation or a reStructuredText role reported"
fi
[ "$(wc -l < got)" -eq 10 ] || fail "want 10 findings, got $(wc -l < got)"
