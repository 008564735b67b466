/* text.h - Vietnamese-aware text helpers: diacritic folding for search,
 * UTF-8 checks, trimming. Pure functions, no I/O. */
#ifndef MC_TEXT_H
#define MC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Folds `in` for search: lower case, Vietnamese diacritics removed, đ/Đ -> d,
 * every run of non-alphanumeric characters becomes one space, trimmed.
 * "Đăng ký KHAI SINH!" -> "dang ky khai sinh". Returns a malloc'ed string. */
char *text_fold(const char *in);

/* True when the `len` bytes at s are valid UTF-8 without NUL bytes. */
bool text_utf8_valid(const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t text_utf8_len(const char *s);

/* Copies at most `max` bytes of s trimmed of ASCII white space into a new
 * malloc'ed string. */
char *text_trim_dup(const char *s, size_t max);

/* True when s starts with prefix. */
bool text_starts_with(const char *s, const char *prefix);

#endif
