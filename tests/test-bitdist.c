/* test-bitdist.c - the bit-parallel edit distance against the textbook
 * dynamic programming, on random sequences of every length up to five
 * machine words and small alphabets (many equal symbols: the hard case). */
#include <stdio.h>
#include <stdlib.h>

#include "../src/lib/tm/bitdist.h"
#include "tap.h"

static size_t lev(const uint16_t *a, size_t m, const uint16_t *b, size_t n)
{
	size_t *d = malloc((n + 1) * sizeof(size_t));
	for (size_t j = 0; j <= n; j++)
		d[j] = j;
	for (size_t i = 1; i <= m; i++) {
		size_t prev = d[0];
		d[0] = i;
		for (size_t j = 1; j <= n; j++) {
			size_t t = d[j];
			size_t c = prev + (a[i - 1] != b[j - 1]);
			if (d[j] + 1 < c)
				c = d[j] + 1;
			if (d[j - 1] + 1 < c)
				c = d[j - 1] + 1;
			d[j] = c;
			prev = t;
		}
	}
	size_t r = d[n];
	free(d);
	return r;
}

int main(void)
{
	uint16_t a[320], b[320];
	size_t bad = 0, runs = 0;

	srand(7);
	for (int it = 0; it < 5000; it++) {
		size_t m = (size_t)rand() % 320, n = (size_t)rand() % 320;
		int alpha = 1 + rand() % 6;
		for (size_t i = 0; i < m; i++)
			a[i] = (uint16_t)(rand() % alpha * 4099);
		for (size_t i = 0; i < n; i++)
			b[i] = (uint16_t)(rand() % alpha * 4099);
		hx__bitdist *p = hx__bitdist_new(a, m);
		if (!p) {
			bad++;
			continue;
		}
		bad += hx__bitdist_distance(p, b, n) != lev(a, m, b, n);
		runs++;
		hx__bitdist_free(p);
	}
	ok(bad == 0 && runs == 5000,
	   "distance equals the dynamic programming on %zu random pairs "
	   "(%zu differ)",
	   runs, bad);
	uint16_t x[] = {1, 2, 3}, y[] = {1, 3};
	hx__bitdist *p = hx__bitdist_new(x, 3);
	ok(p && hx__bitdist_distance(p, y, 2) == 1, "one deletion");
	ok(p && hx__bitdist_distance(p, NULL, 0) == 3, "against nothing");
	hx__bitdist_free(p);
	p = hx__bitdist_new(NULL, 0);
	ok(p && hx__bitdist_distance(p, y, 2) == 2, "nothing against two");
	hx__bitdist_free(p);
	return done_testing();
}
