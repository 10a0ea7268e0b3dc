/*
 * test-review.c - an alignment a person corrects (review.h) through the
 * public API: every edit and its bad input, undo, the JSON and TMX
 * outputs (the TMX against the DTD), a save into a real memory and the
 * review read back (units replaced, never duplicated, old pairs gone
 * from look-ups, concordance and export), a failed save that leaves the
 * memory as it was, and look-ups ranking a reviewed unit first.
 *
 * Argument: tests/data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/valid.h>
#include <sqlite3.h>

#include <hexalign/hexalign.h>

#include "tap.h"

static char dir[4096], tmp[4096];

static hx_tm *open_tm(const char *name, bool readonly)
{
	char path[8192];
	hx_tm_options o;
	hx_tm *tm = NULL;
	hx_error err;
	hx_tm_options_init(&o);
	o.readonly = readonly;
	o.create = !readonly;
	hx_error_init(&err);
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	if (hx_tm_open(&tm, path, &o, &err) < 0)
		printf("# %s\n", err.message);
	return tm;
}

/* Commit a batch that has rc so far, or drop it. */
static int finish(hx_tm_batch *b, int rc, hx_error *err)
{
	if (rc == HX_OK)
		return hx_tm_batch_commit(b, NULL, err);
	hx_tm_batch_free(b);
	return rc;
}

static const char *const en[] = {
    "The General Assembly opened its session.",
    "The committee adopted the report without a vote.",
    "Delegates discussed the budget.",
    "The meeting rose at noon.",
};
static const char *const fr[] = {
    "L'Assemblée générale a ouvert sa session.",
    "Texte faux qui ne correspond pas.",
    "Les délégués ont examiné le budget.",
    "La séance est levée à midi.",
};
static const char *const score_fr[] = {"0.95", "0.40", "0.80", "0.99"};

/* The document "doc1": four units as the aligner stores them. */
static void fill(hx_tm *tm)
{
	hx_tm_batch *b = NULL;
	hx_error err;
	int rc;

	hx_error_init(&err);
	rc = hx_tm_batch_begin(&b, tm, "doc1", &err);
	for (size_t i = 0; rc == HX_OK && i < 4; i++) {
		const char *langs[] = {"en", "fr"};
		const char *texts[] = {en[i], fr[i]};
		hx_tmx_prop p[] = {{"x-score-fr", score_fr[i]},
				   {"x-source-file-en", "doc1-en.txt"},
				   {"x-source-file-fr", "doc1-fr.txt"}};
		rc = hx_tm_batch_add_props(b, langs, texts, 2, p, 3, &err);
	}
	rc = finish(b, rc, &err);
	/* Another document, which a save of doc1 must leave alone. */
	if (rc == HX_OK &&
	    (rc = hx_tm_batch_begin(&b, tm, "other", &err)) == HX_OK) {
		const char *langs[] = {"en", "fr"};
		const char *texts[] = {"Another text entirely.",
				       "Un tout autre texte."};
		rc = finish(b, hx_tm_batch_add(b, langs, texts, 2, &err), &err);
	}
	ok(rc == HX_OK, "a memory with two documents (%s)", err.message);
}

struct origins {
	char names[8][64];
	size_t units[8], n;
};

static int on_origin(void *payload, const char *origin, size_t units)
{
	struct origins *o = payload;
	if (o->n < 8) {
		snprintf(o->names[o->n], 64, "%s", origin);
		o->units[o->n++] = units;
	}
	return 0;
}

static int stop_at_first(void *payload, const char *origin, size_t units)
{
	(void)origin, (void)units;
	++*(int *)payload;
	return 7;
}

static char *json_of(const hx_review *r, size_t first, size_t max)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	hx_error err;
	hx_error_init(&err);
	if (!f)
		return NULL;
	int rc = hx_review_write_json(f, r, first, max, &err);
	fclose(f);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_origins_and_load(hx_tm *tm)
{
	struct origins o = {0};
	hx_review *r = NULL;
	hx_error err;
	int calls = 0;

	hx_error_init(&err);
	ok(hx_tm_origins(tm, on_origin, &o, &err) == HX_OK, "origins listed");
	is_int(o.n, 2, "two documents");
	is_str(o.names[0], "doc1", "in name order: doc1");
	is_int(o.units[0], 4, "doc1 has 4 units");
	is_str(o.names[1], "other", "then other");
	is_int(hx_tm_origins(tm, stop_at_first, &calls, &err), 7,
	       "a callback's non-zero value stops the listing");
	is_int(calls, 1, "after one call");

	is_int(hx_review_load(&r, tm, "nope", &err), HX_ENOTFOUND,
	       "no such document: HX_ENOTFOUND");
	ok(r == NULL, "and no review");
	ok(hx_review_load(&r, tm, "doc1", &err) == HX_OK, "doc1 loads (%s)",
	   err.message);
	if (!r)
		return;
	is_str(hx_review_get_name(r), "doc1", "named after its origin");
	is_int(hx_review_lang_count(r), 2, "two languages");
	is_str(hx_review_get_lang(r, 0), "en", "the pivot first");
	is_str(hx_review_get_lang(r, 1), "fr", "then fr");
	is_int(hx_review_row_count(r), 4, "a row per unit");
	is_str(hx_review_get_sentence(r, 1, 1, 0), fr[1], "in stored order");
	ok(hx_review_get_score(r, 1) > 0.39 && hx_review_get_score(r, 1) < 0.41,
	   "the stored score (0.40)");
	ok(!hx_review_is_confirmed(r, 1), "not confirmed");
	ok(!hx_review_is_modified(r), "not modified");
	hx_review_free(r);
}

static void test_edits(hx_tm *tm)
{
	hx_review *r = NULL;
	hx_error err;
	char *j0, *j;

	hx_error_init(&err);
	if (hx_review_load(&r, tm, "doc1", &err) < 0) {
		ok(0, "doc1 loads for editing: %s", err.message);
		return;
	}
	j0 = json_of(r, 0, 0);

	/* join */
	is_int(hx_review_join(r, 3, &err), HX_EINVAL, "join the last row");
	is_str(err.message, "row 3: no row after it to join",
	       "the message names the row");
	is_int(hx_review_join(r, 12, &err), HX_EINVAL, "join an unknown row");
	ok(strstr(err.message, "row 12") != NULL, "message: %s", err.message);
	ok(hx_review_join(r, 0, &err) == HX_OK, "join rows 0 and 1");
	is_int(hx_review_row_count(r), 3, "3 rows");
	is_int(hx_review_sentence_count(r, 0, 0), 2, "row 0: 2 en sentences");
	is_str(hx_review_get_sentence(r, 0, 0, 1), en[1], "in order");
	ok(hx_review_get_score(r, 0) == 1, "a row a person made scores 1");
	ok(!hx_review_is_confirmed(r, 0), "but is not confirmed");
	ok(hx_review_is_modified(r), "modified");

	/* split */
	is_int(hx_review_split(r, 0, 0, 0, NULL, &err), HX_EINVAL,
	       "split at sentence 0");
	is_int(hx_review_split(r, 0, 0, 2, NULL, &err), HX_EINVAL,
	       "split at the end");
	is_int(hx_review_split(r, 0, 0, 5, NULL, &err), HX_EINVAL,
	       "split past the end");
	ok(strstr(err.message, "row 0") != NULL, "message: %s", err.message);
	is_int(hx_review_split(r, 9, 0, 1, NULL, &err), HX_EINVAL,
	       "split an unknown row");
	is_int(hx_review_split(r, 0, 5, 1, NULL, &err), HX_EINVAL,
	       "split an unknown language");
	size_t bad_at[] = {0, 3};
	is_int(hx_review_split(r, 0, 0, 1, bad_at, &err), HX_EINVAL,
	       "split another language past its end");
	size_t at[] = {0, 1};
	ok(hx_review_split(r, 0, 0, 1, at, &err) == HX_OK,
	   "split row 0 before en 1, fr 1");
	is_int(hx_review_row_count(r), 4, "4 rows again");
	is_str(hx_review_get_sentence(r, 1, 0, 0), en[1], "row 1 en");
	is_str(hx_review_get_sentence(r, 1, 1, 0), fr[1], "row 1 fr");
	is_int(hx_review_sentence_count(r, 0, 1), 1, "row 0 keeps one fr");

	/* move */
	is_int(hx_review_move(r, 0, 0, -1, &err), HX_EINVAL,
	       "move up from the first row");
	is_str(err.message, "row 0: no row before it to move to",
	       "message: no row before");
	is_int(hx_review_move(r, 3, 1, 1, &err), HX_EINVAL,
	       "move down from the last row");
	is_int(hx_review_move(r, 1, 1, 0, &err), HX_EINVAL, "direction 0");
	is_int(hx_review_move(r, 7, 1, 1, &err), HX_EINVAL,
	       "move in an unknown row");
	ok(hx_review_move(r, 1, 1, -1, &err) == HX_OK, "move row 1's fr up");
	is_int(hx_review_sentence_count(r, 0, 1), 2, "row 0 has 2 fr");
	is_int(hx_review_sentence_count(r, 1, 1), 0, "row 1 has none");
	is_int(hx_review_move(r, 1, 1, -1, &err), HX_EINVAL,
	       "no fr sentence left to move");
	ok(hx_review_move(r, 1, 0, -1, &err) == HX_OK,
	   "move row 1's en up: the row is empty");
	is_int(hx_review_row_count(r), 3, "and removed");
	ok(hx_review_move(r, 0, 1, 1, &err) == HX_OK,
	   "move row 0's last fr down");
	is_str(hx_review_get_sentence(r, 1, 1, 0), fr[1],
	       "to the start of row 1");
	is_int(hx_review_sentence_count(r, 1, 1), 2, "row 1 has 2 fr");

	/* edit */
	is_int(hx_review_edit(r, 0, 1, "bad \xff byte", &err), HX_EINVAL,
	       "edit with invalid UTF-8");
	ok(strstr(err.message, "UTF-8") != NULL, "message: %s", err.message);
	is_int(hx_review_edit(r, 0, 1, "a\nline", &err), HX_EINVAL,
	       "edit with a line break");
	is_int(hx_review_edit(r, 0, 1, "a\x01", &err), HX_EINVAL,
	       "edit with a control character");
	is_int(hx_review_edit(r, 5, 1, "x", &err), HX_EINVAL,
	       "edit an unknown row");
	ok(hx_review_edit(r, 0, 1, "Texte\tavec tabulation", &err) == HX_OK,
	   "a tab is fine");
	ok(hx_review_edit(r, 0, 1, "", &err) == HX_OK, "edit to empty");
	is_int(hx_review_sentence_count(r, 0, 1), 0, "no sentence left");

	/* confirm */
	is_int(hx_review_confirm(r, 3, true, &err), HX_EINVAL,
	       "confirm an unknown row");
	ok(hx_review_confirm(r, 2, true, &err) == HX_OK, "confirm row 2");
	ok(hx_review_is_confirmed(r, 2), "confirmed");
	ok(hx_review_get_score(r, 2) == 1, "scores 1");

	j = json_of(r, 0, 0);
	ok(j && strstr(j, "\"undo\": 8,"), "JSON: 8 edits to undo");
	free(j);

	/* undo, all the way */
	int undone = 0;
	while (hx_review_undo(r, &err) == HX_OK)
		undone++;
	is_int(undone, 8, "each edit undone");
	is_int(hx_review_undo(r, &err), HX_ENOTFOUND,
	       "undo with nothing to undo");
	ok(!hx_review_is_modified(r), "back where it started");
	j = json_of(r, 0, 0);
	ok(j && j0 && !strcmp(j, j0), "the same rows as loaded");
	free(j);

	/* JSON shape */
	const char *want =
	    "{\"name\": \"doc1\", \"langs\": [\"en\", \"fr\"], "
	    "\"modified\": false, \"undo\": 0, \"rows\": [{\"row\": 0, "
	    "\"score\": 0.95, \"confirmed\": false, \"cells\": "
	    "[[\"The General Assembly";
	ok(j0 && !strncmp(j0, want, strlen(want)),
	   "JSON: name, langs, modified, undo, rows");
	j = json_of(r, 1, 2);
	ok(j && strstr(j, "\"rows\": [{\"row\": 1,") &&
	       strstr(j, "{\"row\": 2,") && !strstr(j, "\"row\": 3") &&
	       !strstr(j, "\"row\": 0"),
	   "JSON: rows from 1, at most 2");
	free(j);
	j = json_of(r, 9, 0);
	ok(j && strstr(j, "\"rows\": []}"), "JSON: from past the end, none");
	free(j);
	free(j0);
	hx_review_free(r);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n >= 0 && (b = malloc((size_t)n + 1)) &&
	    fread(b, 1, (size_t)n, f) == (size_t)n)
		b[n] = '\0';
	fclose(f);
	return b;
}

static const char *const fixed = "Le comité a adopté le rapport sans vote.";

static void test_save(hx_tm *tm)
{
	hx_review *r = NULL;
	hx_review_save_options so;
	hx_review_save_stats ss = {0};
	hx_tm_results *res = NULL;
	hx_tm_stats st;
	hx_error err;
	int rc;

	hx_error_init(&err);
	hx_tm_stats_get(&st, tm, &err);
	is_int(st.schema_version, 4, "a memory no unit was removed from: 4");
	if (hx_review_load(&r, tm, "doc1", &err) < 0)
		return;
	ok(hx_review_edit(r, 1, 1, fixed, &err) == HX_OK, "correct row 1");
	ok(hx_review_confirm(r, 1, true, &err) == HX_OK, "confirm it");
	ok(hx_review_join(r, 2, &err) == HX_OK, "join rows 2 and 3");
	hx_review_save_options_init(&so);
	so.date = "2026-01-01";
	is_int(hx_review_save(&ss, r, tm, &so, &err), HX_EINVAL,
	       "a date not YYYYMMDDThhmmssZ");
	so.reviewer = "ana";
	so.date = "20260101T120000Z";
	rc = hx_review_save(&ss, r, tm, &so, &err);
	ok(rc == HX_OK, "saved (%s)", err.message);
	is_int(ss.removed, 4, "4 units removed");
	is_int(ss.added, 3, "3 added");
	is_int(ss.confirmed, 1, "1 confirmed");
	ok(!hx_review_is_modified(r), "no longer modified");
	hx_review_free(r);
	r = NULL;

	hx_tm_stats_get(&st, tm, &err);
	is_int(st.units, 4, "the memory: 3 + the other document's 1");
	is_int(st.schema_version, 5, "schema 5 once units were removed");
	struct origins o = {0};
	hx_tm_origins(tm, on_origin, &o, &err);
	is_int(o.units[0], 3, "doc1: 3 units, not 7");
	is_int(o.units[1], 1, "other: untouched");

	ok(hx_review_load(&r, tm, "doc1", &err) == HX_OK, "read back");
	if (r) {
		is_int(hx_review_row_count(r), 3, "3 rows");
		is_str(hx_review_get_sentence(r, 1, 1, 0), fixed,
		       "the correction");
		ok(hx_review_is_confirmed(r, 1), "row 1 confirmed");
		ok(hx_review_get_score(r, 1) == 1, "score 1");
		is_int(hx_review_sentence_count(r, 2, 0), 2,
		       "the joined row keeps its two sentences");
		is_str(hx_review_get_sentence(r, 2, 0, 1), en[3],
		       "the second one whole");
		ok(hx_review_get_score(r, 2) == 1, "a joined row scores 1");
		ok(!hx_review_is_confirmed(r, 2), "and is not confirmed");
		is_str(hx_review_get_lang(r, 0), "en", "the pivot first");
	}
	hx_review_free(r);
	r = NULL;

	hx_tm_lookup_options lo;
	hx_tm_lookup_options_init(&lo);
	lo.max = 10;
	rc =
	    hx_tm_lookup(&res, tm, "en", "fr", en[1], strlen(en[1]), &lo, &err);
	ok(rc == HX_OK && hx_tm_results_count(res) == 1,
	   "a look-up finds one unit");
	if (res && hx_tm_results_count(res)) {
		const hx_tm_match *m = hx_tm_results_get(res, 0);
		is_str(m->target, fixed, "the corrected pair");
		is_int(m->penalty, 0, "a reviewed unit has no penalty");
	}
	hx_tm_results_free(res);
	res = NULL;
	lo.exhaustive = true;
	rc =
	    hx_tm_lookup(&res, tm, "en", "fr", en[1], strlen(en[1]), &lo, &err);
	ok(rc == HX_OK && hx_tm_results_count(res) == 1,
	   "an exhaustive look-up too: the old unit is gone");
	hx_tm_results_free(res);
	res = NULL;
	rc = hx_tm_concord(&res, tm, "fr", "en", "faux", 4, 0, &err);
	ok(rc == HX_OK && hx_tm_results_count(res) == 0,
	   "concordance: the old target is gone");
	hx_tm_results_free(res);
	res = NULL;
	rc = hx_tm_concord(&res, tm, "en", "fr", "committee", 9, 0, &err);
	ok(rc == HX_OK && hx_tm_results_count(res) == 1,
	   "concordance: the unit once");
	hx_tm_results_free(res);

	char path[8192];
	snprintf(path, sizeof(path), "%s/export.tmx", tmp);
	ok(hx_tm_export_tmx(tm, path, NULL, NULL, NULL, &err) == HX_OK,
	   "export");
	char *x = slurp(path);
	ok(x && !strstr(x, "Texte faux") && strstr(x, fixed),
	   "the export has the correction, not the old text");
	ok(x && count(x, "<tu>") + count(x, "<tu ") == 4, "and 4 units");
	ok(x && strstr(x, "changeid=\"ana\"") &&
	       strstr(x, "changedate=\"20260101T120000Z\""),
	   "the reviewer and the date");
	ok(x && strstr(x, "<prop type=\"x-reviewed\">yes</prop>"),
	   "x-reviewed=yes");
	free(x);

	/* A second save of the same rows: replaced again, not added. */
	ok(hx_review_load(&r, tm, "doc1", &err) == HX_OK, "load again");
	ok(r && hx_review_save(&ss, r, tm, NULL, &err) == HX_OK,
	   "save unchanged");
	is_int(ss.removed, 3, "3 removed");
	is_int(ss.added, 3, "3 added");
	hx_tm_stats_get(&st, tm, &err);
	is_int(st.units, 4, "still 4 units");
	hx_review_free(r);
}

static void test_failed_save(void)
{
	hx_tm *ro = open_tm("mem.db", true);
	hx_review *r = NULL;
	hx_error err;
	char *before = NULL, *after = NULL;

	hx_error_init(&err);
	ok(ro != NULL, "the memory opened read-only");
	if (!ro || hx_review_load(&r, ro, "doc1", &err) < 0) {
		hx_tm_free(ro);
		return;
	}
	before = json_of(r, 0, 0);
	ok(hx_review_edit(r, 0, 1, "Changé.", &err) == HX_OK, "edit");
	is_int(hx_review_save(NULL, r, ro, NULL, &err), HX_EIO,
	       "a read-only memory: HX_EIO");
	ok(strstr(err.message, "read-only") != NULL, "message: %s",
	   err.message);
	ok(hx_review_is_modified(r), "the review is still modified");
	hx_review_free(r);
	r = NULL;
	hx_tm_free(ro);

	/* A failure after the units were taken out, in the middle of the
	 * writes: a trigger refuses the segments. */
	char path[8192];
	sqlite3 *db = NULL;
	snprintf(path, sizeof(path), "%s/mem.db", tmp);
	ok(sqlite3_open(path, &db) == SQLITE_OK &&
	       sqlite3_exec(db,
			    "CREATE TRIGGER fail BEFORE INSERT ON seg BEGIN "
			    "SELECT RAISE(ABORT, 'injected'); END",
			    NULL, NULL, NULL) == SQLITE_OK,
	   "a trigger that makes the save fail");
	hx_tm *tm = open_tm("mem.db", false);
	if (tm && hx_review_load(&r, tm, "doc1", &err) == HX_OK) {
		hx_review_edit(r, 0, 1, "Changé.", &err);
		ok(hx_review_save(NULL, r, tm, NULL, &err) < 0,
		   "the save fails (%s)", err.message);
		ok(hx_review_is_modified(r), "the review is still modified");
	}
	hx_tm_free(tm);
	sqlite3_exec(db, "DROP TRIGGER fail", NULL, NULL, NULL);
	sqlite3_close(db);
	hx_review_free(r);
	r = NULL;
	tm = open_tm("mem.db", false);
	if (tm && hx_review_load(&r, tm, "doc1", &err) == HX_OK)
		after = json_of(r, 0, 0);
	ok(before && after && !strcmp(before, after),
	   "the memory is as it was");
	hx_tm_stats_get(&(hx_tm_stats){0}, tm, &err);
	free(before);
	free(after);
	hx_review_free(r);
	hx_tm_free(tm);
}

static bool dtd_valid(const char *path, xmlDtdPtr dtd)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlValidCtxtPtr v = xmlNewValidCtxt();
	bool ok_ = doc && v && dtd && xmlValidateDtd(v, doc, dtd) == 1;
	xmlFreeValidCtxt(v);
	xmlFreeDoc(doc);
	return ok_;
}

static void test_tmx(void)
{
	hx_tm *tm = open_tm("mem.db", true);
	hx_review *r = NULL;
	hx_review_save_options so;
	hx_error err;
	char dtdp[8192], out[8192];

	hx_error_init(&err);
	if (!tm || hx_review_load(&r, tm, "doc1", &err) < 0) {
		ok(0, "load for TMX: %s", err.message);
		hx_tm_free(tm);
		return;
	}
	snprintf(dtdp, sizeof(dtdp), "%s/tmx/tmx14.dtd", dir);
	xmlDtdPtr dtd = xmlParseDTD(NULL, BAD_CAST dtdp);
	ok(dtd != NULL, "the TMX 1.4b DTD loads");
	/* a row with no counterpart */
	hx_review_edit(r, 0, 1, "", &err);
	hx_review_confirm(r, 1, true, &err);
	hx_review_save_options_init(&so);
	so.reviewer = "bo";
	snprintf(out, sizeof(out), "%s/review.tmx", tmp);
	ok(hx_review_write_tmx(r, out, &so, &err) == HX_OK, "TMX written (%s)",
	   err.message);
	ok(dtd_valid(out, dtd), "valid TMX 1.4b (DTD)");
	char *x = slurp(out);
	ok(x && count(x, "<tu") - count(x, "<tuv") == 3, "a <tu> per row");
	ok(x && strstr(x, "<prop type=\"x-no-counterpart\">fr</prop>"),
	   "the row without fr is marked x-no-counterpart");
	ok(x && strstr(x, "changeid=\"bo\""), "the reviewer");
	ok(x && strstr(x, "<prop type=\"x-source-file-en\">doc1-en.txt"),
	   "the origin props in the header");
	free(x);
	so.keep_lone = false;
	ok(hx_review_write_tmx(r, out, &so, &err) == HX_OK,
	   "TMX without lone rows");
	x = slurp(out);
	ok(x && count(x, "<tu") - count(x, "<tuv") == 2, "one <tu> less");
	free(x);
	so.date = "yesterday";
	snprintf(out, sizeof(out), "%s/none.tmx", tmp);
	is_int(hx_review_write_tmx(r, out, &so, &err), HX_EINVAL, "bad date");
	ok(access(out, F_OK) != 0, "and no file");
	xmlFreeDtd(dtd);
	hx_review_free(r);
	hx_tm_free(tm);
}

/* Two units with the same English: the older one nobody checked, the
 * newer reviewed. Both score 100 without a penalty (0.95 >= 0.9); the
 * reviewed one must come first, even when the look-up keeps one result
 * and unreviewed ties come before it. */
static void test_ranking(void)
{
	hx_tm *tm = open_tm("rank.db", false);
	hx_tm_batch *b = NULL;
	hx_tm_results *res = NULL;
	hx_error err;
	const char *langs[] = {"en", "fr"};
	const char *src = "The Council decided to remain seized of the matter.";
	int rc;

	hx_error_init(&err);
	if (!tm)
		return;
	rc = hx_tm_batch_begin(&b, tm, "a", &err);
	for (int i = 0; rc == HX_OK && i < 3; i++) {
		char t[128];
		snprintf(t, sizeof(t), "Traduction non vérifiée %d.", i);
		const char *texts[] = {src, t};
		hx_tmx_prop p[] = {{"x-score-fr", "0.95"}};
		rc = hx_tm_batch_add_props(b, langs, texts, 2, p, 1, &err);
	}
	const char *texts[] = {src, "Le Conseil a décidé de rester saisi."};
	hx_tmx_prop p[] = {{"x-score-fr", "1.00"}, {"x-reviewed", "yes"}};
	if (rc == HX_OK)
		rc = hx_tm_batch_add_props(b, langs, texts, 2, p, 2, &err);
	rc = finish(b, rc, &err);
	ok(rc == HX_OK, "three unreviewed units and a reviewed one");
	hx_tm_lookup_options lo;
	hx_tm_lookup_options_init(&lo);
	for (size_t max = 1; max <= 5; max += 4) {
		lo.max = max;
		rc = hx_tm_lookup(&res, tm, "en", "fr", src, strlen(src), &lo,
				  &err);
		ok(rc == HX_OK && hx_tm_results_count(res) >= 1,
		   "max %zu: matches", max);
		if (rc == HX_OK && hx_tm_results_count(res)) {
			const hx_tm_match *m = hx_tm_results_get(res, 0);
			is_int(m->score, 100, "max %zu: the best scores 100",
			       max);
			is_str(m->target, texts[1],
			       "max %zu: the reviewed unit ranks first", max);
		}
		if (max == 5 && hx_tm_results_count(res) == 4)
			ok(hx_tm_results_get(res, 1)->score == 100 &&
			       hx_tm_results_get(res, 1)->unit <
				   hx_tm_results_get(res, 2)->unit,
			   "then the others, older first");
		hx_tm_results_free(res);
		res = NULL;
	}
	/* Pre-translation takes the best-ranked match, so the same. */
	char path[8192];
	snprintf(path, sizeof(path), "%s/new.txt", tmp);
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", src);
		fclose(f);
	}
	hx_doc *doc = NULL;
	hx_pt *pt = NULL;
	hx_pt_options po;
	hx_pt_options_init(&po);
	rc = hx_read_file(&doc, path, NULL, &err);
	if (rc == HX_OK)
		rc = hx_pretranslate(&pt, doc, tm, "en", "fr", &po, &err);
	ok(rc == HX_OK && hx_pt_count(pt) == 1, "pre-translated (%s)",
	   err.message);
	if (pt && hx_pt_count(pt))
		is_str(hx_pt_get(pt, 0)->target, texts[1],
		       "pre-translation takes the reviewed unit");
	hx_pt_free(pt);
	hx_doc_free(doc);
	hx_tm_free(tm);
}

/* From an alignment: the rows are the units hx_multialign_write() gives
 * (lone sentences included) and the name the one the store gives. */
static void test_from_multialign(void)
{
	char pe[8192], pf[8192], out[8192];
	FILE *f;
	hx_multialign *m = NULL;
	hx_multialign_options mo;
	hx_review *r = NULL;
	hx_error err;

	hx_error_init(&err);
	snprintf(pe, sizeof(pe), "%s/a-en.txt", tmp);
	snprintf(pf, sizeof(pf), "%s/a-fr.txt", tmp);
	if ((f = fopen(pe, "w"))) {
		for (int i = 0; i < 4; i++)
			fprintf(f, "%s\n", en[i]);
		fputs("An extra English sentence with no French.\n", f);
		fclose(f);
	}
	if ((f = fopen(pf, "w"))) {
		for (int i = 0; i < 4; i++)
			fprintf(f, "%s\n", i == 1 ? fixed : fr[i]);
		fclose(f);
	}
	const char *paths[] = {pe, pf}, *langs[] = {"en", "fr"};
	hx_multialign_options_init(&mo);
	mo.langs = langs;
	mo.presegmented = true;
	int rc = hx_multialign_files(&m, paths, 2, &mo, &err);
	ok(rc == HX_OK, "aligned (%s)", err.message);
	if (rc < 0)
		return;
	ok(hx_review_from_multialign(&r, m, NULL, &err) == HX_OK,
	   "a review of it");
	snprintf(out, sizeof(out), "%s/a.tmx", tmp);
	hx_multialign_write(NULL, out, m, HX_MULTIALIGN_TMX, 0, &err);
	char *x = slurp(out);
	size_t tus = x ? count(x, "<tu") - count(x, "<tuv") : 0;
	free(x);
	is_int(hx_review_row_count(r), tus, "a row per unit of the TMX (%zu)",
	       tus);
	size_t total = 0;
	for (size_t i = 0; i < hx_review_row_count(r); i++)
		total += hx_review_sentence_count(r, i, 0);
	is_int(total, 5, "every en sentence, the lone one too");
	hx_tm *tm = open_tm("align.db", false);
	ok(tm && hx_multialign_store(NULL, m, tm, 0, &err) == HX_OK, "stored");
	struct origins o = {0};
	if (tm)
		hx_tm_origins(tm, on_origin, &o, &err);
	is_str(o.names[0], hx_review_get_name(r),
	       "named as the store names it (%s)", o.names[0]);
	hx_review *named = NULL;
	ok(hx_review_from_multialign(&named, m, "given", &err) == HX_OK &&
	       !strcmp(hx_review_get_name(named), "given"),
	   "or as given");
	hx_review_free(named);
	/* The store's document, replaced by the review. */
	hx_review_save_stats ss;
	ok(tm && hx_review_save(&ss, r, tm, NULL, &err) == HX_OK,
	   "saved over the stored alignment (%s)", err.message);
	is_int(ss.removed, tus - 1,
	       "its units removed (the lone one was "
	       "never stored)");
	hx_review *back = NULL;
	ok(tm &&
	       hx_review_load(&back, tm, hx_review_get_name(r), &err) == HX_OK,
	   "read back");
	is_str(back ? hx_review_get_lang(back, 0) : NULL, "en",
	       "the pivot first");
	hx_review_free(back);
	hx_tm_free(tm);
	hx_review_free(r);
	hx_multialign_free(m);
}

/* Into a new memory: nothing to remove, the schema stays 4. */
static void test_save_new(void)
{
	hx_tm *ro = open_tm("mem.db", true), *tm = open_tm("fresh.db", false);
	hx_review *r = NULL;
	hx_review_save_stats ss;
	hx_tm_stats st = {0};
	hx_error err;

	hx_error_init(&err);
	ok(ro && tm && hx_review_load(&r, ro, "doc1", &err) == HX_OK,
	   "a review, and a new memory");
	ok(r && hx_review_save(&ss, r, tm, NULL, &err) == HX_OK,
	   "saved into the new memory (%s)", err.message);
	is_int(ss.removed, 0, "nothing removed");
	is_int(ss.added, 3, "3 added");
	if (tm)
		hx_tm_stats_get(&st, tm, &err);
	is_int(st.schema_version, 4, "schema 4: no unit was removed");
	hx_review_free(r);
	hx_tm_free(ro);
	hx_tm_free(tm);
}

/* 1,500 rows and more edits than the undo keeps. */
static void test_many(void)
{
	hx_tm *tm = open_tm("many.db", false);
	hx_tm_batch *b = NULL;
	hx_review *r = NULL;
	hx_error err;
	int rc;

	hx_error_init(&err);
	if (!tm)
		return;
	rc = hx_tm_batch_begin(&b, tm, "big", &err);
	for (int i = 0; rc == HX_OK && i < 1500; i++) {
		char e[64], f[64];
		snprintf(e, sizeof(e), "Paragraph %d is adopted.", i);
		snprintf(f, sizeof(f), "Le paragraphe %d est adopté.", i);
		const char *langs[] = {"en", "fr"}, *texts[] = {e, f};
		rc = hx_tm_batch_add(b, langs, texts, 2, &err);
	}
	rc = finish(b, rc, &err);
	ok(rc == HX_OK && hx_review_load(&r, tm, "big", &err) == HX_OK,
	   "a review of 1500 rows");
	if (!r) {
		hx_tm_free(tm);
		return;
	}
	is_int(hx_review_row_count(r), 1500, "1500 rows");
	for (size_t i = 0; i < 12000 && rc == HX_OK; i++)
		rc = hx_review_confirm(r, i % 1500, i % 3 != 0, &err);
	ok(rc == HX_OK, "12000 edits");
	int n = 0;
	while (hx_review_undo(r, &err) == HX_OK)
		n++;
	is_int(n, 10000, "the last 10000 undone");
	ok(hx_review_is_modified(r), "still modified: the first are kept");
	hx_review_save_stats ss;
	ok(hx_review_save(&ss, r, tm, NULL, &err) == HX_OK, "saved");
	is_int(ss.added, 1500, "1500 units");
	hx_review_free(r);
	hx_tm_free(tm);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("Bail out! usage: test-review DATADIR\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	snprintf(tmp, sizeof(tmp), "/tmp/hexalign-test-review-XXXXXX");
	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	hx_tm *tm = open_tm("mem.db", false);
	ok(tm != NULL, "a new memory");
	if (tm) {
		fill(tm);
		test_origins_and_load(tm);
		test_edits(tm);
		test_save(tm);
		hx_tm_free(tm);
	}
	test_failed_save();
	test_tmx();
	test_save_new();
	test_ranking();
	test_from_multialign();
	test_many();
	char cmd[8300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	return done_testing();
}
