/*
 * termmatch-bench.c - the driver of bench/check-speed.sh: compiles the
 * English terms of the given term bases into one matcher and times one
 * pass over a document, the work `hexalign check` does for term rules.
 * Prints the sizes and the best of several runs, so a busy machine shows
 * the matcher rather than the scheduler.
 *   usage: termmatch-bench [--plural] [--lang L] DOC TERMBASE...
 * --plural adds a crude stemmer (a final "s" dropped) to measure the cost
 * of the stem pass without hunspell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hexalign/hexalign.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int plural(void *payload, const char *word, size_t len,
		  hx_termmatch_stem_add add, void *sink, hx_error *err)
{
	(void)payload;
	(void)err;
	if (len > 3 && word[len - 1] == 's')
		add(sink, word, len - 1);
	return HX_OK;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) &&
	    fread(p, 1, (size_t)n, f) == (size_t)n) {
		p[n] = '\0';
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

static size_t words(const char *s, size_t len)
{
	size_t n = 0;
	int in = 0;

	for (size_t i = 0; i < len; i++) {
		int sp =
		    s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *lang = "en", **terms = NULL;
	hx_termbase **tbs = NULL;
	hx_termmatch_options opts;
	hx_termmatch *m = NULL;
	size_t nterms = 0, len = 0, nhits = 0, ntb = 0;
	double t0, build, best = 1e9;
	hx_term_hit *hits;
	char *doc;
	hx_error err;
	int a = 1;

	hx_termmatch_options_init(&opts);
	for (; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "--plural"))
			opts.stem = plural;
		else if (!strcmp(argv[a], "--lang") && a + 1 < argc)
			lang = argv[++a];
		else
			break;
	}
	if (argc - a < 2) {
		fprintf(stderr,
			"usage: %s [--plural] [--lang L] DOC "
			"TERMBASE...\n",
			argv[0]);
		return 2;
	}
	if (!(doc = slurp(argv[a], &len))) {
		perror(argv[a]);
		return 1;
	}
	tbs = calloc((size_t)argc, sizeof(*tbs));
	for (int i = a + 1; i < argc; i++) {
		hx_termbase *tb;
		hx_error_init(&err);
		if (hx_termbase_load(&tb, argv[i], NULL, &err)) {
			fprintf(stderr, "termmatch-bench: %s\n", err.message);
			return 1;
		}
		tbs[ntb++] = tb;
		terms = realloc(terms, (nterms + hx_termbase_count(tb)) *
					   sizeof(*terms));
		for (size_t k = 0; k < hx_termbase_count(tb); k++)
			if (!strcmp(hx_termbase_term(tb, k)->lang, lang))
				terms[nterms++] = hx_termbase_term(tb, k)->text;
	}
	hx_error_init(&err);
	t0 = now();
	if (hx_termmatch_new_strings(&m, terms, nterms, &opts, &err)) {
		fprintf(stderr, "termmatch-bench: %s\n", err.message);
		return 1;
	}
	build = now() - t0;
	for (int run = 0; run < 5; run++) {
		double t = now();
		if (hx_termmatch_run(&hits, &nhits, m, doc, len, &err)) {
			fprintf(stderr, "termmatch-bench: %s\n", err.message);
			return 1;
		}
		t = now() - t;
		if (t < best)
			best = t;
		hx_term_hits_free(hits);
	}
	printf("document: %zu words, %zu bytes\n", words(doc, len), len);
	printf("terms:    %zu (%s)%s\n", nterms, lang,
	       opts.stem ? ", with a stemmer" : "");
	printf("hits:     %zu\n", nhits);
	printf("compile:  %.3f s\n", build);
	printf("match:    %.3f s (best of 5)\n", best);
	hx_termmatch_free(m);
	for (size_t i = 0; i < ntb; i++)
		hx_termbase_free(tbs[i]);
	free(tbs);
	free(terms);
	free(doc);
	return 0;
}
