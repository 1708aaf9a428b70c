# lib.sh - shared by tests/container/build.sh and check.sh (sourced).
# $TOP is the repository.  POSIX sh.

# The flags every build of the production image uses (docs/container.md):
#   --format docker     the OCI format has no HEALTHCHECK; podman drops it
#                       with only a warning
#   --isolation=chroot  RUN steps without a runtime (crun cannot set rlimits
#                       on these machines)
#   --pull=never        FROM debian:bookworm-slim is the local image that
#                       tests/lib/debian-base.sh makes: no registry needed
#   --timestamp, --build-arg SOURCE_DATE_EPOCH
#                       the same tree gives the same image ID
ls_container_build() { # CONTEXT TAG EPOCH [podman build options...]
	_ctx=$1 _tag=$2 _epoch=$3
	shift 3
	podman build --format docker --isolation=chroot --pull=never \
		--timestamp "$_epoch" --build-arg SOURCE_DATE_EPOCH="$_epoch" \
		-f "$_ctx/Containerfile" -t "$_tag" "$@" "$_ctx"
}

# The image's dates: $SOURCE_DATE_EPOCH if set, else the last commit's
# time, else 0 (a tree without .git).
ls_container_epoch() {
	if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
		echo "$SOURCE_DATE_EPOCH"
	else
		git -C "$TOP" log -1 --format=%ct 2>/dev/null || echo 0
	fi
}
