#!/bin/sh
# published-keys.sh - build patterns/published-keys.tsv: the fingerprints of
# private keys that their authors published on purpose.
#
#   sh src/tools/published-keys.sh > patterns/published-keys.tsv
#
# Libraries and language runtimes ship private keys as test vectors: a
# library's built-in self-test signs with a key compiled into it, a test
# suite reads its keys from .pem files next to the tests.  Those keys are
# printed in the package for anyone to read; finding one in an image is not
# a leak, and reporting it as critical buries the real findings (a plain
# Debian image used to give six critical findings, all GnuTLS's self-test
# keys).  layerscan reports a private key whose public key is in this list
# as `info`, "a published test key from <origin>" (docs/rules.md,
# "Published keys").
#
# The sources (Debian bookworm binary packages, fetched with `apt-get
# download` into a temporary directory and unpacked with dpkg-deb -x;
# nothing is installed and nothing else is downloaded):
#   libgnutls30            GnuTLS's self-tests (lib/crypto-selftests-pk.c)
#                          compile RSA, DSA, ECDSA, EdDSA and GOST keys into
#                          libgnutls.so.30; they are in every Debian image.
#   libmbedcrypto7, libmbedx509-1, libmbedtls14
#                          mbedTLS built with MBEDTLS_SELF_TEST and its test
#                          certificates (library/certs.c): the keys are
#                          compiled into the shared libraries; libgit2 pulls
#                          them into layerscan's own image.
#   libpython3.11-testsuite
#                          CPython's Lib/test/*.pem (ssl, asyncio tests),
#                          with their private keys.
#   golang-1.19-src        Go's standard library tests (crypto/tls,
#                          crypto/x509, net/http ...) embed their keys in the
#                          source (Go later disguised them as "TESTING KEY";
#                          in 1.19 most are plain).
#   ruby3.1, libruby3.1    Ruby's test keys, where the package ships them.
#   libnode108             Node.js 18's shared library (bundled test data).
#   php8.2-common          PHP's bundled test keys, if any.
#   python3-twisted        Twisted's tests (twisted/test/*.pem, the SSH keys
#                          of twisted/conch/test/keydata.py).
#   python3-tornado        Tornado's tests (tornado/test/test.key).
#   python3-aiohttp        aiohttp's documentation example (server.key).
#   libssl3, openssl, libwolfssl35, libnss3, libcurl4, python3-urllib3,
#   python3-httplib2, python3-openssl
#                          checked, none found (no test keys shipped).
# A package that has no key adds no line; the counts per package are
# printed on stderr.
#
# Each key is found as a PEM block (-----BEGIN ... PRIVATE KEY----- to
# -----END ...-----) anywhere in a file's bytes, binaries included (C string
# constants are contiguous text), also when written as a source-code string
# with "\n" escapes, quotes and `+` between the lines.  Its fingerprint is
# the SHA-256 of the DER SubjectPublicKeyInfo of its public key, computed
# by openssl (`openssl pkey -pubout -outform DER | sha256sum`); for OpenSSH
# keys the public key blob in the file is converted (ssh-keygen -e -m
# PKCS8, or by hand for Ed25519).  The public key of an encrypted key
# (ENCRYPTED PRIVATE KEY, or Proc-Type/DEK-Info headers) is out of reach
# without the passphrase; such a key is listed by the SHA-256 of its
# decoded ciphertext instead (type encrypted-*; src/finding/pubkey.h), which
# names exactly those published bytes.
#
# Output: a header of comments, then one line per key, sorted:
#   <sha256 hex> TAB <type> TAB <origin> TAB <where it was found>
# type is e.g. rsa-2048, ec-prime256v1, ed25519, dsa-2048.
#
# Needs: apt-get, dpkg-deb, openssl, ssh-keygen, certtool (gnutls-bin: the
# public keys of GnuTLS's GOST keys, which OpenSSL cannot read), python3
# (standard library only).
set -eu

PACKAGES=${PACKAGES:-"libgnutls30 libmbedcrypto7 libmbedx509-1 libmbedtls14 libpython3.11-testsuite golang-1.19-src ruby3.1 libruby3.1 libnode108 php8.2-common python3-twisted python3-tornado python3-aiohttp libssl3 openssl libwolfssl35 libnss3 libcurl4 python3-urllib3 python3-httplib2 python3-openssl"}

tmp=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT INT TERM; fi

mkdir -p "$tmp/debs" "$tmp/root" "$tmp/keys"
( cd "$tmp/debs" && apt-get download $PACKAGES >&2 )

for deb in "$tmp"/debs/*.deb; do
	pkg=$(dpkg-deb -f "$deb" Package)
	ver=$(dpkg-deb -f "$deb" Version)
	mkdir -p "$tmp/root/$pkg"
	dpkg-deb -x "$deb" "$tmp/root/$pkg"
	echo "$pkg	$ver" >>"$tmp/versions"
done

# Find the blocks; write each distinct unencrypted one as keys/N.pem
# (normalised PEM), the fingerprint of each encrypted one into encfps, and a
# line "N <TAB> package <TAB> path" per place it was found.  The body is
# read as src/finding/pubkey.c reads it (body_b64 mirrors unarmor()).
python3 - "$tmp" <<'PY'
import os, re, sys, base64, hashlib
tmp = sys.argv[1]
block = re.compile(rb'-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?)PRIVATE KEY-----'
                   rb'(.{0,20000}?)-----END \1PRIVATE KEY-----', re.S)
B64 = re.compile(rb'[A-Za-z0-9+/=]')

def body_b64(body):
    """(base64 text, encrypted) of a block's body, or None."""
    enc = False
    if b':' in body:
        m = re.search(rb'DEK-Info: *[A-Za-z0-9+/=_-]*,[0-9A-Fa-f]*', body)
        if not m:
            return None
        body, enc = body[m.end():], True
    out, quote, inside, i = bytearray(), None, True, 0
    while i < len(body):
        c = body[i:i + 1]
        if c in (b'"', b"'"):
            if quote is None:
                quote = c
            if c == quote:
                inside = not inside
                i += 1
                continue
        if not inside:
            i += 1
            continue
        if c == b'\\':
            while body[i + 1:i + 2] == b'\\':
                i += 1
            if body[i + 1:i + 2] in (b'n', b'r'):
                i += 2
                continue
            return None
        if c in (b' ', b'\t', b'\r', b'\n'):
            i += 1
            continue
        if not B64.match(c):
            return None
        out += c
        i += 1
    return bytes(out), enc

seen = {}
where = open(os.path.join(tmp, 'where'), 'w')
encfps = open(os.path.join(tmp, 'encfps'), 'w')
for pkg in sorted(os.listdir(os.path.join(tmp, 'root'))):
    top = os.path.join(tmp, 'root', pkg)
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            data = open(p, 'rb').read()
            if b'PRIVATE KEY-----' not in data:
                continue
            for m in block.finditer(data):
                r = body_b64(m.group(2))
                if not r or len(r[0]) < 40:
                    continue
                body, enc = r
                label = m.group(1).decode() + 'PRIVATE KEY'
                if label == 'ENCRYPTED PRIVATE KEY':
                    enc = True
                pem = ('-----BEGIN %s-----\n' % label).encode()
                for i in range(0, len(body), 64):
                    pem += body[i:i + 64] + b'\n'
                pem += ('-----END %s-----\n' % label).encode()
                key = (pem, enc)
                n = seen.get(key)
                if n is None:
                    n = seen[key] = len(seen)
                    if enc:
                        try:
                            der = base64.b64decode(body, validate=True)
                        except ValueError:
                            continue
                        typ = 'encrypted-pkcs8' if label.startswith('ENCRYPTED') \
                            else 'encrypted-pem-' + label.split()[0].lower()
                        encfps.write('%d\t%s\t%s\n' % (n, hashlib.sha256(der).hexdigest(), typ))
                    else:
                        open(os.path.join(tmp, 'keys', '%d.pem' % n), 'wb').write(pem)
                where.write('%d\t%s\t%s\n' % (n, pkg, os.path.relpath(p, top)))
PY

# OpenSSH: the public key blob (string type, then the key) -> SPKI PEM.
ssh_spki() {
	python3 - "$1" <<'PY'
import base64, re, struct, subprocess, sys
text = open(sys.argv[1]).read()
body = ''.join(l for l in text.splitlines() if not l.startswith('-----'))
raw = base64.b64decode(body)
def s(b, o):
    n = struct.unpack('>I', b[o:o + 4])[0]
    return b[o + 4:o + 4 + n], o + 4 + n
o = len(b'openssh-key-v1\0')
cipher, o = s(raw, o)
if cipher != b'none':
    sys.exit(1)
_, o = s(raw, o); _, o = s(raw, o); o += 4
pub, o = s(raw, o)
typ, p = s(pub, 0)
if typ == b'ssh-ed25519':
    k, p = s(pub, p)
    der = bytes.fromhex('302a300506032b6570032100') + k
    sys.stdout.write('-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n'
                     % base64.b64encode(der).decode())
else:
    line = typ.decode() + ' ' + base64.b64encode(pub).decode() + '\n'
    open(sys.argv[1] + '.pub', 'w').write(line)
    out = subprocess.run(['ssh-keygen', '-e', '-m', 'PKCS8', '-f', sys.argv[1] + '.pub'],
                         capture_output=True, check=True).stdout
    sys.stdout.write(out.decode())
PY
}

: >"$tmp/fps"
for k in "$tmp"/keys/*.pem; do
	[ -e "$k" ] || continue
	n=$(basename "$k" .pem)
	if grep -q 'BEGIN OPENSSH' "$k"; then
		ssh_spki "$k" >"$k.spki" 2>/dev/null || continue
		openssl pkey -pubin -in "$k.spki" -outform DER -out "$k.der" 2>/dev/null || continue
	elif ! openssl pkey -in "$k" -pubout -outform DER -out "$k.der" -passin pass: 2>/dev/null; then
		# GOST keys (GnuTLS's self-tests): OpenSSL has no GOST without an
		# engine; GnuTLS's certtool computes their public key
		certtool --load-privkey "$k" --pubkey-info --outder --outfile "$k.der" 2>/dev/null || continue
	fi
	fp=$(sha256sum <"$k.der" | cut -d' ' -f1)
	text=$(openssl pkey -pubin -inform DER -in "$k.der" -noout -text_pub 2>/dev/null | head -n 3)
	alg=$(openssl asn1parse -inform DER -in "$k.der" 2>/dev/null | awk -F: '/OBJECT/ { print $NF }' | head -n 2 | tr '\n' ' ')
	bits=$(printf '%s\n' "$text" | sed -n 's/.*(\([0-9]*\) bit).*/\1/p' | head -n 1)
	case $alg in
	rsaEncryption*) typ=rsa-$bits ;;
	rsassaPss*) typ=rsa-pss-$bits ;;
	dsaEncryption*) typ=dsa-$bits ;;
	"id-ecPublicKey "*) typ=ec-$(echo "$alg" | awk '{ print $2 }') ;;
	ED25519*) typ=ed25519 ;;
	ED448*) typ=ed448 ;;
	"GOST R 34.10-2001 "*) typ=gost2001 ;;
	"GOST R 34.10-2012 with 256 bit modulus "*) typ=gost2012-256 ;;
	"GOST R 34.10-2012 with 512 bit modulus "*) typ=gost2012-512 ;;
	*) typ=$(echo "$alg" | awk '{ print $1 }' | tr 'A-Z ' 'a-z-') ;;
	esac
	echo "$n	$fp	$typ" >>"$tmp/fps"
done

python3 - "$tmp" <<'PY'
import os, sys, collections
tmp = sys.argv[1]
ver = dict(l.rstrip('\n').split('\t') for l in open(os.path.join(tmp, 'versions')))
places = collections.defaultdict(list)
for l in open(os.path.join(tmp, 'where')):
    n, pkg, path = l.rstrip('\n').split('\t')
    places[n].append((pkg, path))
# who published them, in words, for the finding's note
LABEL = {
    'libgnutls30': "GnuTLS's self-tests",
    'libmbedcrypto7': "mbedTLS's self-tests",
    'libmbedx509-1': "mbedTLS's test certificates",
    'libmbedtls14': "mbedTLS's test certificates",
    'libpython3.11-testsuite': "CPython's test suite",
    'golang-1.19-src': "Go's standard library tests",
    'ruby3.1': "Ruby's test suite",
    'libruby3.1': "Ruby's test suite",
    'libnode108': "Node.js's tests",
    'php8.2-common': "PHP's tests",
    'python3-twisted': "Twisted's test suite",
    'python3-tornado': "Tornado's test suite",
    'python3-aiohttp': "aiohttp's documentation examples",
}
keys = {}
for l in list(open(os.path.join(tmp, 'fps'))) + list(open(os.path.join(tmp, 'encfps'))):
    n, fp, typ = l.rstrip('\n').split('\t')
    e = keys.setdefault(fp, {'type': typ, 'places': []})
    e['places'] += places[n]
per_pkg = collections.Counter()
rows = []
for fp, e in keys.items():
    pkgs = sorted({p for p, _ in e['places']})
    for p in pkgs:
        per_pkg[p] += 1
    origin = ', '.join('%s (Debian %s %s)' % (LABEL.get(p, p), p, ver[p]) for p in pkgs)
    first = sorted(set(e['places']))[0]
    more = len(set(e['places'])) - 1
    w = '/%s' % first[1] + (' (and %d more)' % more if more else '')
    rows.append('%s\t%s\t%s\t%s' % (fp, e['type'], origin, w))
print('# published-keys.tsv - private keys published on purpose (test vectors),')
print('# by the SHA-256 of their DER SubjectPublicKeyInfo.  Generated by')
print('# src/tools/published-keys.sh from Debian bookworm packages; do not edit.')
print('# sha256(spki)\ttype\torigin (Debian package and version)\twhere')
for r in sorted(rows):
    print(r)
for p in sorted(ver):
    sys.stderr.write('%-28s %d keys\n' % (p, per_pkg[p]))
sys.stderr.write('total distinct keys: %d\n' % len(rows))
PY
