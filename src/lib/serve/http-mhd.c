/*
 * http-mhd.c - the HTTP server of http.h on libmicrohttpd: it listens,
 * gathers each request's body up to a cap (in memory, or for an upload
 * in a temporary file, chunk by chunk as it arrives) and hands the whole
 * request to one handler on libmicrohttpd's single polling thread, so
 * handlers never run at once and the state they share needs no lock.
 * Not for what a request means (serve.c). libmicrohttpd logs nothing (no
 * MHD_USE_ERROR_LOG): the library never prints.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/error-private.h"
#include "serve/http.h"

struct hx__http {
	struct MHD_Daemon *d;
	struct hx__http_config c;
	uint16_t port;
};

/* One request's body as it arrives. */
struct upload {
	enum hx__http_body to;
	char *buf;
	size_t len, cap;
	bool too_large;
	bool oom;
	bool target_too_long;
	int io_errno; /* writing the file failed */
	int fd;	      /* HX__HTTP_BODY_FILE, until the body is in */
	char dir[4096], path[4200];
};

static void append(struct upload *u, const char *data, size_t n, size_t max)
{
	if (u->too_large || u->oom)
		return;
	if (n > max - u->len) {
		/* The rest is read and dropped, so that the client, which
		 * sends the whole body before it reads, gets the 413. */
		u->too_large = true;
		free(u->buf);
		u->buf = NULL, u->len = u->cap = 0;
		return;
	}
	if (u->len + n + 1 > u->cap) {
		size_t cap = u->cap ? u->cap : 4096;
		while (cap < u->len + n + 1)
			cap *= 2;
		char *x = realloc(u->buf, cap);
		if (!x) {
			u->oom = true;
			return;
		}
		u->buf = x, u->cap = cap;
	}
	memcpy(u->buf + u->len, data, n);
	u->len += n;
	u->buf[u->len] = '\0';
}

/* The file and the directory made for an upload, gone. */
static void remove_upload(struct upload *u)
{
	DIR *d;
	struct dirent *e;

	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	if (!u->dir[0])
		return;
	/* The handler may have renamed the file: whatever is in the
	 * directory, which is the server's own (mkdtemp), goes. */
	if ((d = opendir(u->dir))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(u->dir);
	u->dir[0] = '\0';
}

/* The upload's chunk into its file, up to max; past it the file goes
 * and the rest is dropped (as append() does). */
static void write_chunk(struct upload *u, const char *data, size_t n,
			size_t max)
{
	if (u->too_large || u->io_errno)
		return;
	if (n > max - u->len) {
		u->too_large = true;
		remove_upload(u);
		return;
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(u->fd, data + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			u->io_errno = errno;
			remove_upload(u);
			return;
		}
		done += (size_t)w;
	}
	u->len += n;
}

static int open_upload(struct upload *u)
{
	const char *tmpdir = getenv("TMPDIR");

	snprintf(u->dir, sizeof(u->dir), "%s/hexalign-upload-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(u->dir)) {
		u->dir[0] = '\0';
		return errno;
	}
	snprintf(u->path, sizeof(u->path), "%s/upload", u->dir);
	u->fd = open(u->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	return u->fd < 0 ? errno : 0;
}

static const char *arg(const struct hx__http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

static enum MHD_Result add_len(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	size_t *n = cls;

	*n += strlen(key) + (value ? strlen(value) + 1 : 0) + 1;
	return MHD_YES;
}

static enum MHD_Result reply(struct MHD_Connection *c,
			     struct hx__http_response *rs)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	if (rs->body)
		r = MHD_create_response_from_buffer(rs->len, rs->body,
						    MHD_RESPMEM_MUST_FREE);
	else
		r = MHD_create_response_from_buffer(
		    rs->len, (void *)rs->static_body, MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(rs->body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", rs->type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* The pages load nothing from elsewhere and may not be framed. */
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self' 'unsafe-inline'; "
				"frame-ancestors 'none'");
	if (rs->allow)
		MHD_add_response_header(r, "Allow", rs->allow);
	if (rs->disposition)
		MHD_add_response_header(r, "Content-Disposition",
					rs->disposition);
	if (rs->challenge)
		MHD_add_response_header(r, "WWW-Authenticate", rs->challenge);
	ok = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ok;
}

static void request_of(struct hx__http_request *rq, struct MHD_Connection *c,
		       const char *url, const char *method)
{
	memset(rq, 0, sizeof(*rq));
	rq->method = method;
	rq->path = url;
	rq->content_type =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	rq->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	rq->authorization =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	rq->body = "";
	rq->arg = arg;
	rq->conn = c;
}

/* The first call of a request: its headers are in, its body is not. */
static struct upload *begin(struct hx__http *h, struct MHD_Connection *c,
			    const char *url, const char *method)
{
	struct upload *u = calloc(1, sizeof(*u));
	struct hx__http_request rq;
	size_t target = strlen(url);

	if (!u)
		return NULL;
	u->fd = -1;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_len, &target);
	u->target_too_long = target > h->c.max_target;
	request_of(&rq, c, url, method);
	u->to = h->c.body_to && !u->target_too_long
		    ? h->c.body_to(h->c.payload, &rq)
		    : HX__HTTP_BODY_MEMORY;
	if (u->to == HX__HTTP_BODY_FILE && (u->io_errno = open_upload(u)))
		remove_upload(u);
	return u;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	struct hx__http *h = cls;
	struct upload *u = *con_cls;
	static const unsigned char oom[] = "{\"error\": \"out of memory\"}\n";
	static const unsigned char long_target[] =
	    "{\"error\": \"the path and query are too long\"}\n";
	static const unsigned char io[] =
	    "{\"error\": \"the upload could not be stored\"}\n";
	struct hx__http_request rq;

	if (!u) {
		if (!(u = begin(h, c, url, method)))
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (*data_size) {
		if (u->to == HX__HTTP_BODY_MEMORY && !u->target_too_long)
			append(u, data, *data_size, h->c.max_body);
		else if (u->to == HX__HTTP_BODY_FILE)
			write_chunk(u, data, *data_size, h->c.max_upload);
		*data_size = 0;
		return MHD_YES;
	}
	struct hx__http_response rs = {.status = 500,
				       .type = "application/json",
				       .static_body = oom,
				       .len = sizeof(oom) - 1};
	if (u->target_too_long) {
		rs.status = 414;
		rs.static_body = long_target, rs.len = sizeof(long_target) - 1;
		return reply(c, &rs);
	}
	if (u->io_errno) {
		rs.static_body = io, rs.len = sizeof(io) - 1;
		return reply(c, &rs);
	}
	request_of(&rq, c, url, method);
	rq.body_too_large = u->too_large;
	if (u->to == HX__HTTP_BODY_MEMORY) {
		rq.body = u->buf ? u->buf : "";
		rq.body_len = u->len;
	} else if (u->to == HX__HTTP_BODY_FILE && !u->too_large) {
		if (close(u->fd) != 0) {
			u->fd = -1;
			rs.static_body = io, rs.len = sizeof(io) - 1;
			return reply(c, &rs);
		}
		u->fd = -1;
		rq.body_path = u->path;
		rq.body_len = u->len;
	}
	if (!u->oom)
		h->c.fn(h->c.payload, &rq, &rs);
	return reply(c, &rs);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	if (u) {
		remove_upload(u);
		free(u->buf);
	}
	free(u);
	*con_cls = NULL;
}

int hx__http_start(struct hx__http **out, const struct hx__http_config *c,
		   hx_error *err)
{
	struct sockaddr_in v4 = {0};
	struct sockaddr_in6 v6 = {0};
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	struct hx__http *h;

	*out = NULL;
	if (inet_pton(AF_INET, c->addr, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons(c->port);
		sa = (struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, c->addr, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons(c->port);
		sa = (struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		return hx__error_set(err, HX_EINVAL,
				     "'%s' is not an IPv4 or IPv6 address",
				     c->addr);
	}
	if (!(h = calloc(1, sizeof(*h))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	h->c = *c;
	errno = 0;
	/* The timeout counts idle seconds: a client that stops sending (or
	 * reading) loses its connection, one of the 64, after timeout_s. */
	h->d = MHD_start_daemon(
	    flags, c->port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, c->timeout_s,
	    MHD_OPTION_THREAD_POOL_SIZE, c->threads > 1 ? c->threads : 0u,
	    MHD_OPTION_END);
	if (!h->d) {
		int e = errno;
		free(h);
		return hx__error_set(
		    err, HX_EIO, "cannot listen on %s port %u%s%s", c->addr,
		    (unsigned)c->port, e ? ": " : "", e ? strerror(e) : "");
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : c->port;
	*out = h;
	return HX_OK;
}

uint16_t hx__http_port(const struct hx__http *h)
{
	return h->port;
}

void hx__http_stop(struct hx__http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
