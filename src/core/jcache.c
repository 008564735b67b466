/* jcache.c - the shared, bounded cache of immutable JSON values (jcache.h). */
#include "core/jcache.h"

#include "core/mem.h"
#include <stdlib.h>
#include <string.h>

struct jcache_slot {
	char *key;
	json_t *value;
};

static size_t slot_of(const jcache *c, const char *key)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % c->nslots;
}

json_t *jcache_get(jcache *c, const char *key)
{
	json_t *v = NULL;
	size_t i = slot_of(c, key);
	pthread_mutex_lock(&c->mu);
	if (c->slot && c->slot[i].key && strcmp(c->slot[i].key, key) == 0)
		v = json_incref(c->slot[i].value);
	pthread_mutex_unlock(&c->mu);
	return v;
}

void jcache_put(jcache *c, const char *key, json_t *value)
{
	size_t i = slot_of(c, key);
	char *copy = mc_xstrdup(key);
	pthread_mutex_lock(&c->mu);
	if (!c->slot)
		c->slot = mc_xcalloc(c->nslots, sizeof *c->slot);
	char *old_key = c->slot[i].key;
	json_t *old_value = c->slot[i].value;
	c->slot[i].key = copy;
	c->slot[i].value = json_incref(value);
	pthread_mutex_unlock(&c->mu);
	free(old_key);
	json_decref(old_value);
}
