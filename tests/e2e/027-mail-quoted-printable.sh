# Saved mail (issue #17, encodings): a message written by Python's email
# package with quoted-printable text and HTML parts, as mail clients and
# ticket exports save it (.eml, an mbox).  Every `=` of the body is `=3D`
# there and long lines are cut by soft breaks, so a key can be cut in two.
# The scan reads the parts decoded: each secret must be found whole, at the
# line of the file where it starts (its column counts the decoded line, as
# UTF-16 text's count its UTF-8 bytes).  The same encoded body
# without mail headers (a .txt) is not mail and is read as it is: the
# cut key is not found whole there.
. "$TOP/tests/e2e/lib.sh"

python3 - <<'PY'
import os, random
from email.message import EmailMessage
from email import policy

rnd = random.Random(27)
al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def rand(n):
    while True:
        s = "".join(rnd.choice(al) for _ in range(n))
        if any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s):
            return s
stripe = "sk_live_" + rand(40)
pgpass = rand(20)
apikey = rand(32)
def message(pad):
    text = (
        "Hi team, as discussed on the call this morning the payments service" + "." * pad +
        " now uses the new live key " + stripe + " and the old one is revoked.\n\n"
        "The database job needs these two lines in its environment file:\n"
        "PGHOST=db01.internal\n"
        "PGPASSWORD=" + pgpass + "\n\n"
        "Thanks, Dana\n"
    )
    html = "<p>The reporting API_KEY=\"" + apikey + "\" is in the vault as well.</p>\n"
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = "dana@example.org"
    m["To"] = "ops@example.org"
    m["Subject"] = "keys"
    m.set_content(text, cte="quoted-printable")
    m.add_alternative(html, subtype="html", cte="quoted-printable")
    return m.as_bytes()
# the key must be cut by a soft break in the file: that is the test
pad = 0
while stripe.encode() in message(pad):
    pad += 1
raw = message(pad)
os.makedirs("ctx/mail", exist_ok=True)
open("ctx/mail/keys.eml", "wb").write(raw)
# an mbox: a first message without the keys, then the same message
open("ctx/mail/archive.mbox", "wb").write(
    b"From dana@example.org Mon Jan  6 09:00:00 2025\n"
    b"From: dana@example.org\nSubject: hello\nMIME-Version: 1.0\n\nhello\n\n"
    b"From dana@example.org Mon Jan  6 09:05:00 2025\n" + raw.replace(b"\r\n", b"\n"))
# the encoded text alone, without the headers that make it mail
body = raw.split(b"quoted-printable\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0]
open("ctx/body.txt", "wb").write(body)

def where(data, secret):
    """Line and column where the secret's first 8 bytes are in the file."""
    i = data.index(secret[:8].encode())
    line = data.count(b"\n", 0, i) + 1
    return line, i - (data.rfind(b"\n", 0, i) + 1) + 1
with open("expect.tsv", "w") as out:
    for f in ("mail/keys.eml", "mail/archive.mbox"):
        data = open("ctx/" + f, "rb").read()
        for s in (stripe, pgpass, apikey):
            line, col = where(data, s)
            out.write("%s\t%s\t%d\t%d\n" % (f, s, line, col))
    data = open("ctx/mail/keys.eml", "rb").read()
    assert ("PGPASSWORD=3D" + pgpass).encode() in data
open("stripe", "w").write(stripe)
PY

run "$LAYERSCAN" context --format json --no-redact ctx
expect_status 1
python3 - <<'PY' || fail "a secret of the mail was missed or misplaced (above)"
import json
finds = json.load(open("out"))["findings"]
bad = 0
for line in open("expect.tsv"):
    f, s, l, c = line.rstrip("\n").split("\t")
    hit = [x for x in finds if x["path"] == f and x["secret"] == s]
    if not hit:
        print("missed: %s %s" % (f, s)); bad += 1
    elif hit[0]["line"] != int(l):
        print("misplaced: %s %s at line %d, want %s" % (f, s, hit[0]["line"], l)); bad += 1
stripe = open("stripe").read()
whole = [x for x in finds if x["path"] == "body.txt" and x["secret"] == stripe]
if whole:
    print("body.txt (not mail) was decoded"); bad += 1
raise SystemExit(1 if bad else 0)
PY
