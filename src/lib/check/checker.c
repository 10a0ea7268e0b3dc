/*
 * checker.c - the findings framework: the rule table, the findings list,
 * the checker (rule selection, dictionaries, accepted words) and the one
 * way a rule reports (check-private.h). It calls no rule: check.c hands
 * the paragraphs to them, and what a rule finds is decided in its file.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/check.h>
#include <hexalign/termbase.h>
#include <hexalign/termmatch.h>

#include "base/error-private.h"
#include "base/text.h"
#include "check/check-private.h"
#include "check/spell.h"

/* The order is the hx__rule enum's; ids are an interface (scripts select
 * and filter by them) and never change once released. */
static const hx_rule rules[HX_R_COUNT] = {
    [HX_R_TERM_DEPRECATED] = {"term-deprecated", HX_SEVERITY_ERROR,
			      "a term the term base marks deprecated or "
			      "superseded; the preferred term is suggested"},
    [HX_R_TERM_VARIANT] = {"term-variant", HX_SEVERITY_WARNING,
			   "a term written in another form (case, hyphen, "
			   "space, full-width) than its usual or preferred "
			   "one"},
    [HX_R_SPELLING] = {"spelling", HX_SEVERITY_WARNING,
		       "a word that neither hunspell nor the word lists "
		       "know (en, fr, es, ru, ar)"},
    [HX_R_DOUBLE_WORD] = {"typo-double-word", HX_SEVERITY_ERROR,
			  "a word written twice in a row (\"the the\")"},
    [HX_R_DOUBLE_SPACE] = {"typo-double-space", HX_SEVERITY_WARNING,
			   "two or more spaces between words"},
    [HX_R_BRACKET] = {"typo-bracket", HX_SEVERITY_ERROR,
		      "a bracket without its partner, or closed by the wrong "
		      "one: ( ) [ ] { } （ ） 【 】"},
    [HX_R_QUOTE] = {"typo-quote", HX_SEVERITY_WARNING,
		    "a quotation mark without its partner: “ ” « » „ 「 」 "
		    "『 』 《 》 \""},
    [HX_R_ZH_PUNCT] = {"typo-zh-ascii-punct", HX_SEVERITY_WARNING,
		       "ASCII punctuation in Chinese text (',' for '，')"},
    [HX_R_DIGIT_WIDTH] = {"typo-digit-width", HX_SEVERITY_WARNING,
			  "full-width digits in a document that also uses "
			  "ASCII digits"},
    [HX_R_BI_TERM_MISSING] = {"bi-term-missing", HX_SEVERITY_WARNING,
			      "a source term whose approved equivalent is "
			      "not in the target"},
    [HX_R_BI_NUMBER] = {"bi-number", HX_SEVERITY_ERROR,
			"a number in one language version and not in the "
			"other"},
    [HX_R_BI_DATE] = {"bi-date", HX_SEVERITY_ERROR,
		      "a date in one language version and not in the other"},
    [HX_R_BI_SYMBOL] = {"bi-symbol", HX_SEVERITY_ERROR,
			"a document symbol (C26/15, A/RES/70/1) in one "
			"language version and not in the other"},
    [HX_R_BI_UNTRANSLATED] = {"bi-untranslated", HX_SEVERITY_ERROR,
			      "a target still written in the source "
			      "language"},
    [HX_R_BI_EMPTY] = {"bi-empty", HX_SEVERITY_ERROR,
		       "an empty target for a source with text"},
    [HX_R_BI_SAME] = {"bi-same-as-source", HX_SEVERITY_WARNING,
		      "a target identical to its source, which has words "
		      "to translate"},
    [HX_R_BI_INCONSISTENT_TARGET] = {"bi-inconsistent-target",
				     HX_SEVERITY_WARNING,
				     "one source sentence translated in "
				     "different ways"},
    [HX_R_BI_INCONSISTENT_SOURCE] = {"bi-inconsistent-source",
				     HX_SEVERITY_WARNING,
				     "one translation standing for "
				     "different source sentences"},
    [HX_R_BI_CODE_MISSING] = {"bi-code-missing", HX_SEVERITY_ERROR,
			      "an inline code of the source (formatting, a "
			      "link, a note reference) not in the target"},
    [HX_R_BI_CODE_EXTRA] = {"bi-code-extra", HX_SEVERITY_ERROR,
			    "an inline code in the target that the source "
			    "does not have, or has fewer times"},
    [HX_R_BI_CODE_ORDER] = {"bi-code-order", HX_SEVERITY_WARNING,
			    "the source's inline codes in another order in "
			    "the target"},
    [HX_R_BI_CODE_NESTING] = {"bi-code-nesting", HX_SEVERITY_ERROR,
			      "in the target, a code pair ended before it "
			      "starts, overlapping another, or never "
			      "ended"},
};

const char *hx_severity_str(hx_severity s)
{
	switch (s) {
	case HX_SEVERITY_ERROR:
		return "error";
	case HX_SEVERITY_WARNING:
		return "warning";
	case HX_SEVERITY_INFO:
		break;
	}
	return "info";
}

size_t hx_rule_count(void)
{
	return HX_R_COUNT;
}

const hx_rule *hx_rule_get(size_t i)
{
	return i < HX_R_COUNT ? &rules[i] : NULL;
}

const hx_rule *hx_rule_find(const char *id)
{
	for (size_t i = 0; id && i < HX_R_COUNT; i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

#define MAX_LANGS 8

struct speller_slot {
	char lang[8];
	hx__speller *sp;
	bool tried;
	hx_error err; /* why sp is NULL */
};

struct matcher_slot {
	char lang[8];
	hx_termmatch *m;
	bool tried;
};

struct hx_checker {
	bool on_rule[HX_R_COUNT];
	char *dict_dir, *wordlist_dir;
	struct speller_slot slots[MAX_LANGS];
	const hx_termbase *tb;
	struct matcher_slot matchers[MAX_LANGS];
};

/* --- Findings ---------------------------------------------------------- */

struct item {
	hx_finding f;
	size_t file_idx; /* order of first appearance of f.file */
	size_t seq;	 /* insertion order, so the sort is stable */
};

struct hx_findings {
	struct item *v;
	size_t n, cap;
	char **files;
	size_t nfiles, capfiles;
};

int hx_findings_new(hx_findings **out, hx_error *err)
{
	assert(out);
	*out = calloc(1, sizeof(**out));
	return *out ? HX_OK : hx__error_set(err, HX_ENOMEM, "out of memory");
}

static void item_free(struct item *it)
{
	free((char *)it->f.message);
	free((char *)it->f.found);
	free((char *)it->f.suggestion);
	free((char *)it->f.context);
}

void hx_findings_free(hx_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		item_free(&f->v[i]);
	for (size_t i = 0; i < f->nfiles; i++)
		free(f->files[i]);
	free(f->files);
	free(f->v);
	free(f);
}

size_t hx_findings_count(const hx_findings *f)
{
	assert(f);
	return f->n;
}

const hx_finding *hx_findings_get(const hx_findings *f, size_t i)
{
	assert(f);
	return i < f->n ? &f->v[i].f : NULL;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int r;

	if (x->file_idx != y->file_idx)
		return x->file_idx < y->file_idx ? -1 : 1;
	if (x->f.line != y->f.line)
		return x->f.line < y->f.line ? -1 : 1;
	if (x->f.column != y->f.column)
		return x->f.column < y->f.column ? -1 : 1;
	if ((r = strcmp(x->f.rule, y->f.rule)))
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void hx_findings_sort(hx_findings *f)
{
	assert(f);
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp_item);
}

int hx_findings_max_severity(const hx_findings *f)
{
	int m = -1;

	assert(f);
	for (size_t i = 0; i < f->n; i++)
		if ((int)f->v[i].f.severity > m)
			m = (int)f->v[i].f.severity;
	return m;
}

/* The interned copy of a file name, and its index. */
const char *hx__findings_file(hx_findings *f, const char *name, size_t *idx)
{
	for (size_t i = f->nfiles; i-- > 0;)
		if (!strcmp(f->files[i], name)) {
			*idx = i;
			return f->files[i];
		}
	if (f->nfiles == f->capfiles) {
		size_t cap = f->capfiles ? 2 * f->capfiles : 8;
		char **v = realloc(f->files, cap * sizeof(*v));
		if (!v)
			return NULL;
		f->files = v;
		f->capfiles = cap;
	}
	if (!(f->files[f->nfiles] = strdup(name)))
		return NULL;
	*idx = f->nfiles;
	return f->files[f->nfiles++];
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

size_t hx__cp_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static void report_v(struct hx__ctx *c, enum hx__rule r,
		     const struct hx__para *p, size_t at, const char *found,
		     size_t found_len, size_t start, size_t end,
		     const char *suggestion, const char *fmt, va_list ap)
{
	hx_findings *f = c->out;
	struct item it = {0};
	char msg[1024];

	if (c->rc || !c->ck->on_rule[r])
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* The term base and the set of documents may both see one variant:
	 * one finding per rule and place. */
	for (size_t i = f->n, k = 0; i-- > 0 && k < 64; k++) {
		const struct item *o = &f->v[i];
		bool other = r == HX_R_TERM_VARIANT &&
			     o->f.rule == rules[HX_R_TERM_DEPRECATED].id;
		if (o->f.line == p->line &&
		    (o->f.rule == rules[r].id || other) &&
		    o->f.column ==
			p->col_base + hx__cp_count(p->text, at) + 1 &&
		    (other || (strlen(o->f.found) == found_len &&
			       !memcmp(o->f.found, found, found_len))) &&
		    !strcmp(o->f.file, p->file ? p->file : "-"))
			return;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 32;
		struct item *v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			goto nomem;
		f->v = v;
		f->cap = cap;
	}
	it.f.file = hx__findings_file(f, p->file ? p->file : "-", &it.file_idx);
	it.f.line = p->line;
	it.f.column = p->col_base + hx__cp_count(p->text, at) + 1;
	it.f.rule = rules[r].id;
	it.f.severity = rules[r].severity;
	it.f.message = strdup(msg);
	it.f.found = dup_n(found, found_len);
	it.f.suggestion = strdup(suggestion ? suggestion : "");
	it.f.context = dup_n(p->text, p->len);
	it.f.context_start = start;
	it.f.context_end = end;
	it.seq = f->n;
	if (!it.f.file || !it.f.message || !it.f.found || !it.f.suggestion ||
	    !it.f.context) {
		item_free(&it);
		goto nomem;
	}
	f->v[f->n++] = it;
	return;
nomem:
	c->rc = HX_ENOMEM;
}

void hx__report(struct hx__ctx *c, enum hx__rule r, const struct hx__para *p,
		size_t start, size_t end, const char *suggestion,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(c, r, p, start, p->text + start, end - start, start, end,
		 suggestion, fmt, ap);
	va_end(ap);
}

void hx__report_other(struct hx__ctx *c, enum hx__rule r,
		      const struct hx__para *p, const char *found,
		      size_t found_len, const char *suggestion, const char *fmt,
		      ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(c, r, p, 0, found, found_len, 0, 0, suggestion, fmt, ap);
	va_end(ap);
}

void hx__report_at(struct hx__ctx *c, enum hx__rule r, const struct hx__para *p,
		   size_t at, const char *found, size_t found_len,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(c, r, p, at, found, found_len, at, at, NULL, fmt, ap);
	va_end(ap);
}

bool hx__protected(const struct hx__para *p, size_t start, size_t end,
		   bool latin)
{
	for (size_t i = 0; i < p->nanchors; i++) {
		const hx__anchor *a = &p->anchors[i];
		if (a->start >= end)
			break;
		if (a->end <= start)
			continue;
		if (a->type == HX_ANCHOR_URL || a->type == HX_ANCHOR_SYMBOL ||
		    (latin && a->type == HX_ANCHOR_LATIN))
			return true;
	}
	return false;
}

/* --- The checker ------------------------------------------------------- */

void hx_check_options_init(hx_check_options *opts)
{
	assert(opts);
	memset(opts, 0, sizeof(*opts));
}

int hx_checker_new(hx_checker **out, const hx_check_options *opts,
		   hx_error *err)
{
	hx_checker *ck;

	assert(out);
	*out = NULL;
	if (!(ck = calloc(1, sizeof(*ck))))
		goto nomem;
	for (size_t i = 0; i < HX_R_COUNT; i++)
		ck->on_rule[i] = true;
	if (opts && opts->dict_dir && !(ck->dict_dir = strdup(opts->dict_dir)))
		goto nomem;
	if (opts && opts->wordlist_dir &&
	    !(ck->wordlist_dir = strdup(opts->wordlist_dir)))
		goto nomem;
	*out = ck;
	return HX_OK;
nomem:
	hx_checker_free(ck);
	return hx__error_set(err, HX_ENOMEM, "out of memory");
}

void hx_checker_free(hx_checker *ck)
{
	if (!ck)
		return;
	for (size_t i = 0; i < MAX_LANGS; i++) {
		hx__speller_free(ck->slots[i].sp);
		hx_termmatch_free(ck->matchers[i].m);
	}
	free(ck->dict_dir);
	free(ck->wordlist_dir);
	free(ck);
}

bool hx__on(const struct hx__ctx *c, enum hx__rule r)
{
	return c->ck->on_rule[r];
}

bool hx_checker_is_on(const hx_checker *ck, const char *id)
{
	const hx_rule *r = hx_rule_find(id);
	assert(ck);
	return r && ck->on_rule[r - rules];
}

/* Mark in sel[] the rules a list names; HX_EINVAL for a name that is
 * none. "typo-*" names every rule with that prefix. */
static int parse_list(bool sel[HX_R_COUNT], const char *list, hx_error *err)
{
	const char *s = list;

	memset(sel, 0, HX_R_COUNT * sizeof(*sel));
	while (*s) {
		size_t n = strcspn(s, ",");
		bool star = n > 0 && s[n - 1] == '*', any = false;
		size_t m = star ? n - 1 : n;
		for (size_t i = 0; n && i < HX_R_COUNT; i++) {
			const char *id = rules[i].id;
			if (star ? !strncmp(id, s, m)
				 : strlen(id) == n && !strncmp(id, s, n)) {
				sel[i] = true;
				any = true;
			}
		}
		if (n && !any)
			return hx__error_set(err, HX_EINVAL,
					     "unknown rule '%.*s' (see "
					     "--list-rules)",
					     (int)n, s);
		s += n;
		if (*s == ',')
			s++;
	}
	return HX_OK;
}

int hx_checker_only(hx_checker *ck, const char *list, hx_error *err)
{
	bool sel[HX_R_COUNT];
	int rc;

	assert(ck && list);
	if ((rc = parse_list(sel, list, err)) < 0)
		return rc;
	memcpy(ck->on_rule, sel, sizeof(sel));
	return HX_OK;
}

int hx_checker_ignore(hx_checker *ck, const char *list, hx_error *err)
{
	bool sel[HX_R_COUNT];
	int rc;

	assert(ck && list);
	if ((rc = parse_list(sel, list, err)) < 0)
		return rc;
	for (size_t i = 0; i < HX_R_COUNT; i++)
		if (sel[i])
			ck->on_rule[i] = false;
	return HX_OK;
}

static struct speller_slot *slot_of(hx_checker *ck, const char *lang)
{
	char l[3] = {lang[0], lang[0] ? lang[1] : 0, 0};

	for (size_t i = 0; i < MAX_LANGS; i++) {
		struct speller_slot *s = &ck->slots[i];
		if (!s->lang[0]) {
			memcpy(s->lang, l, sizeof(l));
			return s;
		}
		if (!strcmp(s->lang, l))
			return s;
	}
	return NULL;
}

static int read_wordlist(hx__speller *sp, const char *path, hx_error *err);
static int add_parts(hx__speller *sp, const char *w, size_t len);

static struct speller_slot *slot_load(hx_checker *ck, const char *lang)
{
	struct speller_slot *s = slot_of(ck, lang);
	char path[4096];

	if (!s || s->tried)
		return s;
	s->tried = true;
	hx_error_init(&s->err);
	if (hx__speller_open(&s->sp, ck->dict_dir, s->lang, &s->err) < 0)
		return s;
	/* the term base's words are words */
	for (size_t i = 0; ck->tb && i < hx_termbase_count(ck->tb); i++) {
		const hx_term *t = hx_termbase_term(ck->tb, i);
		if (!strcmp(t->lang, s->lang))
			add_parts(s->sp, t->text, t->len);
	}
	if (ck->wordlist_dir) {
		snprintf(path, sizeof(path), "%s/%s.txt", ck->wordlist_dir,
			 s->lang);
		if (read_wordlist(s->sp, path, &s->err) < 0 &&
		    s->err.code != HX_ENOTFOUND) {
			hx__speller_free(s->sp);
			s->sp = NULL;
		}
	}
	return s;
}

size_t hx_checker_unsuggested(const hx_checker *ck)
{
	size_t n = 0;

	for (size_t i = 0; i < MAX_LANGS; i++)
		if (ck->slots[i].sp)
			n += hx__speller_unsuggested(ck->slots[i].sp);
	return n;
}

struct hx__speller *hx__checker_speller(hx_checker *ck, const char *lang)
{
	struct speller_slot *s = slot_load(ck, lang);
	return s ? s->sp : NULL;
}

int hx_checker_spell_ready(hx_checker *ck, const char *lang, hx_error *err)
{
	struct speller_slot *s;

	assert(ck && lang);
	if (!(s = slot_load(ck, lang)))
		return hx__error_set(err, HX_EINVAL, "too many languages");
	if (s->sp)
		return HX_OK;
	if (err)
		*err = s->err;
	return s->err.code;
}

const hx_termbase *hx__checker_termbase(const hx_checker *ck)
{
	return ck->tb;
}

/* Inflected forms through hunspell: "stakeholders" is the term
 * "stakeholder". */
static int stem_cb(void *payload, const char *word, size_t len,
		   hx_termmatch_stem_add add, void *sink, hx_error *err)
{
	hx__speller *sp = payload;
	char **stems;
	size_t n;

	if (hx__speller_stem(sp, word, len, &stems, &n) < 0)
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		add(sink, stems[i], strlen(stems[i]));
	hx__speller_stems_free(stems, n);
	return HX_OK;
}

hx_termmatch *hx__checker_matcher(hx_checker *ck, const char *lang)
{
	char l[3] = {lang[0], lang[0] ? lang[1] : 0, 0};
	hx_termmatch_options o;

	if (!ck->tb)
		return NULL;
	for (size_t i = 0; i < MAX_LANGS; i++) {
		struct matcher_slot *m = &ck->matchers[i];
		if (m->lang[0] && strcmp(m->lang, l))
			continue;
		if (m->tried)
			return m->m;
		memcpy(m->lang, l, sizeof(l));
		m->tried = true;
		hx_termmatch_options_init(&o);
		hx__speller *sp = hx__checker_speller(ck, l);
		if (sp) {
			o.stem = stem_cb;
			o.stem_payload = sp;
		}
		if (hx_termmatch_new(&m->m, ck->tb, l, &o, NULL) < 0)
			m->m = NULL;
		return m->m;
	}
	return NULL;
}

int hx_checker_set_termbase(hx_checker *ck, const hx_termbase *tb,
			    hx_error *err)
{
	assert(ck);
	(void)err;
	for (size_t i = 0; i < MAX_LANGS; i++) {
		hx_termmatch_free(ck->matchers[i].m);
		memset(&ck->matchers[i], 0, sizeof(ck->matchers[i]));
		/* dictionaries loaded before take the terms now */
		for (size_t k = 0;
		     tb && ck->slots[i].sp && k < hx_termbase_count(tb); k++) {
			const hx_term *t = hx_termbase_term(tb, k);
			if (!strcmp(t->lang, ck->slots[i].lang))
				add_parts(ck->slots[i].sp, t->text, t->len);
		}
	}
	ck->tb = tb;
	return HX_OK;
}

/* Accept each part of a term: "child online protection" is three words
 * to the speller, and "CWG-COP" two besides itself. */
static int add_parts(hx__speller *sp, const char *w, size_t len)
{
	size_t a = 0;

	hx__speller_add(sp, w, len);
	for (size_t k = 0; k <= len; k++) {
		if (k < len && w[k] != ' ' && w[k] != '-' && w[k] != '/')
			continue;
		if (k > a && (a > 0 || k < len))
			hx__speller_add(sp, w + a, k - a);
		a = k + 1;
	}
	return HX_OK;
}

int hx_checker_add_word(hx_checker *ck, const char *lang, const char *word,
			size_t len, hx_error *err)
{
	hx__speller *sp;
	size_t bad;

	assert(ck && lang && (word || !len));
	if (!hx__utf8_valid(word, len, &bad))
		return hx__error_set(err, HX_EFORMAT,
				     "word list entry: invalid UTF-8 at byte "
				     "%zu",
				     bad);
	/* Without a dictionary there is no spelling to accept words for. */
	if (!(sp = hx__checker_speller(ck, lang)))
		return HX_OK;
	return add_parts(sp, word, len);
}

/* One word a line; '#' starts a comment line. sp may be NULL (validate
 * only). */
static int read_wordlist(hx__speller *sp, const char *path, hx_error *err)
{
	char line[512];
	size_t lineno = 0, bad;
	FILE *f = fopen(path, "rb");

	if (!f)
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
			     line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (!n || line[0] == '#')
			continue;
		if (!hx__utf8_valid(line, n, &bad)) {
			fclose(f);
			return hx__error_set(err, HX_EFORMAT,
					     "%s:%zu: invalid UTF-8", path,
					     lineno);
		}
		if (sp)
			add_parts(sp, line, n);
	}
	if (ferror(f)) {
		fclose(f);
		return hx__error_set(err, HX_EIO, "%s: read error", path);
	}
	fclose(f);
	return HX_OK;
}

int hx_checker_load_wordlist(hx_checker *ck, const char *lang, const char *path,
			     hx_error *err)
{
	assert(ck && lang && path);
	return read_wordlist(hx__checker_speller(ck, lang), path, err);
}
