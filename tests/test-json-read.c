/*
 * test-json-read.c - the reader of request bodies (formats/json-read.h):
 * what it takes, the scalars it keeps, and the malformed, hostile and
 * truncated text it refuses with an offset.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/json-read.h"
#include "tap.h"

static int parse(struct hx__json_object *o, const char *s)
{
	return hx__json_object_parse(o, s, strlen(s), NULL);
}

static void refused(const char *s, const char *why)
{
	struct hx__json_object o;
	hx_error e;

	hx_error_init(&e);
	int rc = hx__json_object_parse(&o, s, strlen(s), &e);
	ok(rc == HX_EFORMAT && strstr(e.message, "at byte"), "refused: %s (%s)",
	   why, e.message);
	ok(o.n == 0 && !o.m && !o.buf, "nothing kept: %s", why);
}

int main(void)
{
	struct hx__json_object o;
	const struct hx__json_member *m;

	ok(parse(&o, " {\"op\" : \"split\", \"row\": 12, \"at\":1e0,"
		     "\"on\":true, \"x\": null, \"n\": {\"a\": [1, {}]},"
		     "\"t\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"
		     "\\u4eba\"} \n") == HX_OK,
	   "an object with every kind of member");
	is_int(o.n, 7, "seven members");
	is_str(hx__json_object_get(&o, "op")->str, "split", "a string");
	m = hx__json_object_get(&o, "row");
	ok(m->kind == HX__JSON_NUMBER && m->num == 12, "a number");
	ok(hx__json_object_get(&o, "at")->num == 1, "an exponent");
	m = hx__json_object_get(&o, "on");
	ok(m->kind == HX__JSON_BOOL && m->b, "true");
	ok(hx__json_object_get(&o, "x")->kind == HX__JSON_NULL, "null");
	ok(hx__json_object_get(&o, "n")->kind == HX__JSON_NESTED,
	   "an object inside, skipped");
	is_str(hx__json_object_get(&o, "t")->str,
	       "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\xe4\xba\xba",
	       "escapes, a surrogate pair, UTF-8");
	ok(!hx__json_object_get(&o, "nope"), "absent member: NULL");
	hx__json_object_free(&o);

	ok(parse(&o, "{}") == HX_OK && o.n == 0, "the empty object");
	hx__json_object_free(&o);
	ok(parse(&o, "{\"a\":1,\"a\":2}") == HX_OK &&
	       hx__json_object_get(&o, "a")->num == 2,
	   "a repeated key: the last");
	hx__json_object_free(&o);
	ok(parse(&o, "{\"t\":\"a\\u0000b\"}") == HX_OK &&
	       hx__json_object_get(&o, "t")->len == 3,
	   "U+0000 kept, with the length");
	hx__json_object_free(&o);

	refused("", "empty");
	refused("[]", "an array");
	refused("{\"a\":1", "no closing brace");
	refused("{\"a\":1}x", "trailing text");
	refused("{\"a\":01}", "a leading zero");
	refused("{\"a\":1.}", "a bare point");
	refused("{\"a\":-}", "a bare minus");
	refused("{\"a\":tru}", "a cut word");
	refused("{a:1}", "a key without quotes");
	refused("{\"a\":\"\\x\"}", "an unknown escape");
	refused("{\"a\":\"\\ud83d\"}", "a lone high surrogate");
	refused("{\"a\":\"\\ude00\"}", "a lone low surrogate");
	refused("{\"a\":\"\\u12\"}", "a cut \\u");
	refused("{\"a\":\"\xff\"}", "invalid UTF-8");
	refused("{\"a\":\"x\ny\"}", "a raw control character");
	refused("{\"a\":[1,]}", "a trailing comma");
	refused("{\"a\":1,}", "a trailing comma in the object");

	/* Deep nesting is refused, not recursed into until the stack ends. */
	size_t depth = 100000;
	char *deep = malloc(depth * 2 + 8);
	strcpy(deep, "{\"a\":");
	memset(deep + 5, '[', depth);
	memset(deep + 5 + depth, ']', depth);
	strcpy(deep + 5 + 2 * depth, "}");
	refused(deep, "100000 levels");
	free(deep);

	/* Every cut of a valid object is refused cleanly. */
	const char *full = "{\"op\":\"edit\",\"text\":\"\\u4eba\\n\",\"on\":"
			   "false,\"n\":[1,-2.5e3]}";
	size_t fails = 0;
	for (size_t n = 0; n < strlen(full); n++)
		if (hx__json_object_parse(&o, full, n, NULL) != HX_EFORMAT)
			fails++;
	is_int(fails, 0, "every cut of a valid object is refused");

	/* A nested member keeps its text, which parses in turn. */
	const char *units = "{\"units\": [ {\"en\":\"a\"}, \"b\", 3 ] }";
	ok(parse(&o, units) == HX_OK, "an object holding an array");
	m = hx__json_object_get(&o, "units");
	ok(m->kind == HX__JSON_NESTED && m->raw_len == 22 && m->raw[0] == '[' &&
	       m->raw[21] == ']',
	   "the array's text, bracket to bracket");
	struct hx__json_object a, u;
	ok(hx__json_array_parse(&a, m->raw, m->raw_len, NULL) == HX_OK &&
	       a.n == 3,
	   "its three elements");
	ok(a.m[0].kind == HX__JSON_NESTED && a.m[1].kind == HX__JSON_STRING &&
	       !strcmp(a.m[1].str, "b") && !strcmp(a.m[1].key, "") &&
	       a.m[2].num == 3,
	   "an object, a string, a number");
	ok(hx__json_object_parse(&u, a.m[0].raw, a.m[0].raw_len, NULL) ==
		   HX_OK &&
	       !strcmp(hx__json_object_get(&u, "en")->str, "a"),
	   "the object inside the array");
	hx__json_object_free(&u);
	hx__json_object_free(&a);
	hx__json_object_free(&o);
	ok(hx__json_array_parse(&a, " [] ", 4, NULL) == HX_OK && a.n == 0,
	   "the empty array");
	hx__json_object_free(&a);
	ok(hx__json_array_parse(&a, "[1] x", 5, NULL) == HX_EFORMAT,
	   "an array with trailing text: refused");
	ok(hx__json_array_parse(&a, "{}", 2, NULL) == HX_EFORMAT,
	   "an object where an array is wanted: refused");
	ok(hx__json_object_parse(&o, "{} x", 4, NULL) == HX_EFORMAT,
	   "the empty object with trailing text: refused");
	return done_testing();
}
