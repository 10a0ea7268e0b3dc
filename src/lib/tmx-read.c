/* tmx-read.c - placeholder, being written. */
#include <stddef.h>
