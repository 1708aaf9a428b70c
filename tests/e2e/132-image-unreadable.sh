# Content that cannot be read inside a readable image (an encrypted zip
# member) is a warning on that item: text on stderr, JSON "warnings", SARIF
# a notification at level "warning"; the exit status stays 0/1 by the
# findings.  --strict makes it an error (exit 2).  A damaged layer stays an
# error: 150-image-bad-input.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case encrypted-zip
save_all encrypted-zip
scan_all encrypted-zip
expect_status 1
expect_findings <<'EOF2'
rule=github-pat source=file path=app/app.env line=1 col=14 layer=2 hidden=false hidden_by=null layers=2
EOF2
python3 - <<'PY' || fail "expected one warning naming the locked member, no error"
import json
d = json.load(open("out"))
assert d["errors"] == [], d["errors"]
assert len(d["warnings"]) == 1, d["warnings"]
assert "'data/locked.zip!secret.env'" in d["warnings"][0], d["warnings"]
PY
expect_err "^layerscan: warning: 'encrypted-zip.docker.tar': layer [0-9a-f]*\\.tar: 'data/locked\\.zip!secret\\.env': "

# text and SARIF
run "$LAYERSCAN" image encrypted-zip.oci.tar
expect_status 1
expect_err "^layerscan: warning: .*data/locked\\.zip!secret\\.env"
run "$LAYERSCAN" image --format sarif encrypted-zip.oci.tar
expect_status 1
python3 - <<'PY' || fail "SARIF: the warning is not a notification at level warning"
import json
inv = json.load(open("out"))["runs"][0]["invocations"][0]
n = inv["toolExecutionNotifications"]
assert [x["level"] for x in n] == ["warning"], n
assert "locked.zip!secret.env" in n[0]["message"]["text"], n
assert inv["executionSuccessful"] is True, inv
PY

# --strict: an error, exit 2, findings still reported
run "$LAYERSCAN" image --strict --format json encrypted-zip.docker.tar
expect_status 2
expect_out '"rule": "github-pat"'
expect_err "locked\\.zip!secret\\.env.*\\(--strict\\)"
