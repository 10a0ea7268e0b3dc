/*
 * version.c - the library version, set by meson from project().
 */
#include <hexalign/hexalign.h>

const char *hx_version(void)
{
	return HX_VERSION;
}
