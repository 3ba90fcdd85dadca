/*
 * struct str: a non-owning view of bytes, passed by value. It is not
 * necessarily NUL-terminated; use str_dup() into an arena when a C string is
 * needed.
 */
#ifndef PRAXIS_CORE_STR_H
#define PRAXIS_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct str {
    const char *ptr;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define STR_NULL   ((struct str){NULL, 0})

/* A view of a C string; NULL gives the empty view. */
struct str str_c(const char *s);
static inline struct str str_make(const char *p, size_t n)
{
    return (struct str){p, n};
}
bool str_eq(struct str a, struct str b);
bool str_eq_c(struct str a, const char *b);
/* ASCII case-insensitive comparison. */
bool str_case_eq(struct str a, struct str b);
bool str_starts_with(struct str s, struct str prefix);
bool str_ends_with(struct str s, struct str suffix);
/* Leading and trailing spaces, tabs and line breaks removed. */
struct str str_trim(struct str s);
/* The value of a hexadecimal digit (either case), or -1. */
int hex_value(char c);
/* Index of the first c in s, or -1. */
long str_index(struct str s, char c);
/* A NUL-terminated copy in the arena. */
char *str_dup(struct arena *a, struct str s);
/*
 * Parse a whole decimal integer (optional leading '-'), range-checked.
 * Returns 0 or E_INVAL.
 */
int str_to_i64(struct str s, int64_t *out);

#endif
