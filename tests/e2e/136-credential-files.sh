# Credential files and keystores (issue #17 items 5 and 8): a credential file
# whose values are only environment references is no finding, the same file
# with a literal secret is; keystores are reported by name, and PKCS#12 / JKS
# by their header at the first byte whatever the name, with a fix that says
# it is a keystore.
. "$TOP/tests/e2e/lib.sh"

enc="$TOP/fixtures/corpus/files/services/encodings"

# summary: one "rule path line" per finding, sorted
summary() {
	"$LAYERSCAN" context --format json "$1" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    print(f["rule"], f["path"], f["line"])' | sort
}

# --- only references: clean, exit 0 -------------------------------------
mkdir -p refs/.docker refs/.kube
cp "$enc/clean/.npmrc" "$enc/clean/.pypirc" "$enc/clean/.netrc" refs/
cp "$enc/clean/.docker/config.json" refs/.docker/
printf '[default]\nregion = eu-west-1\naws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n' > refs/credentials
mkdir -p refs/.aws && mv refs/credentials refs/.aws/credentials
printf 'https://ci-bot:${GIT_TOKEN}@git.acme.io\n' > refs/.git-credentials
cat > refs/.kube/config <<'KUBE'
apiVersion: v1
kind: Config
users:
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
KUBE
# an empty .npmrc and one with only registry settings hold no credential
mkdir -p refs/empty && : > refs/empty/.npmrc
mkdir -p refs/registry-only && printf 'registry=https://registry.npmjs.org/\n' > refs/registry-only/.npmrc
run "$LAYERSCAN" context refs
expect_status 0
expect_out '^no findings in 9 files'

# --- the same files with literal values: each file is reported -------------
mkdir -p lit/.docker lit/.aws lit/.kube
printf '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n//npm.acme.io/:_authToken=0f3c9a1e-5b7d-4e2f-8a6c-1d9b3e7f5a2c\n' > lit/.npmrc
printf '[pypi]\nusername = __token__\npassword = Tq8Lz3Vw9Km2Px7Rn4Yb\n' > lit/.pypirc
printf 'machine api.acme.io login deploy password Cq1zvzRDoxf-IQWe\n' > lit/.netrc
printf '{"auths": {"registry.acme.io": {"auth": "Y2ktYm90OkdoNXRScTJ3WHo4TGszUG0="}}, "credsStore": "pass"}\n' > lit/.docker/config.json
printf '[default]\naws_secret_access_key = Tq8Lz3Vw9Km2Px7Rn4Yb6Hc1Df5Gs0JtAbCdEfGh\n' > lit/.aws/credentials
printf 'https://ci-bot:Jq9vT2rL8mXw4kZp3nBs@git.acme.io\n' > lit/.git-credentials
summary lit > got
for want in \
	'sensitive-file-package-credentials .npmrc 0' \
	'sensitive-file-package-credentials .pypirc 0' \
	'sensitive-file-package-credentials .netrc 0' \
	'sensitive-file-package-credentials .git-credentials 0' \
	'sensitive-file-cloud-credentials .docker/config.json 0' \
	'sensitive-file-cloud-credentials .aws/credentials 0'; do
	grep -qxF "$want" got || { cat got; fail "missing: $want"; }
done
# each file once, however many literal lines it has
[ "$(grep -c ' 0$' got)" -eq 6 ] || { cat got; fail "expected 6 file findings"; }
run "$LAYERSCAN" context lit
expect_status 1

# an inline allow on the line that holds the literal allows the file
mkdir -p allowed
printf '//npm.acme.io/:_authToken=0f3c9a1e-5b7d-4e2f-8a6c-1d9b3e7f5a2c # layerscan:allow\n' > allowed/.npmrc
run "$LAYERSCAN" context allowed
expect_status 0

# --- keystores ---------------------------------------------------------------
mkdir -p ks/android ks/tls ks/certs ks/apple ks/legacy
cp "$enc/keystores/android/release.jks" "$enc/keystores/android/upload.keystore" ks/android/
cp "$enc/keystores/tls/server.p12" ks/tls/
cp "$enc/keystores/payments/client.pfx" ks/tls/
cp "$enc/keystores/apple/AuthKey_7QX2M4K9LB.p8" ks/apple/
# by header, whatever the name: a PKCS#12 and a JKS store under neutral names
cp "$enc/keystores/certs/bundle.bin" ks/certs/bundle.bin
cp "$enc/keystores/android/release.jks" ks/certs/signing.dat
# by name only: a BouncyCastle store (no header rule)
printf '\000\000\000\002fake bks store for tests\n' > ks/legacy/signing.bks
# the PKCS#12 header one byte in: not a keystore header
{ printf 'x'; cat "$enc/keystores/certs/bundle.bin"; } > ks/certs/shifted.bin
# a package's copy is allowlisted
mkdir -p ks/usr/lib/jvm/security && cp "$enc/keystores/tls/server.p12" ks/usr/lib/jvm/security/test.p12
summary ks > got
cat > want <<'WANT'
private-key apple/AuthKey_7QX2M4K9LB.p8 1
sensitive-file-keystore android/release.jks 0
sensitive-file-keystore android/upload.keystore 0
sensitive-file-keystore apple/AuthKey_7QX2M4K9LB.p8 0
sensitive-file-keystore legacy/signing.bks 0
sensitive-file-keystore tls/client.pfx 0
sensitive-file-keystore tls/server.p12 0
sensitive-file-keystore-jks certs/signing.dat 0
sensitive-file-keystore-pkcs12 certs/bundle.bin 0
WANT
sort want > want.sorted
diff want.sorted got || fail "keystore findings differ"

# the finding says what the file is and how to fix it
run "$LAYERSCAN" context ks/certs
expect_status 1
expect_out 'sensitive-file-keystore-pkcs12'
expect_out 'fix +This file is a PKCS#12 keystore'
expect_out 'rotate every key inside'
expect_no_out 'shifted.bin'

# trust stores hold CA certificates only: the JDK's and ca-certificates-java's
# cacerts (whatever their format) and *truststore* files are not reported
mkdir -p trust/etc/ssl/certs/java trust/opt/java/openjdk/lib/security trust/app
cp "$enc/keystores/certs/bundle.bin" trust/etc/ssl/certs/java/cacerts
cp "$enc/keystores/android/release.jks" trust/opt/java/openjdk/lib/security/cacerts
cp "$enc/keystores/android/release.jks" trust/app/client.truststore.jks
run "$LAYERSCAN" context trust
expect_status 0
