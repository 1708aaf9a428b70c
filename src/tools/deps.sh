#!/bin/sh
# deps.sh - install what layerscan needs to build and test, on Debian
# bookworm, with apt-get.  Run by `make` targets (deps), so a fresh machine
# needs nothing done by hand.  Quick when everything is there already.
#
# usage: src/tools/deps.sh [build|test]
#   build: compiler and libraries
#   test:  build + test tools (cmocka, podman, buildah, busybox-static, git, file,
#          for make lint / check-valgrind: clang-tidy, cppcheck, valgrind;
#          python3 and time for the hostile-input tests;
#          for make fuzz: clang-14 with its libFuzzer and sanitizer runtimes,
#          llvm-symbolizer)
set -eu

what=${1:-test}
build_pkgs="gcc make pkg-config libc6-dev libpcre2-dev libarchive-dev libgit2-dev libjansson-dev nettle-dev zlib1g-dev libisal-dev"
# Hyperscan, the fast keyword prefilter: Debian builds it for amd64 only;
# elsewhere layerscan uses its own DFA (the Makefile asks pkg-config).
if [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]; then
	build_pkgs="$build_pkgs libhyperscan-dev"
fi
test_pkgs="libcmocka-dev git podman buildah busybox-static file zstd debootstrap clang-tidy cppcheck valgrind python3 time clang-14 libclang-rt-14-dev llvm-14"
pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$build_pkgs $test_pkgs"

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
# Microsoft's SARIF Multitool (validates our SARIF output in the tests): an
# npm package with a self-contained binary, pinned, kept under /opt.
SARIF_MT_VERSION=5.7.0
SARIF_MT_DIR=/opt/layerscan-tools/sarif-multitool-$SARIF_MT_VERSION
need_mt=0
if [ "$what" = test ] &&
	[ ! -x "$SARIF_MT_DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
	need_mt=1
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
[ -z "$missing" ] && [ "$need_mt" = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	[ "$need_mt" = 1 ] && missing="$missing (and the SARIF Multitool, via npm)"
	echo "deps.sh: missing:$missing" >&2
	echo "deps.sh: run as root (it uses apt-get), or install them: apt-get install$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: apt-get not found: this script needs Debian bookworm; install:$missing" >&2
	exit 1
fi
if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ "$need_mt" = 1 ]; then
	echo "deps.sh: installing the SARIF Multitool $SARIF_MT_VERSION (npm) in $SARIF_MT_DIR" >&2
	mkdir -p "$SARIF_MT_DIR"
	npm install --prefix "$SARIF_MT_DIR" --no-audit --no-fund --loglevel=error \
		"@microsoft/sarif-multitool@$SARIF_MT_VERSION" >/dev/null
fi
