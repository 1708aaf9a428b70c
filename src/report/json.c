/*
 * json.c - one JSON document per scan (docs/cli.md, "JSON output").
 *
 * Built with jansson.  jansson wants valid UTF-8, and paths and secrets
 * from scanned input need not be: invalid bytes become U+FFFD here, so the
 * document is always valid JSON.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "finding/suppress.h"
#include "report/report.h"
#include "util/xalloc.h"

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static json_t *jstr(const char *s, size_t n)
{
	char *buf = ls_xmalloc(n * 3 + 1);
	size_t o = 0;
	json_t *j;

	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const unsigned char *)s + i, n - i);
		if (k) {
			memcpy(buf + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	j = json_stringn(buf, o);
	free(buf);
	return j ? j : json_string("");
}

static json_t *jstrz(const char *s)
{
	return s ? jstr(s, strlen(s)) : json_null();
}

static json_t *finding_json(const struct ls_finding *f, int redact)
{
	json_t *o = json_object();
	char *sec = redact ? ls_redact(f->secret, f->secret_len) : NULL;

	json_object_set_new(o, "rule", jstrz(f->rule->id));
	json_object_set_new(o, "description", jstrz(f->rule->description));
	json_object_set_new(o, "severity",
			    json_string(ls_severity_name(f->severity)));
	json_object_set_new(o, "secret", sec ? jstrz(sec)
					      : jstr(f->secret, f->secret_len));
	json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
	{
		json_t *fps = json_object();
		char *c = ls_fingerprint_content(f), *p = ls_fingerprint_positional(f);
		json_object_set_new(fps, "content", json_string(c));
		json_object_set_new(fps, "positional", jstrz(p));
		json_object_set_new(o, "fingerprints", fps);
		free(c);
		free(p);
	}
	json_object_set_new(o, "entropy",
			    json_real((double)(long)(f->entropy * 1000 + 0.5) / 1000));
	json_object_set_new(o, "source", json_string(ls_source_name(f->source)));
	json_object_set_new(o, "path", jstrz(f->path));
	json_object_set_new(o, "line", json_integer((json_int_t)f->line));
	json_object_set_new(o, "column", json_integer((json_int_t)f->column));
	json_object_set_new(o, "end_line", json_integer((json_int_t)f->end_line));
	json_object_set_new(o, "end_column",
			    json_integer((json_int_t)f->end_column));
	json_object_set_new(o, "tags", json_array());
	for (size_t i = 0; i < f->rule->ntags; i++)
		json_array_append_new(json_object_get(o, "tags"),
				      jstrz(f->rule->tags[i]));
	if (f->decoded) {
		json_object_set_new(o, "decoded", json_string(
			ls_decoder_name(f->via ? f->via->decode : LS_DECODE_BASE64)));
		if (f->via)
			json_object_set_new(o, "decoded_by", jstrz(f->via->id));
	}
	if (f->rule->fix)
		json_object_set_new(o, "fix", jstrz(f->rule->fix));
	if (f->note)
		json_object_set_new(o, "note", jstrz(f->note));
	if (f->layer) {
		json_t *l = json_object();
		json_object_set_new(l, "index", json_integer(f->layer->index));
		json_object_set_new(l, "digest", jstrz(f->layer->digest));
		json_object_set_new(l, "created_by", jstrz(f->layer->created_by));
		json_object_set_new(l, "hidden", json_boolean(f->layer->hidden));
		json_object_set_new(l, "hidden_by", f->layer->hidden_by >= 0 ?
				    json_integer(f->layer->hidden_by) : json_null());
		if (f->layer->image)
			json_object_set_new(l, "image", jstrz(f->layer->image));
		/* a layer of the base image (image --base, docs/image.md) */
		json_object_set_new(l, "base", json_boolean(f->layer->base));
		if (f->layer->base && f->layer->base_image)
			json_object_set_new(l, "base_image",
					    jstrz(f->layer->base_image));
		json_object_set_new(o, "layer", l);
	}
	if (f->nlayers) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->nlayers; i++)
			json_array_append_new(a, json_integer(f->layers[i]));
		json_object_set_new(o, "layers", a);
	}
	if (f->commit) {
		json_t *c = json_object();
		json_object_set_new(c, "id", jstrz(f->commit->id));
		json_object_set_new(c, "author", jstrz(f->commit->author));
		json_object_set_new(c, "email", jstrz(f->commit->email));
		json_object_set_new(c, "date", jstrz(f->commit->date));
		json_object_set_new(c, "message", jstrz(f->commit->message));
		json_object_set_new(o, "commit", c);
	}
	if (f->field)
		json_object_set_new(o, "field", jstrz(f->field));
	if (f->key)
		json_object_set_new(o, "key", jstrz(f->key));
	if (f->history_index >= 0)
		json_object_set_new(o, "history_index",
				    json_integer(f->history_index));
	if (f->provenance != LS_PROV_NONE) {
		json_t *pv = json_object();
		json_object_set_new(pv, "status",
				    json_string(ls_provenance_name(f->provenance)));
		json_object_set_new(pv, "package", jstrz(f->package));
		json_object_set_new(o, "provenance", pv);
	}
	free(sec);
	return o;
}

static int write_json(FILE *out, const struct ls_report *r)
{
	json_t *doc = json_object(), *tool = json_object(),
	       *target = json_object(), *arr = json_array(),
	       *errs = json_array(), *stats = json_object();
	int ret;

	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(tool, "name", json_string("layerscan"));
	json_object_set_new(tool, "version", jstrz(r->tool_version));
	json_object_set_new(doc, "tool", tool);
	json_object_set_new(target, "kind", jstrz(r->target_kind));
	json_object_set_new(target, "name", jstrz(r->target_name));
	json_object_set_new(doc, "target", target);
	for (size_t i = 0; i < r->findings->n; i++)
		json_array_append_new(arr, finding_json(r->findings->v[i],
							r->redact));
	json_object_set_new(doc, "findings", arr);
	for (size_t i = 0; r->errors && i < r->errors->n; i++)
		json_array_append_new(errs, jstrz(r->errors->v[i]));
	json_object_set_new(doc, "errors", errs);
	errs = json_array();
	for (size_t i = 0; r->warnings && i < r->warnings->n; i++)
		json_array_append_new(errs, jstrz(r->warnings->v[i]));
	json_object_set_new(doc, "warnings", errs);
	json_object_set_new(stats, "files",
			    json_integer(r->stats ? (json_int_t)r->stats->files : 0));
	json_object_set_new(stats, "bytes",
			    json_integer(r->stats ? (json_int_t)r->stats->bytes : 0));
	json_object_set_new(stats, "seconds",
			    json_real((double)(long)(r->seconds * 1000 + 0.5) / 1000));
	json_object_set_new(doc, "stats", stats);
	ret = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	fputc('\n', out);
	json_decref(doc);
	return ret || ferror(out) ? LS_EIO : 0;
}

const struct ls_reporter ls_reporter_json = { "json", write_json };
