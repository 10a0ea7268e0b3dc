/* tmx-write.c - placeholder, being written. */
#include <stddef.h>
