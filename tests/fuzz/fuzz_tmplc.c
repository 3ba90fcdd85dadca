/*
 * libFuzzer harness for the template compiler: any bytes must compile or be
 * refused with a located message, never crash, leak or read out of bounds.
 * tmplc.c is included whole (without its main) to reach tmplc_compile().
 */
#define TMPLC_NO_MAIN
#include <stdint.h>

#include "../../tools/tmplc.c" /* NOLINT(bugprone-suspicious-include) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "src/fuzz/fuzz.html";
    char err[512];
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    int rc;

    if (!out)
        abort();
    rc = tmplc_compile((const char *)data, size, name, out, err, sizeof(err));
    if (fclose(out) != 0)
        abort();
    if (rc == 0) {
        /* A compiled template is one whole function. */
        if (err[0] != '\0' ||
            !strstr(text, "int view_fuzz(struct buf *b, const struct "
                          "view_fuzz *v)\n{\n") ||
            !strstr(text, "    return tmpl_done(b);\n}\n"))
            abort();
    } else {
        /* A refusal names the file, a line and a column. */
        if (rc != -1 || strncmp(err, "src/fuzz/fuzz.html:", sizeof(name)) != 0 ||
            !strstr(err, ": error: "))
            abort();
    }
    free(text);
    return 0;
}
