/* date.h - civil dates and timestamps (proleptic Gregorian, no time zone
 * library). Dates are days since 1970-01-01 (int32); timestamps are Unix
 * seconds. Text forms: "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM:SSZ" (UTC). The
 * legal day of Vietnam is UTC+7: date_local_of converts. */
#ifndef MC_DATE_H
#define MC_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef int32_t mc_day; /* days since 1970-01-01 */

#define MC_VN_UTC_OFFSET (7 * 3600)

mc_day date_from_ymd(int y, int m, int d);
void date_to_ymd(mc_day day, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday */
int date_weekday(mc_day day);
/* Parses "YYYY-MM-DD" strictly (valid calendar date). */
bool date_parse(const char *s, mc_day *out);
/* Writes "YYYY-MM-DD" into buf (>= 11 bytes). Returns buf. */
char *date_format(mc_day day, char *buf);
/* The Vietnamese civil day (UTC+7) of a Unix time. */
mc_day date_local_of(time_t t);
/* Unix time of 00:00 Vietnam time on `day`. */
time_t date_local_midnight(mc_day day);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). Returns buf. */
char *ts_format(time_t t, char *buf);
/* Parses "YYYY-MM-DDTHH:MM:SSZ" (also accepts "+07:00" style offsets). */
bool ts_parse(const char *s, time_t *out);
/* Current time; tests can override with MOTCUA_NOW=<ts> in the environment
 * (read once). */
time_t ts_now(void);

#endif
