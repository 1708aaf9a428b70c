#!/bin/sh
# build.sh - `make container`: build the production image from the working
# tree (Containerfile, docs/container.md), making the local
# debian:bookworm-slim base first if it is missing.
#
# usage: tests/container/build.sh [TAG]     (default localhost/layerscan:latest)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

tag=${1:-localhost/layerscan:latest}
sh "$TOP/tests/lib/debian-base.sh"
ls_container_build "$TOP" "$tag" "$(ls_container_epoch)"
size=$(podman image inspect --format '{{.Size}}' "$tag")
echo "container: built $tag ($size bytes)"
