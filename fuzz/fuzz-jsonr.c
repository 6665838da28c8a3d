/*
 * libFuzzer target for util/jsonr.c: any bytes as JSON.  A parse either
 * fails with a message or gives a tree within the bounds jsonr.h sets,
 * every object member named, every string and number with its text.
 */
#include "fuzz/fuzz.h"

#include "util/jsonr.h"
#include "util/banned.h"

static size_t walk(const struct jv *v, int depth, int in_object)
{
	size_t nodes = 1;

	FUZZ_ASSERT(depth <= JV_MAX_DEPTH);
	FUZZ_ASSERT(!in_object || v->key);
	if (v->type == JV_STRING || v->type == JV_NUMBER)
		FUZZ_ASSERT(v->str && strlen(v->str) <= JV_MAX_STRING);
	if (v->type != JV_ARRAY && v->type != JV_OBJECT)
		FUZZ_ASSERT(v->n == 0);
	for (size_t i = 0; i < v->n; i++)
		nodes += walk(&v->v[i], depth + 1, v->type == JV_OBJECT);
	return nodes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jv *v = NULL;
	struct err e = ERR_INIT;

	if (jv_parse((const char *)data, size, &v, &e)) {
		FUZZ_ASSERT(v == NULL && e.code == OGI_EINVAL && e.msg[0]);
		return 0;
	}
	FUZZ_ASSERT(v != NULL);
	FUZZ_ASSERT(walk(v, 1, 0) <= JV_MAX_NODES);
	jv_free(v);
	return 0;
}
