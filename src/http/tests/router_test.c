/* router_test.c - route matching over the real route tables: parameters,
 * 404 versus 405 with the allowed methods, HEAD as GET, exact segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "http/server_internal.h"
#include <string.h>

static int match(mc_req *r, const char *method, const char *path, int *status, char *allow)
{
	memset(r->params, 0, sizeof r->params);
	*status = 0;
	return router_match(r, method, path, status, allow, 64);
}

static void test_params(void **state)
{
	(void)state;
	mc_req r = {.arena = mc_arena_new()};
	int status;
	char allow[64];
	int i = match(&r, "GET", "/api/v1/procedures/1.001193", &status, allow);
	assert_true(i >= 0);
	assert_string_equal(routes_at(i)->pattern, "/api/v1/procedures/{code}");
	assert_string_equal(r.params[0], "1.001193");
	i = match(&r, "POST", "/api/v1/dossiers/UBND-00004-261127-0001/actions", &status, allow);
	assert_true(i >= 0);
	assert_string_equal(routes_at(i)->pattern, "/api/v1/dossiers/{code}/actions");
	assert_string_equal(r.params[0], "UBND-00004-261127-0001");
	/* the root is its own route and matches nothing else */
	i = match(&r, "GET", "/", &status, allow);
	assert_true(i >= 0);
	assert_string_equal(routes_at(i)->pattern, "/");
	mc_arena_free(r.arena);
}

static void test_not_found_and_method(void **state)
{
	(void)state;
	mc_req r = {.arena = mc_arena_new()};
	int status;
	char allow[64];
	/* an empty parameter, an extra segment, a trailing slash: no route */
	assert_int_equal(match(&r, "GET", "/api/v1/procedures//form", &status, allow), -1);
	assert_int_equal(status, 404);
	assert_int_equal(match(&r, "GET", "/api/v1/procedures/x/form/extra", &status, allow), -1);
	assert_int_equal(status, 404);
	assert_int_equal(match(&r, "GET", "/healthz/", &status, allow), -1);
	assert_int_equal(status, 404);
	assert_int_equal(match(&r, "GET", "/api/v1/procedure", &status, allow), -1);
	assert_int_equal(status, 404);
	/* a known path with another method: 405 and what is allowed */
	assert_int_equal(match(&r, "DELETE", "/api/v1/procedures", &status, allow), -1);
	assert_int_equal(status, 405);
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(allow, "POST"));
	assert_null(strstr(allow, "DELETE"));
	/* HEAD is served by the GET route */
	int i = match(&r, "HEAD", "/healthz", &status, allow);
	assert_true(i >= 0);
	assert_string_equal(routes_at(i)->method, "GET");
	mc_arena_free(r.arena);
}

static void test_every_route_matches_itself(void **state)
{
	(void)state;
	mc_req r = {.arena = mc_arena_new()};
	int status;
	char allow[64], path[256];
	assert_true(routes_count() > 30);
	for (int i = 0; i < routes_count(); i++) {
		const http_route *rt = routes_at(i);
		/* fill every {param} with "x" */
		size_t n = 0;
		for (const char *p = rt->pattern; *p && n < sizeof path - 2; p++) {
			if (*p == '{') {
				path[n++] = 'x';
				while (*p && *p != '}')
					p++;
			} else {
				path[n++] = *p;
			}
		}
		path[n] = '\0';
		int j = match(&r, rt->method, path, &status, allow);
		assert_true(j >= 0);
		assert_string_equal(routes_at(j)->pattern, rt->pattern);
		assert_string_equal(routes_at(j)->method, rt->method);
	}
	mc_arena_free(r.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_params),
	    cmocka_unit_test(test_not_found_and_method),
	    cmocka_unit_test(test_every_route_matches_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
