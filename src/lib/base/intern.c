/*
 * intern.c - string interning with open addressing (linear probing, table
 * kept at most half full) and FNV-1a hashing. Strings live in one growing
 * arena; ids index an offset array, so an id stays valid as the table grows.
 */
#include <stdlib.h>
#include <string.h>

#include "base/intern.h"

struct hx__intern {
	char *arena;
	size_t arena_len, arena_cap;
	size_t *off; /* off[id]: start of string id in the arena */
	uint32_t *len;
	size_t n, cap_ids;
	uint32_t *slots; /* id + 1, 0 = empty */
	size_t nslots;	 /* power of two */
};

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a 64, offset basis */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL; /* FNV prime */
	}
	return h;
}

hx__intern *hx__intern_new(void)
{
	hx__intern *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->nslots = 1024;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void hx__intern_free(hx__intern *t)
{
	if (!t)
		return;
	free(t->arena);
	free(t->off);
	free(t->len);
	free(t->slots);
	free(t);
}

static size_t probe(const hx__intern *t, const char *s, size_t len)
{
	size_t mask = t->nslots - 1, i = (size_t)fnv1a(s, len) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t v = t->slots[i];
		if (!v)
			return i;
		v--;
		if (t->len[v] == len && !memcmp(t->arena + t->off[v], s, len))
			return i;
	}
}

static bool rehash(hx__intern *t)
{
	size_t n = t->nslots * 2;
	uint32_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	for (size_t id = 0; id < t->n; id++) {
		size_t i = probe(t, t->arena + t->off[id], t->len[id]);
		t->slots[i] = (uint32_t)id + 1;
	}
	return true;
}

int64_t hx__intern_find(const hx__intern *t, const char *s, size_t len)
{
	uint32_t v = t->slots[probe(t, s, len)];
	return v ? (int64_t)v - 1 : -1;
}

int64_t hx__intern_add(hx__intern *t, const char *s, size_t len)
{
	size_t i = probe(t, s, len);
	if (t->slots[i])
		return (int64_t)t->slots[i] - 1;
	if (t->n == t->cap_ids) {
		size_t cap = t->cap_ids ? t->cap_ids * 2 : 256;
		size_t *off = realloc(t->off, cap * sizeof(*off));
		if (!off)
			return -1;
		t->off = off;
		uint32_t *l = realloc(t->len, cap * sizeof(*l));
		if (!l)
			return -1;
		t->len = l;
		t->cap_ids = cap;
	}
	if (t->arena_len + len + 1 > t->arena_cap) {
		size_t cap = t->arena_cap ? t->arena_cap : 4096;
		while (cap < t->arena_len + len + 1)
			cap *= 2;
		char *a = realloc(t->arena, cap);
		if (!a)
			return -1;
		t->arena = a;
		t->arena_cap = cap;
	}
	memcpy(t->arena + t->arena_len, s, len);
	t->arena[t->arena_len + len] = '\0';
	t->off[t->n] = t->arena_len;
	t->len[t->n] = (uint32_t)len;
	t->arena_len += len + 1;
	t->slots[i] = (uint32_t)t->n + 1;
	t->n++;
	if (t->n * 2 > t->nslots && !rehash(t))
		return -1;
	return (int64_t)t->n - 1;
}

const char *hx__intern_str(const hx__intern *t, uint32_t id, size_t *len)
{
	if (len)
		*len = t->len[id];
	return t->arena + t->off[id];
}

size_t hx__intern_count(const hx__intern *t)
{
	return t->n;
}
