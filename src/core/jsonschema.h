/* jsonschema.h - validation of JSON instances against the subset of JSON
 * Schema (2020-12) that eForms and registries use: type (incl. arrays of
 * types), properties, required, additionalProperties (bool), items,
 * enum, const, minLength/maxLength, pattern (POSIX ERE), minimum/maximum,
 * minItems/maxItems, format "date" / "email". Pure, no I/O. */
#ifndef MC_JSONSCHEMA_H
#define MC_JSONSCHEMA_H

#include <jansson.h>

/* Caps on "pattern" values. glibc's regcomp expands counted repetitions
 * into copies of the repeated expression (a+ into a a*) and needs memory
 * quadratic in the copies, so the caps bound the expansion: */
#define JSONSCHEMA_PATTERN_MAX 256        /* bytes of the pattern */
#define JSONSCHEMA_PATTERN_MAX_REPEAT 255 /* a bound, and the product of nested ones */
#define JSONSCHEMA_PATTERN_MAX_ATOMS 1000 /* atoms of the pattern once expanded */

/* Validates `instance` against `schema`. Returns a new JSON array of
 * {"path": "$.a.b[0]", "message": "...", "message_vi": "..."}; empty when
 * valid. Caller owns the array. Never stops at the first error. Each
 * distinct pattern is compiled once per call. */
json_t *jsonschema_validate(json_t *schema, json_t *instance);

/* Checks that `pattern` is a pattern the validator accepts: at most
 * JSONSCHEMA_PATTERN_MAX bytes; a valid POSIX extended regular expression
 * once the ECMA-262 shorthands (\d \w \s and negations) are translated; no
 * back-references; every counted repetition bound ({m}, {m,}, {m,n}) and
 * the product of the repetitions nested or stacked around any expression
 * (a "+" counting 2) at most JSONSCHEMA_PATTERN_MAX_REPEAT; at most
 * JSONSCHEMA_PATTERN_MAX_ATOMS atoms once repetitions are expanded. Returns
 * NULL when it is accepted, else a static English reason; *vi (nullable)
 * gets the Vietnamese one. The validator reports a refused pattern as a
 * schema error without compiling it. */
const char *jsonschema_pattern_check(const char *pattern, const char **vi);

/* Number of patterns compiled since the program started (all threads), so
 * that tests can check that a validation compiles each pattern once. */
unsigned long jsonschema_compile_count(void);

#endif
