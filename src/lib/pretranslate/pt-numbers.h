/*
 * pt-numbers.h - rewriting a match's target for a new source: its numbers
 * (pt-numbers.c). Private to the library.
 */
#ifndef HX_PT_NUMBERS_H
#define HX_PT_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/error.h>

/*
 * The target of a match whose source msrc differs from the new source
 * query in numbers only, with each changed number replaced by the new
 * one, written the way the target writes numbers (script, group and
 * decimal separators). *out is malloc'd and *certain true when every
 * change is certain: each changed number occurs once in msrc and once,
 * as a digit run, in the target. Otherwise *out is NULL: a number
 * written in words or repeated is left to the translator. Returns HX_OK,
 * HX_ENOMEM, or a tokeniser error.
 */
int hx__pt_fix_numbers(char **out, bool *certain, const char *src,
		       const char *query, const char *msrc, const char *target,
		       hx_error *err);

/*
 * The length of a leading paragraph number ("39. ", "4.2. ", "(12) ",
 * "7)\t"), white space after it included; 0 when s starts with none (or
 * is nothing but one).
 */
size_t hx__pt_para_number(const char *s);

#endif
