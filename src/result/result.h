/* result.h - signed electronic results. When a dossier is finished, its
 * result becomes an electronic document: a JSON object (format
 * "motcua.result/1") whose canonical bytes are signed with the issuing
 * agency's Ed25519 key (libsodium crypto_sign) and stored as they were
 * signed. Anyone can verify a result by its id (GET /verify/{id}); a QR code
 * encodes that address. Agencies' secret keys are encrypted at rest with the
 * node's master key (XChaCha20-Poly1305); rotation retires the active key
 * and keeps its public key, so old results stay verifiable. Owns tables
 * result_key and result.
 *
 * Document members: format, id, dossier_code, procedure {code, name},
 * applicant {username, person_id}, issuing_agency {code, name, name_en},
 * issued_at, signing_key (key id), content (the officer's result object). */
#ifndef MC_RESULT_H
#define MC_RESULT_H

#include "http/http.h"
#include "store/store.h"
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

#define RESULT_ID_LEN 32           /* hex digits of a result id */
#define RESULT_KEY_ID_LEN 17       /* "k" + 16 hex digits */
#define RESULT_MASTER_KEY_BYTES 32 /* crypto_aead_xchacha20poly1305_ietf_KEYBYTES */
#define RESULT_CONTENT_MAX 65536   /* bytes of the canonical result content */
#define RESULT_REASON_MAX 1000     /* bytes of a revocation reason */
#define RESULT_PUBLIC_URL_MAX 200  /* bytes of --public-url */
#define RESULT_FORMAT "motcua.result/1"

/* ---- configuration (process-wide, set once at start-up) ---- */

/* Creates the master key file `path` (32 random bytes written as 64 hex
 * digits and a newline, mode 0600, durably) unless it exists. *created tells
 * whether it was made. Several nodes sharing one database must share this
 * file. */
mc_err result_master_key_create(const char *path, bool *created, mc_diag *diag);
/* Reads the master key file (64 hex digits, optional trailing newline) and
 * makes it the process's master key. MC_ERR_IO when unreadable,
 * MC_ERR_INVALID when malformed or readable by group/others. */
mc_err result_master_key_load(const char *path, mc_diag *diag);
/* Sets (key != NULL) or forgets (NULL) the master key directly (tests). */
void result_master_key_set(const unsigned char *key);
/* Path of the master key: `option` when given, else $MOTCUA_MASTER_KEY_FILE,
 * else DATA/master.key. Returns a malloc'ed string. */
char *result_master_key_path(const char *option, const char *data_dir);

/* Base URL of the verification pages (no trailing slash); default
 * http://127.0.0.1:8080. INVALID unless http:// or https:// and at most
 * RESULT_PUBLIC_URL_MAX bytes of printable ASCII. */
mc_err result_set_public_url(const char *url, mc_diag *diag);
/* The absolute verification address of result `id` (malloc'ed). */
char *result_verify_url(const char *id);

/* ---- pure functions (unit-tested) ---- */

/* Canonical bytes of a JSON value: compact, keys sorted, UTF-8 (no \u
 * escapes for non-ASCII), integers as written, no trailing newline.
 * Malloc'ed, NUL-terminated. */
char *result_canonical(const json_t *doc);
/* Signs n bytes with a secret key; sig_hex gets 128 hex digits. */
void result_sign_bytes(const unsigned char sk[crypto_sign_SECRETKEYBYTES], const void *p, size_t n,
                       char sig_hex[2 * crypto_sign_BYTES + 1]);
/* True when sig_hex is a valid signature of the n bytes under pk. */
bool result_signature_ok(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const void *p,
                         size_t n, const char *sig_hex);
/* Encrypts a secret key with `master`, binding key id and agency as
 * associated data. *hex_out (malloc'ed) = hex(nonce || ciphertext). */
void result_key_seal(const unsigned char master[RESULT_MASTER_KEY_BYTES], const char *key_id,
                     const char *agency, const unsigned char sk[crypto_sign_SECRETKEYBYTES],
                     char **hex_out);
/* Decrypts what result_key_seal made; MC_ERR_FORBIDDEN when the master key,
 * key id or agency differ or the text was altered. */
mc_err result_key_open(const unsigned char master[RESULT_MASTER_KEY_BYTES], const char *key_id,
                       const char *agency, const char *hex,
                       unsigned char sk[crypto_sign_SECRETKEYBYTES]);
/* Key id of a public key: "k" + the first 16 hex digits of its SHA-256. */
void result_key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                   char id[RESULT_KEY_ID_LEN + 1]);
/* Human-readable renderings of a result document: an HTML page (escaped,
 * Vietnamese and English, no script, no external resource) and plain text.
 * Malloc'ed. */
char *result_render_html(const json_t *doc);
char *result_render_text(const json_t *doc);

/* ---- keys ---- */

/* Creates a new active key for `agency` (which must exist: NOT_FOUND),
 * retiring the current one (kept for verification). Audited
 * ("result.key_rotate", actor). Runs inside store_write. *out (nullable) =
 * the new key's public JSON {id, agency, public_key, active, created_at,
 * retired_at}. UNAVAILABLE without a master key. */
mc_err result_key_rotate(store_conn *c, const char *agency, const char *actor, json_t **out,
                         mc_diag *diag);
/* The same in its own durable write on `s`. */
mc_err result_key_rotate_on(store *s, const char *agency, const char *actor, json_t **out,
                            mc_diag *diag);
/* Public keys of `agency`, newest first (array of the JSON above);
 * NOT_FOUND for an unknown agency. */
mc_err result_keys_list(store_conn *c, const char *agency, json_t **out, mc_diag *diag);

/* Signs n bytes (another module's canonical document, e.g. an exchange
 * answer) with the active key of `agency`, created on first use (audited
 * as `actor`), in the caller's write transaction. kid gets the key id
 * (its public key is listed by result_keys_list), sig_hex the Ed25519
 * signature in hex. The secret key never leaves this module. UNAVAILABLE
 * without a master key; NOT_FOUND for an unknown agency. */
mc_err result_agency_sign(store_conn *c, const char *agency, const char *actor, const void *p,
                          size_t n, char kid[RESULT_KEY_ID_LEN + 1],
                          char sig_hex[2 * crypto_sign_BYTES + 1], mc_diag *diag);

/* ---- results ---- */

/* What finishing a dossier gives the result module. */
typedef struct result_issue_in {
	const char *dossier_code, *procedure_code, *procedure_name;
	int procedure_version; /* catalog version of the dossier (0: current) */
	const char *agency;    /* issuing agency (the one handling the dossier) */
	const char *applicant_username, *applicant_person_id; /* person id nullable */
	int64_t applicant_user_id;
	const json_t *content; /* the officer's result object */
	const char *issued_at; /* YYYY-MM-DDTHH:MM:SSZ */
	const char *actor;     /* username, for the audit log */
} result_issue_in;

/* Issues the signed result of a dossier inside the caller's write
 * transaction: builds the document, creates the agency's first key if it
 * has none, signs the canonical bytes, stores them, appends an audit entry
 * ("result.issue") and places the result in the applicant's vault
 * (vault_item_put: type matched from the procedure's result name, verified,
 * issuer the agency, content hash of the canonical bytes) when the
 * applicant has a personal number. UNPROCESSABLE when content is not an object or is
 * larger than RESULT_CONTENT_MAX; CONFLICT when the dossier already has a
 * result; UNAVAILABLE without a master key. id_out gets the result id. */
mc_err result_issue(store_conn *c, const result_issue_in *in, char id_out[RESULT_ID_LEN + 1],
                    mc_diag *diag);

/* Loads a result: {id, dossier_code, agency, key_id, applicant_user_id,
 * issued_at, status (valid|tampered|revoked), tamper_reason, revoked_at,
 * revoke_reason, document (parsed; null when unreadable), signature,
 * verify_url, vault_item (id or null)}.
 * NOT_FOUND. */
mc_err result_get(store_conn *c, const char *id, json_t **out, mc_diag *diag);
/* The same by dossier code. */
mc_err result_get_by_dossier(store_conn *c, const char *dossier_code, json_t **out, mc_diag *diag);

/* Verification of a result, what /verify/{id} shows (no personal data):
 * {id, status (valid|tampered|revoked), reason (why tampered, else null),
 * issuing_agency {code, name, name_en}, key_id, issued_at, procedure {code,
 * name}, dossier_code, document_sha256, revoked_at, revoke_reason,
 * verify_url}. For a tampered result the issuer and dates are those stored
 * next to the document, not vouched for by any signature. NOT_FOUND for an
 * unknown id. */
mc_err result_verify(store_conn *c, const char *id, json_t **out, mc_diag *diag);

/* The public verification page of `v` (result_verify JSON; NULL: "no such
 * result"): a small accessible HTML document in Vietnamese and English
 * that states the status in words, with the QR code as an image
 * (/verify/{id}/qr.svg), no script and no external resource. Malloc'ed. */
char *result_verify_html(const json_t *v);

/* Revokes result `id` with a reason (1..RESULT_REASON_MAX bytes, not blank:
 * UNPROCESSABLE): officers of the issuing agency and admins (others
 * FORBIDDEN; citizens NOT_FOUND); CONFLICT when already revoked. Audited
 * ("result.revoke"); the vault item holding the result is revoked too. Runs its own durable write.
 * *out = result_get JSON. */
mc_err result_revoke(store *s, const mc_principal *who, const char *id, const char *reason,
                     json_t **out, mc_diag *diag);

/* Whether `who` may read result `r` (result_get JSON): the applicant,
 * officers of the issuing agency, admins. */
bool result_may_read(const mc_principal *who, const json_t *r);

/* Number of results stored and the id of the first one (by id; "" when
 * none), for the report of `init --demo`. */
mc_err result_count(store *s, long *count, char first[RESULT_ID_LEN + 1], mc_diag *diag);

/* CLI: motcua result rotate-key AGENCY --data DIR [--master-key FILE].
 * argv[0] is "result". Returns the exit status. */
int result_cli(int argc, char **argv);

extern const http_route result_routes[];

#endif
