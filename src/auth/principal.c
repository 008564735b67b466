/* principal.c - names of roles (the text stored in user_account.role and
 * shown in the API). Pure, no I/O. */
#include "auth/principal.h"

#include <string.h>

const char *role_name(mc_role r)
{
	switch (r) {
	case ROLE_CITIZEN:
		return "citizen";
	case ROLE_OFFICER:
		return "officer";
	case ROLE_ADMIN:
		return "admin";
	case ROLE_ANONYMOUS:
	default:
		return "anonymous";
	}
}

bool role_parse(const char *s, mc_role *out)
{
	static const mc_role roles[] = {ROLE_CITIZEN, ROLE_OFFICER, ROLE_ADMIN};
	if (!s)
		return false;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		if (strcmp(s, role_name(roles[i])) == 0) {
			if (out)
				*out = roles[i];
			return true;
		}
	}
	return false;
}
