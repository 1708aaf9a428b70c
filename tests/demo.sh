#!/bin/sh
# demo.sh - the main job on the bundled demo:
#   1. scan fixtures/demo/context as a pre-build hook would;
#   2. scan fixtures/demo/image.tar, the image podman built from it, where
#      .env was "removed" by RUN rm but is still shipped by the COPY layer.
# layerscan exits 1 on both (they hold planted fake secrets); the demo
# succeeds when it does, and fails on 0 or 2.
# usage: tests/demo.sh BIN
bin=${1:-build/layerscan}
rc=0
for step in "context fixtures/demo/context" "image fixtures/demo/image.tar"; do
	echo "\$ layerscan $step"
	# shellcheck disable=SC2086
	"$bin" $step
	st=$?
	echo
	case $st in
	1) echo "=> exit 1: findings (the demo's planted fake secrets), as expected" ;;
	0) echo "=> exit 0: no findings, but the demo plants secrets" >&2; rc=1 ;;
	*) echo "=> exit $st: an error" >&2; rc=1 ;;
	esac
	echo
done
exit $rc
