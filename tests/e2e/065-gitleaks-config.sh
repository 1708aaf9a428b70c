# A .gitleaks.toml written for gitleaks (v8 schema, both allowlist forms)
# works unchanged, found in the scanned directory without --config.
. "$TOP/tests/e2e/lib.sh"

mkdir -p repo/src repo/test
cat > repo/.gitleaks.toml <<'TOML'
title = "acme gitleaks config"

[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "acme-service-token"
description = "Acme internal service token"
regex = '''(?i)\b(acmesvc_[a-z0-9]{32})(?:['|\"|\n|\r|\s|\x60|;]|$)'''
secretGroup = 1
entropy = 3.5
keywords = ["acmesvc_"]
tags = ["acme", "internal"]

    [rules.allowlist]
    description = "test tokens"
    regexTarget = "match"
    regexes = ['''acmesvc_test''']
    paths = ['''^test/''']

[[rules]]
id = "acme-db-dsn"
description = "Acme DSN with a password"
regex = '''acmedb://[a-z0-9_]+:([^@\s]{8,})@'''
keywords = ["acmedb://"]

    [[rules.allowlists]]
    condition = "AND"
    stopwords = ["local"]
    regexTarget = "line"
    regexes = ['''#\s*dev only''']

[allowlist]
description = "global allowlist"
paths = ['''(^|/)vendor/''', '''\.lock$''']
regexes = ['''acmesvc_0{32}''']
TOML
printf 'token = "acmesvc_k2j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8"\n' > repo/src/a.py
printf 'token = "acmesvc_k2j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8"\n' > repo/test/a_test.py
printf 'token = "acmesvc_00000000000000000000000000000000"\n' > repo/src/zero.py
printf 'DSN=acmedb://app:Zx81Lq0Pv3localX@db # dev only\nDSN2=acmedb://app:Zx81Lq0Pv3Mn4B@db\n' > repo/src/db.env
printf 'GH=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\n' > repo/src/gh.env

run "$LAYERSCAN" context repo --format json -v
expect_status 1
expect_err "using rules from 'repo/\.gitleaks\.toml'"
# the custom rule, once (test/ allowlisted by path, the zero token globally)
[ "$(grep -c '"rule": "acme-service-token"' out)" -eq 1 ] || fail "acme-service-token count"
expect_out '"path": "src/a\.py"'
# AND allowlist: only the line with both the stopword and the comment is allowed
[ "$(grep -c '"rule": "acme-db-dsn"' out)" -eq 1 ] || fail "acme-db-dsn count"
# useDefault keeps the built-in rules; disabledRules removes one
expect_out '"rule": "github-pat"'
expect_no_out '"rule": "generic-api-key"'
