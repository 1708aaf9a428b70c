# JSON report: the documented document shape, stable across runs and threads.
. "$TOP/tests/e2e/lib.sh"

mkdir -p ctx
printf 'a\nb = "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"\n' > ctx/a.py
printf 'npm token: none\n' > ctx/b.txt

run "$LAYERSCAN" context ctx --format json
expect_status 1
for k in '"version": 1' '"tool": \{' '"kind": "context"' '"findings": \[' \
	 '"rule": "github-pat"' '"severity": "critical"' '"secret": "ghp_\.\.\."' \
	 '"fingerprint": "ls1:[0-9a-f]{32}"' '"source": "file"' '"path": "a.py"' \
	 '"line": 2' '"column": 6' '"errors": \[\]' '"stats": \{' '"files": 2'; do
	expect_out "$k"
done
grep -o '"fingerprint": "[^"]*"' out > fp1

# same fingerprints on another run, with another thread count
run "$LAYERSCAN" context ctx --format json --threads 1
grep -o '"fingerprint": "[^"]*"' out > fp2
cmp fp1 fp2 || fail "fingerprint changed between runs"

# a fingerprint survives the secret moving to another line
printf '\n\n\na\nb = "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"\n' > ctx/a.py
run "$LAYERSCAN" context ctx --format json
grep -o '"fingerprint": "[^"]*"' out > fp3
cmp fp1 fp3 || fail "fingerprint depends on the line"
