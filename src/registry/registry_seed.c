/* registry_seed.c - the synthetic population of `registry seed`. */
#include "registry/registry_internal.h"

mc_err registry_seed(store *s, long persons, unsigned long seed, FILE *log, mc_diag *diag)
{
	(void)s;
	(void)persons;
	(void)seed;
	(void)log;
	(void)diag;
	return MC_OK;
}

int registry_cli(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}
