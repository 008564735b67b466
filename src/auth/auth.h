/* auth.h - accounts, password login (argon2id), bearer tokens stored as
 * SHA-256 hashes with expiry, logout, login rate limiting. Owns tables
 * user_account, auth_token, login_attempt. */
#ifndef MC_AUTH_H
#define MC_AUTH_H

#include "auth/principal.h"
#include "http/http.h"
#include "store/store.h"

/* Resolves a bearer token into a principal. MC_ERR_UNAUTHENTICATED when
 * unknown or expired. `token_hash_hex` (>= 65 bytes) receives the hash. */
mc_err auth_resolve(store *s, const char *token, mc_principal *out, char *token_hash_hex);

/* Creates a user. Password hashed with argon2id. CONFLICT on duplicate. */
mc_err auth_user_add(store *s, const char *username, const char *password, mc_role role,
		     const char *agency, const char *person_id, mc_diag *diag);

/* CLI: motcua user add --data DIR --username U --role R [--agency CODE]
 * [--person-id ID] --password-stdin. Returns the exit status. */
int auth_cli_user(int argc, char **argv);

extern const http_route auth_routes[];

#endif
