/* document.h - uploaded attachments: stored once by SHA-256 under
 * DATA/blobs, with owner, media type and size. Owns table document. */
#ifndef MC_DOCUMENT_H
#define MC_DOCUMENT_H

#include "http/http.h"
#include "store/store.h"
#include <stdint.h>

/* Caps: file name given with ?name= (bytes) and the id length. */
#define DOCUMENT_NAME_MAX 255
#define DOCUMENT_ID_LEN 32

/* Loads document metadata {id, sha256, media_type, size, name, owner,
 * created_at} as JSON; `owner` is the uploader's user id (integer).
 * NOT_FOUND when absent. */
mc_err document_get(store_conn *c, const char *id, json_t **out, mc_diag *diag);

/* Normalises a Content-Type header value ("image/PNG; x=y" -> "image/png")
 * into buf (>= 64 bytes) and checks it is one of application/pdf,
 * image/png, image/jpeg, image/tiff (MC_ERR_MEDIA_TYPE otherwise). */
mc_err document_media_type(const char *content_type, char *buf, size_t bufsize, mc_diag *diag);

/* True when the first bytes of p (n bytes) are the magic number of the
 * (normalised) media type. */
bool document_magic_ok(const char *media_type, const void *p, size_t n);

/* Stores `n` bytes of `media_type` for user `owner_user_id` (username
 * `actor` for the audit log): checks type and magic number (415/422), size
 * (<= app->max_upload, 413; empty: 422) and name (<= DOCUMENT_NAME_MAX
 * bytes, valid UTF-8 without control characters, 400); writes the blob
 * durably (temp file, fsync, rename, fsync of the directory) unless the
 * same content is already stored, then inserts the row and an audit entry.
 * *out gets {id, sha256, media_type, size, name, created_at}. */
mc_err document_put(mc_app *app, int64_t owner_user_id, const char *actor, const char *media_type,
                    const void *p, size_t n, const char *name, json_t **out, mc_diag *diag);

/* Reads the content of a stored document (metadata from document_get) into
 * a malloc'ed buffer; the caller frees *data. MC_ERR_IO when the blob is
 * missing or its size differs from the metadata. */
mc_err document_read_content(mc_app *app, json_t *meta, void **data, size_t *n, mc_diag *diag);

extern const http_route document_routes[];

#endif
