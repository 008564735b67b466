/* calendar.h - the working-day calendar: weekends, statutory holidays (lunar
 * ones computed), administrator-declared days off and make-up working days.
 * Pure rules in calendar_rules.c/lunar.c; overrides in table calendar_day. */
#ifndef MC_CALENDAR_H
#define MC_CALENDAR_H

#include "core/date.h"
#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

/* Lunar years (and Gregorian years for the calendar) that are computed. */
#define LUNAR_YEAR_MIN 1900
#define LUNAR_YEAR_MAX 2199
/* Returned by the lunar functions for a date outside the supported years. */
#define MC_DAY_NONE INT32_MIN

/* Lunar new year (1st day of the 1st lunar month, Vietnam time zone) of
 * Gregorian year y, e.g. 2026 -> 2026-02-17. MC_DAY_NONE when y is outside
 * LUNAR_YEAR_MIN..LUNAR_YEAR_MAX. */
mc_day lunar_new_year(int y);
/* Gregorian day of lunar date (lunar year ly, month lm, day ld; no leap
 * months requested), UTC+7. MC_DAY_NONE for an unsupported year, a month
 * outside 1..12 or a day outside the month (30 in a 29-day month). */
mc_day lunar_to_solar(int ly, int lm, int ld);

typedef struct lunar_date {
	int year, month, day; /* lunar year (of its month 1), month 1..12, day 1..30 */
	bool leap;            /* the leap month that repeats `month` */
	int month_days;       /* 29 or 30 */
} lunar_date;

/* Lunar date of Gregorian day d. False when outside the supported years. */
bool lunar_from_solar(mc_day d, lunar_date *out);
/* Number of the leap month of lunar year ly (1..12), 0 when the year has
 * none, -1 for an unsupported year. */
int lunar_leap_month(int ly);

/* What a day is. */
typedef enum calendar_kind {
	CAL_WORKING = 0,   /* ordinary working day */
	CAL_WEEKEND,       /* Saturday or Sunday */
	CAL_HOLIDAY,       /* statutory public holiday (Labor Code 2019 art. 112) */
	CAL_COMPENSATORY,  /* day off compensating a holiday on a weekend (art. 111) */
	CAL_DECLARED_OFF,  /* day off declared by an administrator */
	CAL_DECLARED_WORK, /* make-up working day declared by an administrator */
} calendar_kind;

/* "working", "weekend", "holiday", "compensatory", "declared_off",
 * "declared_work". */
const char *calendar_kind_name(calendar_kind k);

/* Statutory rule only (no overrides): the kind of day d (CAL_WORKING,
 * CAL_WEEKEND, CAL_HOLIDAY or CAL_COMPENSATORY); *reason_en / *reason_vi
 * (nullable) get static strings, NULL for a working day. A holiday on a
 * weekend is CAL_HOLIDAY. Lunar holidays exist only in supported years. */
calendar_kind calendar_rule_kind(mc_day d, const char **reason_en, const char **reason_vi);

/* Statutory rule only (no overrides): true when `d` is a public holiday or
 * a compensatory day off for one; *reason_en / *reason_vi (nullable) get
 * static strings. */
bool calendar_is_statutory_holiday(mc_day d, const char **reason_en, const char **reason_vi);

/* Days accepted by the store-backed functions: LUNAR_YEAR_MIN-01-01 to
 * LUNAR_YEAR_MAX-12-31; ranges span at most CALENDAR_MAX_SPAN days and
 * calendar_add_working_days takes n <= CALENDAR_MAX_WORKING_DAYS. Beyond:
 * MC_ERR_INVALID. Other modules cap what they hand to the calendar with
 * these constants (the catalog's time limits, the dossier's apology date). */
#define CALENDAR_MAX_SPAN 1830 /* about 5 years: 1000 working days fit */
#define CALENDAR_MAX_WORKING_DAYS 1000
/* Hours of a working day, for time limits given in hours. */
#define CALENDAR_WORKING_HOURS 8

/* Working day according to rules and the overrides stored in the database. */
mc_err calendar_is_working_day(store_conn *c, mc_day d, bool *out);
/* The day that is `n` working days after `from` (n >= 0; n = 0 gives `from`
 * if working, else the next working day; n >= 1 gives the n-th working day
 * strictly after `from`, whatever `from` is). MC_ERR_INVALID when n or
 * `from` is out of range, or when no such day lies within CALENDAR_MAX_SPAN
 * days of `from` and before the end of LUNAR_YEAR_MAX (e.g. declared days
 * off everywhere); other errors come from the store. */
mc_err calendar_add_working_days(store_conn *c, mc_day from, int n, mc_day *out);
/* Number of working days in the half-open interval [from, to); when
 * to < from, minus the number in [to, from). */
mc_err calendar_working_days_between(store_conn *c, mc_day from, mc_day to, int *out);

/* One day of a listing: reasons are valid during the callback only. */
typedef struct calendar_entry {
	mc_day day;
	calendar_kind kind;
	const char *reason_vi;
	const char *reason_en;
} calendar_entry;
/* Returns false to stop the listing. */
typedef bool (*calendar_visit)(const calendar_entry *e, void *ctx);

/* Calls fn, in date order, for every day of [from, to] (inclusive) that is
 * not a working day, and for every declared make-up working day. */
mc_err calendar_list(store_conn *c, mc_day from, mc_day to, calendar_visit fn, void *ctx);

/* Administrator overrides (table calendar_day). */
#define CALENDAR_REASON_MAX 300 /* code points */

typedef struct calendar_override {
	mc_day day;
	bool off; /* true: declared day off; false: make-up working day */
	char reason_vi[CALENDAR_REASON_MAX * 4 + 1];
	char reason_en[CALENDAR_REASON_MAX * 4 + 1];
	char created_by[64];
	char created_at[21];
} calendar_override;

/* The override of day d; MC_ERR_NOT_FOUND when there is none. */
mc_err calendar_get_day(store_conn *c, mc_day d, calendar_override *out);

/* The API JSON of an override: {date, kind ("off"/"work"), reason,
 * reason_en, created_by, created_at} (new object). */
json_t *calendar_override_json(const calendar_override *o);

/* Declares day d a day off (off = true) or a make-up working day, with a
 * reason (Vietnamese, required, trimmed, <= CALENDAR_REASON_MAX code points)
 * and an optional English reason (NULL or ""). Replaces an existing
 * override. Appends audit entry "calendar.day.set" by `actor`. Runs its
 * own store_write. *out (nullable) gets the stored row, *created (nullable)
 * whether there was no override before. MC_ERR_UNPROCESSABLE with
 * diag "errors" for bad fields, MC_ERR_INVALID for a day out of range. */
mc_err calendar_set_day(store *s, const char *actor, mc_day d, bool off, const char *reason_vi,
                        const char *reason_en, calendar_override *out, bool *created,
                        mc_diag *diag);

/* Removes the override of day d (the rules apply again), with audit entry
 * "calendar.day.delete". MC_ERR_NOT_FOUND when there is none. */
mc_err calendar_delete_day(store *s, const char *actor, mc_day d, mc_diag *diag);

extern const http_route calendar_routes[];

#endif
