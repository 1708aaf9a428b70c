# Assignment syntaxes (issue #17, class 3): one generated value under a
# secret-like name, written in each of 68 syntaxes of 30 languages and
# formats (Go var with a type, System.setProperty, PHP .=, make ::= and
# :::=, an XML element with its value on the next line, os.environ[...],
# Dockerfile ENV, fish/bat set, compose "- X_KEY=...", Kubernetes name /
# value pairs, CLI flags ...), each in its own file of the right name.
# Every (form, name) pair must be found; the few a service-named key
# (acme_key) is not read in are listed below, with the reason.  The values
# come from a fixed seed, so a failure names a reproducible case.  Then the
# same forms with placeholders and an environment reference
# must give no finding but the .env files' own.
. "$TOP/tests/e2e/lib.sh"

python3 - <<'PY'
import os, random
rnd = random.Random(26)
al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def value():
    while True:
        s = "".join(rnd.choice(al) for _ in range(32))
        if any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s):
            return s
names = [("apiToken", "API_TOKEN", "api_token"), ("clientSecret", "CLIENT_SECRET", "client_secret"),
         ("dbPassword", "DB_PASSWORD", "db_password"), ("apiKey", "API_KEY", "api_key"),
         ("accessKey", "ACCESS_KEY", "access_key"), ("authToken", "AUTH_TOKEN", "auth_token"),
         ("acmeKey", "ACME_KEY", "acme_key")]
forms = [
 ("go1.go", '{c} := "{v}"'), ("go2.go", 'var {c} string = "{v}"'), ("go3.go", 'var {c} = "{v}"'), ("go4.go", 'const {c} = "{v}"'),
 ("j1.java", 'String {c} = "{v}";'), ("j2.java", 'System.setProperty("{U}", "{v}");'), ("j3.java", 'private static final String {U} = "{v}";'),
 ("p1.php", '${c} .= "{v}";'), ("p2.php", '${c} = "{v}";'), ("p3.php", "'{s}' => '{v}',"),
 ("m1.mk", '{U} ::= {v}'), ("m2.mk", '{U} :::= {v}'), ("m3.mk", '{U} ?= {v}'), ("m4.mk", '{U} := {v}'), ("m5.mk", '{U} += {v}'),
 ("x1.xml", '<{c}>{v}</{c}>'), ("x2.xml", '<{c}>\n  {v}\n</{c}>'),
 ("y1.yaml", '{s}: {v}'), ("y2.yaml", "{s}: '{v}'"), ("y3.yaml", '{c}: "{v}"'),
 ("js1.json", '{{"{c}": "{v}"}}'), ("js2.js", 'const {c} = "{v}";'), ("js3.js", 'let {c} = `{v}`;'), ("js4.js", '{{ {c}: "{v}" }}'),
 ("py1.py", '{s} = "{v}"'), ("py2.py", "{U} = '{v}'"), ("py3.py", 'os.environ["{U}"] = "{v}"'), ("py4.py", '{s}: str = "{v}"'),
 ("rb1.rb", '{s} = "{v}"'), ("rb2.rb", ':{s} => "{v}"'), ("rb3.rb", '{s}: "{v}"'),
 ("sh1.sh", 'export {U}="{v}"'), ("sh2.sh", '{U}={v}'), ("sh3.sh", "export {U}='{v}'"),
 ("ini1.ini", '{s} = {v}'), ("ini2.ini", '{s}={v}'), ("p1.properties", '{s}={v}'), ("p2.properties", 'app.{s}={v}'),
 ("toml1.toml", '{s} = "{v}"'), ("cs1.cs", 'string {c} = "{v}";'), ("cs2.cs", 'var {c} = @"{v}";'),
 ("kt1.kt", 'val {c} = "{v}"'), ("rs1.rs", 'let {s} = "{v}";'), ("swift1.swift", 'let {c} = "{v}"'),
 ("d1/Dockerfile", 'ENV {U}={v}'), ("d2/Dockerfile", 'ENV {U} {v}'), ("tf1.tf", '{s} = "{v}"'),
 ("cfg1.cfg", '{s}: {v}'), ("bat1.bat", 'set {U}={v}'), ("ps1.ps1", '${c} = "{v}"'), ("ps2.ps1", '$env:{U} = "{v}"'),
 ("lua1.lua", 'local {s} = "{v}"'), ("pl1.pl", 'my ${s} = "{v}";'), ("groovy1.groovy", 'def {c} = "{v}"'), ("scala1.scala", 'val {c} = "{v}"'),
 ("c1.c", '#define {U} "{v}"'), ("c2.c", 'const char *{s} = "{v}";'), ("c3.cpp", 'std::string {c} = "{v}";'),
 ("e1/.env", '{U}={v}'), ("e2/.env", '{U}="{v}"'), ("k8s.yaml", '  - name: {U}\n    value: "{v}"'),
 ("nv.json", '{{"name": "{U}", "value": "{v}"}}'), ("hcl.hcl", '{s} = "{v}"'), ("nix.nix", '{c} = "{v}";'), ("ex.exs", '{s}: "{v}"'),
 ("cli1.sh", 'curl -H "X-Api-Key: {v}" https://api.example.test/x'), ("cli2.sh", 'mycli --{k} {v}'), ("cli3.sh", 'mycli --{k}={v}'),
]
# A name that only says "key" after a service's name is read where a value is
# assigned to it; not (yet) in these forms: make's +=, an element whose value
# is on the next line, Dockerfile ENV with a blank, a C #define, a name/value
# pair, System.setProperty (its "name", "value" shape is also a SQL row's), a
# command-line flag, or a header whose name does not say key.
service_key_skip = {"j2.java", "m5.mk", "x2.xml", "d2/Dockerfile", "c1.c", "k8s.yaml", "nv.json", "cli1.sh", "cli2.sh", "cli3.sh"}
with open("expect.tsv", "w") as out:
    for i, (fn, tpl) in enumerate(forms):
        for j, (c, U, s) in enumerate(names):
            if s == "acme_key" and fn in service_key_skip:
                continue
            v = value()
            d = "pos/%02d-%d/%s" % (i, j, os.path.dirname(fn))
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, os.path.basename(fn))
            open(path, "w").write(tpl.format(c=c, U=U, s=s, v=v, k=s.replace("_", "-")) + "\n")
            out.write("%s\t%s\t%s\n" % (fn, s, v))
        # the same form with values that are not secrets
        for k, v in enumerate(["${API_TOKEN}", "changeme", "your-api-key-here", "xxxxxxxxxxxxxxxxxxxxxxxx"]):
            c, U, s = names[k % len(names)]
            d = "neg/%02d-%d/%s" % (i, k, os.path.dirname(fn))
            os.makedirs(d, exist_ok=True)
            open(os.path.join(d, os.path.basename(fn)), "w").write(tpl.format(c=c, U=U, s=s, v=v, k=s.replace("_", "-")) + "\n")
PY

run "$LAYERSCAN" context --format json --no-redact pos
expect_status 1
python3 - <<'PY' || fail "assignment forms missed (form, name, value above)"
import json
found = [f["secret"] for f in json.load(open("out"))["findings"]]
miss = []
n = 0
for line in open("expect.tsv"):
    fn, s, v = line.rstrip("\n").split("\t")
    n += 1
    if not any(v in x for x in found):
        miss.append((fn, s, v))
for m in miss:
    print("missed: %s %s %s" % m)
print("%d of %d forms found" % (n - len(miss), n))
raise SystemExit(1 if miss else 0)
PY

# (a .env file is reported by its name whatever it holds: sensitive-file-dotenv)
run "$LAYERSCAN" context --format json --no-redact neg
python3 - <<'PY' || fail "a placeholder, a reference or a variable was reported (above)"
import json
bad = [f for f in json.load(open("out"))["findings"] if not f["rule"].startswith("sensitive-file-")]
for f in bad:
    print("reported: %s %s %s" % (f["rule"], f["path"], f["secret"]))
raise SystemExit(1 if bad else 0)
PY
