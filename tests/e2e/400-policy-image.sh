# The production policy on built images (layerscan image --policy): for
# each check a real image that fails it and one that passes, built with
# podman from fixtures/policy/CASE; findings (rule, source, path, layer,
# severity), exit status, a few notes, the [policy] table, the errors.
# Most cases are built with --format docker (podman's default OCI format
# drops HEALTHCHECK, which is a case of its own).
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"
. "$TOP/tests/e2e/lib-policy.sh"
FIXTURES="$TOP/fixtures/policy"

# build CASE [PODMAN-BUILD-ARGS]: localhost/layerscan-test-policy-CASE,
# saved in every form as policy-CASE.*
build() {
	_c=$1
	shift
	build_case_as "policy-$_c" "$_c" "$@"
	save_all "policy-$_c"
}

# pscan CASE [LAYERSCAN-ARGS]: scan the docker-archive as JSON, then
# ./findings has a line per finding (summarize) with its severity (sev=S).
# (Saving an image as oci-archive or oci-dir drops its HEALTHCHECK, as the
# OCI config has no such field: the forms agree only when that does not
# matter, see pscan_all.)
pscan() {
	_c=$1
	shift
	run timeout 60 "$LAYERSCAN" image --format json "$@" "policy-$_c.docker.tar"
	[ "$st" -lt 3 ] || { cat err; fail "policy-$_c: layerscan exited $st"; }
	with_sev
}

# pscan_all CASE [LAYERSCAN-ARGS]: the same on all four forms (scan_all)
pscan_all() {
	_c=$1
	shift
	scan_all "policy-$_c" "$@"
	with_sev
}

# ---- the multi-stage image that passes everything ----
build good --format docker
pscan good --policy production --policy-user 1000 --max-size 5MB
expect_clean
pscan good --policy distroless
expect_clean
pscan good --policy production,distroless --policy-user app
expect_clean
run "$LAYERSCAN" image --color never --policy distroless --policy-user 1000 --max-size 5MB policy-good.docker.tar
expect_status 0
expect_out '^no findings'
expect_no_out 'policy-'
# saved as oci-archive or oci-dir, the image loses its HEALTHCHECK (the OCI
# config has no such field): the finding says the history had one
run "$LAYERSCAN" image --format json --policy production policy-good.oci.tar
expect_status 1
with_sev
expect_findings <<'EOF'
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck history=3 sev=medium
EOF
# everything else agrees on the four forms
config nohc.toml 'no-healthcheck = "off"'
pscan_all good --policy distroless --policy-user 1000 --max-size 5MB -c nohc.toml
expect_clean

# ---- root user: empty User, plus a .env secret and no HEALTHCHECK (OCI) ----
build root-empty
# no --policy: the policy is opt-in, only the secret findings
pscan root-empty
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=medium
rule=stripe-live-secret-key source=file path=app/.env line=2 col=19 layer=1 hidden=false hidden_by=null layers=1 sev=critical
EOF
pscan_all root-empty --policy production
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=medium
rule=stripe-live-secret-key source=file path=app/.env line=2 col=19 layer=1 hidden=false hidden_by=null layers=1 sev=critical
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck sev=medium
rule=policy-root-user source=policy path=config:User line=0 col=0 field=User sev=high
EOF
expect_note '^      "note": "the image runs as root \(config User is empty: no USER instruction\)"'
# docker build writes "User": "" where podman leaves User out: the same
# image with "User": "" in its config (renamed to the new digest) is root too
mkdir ue
tar -xf policy-root-empty.docker.tar -C ue
cfg=$(grep -o '"Config":"[0-9a-f]*\.json"' ue/manifest.json | cut -d'"' -f4)
[ -f "ue/$cfg" ] || fail "precondition: no config in policy-root-empty.docker.tar"
if grep -q '"User"' "ue/$cfg"; then fail "precondition: podman wrote a User into root-empty's config"; fi
sed 's/"config":{/"config":{"User":"",/' "ue/$cfg" >ue/new.json
grep -q '"config":{"User":"",' ue/new.json || fail "could not add User to the config"
new=$(sha256sum ue/new.json | cut -c1-64).json
mv ue/new.json "ue/$new"
rm "ue/$cfg"
sed "s/$cfg/$new/" ue/manifest.json >ue/m && mv ue/m ue/manifest.json
(cd ue && tar -cf ../user-empty.docker.tar ./*)
run timeout 60 "$LAYERSCAN" image --format json --policy production user-empty.docker.tar
expect_status 1
with_sev
expect_finding '^rule=policy-root-user source=policy path=config:User .* sev=high$'
expect_no_out 'policy-user-missing'
expect_note '^      "note": "the image runs as root \(config User is empty: no USER instruction\)"'
# no HEALTHCHECK in the history: the plain note, which still names the
# OCI pitfall
expect_note 'the image has no HEALTHCHECK: .*build with --format docker'
expect_no_out 'history entry'
# root is reported once: no user-uid on top of it
pscan root-empty --policy production --policy-user 1000
expect_status 1
expect_finding '^rule=policy-root-user .* sev=high$'
expect_no_out 'policy-user-uid'
# [policy]: a check turned off, another's severity changed
config off.toml 'root-user = "off"' 'no-healthcheck = "low"'
pscan root-empty --policy production -c off.toml
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=medium
rule=stripe-live-secret-key source=file path=app/.env line=2 col=19 layer=1 hidden=false hidden_by=null layers=1 sev=critical
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck sev=low
EOF
# a config with only a [policy] table: the policy's rules are still loaded
printf '[policy]\nno-healthcheck = "critical"\n' >only-policy.toml
run "$LAYERSCAN" image --format json --policy production -c only-policy.toml policy-root-empty.docker.tar
expect_status 1
with_sev
expect_findings <<'EOF'
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck sev=critical
rule=policy-root-user source=policy path=config:User line=0 col=0 field=User sev=high
EOF

# ---- root user: USER 0:1000, and a name /etc/passwd maps to uid 0 ----
build user-zero --format docker
pscan user-zero --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-root-user source=policy path=config:User line=0 col=0 field=User sev=high
EOF
expect_note "config User is '0:1000'"
build user-admin --format docker
pscan user-admin --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-root-user source=policy path=config:User line=0 col=0 field=User sev=high
EOF
expect_note "config User is 'admin'"

# ---- USER app (uid 1000): passes; --policy-user checks uid and name ----
build user-app --format docker
pscan user-app --policy production
expect_clean
pscan user-app --policy production --policy-user 1000
expect_clean
pscan user-app --policy production --policy-user app
expect_clean
pscan user-app --policy production --policy-user 1001
expect_status 1
expect_findings <<'EOF'
rule=policy-user-uid source=policy path=config:User line=0 col=0 field=User sev=high
EOF
expect_note "the image runs as 'app' \(uid 1000\), the policy asks for user 1001"
# [policy] user = "1001" does the same; --policy-user wins over it
config user.toml 'user = "1001"'
pscan user-app --policy production -c user.toml
expect_status 1
expect_findings <<'EOF'
rule=policy-user-uid source=policy path=config:User line=0 col=0 field=User sev=high
EOF
pscan user-app --policy production -c user.toml --policy-user 1000
expect_clean

# ---- USER ghost: not in /etc/passwd ----
build user-missing --format docker
pscan user-missing --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-user-missing source=policy path=etc/passwd line=0 col=0 field=User sev=high
EOF
expect_note "user 'ghost', which /etc/passwd does not list"
# the good image's user is in its passwd: no user-missing (checked above);
# a required name it lacks is a mismatch, not a missing user
pscan good --policy production --policy-user nobody
expect_status 1
expect_findings <<'EOF'
rule=policy-user-uid source=policy path=config:User line=0 col=0 field=User sev=high
EOF

# ---- HEALTHCHECK: dropped by the OCI format, kept by --format docker ----
build_case_as policy-hc-oci hc
save_all policy-hc-oci
pscan_all hc-oci --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck history=2 sev=medium
EOF
run "$LAYERSCAN" image --color never --policy production policy-hc-oci.docker.tar
expect_status 1
expect_out '^MEDIUM +policy-no-healthcheck'
expect_out '^ +note +the Containerfile has a HEALTHCHECK \(history entry 2\) but the image config has none: .*podman builds OCI-format images by default.*build with `podman build --format docker`.*save or push in docker format'
build hc --format docker
pscan hc --policy production
expect_clean
# HEALTHCHECK NONE turns it off
build hc-none --format docker
pscan hc-none --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-no-healthcheck source=policy path=config:Healthcheck line=0 col=0 field=Healthcheck sev=medium
EOF
expect_note 'disables its health check \(HEALTHCHECK NONE\)'

# ---- size budget: layers 1 (3 MB) and 2 (1 MB) on the ~2 MB base ----
build size --format docker
pscan size --policy production --max-size 4MB
expect_status 1
expect_findings <<'EOF'
rule=policy-image-size source=policy path=image line=0 col=0 layer=1 hidden=false hidden_by=null layers=1,0,2 sev=medium
EOF
expect_note 'uncompressed, over the 4\.0 MB budget; largest layers: layer 1 3\.0 MB \(mkdir -p /data && dd if=/dev/zero of=/data/big\.bin bs=1000 count=3000\); layer 0 [0-9.]+ MB \([^)]+\); layer 2 1\.0 MB \(dd if=/dev/zero of=/data/small\.bin bs=1000 count=1000\)'
pscan size --policy production --max-size 10MB
expect_clean
# no budget, no size check
pscan size --policy production
expect_clean
# [policy] max-size; --max-size wins over it
config size.toml 'max-size = "4MB"'
pscan size --policy production -c size.toml
expect_status 1
expect_finding '^rule=policy-image-size source=policy path=image .* layer=1 .* sev=medium$'
pscan size --policy production -c size.toml --max-size 10MB
expect_clean

# ---- build tools: compilers (layer 1), -dev packages (layers 2 and 3) ----
build tools --format docker
pscan_all tools --policy production -c nohc.toml
expect_status 1
expect_findings <<'EOF'
rule=policy-build-tools source=policy path=usr/bin/gcc line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=medium
rule=policy-build-tools source=policy path=var/lib/dpkg/status line=5 col=1 layer=2 hidden=false hidden_by=null layers=2 sev=medium
rule=policy-build-tools source=policy path=var/lib/dpkg/status line=9 col=1 layer=3 hidden=false hidden_by=null layers=3 sev=medium
EOF
expect_note 'compilers and build tools in the final image: /usr/bin/gcc, /usr/bin/gcc-12, /usr/bin/make;'
expect_note '^      "note": "1 development package installed: libssl-dev;'
expect_note '^      "note": "1 development package installed: zlib1g-dev;'
# the header next to a package database is not reported on its own
expect_no_out 'C header'
config tools.toml 'build-tools = "off"'
pscan tools --policy production -c tools.toml
expect_clean
# look-alikes, a removed package and a deleted compiler pass
build tools-clean --format docker
pscan tools-clean --policy production
expect_clean
# headers without a package database
build headers --format docker
pscan headers --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-build-tools source=policy path=usr/local/include/zconf.h line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=medium
EOF
expect_note '2 C header files under usr/include or usr/local/include'

# ---- package caches ----
build cache --format docker
pscan cache --policy production
expect_status 1
expect_findings <<'EOF'
rule=policy-package-cache source=policy path=var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4 line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=low
rule=policy-package-cache source=policy path=var/cache/apt/archives/curl_7.88.1-10_amd64.deb line=0 col=0 layer=2 hidden=false hidden_by=null layers=2 sev=low
rule=policy-package-cache source=policy path=root/.cache/pip/http/a/b/c line=0 col=0 layer=3 hidden=false hidden_by=null layers=3 sev=low
rule=policy-package-cache source=policy path=home/app/.npm/_cacache/index-v5/aa/bb line=0 col=0 layer=3 hidden=false hidden_by=null layers=3 sev=low
EOF
expect_note 'apt package lists \(var/lib/apt/lists\) left in the image: 1 file, 20\.0 KB'
expect_note 'apt package cache \(var/cache/apt\) left in the image: 1 file'
build cache-clean --format docker
pscan cache-clean --policy production
expect_clean

# ---- setuid/setgid and world-writable: informational, exit 0 ----
build modes --format docker
pscan_all modes --policy production -c nohc.toml
expect_status 0
expect_findings <<'EOF'
rule=policy-world-writable source=policy path=app/config.json line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=info
rule=policy-world-writable source=policy path=app/uploads line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=info
rule=policy-setuid source=policy path=usr/local/sbin/su-tool line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=info
rule=policy-setuid source=policy path=usr/local/sbin/expiry line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=info
EOF
expect_note 'setuid binary \(mode 4755, owner uid 0\)'
expect_note 'setgid binary \(mode 2755, owner uid 0\)'
expect_note 'file writable by every user \(mode 0666\)'
expect_note 'directory writable by every user \(mode 0777\)'
expect_no_out '"path": "srv/shared"'
run "$LAYERSCAN" image --color never --policy production policy-modes.docker.tar
expect_status 0
expect_out '^INFO +policy-setuid'
expect_out '^4 findings \(4 info\)'
# raised to high, they fail the run; world-writable turned off
config modes.toml 'setuid = "high"' 'world-writable = "off"'
pscan modes --policy production -c modes.toml
expect_status 1
expect_findings <<'EOF'
rule=policy-setuid source=policy path=usr/local/sbin/su-tool line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=high
rule=policy-setuid source=policy path=usr/local/sbin/expiry line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=high
EOF
# the passing variant: the good image (no such modes) was clean above

# ---- distroless: shell and package manager ----
build pkgmgr --format docker
pscan pkgmgr --policy production
expect_clean
pscan pkgmgr --policy distroless
expect_status 1
expect_findings <<'EOF'
rule=policy-shell source=policy path=bin/ash line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium
rule=policy-package-manager source=policy path=bin/dpkg line=0 col=0 layer=0 hidden=false hidden_by=null layers=0 sev=medium
rule=policy-package-manager source=policy path=usr/bin/apt-get line=0 col=0 layer=1 hidden=false hidden_by=null layers=1 sev=medium
EOF
expect_note '^      "note": "a shell in the final image: [^"]*/bin/sh[;,]'
expect_note '^      "note": "a package manager in the final image: /usr/bin/apt-get, /usr/bin/dpkg, /usr/local/bin/pip3\.11; a distroless image has none"'
config shell.toml 'shell = "off"'
pscan pkgmgr --policy distroless -c shell.toml
expect_status 1
expect_no_out 'policy-shell'
expect_finding '^rule=policy-package-manager .* path=usr/bin/apt-get .* layer=1 '

# ---- two images in one archive: each judged on its own, named ----
podman save -q -m --format docker-archive -o multi.tar \
	"$(case_image policy-good)" "$(case_image policy-root-empty)" >save.log 2>&1 ||
	{ cat save.log; fail "podman save -m failed"; }
run "$LAYERSCAN" image --format json --policy production multi.tar
expect_status 1
summarize out >findings
[ "$(grep -c 'source=policy' findings)" -eq 2 ] || { cat findings; fail "expected 2 policy findings in multi.tar"; }
expect_note "^      \"note\": \"image localhost/layerscan-test-policy-root-empty:[0-9a-f]+: the image runs as root"
expect_note "^      \"note\": \"image localhost/layerscan-test-policy-root-empty:[0-9a-f]+: the image has no HEALTHCHECK"
expect_no_out 'image localhost/layerscan-test-policy-good'

# ---- errors ----
run "$LAYERSCAN" image --max-size 5MB policy-good.docker.tar
expect_status 2
expect_err 'belong to a policy'
run "$LAYERSCAN" image --policy-user 1000 policy-good.docker.tar
expect_status 2
expect_err 'belong to a policy'
run "$LAYERSCAN" image --policy bogus policy-good.docker.tar
expect_status 2
expect_err "--policy wants production or distroless, not 'bogus'"
run "$LAYERSCAN" image --policy production --max-size lots policy-good.docker.tar
expect_status 2
config bad.toml 'setuid = "off"' 'nosuchcheck = "off"'
run "$LAYERSCAN" image --policy production -c bad.toml policy-good.docker.tar
expect_status 2
expect_err "bad\.toml:6: \[policy\] 'nosuchcheck' is not a policy check"
[ ! -s out ] || { cat out; fail "a report despite a bad config"; }
config badsev.toml 'root-user = "hihg"'
run "$LAYERSCAN" image --policy production -c badsev.toml policy-good.docker.tar
expect_status 2
expect_err "badsev\.toml:5:.*'root-user' must be \"off\" or a severity"
config badsize.toml 'max-size = "lots"'
run "$LAYERSCAN" image --policy production -c badsize.toml policy-good.docker.tar
expect_status 2
expect_err 'badsize\.toml:5: \[policy\] max-size must be a size'
mkdir repo
git -C repo init -q
run "$LAYERSCAN" git repo --policy production
expect_status 2
expect_err "--policy applies to the image and context commands, not 'git'"
