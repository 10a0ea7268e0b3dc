/*
 * fuzz-srx.c - libFuzzer target for the SRX loader and the segmenter it
 * builds: hostile rule files must load or fail cleanly, and a loaded rule
 * set must segment a fixed text without crashing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] =
	    "Mr. Smith met Dr. Li on 1.5. Res. 179 "
	    "(Rev. Bucharest, 2022) applies. 这是。好吗？";
	hx_segmenter *seg = NULL;
	hx_span *spans = NULL;
	hx_srx *srx = NULL;
	hx_error err;
	size_t n;

	hx_error_init(&err);
	if (hx_srx_load_memory(&srx, "fuzz.srx", (const char *)data, size,
			       &err) != HX_OK)
		return 0;
	if (hx_segmenter_new(&seg, "en", srx, &err) == HX_OK &&
	    hx_segmenter_split(&spans, &n, seg, text, strlen(text), &err) ==
		HX_OK)
		free(spans);
	hx_segmenter_free(seg);
	hx_srx_free(srx);
	return 0;
}
