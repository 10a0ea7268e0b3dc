/*
 * check/ - the checks for editors: QA rules over paragraphs and aligned
 * pairs, with the term bases (termbase*.c), the term matcher
 * (termmatch.c) and the spelling dictionaries (spell.c) they use; the
 * findings framework is checker.c, the rules check-*.c. Findings go out
 * as text, JSON or HTML.
 *
 * check.c - the two entry points: walk documents or segment pairs and
 * hand each paragraph to the rules of check-typo.c, check-spell.c,
 * check-bi.c, check-term.c and check-codes.c (check-rules.h).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/check.h>

#include "base/error-private.h"
#include "base/text.h"
#include "check/check-private.h"
#include "check/check-rules.h"

/* --- Walking documents and pairs --------------------------------------- */

static int para_init(struct hx__para *p, const char *file, size_t line,
		     size_t col_base, const char *text, size_t len,
		     const char *lang, hx_error *err)
{
	hx__anchor *a = NULL;
	size_t n = 0;

	if (hx__anchors_find(&a, &n, lang, text ? text : "", len) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	*p = (struct hx__para){file, line, col_base, text ? text : "",
			       len,  lang, a,	     n};
	return HX_OK;
}

static void paras_free(struct hx__para *ps, size_t n)
{
	for (size_t i = 0; ps && i < n; i++)
		free((void *)ps[i].anchors);
	free(ps);
}

static int finish(struct hx__ctx *c, hx_error *err)
{
	return c->rc ? hx__error_set(err, c->rc, "out of memory") : HX_OK;
}

int hx_check_docs(hx_findings *out, hx_checker *ck, const hx_doc *const *docs,
		  const char *const *langs, size_t n, hx_error *err)
{
	struct hx__ctx c = {ck, out, 0};
	struct hx__para *ps = NULL;
	size_t np = 0, total = 0, first;
	int rc = HX_OK;

	assert(out && ck && (docs || !n));
	for (size_t d = 0; d < n; d++) {
		size_t idx;
		total += hx_doc_count(docs[d]);
		/* findings sort by file in the order given */
		if (!hx__findings_file(out, hx_doc_get_path(docs[d]), &idx))
			return hx__error_set(err, HX_ENOMEM, "out of memory");
	}
	if (total && !(ps = calloc(total, sizeof(*ps))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t d = 0; d < n && !c.rc; d++) {
		const hx_doc *doc = docs[d];
		const char *lang = langs && langs[d] ? langs[d]
				   : hx_doc_get_lang(doc)
				       ? hx_doc_get_lang(doc)
				       : hx_doc_detect_lang(doc);
		if (!lang)
			lang = "en";
		first = np;
		for (size_t i = 0; i < hx_doc_count(doc); i++) {
			const hx_block *b = hx_doc_get_block(doc, i);
			size_t lab = strlen(b->label);
			/* The reader wrote "LABEL<TAB>TEXT" on the line. */
			size_t base = lab ? hx__cp_count(b->label, lab) + 1 : 0;
			if ((rc = para_init(&ps[np], hx_doc_get_path(doc),
					    b->line, base, b->text, b->text_len,
					    lang, err)) < 0)
				goto done;
			np++;
			hx__check_typo(&c, &ps[np - 1]);
			hx__check_spelling(&c, &ps[np - 1]);
			hx__check_terms(&c, &ps[np - 1]);
		}
		hx__check_digit_width(&c, ps + first, np - first);
	}
	hx__check_variants(&c, ps, np);
	rc = finish(&c, err);
done:
	paras_free(ps, np);
	return rc;
}

int hx_check_pairs(hx_findings *out, hx_checker *ck, const char *src_lang,
		   const char *tgt_lang, const hx_check_pair *pairs, size_t n,
		   hx_error *err)
{
	struct hx__ctx c = {ck, out, 0};
	struct hx__para *src = NULL, *tgt = NULL;
	size_t k = 0;
	int rc = HX_OK;

	assert(out && ck && src_lang && tgt_lang && (pairs || !n));
	if (n && (!(src = calloc(n, sizeof(*src))) ||
		  !(tgt = calloc(n, sizeof(*tgt))))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto done;
	}
	for (; k < n && !c.rc; k++) {
		const hx_check_pair *p = &pairs[k];
		if ((rc = para_init(&src[k], p->file, p->line, 0, p->src,
				    p->src_len, src_lang, err)) < 0)
			goto done;
		if ((rc = para_init(&tgt[k], p->file, p->line, 0, p->tgt,
				    p->tgt_len, tgt_lang, err)) < 0) {
			free((void *)src[k].anchors);
			goto done;
		}
		hx__check_pair(&c, &src[k], &tgt[k]);
		hx__check_pair_terms(&c, &src[k], &tgt[k]);
		hx__check_pair_codes(&c, &tgt[k], p);
	}
	hx__check_consistency(&c, src, tgt, k);
	rc = finish(&c, err);
done:
	paras_free(src, k);
	paras_free(tgt, k);
	return rc;
}
