/*
 * fuzz-pdf.c - libFuzzer target for the PDF reader: any bytes must give a
 * document or a clean error, never a crash, a leak or undefined behaviour
 * in our code (poppler's own parser is fuzzed upstream; this target
 * exercises what read-pdf.c does with whatever text layer it returns).
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
	opts.format = HX_FORMAT_PDF;
	/* A small cap keeps each run fast. */
	opts.max_input = 1u << 20;
	hx_error_init(&err);
	if (hx_read_memory(&doc, "fuzz.pdf", data, size, &opts, &err) == HX_OK)
		hx_doc_free(doc);
	return 0;
}
