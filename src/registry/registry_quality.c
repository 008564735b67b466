/* registry_quality.c - the data-quality report of a registry. */
#include "registry/registry_internal.h"

mc_err registry_quality(store_conn *c, const char *registry, json_t **out, mc_diag *diag)
{
	*out = NULL;
	reg_def d;
	mc_err e = reg_def_load(c, registry, &d, diag);
	if (e)
		return e;
	*out = json_pack("{s:s}", "registry", d.name);
	reg_def_release(&d);
	return MC_OK;
}
