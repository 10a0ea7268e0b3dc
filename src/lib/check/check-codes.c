/*
 * check-codes.c - the inline codes of a segment pair (formatting, links,
 * note references, fields, as hx_inline): a source code the target lost
 * (bi-code-missing), a target code the source does not have
 * (bi-code-extra), the shared codes in another order (bi-code-order) and
 * target pairs that do not nest (bi-code-nesting). Reading the codes
 * (XLIFF, TMX) is the input's business; whether a code's type changed
 * (bold for italic) is not checked here.
 *
 * A code is known by its id and kind, as the XLIFF reader numbers them,
 * so a pair's start and end are two codes: a target that dropped only the
 * end of a bold pair is told so. Losing a code is an error because the
 * merge cannot put the formatting back; moving one is only a warning,
 * since a translation may have to reorder words and their formatting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/inline.h"
#include "base/text.h"
#include "check/check-private.h"
#include "check/check-rules.h"

/* One side's codes, and where each sits in the target's plain text. */
struct side {
	const hx_inline *v;
	size_t n;
};

static size_t count(const struct side *s, unsigned id, hx_inline_kind kind)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++)
		k += s->v[i].id == id && s->v[i].kind == kind;
	return k;
}

/* The r-th code (0-based) of this id and kind, or SIZE_MAX. */
static size_t nth(const struct side *s, unsigned id, hx_inline_kind kind,
		  size_t r)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == id && s->v[i].kind == kind && !r--)
			return i;
	return SIZE_MAX;
}

/* How many codes of this id and kind come before code i. */
static size_t rank(const struct side *s, size_t i)
{
	size_t r = 0;

	for (size_t j = 0; j < i; j++)
		r += s->v[j].id == s->v[i].id && s->v[j].kind == s->v[i].kind;
	return r;
}

/* A pair is named by its start's type: an <ec> often carries none. */
static const char *type_name(const struct side *s, const hx_inline *k)
{
	size_t o = k->kind == HX_INLINE_CLOSE ? nth(s, k->id, HX_INLINE_OPEN, 0)
					      : SIZE_MAX;

	return hx_inline_type_str(o != SIZE_MAX ? s->v[o].type : k->type);
}

/* "bold code 1", "the start of bold code 1", "the end of ...", with
 * `whose` ("the source's ") before the code's name. */
static void describe(char *buf, size_t size, const struct side *s,
		     const hx_inline *k, bool whole, const char *whose)
{
	const char *part = whole			? ""
			   : k->kind == HX_INLINE_OPEN	? "the start of "
			   : k->kind == HX_INLINE_CLOSE ? "the end of "
							: "";

	snprintf(buf, size, "%s%s%s code %u", part, whose, type_name(s, k),
		 k->id);
}

/*
 * Byte offsets into the target's plain text of each target code, into
 * at[0..n): the coded text's bytes before the placeholder, when the coded
 * text without placeholders is the plain text. Otherwise (1.2 <bpt> hold
 * their native code as text, say) every code is at 0: a column that may
 * be wrong is worse than the segment's start.
 */
static void positions(size_t *at, const char *coded, size_t n,
		      const struct hx__para *p)
{
	size_t len = coded ? strlen(coded) : 0, o = 0;

	memset(at, 0, n * sizeof(*at));
	if (!coded)
		return;
	for (size_t i = 0; i < len;) {
		size_t here = i;
		uint32_t c = hx__utf8_next(coded, len, &i);
		if (hx__is_code_char(c)) {
			if (c - HX__CODE_BASE < n)
				at[c - HX__CODE_BASE] = o;
			continue;
		}
		if (o + (i - here) > p->len ||
		    memcmp(p->text + o, coded + here, i - here))
			goto differ;
		o += i - here;
	}
	if (o == p->len)
		return;
differ:
	memset(at, 0, n * sizeof(*at));
}

static void report_missing(struct hx__ctx *c, const struct hx__para *tgt,
			   const struct side *src, const hx_inline *k,
			   bool whole)
{
	char what[96], msg[128];

	describe(what, sizeof(what), src, k, whole, "");
	describe(msg, sizeof(msg), src, k, whole, "the source's ");
	hx__report_at(c, HX_R_BI_CODE_MISSING, tgt, 0, what, strlen(what),
		      "%s is not in the target", msg);
}

/* Source codes the target has fewer times; a pair whose start and end
 * are both gone is one finding. */
static void missing(struct hx__ctx *c, const struct hx__para *tgt,
		    const struct side *src, const struct side *dst)
{
	for (size_t i = 0; i < src->n; i++) {
		const hx_inline *k = &src->v[i];
		size_t mo, mc, both;
		if (rank(src, i))
			continue; /* this id and kind was counted */
		if (k->kind == HX_INLINE_STANDALONE) {
			for (size_t m = count(src, k->id, k->kind);
			     m > count(dst, k->id, k->kind); m--)
				report_missing(c, tgt, src, k, true);
			continue;
		}
		if (k->kind == HX_INLINE_CLOSE &&
		    count(src, k->id, HX_INLINE_OPEN))
			continue; /* with its start */
		mo = count(src, k->id, HX_INLINE_OPEN);
		mc = count(src, k->id, HX_INLINE_CLOSE);
		mo = mo > count(dst, k->id, HX_INLINE_OPEN)
			 ? mo - count(dst, k->id, HX_INLINE_OPEN)
			 : 0;
		mc = mc > count(dst, k->id, HX_INLINE_CLOSE)
			 ? mc - count(dst, k->id, HX_INLINE_CLOSE)
			 : 0;
		both = mo < mc ? mo : mc;
		for (size_t m = 0; m < both; m++)
			report_missing(c, tgt, src, k, true);
		for (size_t m = both; m < mo; m++)
			report_missing(c, tgt, src, k, false);
		if (mc > both) {
			size_t e = nth(src, k->id, HX_INLINE_CLOSE, 0);
			for (size_t m = both; m < mc; m++)
				report_missing(c, tgt, src, &src->v[e], false);
		}
	}
}

/* Whether target code i is one more than the source has of its kind. */
static bool is_extra(const struct side *src, const struct side *dst, size_t i)
{
	return rank(dst, i) >= count(src, dst->v[i].id, dst->v[i].kind);
}

/* Target codes beyond the source's count, each at its place; an extra
 * start and its extra end are one finding, at the start. */
static void extra(struct hx__ctx *c, const struct hx__para *tgt,
		  const struct side *src, const struct side *dst,
		  const size_t *at)
{
	char what[96], msg[128];

	for (size_t i = 0; i < dst->n; i++) {
		const hx_inline *k = &dst->v[i];
		size_t mate = SIZE_MAX;
		bool whole = k->kind == HX_INLINE_STANDALONE;
		if (!is_extra(src, dst, i))
			continue;
		if (k->kind != HX_INLINE_STANDALONE)
			mate = nth(dst, k->id,
				   k->kind == HX_INLINE_OPEN ? HX_INLINE_CLOSE
							     : HX_INLINE_OPEN,
				   rank(dst, i));
		if (mate != SIZE_MAX && is_extra(src, dst, mate)) {
			if (k->kind == HX_INLINE_CLOSE && mate < i)
				continue; /* told at its start */
			whole = true;
		}
		describe(what, sizeof(what), dst, k, whole, "");
		describe(msg, sizeof(msg), dst, k, whole, "the target's ");
		if (count(src, k->id, k->kind))
			hx__report_at(c, HX_R_BI_CODE_EXTRA, tgt, at[i], what,
				      strlen(what),
				      "%s is in the target more often than "
				      "in the source (%zu, not %zu)",
				      what, count(dst, k->id, k->kind),
				      count(src, k->id, k->kind));
		else
			hx__report_at(c, HX_R_BI_CODE_EXTRA, tgt, at[i], what,
				      strlen(what), "%s is not in the source",
				      msg);
	}
}

/* The next start or lone code from i on that the other side has too,
 * first of its id and kind; s->n when none is left. */
static size_t next_shared(const struct side *s, const struct side *other,
			  size_t i)
{
	for (; i < s->n; i++)
		if (s->v[i].kind != HX_INLINE_CLOSE && !rank(s, i) &&
		    count(other, s->v[i].id, s->v[i].kind))
			break;
	return i;
}

/* The shared starts and lone codes in another order: one warning, at
 * the first target code out of place. Ends are left to the nesting
 * rule, or a pair swapped with its neighbour would be told twice. */
static void order(struct hx__ctx *c, const struct hx__para *tgt,
		  const struct side *src, const struct side *dst,
		  const size_t *at)
{
	size_t i = next_shared(src, dst, 0), j = next_shared(dst, src, 0);
	char what[96], want[96];

	for (; i < src->n && j < dst->n; i = next_shared(src, dst, i + 1),
					 j = next_shared(dst, src, j + 1)) {
		if (src->v[i].id == dst->v[j].id &&
		    src->v[i].kind == dst->v[j].kind)
			continue;
		describe(what, sizeof(what), dst, &dst->v[j], true, "");
		describe(want, sizeof(want), src, &src->v[i], true, "");
		hx__report_at(c, HX_R_BI_CODE_ORDER, tgt, at[j], what,
			      strlen(what),
			      "codes in another order than in the source: %s "
			      "where the source has %s",
			      what, want);
		return;
	}
}

/* Whether the side has a start of this id with no end at all: an
 * isolated code (XLIFF 2 <sc isolated="yes">), whose end is in another
 * segment. */
static bool left_open(const struct side *s, unsigned id)
{
	return count(s, id, HX_INLINE_OPEN) > count(s, id, HX_INLINE_CLOSE);
}

/* Target pairs that do not nest: an end before its start, an end that
 * closes a pair while one opened inside it is still open, a start never
 * ended (unless the source leaves it open too). */
static void nesting(struct hx__ctx *c, const struct hx__para *tgt,
		    const struct side *src, const struct side *dst,
		    const size_t *at, size_t *stack, bool *told)
{
	size_t depth = 0;
	char what[96], inner[96];

	for (size_t i = 0; i < dst->n; i++) {
		const hx_inline *k = &dst->v[i];
		size_t d = depth;
		if (k->kind == HX_INLINE_OPEN) {
			stack[depth++] = i;
			continue;
		}
		if (k->kind != HX_INLINE_CLOSE)
			continue;
		while (d > 0 && dst->v[stack[d - 1]].id != k->id)
			d--;
		if (d > 0 && d == depth) {
			depth--; /* the innermost: as it should be */
			continue;
		}
		describe(what, sizeof(what), dst, k, false, "");
		if (d > 0) {
			describe(inner, sizeof(inner), dst,
				 &dst->v[stack[depth - 1]], true, "");
			hx__report_at(c, HX_R_BI_CODE_NESTING, tgt, at[i], what,
				      strlen(what),
				      "%s comes while %s, started inside "
				      "it, is still open (overlapping codes)",
				      what, inner);
			memmove(&stack[d - 1], &stack[d],
				(depth - d) * sizeof(*stack));
			depth--;
			continue;
		}
		for (size_t j = i + 1; j < dst->n; j++)
			if (dst->v[j].id == k->id &&
			    dst->v[j].kind == HX_INLINE_OPEN) {
				hx__report_at(c, HX_R_BI_CODE_NESTING, tgt,
					      at[i], what, strlen(what),
					      "%s comes before its start",
					      what);
				told[j] = true;
				break;
			}
	}
	for (size_t d = 0; d < depth; d++) {
		const hx_inline *k = &dst->v[stack[d]];
		if (told[stack[d]] || left_open(src, k->id))
			continue;
		describe(what, sizeof(what), dst, k, true, "");
		hx__report_at(c, HX_R_BI_CODE_NESTING, tgt, at[stack[d]], what,
			      strlen(what), "%s starts and never ends", what);
	}
}

void hx__check_pair_codes(struct hx__ctx *c, const struct hx__para *tgt,
			  const hx_check_pair *pair)
{
	struct side src = {pair->src_codes,
			   pair->src_codes ? pair->nsrc_codes : 0};
	struct side dst = {pair->tgt_codes,
			   pair->tgt_codes ? pair->ntgt_codes : 0};
	size_t *at = NULL, *stack = NULL;
	bool *told = NULL;

	/* No codes, nothing to compare; an empty target is bi-empty's. */
	if ((!src.n && !dst.n) || (!tgt->len && !dst.n) || c->rc)
		return;
	if (dst.n && (!(at = malloc(dst.n * sizeof(*at))) ||
		      !(stack = malloc(dst.n * sizeof(*stack))) ||
		      !(told = calloc(dst.n, sizeof(*told))))) {
		c->rc = HX_ENOMEM;
		goto done;
	}
	if (dst.n)
		positions(at, pair->tgt_coded, dst.n, tgt);
	missing(c, tgt, &src, &dst);
	extra(c, tgt, &src, &dst, at);
	order(c, tgt, &src, &dst, at);
	nesting(c, tgt, &src, &dst, at, stack, told);
done:
	free(at);
	free(stack);
	free(told);
}
