/*
 * util.c - message, JSON and progress helpers for the CLI. Kept out of the
 * library: the library never prints.
 */
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hexalign/json.h>

#include "util.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hexalign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool cli_progress_enabled(bool quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

void cli_progress(const char *verb, const char *name, size_t done, size_t total)
{
	fprintf(stderr, "\r\033[K%s %s: %zu/%zu", verb, name, done, total);
	fflush(stderr);
}

void cli_progress_end(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

int cli_output_open(cli_output *out, const char *path)
{
	int fd;

	memset(out, 0, sizeof(*out));
	if (!path || !strcmp(path, "-")) {
		out->f = stdout;
		return 0;
	}
	out->path = strdup(path);
	out->tmp = malloc(strlen(path) + 16);
	if (!out->path || !out->tmp) {
		cli_error("out of memory");
		goto fail;
	}
	sprintf(out->tmp, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(out->tmp)) < 0) {
		cli_error("%s: cannot create: %s", path, strerror(errno));
		goto fail;
	}
	{
		/* mkstemp makes the file private; give it the mode a plain
		 * fopen would have. */
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (!(out->f = fdopen(fd, "w"))) {
		cli_error("%s: %s", path, strerror(errno));
		close(fd);
		unlink(out->tmp);
		goto fail;
	}
	return 0;
fail:
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof(*out));
	return -1;
}

int cli_output_close(cli_output *out, bool commit)
{
	int rc = 0;

	if (out->f == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_error("standard output: %s", strerror(errno));
			rc = -1;
		}
		return rc;
	}
	if (fclose(out->f) != 0 && commit) {
		cli_error("%s: %s", out->path, strerror(errno));
		commit = false;
		rc = -1;
	}
	if (commit && rename(out->tmp, out->path) != 0) {
		cli_error("%s: cannot rename into place: %s", out->path,
			  strerror(errno));
		rc = -1;
		commit = false;
	}
	if (!commit)
		unlink(out->tmp);
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof(*out));
	return rc;
}

const char *cli_lexicon_dir(const char *opt)
{
	const char *env = getenv("HEXALIGN_LEXICON_DIR");
	if (opt)
		return opt;
	if (env && *env)
		return env;
	/* An installed hexalign reads its own data; one run from the
	 * build tree reads the source tree's. */
	FILE *f = fopen(HX_LEXICON_INSTALL_DIR "/en-zh.tsv", "rb");
	if (f) {
		fclose(f);
		return HX_LEXICON_INSTALL_DIR;
	}
	return HX_LEXICON_DIR;
}

const char *cli_wordlist_dir(void)
{
	FILE *f = fopen(HX_WORDLIST_INSTALL_DIR "/en.txt", "rb");
	if (f) {
		fclose(f);
		return HX_WORDLIST_INSTALL_DIR;
	}
	return HX_WORDLIST_DIR;
}

void cli_multialign_warning(void *payload, hx_multialign_warning kind,
			    const char *message)
{
	const bool *quiet = payload;

	if (kind != HX_MULTIALIGN_WARN_LEXICON || !*quiet)
		cli_error("warning: %s", message);
}
