/*
 * multialign-write.c - the outputs of a set of aligned versions: the
 * units of its rows (texts joined as each language writes them, scores,
 * the languages with no counterpart, where they came from) as TMX, TSV,
 * an HTML review page or bead lines, or into a memory.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/multialign.h>

#include "align/multialign-private.h"
#include "base/error-private.h"
#include "formats/html.h"
#include "formats/tmx-private.h"

/* The printed score: TMX, TSV and HTML show two decimals, and
 * --min-score compares what the user sees. */
static double shown(double score)
{
	return floor(score * 100 + 0.5) / 100;
}

static void print_ids(FILE *f, size_t start, size_t n)
{
	fputc('[', f);
	for (size_t k = 0; k < n; k++)
		fprintf(f, "%s%zu", k ? ", " : "", start + k);
	fputc(']', f);
}

static void write_beads(FILE *f, const hx_alignment *al)
{
	for (size_t i = 0; i < hx_alignment_count(al); i++) {
		const hx_bead *b = hx_alignment_get(al, i);
		print_ids(f, b->src_start, b->src_n);
		fputc(':', f);
		print_ids(f, b->tgt_start, b->tgt_n);
		fputc('\n', f);
	}
}

/* The text of sentences [start, start+n) of one side, joined as the
 * language writes them: no space between Chinese sentences. */
struct strbuf {
	char *s;
	size_t len, cap;
};

static int sb_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *x = realloc(b->s, cap);
		if (!x)
			return -1;
		b->s = x, b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int join(struct strbuf *b, const hx_sentences *s, size_t start, size_t n)
{
	const char *lang = hx_sentences_get_lang(s);
	bool spaced = strncmp(lang, "zh", 2) != 0;

	b->len = 0;
	if (sb_add(b, "", 0) < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		size_t len;
		const char *t = hx_sentences_get(s, start + k, &len);
		if (k && spaced && sb_add(b, " ", 1) < 0)
			return -1;
		/* A sentence holds no line breaks in a TMX or TSV line. */
		for (size_t c = 0; c < len; c++) {
			char ch = t[c] == '\n' || t[c] == '\t' || t[c] == '\r'
				      ? ' '
				      : t[c];
			if (sb_add(b, &ch, 1) < 0)
				return -1;
		}
	}
	return 0;
}

struct outctx {
	FILE *f;
	const struct input *in;
	int nin;
	const struct row *rows;
	size_t nrows;
	double min_score;
	struct strbuf text[MAX_FILES];
};

static void outctx_init(struct outctx *o, FILE *f, const hx_multialign *m,
			double min_score)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->in = m->in, o->nin = m->nin;
	o->rows = m->rows, o->nrows = m->nrows;
	o->min_score = min_score;
}

static void outctx_free(struct outctx *o)
{
	for (int k = 0; k < MAX_FILES; k++)
		free(o->text[k].s);
}

/* Whether input k has text in row r: the pivot and the language of a
 * lone sentence always do; another language when the aligner found it a
 * counterpart. */
static bool row_has(const struct row *r, int k)
{
	if (!r->g)
		return k == r->lang;
	return k == 0 || r->g->tgt_n[k - 1] > 0;
}

/* The sentences of input k in row r (n 0: none). */
static void row_span(const struct row *r, int k, size_t *start, size_t *n)
{
	*start = 0, *n = 0;
	if (!row_has(r, k))
		return;
	if (!r->g || k == 0) {
		*start = r->start, *n = r->n;
		return;
	}
	*start = r->g->tgt_start[k - 1], *n = r->g->tgt_n[k - 1];
}

/* Whether input k (k > 0) of row r is kept: present and, in a group,
 * scoring at least --min-score. A lone sentence has no pairing to score,
 * so --min-score, which drops doubtful pairings, never drops it. */
static bool row_keep(const struct outctx *o, const struct row *r, int k)
{
	if (!row_has(r, k))
		return false;
	return !r->g || shown(r->g->score[k - 1]) >= o->min_score;
}

/* The languages of row r with no counterpart, comma-separated, into buf
 * ("" when every language has one). */
static const char *row_missing(const struct outctx *o, const struct row *r,
			       char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int k = 0; k < o->nin; k++)
		if (!row_has(r, k))
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
					      "%s%s", n ? "," : "",
					      o->in[k].lang);
	return buf;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Where the units come from: the files and the document symbol, as
 * props (the TMX header's, and every unit's in the memory). */
struct origin {
	hx_tmx_prop p[MAX_FILES + 1];
	size_t n;
	char type[MAX_FILES][48];
	char symbol[64];
};

static void origin_props(struct origin *g, const struct outctx *o)
{
	g->n = 0;
	for (int i = 0; i < o->nin; i++) {
		snprintf(g->type[i], sizeof(g->type[i]), "x-source-file-%s",
			 o->in[i].lang);
		g->p[g->n].type = g->type[i];
		g->p[g->n++].value = base_name(o->in[i].path);
	}
	g->symbol[0] = '\0';
	for (int i = 0; i < o->nin && !g->symbol[0]; i++)
		if (o->in[i].doc)
			hx_doc_symbol(o->in[i].doc, g->symbol,
				      sizeof(g->symbol));
	if (g->symbol[0]) {
		g->p[g->n].type = "x-document-symbol";
		g->p[g->n++].value = g->symbol;
	}
}

/* One unit of a row: the texts of the languages kept (o->text holds
 * them) and the props: x-score-LANG of each language paired with the
 * pivot, x-no-counterpart naming the languages it lacks, and after them
 * the `extra` ones (the origin, for the memory). */
struct unit {
	hx_tmx_tuv tuv[MAX_FILES];
	const char *lang[MAX_FILES], *text[MAX_FILES];
	size_t nt;
	hx_tmx_prop p[2 * MAX_FILES + 2];
	size_t np;
	char type[MAX_FILES][32], val[MAX_FILES][16], missing[256];
};

static int row_unit(struct unit *u, struct outctx *o, const struct row *r,
		    const struct origin *extra)
{
	u->nt = u->np = 0;
	for (int k = 0; k < o->nin; k++) {
		size_t start, n;
		if (k && !row_keep(o, r, k))
			continue;
		row_span(r, k, &start, &n);
		if (!n)
			continue;
		if (join(&o->text[k], o->in[k].sents, start, n) < 0)
			return -1;
		u->tuv[u->nt] =
		    (hx_tmx_tuv){o->in[k].lang, o->text[k].s, o->text[k].len};
		u->lang[u->nt] = o->in[k].lang;
		u->text[u->nt++] = o->text[k].s;
		if (!r->g || !k)
			continue;
		snprintf(u->type[k], sizeof(u->type[k]), "x-score-%s",
			 o->in[k].lang);
		snprintf(u->val[k], sizeof(u->val[k]), "%.2f",
			 r->g->score[k - 1]);
		u->p[u->np++] = (hx_tmx_prop){u->type[k], u->val[k]};
	}
	/* A unit of one language says which it lacks, so that a reader can
	 * tell it from a pairing dropped by --min-score; the TMX 1.4b DTD
	 * allows a <tu> with one <tuv>. */
	if (row_missing(o, r, u->missing, sizeof(u->missing))[0])
		u->p[u->np++] = (hx_tmx_prop){"x-no-counterpart", u->missing};
	for (size_t i = 0; extra && i < extra->n; i++)
		u->p[u->np++] = extra->p[i];
	return 0;
}

static int write_tmx(struct outctx *o, const char *out_path, hx_error *err)
{
	int rc;
	struct origin origin;
	struct unit u;
	hx_tmx_writer *w = NULL;
	hx_tmx_header hdr = {0};

	origin_props(&origin, o);
	/* The same input gives the same file (SOURCE_DATE_EPOCH). */
	char date[32];
	hdr.creationdate = hx__tmx_source_date(date, sizeof(date));
	hdr.srclang = o->in[0].lang;
	hdr.props = origin.p;
	hdr.nprops = origin.n;
	if ((rc = hx_tmx_writer_open(&w, out_path ? out_path : "-", &hdr,
				     err)) < 0)
		return rc;
	for (size_t ri = 0; ri < o->nrows; ri++) {
		if (row_unit(&u, o, &o->rows[ri], NULL) < 0) {
			hx_tmx_writer_free(w);
			return hx__error_set(err, HX_ENOMEM, "out of memory");
		}
		if (u.nt < 2 && !u.missing[0])
			continue; /* --min-score left the pivot alone */
		hx_tmx_tu tu = {u.tuv, u.nt, u.p, u.np, NULL};
		if ((rc = hx_tmx_writer_add(w, &tu, err)) < 0) {
			hx_tmx_writer_free(w);
			return rc;
		}
	}
	return hx_tmx_writer_close(w, err);
}

static void tsv_field(FILE *f, const struct strbuf *b)
{
	fwrite(b->s, 1, b->len, f);
}

/* A row: the texts in file order, the scores of the other languages, and
 * last the languages with no counterpart ("" when none). A side that has
 * none is empty, and so is its score. */
static int write_tsv(struct outctx *o, hx_error *err)
{
	char missing[256];

	for (size_t ri = 0; ri < o->nrows; ri++) {
		const struct row *r = &o->rows[ri];
		bool any = false;
		row_missing(o, r, missing, sizeof(missing));
		for (int k = 1; k < o->nin; k++)
			any |= row_keep(o, r, k);
		if (!any && !missing[0])
			continue; /* --min-score left the pivot alone */
		for (int k = 0; k < o->nin; k++) {
			size_t start, n;
			if (k)
				fputc('\t', o->f);
			if (k && !row_keep(o, r, k))
				continue;
			row_span(r, k, &start, &n);
			if (join(&o->text[k], o->in[k].sents, start, n) < 0)
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			tsv_field(o->f, &o->text[k]);
		}
		for (int k = 1; k < o->nin; k++) {
			fputc('\t', o->f);
			if (r->g && row_has(r, k))
				fprintf(o->f, "%.2f", r->g->score[k - 1]);
		}
		fprintf(o->f, "\t%s\n", missing);
	}
	return HX_OK;
}

/* Below this a bead is shown for review. */
#define REVIEW_SCORE 0.5

/* A present side scoring under REVIEW_SCORE. */
static bool row_low(const struct outctx *o, const struct row *r)
{
	if (!r->g)
		return false;
	for (int k = 1; k < o->nin; k++)
		if (row_has(r, k) && r->g->score[k - 1] < REVIEW_SCORE)
			return true;
	return false;
}

static int write_html(struct outctx *o, hx_error *err)
{
	FILE *f = o->f;
	size_t low = 0, none = 0;
	char missing[256];

	for (size_t ri = 0; ri < o->nrows; ri++) {
		low += row_low(o, &o->rows[ri]);
		none += row_missing(o, &o->rows[ri], missing,
				    sizeof(missing))[0] != '\0';
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>hexalign: ",
	      f);
	hx__html_text(f, base_name(o->in[0].path),
		      strlen(base_name(o->in[0].path)), false);
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1em}"
	      "table{border-collapse:collapse;width:100%}"
	      "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}"
	      "th{background:#eee;position:sticky;top:0}"
	      "tr.low td{background:#fff3cd}"
	      "tr.none td.n{border-left:4px solid #c0392b}"
	      "td.x{background:#f2f2f2;color:#888;font-style:italic}"
	      "td.n{color:#666;font-size:85%;white-space:nowrap}"
	      "td.s{text-align:right;font-variant-numeric:tabular-nums}"
	      "span.l{color:#06c;font-weight:bold;margin-right:.4em}"
	      "[dir=rtl]{text-align:right}\n"
	      "</style>\n</head>\n<body>\n<h1>Alignment review</h1>\n<p>",
	      f);
	fprintf(f,
		"%zu units; %zu with a score under %.1f are highlighted; "
		"%zu with no counterpart in some language are marked. "
		"Files: ",
		o->nrows, low, REVIEW_SCORE, none);
	for (int k = 0; k < o->nin; k++) {
		fprintf(f, "%s<code>", k ? ", " : "");
		hx__html_text(f, o->in[k].path, strlen(o->in[k].path), false);
		fprintf(f, "</code> (%s)", o->in[k].lang);
	}
	fputs(".</p>\n<table>\n<tr><th>#</th>", f);
	for (int k = 0; k < o->nin; k++)
		fprintf(f, "<th>%s</th>", o->in[k].lang);
	for (int k = 1; k < o->nin; k++)
		fprintf(f, "<th>score %s</th>", o->in[k].lang);
	fputs("</tr>\n", f);
	for (size_t ri = 0; ri < o->nrows; ri++) {
		const struct row *r = &o->rows[ri];
		bool is_low = row_low(o, r);
		bool is_none = row_missing(o, r, missing, sizeof(missing))[0];
		const char *cls = is_low && is_none ? " class=\"low none\""
				  : is_low	    ? " class=\"low\""
				  : is_none	    ? " class=\"none\""
						    : "";
		fprintf(f, "<tr%s><td class=\"n\">%zu</td>", cls, ri + 1);
		for (int k = 0; k < o->nin; k++) {
			size_t start, n;
			if (!row_has(r, k)) {
				fputs("<td class=\"x\">no counterpart</td>", f);
				continue;
			}
			row_span(r, k, &start, &n);
			const char *lab =
			    n ? hx_sentences_get_label(o->in[k].sents, start)
			      : "";
			fprintf(f, "<td lang=\"%s\"%s>", o->in[k].lang,
				!strncmp(o->in[k].lang, "ar", 2)
				    ? " dir=\"rtl\""
				    : "");
			if (lab[0]) {
				fputs("<span class=\"l\">", f);
				hx__html_text(f, lab, strlen(lab), false);
				fputs("</span>", f);
			}
			if (join(&o->text[k], o->in[k].sents, start, n) < 0)
				return hx__error_set(err, HX_ENOMEM,
						     "out of memory");
			hx__html_text(f, o->text[k].s, o->text[k].len, false);
			fputs("</td>", f);
		}
		for (int k = 1; k < o->nin; k++) {
			if (r->g && row_has(r, k))
				fprintf(f, "<td class=\"s\">%.2f</td>",
					r->g->score[k - 1]);
			else
				fputs("<td class=\"s\"></td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</body>\n</html>\n", f);
	return HX_OK;
}

void hx__multialign_row(const hx_multialign *m, size_t ri, size_t start[],
			size_t n[], double score[])
{
	const struct row *r = &m->rows[ri];
	for (int k = 0; k < m->nin; k++) {
		row_span(r, k, &start[k], &n[k]);
		score[k] = r->g && k && row_has(r, k) ? r->g->score[k - 1] : -1;
	}
}

const char *hx__multialign_origin(const hx_multialign *m, char *buf,
				  size_t size)
{
	struct outctx o;
	struct origin origin;
	outctx_init(&o, NULL, m, 0);
	origin_props(&origin, &o);
	snprintf(buf, size, "%s",
		 origin.symbol[0] ? origin.symbol : base_name(m->in[0].path));
	return buf;
}

/* The units the TMX would hold go into the memory, in one transaction,
 * named after the document (its symbol, else the pivot), each with its
 * props and the origin ones, as `tm import` keeps them. */
int hx_multialign_store(hx_tm_import_stats *stats, const hx_multialign *m,
			hx_tm *tm, double min_score, hx_error *err)
{
	struct outctx o;
	hx_tm_batch *b = NULL;
	hx_tm_import_stats st;
	struct origin origin;
	struct unit u;
	int rc;

	assert(m && tm);
	outctx_init(&o, NULL, m, min_score);
	origin_props(&origin, &o);
	if ((rc = hx_tm_batch_begin(&b, tm,
				    origin.symbol[0] ? origin.symbol
						     : base_name(o.in[0].path),
				    err)) < 0)
		goto done;
	for (size_t ri = 0; ri < o.nrows; ri++) {
		if (row_unit(&u, &o, &o.rows[ri], &origin) < 0) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto done;
		}
		/* A sentence alone translates nothing: the memory gets
		 * units of two languages or more only. */
		if (u.nt >= 2 &&
		    (rc = hx_tm_batch_add_props(b, u.lang, u.text, u.nt, u.p,
						u.np, err)) < 0)
			goto done;
	}
	rc = hx_tm_batch_commit(b, &st, err);
	b = NULL; /* the commit frees the batch, failed or not */
	if (rc == HX_OK && stats)
		*stats = st;
done:
	hx_tm_batch_free(b);
	outctx_free(&o);
	return rc;
}

int hx_multialign_write(FILE *f, const char *path, const hx_multialign *m,
			hx_multialign_format format, double min_score,
			hx_error *err)
{
	struct outctx o;
	int rc;

	assert(m);
	if (format == HX_MULTIALIGN_BEADS && m->nin != 2)
		return hx__error_set(err, HX_EINVAL,
				     "bead lines take exactly two files");
	if (format != HX_MULTIALIGN_TMX && !f)
		return hx__error_set(err, HX_EINVAL, "no stream to write to");
	outctx_init(&o, f, m, min_score);
	switch (format) {
	case HX_MULTIALIGN_TMX:
		/* The TMX writer makes its own temporary file. */
		rc = write_tmx(&o, path, err);
		break;
	case HX_MULTIALIGN_TSV:
		rc = write_tsv(&o, err);
		break;
	case HX_MULTIALIGN_HTML:
		rc = write_html(&o, err);
		break;
	case HX_MULTIALIGN_BEADS:
		write_beads(f, m->al[1]);
		rc = HX_OK;
		break;
	default:
		rc = hx__error_set(err, HX_EINVAL, "unknown output format");
	}
	outctx_free(&o);
	return rc;
}

int hx_multialign_format_parse(hx_multialign_format *out, const char *name)
{
	static const struct {
		const char *name;
		hx_multialign_format format;
	} v[] = {{"tmx", HX_MULTIALIGN_TMX},
		 {"beads", HX_MULTIALIGN_BEADS},
		 {"tsv", HX_MULTIALIGN_TSV},
		 {"html", HX_MULTIALIGN_HTML}};

	assert(out && name);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!strcmp(name, v[i].name)) {
			*out = v[i].format;
			return HX_OK;
		}
	return HX_EINVAL;
}

int hx_multialign_store_db(hx_tm_import_stats *stats, const hx_multialign *m,
			   const char *db_path, double min_score, hx_error *err)
{
	hx_tm_options topts;
	hx_tm *tm = NULL;
	int rc;

	assert(m && db_path);
	hx_tm_options_init(&topts);
	topts.create = true;
	if ((rc = hx_tm_open(&tm, db_path, &topts, err)) == HX_OK)
		rc = hx_multialign_store(stats, m, tm, min_score, err);
	hx_tm_free(tm);
	return rc;
}
