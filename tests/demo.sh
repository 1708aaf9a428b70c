#!/bin/sh
# demo.sh - the main job on the bundled demo: scan fixtures/demo as a
# pre-build hook would.  layerscan exits 1 there (it finds the planted fake
# secrets); the demo succeeds when it does, and fails on 0 or 2.
# usage: tests/demo.sh BIN
bin=${1:-build/layerscan}
echo "\$ layerscan context fixtures/demo"
"$bin" context fixtures/demo
st=$?
echo
case $st in
1) echo "layerscan exited 1: findings (the demo's planted fake secrets), as expected" ;;
0) echo "layerscan exited 0: no findings, but the demo plants secrets" >&2; exit 1 ;;
*) echo "layerscan exited $st: an error" >&2; exit 1 ;;
esac
