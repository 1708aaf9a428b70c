/*
 * fuzz_toml.c - the TOML reader (src/rules/toml.c): parse, walk the tree
 * (every value's type and payload is touched, so a half-built tree shows
 * up under ASan), look keys up, free.  The input is passed as is: libFuzzer
 * hands over a heap buffer of exactly its length, so any read past the end
 * is caught.
 */
#include "fuzz.h"
#include "rules/toml.h"

static size_t walk(const struct ls_toml_value *v, int depth)
{
	size_t n = 1;

	if (depth > LS_TOML_MAX_DEPTH + 4096)
		fuzz_die("tree deeper than the parser allows");
	(void)ls_toml_type_name(v->type);
	switch (v->type) {
	case LS_TOML_STRING:
		if (v->u.str.ptr[v->u.str.len] != '\0')
			fuzz_die("string not NUL-terminated");
		break;
	case LS_TOML_ARRAY:
		for (size_t i = 0; i < v->u.array.n; i++)
			n += walk(v->u.array.items[i], depth + 1);
		break;
	case LS_TOML_TABLE:
		for (size_t i = 0; i < v->u.table.n; i++) {
			const struct ls_toml_kv *kv = &v->u.table.kv[i];
			if (ls_toml_get(v, kv->key) == NULL)
				fuzz_die("key of a table not found by ls_toml_get");
			n += walk(kv->value, depth + 1);
		}
		break;
	default:
		break;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_toml_value *root = NULL;
	struct ls_err err;

	ls_err_clear(&err);
	if (ls_toml_parse((const char *)data, size, "fuzz.toml", &root, &err)) {
		if (root)
			fuzz_die("error with a tree");
		if (!err.msg[0])
			fuzz_die("error without a message");
		return 0;
	}
	if (!root || root->type != LS_TOML_TABLE)
		fuzz_die("no root table");
	walk(root, 0);
	(void)ls_toml_get(root, "rules");
	(void)ls_toml_get(root, "allowlist");
	ls_toml_free(root);
	return 0;
}
