/*
 * fuzz_image_json.c - the image reader's JSON handling (src/source/image/:
 * manifest.json, image configs, OCI index.json and manifests, history,
 * layer resolution, whiteouts), reached on every run: the input supplies
 * only the JSON documents, and the harness wraps them in an otherwise
 * valid saved image built in memory with libarchive (two real layers: one
 * ships app/.env with a GitHub token, the next removes it by a whiteout).
 *
 * Input: one mode byte, then up to three documents separated by NUL bytes.
 *   bit 0: 0 docker-archive, 1 oci-archive
 *   bit 1: the JSON documents before the layers (else after, as podman)
 *   bit 2: gzip layers
 *   bit 3: read as a file (two-pass reader) instead of a pipe-like fd
 * docker-archive: manifest.json, <C>.json (config), repositories;
 *   layers <L1>.tar and <L2>.tar, and a link <D>/layer.tar -> ../<L1>.tar.
 * oci-archive: index.json, blobs/sha256/<M> (manifest), blobs/sha256/<C>
 *   (config); oci-layout and the layers blobs/sha256/<L1>, <L2>.
 * <L1> = 64 x '1', <L2> = 64 x '2', <C> = 64 x 'c', <M> = 64 x 'a',
 * <D> = 64 x 'd'.  A missing document is a missing entry.
 */
#include "fuzz.h"

#include <archive.h>
#include <archive_entry.h>

#include "source/image/image.h"

#define HEX64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define L1 HEX64("1")
#define L2 HEX64("2")
#define CF HEX64("c")
#define MF HEX64("a")
#define DI HEX64("d")

struct mem {
	char *p;
	size_t len, cap;
};

struct ent {
	const char *name;
	const char *data;           /* NULL: a directory */
	size_t len;
	const char *link;           /* symbolic link target, or NULL */
};

/* A tar of `n` entries in memory (gzip-compressed if `gz`). */
static void write_tar(struct mem *m, const struct ent *e, size_t n, int gz)
{
	struct archive *a = archive_write_new();
	size_t used = 0;

	m->cap = 64 * 1024;
	for (size_t i = 0; i < n; i++)
		m->cap += 1024 + e[i].len + e[i].len / 64;
	m->p = ls_xmalloc(m->cap);
	if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
	    (gz && archive_write_add_filter_gzip(a) != ARCHIVE_OK) ||
	    archive_write_open_memory(a, m->p, m->cap, &used) != ARCHIVE_OK)
		fuzz_die("cannot start a tar in memory");
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_mtime(ae, 0, 0);
		if (e[i].link) {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_perm(ae, 0777);
			archive_entry_set_symlink(ae, e[i].link);
		} else if (!e[i].data) {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
		} else {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)e[i].len);
		}
		if (archive_write_header(a, ae) != ARCHIVE_OK)
			fuzz_die(archive_error_string(a));
		if (e[i].data && e[i].len &&
		    archive_write_data(a, e[i].data, e[i].len) != (la_ssize_t)e[i].len)
			fuzz_die(archive_error_string(a));
		archive_entry_free(ae);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		fuzz_die(archive_error_string(a));
	archive_write_free(a);
	m->len = used;
}

static struct mem layers[2][2];         /* [gzip][layer] */

static void make_layers(void)
{
	static const char env[] =
		"DEBUG=1\nGITHUB_TOKEN=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\n";
	static const char cfg[] = "{\"user\": \"app\"}\n";
	const struct ent l1[] = {
		{ "app/", NULL, 0, NULL },
		{ "app/.env", env, sizeof(env) - 1, NULL },
		{ "app/config.json", cfg, sizeof(cfg) - 1, NULL },
		{ "etc/", NULL, 0, NULL },
		{ "etc/link", NULL, 0, "../app/.env" },
	};
	const struct ent l2[] = {
		{ "app/", NULL, 0, NULL },
		{ "app/.wh..env", "", 0, NULL },
		{ "app/config.json", cfg, sizeof(cfg) - 1, NULL },
	};

	for (int gz = 0; gz < 2; gz++) {
		write_tar(&layers[gz][0], l1, sizeof(l1) / sizeof(l1[0]), gz);
		write_tar(&layers[gz][1], l2, sizeof(l2) / sizeof(l2[0]), gz);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static const char layout[] = "{\"imageLayoutVersion\": \"1.0.0\"}";
	const char *doc[3] = { NULL, NULL, NULL };
	size_t dlen[3] = { 0, 0, 0 }, ndoc = 0, n = 0, nj;
	struct ent e[8], js[3];
	struct ls_image_opts o = { -1 };
	struct ls_scan scan;
	struct ls_err err;
	struct mem img;
	unsigned mode;
	int gz, fd, rc;

	if (!ready) {
		make_layers();
		ready = 1;
	}
	if (size < 1)
		return 0;
	mode = data[0];
	gz = (mode >> 2) & 1;
	/* split the rest on NUL into at most three documents */
	for (size_t i = 1; i <= size && ndoc < 3;) {
		const uint8_t *nul = i < size ? memchr(data + i, '\0', size - i) : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;
		doc[ndoc] = (const char *)data + i;
		dlen[ndoc++] = end - i;
		i = end + 1;
		if (!nul)
			break;
	}
	if (mode & 1) {
		static const char *const names[3] = {
			"index.json", "blobs/sha256/" MF, "blobs/sha256/" CF };
		for (nj = 0; nj < ndoc; nj++)
			js[nj] = (struct ent){ names[nj], doc[nj], dlen[nj], NULL };
		e[n++] = (struct ent){ "oci-layout", layout, sizeof(layout) - 1, NULL };
		if (mode & 2)
			for (size_t k = 0; k < nj; k++)
				e[n++] = js[k];
		e[n++] = (struct ent){ "blobs/sha256/" L1, layers[gz][0].p,
				       layers[gz][0].len, NULL };
		e[n++] = (struct ent){ "blobs/sha256/" L2, layers[gz][1].p,
				       layers[gz][1].len, NULL };
	} else {
		static const char *const names[3] = {
			"manifest.json", CF ".json", "repositories" };
		for (nj = 0; nj < ndoc; nj++)
			js[nj] = (struct ent){ names[nj], doc[nj], dlen[nj], NULL };
		if (mode & 2)
			for (size_t k = 0; k < nj; k++)
				e[n++] = js[k];
		e[n++] = (struct ent){ L1 ".tar", layers[gz][0].p,
				       layers[gz][0].len, NULL };
		e[n++] = (struct ent){ L2 ".tar", layers[gz][1].p,
				       layers[gz][1].len, NULL };
		e[n++] = (struct ent){ DI "/layer.tar", NULL, 0, "../" L1 ".tar" };
	}
	if (!(mode & 2))
		for (size_t k = 0; k < nj; k++)
			e[n++] = js[k];
	write_tar(&img, e, n, 0);

	fd = fuzz_memfd(img.p, img.len);
	free(img.p);
	fuzz_scan_init(&scan);
	ls_err_clear(&err);
	if (mode & 8) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		rc = ls_image_scan_path(&scan, path, "image.tar", &o, &err);
	} else {
		rc = ls_image_scan_fd(&scan, fd, "image.tar", &o, &err);
	}
	if (rc && !err.msg[0])
		fuzz_die("error without a message");
	close(fd);
	fuzz_debug(&scan, "image");
	ls_scan_release(&scan);
	return 0;
}
