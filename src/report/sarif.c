/*
 * sarif.c - SARIF 2.1.0 for code-scanning services (docs/ci.md).
 *
 * One run.  tool.driver.rules lists the rules that produced results, with
 * help text and a `security-severity` GitHub maps to its severity bands
 * (critical >= 9, high >= 7, medium >= 4, low above 0).  Each result has:
 *   - level: critical/high -> error, medium -> warning, low/info -> note;
 *   - one location: the file's path relative to the scan root
 *     (uriBaseId %SRCROOT%), with a region when the finding has a line;
 *     image findings put the layer first ("layer-3/app/.env") and carry the
 *     layer, digest and instruction in the location's message and
 *     properties, config and history findings point at "image-config" and
 *     "image-history/N";
 *   - partialFingerprints["layerscan/v1"]: the finding's stable fingerprint.
 * Errors met during the scan become toolExecutionNotifications, and
 * executionSuccessful is false when there are any.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report.h"
#include "util/xalloc.h"

static const char *level(enum ls_severity s)
{
	if (s >= LS_SEV_HIGH)
		return "error";
	if (s == LS_SEV_MEDIUM)
		return "warning";
	return "note";
}

static const char *security_severity(enum ls_severity s)
{
	static const char *const v[] = { "1.0", "3.0", "5.5", "8.0", "9.5" };

	return v[s];
}

/* jansson wants valid UTF-8: replace anything else. */
static json_t *str(const char *s)
{
	json_t *j;
	char *copy;

	if (!s)
		return json_string("");
	j = json_string(s);
	if (j)
		return j;
	copy = ls_xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_string("");
}

static json_t *text(const char *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", str(s));
	return o;
}

/* "github-pat" -> "GithubPat": SARIF wants a name that is not the id. */
static char *camel(const char *id)
{
	char *out = ls_xmalloc(strlen(id) + 1), *o = out;
	int up = 1;

	for (const char *p = id; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			up = 1;
			continue;
		}
		*o++ = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		up = 0;
	}
	*o = '\0';
	return out;
}

/* SARIF wants a rule's tags unique (uniqueItems): a rule file may repeat
 * one, or name "secret" or "security" itself. */
static void add_tag(json_t *tags, const char *tag)
{
	size_t i;
	json_t *v;

	json_array_foreach(tags, i, v)
		if (strcmp(json_string_value(v), tag) == 0)
			return;
	json_array_append_new(tags, str(tag));
}

static json_t *rule_json(const struct ls_rule *r)
{
	json_t *o = json_object(), *props = json_object(), *tags = json_array();
	json_t *cfg = json_object();
	char *help = ls_xasprintf("%s.%s%s", r->description ? r->description : r->id,
				  r->fix ? " Fix: " : "", r->fix ? r->fix : "");
	json_t *h = json_object();

	json_object_set_new(o, "id", str(r->id));
	{
		/* a name that differs from the id only in case (jwt, Jwt)
		 * is a SARIF1001 warning: such a rule has no name */
		char *name = camel(r->id);
		if (strcasecmp(name, r->id) != 0)
			json_object_set_new(o, "name", str(name));
		free(name);
	}
	json_object_set_new(o, "shortDescription",
			    text(r->description ? r->description : r->id));
	json_object_set_new(o, "fullDescription",
			    text(r->description ? r->description : r->id));
	json_object_set_new(h, "text", str(help));
	json_object_set_new(h, "markdown", str(help));
	json_object_set_new(o, "help", h);
	json_object_set_new(cfg, "level", json_string(level(r->severity)));
	json_object_set_new(o, "defaultConfiguration", cfg);
	add_tag(tags, "security");
	add_tag(tags, "secret");
	for (size_t i = 0; i < r->ntags; i++)
		add_tag(tags, r->tags[i]);
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "security-severity",
			    json_string(security_severity(r->severity)));
	json_object_set_new(props, "precision", json_string(r->generic ? "medium" : "high"));
	json_object_set_new(o, "properties", props);
	free(help);
	return o;
}

/* The artifact a finding is in, as a relative URI. */
static char *artifact_uri(const struct ls_finding *f)
{
	if (f->source == LS_SOURCE_CONFIG)
		return ls_xstrdup("image-config");
	if (f->source == LS_SOURCE_HISTORY)
		return ls_xasprintf("image-history/%ld", f->history_index);
	if (f->layer && f->layer->index >= 0)
		return ls_xasprintf("layer-%d/%s", f->layer->index, f->path);
	return ls_xstrdup(f->path);
}

/* Percent-encode what a URI reference cannot hold (space, %, #, ?, ...). */
static char *uri_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = ls_xmalloc(n * 3 + 1), *o = out;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=:@", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static json_t *result_json(const struct ls_finding *f, size_t rule_index,
			   int redact)
{
	json_t *o = json_object(), *loc = json_object(), *phys = json_object();
	json_t *art = json_object(), *locs = json_array(), *fp = json_object();
	json_t *props = json_object();
	char *sec = redact ? ls_redact(f->secret, f->secret_len)
			   : ls_printable(f->secret, f->secret_len);
	char *uri = artifact_uri(f), *euri = uri_escape(uri);
	char *msg;

	if (f->secret_len)
		msg = ls_xasprintf("%s: %s%s%s", f->rule->description ?
				   f->rule->description : f->rule->id, sec,
				   f->note ? ". " : "", f->note ? f->note : "");
	else
		msg = ls_xasprintf("%s%s%s", f->rule->description ?
				   f->rule->description : f->rule->id,
				   f->note ? ". " : "", f->note ? f->note : "");
	json_object_set_new(o, "ruleId", str(f->rule->id));
	json_object_set_new(o, "ruleIndex", json_integer((json_int_t)rule_index));
	json_object_set_new(o, "level", json_string(level(f->severity)));
	json_object_set_new(o, "message", text(msg));
	json_object_set_new(art, "uri", str(euri));
	json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
	json_object_set_new(phys, "artifactLocation", art);
	if (f->line && f->source == LS_SOURCE_FILE) {
		json_t *reg = json_object();
		json_object_set_new(reg, "startLine", json_integer((json_int_t)f->line));
		json_object_set_new(reg, "startColumn",
				    json_integer((json_int_t)(f->column ? f->column : 1)));
		if (f->end_line >= f->line) {
			json_object_set_new(reg, "endLine",
					    json_integer((json_int_t)f->end_line));
			if (f->end_column > 0 && (f->end_line > f->line ||
						  f->end_column > f->column))
				json_object_set_new(reg, "endColumn",
						    json_integer((json_int_t)f->end_column));
		}
		json_object_set_new(phys, "region", reg);
	} else if (f->line) {
		json_t *reg = json_object();
		json_object_set_new(reg, "startLine", json_integer((json_int_t)f->line));
		json_object_set_new(phys, "region", reg);
	}
	json_object_set_new(loc, "physicalLocation", phys);
	if (f->layer && f->layer->index >= 0) {
		char *lm = ls_xasprintf("layer %d (%s)%s%s", f->layer->index,
					f->layer->digest ? f->layer->digest : "",
					f->layer->created_by ? ": " : "",
					f->layer->created_by ? f->layer->created_by : "");
		json_object_set_new(loc, "message", text(lm));
		free(lm);
		json_object_set_new(props, "layerIndex", json_integer(f->layer->index));
		json_object_set_new(props, "layerDigest", str(f->layer->digest));
		json_object_set_new(props, "hidden", json_boolean(f->layer->hidden));
		json_object_set_new(props, "base", json_boolean(f->layer->base));
		if (f->layer->base && f->layer->base_image)
			json_object_set_new(props, "baseImage",
					    str(f->layer->base_image));
		json_object_set_new(props, "pathInImage", str(f->path));
	}
	if (f->commit) {
		json_object_set_new(props, "commit", str(f->commit->id));
		json_object_set_new(props, "author", str(f->commit->author));
		json_object_set_new(props, "date", str(f->commit->date));
	}
	if (f->key)
		json_object_set_new(props, "key", str(f->key));
	if (f->provenance != LS_PROV_NONE) {
		json_object_set_new(props, "provenance",
				    json_string(ls_provenance_name(f->provenance)));
		json_object_set_new(props, "package", str(f->package));
	}
	json_array_append_new(locs, loc);
	json_object_set_new(o, "locations", locs);
	json_object_set_new(fp, "layerscan/v1", json_string(f->fingerprint));
	json_object_set_new(o, "partialFingerprints", fp);
	if (json_object_size(props))
		json_object_set_new(o, "properties", props);
	else
		json_decref(props);
	free(sec);
	free(uri);
	free(euri);
	free(msg);
	return o;
}

static int write_sarif(FILE *out, const struct ls_report *r)
{
	json_t *doc = json_object(), *runs = json_array(), *run = json_object();
	json_t *tool = json_object(), *driver = json_object();
	json_t *rules = json_array(), *results = json_array();
	json_t *inv = json_object(), *invs = json_array(), *notes = json_array();
	const struct ls_rule **seen = NULL;
	size_t nseen = 0, alloc = 0;
	int ret;

	json_object_set_new(doc, "$schema",
			    json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("layerscan"));
	json_object_set_new(driver, "version", str(r->tool_version));
	json_object_set_new(driver, "semanticVersion", str(r->tool_version));
	for (size_t i = 0; i < r->findings->n; i++) {
		const struct ls_finding *f = r->findings->v[i];
		size_t k;
		for (k = 0; k < nseen; k++)
			if (seen[k] == f->rule)
				break;
		if (k == nseen) {
			LS_ALLOC_GROW(seen, nseen + 1, alloc);
			seen[nseen++] = f->rule;
			json_array_append_new(rules, rule_json(f->rule));
		}
		json_array_append_new(results, result_json(f, k, r->redact));
	}
	json_object_set_new(driver, "rules", rules);
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);
	json_object_set_new(inv, "executionSuccessful",
			    json_boolean(!r->errors || !r->errors->n));
	for (size_t i = 0; r->errors && i < r->errors->n; i++) {
		json_t *n = json_object();
		json_object_set_new(n, "level", json_string("error"));
		json_object_set_new(n, "message", text(r->errors->v[i]));
		json_array_append_new(notes, n);
	}
	for (size_t i = 0; r->warnings && i < r->warnings->n; i++) {
		json_t *n = json_object();
		json_object_set_new(n, "level", json_string("warning"));
		json_object_set_new(n, "message", text(r->warnings->v[i]));
		json_array_append_new(notes, n);
	}
	if (json_array_size(notes))
		json_object_set_new(inv, "toolExecutionNotifications", notes);
	else
		json_decref(notes);
	json_array_append_new(invs, inv);
	json_object_set_new(run, "invocations", invs);
	json_object_set_new(run, "results", results);
	json_array_append_new(runs, run);
	json_object_set_new(doc, "runs", runs);
	ret = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(doc);
	free(seen);
	return ret || ferror(out) ? LS_EIO : 0;
}

const struct ls_reporter ls_reporter_sarif = { "sarif", write_sarif };
