/*
 * base/ - what every stage uses and nothing stage-specific: UTF-8, UTF-16
 * and NFC (text.c), language detection and codes (lang.c), errors
 * (error.c), the growth rule (grow.h), interning (intern.c), varints
 * (varint.h), the version.
 *
 * text.c - UTF-8 validation and decoding, UTF-16 conversion and NFC
 * normalisation. Readers call these before any text enters an hx_doc, so
 * the rest of the library can assume valid NFC UTF-8.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "base/error-private.h"
#include "base/text.h"

bool hx__utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			goto invalid;
		}
		if (len - i <= n)
			goto invalid;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto invalid;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlongs, UTF-16 surrogates and values past the
		 * Unicode range are not UTF-8 (RFC 3629, section 3). */
		if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			goto invalid;
		i += n + 1;
	}
	return true;
invalid:
	if (bad)
		*bad = i;
	return false;
}

uint32_t hx__utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[*i];
	uint32_t cp;
	size_t n;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c < 0xE0)
		n = 1, cp = c & 0x1F;
	else if (c < 0xF0)
		n = 2, cp = c & 0x0F;
	else
		n = 3, cp = c & 0x07;
	(*i)++;
	for (size_t k = 0; k < n && *i < len; k++, (*i)++)
		cp = (cp << 6) | (s[*i] & 0x3F);
	return cp;
}

int32_t hx__hex4(const char *s)
{
	int32_t v = 0;

	for (int k = 0; k < 4; k++) {
		char h = s[k];
		int d = h >= '0' && h <= '9'   ? h - '0'
			: h >= 'a' && h <= 'f' ? h - 'a' + 10
			: h >= 'A' && h <= 'F' ? h - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

size_t hx__utf8_put(char *buf, uint32_t c)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		buf[0] = (char)(0xC0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		buf[0] = (char)(0xE0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (c >> 18));
	buf[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

bool hx__is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
	       c == 0xFEFF;
}

/* BMP characters that no normalisation to NFC touches wherever they
 * stand: NFC_Quick_Check=Yes (nothing composes with what precedes them)
 * and combining class 0 (no reordering). A string of these alone is NFC
 * (UAX #15, section 9, "Detecting Normalization Forms"). A bit each. */
static uint64_t nfc_stable[0x10000 / 64];
static pthread_once_t nfc_once = PTHREAD_ONCE_INIT;

static void nfc_init(void)
{
	for (UChar32 c = 0; c < 0x10000; c++)
		if (u_getCombiningClass(c) == 0 &&
		    u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) ==
			UNORM_YES)
			nfc_stable[c >> 6] |= (uint64_t)1 << (c & 63);
}

bool hx__nfc_quick(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	pthread_once(&nfc_once, nfc_init);
	for (size_t i = 0; i < len;) {
		uint32_t c = s[i];
		if (c < 0x80) {
			/* Spaces, digits and Latin between the words of
			 * Russian or Arabic: eight ASCII bytes a step. */
			uint64_t w;
			while (i + 8 <= len && (memcpy(&w, s + i, 8),
						!(w & 0x8080808080808080ULL)))
				i += 8;
			if (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		/* Two and three bytes, checked; anything else is left to
		 * ICU. */
		if (c >= 0xC2 && c < 0xE0 && i + 1 < len &&
		    (s[i + 1] & 0xC0) == 0x80) {
			c = (c & 0x1F) << 6 | (s[i + 1] & 0x3F);
			i += 2;
		} else if (c >= 0xE0 && c < 0xF0 && i + 2 < len &&
			   (s[i + 1] & 0xC0) == 0x80 &&
			   (s[i + 2] & 0xC0) == 0x80) {
			c = (c & 0x0F) << 12 |
			    (uint32_t)(s[i + 1] & 0x3F) << 6 |
			    (s[i + 2] & 0x3F);
			if (c < 0x800 || (c >= 0xD800 && c < 0xE000))
				return false;
			i += 3;
		} else {
			return false;
		}
		if (!(nfc_stable[c >> 6] >> (c & 63) & 1))
			return false;
	}
	return true;
}

int hx__nfc(char **out, size_t *out_len, const char *s, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *u = NULL, *v = NULL;
	char *r = NULL;
	int32_t ulen, vlen, rlen;
	int rc = HX_ENOMEM;

	*out = NULL;
	/* ASCII is always NFC, and so is most text of the UN languages:
	 * skip ICU for the common case. */
	if (hx__nfc_quick(s, len)) {
		if (!(r = malloc(len + 1)))
			return HX_ENOMEM;
		memcpy(r, s, len);
		r[len] = '\0';
		*out = r;
		*out_len = len;
		return HX_OK;
	}
	if (len > INT32_MAX / 2)
		return HX_ELIMIT;
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return HX_EFORMAT;
	if (!(u = malloc((len + 1) * sizeof(UChar))))
		goto fail;
	u_strFromUTF8(u, (int32_t)len + 1, &ulen, s, (int32_t)len, &st);
	if (U_FAILURE(st)) {
		rc = HX_EFORMAT;
		goto fail;
	}
	if (unorm2_isNormalized(nfc, u, ulen, &st) && U_SUCCESS(st)) {
		if (!(r = malloc(len + 1)))
			goto fail;
		memcpy(r, s, len);
		r[len] = '\0';
		*out = r;
		*out_len = len;
		free(u);
		return HX_OK;
	}
	st = U_ZERO_ERROR;
	/* NFC never grows text by more than a factor of 3 (UAX #15,
	 * "Stream-Safe Text Format" notes); allocate for the worst case. */
	vlen = ulen * 3 + 1;
	if (!(v = malloc((size_t)vlen * sizeof(UChar))))
		goto fail;
	vlen = unorm2_normalize(nfc, u, ulen, v, vlen, &st);
	if (U_FAILURE(st)) {
		rc = HX_EFORMAT;
		goto fail;
	}
	u_strToUTF8(NULL, 0, &rlen, v, vlen, &st);
	st = U_ZERO_ERROR;
	if (!(r = malloc((size_t)rlen + 1)))
		goto fail;
	u_strToUTF8(r, rlen + 1, &rlen, v, vlen, &st);
	if (U_FAILURE(st)) {
		rc = HX_EFORMAT;
		goto fail;
	}
	free(u);
	free(v);
	*out = r;
	*out_len = (size_t)rlen;
	return HX_OK;
fail:
	free(u);
	free(v);
	free(r);
	return rc;
}

int hx__utf16_to_utf8(char **out, size_t *out_len, const unsigned char *s,
		      size_t len, bool big_endian, size_t *bad)
{
	char *r;
	size_t n = 0;

	*out = NULL;
	if (len % 2) {
		*bad = len - 1;
		return HX_EFORMAT;
	}
	/* Each UTF-16 unit becomes at most 3 bytes of UTF-8. */
	if (!(r = malloc(len / 2 * 3 + 1)))
		return HX_ENOMEM;
	for (size_t i = 0; i < len; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1])
					: (uint32_t)(s[i + 1] << 8 | s[i]);
		if (u >= 0xD800 && u <= 0xDBFF) {
			uint32_t lo;
			if (i + 3 >= len)
				goto bad_unit;
			lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
					: (uint32_t)(s[i + 3] << 8 | s[i + 2]);
			if (lo < 0xDC00 || lo > 0xDFFF)
				goto bad_unit;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			goto bad_unit;
		}
		n += hx__utf8_put(r + n, u);
		continue;
	bad_unit:
		free(r);
		*bad = i;
		return HX_EFORMAT;
	}
	r[n] = '\0';
	*out = r;
	*out_len = n;
	return HX_OK;
}

bool hx__is_letter(uint32_t c)
{
	int t;

	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	t = u_charType((UChar32)c);
	return u_isalpha((UChar32)c) || t == U_NON_SPACING_MARK ||
	       t == U_COMBINING_SPACING_MARK;
}
