/*
 * The one file that speaks libmicrohttpd.
 *
 * Request life: the URI log callback creates the struct req (from the
 * worker's recycled ones) with the raw URI; the access handler is called
 * once with the headers (we check the declared body size, so 413 comes
 * before the body is read), then with each piece of body, then once more
 * when the request is whole, and only then is the response queued (queuing
 * on the first call would make libmicrohttpd close the connection). The
 * completion callback writes the access-log line, counts the request and
 * recycles the struct req.
 *
 * Each pool thread has a struct worker, created on its first request: its
 * database connection, its metrics, its recycled requests. Nothing on the
 * request path takes a lock. Connections are accepted by a thread of ours
 * (acceptor()) and dealt out to the pool threads.
 */
#define _GNU_SOURCE /* accept4() */

#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "db/db.h"
#include "http/http.h"
#include "http/hub.h"
#include "http/metrics.h"
#include "http/router.h"

#define WORKER_SPARE_REQS 64

struct worker {
    struct worker *next; /* in server->workers */
    struct server *srv;
    struct db *db;
    _Atomic bool has_db;    /* db is open; read by the metrics scrape on another thread */
    int64_t db_retry_at_us; /* after a failed open, wait before trying again */
    struct metrics metrics;
    struct req *spare; /* recycled requests, linked through req->conn */
    size_t nspare;
    uint64_t seq;
    uint32_t prefix;
};

struct server {
    struct app *app;
    struct MHD_Daemon *daemon;
    unsigned port;
    size_t body_limit;
    bool access_log;
    const char **route_names;
    pthread_mutex_t lock; /* guards workers (list changes are rare) */
    struct worker *workers;
    size_t nworkers;
    _Atomic long in_flight;
    _Atomic long connections;
    _Atomic long live_streams; /* open Server-Sent-Events streams */
    int listen_fd;             /* ours, accepted from by acceptor() */
    pthread_t acceptor;
    _Atomic bool stopping;
};

static _Thread_local struct worker *tls_worker;

/* Workers ---------------------------------------------------------------- */

static struct worker *worker_get(struct server *s)
{
    struct worker *w = tls_worker;

    if (w)
        return w;
    w = xcalloc(1, sizeof(*w));
    w->srv = s;
    w->prefix = (uint32_t)rand_u64();
    metrics_init(&w->metrics, router_count(s->app->router));
    pthread_mutex_lock(&s->lock);
    w->next = s->workers;
    s->workers = w;
    s->nworkers++;
    pthread_mutex_unlock(&s->lock);
    tls_worker = w;
    return w;
}

static void worker_free(struct worker *w)
{
    while (w->spare) {
        struct req *r = w->spare;

        w->spare = r->conn;
        arena_release(&r->arena);
        free(r);
    }
    if (w->db)
        db_close(w->db);
    metrics_release(&w->metrics);
    free(w);
}

/*
 * A request reads through snapshots from its first statement to its
 * response (see db_read_begin()): one lock instead of one per statement.
 */
static void read_snapshot(struct req *r, struct db *db)
{
    if (r->db_read)
        return;
    r->db_read = true;
    if (db_read_begin(db))
        log_warn("database: no read snapshot (request %s): %s", r->id, db_errmsg(db));
}

struct db *req_db(struct req *r)
{
    struct worker *w = r->worker;
    char err[256];
    int64_t now;

    if (w->db) {
        read_snapshot(r, w->db);
        return w->db;
    }
    now = clock_mono_us();
    if (now < w->db_retry_at_us)
        return NULL;
    if (db_open(&w->db, r->app->db_url, err, sizeof(err))) {
        log_error("database: %s (request %s)", err, r->id);
        w->db = NULL;
        w->db_retry_at_us = now + 1000000;
        return NULL;
    }
    atomic_store_explicit(&w->has_db, true, memory_order_relaxed);
    read_snapshot(r, w->db);
    return w->db;
}

/* Requests --------------------------------------------------------------- */

static struct req *req_new(struct worker *w)
{
    struct req *r = w->spare;
    struct arena keep;

    if (r) {
        w->spare = r->conn;
        w->nspare--;
        keep = r->arena;
    } else {
        r = xmalloc(sizeof(*r));
        arena_init(&keep);
    }
    memset(r, 0, sizeof(*r));
    r->arena = keep;
    r->worker = w;
    r->app = w->srv->app;
    r->route_index = -1;
    return r;
}

static void req_recycle(struct req *r)
{
    struct worker *w = r->worker;

    arena_reset(&r->arena);
    if (w == tls_worker && w->nspare < WORKER_SPARE_REQS) {
        r->conn = w->spare;
        w->spare = r;
        w->nspare++;
        return;
    }
    arena_release(&r->arena);
    free(r);
}

struct str req_header(struct req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);

    return str_c(v);
}

struct str req_client_addr(struct req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char text[INET6_ADDRSTRLEN] = "unknown";

    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;

        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
                      sizeof(text));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
                      sizeof(text));
    }
    return str_c(arena_strndup(&r->arena, text, strlen(text)));
}

static void set_request_id(struct req *r)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t v = ((uint64_t)r->worker->prefix << 32) | (uint32_t)++r->worker->seq;

    for (int i = 15; i >= 0; i--) {
        r->id[i] = hex[v & 15];
        v >>= 4;
    }
    r->id[16] = '\0';
}

/* Called once per request before headers are parsed: our request object. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct server *s = cls;
    struct worker *w = worker_get(s);
    struct req *r = req_new(w);
    size_t n = strnlen(uri, LIMIT_URL + 1);
    long q;

    atomic_fetch_add_explicit(&s->in_flight, 1, memory_order_relaxed);
    r->start_us = clock_mono_us();
    r->conn = c;
    set_request_id(r);
    r->uri = str_make(arena_strndup(&r->arena, uri, n), n);
    q = str_index(r->uri, '?');
    r->path = q < 0 ? r->uri : str_make(r->uri.ptr, (size_t)q);
    r->query_raw = q < 0 ? STR_NULL : str_make(r->uri.ptr + q + 1, n - (size_t)q - 1);
    r->api = str_starts_with(r->path, STR_LIT("/api/")) || str_eq_c(r->path, "/api");
    return r;
}

/* We parse paths and queries ourselves; keep libmicrohttpd from decoding them. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void security_headers(struct MHD_Response *m, bool https)
{
    MHD_add_response_header(m, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                            "frame-ancestors 'none'; form-action 'self'");
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "X-Frame-Options", "DENY");
    MHD_add_response_header(m, "Referrer-Policy", "same-origin");
    MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(m, "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (https)
        MHD_add_response_header(m, "Strict-Transport-Security", "max-age=31536000");
}

/* Streams ---------------------------------------------------------------- */

/*
 * A live stream's connection. The lock orders the stream's going to sleep
 * (MHD_suspend_connection, on its pool thread inside the reader) against
 * another thread's wake-up (MHD_resume_connection): a wake-up that comes
 * before the sleep leaves pending set, so the reader looks again instead
 * of sleeping through it. conn is NULL once the connection is over.
 */
struct stream {
    _Atomic int refs;
    pthread_mutex_t lock;
    struct MHD_Connection *conn;
    bool suspended, pending;
    const struct stream_ops *ops;
    void *ctx;
    struct server *srv;
};

#define STREAM_BLOCK  1024        /* libmicrohttpd's buffer per stream */
#define STREAM_SNDBUF (64 * 1024) /* the socket's send buffer for a stream */

struct stream *resp_stream(struct req *r, struct resp *w, const char *content_type,
                           const struct stream_ops *ops, void *ctx)
{
    struct stream *st = xcalloc(1, sizeof(*st));

    atomic_init(&st->refs, 1);
    pthread_mutex_init(&st->lock, NULL);
    st->conn = r->conn;
    st->ops = ops;
    st->ctx = ctx;
    st->srv = r->worker->srv;
    w->status = 200;
    w->content_type = content_type;
    w->stream = st;
    return st;
}

void stream_ref(struct stream *st)
{
    atomic_fetch_add_explicit(&st->refs, 1, memory_order_relaxed);
}

void stream_unref(struct stream *st)
{
    if (st && atomic_fetch_sub_explicit(&st->refs, 1, memory_order_acq_rel) == 1) {
        pthread_mutex_destroy(&st->lock);
        free(st);
    }
}

void stream_wake(struct stream *st)
{
    pthread_mutex_lock(&st->lock);
    if (st->conn && st->suspended) {
        st->suspended = false;
        MHD_resume_connection(st->conn);
    } else {
        st->pending = true;
    }
    pthread_mutex_unlock(&st->lock);
}

static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *st = cls;

    (void)pos;
    for (;;) {
        long n = st->ops->read(st->ctx, buf, max);

        if (n > 0)
            return (ssize_t)n;
        if (n < 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
        pthread_mutex_lock(&st->lock);
        if (st->pending) {
            st->pending = false;
            pthread_mutex_unlock(&st->lock);
            continue;
        }
        st->suspended = true;
        MHD_suspend_connection(st->conn);
        pthread_mutex_unlock(&st->lock);
        return 0;
    }
}

static void stream_over(void *cls)
{
    struct stream *st = cls;

    pthread_mutex_lock(&st->lock);
    st->conn = NULL;
    st->suspended = false;
    pthread_mutex_unlock(&st->lock);
    atomic_fetch_sub_explicit(&st->srv->live_streams, 1, memory_order_relaxed);
    st->ops->close(st->ctx);
    stream_unref(st);
}

static enum MHD_Result send_stream(struct req *r, struct resp *w)
{
    struct stream *st = w->stream;
    struct MHD_Response *m;
    enum MHD_Result ok;

    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);

    /*
     * A stream that is not read fills its socket: keep that buffer small, so
     * a reader that stops costs little and its queue (the hub's) overflows soon.
     */
    if (ci) {
        int size = STREAM_SNDBUF;

        setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    }
    atomic_fetch_add_explicit(&st->srv->live_streams, 1, memory_order_relaxed);
    m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_reader, st,
                                          stream_over);
    if (!m) {
        stream_over(st);
        return MHD_NO;
    }
    /*
     * No chunked encoding: the body runs until the connection closes, so
     * libmicrohttpd sends each piece straight from the response's buffer
     * instead of copying it into the connection's pool, which then stays
     * mostly untouched (memory per held stream).
     */
    MHD_set_response_options(m, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT, MHD_RO_END);
    MHD_add_response_header(m, "Content-Type", w->content_type);
    MHD_add_response_header(m, "Cache-Control", "no-store");
    MHD_add_response_header(m, "X-Accel-Buffering", "no"); /* nginx: pass it on at once */
    /* Not a document: of the security headers only this one applies (each costs memory here). */
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "X-Request-Id", r->id);
    for (size_t i = 0; i < w->nheaders; i++)
        MHD_add_response_header(m, w->headers[i].name, w->headers[i].value);
    r->status = 200;
    ok = MHD_queue_response(r->conn, 200, m);
    MHD_destroy_response(m);
    return ok;
}

static enum MHD_Result send_resp(struct req *r, struct resp *w)
{
    struct MHD_Response *m;
    enum MHD_Result ok;
    const void *body = w->fixed ? w->fixed : w->body.ptr;
    size_t len = w->fixed ? w->fixed_len : w->body.len;

    if (w->body.toobig && !w->fixed) {
        resp_error(r, w, E_TOOBIG);
        w->status = 500;
        body = w->body.ptr;
        len = w->body.len;
    }
    /* The body lives in the request arena or the binary, both until completion. */
    m = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
    if (!m)
        return MHD_NO;
    if (w->content_type)
        MHD_add_response_header(m, "Content-Type", w->content_type);
    security_headers(m, r->app->cfg->public_https);
    MHD_add_response_header(m, "X-Request-Id", r->id);
    for (size_t i = 0; i < w->nheaders; i++)
        MHD_add_response_header(m, w->headers[i].name, w->headers[i].value);
    r->status = w->status;
    r->bytes_out = len;
    ok = MHD_queue_response(r->conn, (unsigned)w->status, m);
    MHD_destroy_response(m);
    return ok;
}

static enum MHD_Result fail_early(struct req *r, int err, const char *msg)
{
    struct resp w = {0};

    buf_init(&w.body, &r->arena, LIMIT_PAGE);
    req_fail(r, err, NULL, msg);
    resp_error(r, &w, err);
    return send_resp(r, &w);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct server *s = cls;
    struct req *r = *con_cls;
    struct resp w = {0};
    int m;

    (void)url;
    (void)version;
    if (!r) /* cannot happen with the URI callback, but never crash on it */
        return MHD_NO;
    r->conn = c;
    if (!r->headers_seen) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int64_t declared;

        r->headers_seen = true;
        r->method_name = str_c(method);
        m = http_method_parse(r->method_name);
        r->method = m < 0 ? HTTP_METHOD__MAX : (enum http_method)m;
        buf_init(&r->body_buf, &r->arena, s->body_limit);
        if (r->uri.len > LIMIT_URL)
            return fail_early(r, E_TOOBIG, "the address is too long");
        if (cl && !str_to_i64(str_c(cl), &declared) && declared > (int64_t)s->body_limit)
            return fail_early(r, E_TOOBIG, "the request body is larger than this server accepts");
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->toobig && buf_append(&r->body_buf, upload_data, *upload_data_size))
            r->toobig = true;
        if (r->toobig) {
            r->discarded += *upload_data_size;
            if (r->discarded > 4 * s->body_limit)
                return MHD_NO; /* a chunked body that will not end: drop the connection */
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->toobig)
        return fail_early(r, E_TOOBIG, "the request body is larger than this server accepts");
    r->body = buf_str(&r->body_buf);
    buf_init(&w.body, &r->arena, LIMIT_PAGE);
    if (r->method == HTTP_METHOD__MAX) {
        req_fail_status(r, 405, "unknown method");
        resp_error(r, &w, E_INVAL);
    } else {
        router_dispatch(s->app->router, r, &w);
    }
    if (r->db_read && r->worker->db)
        db_read_end(r->worker->db);
    if (w.stream) {
        enum MHD_Result ok = send_stream(r, &w);

        /*
         * A stream may stay open for hours: give back the request's memory
         * now. The access log at its end needs only the route's path.
         */
        r->uri = r->path = str_c(r->route ? r->route->pattern : "/");
        r->query_raw = STR_NULL;
        arena_release(&r->arena);
        return ok;
    }
    return send_resp(r, &w);
}

/* Up to max bytes of s for a log line, with quotes, backslashes and controls as '?'. */
static void put_safe(struct buf *b, struct str s, size_t max)
{
    size_t n = s.len < max ? s.len : max;

    for (size_t i = 0; i < n; i++) {
        char c = s.ptr[i];

        if ((unsigned char)c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            c = '?';
        buf_putc(b, c);
    }
}

/*
 * One line per request: method, route, path, status, bytes, microseconds,
 * id. Put together piece by piece in the request's arena: snprintf()
 * parsing its format on every request was a percent of a topic page.
 */
static void access_log(struct req *r, int status, int64_t us)
{
    struct buf b;

    buf_init(&b, &r->arena, LIMIT_LOG_LINE);
    buf_grow(&b, 512); /* the longest: a 200-byte path, and the rest */
    BUF_LIT(&b, "access method=");
    if (r->method_name.len)
        put_safe(&b, r->method_name, 16);
    else
        buf_putc(&b, '-');
    BUF_LIT(&b, " route=");
    buf_puts(&b, r->route ? r->route->pattern : "none");
    BUF_LIT(&b, " path=\"");
    put_safe(&b, r->path, 200);
    BUF_LIT(&b, "\" status=");
    buf_put_i64(&b, status);
    BUF_LIT(&b, " bytes=");
    buf_put_u64(&b, r->bytes_out);
    BUF_LIT(&b, " us=");
    buf_put_i64(&b, us);
    BUF_LIT(&b, " id=");
    buf_puts(&b, r->id);
    buf_putc(&b, '\n');
    log_raw(b.ptr, b.len);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct req *r = *con_cls;
    int64_t us;
    int status;

    (void)c;
    if (!r)
        return;
    *con_cls = NULL;
    us = clock_mono_us() - r->start_us;
    /*
     * No status of ours: either libmicrohttpd refused the request before our
     * handler saw it (malformed, or headers over conn-memory; it answered 400
     * or 431 itself, which we count as 400) or the client went away (499).
     */
    if (r->status)
        status = r->status;
    else
        status = toe == MHD_REQUEST_TERMINATED_WITH_ERROR ? 400 : 499;
    if (r->worker == tls_worker)
        metrics_observe(&r->worker->metrics, r->route_index, status, us);
    if (s->access_log)
        access_log(r, status, us);
    req_recycle(r);
    atomic_fetch_sub_explicit(&s->in_flight, 1, memory_order_relaxed);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;

    (void)c;
    (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add_explicit(&s->connections, 1, memory_order_relaxed);
    else
        atomic_fetch_sub_explicit(&s->connections, 1, memory_order_relaxed);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    size_t n;

    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    log_warn("http: %s", msg);
}

/* Server ----------------------------------------------------------------- */

/*
 * Every connection is a descriptor, and live streams stay open: take as
 * many as the hard limit allows (the soft one is often 1024).
 */
static void raise_fd_limit(unsigned want)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl))
        return;
    if (rl.rlim_cur >= (rlim_t)want + 64 || rl.rlim_cur == rl.rlim_max)
        return;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)want + 64)
        log_warn("open files are limited to %lu, fewer than max-connections (%u) needs",
                 (unsigned long)rl.rlim_cur, want);
}

/*
 * Connections are accepted by a thread of ours and handed to the workers
 * with MHD_add_connection(), which gives each to the worker its
 * descriptor's number names (the number modulo the workers). With
 * libmicrohttpd's own listening socket every idle worker races to accept,
 * so a burst of connections went to whichever was idle at the time: 87 of a
 * hundred to one worker and 17 to the other was seen, and the crowded
 * worker's requests waited twice as long.
 */
static void *acceptor(void *arg)
{
    struct server *s = arg;

    for (;;) {
        struct sockaddr_storage from;
        socklen_t len = sizeof(from);
        int fd = accept4(s->listen_fd, (struct sockaddr *)&from, &len, SOCK_CLOEXEC);

        if (fd >= 0) {
            /* On failure (the connection limit, memory) it closes the socket itself. */
            MHD_add_connection(s->daemon, fd, (struct sockaddr *)&from, len);
            continue;
        }
        if (atomic_load(&s->stopping))
            return NULL;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            /* Out of descriptors or memory: let connections close, then go on. */
            struct timespec ts = {0, 10000000L};

            log_warn("http: cannot accept a connection: %s", strerror(errno));
            nanosleep(&ts, NULL);
        } else if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN && errno != EPROTO) {
            log_error("http: accepting connections failed: %s", strerror(errno));
            return NULL;
        }
    }
}

/* A listening socket on ss (port 0: one the system picks); -1 when it cannot be had. */
static int listen_on(const struct sockaddr_storage *ss)
{
    int one = 1, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t len =
        ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        (ss->ss_family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
        bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 1024)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The port a socket listens on. */
static unsigned port_of(int fd)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in in4;
        struct sockaddr_in6 in6;
    } at;
    socklen_t len = sizeof(at);

    memset(&at, 0, sizeof(at));
    if (getsockname(fd, &at.sa, &len))
        return 0;
    return ntohs(at.sa.sa_family == AF_INET6 ? at.in6.sin6_port : at.in4.sin_port);
}

struct server *server_start(struct app *a)
{
    struct config *cfg = a->cfg;
    struct server *s = xcalloc(1, sizeof(*s));
    struct sockaddr_storage ss = {0};
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC | MHD_USE_TURBO | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET;
    unsigned threads = cfg->threads;
    size_t nroutes = router_count(a->router);

    raise_fd_limit(cfg->max_connections);
    s->app = a;
    s->body_limit = cfg->body_limit;
    s->access_log = cfg->access_log;
    s->listen_fd = -1;
    pthread_mutex_init(&s->lock, NULL);
    s->route_names = xcalloc(nroutes + 1, sizeof(*s->route_names));
    for (size_t i = 0; i < nroutes; i++)
        s->route_names[i] = router_route(a->router, i)->pattern;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        threads = n > 0 ? (unsigned)n : 1;
    }
    if (strchr(cfg->listen_host, ':')) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)cfg->listen_port);
        if (inet_pton(AF_INET6, cfg->listen_host, &in6->sin6_addr) != 1)
            goto bad_address;
    } else {
        struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;

        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)cfg->listen_port);
        if (inet_pton(AF_INET, cfg->listen_host, &in4->sin_addr) != 1)
            goto bad_address;
    }
    s->listen_fd = listen_on(&ss);
    if (s->listen_fd < 0) {
        log_error("cannot listen on %s:%u (is the port in use?)", cfg->listen_host,
                  cfg->listen_port);
        goto fail;
    }
    s->port = port_of(s->listen_fd);
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        cfg->conn_memory, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_UNESCAPE_CALLBACK,
        no_unescape, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, s, MHD_OPTION_END);
    if (!s->daemon) {
        log_error("cannot start the HTTP workers");
        goto fail;
    }
    if (pthread_create(&s->acceptor, NULL, acceptor, s)) {
        log_error("cannot start the thread that accepts connections");
        MHD_stop_daemon(s->daemon);
        goto fail;
    }
    log_info("listening on http://%s%s%s:%u with %u threads",
             strchr(cfg->listen_host, ':') ? "[" : "", cfg->listen_host,
             strchr(cfg->listen_host, ':') ? "]" : "", s->port, threads);
    return s;

bad_address:
    log_error("bad setting listen: '%s' is not a numeric address", cfg->listen_host);
fail:
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s->route_names);
    pthread_mutex_destroy(&s->lock);
    free(s);
    return NULL;
}

unsigned server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s)
{
    int64_t deadline = clock_mono_us() + (int64_t)LIMIT_SHUTDOWN_MS * 1000;
    struct worker *w, *next;

    if (!s)
        return;
    /* No new connections: the acceptor wakes from accept() and ends. */
    atomic_store(&s->stopping, true);
    shutdown(s->listen_fd, SHUT_RDWR);
    pthread_join(s->acceptor, NULL);
    close(s->listen_fd);
    while (atomic_load(&s->in_flight) > 0 && clock_mono_us() < deadline) {
        struct timespec ts = {0, 10000000L};

        nanosleep(&ts, NULL);
    }
    if (atomic_load(&s->in_flight) > 0)
        log_warn("stopping with %ld requests still in flight", (long)atomic_load(&s->in_flight));
    MHD_stop_daemon(s->daemon);
    for (w = s->workers; w; w = next) {
        next = w->next;
        worker_free(w);
    }
    free(s->route_names);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int server_metrics(struct server *s, struct buf *b)
{
    struct metrics *all[256];
    struct db_stats st;
    size_t n = 0, dbs = 0;
    struct worker *w;
    struct hub *hub = s->app->hub;

    pthread_mutex_lock(&s->lock);
    for (w = s->workers; w && n < ARRAY_LEN(all); w = w->next) {
        all[n++] = &w->metrics;
        dbs += atomic_load_explicit(&w->has_db, memory_order_relaxed);
    }
    pthread_mutex_unlock(&s->lock);
    metrics_write(b, all, n, s->route_names);
    db_stats(&st);
    buf_printf(b,
               "# HELP praxis_http_connections_open Open HTTP connections.\n"
               "# TYPE praxis_http_connections_open gauge\n"
               "praxis_http_connections_open %ld\n"
               "# HELP praxis_live_connections_open Open live streams (Server-Sent Events).\n"
               "# TYPE praxis_live_connections_open gauge\n"
               "praxis_live_connections_open %ld\n"
               "# HELP praxis_http_requests_in_flight Requests being handled.\n"
               "# TYPE praxis_http_requests_in_flight gauge\n"
               "praxis_http_requests_in_flight %ld\n"
               "# HELP praxis_http_workers Worker threads that have served a request.\n"
               "# TYPE praxis_http_workers gauge\n"
               "praxis_http_workers %zu\n",
               (long)atomic_load(&s->connections), (long)atomic_load(&s->live_streams),
               (long)atomic_load(&s->in_flight), n);
    if (hub)
        buf_printf(b,
                   "# HELP praxis_live_subscribers Subscriptions held by the live hub.\n"
                   "# TYPE praxis_live_subscribers gauge\n"
                   "praxis_live_subscribers %ld\n"
                   "# HELP praxis_live_dropped_total Events dropped because a stream fell behind.\n"
                   "# TYPE praxis_live_dropped_total counter\n"
                   "praxis_live_dropped_total %lu\n",
                   hub_subscribers(hub), hub_dropped(hub));
    buf_printf(b,
               "# HELP praxis_db_pool_connections Database connections held by workers.\n"
               "# TYPE praxis_db_pool_connections gauge\n"
               "praxis_db_pool_connections{backend=\"%s\"} %zu\n"
               "# HELP praxis_db_connections_opened_total Database connections opened.\n"
               "# TYPE praxis_db_connections_opened_total counter\n"
               "praxis_db_connections_opened_total %llu\n"
               "# HELP praxis_db_reconnects_total Database reconnections after a loss.\n"
               "# TYPE praxis_db_reconnects_total counter\n"
               "praxis_db_reconnects_total %llu\n"
               "# HELP praxis_db_queries_total Statements run.\n"
               "# TYPE praxis_db_queries_total counter\n"
               "praxis_db_queries_total %llu\n"
               "# HELP praxis_db_errors_total Statements that failed.\n"
               "# TYPE praxis_db_errors_total counter\n"
               "praxis_db_errors_total %llu\n"
               "# HELP praxis_db_transactions_total Transactions begun.\n"
               "# TYPE praxis_db_transactions_total counter\n"
               "praxis_db_transactions_total %llu\n",
               db_backend_name(s->app->backend), dbs,
               (unsigned long long)st.connections_opened_total,
               (unsigned long long)st.reconnects_total, (unsigned long long)st.queries_total,
               (unsigned long long)st.errors_total, (unsigned long long)st.tx_total);
    for (size_t i = 0; i < app_nfeatures; i++)
        if (app_features[i]->metrics)
            app_features[i]->metrics(b);
    return b->toobig ? E_TOOBIG : 0;
}
