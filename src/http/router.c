/* router.c - matches a method and path against the route tables (routes.c).
 * Patterns are split on '/'; "{name}" segments match one non-empty segment
 * and are stored, in order, in req->params. */
#include "http/server_internal.h"

#include <string.h>

static int nroutes = -1;
static const http_route *flat[256];

static void flatten(void)
{
	if (nroutes >= 0)
		return;
	int n = 0;
	for (int t = 0; routes_all[t]; t++)
		for (const http_route *r = routes_all[t]; r->method; r++)
			if (n < (int)(sizeof flat / sizeof flat[0]))
				flat[n++] = r;
	nroutes = n;
}

int routes_count(void)
{
	flatten();
	return nroutes;
}

const http_route *routes_at(int i)
{
	flatten();
	return i >= 0 && i < nroutes ? flat[i] : NULL;
}

const http_stream_ops *routes_stream_ops(const http_route *rt)
{
	for (int t = 0; rt && stream_routes_all[t]; t++)
		for (const http_stream_route *r = stream_routes_all[t]; r->handler; r++)
			if (r->handler == rt->handler)
				return r->ops;
	return NULL;
}

void routes_print(FILE *f)
{
	flatten();
	for (int i = 0; i < nroutes; i++)
		fprintf(f, "%s %s\n", flat[i]->method, flat[i]->pattern);
}

/* Matches path against pattern; on success stores params (arena copies). */
static bool match(mc_req *req, const char *pattern, const char *path, bool keep)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		if (pl > 1 && p[0] == '{' && p[pl - 1] == '}') {
			if (sl == 0 || np >= HTTP_MAX_PARAMS)
				return false;
			if (keep)
				req->params[np] = mc_arena_strndup(req->arena, s, sl);
			np++;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return false;
		}
		p += pl;
		s += sl;
	}
	return *p == '\0' && *s == '\0';
}

int router_match(mc_req *req, const char *method, const char *path, int *status, char *allow,
                 size_t allow_len)
{
	flatten();
	allow[0] = '\0';
	bool path_found = false;
	for (int i = 0; i < nroutes; i++) {
		if (!match(req, flat[i]->pattern, path, false))
			continue;
		if (strcmp(flat[i]->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(flat[i]->method, "GET") == 0)) {
			match(req, flat[i]->pattern, path, true);
			return i;
		}
		path_found = true;
		if (strlen(allow) + strlen(flat[i]->method) + 3 < allow_len) {
			if (allow[0])
				strcat(allow, ", ");
			strcat(allow, flat[i]->method);
		}
	}
	*status = path_found ? 405 : 404;
	return -1;
}
