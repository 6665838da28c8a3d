/*
 * libFuzzer target for the whole extraction pipeline: the input as a page's
 * raw bytes through parse_report() (binary sniffing, charset, HTML or text,
 * metadata, table extraction, claims), then every consistency rule on the
 * report, alone and against itself as the year before.
 */
#include <math.h>

#include "fuzz/fuzz.h"

#include "form/check.h"
#include "parser/parse.h"
#include "util/banned.h"

static void check_str(const char *s)
{
	if (s)
		fuzz_check_utf8(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_input in = { .bytes = (const char *)data, .len = size, .location = "fuzz.html" };
	struct finding_list fl;
	struct report r;
	struct err e = ERR_INIT;
	size_t nfields = 0;

	report_init(&r);
	if (parse_report(&in, &r, &e)) {
		FUZZ_ASSERT(e.code != OGI_OK && e.msg[0]);
		/* released on failure: nothing to leak, nothing left behind */
		FUZZ_ASSERT(!r.values && !r.claims && !r.organization);
		return 0;
	}
	FUZZ_ASSERT(r.status == RS_COMPLETE || r.status == RS_PARTIAL || r.status == RS_NO_TABLES);
	check_str(r.organization);
	check_str(r.title);
	check_str(r.level);
	check_str(r.parent);
	check_str(r.published);
	check_str(r.missing);
	FUZZ_ASSERT(r.charset && r.charset[0]);
	if (r.nvalues) {
		FUZZ_ASSERT(fmt_fields(r.format, &nfields) && nfields == r.nvalues);
		for (size_t i = 0; i < r.nvalues; i++) {
			const struct report_value *v = &r.values[i];

			FUZZ_ASSERT(v->state <= VAL_INVALID);
			FUZZ_ASSERT((v->state == VAL_ABSENT) == !v->raw);
			if (v->state == VAL_NUMBER)
				FUZZ_ASSERT(isfinite(v->num));
			check_str(v->raw);
		}
	}
	for (size_t i = 0; i < r.nclaims; i++) {
		FUZZ_ASSERT(r.claims[i].claim && isfinite(r.claims[i].value));
		check_str(r.claims[i].raw);
	}

	finding_list_init(&fl);
	check_report(&r, NULL, &fl);
	check_report(&r, &r, &fl);
	for (size_t i = 0; i < fl.n; i++) {
		FUZZ_ASSERT(fl.items[i].rule && fl.items[i].message);
		check_str(fl.items[i].message);
		check_str(fl.items[i].where);
		check_str(fl.items[i].cells);
	}
	finding_list_release(&fl);
	report_release(&r);
	return 0;
}
