/* jsonschema.h - validation of JSON instances against the subset of JSON
 * Schema (2020-12) that eForms and registries use: type (incl. arrays of
 * types), properties, required, additionalProperties (bool), items,
 * enum, const, minLength/maxLength, pattern (POSIX ERE), minimum/maximum,
 * minItems/maxItems, format "date" / "email". Pure, no I/O. */
#ifndef MC_JSONSCHEMA_H
#define MC_JSONSCHEMA_H

#include <jansson.h>

/* Validates `instance` against `schema`. Returns a new JSON array of
 * {"path": "$.a.b[0]", "message": "...", "message_vi": "..."}; empty when
 * valid. Caller owns the array. Never stops at the first error. */
json_t *jsonschema_validate(json_t *schema, json_t *instance);

#endif
