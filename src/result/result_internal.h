/* result_internal.h - shared between the files of the result module only. */
#ifndef MC_RESULT_INTERNAL_H
#define MC_RESULT_INTERNAL_H

#include "result/result.h"

/* The active key of `agency` (created on first use, audited as `actor`),
 * decrypted into sk; kid gets its id. UNAVAILABLE without a master key or
 * when the key cannot be decrypted. Runs inside store_write. */
mc_err result_active_key(store_conn *c, const char *agency, const char *actor,
                         char kid[RESULT_KEY_ID_LEN + 1],
                         unsigned char sk[crypto_sign_SECRETKEYBYTES], mc_diag *diag);

/* Appends s to b with HTML escaping (& < > " '). */
void result_html_escape(mc_buf *b, const char *s);

#endif
