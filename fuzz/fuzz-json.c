/*
 * fuzz-json.c - libFuzzer target for the reader of request bodies
 * (formats/json-read.h), the one parser `hexalign serve` runs on what the
 * network sends: any bytes must parse or fail cleanly, and every string
 * kept must be valid UTF-8 of the length given.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check-utf8.h"
#include "formats/json-read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hx__json_object o;

	if (hx__json_object_parse(&o, (const char *)data, size, NULL) < 0)
		return 0;
	for (size_t i = 0; i < o.n; i++) {
		check_utf8(o.m[i].key);
		if (o.m[i].kind == HX__JSON_STRING &&
		    (check_utf8(o.m[i].str) > o.m[i].len ||
		     o.m[i].str[o.m[i].len]))
			abort();
	}
	hx__json_object_free(&o);
	return 0;
}
