/*
 * multialign-import.c - the language versions of a finished document
 * into the memory: aligned, checked to be one document, stored with the
 * alignment's scores. What `align --db` and `tm import A.docx B.docx`
 * both do; aligning is multialign.c's job, storing multialign-write.c's.
 */
#include <assert.h>
#include <string.h>

#include <hexalign/hexalign.h>
#include <hexalign/multialign.h>

#include "align/multialign-private.h"
#include "base/error-private.h"

void hx_multialign_import_options_init(hx_multialign_import_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
	hx_multialign_options_init(&opts->align);
}

int hx_multialign_store_checked(hx_tm_import_stats *stats,
				const hx_multialign *m, const char *db_path,
				double min_score, bool force, hx_error *err)
{
	size_t u;

	assert(m && db_path);
	/* Beads of two different documents would reach look-ups as
	 * translations of each other: the memory takes them only when
	 * told to. */
	if ((u = hx_multialign_unrelated(m)) && !force) {
		const hx_alignment *a = hx_multialign_get_pair(m, u);
		return hx__error_set(
		    err, HX_EINVAL,
		    "%s and %s may not be versions of the same document "
		    "(same-document likelihood %.2f); not stored, --force "
		    "stores it anyway",
		    m->in[0].path, m->in[u].path,
		    hx_alignment_same_document(a));
	}
	return hx_multialign_store_db(stats, m, db_path, min_score, err);
}

int hx_multialign_import_db(hx_tm_import_stats *stats, const char *const *paths,
			    size_t n, const char *db_path,
			    const hx_multialign_import_options *opts,
			    hx_error *err)
{
	hx_multialign_import_options def;
	hx_multialign *m = NULL;
	int rc;

	assert(paths && db_path);
	if (!opts) {
		hx_multialign_import_options_init(&def);
		opts = &def;
	}
	if ((rc = hx_multialign_files(&m, paths, n, &opts->align, err)) < 0)
		return rc;
	rc = hx_multialign_store_checked(stats, m, db_path, opts->min_score,
					 opts->force, err);
	hx_multialign_free(m);
	return rc;
}
