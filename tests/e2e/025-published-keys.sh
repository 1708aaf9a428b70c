# Private keys published on purpose (docs/rules.md, "Published keys"): a
# key whose public-key fingerprint is in patterns/published-keys.tsv is
# reported at info with a note naming whose test key it is, and does not
# fail the run; a freshly made key next to it is critical.  The published
# ones here are GnuTLS's self-test keys as Debian's libgnutls30 compiles
# them in (a slice of the library: fixtures/pubkeys/README.md).
. "$TOP/tests/e2e/lib.sh"

mkdir -p ctx/lib
cp "$TOP/fixtures/pubkeys/gnutls-selftest-keys.bin" ctx/lib/libgnutls.so.30
run "$LAYERSCAN" context --format json ctx
expect_status 0
python3 - <<'PY' || fail "the GnuTLS self-test keys are not all info with the published note"
import json
f = json.load(open("out"))["findings"]
assert len(f) == 6, len(f)
for x in f:
    assert x["rule"] == "private-key" and x["severity"] == "info", x
    assert x["note"].startswith("a published test key from GnuTLS's self-tests"), x["note"]
PY

# the same keys next to one of our own (fixtures/pubkeys: fake, but not
# published): only ours fails the run
cp "$TOP/fixtures/pubkeys/ec-p256-pkcs8.pem" ctx/deploy-key.pem
run "$LAYERSCAN" context ctx
expect_status 1
expect_out '^CRITICAL +private-key'
expect_out 'at +deploy-key\.pem:1:1'
expect_out 'note +a published test key from GnuTLS'
