/* auth.h - accounts, password login (argon2id), bearer tokens stored as
 * SHA-256 hashes with expiry, logout, login rate limiting. Owns tables
 * user_account, auth_token, login_attempt.
 *
 * User JSON: {id, username, role, agency, person_id, created_at, disabled}
 * (never the password hash). Tokens: 32 random bytes, base64url without
 * padding (43 characters), returned once by login; only their hex SHA-256
 * is stored. */
#ifndef MC_AUTH_H
#define MC_AUTH_H

#include "auth/principal.h"
#include "http/http.h"
#include "store/store.h"
#include <jansson.h>

#define AUTH_USERNAME_MIN 3
#define AUTH_USERNAME_MAX 63 /* fits mc_principal.username */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 256
#define AUTH_TOKEN_MAX 128

/* Tunables; defaults: tokens live 12 h, 5 failed logins per username and 20
 * per client address within 15 minutes, then 429. */
typedef struct auth_limits {
	long token_ttl;    /* seconds, 60 .. 30 days */
	int user_failures; /* failed logins per username within the window */
	int ip_failures;   /* failed logins per client address within the window */
	long window;       /* seconds */
} auth_limits;

/* Replaces the limits (values out of range are ignored). Call at start-up,
 * before serving. */
void auth_set_limits(const auth_limits *l);
/* Current limits. */
void auth_get_limits(auth_limits *out);

/* Resolves a bearer token into a principal. MC_ERR_UNAUTHENTICATED when
 * unknown or expired. `token_hash_hex` (>= 65 bytes) receives the hash. */
mc_err auth_resolve(store *s, const char *token, mc_principal *out, char *token_hash_hex);

/* The principal of an enabled account, without logging in (for trusted
 * in-process callers such as the demo seed). NOT_FOUND when absent. */
mc_err auth_principal_of(store *s, const char *username, mc_principal *out, mc_diag *diag);

/* Creates a user. Password hashed with argon2id. CONFLICT on duplicate. */
mc_err auth_user_add(store *s, const char *username, const char *password, mc_role role,
                     const char *agency, const char *person_id, mc_diag *diag);

/* What a new account is made of. */
typedef struct auth_user_spec {
	const char *username;  /* 3-63 of [a-z0-9._-] */
	const char *password;  /* 8-256 bytes */
	mc_role role;          /* citizen, officer or admin */
	const char *agency;    /* required for an officer (existing agency), NULL for a citizen */
	const char *person_id; /* NULL or 12 digits */
} auth_user_spec;

/* Checks the fields of `u` without touching the store. Returns a new array
 * of {path ("$.username"...), message, message_vi}; empty when valid. */
json_t *auth_user_check(const auth_user_spec *u);

/* Creates a user as `actor` (audited "user.create"). UNPROCESSABLE with an
 * "errors" list for invalid fields or an unknown agency, CONFLICT when the
 * username is taken. *out (may be NULL) receives the user JSON. */
mc_err auth_user_create(store *s, const char *actor, const auth_user_spec *u, json_t **out,
                        mc_diag *diag);

/* Result of a successful login. */
typedef struct auth_login_result {
	char token[64];      /* the bearer token, shown once */
	char expires_at[32]; /* YYYY-MM-DDTHH:MM:SSZ */
	json_t *user;        /* {id, username, role, agency, person_id}; caller frees */
	long retry_after;    /* seconds, set with MC_ERR_RATE_LIMITED */
} auth_login_result;

/* Password login. UNAUTHENTICATED with one message for an unknown user, a
 * wrong password or a disabled account (an unknown user still costs a hash);
 * RATE_LIMITED (retry_after set) once the username or the client address
 * reached its failure limit within the window; INVALID for oversized input.
 * `client_ip` may be NULL. Audits "auth.login". */
mc_err auth_login(store *s, const char *username, const char *password, const char *client_ip,
                  auth_login_result *out, mc_diag *diag);

/* Deletes the token with this hash (audited "auth.logout" as `actor`). */
mc_err auth_logout(store *s, const char *actor, const char *token_hash, mc_diag *diag);

/* CLI: motcua user add --data DIR --username U --role R [--agency CODE]
 * [--person-id ID] --password-stdin. argv[0] is the command word "user".
 * Returns the exit status (2 for a wrong argument). */
int auth_cli_user(int argc, char **argv);

/* POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me,
 * POST /api/v1/users, GET /api/v1/users, GET and PUT /api/v1/users/{username}. */
extern const http_route auth_routes[];

#endif
