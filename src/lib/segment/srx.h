/*
 * srx.h - what the segmenter needs from a loaded SRX 2.0 file: the ordered
 * list of rules that apply to one language. Parsing and validation live
 * in srx.c; applying the rules to text lives in segment.c.
 */
#ifndef HX_SRX_H
#define HX_SRX_H

#include <stdbool.h>
#include <stddef.h>

#include <unicode/uregex.h>

#include <hexalign/segment.h>

/* One <rule>. `re` is "(?:BEFORE)(?=AFTER)", compiled once at load time:
 * a match ending at position p means the rule applies at p. A loaded
 * hx_srx is never matched with directly (a URegularExpression carries
 * match state); each segmenter clones the patterns it uses. */
struct hx_srx_rule {
	bool brk;		/* break="yes" */
	long line;		/* of the <rule> element, for messages */
	URegularExpression *re; /* owned */
};

/*
 * The rules for `lang`, in the order SRX says to try them: the rules of
 * every <languagemap> whose languagepattern matches the whole of `lang`,
 * in map order, or only of the first such map when the header says
 * cascade="no". *rules (free() it) holds *n borrowed pointers into srx.
 */
int hx__srx_select(const struct hx_srx_rule ***rules, size_t *n,
		   const hx_srx *srx, const char *lang, hx_error *err);

#endif
