# Copies of one nested archive (src/scan/memo.h): the first copy is scanned,
# later copies of the same bytes get the same findings under their own path
# and layer, unless a path rule or allowlist treats a path inside the new
# copy differently (then it is scanned again); an archive with errors or
# warnings is not memoised, so every copy reports its own (a damaged archive
# inside a layer is a warning: the exit status is 1 by the findings, and 2
# with --strict).  All four forms, one and two
# threads, give the same report.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case nested-copies
save_all nested-copies
for form in docker.tar oci.tar ocidir; do
	for t in 1 2; do
		run timeout 60 "$LAYERSCAN" image --format json --threads $t nested-copies.$form
		expect_status 1
		summarize out >findings
		expect_findings <<'EOF2'
rule=stripe-live-secret-key source=file path=app/config/bundle.tar.gz!conf/.env line=2 col=19 layer=1 hidden=false hidden_by=null layers=1
rule=sensitive-file-dotenv source=file path=app/config/bundle.tar.gz!conf/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1
rule=generic-password source=file path=app/config/bundle.tar.gz!conf/db.yaml line=3 col=14 layer=1 hidden=false hidden_by=null layers=1
rule=stripe-live-secret-key source=file path=app/tests/bundle.tar.gz!conf/.env line=2 col=19 layer=2 hidden=false hidden_by=null layers=2
rule=sensitive-file-dotenv source=file path=app/tests/bundle.tar.gz!conf/.env line=0 col=0 layer=2 hidden=false hidden_by=null layers=2
rule=stripe-live-secret-key source=file path=srv/bundle.tar.gz!conf/.env line=2 col=19 layer=3 hidden=false hidden_by=null layers=3
rule=sensitive-file-dotenv source=file path=srv/bundle.tar.gz!conf/.env line=0 col=0 layer=3 hidden=false hidden_by=null layers=3
rule=generic-password source=file path=srv/bundle.tar.gz!conf/db.yaml line=3 col=14 layer=3 hidden=false hidden_by=null layers=3
rule=stripe-live-secret-key source=file path=srv/guides/bundle.tar.gz!conf/.env line=2 col=19 layer=4 hidden=false hidden_by=null layers=4
rule=sensitive-file-dotenv source=file path=srv/guides/bundle.tar.gz!conf/.env line=0 col=0 layer=4 hidden=false hidden_by=null layers=4
rule=generic-password source=file path=srv/guides/bundle.tar.gz!conf/db.yaml line=3 col=14 layer=4 hidden=false hidden_by=null layers=4
EOF2
		# each copy of the broken archive reports its own warning
		expect_out "layer [^ ]*: 'srv/a/broken\\.tar\\.gz' looks like an archive but cannot be read"
		expect_out "layer [^ ]*: 'srv/b/broken\\.tar\\.gz' looks like an archive but cannot be read"
		# the fingerprints follow the path of each copy
		grep '"fingerprint": "ls1:' out | sort >fp
		[ "$(wc -l <fp)" = 11 ] && [ "$(sort -u fp | wc -l)" = 11 ] ||
			fail "$form --threads $t: expected 11 distinct fingerprints"
		# and the whole of every finding is the same in every run
		sed -n '/^  "findings": \[/,/^  \]/p' out >"f.$form.$t"
		cmp -s "f.$form.$t" f.docker.tar.1 ||
			{ diff f.docker.tar.1 "f.$form.$t" >&2; fail "$form --threads $t: findings differ from docker.tar --threads 1"; }
	done
done

# the copy under srv/guides is documentation: its password is ranked
# low, the same bytes under srv/ keep the rule's severity (the memo keys
# each copy by its place as well as by the rules its paths meet)
run timeout 60 "$LAYERSCAN" image --format json nested-copies.docker.tar
python3 - <<'PY' || fail "the documentation copy's password is not low, or the srv copy's is"
import json
d = json.load(open("out"))
sev = {f["path"]: f["severity"] for f in d["findings"] if f["rule"] == "generic-password"}
assert sev["srv/bundle.tar.gz!conf/db.yaml"] == "medium", sev
assert sev["srv/guides/bundle.tar.gz!conf/db.yaml"] == "low", sev
PY

# the damaged archives are warnings in the report, not errors ...
run timeout 60 "$LAYERSCAN" image --format json nested-copies.docker.tar
expect_status 1
python3 - <<'PY' || fail "the damaged archives are not two warnings and no error"
import json
d = json.load(open("out"))
assert d["errors"] == [], d["errors"]
w = [m for m in d["warnings"] if "broken.tar.gz' looks like an archive but cannot be read" in m]
assert len(w) == 2, d["warnings"]
PY
expect_err "^layerscan: warning: .*srv/a/broken\\.tar\\.gz"
# ... and errors with --strict
run timeout 60 "$LAYERSCAN" image --strict --format json nested-copies.docker.tar
expect_status 2
expect_err "^layerscan: .*srv/a/broken\\.tar\\.gz.* \\(--strict\\)"
