# Copies of nested archives under /usr and elsewhere (src/scan/memo.h): a
# keystore found by its header (a `content` rule) is judged by its path
# allowlist at each copy, and the copies of another archive get their own
# judgement where a path rule sets them apart (a .env file under usr/ is a
# package's: sensitive-file-dotenv spares it) and the same findings
# elsewhere (fixtures/images/nested-keystore/Containerfile).  All forms, one and two
# threads, give the same report.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case nested-keystore
save_all nested-keystore
for t in 1 2; do
	scan_all nested-keystore --threads $t
	[ "$st" = 1 ] || fail "--threads $t: exit status $st, expected 1"
	expect_findings <<'EOF2'
rule=sensitive-file-keystore-pkcs12 source=file path=srv/keys.tar.gz!keys/bundle.bin line=0 col=0 layer=2 hidden=false hidden_by=null layers=2
rule=stripe-live-secret-key source=file path=usr/share/app/bundle.tar.gz!conf/.env line=2 col=19 layer=3 hidden=false hidden_by=null layers=3
rule=generic-password source=file path=usr/share/app/bundle.tar.gz!conf/db.yaml line=3 col=14 layer=3 hidden=false hidden_by=null layers=3
rule=stripe-live-secret-key source=file path=opt/app/bundle.tar.gz!conf/.env line=2 col=19 layer=4 hidden=false hidden_by=null layers=4
rule=sensitive-file-dotenv source=file path=opt/app/bundle.tar.gz!conf/.env line=0 col=0 layer=4 hidden=false hidden_by=null layers=4
rule=generic-password source=file path=opt/app/bundle.tar.gz!conf/db.yaml line=3 col=14 layer=4 hidden=false hidden_by=null layers=4
EOF2
	sed -n '/^  "findings": \[/,/^  \]/p' out >"f.$t"
	cmp -s "f.$t" f.1 || fail "--threads $t: findings differ from --threads 1"
done
