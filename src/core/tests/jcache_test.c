/* jcache_test.c - the shared cache of immutable JSON values: hits, misses,
 * replacement on collision, references, concurrent use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/jcache.h"
#include "core/mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_hit_and_miss(void **state)
{
	(void)state;
	static jcache c = JCACHE_INIT(64);
	assert_null(jcache_get(&c, "a"));
	json_t *v = json_pack("{s:i}", "n", 1);
	jcache_put(&c, "a", v);
	json_t *got = jcache_get(&c, "a");
	assert_ptr_equal(got, v);
	/* the cache holds its own reference: ours and the one we got remain */
	json_decref(v);
	assert_int_equal(json_integer_value(json_object_get(got, "n")), 1);
	json_decref(got);
	assert_null(jcache_get(&c, "b"));
	assert_null(jcache_get(&c, "a "));
}

static void test_collision_replaces(void **state)
{
	(void)state;
	static jcache one = JCACHE_INIT(1); /* every key collides */
	json_t *x = json_string("x"), *y = json_string("y");
	jcache_put(&one, "x", x);
	jcache_put(&one, "y", y);
	assert_null(jcache_get(&one, "x"));
	json_t *got = jcache_get(&one, "y");
	assert_string_equal(json_string_value(got), "y");
	json_decref(got);
	/* x is still ours, intact, after the cache let it go */
	assert_string_equal(json_string_value(x), "x");
	json_decref(x);
	json_decref(y);
}

static jcache shared = JCACHE_INIT(8);

static void *worker(void *arg)
{
	int id = *(int *)arg;
	char key[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "k%d", (i + id) % 20);
		json_t *v = jcache_get(&shared, key);
		if (v) {
			/* a hit is always the value put under that key */
			if (strcmp(json_string_value(v), key) != 0)
				abort();
			json_decref(v);
		} else {
			v = json_string(key);
			jcache_put(&shared, key, v);
			json_decref(v);
		}
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	(void)state;
	pthread_t th[4];
	int ids[4] = {0, 1, 2, 3};
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, &ids[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	int hits = 0;
	for (int k = 0; k < 20; k++) {
		char key[32];
		snprintf(key, sizeof key, "k%d", k);
		json_t *v = jcache_get(&shared, key);
		if (v) {
			assert_string_equal(json_string_value(v), key);
			hits++;
			json_decref(v);
		}
	}
	assert_true(hits > 0 && hits <= 8);
}

int main(void)
{
	mc_mem_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_and_miss),
	    cmocka_unit_test(test_collision_replaces),
	    cmocka_unit_test(test_concurrent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
