/* principal.h - who is calling: the result of the auth stage, read by every
 * module's access rules. Plain data, no I/O. */
#ifndef MC_PRINCIPAL_H
#define MC_PRINCIPAL_H

#include <stdbool.h>
#include <stdint.h>

typedef enum mc_role {
	ROLE_ANONYMOUS = 0,
	ROLE_CITIZEN,
	ROLE_OFFICER,
	ROLE_ADMIN,
} mc_role;

typedef struct mc_principal {
	mc_role role;
	int64_t user_id; /* 0 when anonymous */
	char username[64];
	char agency[64];    /* officer's agency code ("" otherwise) */
	char person_id[32]; /* citizen's personal number ("" if unknown) */
} mc_principal;

/* "citizen", "officer", "admin", "anonymous". */
const char *role_name(mc_role r);
/* Parses a role name; false when unknown (anonymous is not parseable). */
bool role_parse(const char *s, mc_role *out);

#endif
