/*
 * align/ - from sentences to units: the aligner (align.c: banded dynamic
 * programming over beads, with the anchors of anchor.c and the lexicons
 * of lexicon.c), the merge of several pairs on one pivot (align-merge.c),
 * the document symbol (docsym.c), and the whole workflow of a set of
 * language versions (multialign.c, written out by multialign-write.c).
 *
 * multialign.c - read the language versions of a document, segment them,
 * align each with the pivot, merge the pairs into groups and lay out the
 * rows every output lists. What a user of the library sees of a set of
 * versions; warnings go to the caller's callback, never to a stream.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/multialign.h>

#include "align/multialign-private.h"
#include "base/error-private.h"

void hx_multialign_options_init(hx_multialign_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
	hx_align_options_init(&opts->align);
}

static void warn(const hx_multialign_options *o, hx_multialign_warning kind,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void warn(const hx_multialign_options *o, hx_multialign_warning kind,
		 const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!o->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->warn(o->payload, kind, msg);
}

/* The sentences of one input: its lines when pre-segmented, else the
 * document read and segmented in its language (given, or detected). */
static int load_input(struct input *in, const hx_multialign_options *o,
		      hx_error *err)
{
	const char *det;
	int rc;

	if (o->presegmented) {
		if (!in->lang)
			return hx__error_set(err, HX_EINVAL,
					     "%s: --presegmented needs the "
					     "languages (-l)",
					     in->path);
		return hx_sentences_read_lines(&in->sents, in->path, in->lang,
					       err);
	}
	if ((rc = hx_read_file(&in->doc, in->path, NULL, err)) < 0)
		return rc;
	det = hx_doc_detect_lang(in->doc);
	if (in->lang && det && strncmp(det, in->lang, 2))
		warn(o, HX_MULTIALIGN_WARN_LANG,
		     "%s: -l says '%s' but the text looks like '%s'", in->path,
		     in->lang, det);
	if (!in->lang && det && !(in->lang = strdup(det)))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	if (!in->lang)
		return hx__error_set(err, HX_EINVAL,
				     "%s: cannot tell the language; give it "
				     "with -l",
				     in->path);
	return hx_sentences_from_doc(&in->sents, in->doc, in->lang, o->srx,
				     err);
}

/* Align input i with the pivot, with the pair's lexicon when there is
 * one, and say what looks wrong with the pair. */
static int align_pair(hx_multialign *m, int i, const hx_multialign_options *o,
		      hx_error *err)
{
	const struct input *p = &m->in[0], *t = &m->in[i];
	hx_lexicon *lex = NULL;
	int rc;

	if (o->lexicon_dir &&
	    (rc = hx_lexicon_load_pair(&lex, o->lexicon_dir, p->lang, t->lang,
				       err)) < 0) {
		if (rc != HX_ENOTFOUND)
			return rc;
		warn(o, HX_MULTIALIGN_WARN_LEXICON, "%s", err->message);
	}
	rc = hx_align_run(&m->al[i], p->sents, t->sents, lex, &o->align, err);
	hx_lexicon_free(lex);
	if (rc < 0)
		return rc;
	size_t ns = hx_sentences_count(p->sents),
	       nt = hx_sentences_count(t->sents);
	/* Translations rarely differ by more than a factor of two in
	 * sentence count; three means a missing part or another document. */
	if (ns && nt && (ns > 3 * nt || nt > 3 * ns))
		warn(o, HX_MULTIALIGN_WARN_COUNTS,
		     "%s has %zu sentences and %s %zu: parts may be missing",
		     p->path, ns, t->path, nt);
	if (hx_alignment_unrelated(m->al[i]) || ns == 0 || nt == 0) {
		warn(o, HX_MULTIALIGN_WARN_UNRELATED,
		     "%s and %s may not be versions of the same document "
		     "(same-document likelihood %.2f; %zu and %zu sentences)",
		     p->path, t->path, hx_alignment_same_document(m->al[i]), ns,
		     nt);
		if (!m->unrelated)
			m->unrelated = (size_t)i;
	}
	return HX_OK;
}

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

int hx_multialign_files(hx_multialign **out, const char *const *paths, size_t n,
			const hx_multialign_options *opts, hx_error *err)
{
	hx_multialign_options def;
	hx_multialign *m;
	int rc;

	assert(out && paths);
	*out = NULL;
	if (!opts) {
		hx_multialign_options_init(&def);
		opts = &def;
	}
	if (n < 2 || n > MAX_FILES)
		return hx__error_set(err, HX_EINVAL,
				     "give the pivot file and 1 to %d other "
				     "language versions",
				     MAX_FILES - 1);
	if (!(m = calloc(1, sizeof(*m))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	m->nin = (int)n;
	for (size_t i = 0; i < n; i++) {
		const char *lang = opts->langs ? opts->langs[i] : NULL;
		if (!(m->in[i].path = strdup(paths[i])) ||
		    (lang && !(m->in[i].lang = strdup(lang)))) {
			rc = hx__error_set(err, HX_ENOMEM, "out of memory");
			goto fail;
		}
	}
	for (int i = 0; i < m->nin; i++)
		if ((rc = load_input(&m->in[i], opts, err)) < 0)
			goto fail;
	for (int i = 1; i < m->nin; i++)
		if ((rc = align_pair(m, i, opts, err)) < 0)
			goto fail;
	if ((rc =
		 hx_align_merge(&m->groups, &m->ngroups,
				(const hx_alignment *const *)(m->al + 1), n - 1,
				hx_sentences_count(m->in[0].sents), err)) < 0)
		goto fail;
	if (make_rows(&m->rows, &m->nrows, m->groups, m->ngroups, m->al,
		      m->nin) < 0) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	*out = m;
	return HX_OK;
fail:
	hx_multialign_free(m);
	return rc;
}

void hx_multialign_free(hx_multialign *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nin; i++) {
		hx_alignment_free(m->al[i]);
		hx_sentences_free(m->in[i].sents);
		hx_doc_free(m->in[i].doc);
		free(m->in[i].path);
		free(m->in[i].lang);
	}
	free(m->rows);
	free(m->groups);
	free(m);
}

size_t hx_multialign_count(const hx_multialign *m)
{
	assert(m);
	return (size_t)m->nin;
}

const char *hx_multialign_get_lang(const hx_multialign *m, size_t i)
{
	assert(m && i < (size_t)m->nin);
	return m->in[i].lang;
}

const hx_alignment *hx_multialign_get_pair(const hx_multialign *m, size_t i)
{
	assert(m && i >= 1 && i < (size_t)m->nin);
	return m->al[i];
}

size_t hx_multialign_unrelated(const hx_multialign *m)
{
	assert(m);
	return m->unrelated;
}
