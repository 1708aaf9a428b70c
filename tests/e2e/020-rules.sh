# Rules: every default rule's examples pass; bad rule files exit 2 with
# file:line:column messages; a gitleaks-style config works.
. "$TOP/tests/e2e/lib.sh"

run "$LAYERSCAN" rules check
expect_status 0
expect_out '^[0-9]+ rules, [0-9]+ examples, 0 failed$'

run "$LAYERSCAN" rules list
expect_status 0
expect_out '^github-pat +critical +ghp_'

# malformed TOML
printf '[[rules]]\nid = "x"\nregex = "unterminated\n' > bad1.toml
run "$LAYERSCAN" rules check bad1.toml
expect_status 2
expect_err '^bad1\.toml:3:[0-9]+: '

# a regex that does not compile, reported at its line
printf '[[rules]]\nid = "x"\nkeywords = ["x"]\nregex = '"'''"'(unclosed'"'''"'\n' > bad2.toml
run "$LAYERSCAN" rules check bad2.toml
expect_status 2
expect_err "^bad2\.toml:4:9: 'regex' does not compile"

# the same config used for a scan refuses to scan
mkdir ctx && echo hi > ctx/a
run "$LAYERSCAN" context ctx --config bad2.toml
expect_status 2
expect_err 'bad2\.toml:4:9'
expect_err 'rules not loaded'

# a config file that does not exist
run "$LAYERSCAN" context ctx --config nope.toml
expect_status 2
expect_err "nope\.toml: cannot open"

# a custom rule in the gitleaks schema, extending the defaults
cat > custom.toml <<'TOML'
title = "team rules"

[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
description = "Acme internal API token"
regex = '''\b(acme_[a-z0-9]{32})\b'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]

  [rules.allowlist]
  stopwords = ["0000"]
TOML
printf 'ACME=acme_4f9d2c7b1e8a6f3d0c5b9e2a7d4f1c8b\nAPI=acme_00000000000000000000000000000000\nT=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\n' > ctx/a
run "$LAYERSCAN" context ctx --config custom.toml --format json
expect_status 1
expect_out '"rule": "acme-internal-token"'
expect_out '"rule": "github-pat"'
[ "$(grep -c '"rule": "acme-internal-token"' out)" -eq 1 ] || fail "stopword did not allow the zero token"
