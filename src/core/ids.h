/* ids.h - national identifiers: the 12-digit personal identification
 * number (CCCD) and the enterprise code (tax code) with its check digit.
 * Pure functions, no I/O. */
#ifndef MC_IDS_H
#define MC_IDS_H

#include "core/err.h"
#include <stdbool.h>

typedef struct id_person {
	int province; /* old (63-province) birth-registration code, 1..96 */
	bool female;
	int birth_year; /* full year, from the century digit and two year digits */
} id_person;

/* Checks a personal identification number: 12 digits; a known province of
 * birth registration (001-096, the old 63 codes); century/sex digit 0-9
 * (0/1 = 1900s male/female, 2/3 = 2000s, ... 8/9 = 2300s); then the two last
 * digits of the birth year. No checksum exists. Fills `out` (nullable).
 * MC_ERR_UNPROCESSABLE with a reason in diag when malformed. */
mc_err id_person_parse(const char *id, id_person *out, mc_diag *diag);

/* True when `id` is well formed and agrees with the birth year and sex. */
bool id_person_matches(const char *id, int birth_year, bool female);

/* Checks an enterprise code: 10 digits whose last is the check digit
 * c = 10 - (sum w_i * d_i mod 11) with weights 31 29 23 19 17 13 7 5 3 (a
 * result of 10 is invalid), optionally followed by a branch suffix
 * "-001".."-999" (or the 3 digits without the dash). */
mc_err id_enterprise_parse(const char *code, bool *is_branch, mc_diag *diag);

/* Check digit of the first nine digits of `d9`, or -1 when none exists. */
int id_enterprise_check_digit(const char *d9);

#endif
