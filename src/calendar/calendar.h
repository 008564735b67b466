/* calendar.h - the working-day calendar: weekends, statutory holidays (lunar
 * ones computed), administrator-declared days off and make-up working days.
 * Pure rules in calendar_rules.c/lunar.c; overrides in table calendar_day. */
#ifndef MC_CALENDAR_H
#define MC_CALENDAR_H

#include "core/date.h"
#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>

/* Lunar new year (1st day of the 1st lunar month, Vietnam time zone) of
 * Gregorian year y, e.g. 2026 -> 2026-02-17. */
mc_day lunar_new_year(int y);
/* Gregorian day of lunar date (lunar year ly, month lm, day ld; no leap
 * months requested), UTC+7. */
mc_day lunar_to_solar(int ly, int lm, int ld);

/* Statutory rule only (no overrides): true when `d` is a public holiday;
 * *reason_en / *reason_vi (nullable) get static strings. */
bool calendar_is_statutory_holiday(mc_day d, const char **reason_en, const char **reason_vi);

/* Working day according to rules and the overrides stored in the database. */
mc_err calendar_is_working_day(store_conn *c, mc_day d, bool *out);
/* The day that is `n` working days after `from` (n >= 0; n = 0 gives `from`
 * if working, else the next working day). */
mc_err calendar_add_working_days(store_conn *c, mc_day from, int n, mc_day *out);
/* Number of working days in the half-open interval [from, to). */
mc_err calendar_working_days_between(store_conn *c, mc_day from, mc_day to, int *out);

extern const http_route calendar_routes[];

#endif
