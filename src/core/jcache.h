/* jcache.h - a small process-wide cache of parsed JSON values shared
 * between threads, for values that never change once written (immutable
 * versions, or values keyed by their own text), so that no entry can ever
 * be stale on any node. Direct-mapped and bounded: a colliding key replaces
 * the slot's entry. Values are shared: callers must not modify them. */
#ifndef MC_JCACHE_H
#define MC_JCACHE_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

struct jcache_slot;

typedef struct jcache {
	pthread_mutex_t mu;
	size_t nslots;
	struct jcache_slot *slot; /* allocated on first put */
} jcache;

/* Static initializer: `static jcache c = JCACHE_INIT(512);` */
#define JCACHE_INIT(n)                                                                             \
	{                                                                                          \
		PTHREAD_MUTEX_INITIALIZER, (n), NULL                                               \
	}

/* A new reference to the value cached under `key`, or NULL. */
json_t *jcache_get(jcache *c, const char *key);
/* Caches `value` (a reference is taken) under `key` (copied). */
void jcache_put(jcache *c, const char *key, json_t *value);

#endif
