# The production policy on a real distribution image: the local
# debian:bookworm-slim (tests/lib/debian-base.sh, debootstrap) as it is,
# and hardened in one RUN step (fixtures/policy/debian-hardened).
# The base fails: root, no health check, setuid binaries (info), and with
# distroless its shells and apt/dpkg; the hardened image passes production.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"
. "$TOP/tests/e2e/lib-policy.sh"
FIXTURES="$TOP/fixtures/policy"

sh "$TOP/tests/lib/debian-base.sh" >debian-base.log 2>&1 || {
	cat debian-base.log
	fail "could not make localhost/debian:bookworm-slim (tests/lib/debian-base.sh)"
}
deb_id=$(podman image inspect --format '{{.Id}}' localhost/debian:bookworm-slim) ||
	fail "no localhost/debian:bookworm-slim after debian-base.sh"

# save1 REF FILE: FILE is a docker-archive of REF, cached per image id
# under $LS_E2E_CACHE (read in place: ~80 MB)
save1() {
	_id=$(podman image inspect --format '{{.Id}}' "$1") || fail "no image $1"
	_c="$LS_E2E_CACHE/policy-debian-$(echo "$_id" | cut -c1-16).tar"
	if [ ! -f "$_c" ]; then
		podman save -q --format docker-archive -o "$_c.$$" "$1" >save.log 2>&1 ||
			{ cat save.log; rm -f "$_c.$$"; fail "podman save $1 failed"; }
		mv -f "$_c.$$" "$_c"
	fi
	ln -sf "$_c" "$2"
}

# The secret rules' own findings in the base layer (libgnutls test keys)
# are not this test's subject: the policy's findings and exit status are.
printf '[extend]\nuseDefault = true\ndisabledRules = ["private-key"]\n' >nokeys.toml

# pscan FILE [ARGS]: JSON scan, ./findings with severities
pscan() {
	_f=$1
	shift
	run timeout 120 "$LAYERSCAN" image --format json -c nokeys.toml "$@" "$_f"
	[ "$st" -lt 3 ] || { cat err; fail "$_f: layerscan exited $st"; }
	with_sev
}

# ---- the base image as it is ----
save1 localhost/debian:bookworm-slim debian.tar
pscan debian.tar
expect_status 0
expect_out '"findings": \[\]'
pscan debian.tar --policy production
expect_status 1
grep -v '^rule=policy-setuid ' findings >findings.other || true
sort findings.other >f1
sort >f2 <<'EOF'
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck sev=medium
rule=policy-root-user source=policy path=config:User line=0 col=0 field=User sev=high
EOF
diff -u f2 f1 || fail "the base image's findings (apart from setuid) differ"
# setuid and setgid binaries of shadow, util-linux and PAM, all info, in
# layer 0
for p in usr/bin/su usr/bin/passwd usr/bin/mount usr/bin/chage usr/sbin/unix_chkpwd; do
	expect_finding "^rule=policy-setuid source=policy path=$p line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=info\$"
done
grep '^rule=policy-setuid ' findings | grep -v ' sev=info$' && fail "a setuid finding is not info"
expect_note '^      "note": "setuid binary \(mode 4755, owner uid 0\)"'
expect_note '^      "note": "setgid binary \(mode 2755, owner uid 0\)"'
# nothing else: no build tools, caches or world-writable files in -slim
expect_no_out 'policy-(build-tools|package-cache|world-writable|user-|image-size)'
# distroless adds the shells and package managers
pscan debian.tar --policy distroless
expect_status 1
expect_finding '^rule=policy-shell source=policy path=usr/bin/bash line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium$'
expect_finding '^rule=policy-package-manager source=policy path=usr/bin/apt line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium$'
expect_note '^      "note": "a shell in the final image: /usr/bin/bash, /usr/bin/dash, /usr/bin/sh; a distroless image has none"'
expect_note '^      "note": "a package manager in the final image: /usr/bin/apt, /usr/bin/apt-get, /usr/bin/dpkg; a distroless image has none"'
# a size budget names the one layer
pscan debian.tar --policy production --max-size 50MB
expect_status 1
expect_finding '^rule=policy-image-size source=policy path=image line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium$'
expect_note 'uncompressed, over the 50\.0 MB budget; largest layers: layer 0 [0-9.]+ MB \('

# ---- hardened: an unprivileged user, no setuid bits, a health check ----
build_case_as policy-debian-hardened debian-hardened --format docker --build-arg "BASE_ID=$deb_id"
save1 "$img" hardened.tar
pscan hardened.tar --policy production --policy-user 1000 --max-size 200MB
expect_status 0
expect_out '"findings": \[\]'
pscan hardened.tar --policy production --policy-user app
expect_status 0
expect_out '"findings": \[\]'
# still not distroless: the base layer's shells and package managers
pscan hardened.tar --policy distroless
expect_status 1
expect_findings <<'EOF'
rule=policy-shell source=policy path=usr/bin/bash line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium
rule=policy-package-manager source=policy path=usr/bin/apt line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium
EOF
