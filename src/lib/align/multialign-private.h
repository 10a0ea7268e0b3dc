/*
 * multialign-private.h - the inside of hx_multialign, for its writers
 * (multialign-write.c): the inputs, the pairwise alignments, and the rows
 * every output lists.
 */
#ifndef HX_MULTIALIGN_PRIVATE_H
#define HX_MULTIALIGN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <hexalign/multialign.h>

#define MAX_FILES HX_ALIGN_MAX_SIDES

struct input {
	char *path;
	char *lang;
	hx_doc *doc; /* NULL for pre-segmented input */
	hx_sentences *sents;
};

/*
 * What the outputs list, in pivot order: a group of pivot sentences with
 * its counterparts, or sentences of one other language that the aligner
 * matched with nothing in the pivot (a 0-1 bead, which hx_align_merge()
 * leaves out of the groups). Both are written, so that no sentence of any
 * input is lost between `--format beads` and the TMX, TSV or review page.
 */
struct row {
	const hx_group *g; /* NULL: sentences of language `lang` alone */
	int lang;	   /* index into the inputs */
	size_t start, n;   /* those sentences */
	size_t pos;	   /* the pivot sentence they come before */
};

struct hx_multialign {
	struct input in[MAX_FILES];
	int nin;
	hx_alignment *al[MAX_FILES]; /* al[i]: input i with the pivot */
	hx_group *groups;
	size_t ngroups;
	struct row *rows;
	size_t nrows;
	size_t unrelated; /* the first other input that may be another
			   * document, 0 when none */
};

/* Row ri of m as every output lists it: for each input k, the span of
 * its sentences (n[k] 0: none) and the score of its pairing with the
 * pivot (score[k] < 0: none, for the pivot and a sentence alone). */
void hx__multialign_row(const hx_multialign *m, size_t ri, size_t start[],
			size_t n[], double score[]);

/* The name hx_multialign_store() gives the document in a memory (its
 * symbol, else the pivot's file name), into buf. */
const char *hx__multialign_origin(const hx_multialign *m, char *buf,
				  size_t size);

#endif
