/* routes.c - the route tables of every module, in the order they are
 * matched. Adding a module's HTTP API means adding its table here. */
#include "audit/audit.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "catalog/catalog.h"
#include "document/document.h"
#include "dossier/dossier.h"
#include "event/event.h"
#include "exchange/exchange.h"
#include "http/server_internal.h"
#include "ocr/ocr.h"
#include "opendata/opendata.h"
#include "portal/portal.h"
#include "registry/registry.h"
#include "result/result.h"
#include "territory/territory.h"
#include "vault/vault.h"

const http_route *routes_all[] = {
    builtin_routes,  auth_routes,     territory_routes,
    calendar_routes, catalog_routes,  document_routes,
    dossier_routes,  registry_routes, event_routes,
    vault_routes,    result_routes,   ocr_routes,
    audit_routes,    opendata_routes, opendata_file_routes,
    exchange_routes, portal_routes,   NULL,
};

const http_stream_route *stream_routes_all[] = {
    opendata_stream_routes,
    NULL,
};
