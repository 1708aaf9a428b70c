#!/bin/sh
# real-sources.sh - fetch and unpack, once, the source trees of several real
# Debian bookworm source packages (issue #19: quiet on real source trees),
# in a cache outside the repository, and make the planted copy.
#
#   postgresql-15 php8.2 ruby3.1 python3.11   the trees issue #19 measured
#   ruby-rails curl wget                       docs, po, autotools, test data
#                      (wget: --password help lines in 40 translations)
#   planted-python3.11                         a copy of python3.11 (hard
#                      links) with fake secrets planted in a config file, a
#                      shell script, a .env, a README, a test folder; the
#                      list is fixtures/real/sources-planted.tsv
#
# usage: tests/lib/real-sources.sh [NAME...]     (default: all of them)
#        tests/lib/real-sources.sh --path NAME   print the tree's path
#        tests/lib/real-sources.sh --list        print the names
#
# Trees: $cache/NAME/ (what `dpkg-source -x` makes of the package: the
# upstream source with Debian's patches applied, and debian/), where cache
# is ${LS_CACHE_DIR:-~/.cache/layerscan}/sources.  $cache/NAME.stamp holds
# the version unpacked; a tree whose stamp is there is not fetched again, so
# a second run is a no-op.  Concurrent runs wait for each other (flock on
# $cache/sources.lock).
#
# apt runs with a private configuration ($cache/apt: its own deb-src list
# for bookworm and bookworm-updates (not the security archive: the point
# release's versions are in the main pool), lists and cache folders), so the
# system's apt state is untouched; `apt-get source --download-only` fetches
# the .dsc and tarballs from $LS_DEBIAN_MIRROR (default deb.debian.org).
# Each step's wall time is appended to $cache/timings.log.
#
# Needs apt-get, dpkg-source (dpkg-dev), flock; the Debian mirror must be
# reachable for a cold fetch (exit 3 and a message when it is not).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
suite=bookworm
mirror=${LS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${LS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/layerscan}/sources
pkgs="postgresql-15 php8.2 ruby3.1 python3.11 ruby-rails curl wget"
planted="planted-python3.11"
all="$pkgs $planted"

die() {
	echo "real-sources.sh: $*" >&2
	exit 1
}

say() {
	echo "real-sources.sh: $*" >&2
}

case ${1:-} in
--path)
	[ $# = 2 ] || die "usage: real-sources.sh --path NAME"
	echo "$cache/$2"
	exit 0
	;;
--list)
	echo "$all"
	exit 0
	;;
esac

for t in apt-get dpkg-source flock sha256sum; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed (apt-get install dpkg-dev)"
done

mkdir -p "$cache"
exec 9>"$cache/sources.lock"
flock 9

now() {
	date +%s
}

time_step() {
	_n=$1 _s=$2
	shift 2
	_t0=$(now)
	"$@"
	_t1=$(now)
	echo "$_n $_s $((_t1 - _t0))" >>"$cache/timings.log"
	say "$_n: $_s took $((_t1 - _t0)) s"
}

# the private apt configuration
apt_dir=$cache/apt
apt_conf() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d"
	cat >"$apt_dir/sources.list.d/bookworm-src.sources" <<EOF
Types: deb-src
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	: >"$apt_dir/sources.list"
}

apt_p() {
	apt-get -q \
		-o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/sources.list.d" \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Sandbox::User=root \
		"$@"
}

# logged LOG COMMAND...: run COMMAND, its output in LOG
logged() {
	_log=$1
	shift
	"$@" >"$_log" 2>&1
}

apt_log() {
	_log=$1
	shift
	apt_p "$@" >"$_log" 2>&1
}

reachable() {
	# a small file of the mirror; apt itself would only warn
	if command -v curl >/dev/null 2>&1; then
		curl -fsS -m 20 -o /dev/null "$mirror/dists/$suite/Release.gpg"
	else
		apt_p update >/dev/null 2>&1
	fi
}

updated=0
apt_update() {
	[ $updated = 0 ] || return 0
	apt_conf
	reachable || {
		echo "real-sources.sh: the Debian mirror $mirror is unreachable (no network?); cannot fetch the source trees" >&2
		exit 3
	}
	time_step apt update apt_log "$cache/apt-update.log" update || {
		tail -n 20 "$cache/apt-update.log" >&2
		die "apt-get update (private configuration in $apt_dir) failed"
	}
	updated=1
}

# ensure_pkg NAME: $cache/NAME is the unpacked source of package NAME
ensure_pkg() {
	_p=$1
	[ -d "$cache/$_p" ] && [ -s "$cache/$_p.stamp" ] && return 0
	apt_update
	_tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	trap 'rm -rf "$_tmp"' EXIT
	say "fetching the source of $_p (once; cached in $cache)"
	(cd "$_tmp" && time_step "$_p" download apt_log "$_tmp/download.log" \
		source --download-only "$_p") || {
		tail -n 20 "$_tmp/download.log" >&2
		die "apt-get source --download-only $_p failed"
	}
	_dsc=$(ls "$_tmp"/*.dsc)
	_ver=$(awk '/^Version: / { print $2; exit }' "$_dsc")
	(cd "$_tmp" && time_step "$_p" unpack logged "$_tmp/unpack.log" \
		dpkg-source -q --no-check -x "$_dsc" tree) || {
		tail -n 20 "$_tmp/unpack.log" >&2
		die "dpkg-source -x $_dsc failed"
	}
	rm -rf "${cache:?}/$_p"
	mv "$_tmp/tree" "$cache/$_p"
	echo "$_p $_ver $(du -sm "$cache/$_p" | cut -f1) MB" >"$cache/$_p.stamp"
	rm -rf "$_tmp"
	trap - EXIT
}

# The planted copy: python3.11 as hard links (the scanner only reads), the
# planted files written fresh (never through a link into the original).
# Each row of fixtures/real/sources-planted.tsv names a file and the line
# appended to it (or the whole file when new); the stamp is a hash of that.
ensure_planted() {
	_n=$1
	_base=${_n#planted-}
	ensure_pkg "$_base"
	tsv=$top/fixtures/real/sources-planted.tsv
	_h=$( (cat "$tsv" "$0"; cat "$cache/$_base.stamp") | sha256sum | cut -c1-16)
	[ -d "$cache/$_n" ] && [ "$(cat "$cache/$_n.stamp" 2>/dev/null)" = "$_h" ] && return 0
	say "making $_n"
	rm -rf "${cache:?}/$_n" "$cache/$_n.tmp"
	cp -al "$cache/$_base" "$cache/$_n.tmp"
	# path TAB rule TAB severity TAB line
	awk -F '\t' '!/^#/ && NF >= 4 { print $1 "\t" $4 }' "$tsv" |
		while IFS="$(printf '\t')" read -r path line; do
			f=$cache/$_n.tmp/$path
			mkdir -p "$(dirname "$f")"
			if [ -e "$f" ]; then
				# break the hard link first
				cp "$f" "$f.new"
				rm -f "$f"
				mv "$f.new" "$f"
				# a last line without its newline gets one first
				[ -z "$(tail -c 1 "$f")" ] || echo >>"$f"
			fi
			printf '%b\n' "$line" >>"$f"
		done
	mv "$cache/$_n.tmp" "$cache/$_n"
	echo "$_h" >"$cache/$_n.stamp"
}

# shellcheck disable=SC2086 # the list of names
[ $# -gt 0 ] || set -- $all
for n in "$@"; do
	case " $pkgs " in
	*" $n "*) ensure_pkg "$n"; continue ;;
	esac
	case " $planted " in
	*" $n "*) ensure_planted "$n"; continue ;;
	esac
	die "unknown tree $n (known: $all)"
done
