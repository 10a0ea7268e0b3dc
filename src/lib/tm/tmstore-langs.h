/*
 * tmstore-langs.h - the language table both backends keep in memory: ids
 * 1..HX__STORE_MAX_LANGS (a stored key's bits, id 0 never used) to codes,
 * "" where an id is free. Only the lookup and the choice of a free id live
 * here; reading and storing the table is each backend's.
 */
#ifndef HX_TMSTORE_LANGS_H
#define HX_TMSTORE_LANGS_H

#include <string.h>

/* Languages per memory (6 bits of SQLite's keys). */
#define HX__STORE_MAX_LANGS 63

typedef char hx__store_langs[HX__STORE_MAX_LANGS + 1][16];

/* The id of lang, 0 when it has none. */
static inline int hx__store_langs_find(hx__store_langs langs, const char *lang)
{
	for (int i = 1; i <= HX__STORE_MAX_LANGS; i++)
		if (langs[i][0] && !strcmp(langs[i], lang))
			return i;
	return 0;
}

/* The smallest free id, 0 when the table is full. */
static inline int hx__store_langs_free_id(hx__store_langs langs)
{
	for (int i = 1; i <= HX__STORE_MAX_LANGS; i++)
		if (!langs[i][0])
			return i;
	return 0;
}

#endif
