/* document.h - uploaded attachments: stored once by SHA-256 under
 * DATA/blobs, with owner, media type and size. Owns table document. */
#ifndef MC_DOCUMENT_H
#define MC_DOCUMENT_H

#include "http/http.h"
#include "store/store.h"

/* Loads document metadata {id, sha256, media_type, size, owner} as JSON.
 * NOT_FOUND when absent. */
mc_err document_get(store_conn *c, const char *id, json_t **out, mc_diag *diag);

extern const http_route document_routes[];

#endif
