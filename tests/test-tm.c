/*
 * test-tm.c - the translation memory through its public API: import with
 * duplicates and language codes in every spelling, exact / near / fuzzy
 * look-ups, concordance in English and Chinese, export round trip, and the
 * failures a memory must survive: a broken TMX mid-import (the memory
 * stays as it was), a file that is not a memory, a memory from a newer
 * hexalign, a read-only memory, two imports at once, readers during an
 * import.
 *
 * With HX_TEST_PG set (a libpq conninfo of a server where databases can
 * be made: tests/pg_cluster.py), every memory is a fresh PostgreSQL
 * database instead of a file, so one suite covers both backends; the few
 * tests of files only are skipped, and tests of the server's own (two
 * connections, waiting writers, a lost connection) run.
 *
 * Argument: tests/data/tm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include <libpq-fe.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <sqlite3.h>

#include <hexalign/hexalign.h>

#include "tap.h"
#include "tm/tm-doc.h"
#include "tm/tmstore.h"

static char dir[4096], tmp[4096];

/* HX_TEST_PG, or NULL: memories are files. */
static const char *pg;

/* The databases made so far: a name stands for one memory all along. */
static char pg_names[64][64];
static size_t pg_n;

/* conninfo of HX_TEST_PG with another dbname, in buf. */
static const char *pg_conninfo(char *buf, size_t n, const char *db)
{
	char *msg = NULL;
	PQconninfoOption *o = PQconninfoParse(pg, &msg);
	size_t k = 0;
	PQfreemem(msg);
	buf[0] = '\0';
	for (PQconninfoOption *x = o; x && x->keyword; x++)
		if (x->val && x->val[0] && strcmp(x->keyword, "dbname") &&
		    k < n)
			k += (size_t)snprintf(buf + k, n - k, "%s='%s' ",
					      x->keyword, x->val);
	if (k < n)
		snprintf(buf + k, n - k, "dbname=%s", db);
	PQconninfoFree(o);
	return buf;
}

/* Run sql on the server's database db ("" for HX_TEST_PG's own). */
static bool pg_exec(const char *db, const char *sql)
{
	char ci[4096];
	PGconn *c = PQconnectdb(db[0] ? pg_conninfo(ci, sizeof(ci), db) : pg);
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		printf("# %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

/* The database name a memory's name stands for. */
static const char *pg_db(char *buf, size_t n, const char *name)
{
	size_t k = (size_t)snprintf(buf, n, "hxt_%d_", (int)getpid());
	for (const char *s = name; *s && k + 1 < n; s++)
		buf[k++] =
		    *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a')
		    : (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')
			? *s
			: '_';
	buf[k] = '\0';
	return buf;
}

/* The memory called name: with HX_TEST_PG the conninfo of its database
 * (made empty the first time), else a file in the test's folder. */
static const char *mem_path(char *buf, const char *name)
{
	char db[64], sql[128];
	if (!pg) {
		snprintf(buf, 8192, "%s/%s", tmp, name);
		return buf;
	}
	pg_db(db, sizeof(db), name);
	bool made = false;
	for (size_t i = 0; i < pg_n; i++)
		made |= !strcmp(pg_names[i], db);
	if (!made && pg_n < 64) {
		snprintf(sql, sizeof(sql),
			 "CREATE DATABASE %s TEMPLATE template0", db);
		pg_exec("", sql);
		snprintf(pg_names[pg_n++], 64, "%s", db);
	}
	return pg_conninfo(buf, 8192, db);
}

/* Run sql on the memory called name, in its own language (SQLite or
 * PostgreSQL): what another program, or a newer hexalign, does to it. */
static bool mem_exec(const char *name, const char *sql)
{
	char p[8192], db[64];
	if (pg)
		return pg_exec(pg_db(db, sizeof(db), name), sql);
	sqlite3 *d = NULL;
	bool ok_ = sqlite3_open(mem_path(p, name), &d) == SQLITE_OK &&
		   sqlite3_exec(d, sql, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(d);
	return ok_;
}

static const char *path_in(char *buf, const char *base, const char *name)
{
	snprintf(buf, 8192, "%s/%s", base, name);
	return buf;
}

static hx_tm *open_tm(const char *path, bool readonly, int busy)
{
	hx_tm_options o;
	hx_tm *tm = NULL;
	hx_error err;
	hx_tm_options_init(&o);
	o.readonly = readonly;
	o.create = !readonly;
	if (busy >= 0)
		o.busy_timeout_ms = busy;
	hx_error_init(&err);
	if (hx_tm_open(&tm, path, &o, &err) < 0)
		printf("# open %s: %s\n", path, err.message);
	return tm;
}

static size_t units_of(hx_tm *tm)
{
	hx_tm_stats st;
	hx_error err;
	return hx_tm_stats_get(&st, tm, &err) == HX_OK ? st.units : 0;
}

static const hx_tm_match *best(hx_tm_results **r, hx_tm *tm, const char *s,
			       const char *t, const char *q)
{
	hx_error err;
	hx_error_init(&err);
	*r = NULL;
	if (hx_tm_lookup(r, tm, s, t, q, strlen(q), NULL, &err) < 0) {
		printf("# lookup: %s\n", err.message);
		return NULL;
	}
	return hx_tm_results_get(*r, 0);
}

static void test_import_lookup(void)
{
	char p[8192], db[8192];
	const char *files[1];
	hx_tm_import_stats st;
	hx_tm_results *r;
	const hx_tm_match *m;
	hx_error err;
	char l[16];

	hx_error_init(&err);
	is_str(hx_tm_lang_norm(l, sizeof(l), "en-US"), "en", "en-US -> en");
	is_str(hx_tm_lang_norm(l, sizeof(l), "EN"), "en", "EN -> en");
	is_str(hx_tm_lang_norm(l, sizeof(l), "zh-Hans-CN"), "zh",
	       "zh-Hans-CN -> zh");
	is_str(hx_tm_lang_norm(l, sizeof(l), "zh_TW"), "zh-Hant",
	       "zh_TW -> zh-Hant");

	hx_tm *tm = open_tm(mem_path(db, "a.db"), false, -1);
	ok(tm != NULL, "a new memory is created");
	files[0] = path_in(p, dir, "cwg-cop.tmx");
	is_int(hx_tm_import_tmx(tm, files, 1, &st, NULL, NULL, &err), HX_OK,
	       "import cwg-cop.tmx");
	is_int(st.units_read, 7, "7 units read");
	is_int(st.added, 5, "5 added");
	is_int(st.duplicates, 1,
	       "the repeated unit (EN/zh-Hans = en/zh) is a "
	       "duplicate");
	is_int(st.skipped, 1, "the one-language unit is skipped");
	is_int(st.segments, 11, "11 segments");
	is_int(hx_tm_import_tmx(tm, files, 1, &st, NULL, NULL, &err), HX_OK,
	       "import it again");
	is_int(st.added, 0, "nothing new");
	is_int(st.duplicates, 6, "all six bilingual units are duplicates");

	m = best(&r, tm, "en", "zh",
		 "The Council is invited to note the report.");
	ok(m && m->score == 100, "exact match scores 100");
	is_str(m ? m->target : NULL, "请理事会注意本报告。", "with its target");
	is_str(m ? m->origin : NULL, "cwg-cop.tmx", "and its origin");
	hx_tm_results_free(r);

	m = best(&r, tm, "en", "zh",
		 "Resolution 180 (Rev. Bucharest, 2022) of the Plenipotentiary "
		 "Conference applies.");
	ok(m && m->score == 99, "only a number differs: 99 (%d)",
	   m ? m->score : -1);
	ok(m && (m->diff_kinds & HX_MATCH_DIFF_NUMBERS),
	   "and the match says numbers differ");
	hx_tm_results_free(r);

	m = best(&r, tm, "en-GB", "fr",
		 "The Council Working Group on Child Online Protection held "
		 "its twenty-fourth meeting on 30 September 2024.");
	ok(m && m->score >= 90 && m->score < 99,
	   "one word changed in 19: a fuzzy match (%d), looked up as en-GB",
	   m ? m->score : -1);
	ok(m && strstr(m->target, "vingt-troisième") != NULL,
	   "target in French");
	hx_tm_results_free(r);

	m = best(&r, tm, "zh", "en", "请理事会注意本报告。");
	ok(m && m->score == 100 &&
	       !strcmp(m->target, "The Council is invited "
				  "to note the report."),
	   "Chinese to English");
	hx_tm_results_free(r);

	m = best(&r, tm, "en", "zh",
		 "Something entirely different is said here.");
	ok(m == NULL, "no match below the threshold");
	hx_tm_results_free(r);

	m = best(&r, tm, "en", "zh-Hant",
		 "The group discussed safety-by-design and age assurance with "
		 "all stakeholders.");
	ok(m && m->score == 100 && strstr(m->target, "利益攸關方"),
	   "zh-TW is kept apart as zh-Hant");
	hx_tm_results_free(r);
	m = best(&r, tm, "en", "zh",
		 "The group discussed safety-by-design and age assurance with "
		 "all stakeholders.");
	ok(m == NULL, "and is not served as Simplified Chinese");
	hx_tm_results_free(r);

	m = best(&r, tm, "en", "fr",
		 "Press \xee\x80\x80Save\xee\x80\x81 to keep the report.");
	ok(m && m->score == 100, "inline codes are placeholders: exact match");
	ok(m && strstr(m->source, "\xee\x80\x80") != NULL,
	   "the stored source keeps the placeholder");
	hx_tm_results_free(r);

	/* Concordance. */
	r = NULL;
	is_int(hx_tm_concord(&r, tm, "en", "zh", "council", 7, 0, &err), HX_OK,
	       "concordance 'council'");
	is_int(r ? hx_tm_results_count(r) : 0, 2,
	       "two en-zh units hold the word (case-insensitive)");
	if (r && hx_tm_results_count(r)) {
		size_t s, e;
		hx_tm_results_span(r, 0, &s, &e);
		ok(e - s == 7 && !strncmp(hx_tm_results_get(r, 0)->source + s,
					  "Council", 7),
		   "the span points at 'Council'");
	}
	hx_tm_results_free(r);
	r = NULL;
	is_int(hx_tm_concord(&r, tm, "en", "zh", "coun", 4, 0, &err), HX_OK,
	       "concordance 'coun'");
	is_int(r ? hx_tm_results_count(r) : 9, 0,
	       "a part of a word is not a hit in English");
	hx_tm_results_free(r);
	r = NULL;
	is_int(hx_tm_concord(&r, tm, "zh", "en", "理事会", strlen("理事会"), 0,
			     &err),
	       HX_OK, "concordance 理事会");
	is_int(r ? hx_tm_results_count(r) : 0, 2, "two Chinese units hold it");
	hx_tm_results_free(r);
	r = NULL;
	is_int(
	    hx_tm_concord(&r, tm, "zh", "en", "事会", strlen("事会"), 0, &err),
	    HX_OK, "concordance 事会");
	is_int(r ? hx_tm_results_count(r) : 0, 2,
	       "any substring counts in Chinese");
	hx_tm_results_free(r);

	/* A broken TMX in the same import: nothing of it is stored. */
	size_t before = units_of(tm);
	const char *two[2] = {path_in(p, dir, "cwg-cop.tmx"), NULL};
	char p2[8192];
	two[1] = path_in(p2, dir, "truncated.tmx");
	hx_tm *fresh = open_tm(mem_path(db, "b.db"), false, -1);
	int rc = hx_tm_import_tmx(fresh, two, 2, &st, NULL, NULL, &err);
	is_int(rc, HX_EFORMAT, "a truncated TMX fails the import");
	ok(strstr(err.message, "truncated.tmx:") != NULL,
	   "naming the file and line: %s", err.message);
	is_int(units_of(fresh), 0, "and the memory holds nothing of it");
	hx_tm_free(fresh);
	is_int(units_of(tm), before, "the first memory is untouched");

	/* Export and import back. */
	size_t nexp = 0;
	is_int(hx_tm_export_tmx(tm, path_in(p, tmp, "out.tmx"), "en", "zh",
				&nexp, &err),
	       HX_OK, "export en-zh");
	is_int(nexp, 3, "3 en-zh units (the others are en-fr or zh-Hant)");
	hx_tm *back = open_tm(mem_path(db, "c.db"), false, -1);
	files[0] = p;
	is_int(hx_tm_import_tmx(back, files, 1, &st, NULL, NULL, &err), HX_OK,
	       "the export imports");
	is_int(st.added, 3, "with the same units");
	hx_tm_free(back);
	hx_tm_free(tm);
}

static void test_bad_files(void)
{
	char p[8192];
	hx_tm *tm = NULL;
	hx_tm_options o;
	hx_error err;

	hx_tm_options_init(&o);
	hx_error_init(&err);
	if (pg) {
		ok(1, "# SKIP a text file is not a memory: files only");
		ok(1, "# SKIP says which: files only");
	} else {
		is_int(
		    hx_tm_open(&tm, path_in(p, dir, "not-a-db.db"), &o, &err),
		    HX_EFORMAT, "a text file is not a memory");
		ok(strstr(err.message, "not-a-db.db") != NULL, "says which: %s",
		   err.message);
	}
	/* PostgreSQL: a database without the memory's tables. */
	is_int(hx_tm_open(&tm, mem_path(p, "missing.db"), &o, &err),
	       HX_ENOTFOUND, "a missing memory without create");

	/* Another program's tables (one named like a memory's). */
	mem_path(p, "other.db");
	mem_exec("other.db", "CREATE TABLE unit(x int); INSERT INTO unit "
			     "VALUES(1);");
	is_int(hx_tm_open(&tm, p, &o, &err), HX_EFORMAT,
	       "another program's database is refused");
	ok(strstr(err.message, "not a hexalign memory") != NULL, "%s",
	   err.message);

	/* A memory from the future. */
	char f[8192];
	mem_path(f, "future.db");
	tm = open_tm(f, false, -1);
	hx_tm_free(tm);
	ok(mem_exec("future.db", pg ? "UPDATE meta SET value = 99 WHERE key "
				      "= 'schema'"
				    : "PRAGMA user_version = 99"),
	   "the schema number set to 99");
	tm = NULL;
	is_int(hx_tm_open(&tm, f, &o, &err), HX_EFORMAT,
	       "a memory of a newer schema is refused");
	ok(strstr(err.message, "newer hexalign") != NULL, "%s", err.message);
}

static void test_concurrency(void)
{
	char db[8192], p[8192];
	hx_tm_batch *b1 = NULL, *b2 = NULL;
	hx_tm_results *r = NULL;
	hx_error err;
	const char *langs[2] = {"en", "fr"};
	const char *texts[2] = {"The meeting was opened by the Chair.",
				"La séance est ouverte par la présidence."};

	hx_error_init(&err);
	mem_path(db, "a.db");
	hx_tm *w1 = open_tm(db, false, -1);
	hx_tm *w2 = open_tm(db, false, 100);
	hx_tm *rd = open_tm(db, true, -1);
	ok(w1 && w2 && rd, "three handles on one memory");
	size_t before = units_of(rd);
	is_int(hx_tm_batch_begin(&b1, w1, "test", &err), HX_OK,
	       "the first import starts");
	is_int(hx_tm_batch_add(b1, langs, texts, 2, &err), HX_OK,
	       "adds a unit");
	is_int(hx_tm_batch_begin(&b2, w2, "test", &err), HX_EIO,
	       "a second import at the same time fails");
	ok(strstr(err.message, "locked by another import") != NULL, "%s",
	   err.message);
	const hx_tm_match *m = best(
	    &r, rd, "en", "zh", "The Council is invited to note the report.");
	ok(m && m->score == 100, "a reader still looks up during the import");
	hx_tm_results_free(r);
	is_int(units_of(rd), before, "and does not see the unfinished import");
	is_int(hx_tm_batch_commit(b1, NULL, &err), HX_OK, "commit");
	is_int(units_of(rd), before + 1, "now the reader sees it");
	hx_tm_free(w1);
	hx_tm_free(w2);
	hx_tm_free(rd);

	/* A read-only memory file. */
	mem_path(p, "ro.db");
	hx_tm *t = open_tm(p, false, -1);
	hx_tm_free(t);
	chmod(p, 0444);
	if (pg) {
		ok(1, "# SKIP a read-only memory file: files only");
	} else if (geteuid() == 0) {
		ok(1, "# skip read-only file test as root (root writes "
		      "anyway)");
	} else {
		t = open_tm(p, false, -1);
		ok(!t || hx_tm_batch_begin(&b1, t, "x", &err) < 0,
		   "a read-only memory refuses an import");
		hx_tm_batch_free(b1);
		hx_tm_free(t);
	}
	hx_tm *ro = open_tm(p, true, -1);
	hx_error_init(&err);
	ok(ro && hx_tm_batch_begin(&b1, ro, "x", &err) == HX_EIO &&
	       strstr(err.message, "read-only"),
	   "a memory opened read-only refuses an import: %s", err.message);
	hx_tm_free(ro);
}

static int lookup_best(hx_tm *tm, const char *q, bool exhaustive)
{
	hx_tm_lookup_options o;
	hx_tm_results *r = NULL;
	hx_error err;
	int score = -1;
	hx_tm_lookup_options_init(&o);
	o.exhaustive = exhaustive;
	hx_error_init(&err);
	if (hx_tm_lookup(&r, tm, "en", "fr", q, strlen(q), &o, &err) < 0)
		printf("# lookup: %s\n", err.message);
	else if (hx_tm_results_count(r))
		score = hx_tm_results_get(r, 0)->score;
	hx_tm_results_free(r);
	return score;
}

/* Bugs found by the benchmark (bench/tm-bench.sh), each a test first. */
static void test_index_edges(void)
{
	char p[8192];
	hx_tm_batch *b = NULL;
	hx_error err;
	hx_tm_results *r = NULL;

	mem_path(p, "edges.db");
	hx_tm *tm = open_tm(p, false, -1);
	hx_error_init(&err);
	ok(tm && hx_tm_batch_begin(&b, tm, "edges", &err) == HX_OK,
	   "batch for the index edge cases");
	if (!b)
		return;
	const char *unit[][2] = {
	    {"1. Adoption of the agenda.", "1. Adoption de l'ordre du jour."},
	    {"Resolution 180 of 2018", "Résolution 180 de 2018"},
	    {"Resolution 179 of 2018", "Résolution 179 de 2018"},
	    {"Report of l'Assemblée générale",
	     "Rapport de l'Assemblée générale"},
	};
	const char *langs[] = {"en", "fr"};
	for (size_t i = 0; i < sizeof(unit) / sizeof(unit[0]); i++)
		hx_tm_batch_add(b, langs, unit[i], 2, &err);
	/* More units than a posting list is read for, all sharing every
	 * bigram of a short date, and the date itself among them. */
	for (int i = 0; i < 48000; i++) {
		char en[64], fr[64];
		/* Every second one with "1." and "of the": a number and a
		 * bigram too frequent to read for a long query, and all that
		 * "1. Opening of the meeting." shares with its 71 match. */
		snprintf(en, sizeof(en), "%s%d-%d April %d%s",
			 i % 2 ? "" : "1. ", 1 + i % 28, 1 + i / 28 % 28,
			 1990 + i / 784, i % 2 ? "" : ", the end of the year");
		snprintf(fr, sizeof(fr), "%s%d-%d avril %d%s",
			 i % 2 ? "" : "1. ", 1 + i % 28, 1 + i / 28 % 28,
			 1990 + i / 784, i % 2 ? "" : ", la fin de l'année");
		const char *t[] = {en, fr};
		hx_tm_batch_add(b, langs, t, 2, &err);
	}
	const char *date[] = {"27-17 April 2015", "27-17 avril 2015"};
	hx_tm_batch_add(b, langs, date, 2, &err);
	ok(hx_tm_batch_commit(b, NULL, &err) == HX_OK, "committed: %s",
	   err.message);

	/* 1: scores count punctuation, and the bound must too. */
	const char *q = "1. Opening of the meeting.";
	int ex = lookup_best(tm, q, true), ix = lookup_best(tm, q, false);
	ok(ex >= 70 && ix == ex,
	   "a match right at the threshold is found (%d, exhaustive %d)", ix,
	   ex);
	/* 2: every bigram of the query is frequent. */
	ok(lookup_best(tm, "27-17 April 2015", false) == 100,
	   "an exact match among 48,000 that share all its bigrams");
	/* 3: among equal scores, the same numbers first. */
	const hx_tm_match *m =
	    best(&r, tm, "en", "fr", "Resolution 179 of 2022");
	ok(m && m->score == 99 && strstr(m->source, "179"),
	   "ties at 99: the one with the same resolution number first (%s)",
	   m ? m->source : "none");
	hx_tm_results_free(r);
	/* 4: a word inside an elided form is a word. */
	hx_error_init(&err);
	r = NULL;
	ok(hx_tm_concord(&r, tm, "en", "fr", "Assemblée", strlen("Assemblée"),
			 0, &err) == HX_OK &&
	       hx_tm_results_count(r) == 1,
	   "concordance finds 'Assemblée' in \"l'Assemblée\"");
	hx_tm_results_free(r);
	hx_tm_free(tm);
}

/* ---- inline codes: import, export, import again ----------------------- */

/* Every tuv of a TMX as "lang|text|codes", the language normalised as the
 * memory does; units with fewer than two tuvs are left out, as the memory
 * leaves them out. */
struct keys {
	char **v;
	size_t n, cap;
	size_t pua;
};

static void key_add(struct keys *k, const char *s, size_t n)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->v = realloc(k->v, k->cap * sizeof(*k->v));
	}
	k->v[k->n++] = strndup(s, n);
}

static int on_key_unit(void *payload, const hx_tmx_header_read *hdr,
		       const hx_tmx_unit *tu, hx_error *err)
{
	static const char *const kind[] = {"",	 "bpt", "ept", "ph",
					   "it", "hi",	"ut"};
	struct keys *k = payload;
	(void)hdr, (void)err;
	k->pua += tu->pua_replaced;
	if (tu->ntuvs < 2)
		return HX_OK;
	for (size_t i = 0; i < tu->ntuvs; i++) {
		const hx_tmx_tuv_read *v = &tu->tuvs[i];
		char lang[16], *buf;
		size_t len;
		FILE *f = open_memstream(&buf, &len);
		fprintf(f, "%s|%.*s|", hx_tm_lang_norm(lang, 16, v->lang),
			(int)v->len, v->text);
		for (size_t c = 0; c < v->ncodes; c++) {
			const hx_tmx_code *x = &v->codes[c];
			fprintf(f, "[%s '%s' i=%s x=%s type=%s pos=%s assoc=%s",
				kind[x->kind], x->content, x->i ? x->i : "-",
				x->x ? x->x : "-", x->type ? x->type : "-",
				x->pos ? x->pos : "-",
				x->assoc ? x->assoc : "-");
			if (x->kind == HX_TMX_CODE_HI)
				fprintf(f, " end=%zu", x->end);
			fputs("]", f);
		}
		fclose(f);
		key_add(k, buf, len);
		free(buf);
	}
	return HX_OK;
}

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	memset(k, 0, sizeof(*k));
}

static bool keys_has(const struct keys *k, const char *s)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->v[i], s))
			return true;
	return false;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = (size_t)ftell(f);
	rewind(f);
	b = calloc(1, n + 1);
	if (b && fread(b, 1, n, f) != n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
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

/* Import `name`, export it, check the export against the DTD, read it
 * back: every segment with the same text and the same codes; import and
 * export the export again: the same file. */
static void round_trip(const char *name, xmlDtdPtr dtd, size_t want_pua)
{
	char in[8192], db[8192], db2[8192], out[8192], out2[8192], b[4200];
	struct keys orig = {0}, back = {0};
	hx_tm_import_stats st;
	const char *paths[1];
	hx_error err;
	hx_tm *tm;
	size_t units = 0;
	int rc;

	snprintf(b, sizeof(b), "%s/../tmx/read", dir);
	path_in(in, b, name);
	snprintf(b, sizeof(b), "rt-%s.db", name);
	mem_path(db, b);
	snprintf(b, sizeof(b), "rt2-%s.db", name);
	mem_path(db2, b);
	snprintf(out, sizeof(out), "%s/rt-%s", tmp, name);
	snprintf(out2, sizeof(out2), "%s/rt2-%s", tmp, name);
	hx_error_init(&err);
	rc = hx_tmx_read(in, NULL, on_key_unit, &orig, &err);
	is_int(rc, HX_OK, "%s: reads (%s)", name, err.message);

	paths[0] = in;
	if (!(tm = open_tm(db, false, -1))) {
		ok(0, "%s: memory", name);
		return;
	}
	rc = hx_tm_import_tmx(tm, paths, 1, &st, NULL, NULL, &err);
	is_int(rc, HX_OK, "%s: imports (%s)", name, err.message);
	is_int((long long)st.pua_replaced, (long long)want_pua,
	       "%s: %zu private-use characters replaced, counted", name,
	       want_pua);
	rc = hx_tm_export_tmx(tm, out, NULL, NULL, &units, &err);
	is_int(rc, HX_OK, "%s: exports %zu units (%s)", name, units,
	       err.message);
	hx_tm_free(tm);
	ok(dtd_valid(out, dtd), "%s: the export is valid TMX 1.4b (DTD)", name);

	rc = hx_tmx_read(out, NULL, on_key_unit, &back, &err);
	is_int(rc, HX_OK, "%s: the export reads back (%s)", name, err.message);
	is_int((long long)back.n, (long long)st.segments,
	       "%s: %zu segments back", name, st.segments);
	size_t missing = 0;
	for (size_t i = 0; i < back.n; i++)
		if (!keys_has(&orig, back.v[i])) {
			if (!missing++)
				printf("# not in %s: %s\n", name, back.v[i]);
		}
	is_int((long long)missing, 0,
	       "%s: every segment back with its text and codes", name);

	paths[0] = out;
	if ((tm = open_tm(db2, false, -1))) {
		rc = hx_tm_import_tmx(tm, paths, 1, NULL, NULL, NULL, &err);
		if (rc == HX_OK)
			rc = hx_tm_export_tmx(tm, out2, NULL, NULL, NULL, &err);
		hx_tm_free(tm);
		char *x = slurp(out), *y = slurp(out2);
		ok(rc == HX_OK && x && y && !strcmp(x, y),
		   "%s: exported again, the same file (%s)", name,
		   rc ? err.message : "");
		free(x);
		free(y);
	}
	keys_free(&orig);
	keys_free(&back);
}

static void test_codes_round_trip(void)
{
	char b[4200], p[8192];
	xmlDtdPtr dtd;

	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	snprintf(b, sizeof(b), "%s/../tmx", dir);
	dtd = xmlParseDTD(NULL, BAD_CAST path_in(p, b, "tmx14.dtd"));
	ok(dtd != NULL, "the TMX 1.4b DTD loads");
	round_trip("ImportTest2A.tmx", dtd, 0);
	round_trip("ImportTest2C.tmx", dtd, 0);
	round_trip("Paragraph_TM.tmx", dtd, 0);
	round_trip("html_test.tmx", dtd, 0);
	round_trip("test-omegat.tmx", dtd, 0);
	round_trip("codes-round-trip.tmx", dtd, 2);
	xmlFreeDtd(dtd);
}

/* A handle that has looked up keeps the token counts of its source
 * language; units another handle imports since must still be found, with
 * their scores, and the counts read again. */
static void test_grown_memory(void)
{
	char db[8192];
	hx_tm_batch *b = NULL;
	hx_tm_results *r = NULL;
	hx_error err;
	const char *langs[2] = {"en", "zh"};
	const char *first[2] = {"The Council approved the budget for 2024.",
				"理事会批准了2024年预算。"};
	const char *later[2] = {
	    "The Working Group reviewed the draft report on child online "
	    "protection and agreed to submit it to the Council.",
	    "工作组审议了关于保护上网儿童的报告草案，同意提交理事会。"};

	hx_error_init(&err);
	mem_path(db, "grow.db");
	hx_tm *w = open_tm(db, false, -1);
	ok(w && hx_tm_batch_begin(&b, w, "a", &err) == HX_OK &&
	       hx_tm_batch_add(b, langs, first, 2, &err) == HX_OK &&
	       hx_tm_batch_commit(b, NULL, &err) == HX_OK,
	   "a first unit");
	hx_tm *rd = open_tm(db, true, -1);
	const hx_tm_match *m = best(
	    &r, rd, "en", "zh", "The Council approved the budget for 2024.");
	ok(m && m->score == 100, "the reader finds it");
	hx_tm_results_free(r);
	b = NULL;
	ok(hx_tm_batch_begin(&b, w, "b", &err) == HX_OK &&
	       hx_tm_batch_add(b, langs, later, 2, &err) == HX_OK &&
	       hx_tm_batch_commit(b, NULL, &err) == HX_OK,
	   "another handle adds a unit");
	const char *q = "The Working Group reviewed the draft report on child "
			"online protection and agreed to send it to the "
			"Council.";
	for (int k = 0; k < 2; k++) {
		m = best(&r, rd, "en", "zh", q);
		hx_tm_lookup_options o;
		hx_tm_results *x = NULL;
		hx_tm_lookup_options_init(&o);
		o.exhaustive = true;
		int want = hx_tm_lookup(&x, rd, "en", "zh", q, strlen(q), &o,
					&err) == HX_OK &&
				   hx_tm_results_count(x)
			       ? hx_tm_results_get(x, 0)->score
			       : -1;
		hx_tm_results_free(x);
		ok(m && m->score == want && want >= 90,
		   "look-up %d after the import finds the new unit: %d (the "
		   "scan says %d)",
		   k + 1, m ? m->score : -1, want);
		hx_tm_results_free(r);
	}
	hx_tm_free(rd);
	hx_tm_free(w);
}

/* Units of one document, each with the props an alignment gives it. */
struct scored {
	const char *en, *zh, *fr;
	const char *score_zh, *score_fr, *reviewed;
};

static const struct scored scored_units[] = {
    {"The Council approved the budget for 2024.", "理事会批准了2024年预算。",
     "Le Conseil a approuvé le budget de 2024.", "0.90", "0.49", NULL},
    {"The Council approved the plan for 2024.", "理事会批准了2024年计划。",
     NULL, "0.89", NULL, NULL},
    {"The Council approved the report for 2024.", "理事会批准了2024年报告。",
     NULL, "0.50", NULL, "TRUE"},
    {"The Council approved the report for 2025.", "理事会批准了2025年报告。",
     NULL, "0.49", NULL, "no"},
};

/* The penalty on units from unreviewed alignments (hx_tm_match.penalty):
 * its thresholds, the languages whose score counts, x-reviewed, and that
 * the order and min_score come after it. */
static void test_penalty(void)
{
	char db[8192];
	hx_tm_batch *b = NULL;
	hx_tm_results *r = NULL;
	hx_error err;
	const hx_tm_match *m;
	bool added = true;

	hx_error_init(&err);
	mem_path(db, "penalty.db");
	hx_tm *tm = open_tm(db, false, -1);
	if (!tm || hx_tm_batch_begin(&b, tm, "C26/15", &err) < 0) {
		ok(0, "penalty: memory: %s", err.message);
		hx_tm_free(tm);
		return;
	}
	for (size_t i = 0; i < sizeof(scored_units) / sizeof(*scored_units);
	     i++) {
		const struct scored *u = &scored_units[i];
		const char *langs[3] = {"en", "zh", "fr"};
		const char *texts[3] = {u->en, u->zh, u->fr};
		hx_tmx_prop p[3];
		size_t np = 0;
		p[np++] = (hx_tmx_prop){"x-score-zh", u->score_zh};
		if (u->score_fr)
			p[np++] = (hx_tmx_prop){"x-score-fr-FR", u->score_fr};
		if (u->reviewed)
			p[np++] = (hx_tmx_prop){"x-reviewed", u->reviewed};
		added &= hx_tm_batch_add_props(b, langs, texts, u->fr ? 3 : 2,
					       p, np, &err) == HX_OK;
	}
	hx_tmx_prop bad = {"x-score-zh", NULL};
	const char *langs[2] = {"en", "zh"}, *texts[2] = {"a b", "c"};
	is_int(hx_tm_batch_add_props(b, langs, texts, 2, &bad, 1, &err),
	       HX_EINVAL, "penalty: a prop without value is refused");
	hx_error_init(&err);
	ok(added && hx_tm_batch_commit(b, NULL, &err) == HX_OK,
	   "penalty: units stored with their props (%s)", err.message);

	m = best(&r, tm, "en", "zh", scored_units[0].en);
	ok(m && m->score == 100 && m->penalty == 0 && !m->penalty_reason[0],
	   "penalty: x-score 0.90 is no penalty: %d", m ? m->score : -1);
	hx_tm_results_free(r);
	m = best(&r, tm, "en", "fr", scored_units[0].en);
	ok(m && m->score == 90 && m->penalty == 10,
	   "penalty: en-fr reads x-score-fr-FR 0.49: %d", m ? m->score : -1);
	is_str(m ? m->penalty_reason : NULL,
	       "alignment score 0.49, not reviewed", "penalty: the reason");
	hx_tm_results_free(r);
	m = best(&r, tm, "zh", "fr", scored_units[0].zh);
	ok(m && m->score == 90,
	   "penalty: zh-fr, two pairings with the pivot: the weaker counts");
	hx_tm_results_free(r);
	m = best(&r, tm, "zh", "en", scored_units[0].zh);
	ok(m && m->score == 100,
	   "penalty: zh-en, the pivot as target: the source's score (0.90)");
	hx_tm_results_free(r);
	m = best(&r, tm, "en", "zh", scored_units[1].en);
	ok(m && m->score == 95 && m->penalty == 5,
	   "penalty: x-score 0.89 costs 5: %d", m ? m->score : -1);
	/* The plan's unit is an exact 95 now: the budget's, a fuzzy match
	 * without penalty, may come first or after, but by score. */
	for (size_t i = 1; m && i < hx_tm_results_count(r); i++)
		ok(hx_tm_results_get(r, i - 1)->score >=
		       hx_tm_results_get(r, i)->score,
		   "penalty: results ordered after the penalty (%d, %d)",
		   hx_tm_results_get(r, i - 1)->score,
		   hx_tm_results_get(r, i)->score);
	hx_tm_results_free(r);
	m = best(&r, tm, "en", "zh", scored_units[2].en);
	ok(m && m->score == 100 && m->penalty == 0,
	   "penalty: x-reviewed TRUE: none");
	hx_tm_results_free(r);
	/* The 2025 report: its own unit, exact, is 90 after the penalty;
	 * the reviewed 2024 one, differing in a number, is 99 and first. */
	m = best(&r, tm, "en", "zh", scored_units[3].en);
	ok(m && m->unit == 3 && m->score == 99 && hx_tm_results_count(r) > 1 &&
	       hx_tm_results_get(r, 1)->unit == 4 &&
	       hx_tm_results_get(r, 1)->score == 90 &&
	       hx_tm_results_get(r, 1)->penalty == 10,
	   "penalty: x-reviewed no: 10 off, and the exact unit comes after "
	   "a checked 99");
	hx_tm_results_free(r);

	hx_tm_lookup_options o;
	hx_tm_lookup_options_init(&o);
	o.min_score = 95;
	r = NULL;
	ok(hx_tm_lookup(&r, tm, "en", "zh", scored_units[3].en,
			strlen(scored_units[3].en), &o, &err) == HX_OK,
	   "penalty: a look-up at 95");
	for (size_t i = 0; r && i < hx_tm_results_count(r); i++)
		ok(hx_tm_results_get(r, i)->unit != 4 &&
		       hx_tm_results_get(r, i)->score >= 95,
		   "penalty: min_score cuts after the penalty (unit %lld, "
		   "%d)",
		   (long long)hx_tm_results_get(r, i)->unit,
		   hx_tm_results_get(r, i)->score);
	hx_tm_results_free(r);
	o.min_score = 70;
	o.exhaustive = true;
	r = NULL;
	ok(hx_tm_lookup(&r, tm, "en", "zh", scored_units[3].en,
			strlen(scored_units[3].en), &o, &err) == HX_OK &&
	       hx_tm_results_count(r) > 1 &&
	       hx_tm_results_get(r, 1)->unit == 4 &&
	       hx_tm_results_get(r, 1)->score == 90 &&
	       hx_tm_results_get(r, 1)->penalty == 10,
	   "penalty: the exhaustive scan applies it too");
	hx_tm_results_free(r);
	hx_tm_free(tm);
}

static char *read_stream(FILE *f)
{
	long n = ftell(f);
	char *s = malloc((size_t)n + 1);
	rewind(f);
	if (s)
		s[fread(s, 1, (size_t)n, f)] = '\0';
	return s;
}

/* A file of queries is looked up line by line, CR LF and empty lines
 * skipped; the statistics are written as `tm stats` prints them. */
static void test_lookup_file(void)
{
	char p[8192], db[8192], q[8192];
	const char *files[1] = {path_in(p, dir, "cwg-cop.tmx")};
	hx_tm_query_options qo;
	hx_tm_stats st;
	hx_error err;
	size_t line = 99;
	FILE *out = tmpfile(), *in;
	char *text;

	hx_error_init(&err);
	hx_tm *tm = open_tm(mem_path(db, "queries.db"), false, -1);
	hx_tm_import_tmx(tm, files, 1, NULL, NULL, NULL, &err);
	in = fopen(path_in(q, tmp, "queries.txt"), "wb");
	fputs("The Council is invited to note the report.\r\n\n"
	      "Nothing like this is in the memory at all.\n",
	      in);
	fclose(in);
	hx_tm_query_options_init(&qo);
	qo.json = true;
	is_int(hx_tm_lookup_file(&line, out, tm, "en", "zh", q, &qo, &err),
	       HX_OK, "lookup file");
	is_int(line, 0, "no line failed");
	text = read_stream(out);
	ok(text && strstr(text, "\"score\":100") &&
	       strstr(text, "\"score\":null") && !strstr(text, "\r") &&
	       strchr(strchr(text, '\n') + 1, '\n') &&
	       !strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n'),
	   "one JSON line a query, the empty line skipped");
	free(text);
	is_int(hx_tm_lookup_file(&line, out, tm, "en", "zh",
				 path_in(q, tmp, "none.txt"), &qo, &err),
	       HX_ENOTFOUND, "a missing query file");
	is_int(line, 0, "no line failed there either");

	rewind(out);
	hx_tm_stats_get(&st, tm, &err);
	is_int(hx_tm_stats_write(out, &st, &err), HX_OK, "stats written");
	text = read_stream(out);
	static const char head[] = "units      5\nsegments   11\n";
	ok(text && !strncmp(text, head, sizeof(head) - 1),
	   "stats: units and segments first");
	free(text);
	fclose(out);
	hx_tm_free(tm);
}

/* Which memory a --db names, and how a message names a database. */
static void test_store_kind(void)
{
	char p[8192];
	ok(hx__store_is_pg("postgresql://tm@db.example/memory") &&
	       hx__store_is_pg("postgres:///memory"),
	   "a postgresql:// or postgres:// URI is a database");
	ok(hx__store_is_pg("host=/run/postgresql dbname=memory") &&
	       hx__store_is_pg("service=tm"),
	   "so is a libpq conninfo string");
	ok(!hx__store_is_pg("a=b.db") && !hx__store_is_pg("memory.db") &&
	       !hx__store_is_pg("host=x nonsense=1"),
	   "a name with '=' but no libpq keyword is a file");
	FILE *f = fopen(path_in(p, tmp, "dbname=x.db"), "w");
	if (f)
		fclose(f);
	ok(f && !hx__store_is_pg(p) && chdir(tmp) == 0 &&
	       !hx__store_is_pg("dbname=x.db"),
	   "a file named like a conninfo stays a file");
	char *n = hx__store_pg_name("postgresql://tm:hunter2@db.example:5433/"
				    "memory?sslmode=require");
	is_str(n, "postgresql://tm@db.example:5433/memory",
	       "a URI named without its password");
	free(n);
	n = hx__store_pg_name("host=db.example user=tm password=hunter2 "
			      "dbname=memory");
	is_str(n, "postgresql://tm@db.example/memory",
	       "a conninfo named without its password");
	free(n);
}

static bool add_units(hx_tm *tm, hx_tm_batch *b, const char *const (*u)[2],
		      size_t n)
{
	const char *langs[2] = {"en", "fr"};
	hx_error err;
	bool all = b != NULL;
	for (size_t i = 0; all && i < n; i++)
		all = hx_tm_batch_add(b, langs, u[i], 2, &err) == HX_OK;
	all = all && hx_tm_batch_commit(b, NULL, &err) == HX_OK;
	if (!all)
		printf("# add_units: %s\n", err.message);
	(void)tm;
	return all;
}

/* A document replaced (remove_origin): its units go, the schema moves to
 * HX_TM_SCHEMA_REMOVED, and no later unit gets a removed unit's number
 * (unit_floor), even when the removed ones were the last. */
static void test_replace(void)
{
	static const char *const doc[][2] = {
	    {"The first paragraph is adopted.",
	     "Le premier paragraphe est adopté."},
	    {"The second paragraph is adopted.",
	     "Le deuxième paragraphe est adopté."},
	    {"The third paragraph is adopted.",
	     "Le troisième paragraphe est adopté."}};
	static const char *const other[][2] = {
	    {"The meeting rose at noon.", "La séance est levée à midi."}};
	static const char *const amended[][2] = {
	    {"The first paragraph is adopted as amended.",
	     "Le premier paragraphe est adopté tel que modifié."}};
	char db[8192];
	hx_tm_batch *b = NULL;
	hx_tm_results *r = NULL;
	hx_tm_stats st = {0};
	size_t removed = 99;
	hx_error err;

	hx_error_init(&err);
	hx_tm *tm = open_tm(mem_path(db, "replace.db"), false, -1);
	hx_tm_batch_begin(&b, tm, "doc", &err);
	ok(add_units(tm, b, doc, 3), "replace: a document of 3 units");
	b = NULL;
	hx_tm_batch_begin(&b, tm, "other", &err);
	ok(add_units(tm, b, other, 1), "replace: another of 1 (unit 4)");
	b = NULL;
	is_int(hx__tm_batch_begin_replace(&b, tm, "doc", &removed, &err), HX_OK,
	       "replace: the document's batch starts");
	is_int(removed, 3, "replace: 3 units taken out");
	hx_tm_batch_free(b);
	b = NULL;
	is_int(units_of(tm), 4, "replace: a batch freed puts them back");
	hx__tm_batch_begin_replace(&b, tm, "doc", &removed, &err);
	ok(add_units(tm, b, amended, 1), "replace: 1 unit instead");
	b = NULL;
	hx_tm_stats_get(&st, tm, &err);
	is_int(st.units, 2, "replace: 2 units now");
	is_int(st.schema_version, 5, "replace: schema 5 (units removed)");
	const hx_tm_match *m = best(&r, tm, "en", "fr", amended[0][0]);
	ok(m && m->score == 100 && m->unit == 5,
	   "replace: the new unit is number 5 (%lld)",
	   m ? (long long)m->unit : -1);
	hx_tm_results_free(r);
	m = best(&r, tm, "en", "fr", doc[1][0]);
	ok(!m || m->unit == 5, "replace: a removed unit is never a match");
	hx_tm_results_free(r);
	/* The last unit removed: the next is still above it. */
	b = NULL;
	hx__tm_batch_begin_replace(&b, tm, "doc", &removed, &err);
	ok(add_units(tm, b, NULL, 0) && removed == 1,
	   "replace: the document emptied");
	b = NULL;
	hx_tm_batch_begin(&b, tm, "later", &err);
	ok(add_units(tm, b, doc + 1, 1), "replace: a later unit");
	m = best(&r, tm, "en", "fr", doc[1][0]);
	ok(m && m->score == 100 && m->unit == 6,
	   "replace: it is number 6, not 5 again (%lld)",
	   m ? (long long)m->unit : -1);
	hx_tm_results_free(r);
	hx_tm_free(tm);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* PostgreSQL's own: two connections, a waiting writer, a bad conninfo, a
 * connection the server drops. */
static void test_pg_server(void)
{
	static const char *const unit[][2] = {
	    {"The budget was approved by consensus.",
	     "Le budget a été approuvé par consensus."}};
	const char *langs[2] = {"en", "fr"};
	char db[8192], name[64], sql[256];
	hx_tm_batch *b1 = NULL, *b2 = NULL;
	hx_tm_results *r = NULL;
	hx_error err;

	if (!pg) {
		for (int i = 0; i < 10; i++)
			ok(1, "# SKIP PostgreSQL only (HX_TEST_PG unset)");
		return;
	}
	hx_error_init(&err);
	mem_path(db, "server.db");
	hx_tm *w = open_tm(db, false, -1), *w2 = open_tm(db, false, 300);
	hx_tm *rd = open_tm(db, true, -1);
	const hx_tm_match *m = best(&r, rd, "en", "fr", unit[0][0]);
	ok(w && w2 && rd && !m, "pg: three connections, nothing found yet");
	hx_tm_results_free(r);
	hx_tm_batch_begin(&b1, w, "pg", &err);
	ok(add_units(w, b1, unit, 1), "pg: a unit committed through one");
	m = best(&r, rd, "en", "fr", unit[0][0]);
	ok(m && m->score == 100, "pg: the other finds it without reopening");
	hx_tm_results_free(r);

	b1 = NULL;
	hx_tm_batch_begin(&b1, w, "pg", &err);
	hx_tm_batch_add(b1, langs, unit[0], 2, &err);
	double t0 = now_ms();
	int rc = hx_tm_batch_begin(&b2, w2, "pg", &err);
	double waited = now_ms() - t0;
	ok(rc == HX_EIO && strstr(err.message, "locked by another import") &&
	       waited >= 250,
	   "pg: a second writer waits (%.0f ms of 300) and fails: %s", waited,
	   err.message);
	hx_tm_batch_commit(b1, NULL, &err);
	b2 = NULL;
	ok(hx_tm_batch_begin(&b2, w2, "pg", &err) == HX_OK &&
	       hx_tm_batch_commit(b2, NULL, &err) == HX_OK,
	   "pg: and writes once the first has committed");

	hx_tm *bad = NULL;
	hx_tm_options o;
	hx_tm_options_init(&o);
	rc = hx_tm_open(&bad,
			"host=/nonexistent user=tm password=hunter2 "
			"dbname=memory",
			&o, &err);
	ok(rc == HX_EIO && !strstr(err.message, "hunter2") &&
	       strstr(err.message, "postgresql://tm@/nonexistent/memory"),
	   "pg: an unreachable server: HX_EIO, no password: %s", err.message);
	rc = hx_tm_open(&bad, "postgresql://tm:hunter2@localhost:1/memory", &o,
			&err);
	ok(rc == HX_EIO && !strstr(err.message, "hunter2"), "pg: a URI too: %s",
	   err.message);

	/* The server drops every connection to the memory (a restart). */
	snprintf(sql, sizeof(sql),
		 "SELECT pg_terminate_backend(pid, 10000) FROM "
		 "pg_stat_activity "
		 "WHERE datname = '%s' AND pid <> pg_backend_pid()",
		 pg_db(name, sizeof(name), "server.db"));
	pg_exec("", sql);
	hx_error_init(&err);
	hx_tm_stats st;
	rc = hx_tm_stats_get(&st, rd, &err);
	ok(rc == HX_EIO && strstr(err.message, name),
	   "pg: a lost connection is HX_EIO naming the database: %s",
	   err.message);
	ok(hx_tm_stats_get(&st, rd, &err) == HX_OK && st.units == 1,
	   "pg: the next call connects again (%s)", err.message);
	m = best(&r, rd, "en", "fr", unit[0][0]);
	ok(m && m->score == 100, "pg: and looks up");
	hx_tm_results_free(r);
	hx_tm_free(w);
	hx_tm_free(w2);
	hx_tm_free(rd);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("Bail out! usage: test-tm DATADIR\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	pg = getenv("HX_TEST_PG") && *getenv("HX_TEST_PG")
		 ? getenv("HX_TEST_PG")
		 : NULL;
	printf("# memories: %s\n", pg ? "PostgreSQL (HX_TEST_PG)" : "files");
	snprintf(tmp, sizeof(tmp), "/tmp/hexalign-test-tm-XXXXXX");
	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_import_lookup();
	test_bad_files();
	test_concurrency();
	test_grown_memory();
	test_index_edges();
	test_codes_round_trip();
	test_penalty();
	test_lookup_file();
	test_replace();
	test_pg_server();
	test_store_kind();
	for (size_t i = 0; i < pg_n; i++) {
		char sql[4200];
		snprintf(sql, sizeof(sql),
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			 pg_names[i]);
		pg_exec("", sql);
	}
	char cmd[8300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	return done_testing();
}
