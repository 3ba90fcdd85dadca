/*
 * The reference for `make bench`: a minimal libmicrohttpd server, configured
 * as praxis's own (internal thread pool, one thread per core, epoll, turbo),
 * answering every request from memory with the bytes of a file. It is the
 * ceiling for our stack: what praxis would reach if routing, the database and
 * rendering cost nothing.
 *
 *     bench/ref PORT FILE [CONTENT-TYPE]
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *body;
static size_t body_len;
static const char *ctype = "text/html; charset=utf-8";

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    struct MHD_Response *r;
    enum MHD_Result ok;
    static int marker;

    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload;
    if (!*state) { /* answer on the second call, as praxis does, to keep the connection */
        *state = &marker;
        return MHD_YES;
    }
    *upload_size = 0;
    r = MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", ctype);
    ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

int main(int argc, char **argv)
{
    struct MHD_Daemon *d;
    FILE *f;
    long n;
    sigset_t set;
    int sig;

    if (argc < 3) {
        fprintf(stderr, "usage: ref PORT FILE [CONTENT-TYPE]\n");
        return 2;
    }
    if (argc > 3)
        ctype = argv[3];
    f = fopen(argv[2], "rb");
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        perror(argv[2]);
        return 1;
    }
    body_len = (size_t)n;
    body = malloc(body_len + 1);
    if (!body || fread(body, 1, body_len, f) != body_len) {
        perror("read");
        return 1;
    }
    fclose(f);
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
                         (uint16_t)strtoul(argv[1], NULL, 10), NULL, NULL, answer, NULL,
                         MHD_OPTION_THREAD_POOL_SIZE, (unsigned)sysconf(_SC_NPROCESSORS_ONLN),
                         MHD_OPTION_CONNECTION_LIMIT, 10000u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "ref: cannot listen on %s\n", argv[1]);
        return 1;
    }
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    free(body);
    return 0;
}
