/*
 * Replays files through a fuzz target without libFuzzer, so every test run
 * checks the corpus and the saved crashers (SQLite test/fuzzcheck.c). Link
 * with one tests/fuzz/fuzz_<target>.c. Each argument is a file or a
 * directory whose files (not dotfiles, not recursively) are fed in name
 * order. Prints "ok N - path" per input and "1..N"; a crash is the failure
 * signal, an unreadable path is "not ok" and exit status 1.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n_run, n_bad;

/* The file at path in a buffer of exactly its size, so overreads are caught. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t size = 0, got;
    unsigned char chunk[65536];

    n_run++;
    if (!f) {
        n_bad++;
        printf("not ok %d - %s # cannot open\n", n_run, path);
        return -1;
    }
    for (;;) {
        got = fread(chunk, 1, sizeof(chunk), f);
        if (!got)
            break;
        data = xrealloc(data, size + got);
        memcpy(data + size, chunk, got);
        size += got;
    }
    if (ferror(f)) {
        fclose(f);
        free(data);
        n_bad++;
        printf("not ok %d - %s # read error\n", n_run, path);
        return -1;
    }
    fclose(f);
    if (!data)
        data = xmalloc(1);
    printf("# %s (%zu bytes)\n", path, size);
    fflush(stdout);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    printf("ok %d - %s\n", n_run, path);
    fflush(stdout);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **names = NULL;
    size_t n = 0, i;

    if (!d) {
        n_run++;
        n_bad++;
        printf("not ok %d - %s # cannot open directory\n", n_run, dir);
        return;
    }
    for (;;) {
        size_t len;

        ent = readdir(d);
        if (!ent)
            break;
        if (ent->d_name[0] == '.')
            continue;
        len = strlen(dir) + strlen(ent->d_name) + 2;
        names = xrealloc(names, (n + 1) * sizeof(*names));
        names[n] = xmalloc(len);
        snprintf(names[n], len, "%s/%s", dir, ent->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (i = 0; i < n; i++) {
        struct stat st;

        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            run_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        struct stat st;

        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            run_dir(argv[i]);
        else
            run_file(argv[i]);
    }
    printf("1..%d\n", n_run);
    return n_bad ? 1 : 0;
}
