/*
 * cmd-align.c - `hexalign align`: read the language versions of a
 * document, align each with the first (the pivot), and write the beads as
 * TMX, bead lines, TSV or an HTML review page.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

#define MAX_FILES 6

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: hexalign align [options] PIVOT_FILE FILE...\n"
	    "\n"
	    "Align the language versions of one document sentence by "
	    "sentence. The first\n"
	    "file is the pivot (normally English); each other file is "
	    "aligned with it.\n"
	    "\n"
	    "  -l, --lang L1,L2,...   languages of the files, in order "
	    "(detected when absent)\n"
	    "  -o FILE                output file (default: stdout); "
	    "written whole or not at all\n"
	    "      --format FMT       tmx (default), beads, tsv, html\n"
	    "      --presegmented     inputs hold one sentence per line "
	    "(no segmentation)\n"
	    "      --min-score X      TMX/TSV/--db: drop beads scoring under "
	    "X (0..1)\n"
	    "      --db FILE.db       also store the units in a translation "
	    "memory; refused\n"
	    "                         (exit 1, the memory untouched) when "
	    "the files may not\n"
	    "                         be versions of the same document\n"
	    "      --force            store them anyway\n"
	    "      --lexicon-dir DIR  bilingual lexicons (default: the "
	    "shipped ones)\n"
	    "      --no-learn         do not learn a lexicon from the "
	    "document pair\n"
	    "      --srx FILE         SRX 2.0 segmentation rules\n"
	    "  -q, --quiet            no progress or counts (warnings about "
	    "confidence stay)\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "Every unit has a confidence score 0..1 per language: a "
	    "<prop type=\"x-score-LANG\">\n"
	    "in TMX, columns after the texts in TSV, a column in HTML (rows "
	    "under 0.5\n"
	    "highlighted).\n"
	    "Nothing is dropped: a sentence the aligner matched with nothing "
	    "in another\n"
	    "language (a 1-0 or 0-1 bead) is a unit of its own, marked \"no "
	    "counterpart\".\n"
	    "tmx:   one <tu> per group of pivot sentences, a <tuv> per "
	    "language aligned;\n"
	    "       a <tu> lacking languages names them in <prop "
	    "type=\"x-no-counterpart\">\n"
	    "       (\"zh\", \"en,fr\"); it may hold one <tuv> only\n"
	    "tsv:   pivot TAB other languages in file order TAB their "
	    "scores TAB the\n"
	    "       languages with no counterpart (\"\" when none); a side "
	    "without one is\n"
	    "       empty, and so is its score\n"
	    "html:  rows with no counterpart somewhere are marked, the empty "
	    "side says so\n"
	    "beads: one line per bead, 0-based sentence indices: "
	    "[0]:[0, 1]  [2]:[]\n"
	    "       (two files only; the form ../shared/eval/align-score "
	    "reads)\n"
	    "--min-score drops doubtful pairings, never a sentence with no "
	    "counterpart;\n"
	    "--db stores units of two languages or more (a sentence alone "
	    "translates\n"
	    "nothing).\n");
}

struct input {
	const char *path;
	const char *lang;
	bool lang_given;
	hx_doc *doc;
	hx_sentences *sents;
};

/* A BCP 47 tag in shape: a 2-3 letter language, then subtags of 1-8
 * letters or digits. */
static bool lang_ok(const char *s)
{
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return false;
	while (s[n] == '-') {
		size_t k = ++n;
		while ((s[n] >= 'a' && s[n] <= 'z') ||
		       (s[n] >= 'A' && s[n] <= 'Z') ||
		       (s[n] >= '0' && s[n] <= '9'))
			n++;
		if (n == k || n - k > 8)
			return false;
	}
	return s[n] == '\0';
}

/* The printed score: TMX, TSV and HTML show two decimals, and
 * --min-score compares what the user sees. */
static double shown(double score)
{
	return floor(score * 100 + 0.5) / 100;
}

static const char *lexicon_dir(const char *opt)
{
	const char *env = getenv("HEXALIGN_LEXICON_DIR");
	if (opt)
		return opt;
	if (env && *env)
		return env;
	/* An installed hexalign reads its own data; one run from the
	 * build tree reads the source tree's. */
	FILE *f = fopen(HX_LEXICON_INSTALL_DIR "/en-zh.tsv", "rb");
	if (f) {
		fclose(f);
		return HX_LEXICON_INSTALL_DIR;
	}
	return HX_LEXICON_DIR;
}

static int load_input(struct input *in, bool preseg, const hx_srx *srx)
{
	hx_error err;

	hx_error_init(&err);
	if (preseg) {
		if (!in->lang) {
			cli_error("%s: --presegmented needs the languages "
				  "(-l)",
				  in->path);
			return -1;
		}
		if (hx_sentences_read_lines(&in->sents, in->path, in->lang,
					    &err) < 0) {
			cli_error("%s", err.message);
			return -1;
		}
		return 0;
	}
	if (hx_read_file(&in->doc, in->path, NULL, &err) < 0) {
		cli_error("%s", err.message);
		return -1;
	}
	const char *det = hx_doc_detect_lang(in->doc);
	if (!in->lang)
		in->lang = det;
	else if (det && strncmp(det, in->lang, 2))
		cli_error("warning: %s: -l says '%s' but the text looks like "
			  "'%s'",
			  in->path, in->lang, det);
	if (!in->lang) {
		cli_error("%s: cannot tell the language; give it with -l",
			  in->path);
		return -1;
	}
	if (hx_sentences_from_doc(&in->sents, in->doc, in->lang, srx, &err) <
	    0) {
		cli_error("%s", err.message);
		return -1;
	}
	return 0;
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

/*
 * What the outputs list, in pivot order: a group of pivot sentences with
 * its counterparts, or sentences of one other language that the aligner
 * matched with nothing in the pivot (a 0-1 bead, which hx_align_merge()
 * leaves out of the groups). Both are written, so that no sentence of any
 * input is lost between `--format beads` and the TMX, TSV or review page.
 */
struct row {
	const hx_group *g; /* NULL: sentences of language `lang` alone */
	int lang;	   /* index into the inputs */
	size_t start, n;   /* those sentences */
	size_t pos;	   /* the pivot sentence they come before */
};

struct outctx {
	FILE *f;
	const struct input *in;
	int nin;
	const struct row *rows;
	size_t nrows;
	double min_score;
	struct strbuf text[MAX_FILES];
};

static int cmp_orphan(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	if (a->lang != b->lang)
		return a->lang < b->lang ? -1 : 1;
	return (a->start > b->start) - (a->start < b->start);
}

/* The groups with the 0-1 beads of every pair put where they stand: before
 * the first group that starts at or after the pivot sentence they precede
 * (after a group that another pair's bead stretched across them). */
static int make_rows(struct row **out, size_t *nout, const hx_group *g,
		     size_t ng, hx_alignment *const *al, int nin)
{
	size_t norph = 0, k = 0, n = 0;
	struct row *orph, *rows;

	*out = NULL, *nout = 0;
	for (int i = 1; i < nin; i++)
		for (size_t b = 0; b < hx_alignment_count(al[i]); b++) {
			const hx_bead *bd = hx_alignment_get(al[i], b);
			norph += !bd->src_n && bd->tgt_n;
		}
	orph = calloc(norph + 1, sizeof(*orph));
	rows = calloc(ng + norph + 1, sizeof(*rows));
	if (!orph || !rows) {
		free(orph);
		free(rows);
		return -1;
	}
	for (int i = 1; i < nin; i++)
		for (size_t b = 0; b < hx_alignment_count(al[i]); b++) {
			const hx_bead *bd = hx_alignment_get(al[i], b);
			if (!bd->src_n && bd->tgt_n)
				orph[k++] =
				    (struct row){NULL, i, bd->tgt_start,
						 bd->tgt_n, bd->src_start};
		}
	qsort(orph, norph, sizeof(*orph), cmp_orphan);
	k = 0;
	for (size_t gi = 0; gi < ng; gi++) {
		while (k < norph && orph[k].pos <= g[gi].src_start)
			rows[n++] = orph[k++];
		rows[n++] = (struct row){&g[gi], 0, g[gi].src_start,
					 g[gi].src_n, g[gi].src_start};
	}
	while (k < norph)
		rows[n++] = orph[k++];
	free(orph);
	*out = rows, *nout = n;
	return 0;
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
	struct origin origin;
	struct unit u;
	hx_tmx_writer *w = NULL;
	hx_tmx_header hdr = {0};

	origin_props(&origin, o);
	/* SOURCE_DATE_EPOCH (reproducible-builds.org) pins the creation
	 * date, so that the same input gives the same file. */
	char date[32];
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch && *epoch) {
		time_t t = (time_t)strtoll(epoch, NULL, 10);
		struct tm tm;
		if (gmtime_r(&t, &tm) &&
		    strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", &tm))
			hdr.creationdate = date;
	}
	hdr.srclang = o->in[0].lang;
	hdr.props = origin.p;
	hdr.nprops = origin.n;
	if (hx_tmx_writer_open(&w, out_path ? out_path : "-", &hdr, err) < 0)
		return -1;
	for (size_t ri = 0; ri < o->nrows; ri++) {
		if (row_unit(&u, o, &o->rows[ri], NULL) < 0) {
			hx_tmx_writer_free(w);
			snprintf(err->message, sizeof(err->message),
				 "out of memory");
			return -1;
		}
		if (u.nt < 2 && !u.missing[0])
			continue; /* --min-score left the pivot alone */
		hx_tmx_tu tu = {u.tuv, u.nt, u.p, u.np, NULL};
		if (hx_tmx_writer_add(w, &tu, err) < 0) {
			hx_tmx_writer_free(w);
			return -1;
		}
	}
	return hx_tmx_writer_close(w, err) < 0 ? -1 : 0;
}

/* --db: the units the TMX would hold go into the memory, in one
 * transaction, named after the document (its symbol, else the pivot),
 * each with its props and the origin ones, as `tm import` keeps them. */
static int store_groups(struct outctx *o, const char *db, bool quiet)
{
	hx_tm_options topts;
	hx_tm_batch *b = NULL;
	hx_tm_import_stats st;
	hx_tm *tm = NULL;
	hx_error err;
	struct origin origin;
	struct unit u;

	hx_error_init(&err);
	hx_tm_options_init(&topts);
	topts.create = true;
	origin_props(&origin, o);
	if (hx_tm_open(&tm, db, &topts, &err) < 0 ||
	    hx_tm_batch_begin(&b, tm,
			      origin.symbol[0] ? origin.symbol
					       : base_name(o->in[0].path),
			      &err) < 0)
		goto fail;
	for (size_t ri = 0; ri < o->nrows; ri++) {
		if (row_unit(&u, o, &o->rows[ri], &origin) < 0) {
			snprintf(err.message, sizeof(err.message),
				 "out of memory");
			goto fail;
		}
		/* A sentence alone translates nothing: the memory gets
		 * units of two languages or more only. */
		if (u.nt >= 2 && hx_tm_batch_add_props(b, u.lang, u.text, u.nt,
						       u.p, u.np, &err) < 0)
			goto fail;
	}
	if (hx_tm_batch_commit(b, &st, &err) < 0) {
		b = NULL;
		goto fail;
	}
	if (!quiet)
		fprintf(stderr,
			"hexalign: %s: %zu units added, %zu already "
			"there\n",
			db, st.added, st.duplicates);
	hx_tm_free(tm);
	return 0;
fail:
	cli_error("%s", err.message);
	hx_tm_batch_free(b);
	hx_tm_free(tm);
	return -1;
}

static void tsv_field(FILE *f, const struct strbuf *b)
{
	fwrite(b->s, 1, b->len, f);
}

/* A row: the texts in file order, the scores of the other languages, and
 * last the languages with no counterpart ("" when none). A side that has
 * none is empty, and so is its score. */
static int write_tsv(struct outctx *o)
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
				return -1;
			tsv_field(o->f, &o->text[k]);
		}
		for (int k = 1; k < o->nin; k++) {
			fputc('\t', o->f);
			if (r->g && row_has(r, k))
				fprintf(o->f, "%.2f", r->g->score[k - 1]);
		}
		fprintf(o->f, "\t%s\n", missing);
	}
	return 0;
}

static void html_text(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(s[i], f);
		}
	}
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

static int write_html(struct outctx *o)
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
	html_text(f, base_name(o->in[0].path),
		  strlen(base_name(o->in[0].path)));
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
		html_text(f, o->in[k].path, strlen(o->in[k].path));
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
				html_text(f, lab, strlen(lab));
				fputs("</span>", f);
			}
			if (join(&o->text[k], o->in[k].sents, start, n) < 0)
				return -1;
			html_text(f, o->text[k].s, o->text[k].len);
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
	return 0;
}

int cmd_align(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"format", required_argument, NULL, 'f'},
	    {"presegmented", no_argument, NULL, 'p'},
	    {"min-score", required_argument, NULL, 'm'},
	    {"lexicon-dir", required_argument, NULL, 'L'},
	    {"no-learn", no_argument, NULL, 'n'},
	    {"srx", required_argument, NULL, 's'},
	    {"db", required_argument, NULL, 'D'},
	    {"force", no_argument, NULL, 'F'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct input in[MAX_FILES];
	hx_alignment *al[MAX_FILES] = {0};
	hx_group *groups = NULL;
	struct row *rows = NULL;
	size_t ngroups = 0, nrows = 0;
	hx_lexicon *lex = NULL;
	hx_align_options aopts;
	hx_srx *srx = NULL;
	const char *format = "tmx", *out_path = NULL, *lexdir_opt = NULL;
	const char *srx_path = NULL, *db_path = NULL;
	char *langs = NULL;
	bool preseg = false, quiet = false, force = false, refused = false;
	int unrelated = 0; /* the first other file that may be another
			    * document, 0 when none */
	double min_score = 0;
	cli_output out = {0};
	hx_error err;
	int c, rc = 1, nin;

	memset(in, 0, sizeof(in));
	hx_align_options_init(&aopts);
	hx_error_init(&err);
	while ((c = getopt_long(argc, argv, "l:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			langs = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'p':
			preseg = true;
			break;
		case 'm': {
			char *end;
			min_score = strtod(optarg, &end);
			if (!*optarg || *end || !(min_score >= 0) ||
			    min_score > 1) {
				cli_error("align: --min-score wants a number "
					  "from 0 to 1, not '%s'",
					  optarg);
				return 2;
			}
			break;
		}
		case 'L':
			lexdir_opt = optarg;
			break;
		case 'n':
			aopts.learn = false;
			break;
		case 's':
			srx_path = optarg;
			break;
		case 'D':
			db_path = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	nin = argc - optind;
	if (nin < 2 || nin > MAX_FILES) {
		cli_error("align: give the pivot file and 1 to 5 other "
			  "language versions");
		usage(stderr);
		return 2;
	}
	if (strcmp(format, "tmx") && strcmp(format, "beads") &&
	    strcmp(format, "tsv") && strcmp(format, "html")) {
		cli_error("align: unknown format '%s' (tmx, beads, tsv, html)",
			  format);
		return 2;
	}
	if (strcmp(format, "beads") == 0 && nin != 2) {
		cli_error("align: --format beads takes exactly two files");
		return 2;
	}
	if (preseg && !langs) {
		cli_error("align: --presegmented needs the languages (-l)");
		return 2;
	}
	for (int i = 0; i < nin; i++)
		in[i].path = argv[optind + i];
	if (langs) {
		int k = 0;
		for (char *tok = strtok(langs, ","); tok;
		     tok = strtok(NULL, ","), k++) {
			if (k >= nin) {
				cli_error("align: -l names more languages "
					  "than there are files");
				return 2;
			}
			if (!lang_ok(tok)) {
				cli_error("align: '%s' is not a language code "
					  "(en, zh, ar, fr, ru, es, ...)",
					  tok);
				return 2;
			}
			in[k].lang = tok;
			in[k].lang_given = true;
		}
		if (k != nin) {
			cli_error("align: -l names %d languages for %d files",
				  k, nin);
			return 2;
		}
	}
	if (srx_path && hx_srx_load(&srx, srx_path, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	for (int i = 0; i < nin; i++)
		if (load_input(&in[i], preseg, srx) < 0)
			goto done;
	for (int i = 1; i < nin; i++) {
		hx_lexicon_free(lex);
		lex = NULL;
		if (hx_lexicon_load_pair(&lex, lexicon_dir(lexdir_opt),
					 in[0].lang, in[i].lang, &err) < 0) {
			if (err.code != HX_ENOTFOUND) {
				cli_error("%s", err.message);
				goto done;
			}
			if (!quiet)
				cli_error("warning: %s", err.message);
		}
		if (hx_align_run(&al[i], in[0].sents, in[i].sents, lex, &aopts,
				 &err) < 0) {
			cli_error("%s", err.message);
			goto done;
		}
		size_t ns = hx_sentences_count(in[0].sents),
		       nt = hx_sentences_count(in[i].sents);
		/* Translations rarely differ by more than a factor of two in
		 * sentence count; three means a missing part or another
		 * document. */
		if (ns && nt && (ns > 3 * nt || nt > 3 * ns))
			cli_error("warning: %s has %zu sentences and %s %zu: "
				  "parts may be missing",
				  in[0].path, ns, in[i].path, nt);
		if (hx_alignment_unrelated(al[i]) || ns == 0 || nt == 0) {
			cli_error("warning: %s and %s may not be versions of "
				  "the same document (same-document "
				  "likelihood %.2f; %zu and %zu sentences)",
				  in[0].path, in[i].path,
				  hx_alignment_same_document(al[i]), ns, nt);
			if (!unrelated)
				unrelated = i;
		}
	}
	if (hx_align_merge(
		&groups, &ngroups, (const hx_alignment *const *)(al + 1),
		(size_t)nin - 1, hx_sentences_count(in[0].sents), &err) < 0) {
		cli_error("%s", err.message);
		goto done;
	}
	struct outctx o = {0};
	if (make_rows(&rows, &nrows, groups, ngroups, al, nin) < 0) {
		cli_error("out of memory");
		goto done;
	}
	o.in = in, o.nin = nin, o.rows = rows, o.nrows = nrows;
	o.min_score = min_score;
	/* Beads of two different documents would reach look-ups as
	 * translations of each other: the memory takes them only when told
	 * to. The output is written all the same, for review. */
	if (db_path && unrelated && !force) {
		cli_error("%s and %s may not be versions of the same document "
			  "(same-document likelihood %.2f); not stored, "
			  "--force stores it anyway",
			  in[0].path, in[unrelated].path,
			  hx_alignment_same_document(al[unrelated]));
		refused = true;
	} else if (db_path && store_groups(&o, db_path, quiet) < 0) {
		goto done_text;
	}
	if (!strcmp(format, "tmx")) {
		/* The TMX writer makes its own temporary file. */
		if (write_tmx(&o, out_path, &err) < 0) {
			cli_error("%s", err.message);
			goto done_text;
		}
		rc = 0;
		goto done_text;
	}
	if (cli_output_open(&out, out_path) < 0)
		goto done_text;
	o.f = out.f;
	if (!strcmp(format, "beads"))
		write_beads(out.f, al[1]);
	else if (!strcmp(format, "tsv") ? write_tsv(&o) < 0
					: write_html(&o) < 0)
		cli_error("out of memory");
	else
		rc = 0;
	if (!strcmp(format, "beads"))
		rc = 0;
	if (cli_output_close(&out, rc == 0) < 0)
		rc = 1;
done_text:
	if (refused)
		rc = 1;
	for (int k = 0; k < MAX_FILES; k++)
		free(o.text[k].s);
done:
	free(rows);
	free(groups);
	for (int i = 0; i < nin; i++) {
		hx_alignment_free(al[i]);
		hx_sentences_free(in[i].sents);
		hx_doc_free(in[i].doc);
	}
	hx_lexicon_free(lex);
	hx_srx_free(srx);
	return rc;
}
