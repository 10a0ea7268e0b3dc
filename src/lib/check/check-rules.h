/*
 * check-rules.h - the rules, by module, as check.c calls them. A rule
 * reads the paragraph it is given and reports through c
 * (check-private.h); no rule calls another's module.
 */
#ifndef HX_CHECK_RULES_H
#define HX_CHECK_RULES_H

#include <stddef.h>

#include "check/check-private.h"

void hx__check_typo(struct hx__ctx *c, const struct hx__para *p);
void hx__check_digit_width(struct hx__ctx *c, const struct hx__para *ps,
			   size_t n);
void hx__check_spelling(struct hx__ctx *c, const struct hx__para *p);
void hx__check_variants(struct hx__ctx *c, const struct hx__para *ps, size_t n);
void hx__check_pair(struct hx__ctx *c, const struct hx__para *src,
		    const struct hx__para *tgt);
void hx__check_consistency(struct hx__ctx *c, const struct hx__para *src,
			   const struct hx__para *tgt, size_t n);

/* Inline code rules (check-codes.c) on one pair; nothing when neither
 * side has codes. */
void hx__check_pair_codes(struct hx__ctx *c, const struct hx__para *tgt,
			  const hx_check_pair *pair);

/* Term base rules (check-term.c); nothing without a term base. */
void hx__check_terms(struct hx__ctx *c, const struct hx__para *p);
void hx__check_pair_terms(struct hx__ctx *c, const struct hx__para *src,
			  const struct hx__para *tgt);

#endif
