/*
 * test-sha256.c - SHA-256 (base/sha256.h) against the example values
 * NIST publishes for FIPS 180-4 (csrc.nist.gov, "Examples with
 * Intermediate Values": "abc", the two-block 448-bit message, the
 * 896-bit message, one million 'a') and the empty message; and the
 * same digest whatever the pieces update() is given in.
 */
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "tap.h"

static void hex_is(const char *msg, size_t n, const char *want)
{
	char got[2 * HX__SHA256_SIZE + 1];

	hx__sha256_hex(got, msg, n);
	is_str(got, want, "SHA-256 of %zu bytes \"%.20s%s\"", n, msg,
	       n > 20 ? "..." : "");
}

/* msg hashed in pieces of `step` bytes equals the one-call digest. */
static void pieces(const char *msg, size_t n, size_t step)
{
	unsigned char one[HX__SHA256_SIZE], two[HX__SHA256_SIZE];
	struct hx__sha256 c;

	hx__sha256(one, msg, n);
	hx__sha256_init(&c);
	for (size_t i = 0; i < n; i += step)
		hx__sha256_update(&c, msg + i, n - i < step ? n - i : step);
	hx__sha256_final(&c, two);
	ok(!memcmp(one, two, sizeof(one)), "%zu bytes in pieces of %zu", n,
	   step);
}

int main(void)
{
	static const char b448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char b896[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char *million = malloc(1000000);

	hex_is(
	    "abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_is(
	    "", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_is(
	    b448, strlen(b448),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	hex_is(
	    b896, strlen(b896),
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	if (million) {
		memset(million, 'a', 1000000);
		hex_is(million, 1000000,
		       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d"
		       "39ccc7112cd0");
	}
	/* Around the padding's edges: 55 bytes fit one block, 56 need two. */
	for (size_t n = 54; n <= 66; n++)
		pieces(b896, n, 7);
	pieces(b896, strlen(b896), 1);
	pieces(b896, strlen(b896), 64);
	free(million);
	return done_testing();
}
