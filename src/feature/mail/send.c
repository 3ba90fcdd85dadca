/*
 * The transports: a composed message leaves as a file or over SMTP. Each
 * call is one try; the mail.send job (mail.c) records the outcome in the
 * outbox and the jobs queue tries again later when it was a passing failure.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/err.h"
#include "feature/mail/mail_int.h"

#define SMTP_CONNECT_TIMEOUT 15L  /* seconds to reach the server */
#define SMTP_TIMEOUT         120L /* seconds for the whole exchange */

int mail_transport_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : E_IO;
}

void mail_transport_fini(void)
{
    curl_global_cleanup();
}

/* File ------------------------------------------------------------------- */

/* mkdir -p for the mail folder: the data folder need not exist on PostgreSQL. */
static int make_dirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);

    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0750) && errno != EEXIST)
            return -1;
        tmp[i] = path[i];
    }
    return 0;
}

static int write_all(int fd, struct str s)
{
    size_t off = 0;

    while (off < s.len) {
        ssize_t k = write(fd, s.ptr + off, s.len - off);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        off += (size_t)k;
    }
    return 0;
}

enum send_result mail_send_file(const struct config *cfg, const char *name, struct str message,
                                char *err, size_t errlen)
{
    char dir[4096], tmp[4400], path[4400];
    int fd, saved;

    snprintf(dir, sizeof(dir), "%s/mail", cfg->data);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    /* A reader watching the folder never sees half a message: it appears whole, by rename. */
    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
    if (make_dirs(dir)) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return SEND_RETRY;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return SEND_RETRY;
    }
    if (write_all(fd, message) || fsync(fd)) {
        saved = errno;
        close(fd);
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(saved));
        return SEND_RETRY;
    }
    if (close(fd) || rename(tmp, path)) {
        saved = errno;
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved));
        return SEND_RETRY;
    }
    return SEND_OK;
}

/* SMTP ------------------------------------------------------------------- */

struct upload {
    struct str msg;
    size_t off;
};

static size_t upload_read(char *to, size_t size, size_t n, void *arg)
{
    struct upload *u = arg;
    size_t room = size * n, left = u->msg.len - u->off;
    size_t k = left < room ? left : room;

    memcpy(to, u->msg.ptr + u->off, k);
    u->off += k;
    return k;
}

/* The reply code of a line such as "550 5.1.1 no such user", or 0. */
static long reply_code(const char *line, size_t n)
{
    if (n < 3 || line[0] < '1' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
        line[2] < '0' || line[2] > '9')
        return 0;
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

/*
 * The server's last refusal (a reply of 400 or more), which says why a
 * message was not taken: the replies after it (to QUIT) say nothing.
 */
struct reply {
    char line[256];
};

static int on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
    struct reply *r = arg;
    size_t n = 0;

    (void)c;
    if (type != CURLINFO_HEADER_IN || reply_code(data, size) < 400)
        return 0;
    while (n < size && n + 1 < sizeof(r->line) && data[n] != '\r' && data[n] != '\n') {
        /* Only printable ASCII reaches the log and the outbox. */
        r->line[n] = data[n];
        if (data[n] < 0x20 || data[n] >= 0x7f)
            r->line[n] = '?';
        n++;
    }
    r->line[n] = '\0';
    return 0;
}

enum send_result mail_send_smtp(const struct config *cfg, const char *from, const char *to,
                                struct str message, char *err, size_t errlen)
{
    struct upload up = {message, 0};
    struct reply reply = {""};
    char curl_err[CURL_ERROR_SIZE] = "";
    char mail_from[300], rcpt_to[300];
    struct curl_slist *rcpt;
    CURL *c = curl_easy_init();
    enum send_result out;
    CURLcode res;
    long code = 0;

    if (!c) {
        snprintf(err, errlen, "cannot start libcurl");
        return SEND_RETRY;
    }
    snprintf(mail_from, sizeof(mail_from), "<%s>", from);
    snprintf(rcpt_to, sizeof(rcpt_to), "<%s>", to);
    rcpt = curl_slist_append(NULL, rcpt_to);
    if (!rcpt) {
        curl_easy_cleanup(c);
        snprintf(err, errlen, "out of memory");
        return SEND_RETRY;
    }
    curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)message.len);
    /* smtps:// is TLS from the first byte; for smtp:// this decides STARTTLS. */
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     cfg->smtp_starttls == SMTP_STARTTLS_REQUIRED   ? (long)CURLUSESSL_ALL
                     : cfg->smtp_starttls == SMTP_STARTTLS_OPTIONAL ? (long)CURLUSESSL_TRY
                                                                    : (long)CURLUSESSL_NONE);
    if (*cfg->smtp_user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
    }
    if (*cfg->smtp_ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->smtp_ca_file);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, SMTP_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    /* The debug callback sees the server's replies; it never prints anything itself. */
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &reply);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    res = curl_easy_perform(c);
    if (res != CURLE_OK) {
        code = reply_code(reply.line, strlen(reply.line));
        if (!code)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    if (res == CURLE_OK)
        return SEND_OK;
    /* A 5xx says the message will never be taken as it is: trying again only repeats it. */
    out = code >= 500 && code < 600 ? SEND_FAIL : SEND_RETRY;
    if (reply.line[0])
        snprintf(err, errlen, "%s", reply.line);
    else if (code >= 400)
        snprintf(err, errlen, "%ld (%s)", code, curl_err[0] ? curl_err : curl_easy_strerror(res));
    else
        snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(res));
    return out;
}
