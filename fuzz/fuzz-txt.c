/*
 * fuzz-txt.c - libFuzzer target for the txt reader: any bytes must give a
 * document or a clean error, never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include <hexalign/hexalign.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hx_read_options opts;
	hx_doc *doc = NULL;
	hx_error err;

	hx_read_options_init(&opts);
	opts.format = HX_FORMAT_TXT;
	/* Small caps keep each run fast while still crossing the limits. */
	opts.max_uncompressed = 4u << 20;
	hx_error_init(&err);
	if (hx_read_memory(&doc, "fuzz.txt", data, size, &opts, &err) == HX_OK)
		hx_doc_free(doc);
	return 0;
}
