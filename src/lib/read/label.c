/*
 * label.c - recognise the paragraph label that Word text exports and
 * hand-typed documents put before a tab: "1.1", "a)", "(iii)", "–", "•",
 * "一". The label is evidence for alignment (paragraph 1.1 in English is
 * paragraph 1.1 in Chinese), so it is kept apart from the sentence text.
 * Only a label followed by a tab is taken: "1.5 million" at the start of a
 * sentence is text, not a label.
 */
#include <stdbool.h>
#include <string.h>

#include "base/text.h"
#include "read/read-private.h"

static bool is_bullet(uint32_t c)
{
	switch (c) {
	case '-':
	case '*':
	case 'o':
	case 0x2013: /* – en dash, the bullet of ITU documents */
	case 0x2014: /* — */
	case 0x2022: /* • */
	case 0x00B7: /* · */
	case 0x25AA: /* ▪ */
	case 0x25CF: /* ● */
	case 0x25E6: /* ◦ */
	case 0x27A2: /* ➢ */
	case 0x2713: /* ✓ */
	case 0xF0B7: /* Symbol-font bullet kept by some exports */
		return true;
	}
	return false;
}

static bool is_han_numeral(uint32_t c)
{
	static const char digits[] = "〇一二三四五六七八九十百";
	char buf[4];
	size_t n = hx__utf8_put(buf, c);

	for (size_t i = 0; i + n <= sizeof(digits) - 1; i += 3)
		if (memcmp(digits + i, buf, n) == 0)
			return true;
	return false;
}

static bool is_roman(char c)
{
	return strchr("ivxlcIVXLC", c) != NULL;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether s[0..n) is a label by itself. */
static bool looks_like_label(const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t c;

	if (n == 0 || n > 16)
		return false;
	k = 0;
	c = hx__utf8_next(s, n, &k);
	if (k == n && is_bullet(c))
		return true;
	if (is_han_numeral(c)) {
		/* 一, 十二, 一、 */
		for (i = k; i < n;) {
			size_t at = i;
			c = hx__utf8_next(s, n, &i);
			if (!is_han_numeral(c))
				return c == 0x3001 && i == n && at > 0; /* 、 */
		}
		return true;
	}
	if (s[0] == '(') {
		/* (a) (iii) (12) */
		for (i = 1; i < n && (is_alpha(s[i]) || is_digit(s[i])); i++)
			;
		return i > 1 && i + 1 == n && s[i] == ')';
	}
	if (is_digit(s[0])) {
		/* 1  1.1  1.1.2  1)  1. */
		while (i < n) {
			while (i < n && is_digit(s[i]))
				i++;
			if (i < n && s[i] == '.' && i + 1 < n &&
			    is_digit(s[i + 1]))
				i++;
			else
				break;
		}
		if (i == n)
			return true;
		return i + 1 == n && (s[i] == '.' || s[i] == ')');
	}
	if (is_alpha(s[0])) {
		/* a)  b.  iv)  A. */
		for (i = 0; i < n && is_alpha(s[i]); i++)
			if (i > 0 && !is_roman(s[i]))
				return false;
		if (i > 1 && !is_roman(s[0]))
			return false;
		return i + 1 == n && (s[i] == ')' || s[i] == '.');
	}
	return false;
}

void hx__label_split(const char *s, size_t len, size_t *label_len,
		     size_t *text_off)
{
	const char *tab = memchr(s, '\t', len < 24 ? len : 24);
	size_t start = 0, end;

	*label_len = 0;
	*text_off = 0;
	if (!tab)
		return;
	/* Leading spaces before the label are layout, not label. */
	while (start < (size_t)(tab - s) && s[start] == ' ')
		start++;
	end = (size_t)(tab - s);
	while (end > start && s[end - 1] == ' ')
		end--;
	if (end == start) {
		/* "\tText": an empty label column. */
		*text_off = (size_t)(tab - s) + 1;
		return;
	}
	if (!looks_like_label(s + start, end - start))
		return;
	/* The label may keep leading spaces: hx_doc_add_block trims. */
	*label_len = end;
	*text_off = (size_t)(tab - s) + 1;
}
