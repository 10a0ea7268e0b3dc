/*
 * http-mhd.c - the HTTP server of http.h on libmicrohttpd: it listens,
 * gathers each request's body up to a cap and hands the whole request to
 * one handler on libmicrohttpd's single polling thread, so handlers never
 * run at once and the state they share needs no lock. Not for what a
 * request means (serve.c). libmicrohttpd logs nothing (no
 * MHD_USE_ERROR_LOG): the library never prints.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "base/error-private.h"
#include "serve/http.h"

struct hx__http {
	struct MHD_Daemon *d;
	size_t max_body;
	hx__http_handler fn;
	void *payload;
	uint16_t port;
};

/* One request's body as it arrives. */
struct upload {
	char *buf;
	size_t len, cap;
	bool too_large;
	bool oom;
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

static const char *arg(const struct hx__http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
					   name);
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
	ok = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	struct hx__http *h = cls;
	struct upload *u = *con_cls;
	static const unsigned char oom[] = "{\"error\": \"out of memory\"}\n";

	if (!u) {
		if (!(u = calloc(1, sizeof(*u))))
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (*data_size) {
		append(u, data, *data_size, h->max_body);
		*data_size = 0;
		return MHD_YES;
	}
	struct hx__http_request rq = {
	    .method = method,
	    .path = url,
	    .content_type =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"),
	    .host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"),
	    .body = u->buf ? u->buf : "",
	    .body_len = u->len,
	    .body_too_large = u->too_large,
	    .arg = arg,
	    .conn = c,
	};
	struct hx__http_response rs = {
	    500, "application/json", NULL, oom, sizeof(oom) - 1, NULL, NULL};
	if (!u->oom)
		h->fn(h->payload, &rq, &rs);
	return reply(c, &rs);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	if (u)
		free(u->buf);
	free(u);
	*con_cls = NULL;
}

int hx__http_start(struct hx__http **out, const char *addr, uint16_t port,
		   size_t max_body, hx__http_handler fn, void *payload,
		   hx_error *err)
{
	struct sockaddr_in v4 = {0};
	struct sockaddr_in6 v6 = {0};
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	struct hx__http *h;

	*out = NULL;
	if (inet_pton(AF_INET, addr, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons(port);
		sa = (struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, addr, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons(port);
		sa = (struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		return hx__error_set(err, HX_EINVAL,
				     "'%s' is not an IPv4 or IPv6 address",
				     addr);
	}
	if (!(h = calloc(1, sizeof(*h))))
		return hx__error_set(err, HX_ENOMEM, "out of memory");
	h->max_body = max_body, h->fn = fn, h->payload = payload;
	errno = 0;
	h->d = MHD_start_daemon(
	    flags, port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
	if (!h->d) {
		int e = errno;
		free(h);
		return hx__error_set(
		    err, HX_EIO, "cannot listen on %s port %u%s%s", addr,
		    (unsigned)port, e ? ": " : "", e ? strerror(e) : "");
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : port;
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
