/*
 * sse: hold many live streams on a praxis server and measure them (bench/live.sh).
 *
 *   sse -p PORT -s PATH -t TOKEN -n N [-P POST_PORT -m PATH -k K] [-r PID] [-c CMD]
 *
 * Opens N streams to 127.0.0.1:PORT PATH (Authorization: Bearer TOKEN) and
 * waits until each has answered 200 and sent its first bytes. With -r, reads
 * the server's resident memory before and after and prints the memory per
 * held stream. With -c, runs CMD (a wrk run) while they are held and reads
 * the streams' traffic meanwhile. With -m, posts K messages, one at a time,
 * to 127.0.0.1:POST_PORT PATH as {"body":"mark-<i>-…"} and measures, for
 * each, the time from the POST's response to the moment the last of the N
 * streams has it; prints p50 and p99 over the K messages.
 *
 * One thread, epoll, nonblocking sockets. Figures only; it asserts nothing.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd;
    int state; /* 0 connecting/sent, 1 open (got first bytes), 2 dead */
    int seen;  /* the last mark seen */
    char carry[48];
    size_t ncarry;
};

static struct conn *conns;
static int nconns, nopen, ndead, ep;
static int mark_now = -1, mark_seen;

/* A whole number at the start of s (digits only), or -1. */
static long num(const char *s)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    return end == s || errno || v < 0 ? -1 : v;
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(int pid)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* A blocking connect: on loopback it returns as soon as the kernel queued the connection. */
static int connect_to(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Look for "mark-<k>-" in what came, with the tail of the last read before it. */
static void scan(struct conn *c, const char *buf, size_t n)
{
    char tmp[48 + 4096 + 1];
    size_t len = 0;
    const char *p;

    if (n > 4096) { /* only the end can hold a mark split over reads; look at both */
        scan(c, buf, n - 4096);
        buf += n - 4096;
        n = 4096;
    }
    memcpy(tmp, c->carry, c->ncarry);
    len = c->ncarry;
    memcpy(tmp + len, buf, n);
    len += n;
    tmp[len] = '\0';
    for (p = tmp; (p = memmem(p, len - (size_t)(p - tmp), "mark-", 5)); p += 5) {
        long k = num(p + 5);

        if (k > c->seen) {
            c->seen = (int)k;
            if (k == mark_now)
                mark_seen++;
        }
    }
    c->ncarry = len < 40 ? len : 40;
    memcpy(c->carry, tmp + len - c->ncarry, c->ncarry);
}

static void on_readable(struct conn *c)
{
    char buf[16384];

    for (;;) {
        ssize_t n = read(c->fd, buf, sizeof(buf));

        if (n > 0) {
            if (c->state == 0) {
                if (n < 12 || memcmp(buf + 9, "200", 3)) {
                    fprintf(stderr, "sse: a stream answered: %.60s\n", buf);
                    c->state = 2;
                    ndead++;
                    close(c->fd);
                    return;
                }
                c->state = 1;
                nopen++;
            }
            scan(c, buf, (size_t)n);
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            if (c->state != 2) {
                if (c->state == 1)
                    nopen--;
                c->state = 2;
                ndead++;
                close(c->fd);
            }
        }
        return;
    }
}

static void pump(int timeout_ms)
{
    struct epoll_event evs[512];
    int n = epoll_wait(ep, evs, 512, timeout_ms);

    for (int i = 0; i < n; i++)
        on_readable(&conns[evs[i].data.u32]);
}

/* One blocking request on a keep-alive socket: returns the status, or -1. */
static int request(int *fd, int port, const char *req, size_t len)
{
    char buf[65536];
    size_t got = 0;
    long body = -1;
    char *end = NULL;

    if (*fd < 0) {
        int one = 1;
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (connect(*fd, (struct sockaddr *)&a, sizeof(a)))
            return -1;
    }
    if (write(*fd, req, len) != (ssize_t)len)
        return -1;
    for (;;) {
        ssize_t n = read(*fd, buf + got, sizeof(buf) - 1 - got);

        if (n <= 0)
            return -1;
        got += (size_t)n;
        buf[got] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            char *cl = strcasestr(buf, "content-length:");

            body = cl ? strtol(cl + 15, NULL, 10) : 0;
        }
        if (end && got >= (size_t)(end + 4 - buf) + (size_t)body)
            return (int)num(buf + 9);
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int port = 0, post_port = 0, n = 0, k = 20, pid = 0, opt;
    const char *path = NULL, *token = NULL, *post_path = NULL, *cmd = NULL;
    struct rlimit rl;
    char req[2048];
    int reqlen;
    long rss0 = 0, rss1 = 0;
    double t0;

    while ((opt = getopt(argc, argv, "p:s:t:n:P:m:k:r:c:")) != -1) {
        switch (opt) {
        case 'p':
            port = (int)num(optarg);
            break;
        case 's':
            path = optarg;
            break;
        case 't':
            token = optarg;
            break;
        case 'n':
            n = (int)num(optarg);
            break;
        case 'P':
            post_port = (int)num(optarg);
            break;
        case 'm':
            post_path = optarg;
            break;
        case 'k':
            k = (int)num(optarg);
            break;
        case 'r':
            pid = (int)num(optarg);
            break;
        case 'c':
            cmd = optarg;
            break;
        default:
            return 2;
        }
    }
    if (!port || !path || !token || n <= 0) {
        fprintf(
            stderr,
            "usage: sse -p PORT -s PATH -t TOKEN -n N [-P PORT -m PATH -k K] [-r PID] [-c CMD]\n");
        return 2;
    }
    if (!post_port)
        post_port = port;
    if (!getrlimit(RLIMIT_NOFILE, &rl)) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    conns = calloc((size_t)n, sizeof(*conns));
    ep = epoll_create1(EPOLL_CLOEXEC);
    reqlen = snprintf(req, sizeof(req),
                      "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                      "Authorization: Bearer %s\r\n\r\n",
                      path, token);
    if (pid)
        rss0 = rss_kb(pid);
    t0 = now_ms();
    /* Open in batches, so the server's accept queue is never flooded. */
    for (int i = 0; i < n; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        struct conn *c = &conns[i];

        c->fd = connect_to(port);
        if (c->fd < 0 || write(c->fd, req, (size_t)reqlen) != reqlen) {
            fprintf(stderr, "sse: cannot open stream %d: %s\n", i, strerror(errno));
            if (c->fd >= 0)
                close(c->fd);
            n = i;
            break;
        }
        fcntl(c->fd, F_SETFL, O_NONBLOCK);
        nconns++;
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
        if (i % 200 == 199)
            while (nopen + ndead < i - 400)
                pump(100);
    }
    while (nopen + ndead < nconns && now_ms() - t0 < 120000)
        pump(100);
    printf("streams: %d open, %d failed, opened in %.1f s\n", nopen, ndead, (now_ms() - t0) / 1000);
    if (pid) {
        /* Let the server settle (its presence writes) before reading its memory. */
        double until = now_ms() + 2500;

        while (now_ms() < until)
            pump(100);
        rss1 = rss_kb(pid);
        printf("memory: server RSS %ld kB before, %ld kB after: %.1f kB per held stream\n", rss0,
               rss1, nopen ? (double)(rss1 - rss0) / nopen : 0.0);
    }
    fflush(stdout);
    if (cmd) {
        FILE *p = popen(cmd, "r");
        char line[512];
        int fd = fileno(p);

        fcntl(fd, F_SETFL, O_NONBLOCK);
        for (;;) {
            ssize_t got;

            pump(50);
            got = read(fd, line, sizeof(line) - 1);
            if (got > 0) {
                fwrite(line, 1, (size_t)got, stdout);
                continue;
            }
            if (got == 0)
                break;
        }
        pclose(p);
        printf("streams still open after the run: %d\n", nopen);
    }
    if (post_path) {
        double *lat = calloc((size_t)k, sizeof(double));
        int pfd = -1, done = 0;

        for (int i = 1; i <= k; i++) {
            char body[128], preq[2048];
            int blen = snprintf(body, sizeof(body), "{\"body\":\"mark-%d- fanned out\"}", i);
            int plen =
                snprintf(preq, sizeof(preq),
                         "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                         "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                         post_path, token, blen, body);
            double t_resp, t_last;
            int status;

            mark_now = i;
            mark_seen = 0;
            status = request(&pfd, post_port, preq, (size_t)plen);
            t_resp = now_ms();
            if (status != 201) {
                fprintf(stderr, "sse: the post answered %d\n", status);
                break;
            }
            while (mark_seen < nopen && now_ms() - t_resp < 10000)
                pump(5);
            t_last = now_ms();
            lat[done++] = t_last - t_resp;
            if (mark_seen < nopen)
                fprintf(stderr, "sse: message %d reached %d of %d streams\n", i, mark_seen, nopen);
        }
        qsort(lat, (size_t)done, sizeof(*lat), cmp);
        if (done)
            printf(
                "fan-out: %d messages to %d streams: last delivery after the response p50 %.1f ms, "
                "p99 %.1f ms\n",
                done, nopen, lat[done / 2],
                lat[(done * 99) / 100 < done ? (done * 99) / 100 : done - 1]);
        free(lat);
    }
    for (int i = 0; i < nconns; i++)
        if (conns[i].state != 2)
            close(conns[i].fd);
    free(conns);
    return 0;
}
