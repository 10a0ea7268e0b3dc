/*
 * cmd-serve.c - `hexalign serve`: the memory's documents, reviews,
 * look-ups and concordance in a browser, until interrupted; and the
 * serving half of `align --review`. The server is hx_serve_*(); this file
 * parses the arguments, says where it listens and waits for a signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hexalign/hexalign.h>

#include "commands.h"
#include "util.h"

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hexalign serve --db FILE.db [--listen ADDR:PORT] "
		"[--tokens FILE]\n"
		"                      [--public-read] [--max-upload MIB] "
		"[--timeout S] [--threads N]\n"
		"       hexalign serve --new-token NAME --rights read|write "
		"--tokens FILE\n"
		"       hexalign align [options] --review [--listen ADDR:PORT] "
		"FILE...\n"
		"\n"
		"Serve the memory's documents for review (join, split, move, "
		"edit, confirm,\n"
		"undo, save back into the memory, TMX download) and its "
		"look-ups and\n"
		"concordance, as pages and a JSON API; a team memory API "
		"(/api/tm/...) and\n"
		"the amaGama/tmserver routes Weblate calls (/tmserver/...) "
		"(README.md,\n"
		"\"hexalign serve\").\n"
		"\n"
		"      --db FILE.db        the memory (must exist)\n"
		"      --listen ADDR:PORT  where to listen (default "
		"127.0.0.1:8080; port 0:\n"
		"                          any free one); the URL goes to "
		"stderr as\n"
		"                          \"hexalign: serving URL\". An "
		"address that is not\n"
		"                          loopback wants --tokens\n"
		"      --tokens FILE       API tokens (SHA-256 hashes): every "
		"API call wants\n"
		"                          \"Authorization: Bearer TOKEN\", "
		"writes a write token.\n"
		"                          Without it, /api/tm/units and "
		"/api/tm/import are refused\n"
		"      --public-read       with --tokens: reads need no token "
		"(Weblate's tmserver\n"
		"                          client sends none)\n"
		"      --max-upload MIB    the largest TMX upload (default "
		"512)\n"
		"      --timeout S         close a connection idle S seconds "
		"(default 30)\n"
		"      --threads N         answer look-ups on N threads, each "
		"with a handle of\n"
		"                          its own on the memory (default: "
		"the processors, at\n"
		"                          most 4); writes and reviews go one "
		"at a time\n"
		"      --new-token NAME    make a token for NAME, add its hash "
		"to --tokens FILE\n"
		"                          (made, mode 0600, if absent) and "
		"print it once\n"
		"      --rights R          the new token's rights: read or "
		"write\n"
		"  -h, --help              this text\n"
		"\n"
		"It runs until interrupted (Ctrl-C, SIGTERM); edits not saved "
		"are lost. For\n"
		"anything but this machine, put a TLS proxy in front "
		"(README.md).\n"
		"\n"
		"align --review aligns (storing the units when --db is given), "
		"then serves\n"
		"the alignment as review \"0\" (default --listen 127.0.0.1:0), "
		"opening it with\n"
		"xdg-open when stdout is a terminal; nothing goes to stdout "
		"unless -o names\n"
		"a file. Without --db, saving is refused and the TMX download "
		"is the way out.\n");
}

/* Show the page in a browser when a person is there to see it. */
static void open_browser(const char *url)
{
	char *argv[] = {"xdg-open", (char *)url, NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;

	if (!isatty(STDOUT_FILENO))
		return;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return;
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
					 O_WRONLY, 0);
	/* Absent xdg-open is no error: the URL is on stderr. */
	if (posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ) == 0)
		waitpid(pid, NULL, WNOHANG);
	posix_spawn_file_actions_destroy(&fa);
}

int cli_serve(hx_tm *tm, hx_review *review, const hx_serve_options *so,
	      bool browse)
{
	hx_serve *s = NULL;
	sigset_t sigs;
	hx_error err;
	int sig, rc = 1;

	hx_error_init(&err);
	if (hx_serve_new(&s, tm, so, &err) < 0) {
		hx_review_free(review);
		cli_error("serve: %s", err.message);
		return 2;
	}
	if (review && hx_serve_add_review_take(NULL, s, review, &err) < 0) {
		cli_error("serve: %s", err.message);
		goto done;
	}
	/* Blocked before the server's thread starts, so that it inherits
	 * the mask and the signals come to sigwait() here. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if (hx_serve_start(s, &err) < 0) {
		cli_error("serve: %s", err.message);
		rc = err.code == HX_EINVAL ? 2 : 1; /* not an address: usage */
		goto done;
	}
	cli_error("serving %s", hx_serve_get_url(s));
	fflush(stderr);
	if (browse)
		open_browser(hx_serve_get_url(s));
	sigwait(&sigs, &sig);
	rc = 0;
done:
	hx_serve_free(s);
	return rc;
}

/* --new-token: the token to stdout, once; the file keeps its hash. */
static int new_token(const char *name, const char *rights, const char *path)
{
	char token[HX_SERVE_TOKEN_SIZE];
	hx_error err;

	if (!path || !rights ||
	    (strcmp(rights, "read") && strcmp(rights, "write"))) {
		cli_error("serve: --new-token wants --rights read|write and "
			  "--tokens FILE");
		return 2;
	}
	hx_error_init(&err);
	if (hx_serve_token_new(token, path, name,
			       strcmp(rights, "write") ? HX_SERVE_READ
						       : HX_SERVE_WRITE,
			       &err) < 0) {
		cli_error("serve: %s", err.message);
		return err.code == HX_EINVAL ? 2 : 1;
	}
	printf("%s\n", token);
	memset(token, 0, sizeof(token));
	if (fflush(stdout) != 0) {
		cli_error("serve: standard output: write failed");
		return 1;
	}
	return 0;
}

/* A whole number 1..max from an option's argument. */
static bool number(unsigned long *out, const char *s, unsigned long max)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && *s >= '0' && *s <= '9' && !*end && *out >= 1 &&
	       *out <= max;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"listen", required_argument, NULL, 'l'},
	    {"tokens", required_argument, NULL, 'T'},
	    {"public-read", no_argument, NULL, 'P'},
	    {"max-upload", required_argument, NULL, 'U'},
	    {"timeout", required_argument, NULL, 'W'},
	    {"threads", required_argument, NULL, 'J'},
	    {"new-token", required_argument, NULL, 'N'},
	    {"rights", required_argument, NULL, 'R'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *db = NULL, *new_name = NULL, *rights = NULL;
	hx_serve_options so;
	hx_tm_options to;
	hx_tm *tm = NULL;
	unsigned long n;
	hx_error err;
	int c, rc;

	hx_serve_options_init(&so);
	/* A look-up keeps a processor busy; more threads than processors
	 * only add handles (each caches the memory's compact forms). */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	so.threads = cpus < 1 ? 1 : cpus > 4 ? 4 : (unsigned)cpus;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'l':
			so.listen = optarg;
			break;
		case 'T':
			so.tokens = optarg;
			break;
		case 'P':
			so.public_read = true;
			break;
		case 'U':
			if (!number(&n, optarg, 1 << 20)) {
				cli_error("serve: --max-upload wants MiB, 1 "
					  "or more");
				return 2;
			}
			so.max_upload = (size_t)n << 20;
			break;
		case 'W':
			if (!number(&n, optarg, 3600)) {
				cli_error("serve: --timeout wants 1 to 3600 "
					  "seconds");
				return 2;
			}
			so.timeout_s = (unsigned)n;
			break;
		case 'J':
			if (!number(&n, optarg, 64)) {
				cli_error("serve: --threads wants 1 to 64");
				return 2;
			}
			so.threads = (unsigned)n;
			break;
		case 'N':
			new_name = optarg;
			break;
		case 'R':
			rights = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (new_name && !db && optind == argc)
		return new_token(new_name, rights, so.tokens);
	if (!db || optind != argc || new_name || rights) {
		cli_error("serve: give the memory (--db FILE.db) and no "
			  "other arguments");
		usage(stderr);
		return 2;
	}
	if (so.public_read && !so.tokens) {
		cli_error("serve: --public-read goes with --tokens");
		return 2;
	}
	hx_error_init(&err);
	hx_tm_options_init(&to);
	if (hx_tm_open(&tm, db, &to, &err) < 0) {
		cli_error("%s", err.message);
		return 1;
	}
	rc = cli_serve(tm, NULL, &so, false);
	hx_tm_free(tm);
	return rc;
}
