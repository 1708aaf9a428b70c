# lib-image.sh - helpers for image end-to-end tests (sourced after lib.sh).
#
# The cases are build contexts in fixtures/images/CASE.  They are built with
# the real podman, FROM the local base image tests/lib/base-image.sh makes.
#
#   build_case NAME [PODMAN-BUILD-ARGS...]
#       build fixtures/images/NAME as localhost/layerscan-test-NAME
#   build_case_as NAME CASE [PODMAN-BUILD-ARGS...]
#       build fixtures/images/CASE as localhost/layerscan-test-NAME (for a
#       second image from one context, e.g. --target builder)
#     Sets $img (the reference scanned, tagged :<hash>) and $img_id.  The
#     image is tagged with a hash of the context's content, the build
#     arguments and the base image, so a changed fixture is rebuilt and an
#     unchanged one is built once, not once per test; :latest is tagged too.
#     Builds use --isolation=chroot and --no-cache (results must not depend
#     on which case podman's layer cache saw first).
#   save_all NAME
#       ./NAME.docker.tar (docker-archive), ./NAME.oci.tar (oci-archive),
#       ./NAME.ocidir (oci-dir) of the image build_case made; the stdin run
#       of scan_all reads NAME.docker.tar.  Saves are cached per image id
#       under $LS_E2E_CACHE; the copies in cwd are the test's own.
#   scan_all NAME [LAYERSCAN-ARGS...]
#       layerscan image --format json on the four forms (docker-archive,
#       oci-archive, oci-dir, `image - < NAME.docker.tar`); fails unless all
#       exit alike and give the same report apart from "target" and "stats".
#       Sets $st; ./out is the docker-archive report, ./err its stderr, and
#       ./findings the findings summary (see summarize).
#   summarize FILE.json
#       one line per finding, in report order:
#       rule=R source=S path=P line=L col=C [layer=I hidden=B hidden_by=H
#       layers=I,J] [field=F] [key=K] [history=N]
#   expect_findings < EXPECTED
#       ./findings must hold exactly the lines of EXPECTED (order ignored).
#   expect_finding PATTERN
#       some line of ./findings matches the ERE PATTERN (use `grep -F`-safe
#       fixed strings where possible).
#
# Needs podman (and busybox-static for the base image): a missing podman is
# a failure, never a skip.  No jq or python: the JSON is read with awk.

: "${TOP:?}" "${LAYERSCAN:?}"
LS_E2E_CACHE=${LS_E2E_CACHE:-${TMPDIR:-/tmp}/layerscan-e2e-cache}
FIXTURES="$TOP/fixtures/images"

command -v podman >/dev/null 2>&1 ||
	fail "podman is not installed: image tests need it (src/tools/deps.sh test installs it)"
mkdir -p "$LS_E2E_CACHE"

# The base image, once per shell.
ensure_base() {
	[ -n "${_ls_base_id:-}" ] && return 0
	sh "$TOP/tests/lib/base-image.sh" >"$LS_E2E_CACHE/base-image.log" 2>&1 || {
		cat "$LS_E2E_CACHE/base-image.log" >&2
		fail "could not make the base image (tests/lib/base-image.sh)"
	}
	_ls_base_id=$(podman image inspect --format '{{.Id}}' localhost/layerscan-busybox:latest) ||
		fail "base image localhost/layerscan-busybox:latest missing after base-image.sh"
}

# content hash of a build context + build args + base image id
case_hash() {
	_dir=$1
	shift
	{
		tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
			-C "$_dir" -cf - . || fail "cannot read $_dir"
		# bump the recipe when the way cases are built changes
		printf '\nrecipe:2 --no-cache\nargs:%s\nbase:%s\n' "$*" "$_ls_base_id"
	} | sha256sum | cut -c1-16
}

build_case() {
	_n=$1
	shift
	build_case_as "$_n" "$_n" "$@"
}

build_case_as() {
	_name=$1 _case=$2
	shift 2
	_dir="$FIXTURES/$_case"
	[ -f "$_dir/Containerfile" ] || fail "no fixture $_dir/Containerfile"
	ensure_base
	_h=$(case_hash "$_dir" "$@")
	_repo=localhost/layerscan-test-$_name
	img=$_repo:$_h
	if ! podman image exists "$img"; then
		_log="$LS_E2E_CACHE/build-$_name.log"
		# --no-cache: podman's layer cache would hand one case the layers
		# of another build of the same steps (e.g. a --timestamp 0 one),
		# so results would depend on build order.  One retry: podman can
		# trip over layers another process removes meanwhile.
		if ! podman build -q --no-cache --isolation=chroot --pull=never "$@" \
			-t "$img" -f "$_dir/Containerfile" "$_dir" >"$_log" 2>&1 &&
			! podman build -q --no-cache --isolation=chroot --pull=never "$@" \
				-t "$img" -f "$_dir/Containerfile" "$_dir" >>"$_log" 2>&1; then
			tail -n 30 "$_log" >&2
			fail "podman build of fixtures/images/$_case failed (log above, $_log)"
		fi
		# drop the tags of older builds of this case
		for _t in $(podman images --format '{{.Repository}}:{{.Tag}}' "$_repo" 2>/dev/null); do
			case "$_t" in "$img" | "$_repo:latest") ;; *) podman rmi "$_t" >/dev/null 2>&1 || true ;; esac
		done
	fi
	podman tag "$img" "$_repo:latest" >/dev/null 2>&1 || fail "cannot tag $img"
	img_id=$(podman image inspect --format '{{.Id}}' "$img") || fail "no image $img after build"
	eval "_ls_img_$(echo "$_name" | tr -c 'A-Za-z0-9\n' _)=\$img"
}

# the image build_case made for NAME in this shell
case_image() {
	eval "_i=\${_ls_img_$(echo "$1" | tr -c 'A-Za-z0-9\n' _):-}"
	[ -n "$_i" ] || fail "save_all/scan_all $1: call build_case $1 first"
	echo "$_i"
}

save_all() {
	_name=$1
	_ref=$(case_image "$_name")
	_id=$(podman image inspect --format '{{.Id}}' "$_ref") || fail "no image $_ref"
	_c="$LS_E2E_CACHE/$_name-$(echo "$_id" | cut -c1-16)"
	if [ ! -f "$_c/complete" ]; then
		# save into a private directory, then rename: safe when two runs race
		_tmpc=$(mktemp -d "$LS_E2E_CACHE/.save-$_name.XXXXXX")
		podman save -q --format docker-archive -o "$_tmpc/docker.tar" "$_ref" >"$_tmpc/log" 2>&1 &&
			podman save -q --format oci-archive -o "$_tmpc/oci.tar" "$_ref" >>"$_tmpc/log" 2>&1 &&
			podman save -q --format oci-dir -o "$_tmpc/ocidir" "$_ref" >>"$_tmpc/log" 2>&1 ||
			{ cat "$_tmpc/log" >&2; rm -rf "$_tmpc"; fail "podman save $_ref failed"; }
		: >"$_tmpc/complete"
		# older saves of this case are stale (left alone for a while, in
		# case a concurrent run still copies from one)
		for _old in "$LS_E2E_CACHE/$_name"-*; do
			case "${_old#"$LS_E2E_CACHE/$_name"-}" in
			*[!0-9a-f]* | "") continue ;;
			esac
			if [ "$_old" != "$_c" ] && [ -n "$(find "$_old" -maxdepth 0 -mmin +30 2>/dev/null)" ]; then
				rm -rf "$_old"
			fi
		done
		if ! mv -T "$_tmpc" "$_c" 2>/dev/null; then
			rm -rf "$_tmpc" # another run won the race
		fi
	fi
	[ -f "$_c/complete" ] || fail "cache $_c incomplete"
	rm -rf "$_name.docker.tar" "$_name.oci.tar" "$_name.ocidir"
	cp "$_c/docker.tar" "$_name.docker.tar"
	cp "$_c/oci.tar" "$_name.oci.tar"
	cp -R "$_c/ocidir" "$_name.ocidir"
}

# The findings of a JSON report as lines of key=value.  Relies on the
# report's layout (jansson, indent 2): finding keys at 6 spaces, layer keys
# at 8, array items one per line.
summarize() {
	awk '
	function val(s) {
		sub(/^ *"[a-z_]+": /, "", s); sub(/,$/, "", s)
		if (s ~ /^".*"$/) s = substr(s, 2, length(s) - 2)
		return s
	}
	/^  "findings": \[/ { inf = 1; next }
	!inf { next }
	/^  \]/ { inf = 0; next }
	/^    \{$/ { delete f; nl = ""; inlayer = inlayers = 0; next }
	/^    \},?$/ {
		s = "rule=" f["rule"] " source=" f["source"] " path=" f["path"] \
		    " line=" f["line"] " col=" f["column"]
		if ("index" in f)
			s = s " layer=" f["index"] " hidden=" f["hidden"] \
			    " hidden_by=" f["hidden_by"] " layers=" nl
		if ("field" in f) s = s " field=" f["field"]
		if ("key" in f) s = s " key=" f["key"]
		if ("history_index" in f) s = s " history=" f["history_index"]
		print s
		next
	}
	/^      "layer": \{/ { inlayer = 1; next }
	/^      "layers": \[/ { inlayers = 1; next }
	/^      (\]|\}),?$/ { inlayer = inlayers = 0; next }
	inlayers && /^        [0-9-]+,?$/ { x = $1; sub(/,$/, "", x); nl = nl (nl == "" ? "" : ",") x; next }
	inlayer && /^        "(index|hidden|hidden_by)": / { k = $1; gsub(/[":]/, "", k); f[k] = val($0); next }
	/^      "(rule|source|path|line|column|field|key|history_index)": / {
		k = $1; gsub(/[":]/, "", k); f[k] = val($0); next
	}
	' "$1"
}

# strip what legitimately differs between the forms of one image
normalise() {
	# warnings name the image file and the layer's name in it, which
	# differ between forms; their count is kept
	sed '/^  "target": {/,/^  },*$/d; /^  "stats": {/,/^  },*$/d
	     /^  "warnings": \[$/,/^  \],*$/{/^    "/s/.*/    warning/;}' "$1"
}

scan_all() {
	_name=$1
	shift
	[ -f "$_name.docker.tar" ] || fail "scan_all $_name: call save_all $_name first"
	_ref_st=
	for _form in docker oci ocidir stdin; do
		case $_form in
		docker) _target=$_name.docker.tar ;;
		oci) _target=$_name.oci.tar ;;
		ocidir) _target=$_name.ocidir ;;
		stdin) _target=- ;;
		esac
		set +e
		if [ $_form = stdin ]; then
			timeout 60 "$LAYERSCAN" image --format json "$@" - <"$_name.docker.tar" \
				>"$_name.$_form.json" 2>"$_name.$_form.err"
		else
			timeout 60 "$LAYERSCAN" image --format json "$@" "$_target" \
				>"$_name.$_form.json" 2>"$_name.$_form.err"
		fi
		_fst=$?
		set -e
		[ $_fst -lt 3 ] || { cat "$_name.$_form.err" >&2; fail "$_name ($_form): layerscan exited $_fst (crash or timeout?)"; }
		if [ -z "$_ref_st" ]; then
			_ref_st=$_fst
			normalise "$_name.$_form.json" >"$_name.ref.norm"
		else
			[ "$_fst" -eq "$_ref_st" ] || {
				cat "$_name.$_form.err" >&2
				fail "$_name: $_form exits $_fst, docker-archive exits $_ref_st"
			}
			normalise "$_name.$_form.json" >"$_name.$_form.norm"
			diff -u "$_name.ref.norm" "$_name.$_form.norm" >&2 ||
				fail "$_name: the $_form report differs from the docker-archive report"
		fi
	done
	st=$_ref_st
	cp "$_name.docker.json" out
	cp "$_name.docker.err" err
	summarize out >findings
	cp findings "$_name.findings"
	grep -q '"findings": \[\]' out || [ -s findings ] ||
		fail "$_name: report has findings but summarize found none (report layout changed?)"
}

expect_findings() {
	sort >findings.expected
	sort findings >findings.sorted
	diff -u findings.expected findings.sorted >findings.diff || {
		echo "--- notes in the report"
		grep '"note"' out || true
		echo "--- findings (- expected, + got)"
		cat findings.diff
		fail "findings differ from the expected ones"
	}
}

expect_finding() {
	grep -qE -- "$1" findings || { echo "--- findings"; cat findings; fail "no finding matches /$1/"; }
}
