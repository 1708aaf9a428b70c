# The walk: symlinks are never followed (not even out of the root), FIFOs are
# never opened, odd names work, paths are relative.
. "$TOP/tests/e2e/lib.sh"

mkdir -p outside ctx/d
printf 'T=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\n' > outside/secret.env
ln -s ../outside ctx/link-dir
ln -s ../outside/secret.env ctx/link-file
ln -s loop ctx/loop
mkfifo ctx/fifo
printf 'T=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\n' > "ctx/d/name with spaces.env"

run "$LAYERSCAN" context ctx --format json
expect_status 1
expect_out '"path": "d/name with spaces.env"'
expect_no_out 'outside|link-|secret\.env|fifo'
[ "$(grep -c '"rule"' out)" -eq 1 ] || fail "expected exactly one finding"

run "$LAYERSCAN" context ctx --list-files
expect_status 0
[ "$(cat out)" = "d/name with spaces.env" ] || fail "unexpected file list: $(cat out)"
