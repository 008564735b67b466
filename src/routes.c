/* routes.c - the route tables of every module, in the order they are
 * matched. Adding a module's HTTP API means adding its table here. */
#include "assistant/assistant.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "catalog/catalog.h"
#include "document/document.h"
#include "dossier/dossier.h"
#include "event/event.h"
#include "exchange/exchange.h"
#include "http/server_internal.h"
#include "notify/notify.h"
#include "ocr/ocr.h"
#include "opendata/opendata.h"
#include "portal/portal.h"
#include "proactive/proactive.h"
#include "registry/registry.h"
#include "result/result.h"
#include "satisfaction/satisfaction.h"
#include "territory/territory.h"
#include "vault/vault.h"

/* One table a line, so that adding a module is one line. */
/* clang-format off */
const http_route *routes_all[] = {
    builtin_routes,
    auth_routes,
    assistant_routes,
    territory_routes,
    calendar_routes,
    catalog_routes,
    document_routes,
    dossier_routes,
    registry_routes,
    event_routes,
    vault_routes,
    result_routes,
    ocr_routes,
    audit_routes,
    opendata_routes,
    opendata_file_routes,
    notify_routes,
    satisfaction_routes,
    exchange_routes,
    proactive_routes,
    portal_routes,
    NULL,
};
/* clang-format on */

const http_stream_route *stream_routes_all[] = {
    opendata_stream_routes,
    NULL,
};
