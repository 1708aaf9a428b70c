# Provenance (docs/provenance.md): a finding in a file a package manager
# installed and nobody changed is info, names the package and leaves the
# exit status alone; a file the image's author added, or a package's file
# changed after installation, keeps its rule's severity.  dpkg (md5sums and
# status Conffiles, the database in a later layer than its files), npm's
# hidden lockfile and a wheel's RECORD, on all four forms (the one-pass
# reader from a pipe sees the layers in another order than the two-pass
# one, and must judge the same).
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

# one line a finding: rule path:line severity provenance package
prov() {
	python3 - "$1" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    p = f.get("provenance") or {}
    print(f["rule"], "%s:%d" % (f["path"], f["line"]), f["severity"], p.get("status", "-"),
          (p.get("package") or "-").replace(" ", "_"))
EOF
}

expect_prov() {
	prov out | sort >prov.got
	sort >prov.expected
	diff -u prov.expected prov.got || fail "provenance differs from the expected"
}

# the fixture's hashes are the files' own (a fixture edited without its
# database would test nothing)
f=$FIXTURES/provenance
(cd "$f/pkg" && md5sum -c --quiet "$f/pkgdb/var/lib/dpkg/info/demo-tools.md5sums") ||
	fail "precondition: fixtures/images/provenance md5sums do not match its files"
grep -q " /etc/demo-tools.conf $(md5sum <"$f/pkg/etc/demo-tools.conf" | cut -c1-32)" \
	"$f/pkgdb/var/lib/dpkg/status" ||
	fail "precondition: the conffile's md5 in status is not the file's"

# only what packages installed: exit 0, every finding info and vendor
build_case_as provenance-vendor provenance --target vendor-only
save_all provenance-vendor
scan_all provenance-vendor
expect_status 0
expect_prov <<'EOF'
github-pat usr/share/doc/demo-tools/README:3 info vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/doc/demo-tools/README:4 info vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/demo-tools/example.conf:2 info vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key srv/app/node_modules/left-pad/index.js:2 info vendor npm:left-pad@1.3.0
stripe-live-secret-key usr/lib/python3/dist-packages/demo_wheel/settings.py:2 info vendor wheel:demo_wheel_1.0
EOF
expect_out '"note": "installed by dpkg:demo-tools 1.2-3: a package manager put this file there unchanged'
expect_out '"package": "npm:left-pad@1.3.0"'

# --include-vendor: their rules' severity again, and the exit status 1
run "$LAYERSCAN" image --format json --include-vendor provenance-vendor.docker.tar
expect_status 1
expect_prov <<'EOF'
github-pat usr/share/doc/demo-tools/README:3 critical vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/doc/demo-tools/README:4 critical vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/demo-tools/example.conf:2 critical vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key srv/app/node_modules/left-pad/index.js:2 critical vendor npm:left-pad@1.3.0
stripe-live-secret-key usr/lib/python3/dist-packages/demo_wheel/settings.py:2 critical vendor wheel:demo_wheel_1.0
EOF

# --max-findings cut a vendor file's findings: a warning (its findings are
# info, the run is clean); with --include-vendor the error it always was
run "$LAYERSCAN" image --format json --max-findings 1 provenance-vendor.docker.tar
expect_status 0
expect_err "^layerscan: warning: .*'usr/share/doc/demo-tools/README': more than --max-findings \\(1\\) findings in a file dpkg:demo-tools 1\\.2-3 installed unchanged"
run "$LAYERSCAN" image --format json --max-findings 1 --include-vendor provenance-vendor.docker.tar
expect_status 2
expect_err "^layerscan: .*'usr/share/doc/demo-tools/README': more than --max-findings \\(1\\) findings: the rest were not reported"

# text: the package is named, and info does not fail the run
run "$LAYERSCAN" image provenance-vendor.docker.tar
expect_status 0
expect_out '^INFO +github-pat'
expect_out 'package dpkg:demo-tools 1.2-3 \(installed by the package, unchanged\)'

# the full image: what the author added or changed keeps its severity.
# example.conf line 2 is the package's own text, shipped unchanged by layer
# 1 (and again in layer 5's edited copy: one finding, the earliest); line
# 3 is what the RUN step appended.  The RUN steps' commands, tokens
# included, are in the image's history too.
build_case provenance
save_all provenance
scan_all provenance
expect_status 1
expect_prov <<'EOF'
github-pat usr/share/doc/demo-tools/README:3 info vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/doc/demo-tools/README:4 info vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/demo-tools/example.conf:2 info vendor dpkg:demo-tools_1.2-3
stripe-live-secret-key usr/share/demo-tools/example.conf:3 critical modified dpkg:demo-tools_1.2-3
github-pat etc/demo-tools.conf:3 critical modified dpkg:demo-tools_1.2-3
stripe-live-secret-key srv/app/node_modules/left-pad/index.js:2 info vendor npm:left-pad@1.3.0
github-pat srv/app/node_modules/internal-lib/index.js:1 critical - -
github-pat srv/app/README.md:3 critical - -
stripe-live-secret-key srv/app/README.md:4 critical - -
stripe-live-secret-key usr/lib/python3/dist-packages/demo_wheel/settings.py:2 info vendor wheel:demo_wheel_1.0
stripe-live-secret-key usr/lib/python3/dist-packages/internal_tool/config.py:1 critical - -
stripe-live-secret-key history:5:1 critical - -
github-pat history:6:1 critical - -
EOF
expect_out 'dpkg:demo-tools 1.2-3 installed this file, but its bytes no longer match the package.s md5: it was changed after installation'

# --max-findings in the author's own file stays an error
run "$LAYERSCAN" image --format json --max-findings 1 provenance.oci.tar
expect_status 2
expect_err "^layerscan: .*'srv/app/README\\.md': more than --max-findings \\(1\\) findings: the rest were not reported"
expect_err "^layerscan: warning: .*'usr/share/doc/demo-tools/README': more than --max-findings"
if grep -v '^layerscan: warning: ' err | grep -q "demo-tools/README': more than"; then
	fail "a vendor file's cut is an error"
fi
