/*
 * tm-json.h - the JSON of a unit's rows (tm-json.c), shared by the import
 * that writes it and the look-up and export that read it.
 */
#ifndef HX_TM_JSON_H
#define HX_TM_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/tmx.h>

/* JSON for props and notes: [["type","value"],...] and ["note",...]. */
struct hx__jbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

/* p as JSON in j's buffer, returned as a copy (NULL when n is 0 or memory
 * runs out). */
char *hx__props_json(struct hx__jbuf *j, const hx_tmx_prop *p, size_t n);
char *hx__notes_json(struct hx__jbuf *j, const char *const *notes, size_t n);
char *hx__codes_json(struct hx__jbuf *j, const hx_tmx_tuv_read *t);

/* One JSON string at *p (at its opening quote) unescaped into *o. */
bool hx__json_str(const char **p, char **o);
const char *hx__json_skip_ws(const char *j);
/* The start of a stored JSON array (see tm-json.c). */
int hx__json_array_open(const char **j, char **strs);
/* unit.props (pairs) or unit.notes as written above: *v the strings in
 * order, all in one buffer *strs. */
int hx__strings_parse(const char *j, bool pairs, const char ***v, size_t *n,
		      char **strs);

#endif
