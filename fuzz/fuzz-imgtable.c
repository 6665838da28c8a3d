/*
 * libFuzzer target for parser/imgtable.c: the header checks of a picture
 * (imgtable_check()) on any bytes, and for a small picture that passes
 * them, decoding and the search for a grid (imgtable_read_grid(): not the
 * cells' OCR, Tesseract's model alone is over the fuzz runs' 256 MB under
 * ASan).  A picture passed by the checks is within the limits; whatever
 * is read keeps the doc's invariants, every cell names a picture read.
 */
#include "fuzz/fuzz.h"

#include "parser/imgtable.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d;
	struct err e = ERR_INIT;
	int w = 0, h = 0;

	if (imgtable_check((const char *)data, size, &w, &h, &e)) {
		FUZZ_ASSERT(e.msg[0]);
		return 0;
	}
	FUZZ_ASSERT(w > 0 && h > 0 && w <= IMG_MAX_SIDE && h <= IMG_MAX_SIDE);
	FUZZ_ASSERT((uint64_t)w * (uint64_t)h <= IMG_MAX_PIXELS);
	/* decoding and OCR cost time with the size: the fuzzer explores small pictures */
	if ((uint64_t)w * (uint64_t)h > 256 * 256)
		return 0;
	doc_init(&d);
	if (!imgtable_read_grid((const char *)data, size, &d, &e)) {
		FUZZ_ASSERT(d.images == 1);
		for (size_t i = 0; i < d.nocr; i++)
			FUZZ_ASSERT((size_t)d.ocr[i].image < d.nocr_images && d.ocr[i].w >= 0 &&
				    d.ocr[i].h >= 0 && d.ocr[i].row <= d.ocr[i].row_end);
		for (size_t i = 0; i < d.nrows; i++)
			for (size_t c = 0; c < d.rows[i].ncells; c++)
				FUZZ_ASSERT(d.rows[i].cells[c] && !d.rows[i].cells[c][0]);
	}
	doc_release(&d);
	return 0;
}
