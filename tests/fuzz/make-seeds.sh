#!/bin/sh
# make-seeds.sh - (re)generate the seed corpora in tests/fuzz/corpus/ from
# the fixtures and the default rules.  Run from anywhere; needs sh, tar,
# gzip, sha256sum.  The output is committed; re-run it only when the
# fixtures or the input formats change.  Total size stays well under 1 MB.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
c=$top/tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$c"
mkdir -p "$c/toml" "$c/rules" "$c/ignore" "$c/containerfile" "$c/image_tar" \
	"$c/image_json" "$c/matcher"

# a valid GitHub token (its checksum is right), as in tests/unit/test_match.c
GHP=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

# --- toml, rules: a few default pattern files (rules with examples, a
# global allowlist, the Containerfile checks) and a document using every
# TOML construct
for p in github global containerfile generic private-key aws docker-config \
	sensitive-files url-credentials jwt; do
	cp "$top/patterns/$p.toml" "$c/toml/$p.toml"
	cp "$top/patterns/$p.toml" "$c/rules/$p.toml"
done
cat >"$c/toml/syntax.toml" <<'TOML'
# every construct
title = "x"
"quoted key" = 'literal'
dotted.key.here = 1
int = [ +1, -0, 0x_dead_beef, 0xDEADBEEF, 0o755, 0b1101, 1_000 ]
flt = [ 3.14, -1e-3, 6.02E+23, inf, -inf, nan, +nan, 0.0 ]
bools = [ true, false, ]
ml = """
line one \
   joined "quotes" \u00e9 \U0001F600 \b\t\n\f\r\"\\
"""
lit = '''
raw \n text
'''
inline = { a = 1, b.c = "two", d = [ { e = 3 } ] }
nested = [ [ 1, 2 ], [ "a", 'b' ], [ ], ]
[table]
k = "v"
[table.sub]
k = 2
[[aot]]
n = 1
[[aot]]
n = 2
[[aot.sub]]
x = "y"
TOML
cat >"$c/rules/small.toml" <<'TOML'
[[rules]]
id = "fuzz-rule"
description = "a small rule"
regex = '''(?i)token[=:]\s*([a-z0-9]{16,})'''
secretGroup = 1
keywords = ["token"]
entropy = 2.0
tags = ["generic"]
severity = "high"
[[rules.allowlists]]
regexes = ['''example''']
stopwords = ["dummy"]
paths = ['''test/''']
[rules.examples]
positive = ["token=abcdef0123456789abcd"]
negative = ["token=example000000000000"]

[[rules]]
id = "fuzz-path"
description = "a path rule"
path = '''(^|/)\.fuzzrc$'''

[allowlist]
description = "global"
paths = ['''vendor/''']
regexTarget = "line"
regexes = ['''EXAMPLE''']
TOML

# --- ignore: every fixture case (engine byte, the ignore file, NUL, the
# context's paths); odd cases with the docker engine
i=0
for d in "$top"/fixtures/ignore-cases/*/; do
	f=$d/ctx/.containerignore
	[ -f "$f" ] || f=$d/ctx/.dockerignore
	[ -f "$f" ] || continue
	e=$((i % 2))
	{
		printf "\\$(printf %03o "$e")"
		cat "$f"
		printf '\0'
		(cd "$d/ctx" && find . -mindepth 1 | sed 's|^\./||' | sort | head -n 40)
	} >"$c/ignore/$(basename "$d")"
	i=$((i + 1))
done

# --- containerfile: the fixtures' Containerfiles and one with heredocs,
# an escape directive, JSON forms and substitutions
for f in "$top"/fixtures/images/*/Containerfile "$top"/fixtures/demo/context/Containerfile; do
	n=$(basename "$(dirname "$f")")
	cp "$f" "$c/containerfile/$n"
done
cat >"$c/containerfile/syntax" <<'CF'
# escape=`
# syntax=docker/dockerfile:1
ARG BASE=localhost/base
FROM ${BASE:-busybox} AS build
ARG API_TOKEN
ENV A=1 B="two words" C=${A:+set}
ENV OLD value with spaces
RUN echo $API_TOKEN > /tmp/t && `
    # a comment inside
    cat /tmp/t
RUN <<EOF bash
echo heredoc
EOF
RUN <<-"END" cat > /x <<'TWO'
	tabbed
	END
two
TWO
COPY --from=build ["/a b", "/c"]
FROM build
COPY . /app
ADD https://user:pass@example.com/x.tgz /x
CMD ["sh", "-c", "echo ${B}"]
CF

# --- matcher: small files of the labelled corpus, each behind a byte
# choosing the file name the target gives it
i=0
find "$top/fixtures/corpus/files" -type f -size -3k | sort | head -n 40 |
while read -r f; do
	{ printf "\\$(printf %03o $((i % 16)))"; cat "$f"; } >"$c/matcher/$(printf %02d $i)"
	i=$((i + 1))
done

# --- images: two layers (app/.env with a token, then its whiteout)
mkdir -p "$tmp/l1/app" "$tmp/l1/etc" "$tmp/l2/app"
printf 'DEBUG=1\nGITHUB_TOKEN=%s\n' "$GHP" >"$tmp/l1/app/.env"
echo '{"user": "app"}' >"$tmp/l1/app/config.json"
ln -s ../app/.env "$tmp/l1/etc/link"
# the same small archive at two paths (the results memo), and the files
# the production policy reads
mkdir -p "$tmp/nest/conf" "$tmp/l1/srv"
printf 'TOKEN=%s\n' "$GHP" >"$tmp/nest/conf/.env"
(cd "$tmp/nest" && tar --format=ustar -b 1 --sort=name --owner=0 --group=0 \
	--numeric-owner --mtime=@0 -cf - conf) | gzip -9n >"$tmp/l1/app/bundle.tgz"
cp "$tmp/l1/app/bundle.tgz" "$tmp/l1/srv/bundle.tgz"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' >"$tmp/l1/etc/passwd"
: >"$tmp/l2/app/.wh..env"
tarc() { # tarc OUT DIR: a small reproducible tar of DIR's contents
	(cd "$2" && tar --format=ustar -b 1 --sort=name --owner=0 --group=0 \
		--numeric-owner --mtime=@0 -cf "$1" .)
}
tarc "$tmp/l1.tar" "$tmp/l1"
tarc "$tmp/l2.tar" "$tmp/l2"
l1=$(sha256sum <"$tmp/l1.tar" | cut -c1-64)
l2=$(sha256sum <"$tmp/l2.tar" | cut -c1-64)

config() { # config DIFF1 DIFF2
	cat <<JSON
{"architecture":"amd64","os":"linux","config":{"User":"app","Env":["PATH=/usr/bin","API_TOKEN=$GHP"],"Cmd":["sh","-c","echo hi"],"Entrypoint":["/entry"],"Labels":{"token":"$GHP","maintainer":"x"},"Healthcheck":{"Test":["CMD-SHELL","curl -u admin:hunter2 http://localhost/"]}},"rootfs":{"type":"layers","diff_ids":["sha256:$1","sha256:$2"]},"history":[{"created_by":"/bin/sh -c #(nop) ADD dir:abc in / "},{"created_by":"|1 GITHUB_TOKEN=$GHP /bin/sh -c rm app/.env"},{"created_by":"/bin/sh -c #(nop)  CMD [\"sh\"]","empty_layer":true}]}
JSON
}
H() { printf "$1%.0s" $(seq 64); }

# docker-archive, as podman writes it (layers, link, config, manifest)
d=$tmp/docker
mkdir -p "$d/$(H d)"
cp "$tmp/l1.tar" "$d/$l1.tar"
cp "$tmp/l2.tar" "$d/$l2.tar"
ln -s "../$l1.tar" "$d/$(H d)/layer.tar"
config "$l1" "$l2" >"$tmp/cfg.json"
cfg=$(sha256sum <"$tmp/cfg.json" | cut -c1-64)
mv "$tmp/cfg.json" "$d/$cfg.json"
printf '[{"Config":"%s.json","RepoTags":["localhost/fuzz:latest"],"Layers":["%s/layer.tar","%s.tar"]}]\n' \
	"$cfg" "$(H d)" "$l2" >"$d/manifest.json"
printf '{"localhost/fuzz":{"latest":"%s"}}\n' "$l2" >"$d/repositories"
tarc "$c/image_tar/docker-archive.tar" "$d"
gzip -9n <"$c/image_tar/docker-archive.tar" >"$c/image_tar/docker-archive.tar.gz"

# oci-archive, with the second layer gzip-compressed
o=$tmp/oci
mkdir -p "$o/blobs/sha256"
cp "$tmp/l1.tar" "$o/blobs/sha256/$l1"
gzip -9n <"$tmp/l2.tar" >"$tmp/l2.tgz"
l2z=$(sha256sum <"$tmp/l2.tgz" | cut -c1-64)
cp "$tmp/l2.tgz" "$o/blobs/sha256/$l2z"
config "$l1" "$l2" >"$tmp/cfg.json"
cfg=$(sha256sum <"$tmp/cfg.json" | cut -c1-64)
mv "$tmp/cfg.json" "$o/blobs/sha256/$cfg"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":1},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":1},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":1}]}' \
	"$cfg" "$l1" "$l2z" >"$tmp/m.json"
man=$(sha256sum <"$tmp/m.json" | cut -c1-64)
mv "$tmp/m.json" "$o/blobs/sha256/$man"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"annotations":{"org.opencontainers.image.ref.name":"localhost/fuzz:latest"}}]}' \
	"$man" >"$o/index.json"
echo '{"imageLayoutVersion": "1.0.0"}' >"$o/oci-layout"
tarc "$c/image_tar/oci-archive.tar" "$o"

# --- image_json: mode byte, then the documents separated by NUL (see
# fuzz_image_json.c for the names and modes)
L1=$(H 1) L2=$(H 2) C=$(H c) M=$(H a) D=$(H d)
dman=$(printf '[{"Config":"%s.json","RepoTags":["localhost/fuzz:latest"],"Layers":["%s/layer.tar","%s.tar"]}]' "$C" "$D" "$L2")
dman2=$(printf '[{"Config":"%s.json","RepoTags":["a:1"],"Layers":["%s.tar"]},{"Config":"%s.json","Layers":["%s.tar","%s.tar","missing.tar"]}]' "$C" "$L1" "$C" "$L1" "$L2")
cfgj=$(config "$L1" "$L2")
repos=$(printf '{"localhost/fuzz":{"latest":"%s"}}' "$L2")
idx=$(printf '{"schemaVersion":2,"manifests":[{"digest":"sha256:%s","annotations":{"org.opencontainers.image.ref.name":"fuzz"}},{"digest":"sha256:%s","platform":{"os":"unknown"}}]}' "$M" "$M")
omf=$(printf '{"schemaVersion":2,"config":{"digest":"sha256:%s"},"layers":[{"digest":"sha256:%s"},{"digest":"sha256:%s"}]}' "$C" "$L1" "$L2")
nidx=$(printf '{"schemaVersion":2,"manifests":[{"digest":"sha256:%s"}]}' "$C")
seed() { # seed NAME MODE DOC...
	n=$1 m=$2
	shift 2
	{
		printf "\\$(printf %03o "$m")"
		first=1
		for doc in "$@"; do
			[ $first = 1 ] || printf '\0'
			printf '%s' "$doc"
			first=0
		done
	} >"$c/image_json/$n"
}
seed docker 0 "$dman" "$cfgj" "$repos"
seed docker-first-gz-file 14 "$dman" "$cfgj"
seed docker-two-images 8 "$dman2" "$cfgj"
seed oci 1 "$idx" "$omf" "$cfgj"
seed oci-first-gz 7 "$idx" "$omf" "$cfgj"
seed oci-nested-index-file 9 "$idx" "$nidx" "$omf"
seed oci-no-config 1 "$idx" '{"layers":[{"digest":"sha256:'"$L1"'"}]}'

du -sb "$c"
