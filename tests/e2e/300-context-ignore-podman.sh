# Differential test of the build-context ignore rules: for every case in
# fixtures/ignore-cases/NN-name, the files `layerscan context --list-files`
# prints must be exactly the regular files a real `podman build` copies with
# `COPY . /ctx/`.  podman's own list must also equal the case's committed
# `expected` file, so a podman upgrade that changes the rules is noticed
# (UPDATE_EXPECTED=1 rewrites those files from podman instead).
#
# A case is ctx/ (the build context, ignore files included) and optionally
# args: extra arguments, one per line, given to both `podman build` and
# `layerscan context` (e.g. `-f` and `sub/Containerfile`).  Without args the
# Containerfile lives outside the context (in the test's temp dir), unless the
# case has an empty marker file `no-f`: then neither command gets -f and both
# must find ctx/Containerfile (else ctx/Dockerfile) and its ignore file alone.  Both
# commands run with the case directory as cwd and `ctx` as the context, so a
# relative -f is not found from the cwd (case 44 keeps a decoy ignore file
# there).  The image's file list is read without `podman run`: podman save,
# then the last layer's tar listing.
#
# Several builds run at once (IGNORE_JOBS, default 4); IGNORE_CASES=PATTERN
# runs only the cases whose name contains PATTERN.  LS_E2E_REUSE_PODMAN=1
# takes podman's lists from the committed `expected` files instead of
# building: `make check` sets it for its second (sanitizer) pass, after the
# first pass has compared live podman with those files.
. "$TOP/tests/e2e/lib.sh"

command -v podman >/dev/null 2>&1 ||
	fail "podman is not installed: this test needs it (src/tools/deps.sh test installs it)"
sh "$TOP/tests/lib/base-image.sh" >base-image.log 2>&1 || {
	cat base-image.log
	fail "could not make the base image (tests/lib/base-image.sh)"
}

cases_dir=$TOP/fixtures/ignore-cases
work=$PWD
jobs=${IGNORE_JOBS:-4}
repo=localhost/layerscan-ignore-test
run_id=$$
printf 'FROM localhost/layerscan-busybox:latest\nCOPY . /ctx/\n' >"$work/Containerfile"

cleanup() {
	for _t in $(podman images --format '{{.Repository}}:{{.Tag}}' "$repo" 2>/dev/null); do
		case "$_t" in "$repo:$run_id-"*) podman rmi -i "$_t" >/dev/null 2>&1 || true ;; esac
	done
}
trap cleanup EXIT

# case_args CASE: the extra arguments of args (one per line), shell-quoted
# -- callers use: eval "set -- $(case_args CASE)"
case_args() {
	[ -f "$cases_dir/$1/args" ] || return 0
	while IFS= read -r _a || [ -n "$_a" ]; do
		printf "'%s' " "$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")"
	done <"$cases_dir/$1/args"
}

# podman_list CASE: build the case, write the sorted regular files under
# /ctx of its last layer to $work/CASE.podman; on failure write
# $work/CASE.podman-error instead.
podman_list() {
	_c=$1 _d=$work/$1.d
	mkdir -p "$_d"
	_tag=$repo:$run_id-$_c
	eval "set -- $(case_args "$_c")"
	[ $# -gt 0 ] || [ -f "$cases_dir/$_c/no-f" ] || set -- -f "$work/Containerfile"
	if ! (cd "$cases_dir/$_c" &&
		podman build -q --isolation=chroot --pull=never --layers=false \
			-t "$_tag" "$@" ctx) >"$_d/build.log" 2>&1; then
		{ echo "podman build failed:"; tail -n 20 "$_d/build.log"; } >"$work/$_c.podman-error"
		return 0
	fi
	if ! podman save -q --format docker-archive -o "$_d/image.tar" "$_tag" >"$_d/save.log" 2>&1; then
		{ echo "podman save failed:"; cat "$_d/save.log"; } >"$work/$_c.podman-error"
		podman rmi -i "$_tag" >/dev/null 2>&1 || true
		return 0
	fi
	podman rmi -i "$_tag" >/dev/null 2>&1 || true
	tar -xf "$_d/image.tar" -C "$_d" manifest.json
	# "Layers":["a.tar","b.tar"] -> the last one; the base image has one layer
	sed 's/.*"Layers":\[//; s/\].*//' "$_d/manifest.json" | tr ',' '\n' | tr -d '"' >"$_d/layers"
	if [ "$(grep -c . "$_d/layers")" -ne 2 ]; then
		{ echo "expected 2 layers (base + COPY), got:"; cat "$_d/layers"; } >"$work/$_c.podman-error"
		return 0
	fi
	_layer=$(tail -n 1 "$_d/layers")
	tar -xf "$_d/image.tar" -C "$_d" "$_layer"
	# regular files only ('-'); drop mode, owner, size, date, time
	tar --quoting-style=literal -tvf "$_d/$_layer" |
		grep '^-' | sed -E 's/^([^ ]+ +){5}//' | sed -n 's#^ctx/##p' |
		LC_ALL=C sort >"$_d/list"
	mv "$_d/list" "$work/$_c.podman"
	rm -rf "$_d"
}

cases=
for _p in "$cases_dir"/[0-9][0-9]-*/; do
	_c=$(basename "$_p")
	case "$_c" in *"${IGNORE_CASES:-}"*) cases="$cases $_c" ;; esac
done
[ -n "$cases" ] || fail "no cases in $cases_dir"

# build in batches of $jobs
_n=0
for _c in $cases; do
	if [ "${LS_E2E_REUSE_PODMAN:-0}" = 1 ]; then
		cp "$cases_dir/$_c/expected" "$work/$_c.podman"
		continue
	fi
	podman_list "$_c" &
	_n=$((_n + 1))
	[ $((_n % jobs)) -ne 0 ] || wait
done
wait

total=0 bad=0 badnames=
mismatch() {
	bad=$((bad + 1))
	badnames="$badnames $1"
}
for _c in $cases; do
	total=$((total + 1))
	if [ -f "$work/$_c.podman-error" ]; then
		echo "=== $_c: podman"
		cat "$work/$_c.podman-error"
		mismatch "$_c"
		continue
	fi
	[ -f "$work/$_c.podman" ] || { echo "=== $_c: no podman list"; mismatch "$_c"; continue; }
	_bad=0
	# podman against the committed expected list
	if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
		cp "$work/$_c.podman" "$cases_dir/$_c/expected"
	elif ! diff -u "$cases_dir/$_c/expected" "$work/$_c.podman" >"$work/$_c.ediff" 2>&1; then
		echo "=== $_c: podman differs from fixtures/ignore-cases/$_c/expected (- expected, + podman)"
		cat "$work/$_c.ediff"
		_bad=1
	fi
	# layerscan against podman
	eval "set -- $(case_args "$_c")"
	set +e
	(cd "$cases_dir/$_c" && "$LAYERSCAN" context --list-files "$@" ctx) >"$work/$_c.ls" 2>"$work/$_c.lserr"
	_st=$?
	set -e
	LC_ALL=C sort "$work/$_c.ls" >"$work/$_c.layerscan"
	if [ "$_st" -ne 0 ]; then
		echo "=== $_c: layerscan exited $_st"
		cat "$work/$_c.lserr"
		_bad=1
	elif ! diff -u "$work/$_c.podman" "$work/$_c.layerscan" >"$work/$_c.diff" 2>&1; then
		echo "=== $_c: layerscan differs from podman (- podman, + layerscan)"
		cat "$work/$_c.diff"
		_bad=1
	fi
	[ "$_bad" -eq 0 ] || mismatch "$_c"
done

echo "ignore cases: $total run, $bad mismatched"
[ "$bad" -eq 0 ] || fail "$bad of $total ignore cases mismatch:$badnames"
