# SARIF for a scan that touches every default content and file-name rule
# passes SARIF Multitool with 0 errors (issue #17: a rule's tags once
# listed "secret" twice, which the schema's uniqueItems rejects).  The
# scanned tree is every rule's positive examples, each written as the file
# its examples are scanned as; every such rule must appear in the SARIF
# log's rules, so a rule the scan does not reach fails the test instead of
# going unvalidated.  Structural checks (Containerfile and image policy)
# are judged in 041/400 and left out here.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-sarif.sh"

python3 - "$TOP/patterns" ex > want <<'PY'
import os, sys, tomllib
top, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(top)):
    if not name.endswith(".toml"):
        continue
    with open(os.path.join(top, name), "rb") as f:
        doc = tomllib.load(f)
    for rule in doc.get("rules", []):
        if "check" in rule:
            continue
        ex = rule.get("examples", {})
        path = ex.get("path", "snippet.txt")
        if ":" in path:
            continue   # an image config field (config:Env): 110 judges those
        pos = ex.get("positive", [])
        if not pos:
            continue
        for i, text in enumerate(pos):
            p = os.path.join(out, rule["id"], str(i), path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        # a decode rule reports what the decoded text holds under the
        # rule that matched it there (private-key for a kubeconfig's
        # client-key-data): any result in its directory will do
        print(rule["id"], "decode" if "decode" in rule else "self")
PY
[ "$(wc -l < want)" -gt 100 ] || fail "only $(wc -l < want) rules with examples: the patterns were not read"

run "$LAYERSCAN" context ex --format sarif --output all.sarif
expect_status 1
levels all.sarif
validate all.sarif SARIF2005 SARIF2017
python3 - all.sarif want > missing <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
for r in run["tool"]["driver"]["rules"]:
    tags = r["properties"]["tags"]
    if len(tags) != len(set(tags)):
        print("duplicate tags in", r["id"], tags)
seen = set()
for res in run["results"]:
    uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    top = uri.split("/")[0]
    if res["ruleId"] == top:
        seen.add((top, "self"))
    seen.add((top, "decode"))
for line in open(sys.argv[2]):
    rid, how = line.split()
    if (rid, how) not in seen:
        print("no result for", rid, "from its positive examples")
PY
[ ! -s missing ] || { cat missing; fail "SARIF does not cover every rule (above)"; }
