/*
 * tokens.c - API tokens: the file of their hashes (tokens.h), the check
 * of a presented token, and the making of a new one
 * (hx_serve_token_new()). The file holds SHA-256 hashes only, so that
 * reading it gives no one a token; a token is 32 random bytes, too many
 * to guess, so a fast unsalted hash is enough (a password would want a
 * slow one). Not for transport security: tokens travel in clear unless a
 * TLS proxy is in front (README.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/sha256.h"
#include "serve/tokens.h"

struct token {
	unsigned char hash[HX__SHA256_SIZE];
	int rights;
};

struct hx__tokens {
	struct token *t;
	size_t n;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One line "HASH RIGHTS NAME" into tk; false when it is not one. */
static bool parse_line(struct token *tk, char *line)
{
	char *save = NULL;
	char *hash = strtok_r(line, " \t", &save);
	char *rights = strtok_r(NULL, " \t", &save);

	if (!hash || !rights || strlen(hash) != 2 * HX__SHA256_SIZE)
		return false;
	for (size_t i = 0; i < HX__SHA256_SIZE; i++) {
		int hi = hexval(hash[2 * i]), lo = hexval(hash[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		tk->hash[i] = (unsigned char)(hi << 4 | lo);
	}
	if (!strcmp(rights, "read"))
		tk->rights = HX_SERVE_READ;
	else if (!strcmp(rights, "write"))
		tk->rights = HX_SERVE_WRITE;
	else
		return false;
	return true; /* the name is for people reading the file */
}

int hx__tokens_load(struct hx__tokens **out, const char *path, hx_error *err)
{
	struct hx__tokens *t = NULL;
	char *line = NULL;
	size_t cap = 0, lineno = 0, alloc = 0;
	ssize_t len;
	FILE *f;
	int rc = HX_OK;

	*out = NULL;
	if (!(f = fopen(path, "r")))
		return hx__error_set(err,
				     errno == ENOENT ? HX_ENOTFOUND : HX_EIO,
				     "%s: %s", path, strerror(errno));
	if (!(t = calloc(1, sizeof(*t)))) {
		rc = hx__error_set(err, HX_ENOMEM, "out of memory");
		goto fail;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *p = line;
		lineno++;
		while (len && strchr("\r\n", line[len - 1]))
			line[--len] = '\0';
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;
		if (t->n == alloc) {
			size_t na = alloc ? alloc * 2 : 8;
			struct token *x = realloc(t->t, na * sizeof(*x));
			if (!x) {
				rc = hx__error_set(err, HX_ENOMEM,
						   "out of memory");
				goto fail;
			}
			t->t = x, alloc = na;
		}
		if (!parse_line(&t->t[t->n], p)) {
			rc = hx__error_set(err, HX_EFORMAT,
					   "%s:%zu: expected \"SHA256-HEX "
					   "read|write NAME\"",
					   path, lineno);
			goto fail;
		}
		t->n++;
	}
	if (ferror(f)) {
		rc =
		    hx__error_set(err, HX_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(f);
	*out = t;
	return HX_OK;
fail:
	free(line);
	fclose(f);
	hx__tokens_free(t);
	return rc;
}

void hx__tokens_free(struct hx__tokens *t)
{
	if (!t)
		return;
	/* The hashes are not secrets, but there is no reason to leave them
	 * in freed memory either. */
	if (t->t)
		memset(t->t, 0, t->n * sizeof(*t->t));
	free(t->t);
	free(t);
}

int hx__tokens_check(const struct hx__tokens *t, const char *token, size_t len)
{
	unsigned char h[HX__SHA256_SIZE];
	int rights = 0;

	hx__sha256(h, token, len);
	/* Every entry, every byte: no early exit tells a client how much
	 * of a hash it got right. */
	for (size_t i = 0; i < t->n; i++) {
		unsigned char diff = 0;
		for (size_t j = 0; j < HX__SHA256_SIZE; j++)
			diff |= (unsigned char)(h[j] ^ t->t[i].hash[j]);
		/* mask is all ones when diff is 0, else 0 */
		int mask = -(int)(((unsigned)diff - 1u) >> 8 & 1u);
		rights |= t->t[i].rights & mask;
	}
	return rights & HX_SERVE_WRITE ? HX_SERVE_WRITE : rights;
}

/* n random bytes: getrandom(), or /dev/urandom where it is missing. */
static int random_bytes(unsigned char *buf, size_t n, hx_error *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return HX_OK;
	FILE *f = fopen("/dev/urandom", "rb");
	bool ok = f && fread(buf, 1, n, f) == n;
	if (f)
		fclose(f);
	return ok ? HX_OK
		  : hx__error_set(err, HX_EIO, "no random bytes: %s",
				  strerror(errno));
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 100)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int hx_serve_token_new(char token[HX_SERVE_TOKEN_SIZE], const char *path,
		       const char *name, hx_serve_rights rights, hx_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	char hash[2 * HX__SHA256_SIZE + 1], line[300];
	int fd, rc, n;

	token[0] = '\0';
	if (!name_ok(name))
		return hx__error_set(err, HX_EINVAL,
				     "a token's name: 1 to 100 bytes, no "
				     "control characters");
	if (rights != HX_SERVE_READ && rights != HX_SERVE_WRITE)
		return hx__error_set(err, HX_EINVAL, "rights: read or write");
	if ((rc = random_bytes(raw, sizeof(raw), err)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(raw); i++) {
		token[2 * i] = hex[raw[i] >> 4];
		token[2 * i + 1] = hex[raw[i] & 15];
	}
	token[2 * sizeof(raw)] = '\0';
	memset(raw, 0, sizeof(raw));
	hx__sha256_hex(hash, token, 2 * sizeof(raw));
	n = snprintf(line, sizeof(line), "%s  %s  %s\n", hash,
		     rights == HX_SERVE_WRITE ? "write" : "read", name);
	/* 0600: the hashes give no token away, but who holds which is the
	 * owner's business. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, line, (size_t)n) != n) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		memset(token, 0, HX_SERVE_TOKEN_SIZE);
		return hx__error_set(err, HX_EIO, "%s: %s", path, strerror(e));
	}
	if (close(fd) != 0) {
		memset(token, 0, HX_SERVE_TOKEN_SIZE);
		return hx__error_set(err, HX_EIO, "%s: %s", path,
				     strerror(errno));
	}
	return HX_OK;
}
