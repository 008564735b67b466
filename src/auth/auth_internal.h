/* auth_internal.h - services of the auth module shared by its own files
 * (auth.c, auth_http.c, auth_cli.c); not for other modules. */
#ifndef MC_AUTH_INTERNAL_H
#define MC_AUTH_INTERNAL_H

#include "auth/auth.h"

/* Lists users ordered by id after `after_id`, optionally of one role and/or
 * agency, into a new array *items; *more when rows follow. Read or write. */
mc_err auth_user_list(store_conn *c, const char *role, const char *agency, int64_t after_id,
                      int limit, json_t **items, bool *more, mc_diag *diag);

/* Loads one user as JSON; NOT_FOUND. */
mc_err auth_user_get(store_conn *c, const char *username, json_t **out, mc_diag *diag);

/* Partial update by `actor` of the user `username` from `body` {role,
 * agency, person_id, disabled, password}: absent members keep their value.
 * Hashes a new password before writing; disabling or changing the password
 * or role revokes the user's tokens. Audited "user.update". */
mc_err auth_user_update(store *s, const char *actor, const char *username, json_t *body,
                        json_t **out, mc_diag *diag);

#endif
