/* mem.h - allocation policy and the per-request arena.
 *
 * Policy (decided once for the whole program): allocation failure is not
 * recoverable; mc_xmalloc and friends print a message and abort(). Nothing
 * acknowledged is lost by that, because acknowledgement happens only after a
 * durable commit. Jansson is set up to use the same policy (mc_mem_init).
 *
 * mc_arena: bump allocator owning everything a request allocates for
 * itself; freed in one go when the request ends. */
#ifndef MC_MEM_H
#define MC_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *mc_xmalloc(size_t n);
void *mc_xcalloc(size_t n, size_t size);
void *mc_xrealloc(void *p, size_t n);
char *mc_xstrdup(const char *s);
char *mc_xstrndup(const char *s, size_t n);
/* malloc'ed printf; caller frees. */
char *mc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Installs the abort-on-failure allocators into jansson. Call once at start. */
void mc_mem_init(void);

typedef struct mc_arena mc_arena;

mc_arena *mc_arena_new(void);
/* Frees every block of the arena and the arena itself. NULL is a no-op. */
void mc_arena_free(mc_arena *a);
/* Zeroed, 16-byte aligned memory living until mc_arena_free. */
void *mc_arena_alloc(mc_arena *a, size_t n);
char *mc_arena_strdup(mc_arena *a, const char *s);
char *mc_arena_strndup(mc_arena *a, const char *s, size_t n);
char *mc_arena_printf(mc_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Growable byte buffer (malloc'ed). */
typedef struct mc_buf {
	char *data;
	size_t len, cap;
} mc_buf;
void mc_buf_append(mc_buf *b, const void *p, size_t n);
void mc_buf_puts(mc_buf *b, const char *s);
void mc_buf_printf(mc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminates without counting the NUL in len; returns data. */
char *mc_buf_cstr(mc_buf *b);
void mc_buf_free(mc_buf *b);

#endif
