# A hard link keeps a "deleted" secret reachable: `RUN ln /app/.env
# /app/backup.env` writes backup.env as a hard-link entry (no data of its
# own) next to a copied-up app/.env; `RUN rm /app/.env` then hides app/.env
# but not backup.env.  The link must be reported, visible, at layer 2.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/lib-image.sh"

build_case hardlink
save_all hardlink
scan_all hardlink
expect_status 1
expect_findings <<'EOF'
rule=sensitive-file-dotenv source=file path=app/.env line=0 col=0 layer=1 hidden=true hidden_by=3 layers=1,2
rule=github-pat source=file path=app/.env line=1 col=14 layer=1 hidden=true hidden_by=3 layers=1,2
rule=github-pat source=file path=app/backup.env line=1 col=14 layer=2 hidden=false hidden_by=null layers=2
EOF
expect_out 'a hard link to app/\.env'
