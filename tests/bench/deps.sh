#!/bin/sh
# deps.sh - install what the benchmark compares against: ripgrep (Debian),
# GNU time (peak RSS), debootstrap and xz (inputs), and secretlint with its
# recommended preset (npm, pinned, into $BENCH_DIR/npm).  Quick when all is
# there.  The build and test dependencies come from src/tools/deps.sh.
set -eu
B=${BENCH_DIR:-/var/tmp/layerscan-bench}
SECRETLINT_VERSION=13.0.6
PRESET_VERSION=13.0.7

missing=
for pc in ripgrep:rg time:/usr/bin/time debootstrap:debootstrap xz-utils:xz npm:npm; do
	command -v "${pc#*:}" >/dev/null 2>&1 || missing="$missing ${pc%%:*}"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench deps: missing:$missing (run as root)" >&2; exit 1; }
	echo "bench deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
sl=$B/npm/node_modules/.bin/secretlint
if [ ! -x "$sl" ] || [ "$("$sl" --version 2>/dev/null)" != "$SECRETLINT_VERSION" ]; then
	echo "bench deps: installing secretlint $SECRETLINT_VERSION (npm) in $B/npm" >&2
	mkdir -p "$B/npm"
	npm install --prefix "$B/npm" --no-audit --no-fund --loglevel=error \
		"secretlint@$SECRETLINT_VERSION" \
		"@secretlint/secretlint-rule-preset-recommend@$PRESET_VERSION" >/dev/null
fi
# bench.sh runs secretlint with its recommended preset: say so in its config
# (secretlint refuses to run without one)
rc=$B/npm/.secretlintrc.json
if [ ! -s "$rc" ]; then
	printf '%s\n' '{ "rules": [ { "id": "@secretlint/secretlint-rule-preset-recommend" } ] }' >"$rc"
fi
