/* mem.c - abort-on-failure allocators, the per-request arena and a growable
 * buffer. See mem.h for the policy. */
#include "core/mem.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "motcua: out of memory (%zu bytes)\n", n);
	abort();
}

void *mc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *mc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *mc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *mc_xstrdup(const char *s)
{
	return mc_xstrndup(s, strlen(s));
}

char *mc_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = mc_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* vasprintf that aborts on failure; *len (nullable) gets the length. */
static char *xvasprintf(const char *fmt, va_list ap, size_t *len)
{
	char *p = NULL;
	int n = vasprintf(&p, fmt, ap);
	if (n < 0)
		oom(0);
	if (len)
		*len = (size_t)n;
	return p;
}

char *mc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap, NULL);
	va_end(ap);
	return p;
}

static void *json_alloc(size_t n)
{
	return mc_xmalloc(n);
}

void mc_mem_init(void)
{
	json_set_alloc_funcs(json_alloc, free);
}

/* Arena: a singly linked list of blocks; big requests get their own block. */
#define ARENA_BLOCK 8192

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct mc_arena {
	struct arena_block *head;
};

mc_arena *mc_arena_new(void)
{
	return mc_xcalloc(1, sizeof(mc_arena));
}

void mc_arena_free(mc_arena *a)
{
	if (!a)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *mc_arena_alloc(mc_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = mc_xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *mc_arena_strndup(mc_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = mc_arena_alloc(a, len + 1);
	memcpy(p, s, len);
	return p;
}

char *mc_arena_strdup(mc_arena *a, const char *s)
{
	return s ? mc_arena_strndup(a, s, SIZE_MAX) : NULL;
}

char *mc_arena_printf(mc_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = mc_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	if (n > 0)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void mc_buf_append(mc_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = mc_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void mc_buf_puts(mc_buf *b, const char *s)
{
	mc_buf_append(b, s, strlen(s));
}

void mc_buf_printf(mc_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap, &n);
	va_end(ap);
	mc_buf_append(b, p, n);
	free(p);
}

char *mc_buf_cstr(mc_buf *b)
{
	if (!b->data)
		mc_buf_append(b, "", 0);
	return b->data;
}

void mc_buf_free(mc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
