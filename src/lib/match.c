/* match.c - placeholder, being written. */
#include <stddef.h>
