/*
 * test-align.c - the aligner on real documents: the Universal Declaration
 * of Human Rights in the six UN languages (tests/data/html/udhr, the
 * official texts), where the articles give a check that needs no gold: no
 * bead may join sentences of two different articles. Also the invariants
 * every alignment keeps (beads cover both sides, in order), the merge into
 * multilingual groups, and what happens with an empty side, unrelated
 * documents and bad lexicon files.
 *
 * Argument: tests/data/align (the lexicons are found beside it, in the
 * source tree's dictionaries/lexicon).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static char lexdir[4096], datadir[4096];

static const char *const langs[] = {"en", "zh", "ar", "fr", "ru", "es"};
static const char *const files[] = {"eng", "cmn_hans", "arb",
				    "fra", "rus",      "spa"};

struct side {
	hx_doc *doc;
	hx_sentences *s;
	int *article; /* per sentence: headings seen so far */
	int narticles;
};

static int load(struct side *sd, const char *path, const char *lang)
{
	hx_error err;
	hx_error_init(&err);
	memset(sd, 0, sizeof(*sd));
	if (hx_read_file(&sd->doc, path, NULL, &err) < 0 ||
	    hx_sentences_from_doc(&sd->s, sd->doc, lang, NULL, &err) < 0) {
		printf("# %s\n", err.message);
		return -1;
	}
	/* Sentence -> article: hx_sentences keeps the block's line, and a
	 * heading block starts the next article. */
	size_t n = hx_sentences_count(sd->s), k = 0;
	sd->article = calloc(n + 1, sizeof(int));
	int art = 0;
	for (size_t b = 0; b < hx_doc_count(sd->doc); b++) {
		const hx_block *blk = hx_doc_get_block(sd->doc, b);
		if (blk->kind == HX_BLOCK_HEADING)
			art++;
		while (k < n && hx_sentences_get_line(sd->s, k) == blk->line)
			sd->article[k++] = art;
	}
	sd->narticles = art;
	return k == n ? 0 : -1;
}

static void side_free(struct side *sd)
{
	hx_sentences_free(sd->s);
	hx_doc_free(sd->doc);
	free(sd->article);
}

/* Beads cover [0, n) and [0, m) in order, each sentence once. */
static int covers(const hx_alignment *al, size_t n, size_t m)
{
	size_t i = 0, j = 0;
	for (size_t k = 0; k < hx_alignment_count(al); k++) {
		const hx_bead *b = hx_alignment_get(al, k);
		if (b->src_start != i || b->tgt_start != j)
			return 0;
		if (b->src_n > 3 || b->tgt_n > 3 || b->src_n + b->tgt_n == 0)
			return 0;
		if (b->score < 0 || b->score > 1)
			return 0;
		i += b->src_n;
		j += b->tgt_n;
	}
	return i == n && j == m;
}

static size_t crossing(const hx_alignment *al, const struct side *a,
		       const struct side *b)
{
	size_t bad = 0;
	for (size_t k = 0; k < hx_alignment_count(al); k++) {
		const hx_bead *bd = hx_alignment_get(al, k);
		if (!bd->src_n || !bd->tgt_n)
			continue;
		int art = a->article[bd->src_start];
		int ok_ = 1;
		for (size_t x = 0; x < bd->src_n; x++)
			ok_ &= a->article[bd->src_start + x] == art;
		for (size_t y = 0; y < bd->tgt_n; y++)
			ok_ &= b->article[bd->tgt_start + y] == art;
		if (!ok_) {
			size_t l1, l2;
			const char *s1 =
			    hx_sentences_get(a->s, bd->src_start, &l1);
			const char *s2 =
			    hx_sentences_get(b->s, bd->tgt_start, &l2);
			printf(
			    "#   crosses: [%zu+%zu]:[%zu+%zu] %.40s | %.40s\n",
			    bd->src_start, bd->src_n, bd->tgt_start, bd->tgt_n,
			    s1, s2);
			bad++;
		}
	}
	return bad;
}

static void test_udhr(void)
{
	struct side sd[6];
	hx_alignment *al[6] = {0};
	char path[8192];
	hx_error err;

	hx_error_init(&err);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/../html/udhr/%s.html", datadir,
			 files[i]);
		ok(load(&sd[i], path, langs[i]) == 0, "UDHR %s read", langs[i]);
	}
	for (int i = 1; i < 6; i++)
		is_int(sd[i].narticles, sd[0].narticles,
		       "UDHR %s has as many headings as en", langs[i]);
	for (int i = 1; i < 6; i++) {
		hx_lexicon *lex = NULL;
		if (hx_lexicon_load_pair(&lex, lexdir, "en", langs[i], &err) <
		    0)
			printf("# no lexicon: %s\n", err.message);
		ok(hx_align_run(&al[i], sd[0].s, sd[i].s, lex, NULL, &err) ==
		       HX_OK,
		   "en-%s aligned", langs[i]);
		hx_lexicon_free(lex);
		if (!al[i])
			continue;
		ok(covers(al[i], hx_sentences_count(sd[0].s),
			  hx_sentences_count(sd[i].s)),
		   "en-%s: beads cover both sides in order", langs[i]);
		is_int(crossing(al[i], &sd[0], &sd[i]), 0,
		       "en-%s: no bead crosses an article", langs[i]);
		double c = hx_alignment_confidence(al[i]);
		ok(c > 0.5, "en-%s: overall confidence %.2f > 0.5", langs[i],
		   c);
	}

	/* Multilingual groups: a partition of the pivot that splits no
	 * bead of any pair. */
	hx_group *g = NULL;
	size_t ng = 0;
	ok(hx_align_merge(&g, &ng, (const hx_alignment *const *)(al + 1), 5,
			  hx_sentences_count(sd[0].s), &err) == HX_OK,
	   "merge five pairs");
	size_t next = 0, bad = 0;
	for (size_t k = 0; k < ng; k++) {
		if (g[k].src_start != next || !g[k].src_n)
			bad++;
		next = g[k].src_start + g[k].src_n;
		for (int p = 0; p < 5; p++) {
			if (!g[k].tgt_n[p])
				continue;
			/* the group's sentences are all in one article */
			int art = sd[0].article[g[k].src_start];
			for (size_t y = 0; y < g[k].tgt_n[p]; y++)
				if (sd[p + 1].article[g[k].tgt_start[p] + y] !=
				    art)
					bad++;
		}
	}
	ok(next == hx_sentences_count(sd[0].s) && bad == 0,
	   "groups partition the pivot within articles (%zu groups)", ng);
	ok(ng * 10 >= hx_sentences_count(sd[0].s) * 9,
	   "at most a tenth of the pivot merged: %zu groups for %zu "
	   "sentences",
	   ng, hx_sentences_count(sd[0].s));
	free(g);

	/* A merge of an alignment of another pivot is refused. */
	ok(hx_align_merge(&g, &ng, (const hx_alignment *const *)(al + 1), 1,
			  hx_sentences_count(sd[0].s) + 1, &err) == HX_EINVAL,
	   "merge refuses an alignment that does not cover the pivot");
	ok(strstr(err.message, "covers") != NULL, "and says why: %s",
	   err.message);

	/* Unrelated documents: the UDHR against a CWG-COP report. */
	struct side other;
	hx_alignment *un = NULL;
	hx_lexicon *lex = NULL;
	snprintf(path, sizeof(path), "%s/../txt/seed-zh-000.txt", datadir);
	ok(load(&other, path, "zh") == 0, "seed-zh-000 read");
	hx_lexicon_load_pair(&lex, lexdir, "en", "zh", &err);
	ok(hx_align_run(&un, sd[0].s, other.s, lex, NULL, &err) == HX_OK,
	   "UDHR en vs CWG-COP report zh aligned");
	if (un) {
		double c = hx_alignment_same_document(un), top = 0;
		ok(hx_alignment_unrelated(un),
		   "unrelated documents: same-document likelihood %.2f < 0.5",
		   c);
		for (size_t k = 0; k < hx_alignment_count(un); k++)
			if (hx_alignment_get(un, k)->score > top)
				top = hx_alignment_get(un, k)->score;
		ok(top < 0.5, "unrelated documents: best bead %.2f < 0.5", top);
		ok(covers(un, hx_sentences_count(sd[0].s),
			  hx_sentences_count(other.s)),
		   "unrelated documents: beads still cover both sides");
	}
	hx_alignment_free(un);
	hx_lexicon_free(lex);
	side_free(&other);

	for (int i = 0; i < 6; i++) {
		hx_alignment_free(al[i]);
		side_free(&sd[i]);
	}
}

static void test_empty_side(void)
{
	hx_sentences *a = NULL, *b = NULL;
	hx_alignment *al = NULL;
	hx_error err;

	hx_error_init(&err);
	hx_sentences_new(&a, "en", &err);
	hx_sentences_new(&b, "fr", &err);
	const char *s[] = {"The Council adopted Resolution 1306.",
			   "It met on 30 September 2024."};
	for (int i = 0; i < 2; i++)
		hx_sentences_add(a, s[i], strlen(s[i]), 0, NULL, false,
				 (size_t)i + 1, &err);
	ok(hx_align_run(&al, a, b, NULL, NULL, &err) == HX_OK,
	   "an empty target side aligns");
	ok(al && covers(al, 2, 0) && hx_alignment_count(al) == 2,
	   "every source sentence is a 1-0 bead");
	ok(al && hx_alignment_confidence(al) == 0, "confidence is 0");
	hx_alignment_free(al);
	al = NULL;
	ok(hx_align_run(&al, b, b, NULL, NULL, &err) == HX_OK &&
	       hx_alignment_count(al) == 0,
	   "two empty sides give no beads");
	hx_alignment_free(al);
	hx_sentences_free(a);
	hx_sentences_free(b);
}

/* Numbers, symbols and Latin acronyms link sentences with no lexicon at
 * all: a 1-2 split is found from anchors alone. */
static void test_anchors_only(void)
{
	hx_sentences *a = NULL, *b = NULL;
	hx_alignment *al = NULL;
	hx_error err;
	const char *en[] = {
	    "The CWG-COP met in Geneva on 30 September 2024.",
	    "Document C26/15 reports on Resolution 179 and SG17.",
	    "UNICEF and ITU-D presented 12 projects in 2025."};
	const char *zh[] = {"CWG-COP于2024年9月30日在日内瓦举行会议。",
			    "C26/15号文件报告了第179号决议。",
			    "并介绍了SG17的工作。",
			    "UNICEF和ITU-D在2025年介绍了12个项目。"};

	hx_error_init(&err);
	hx_sentences_new(&a, "en", &err);
	hx_sentences_new(&b, "zh", &err);
	for (int i = 0; i < 3; i++)
		hx_sentences_add(a, en[i], strlen(en[i]), 0, NULL, false, 0,
				 &err);
	for (int i = 0; i < 4; i++)
		hx_sentences_add(b, zh[i], strlen(zh[i]), 0, NULL, false, 0,
				 &err);
	ok(hx_align_run(&al, a, b, NULL, NULL, &err) == HX_OK,
	   "anchors-only alignment runs");
	const hx_bead *b1 = al ? hx_alignment_get(al, 1) : NULL;
	ok(al && hx_alignment_count(al) == 3 && b1 && b1->src_n == 1 &&
	       b1->tgt_start == 1 && b1->tgt_n == 2,
	   "the second English sentence is aligned 1-2");
	hx_alignment_free(al);
	hx_sentences_free(a);
	hx_sentences_free(b);
}

static void test_lexicon_errors(void)
{
	hx_lexicon *lex = NULL;
	hx_error err;
	char path[8192];

	hx_error_init(&err);
	snprintf(path, sizeof(path), "%s/bad-lexicon.tsv", datadir);
	is_int(hx_lexicon_load(&lex, path, "en", "fr", &err), HX_EFORMAT,
	       "a line without a tab is a format error");
	ok(strstr(err.message, "bad-lexicon.tsv:3:") != NULL,
	   "the message names file and line: %s", err.message);
	snprintf(path, sizeof(path), "%s/bad-utf8-lexicon.tsv", datadir);
	is_int(hx_lexicon_load(&lex, path, "en", "fr", &err), HX_EFORMAT,
	       "invalid UTF-8 is a format error");
	ok(strstr(err.message, ":2: invalid UTF-8") != NULL, "names line 2: %s",
	   err.message);
	is_int(hx_lexicon_load_pair(&lex, datadir, "en", "xx", &err),
	       HX_ENOTFOUND, "a pair without a lexicon is not found");
	ok(lex == NULL, "and nothing is returned");
	is_int(hx_lexicon_load_pair(&lex, lexdir, "zh", "en", &err), HX_OK,
	       "en-zh.tsv serves a zh-en alignment, reversed");
	ok(hx_lexicon_count(lex) > 100000, "with its %zu pairs",
	   hx_lexicon_count(lex));
	hx_lexicon_free(lex);
}

static void test_format_names(void)
{
	hx_multialign_format f = HX_MULTIALIGN_TMX;

	ok(hx_multialign_format_parse(&f, "beads") == HX_OK &&
	       f == HX_MULTIALIGN_BEADS,
	   "format: beads");
	ok(hx_multialign_format_parse(&f, "xml") == HX_EINVAL &&
	       f == HX_MULTIALIGN_BEADS,
	   "format: an unknown name leaves it");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("Bail out! usage: test-align DATADIR\n");
		return 1;
	}
	snprintf(datadir, sizeof(datadir), "%s", argv[1]);
	snprintf(lexdir, sizeof(lexdir), "%s/../../../dictionaries/lexicon",
		 argv[1]);
	test_udhr();
	test_empty_side();
	test_anchors_only();
	test_lexicon_errors();
	test_format_names();
	return done_testing();
}
