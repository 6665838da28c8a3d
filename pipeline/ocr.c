#include "pipeline/ocr.h"

#include "util/banned.h"

int ocr_available(void)
{
	return 0;
}

int ocr_read(const char *bytes, size_t len, const char *content_type, struct buf *out,
	     struct err *err)
{
	(void)bytes;
	(void)len;
	(void)content_type;
	(void)out;
	return err_set(err, OGI_EPARSE, "cannot read images: no OCR engine in this build");
}
