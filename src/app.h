/* app.h - the running application: what every handler and command can
 * reach. One instance per process, created by `serve` or a CLI command. */
#ifndef MC_APP_H
#define MC_APP_H

#include "store/store.h"

typedef struct mc_app {
	store *db;
	char *data_dir;  /* data directory (blobs live in DATA/blobs) */
	char *blob_dir;  /* DATA/blobs */
	long max_body;   /* cap for JSON bodies (bytes) */
	long max_upload; /* cap for document uploads (bytes) */
} mc_app;

#endif
