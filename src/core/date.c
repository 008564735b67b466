/* date.c - civil dates (proleptic Gregorian, days since 1970-01-01) and UTC
 * timestamps, without the C library's time-zone machinery. The conversion
 * between a day number and (year, month, day) is the "days from civil"
 * algorithm: years are shifted to start on 1 March so that the leap day is
 * the last day of the shifted year, then counted in 400-year eras of
 * 146097 days. */
#include "core/date.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SECS_PER_DAY 86400

/* Floor division for possibly negative numerators (positive divisor). */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b) != 0 && (a < 0))
		q--;
	return q;
}

mc_day date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                        /* [0, 399] */
	int64_t mp = (m + 9) % 12;                           /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;            /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
	return (mc_day)(era * 146097 + doe - 719468);        /* 719468: 0000-03-01 -> 1970-01-01 */
}

void date_to_ymd(mc_day day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	int yy = (int)(yoe + era * 400 + (mm <= 2));
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
}

int date_weekday(mc_day day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	return (int)(((int64_t)day + 3) % 7 + 7) % 7;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Parses the "YYYY-MM-DD" at the start of s (exactly 10 characters). */
static bool parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
		return false;
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return false;
	return true;
}

bool date_parse(const char *s, mc_day *out)
{
	int y, m, d;
	if (!s || !parse_ymd(s, &y, &m, &d) || s[10] != '\0')
		return false;
	if (out)
		*out = date_from_ymd(y, m, d);
	return true;
}

char *date_format(mc_day day, char *buf)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	/* Years outside 0..9999 are not representable in the text form. */
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

mc_day date_local_of(time_t t)
{
	return (mc_day)floor_div((int64_t)t + MC_VN_UTC_OFFSET, SECS_PER_DAY);
}

time_t date_local_midnight(mc_day day)
{
	return (time_t)((int64_t)day * SECS_PER_DAY - MC_VN_UTC_OFFSET);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

char *ts_format(time_t t, char *buf)
{
	int64_t day = floor_div((int64_t)t, SECS_PER_DAY);
	int secs = (int)((int64_t)t - day * SECS_PER_DAY);
	date_format((mc_day)day, buf);
	buf[10] = 'T';
	put2(buf + 11, secs / 3600);
	buf[13] = ':';
	put2(buf + 14, secs / 60 % 60);
	buf[16] = ':';
	put2(buf + 17, secs % 60);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

bool ts_parse(const char *s, time_t *out)
{
	int y, mo, d, h, mi, se;
	if (!s || !parse_ymd(s, &y, &mo, &d))
		return false;
	if (strnlen(s, 19) < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	if (!digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
		return false;
	if (h > 23 || mi > 59 || se > 59)
		return false;
	int64_t offset = 0;
	const char *z = s + 19;
	if (z[0] == 'Z' && z[1] == '\0') {
		offset = 0;
	} else if ((z[0] == '+' || z[0] == '-') && strnlen(z, 7) == 6 && z[3] == ':') {
		int oh, om;
		if (!digits(z + 1, 2, &oh) || !digits(z + 4, 2, &om) || oh > 14 || om > 59)
			return false;
		offset = (int64_t)(oh * 3600 + om * 60) * (z[0] == '-' ? -1 : 1);
	} else {
		return false;
	}
	int64_t t =
	    (int64_t)date_from_ymd(y, mo, d) * SECS_PER_DAY + h * 3600 + mi * 60 + se - offset;
	if (out)
		*out = (time_t)t;
	return true;
}

/* Clock: real time, or MOTCUA_NOW taken as the time at process start and
 * advancing with the monotonic clock from there. The start instant is
 * recorded by a constructor; the variable is read at the first ts_now. */
static pthread_once_t clock_once = PTHREAD_ONCE_INIT;
static bool clock_fixed;
static time_t clock_base;
static struct timespec clock_mono_start;

__attribute__((constructor)) static void clock_mark_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &clock_mono_start);
}

static void clock_init(void)
{
	const char *env = getenv("MOTCUA_NOW");
	time_t t;
	if (env && ts_parse(env, &t)) {
		clock_fixed = true;
		clock_base = t;
	}
}

time_t ts_now(void)
{
	pthread_once(&clock_once, clock_init);
	if (!clock_fixed)
		return time(NULL);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return clock_base + (now.tv_sec - clock_mono_start.tv_sec) -
	       (now.tv_nsec < clock_mono_start.tv_nsec ? 1 : 0);
}
