/* portal.h - the web portal served by motcua itself: server-rendered pages
 * in Vietnamese and English for citizens, officers and the public, with
 * cookie sessions, CSRF tokens and the static assets of web/static
 * (embedded at build time). Owns no table: it calls the public functions
 * of auth, catalog, territory, calendar, document and dossier. See
 * docs/PORTAL.md. */
#ifndef MC_PORTAL_H
#define MC_PORTAL_H

#include "http/http.h"

/* GET / (home), /assets/{file}, /thu-tuc, /thu-tuc/{code}, /dang-nhap,
 * /dang-xuat, /ho-so, /ho-so/{code}, /nop/{code}, /so-lieu and their form
 * POSTs. */
extern const http_route portal_routes[];

#endif
