#include "core/rand.h"

#include <errno.h>
#include <sys/random.h>

#include "core/alloc.h"

void rand_bytes(void *p, size_t n)
{
    unsigned char *c = p;

    while (n) {
        ssize_t got = getrandom(c, n, 0);

        if (got < 0) {
            if (errno == EINTR)
                continue;
            BUG("getrandom failed");
        }
        c += got;
        n -= (size_t)got;
    }
}

uint64_t rand_u64(void)
{
    uint64_t v;

    rand_bytes(&v, sizeof(v));
    return v;
}

void rand_hex(char *out, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[64];
    size_t i, done = 0;

    while (done < n) {
        size_t k = n - done < sizeof(b) ? n - done : sizeof(b);

        rand_bytes(b, k);
        for (i = 0; i < k; i++) {
            out[2 * (done + i)] = hex[b[i] >> 4];
            out[2 * (done + i) + 1] = hex[b[i] & 15];
        }
        done += k;
    }
    out[2 * n] = '\0';
}
