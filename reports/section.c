#include "reports/section.h"

#include <stdlib.h>

#include "reports/html.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include "util/banned.h"

void rsection_init(struct rsection *s, const char *id, const char *title)
{
	s->id = id;
	s->title = title;
	buf_init(&s->note, BUF_NOLIMIT);
	s->table = table_new();
	buf_init(&s->charts, BUF_NOLIMIT);
	s->files = NULL;
	s->nfiles = s->alloc_files = 0;
}

struct buf *rsection_add_file(struct rsection *s, const char *name)
{
	struct rfile *f;

	ALLOC_GROW(s->files, st_add(s->nfiles, 1), s->alloc_files);
	f = &s->files[s->nfiles++];
	f->name = xstrdup(name);
	buf_init(&f->data, BUF_NOLIMIT);
	return &f->data;
}

void rsection_release(struct rsection *s)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		buf_release(&s->files[i].data);
	}
	free(s->files);
	s->files = NULL;
	s->nfiles = s->alloc_files = 0;
	buf_release(&s->note);
	table_free(s->table);
	s->table = NULL;
	buf_release(&s->charts);
}

int rsection_write(FILE *out, const struct rsection *s, size_t n, enum table_format f,
		   unsigned flags, const struct html_frame *fr)
{
	struct buf key = BUF_INIT(BUF_NOLIMIT);
	int err = 0;

	switch (f) {
	case TF_HTML:
		return html_write_page(out, fr, s, n);
	case TF_CSV:
		if (n != 1)
			return -2;
		return table_write(s[0].table, out, f, flags);
	case TF_JSON:
		if (n == 1)
			return table_write(s[0].table, out, f, flags);
		fputs("{\n", out);
		for (size_t i = 0; i < n && !err; i++) {
			buf_reset(&key);
			esc_json_string(&key, s[i].id);
			fprintf(out, "%s: ", buf_str(&key));
			err = table_write(s[i].table, out, f, flags);
			if (i + 1 < n)
				fputs(",\n", out);
		}
		fputs("}\n", out);
		break;
	default:
		for (size_t i = 0; i < n && !err; i++) {
			if (n > 1)
				fprintf(out, "%s== %s ==\n", i ? "\n" : "", s[i].title);
			err = table_write(s[i].table, out, f, flags);
		}
		break;
	}
	buf_release(&key);
	if (fflush(out) || ferror(out))
		err = -1;
	return err ? -1 : 0;
}
