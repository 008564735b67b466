/* date_test.c - unit tests of civil dates and timestamps (date.h): day
 * numbers against the C library's timegm, weekdays, strict parsing, the
 * Vietnam (UTC+7) civil day and the MOTCUA_NOW test clock. */
#include "core/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Runs first: the clock reads MOTCUA_NOW at its first use. */
static void test_now_override(void **state)
{
	(void)state;
	time_t base;
	assert_true(ts_parse("2026-03-02T08:00:00Z", &base));
	setenv("MOTCUA_NOW", "2026-03-02T08:00:00Z", 1);
	time_t a = ts_now();
	/* The test clock starts at process start and advances with real time. */
	assert_true(a >= base);
	assert_true(a < base + 60);
	time_t b = ts_now();
	assert_true(b >= a);
	/* Read once: changing the variable later has no effect. */
	setenv("MOTCUA_NOW", "2030-01-01T00:00:00Z", 1);
	assert_true(ts_now() < base + 60);
}

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2038, 1, 19), 24855);
	assert_int_equal(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28), 1); /* not leap */
	assert_int_equal(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2); /* leap */
	assert_int_equal(date_from_ymd(2024, 3, 1) - date_from_ymd(2024, 2, 28), 2);
	assert_int_equal(date_from_ymd(2100, 3, 1) - date_from_ymd(2100, 2, 28), 1);
}

/* Compares with the C library over two and a half centuries, both ways. */
static void test_against_timegm(void **state)
{
	(void)state;
	for (int y = 1900; y <= 2150; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= 28; d += 9) {
				struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
				time_t t = timegm(&tm);
				mc_day day = date_from_ymd(y, m, d);
				assert_int_equal((int64_t)day * 86400, (int64_t)t);
				int yy, mm, dd;
				date_to_ymd(day, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				assert_int_equal(date_weekday(day), (tm.tm_wday + 6) % 7);
			}
		}
	}
	/* Every day of a 4-century window round-trips and is consecutive. */
	int py, pm, pd;
	date_to_ymd(date_from_ymd(1800, 1, 1) - 1, &py, &pm, &pd);
	assert_int_equal(py, 1799);
	assert_int_equal(pm, 12);
	assert_int_equal(pd, 31);
	for (mc_day day = date_from_ymd(1800, 1, 1); day < date_from_ymd(2200, 1, 1); day++) {
		int y, m, d;
		date_to_ymd(day, &y, &m, &d);
		assert_int_equal(date_from_ymd(y, m, d), day);
		assert_true(d == pd + 1 || (d == 1 && (m == pm + 1 || (m == 1 && pm == 12))));
		py = y;
		pm = m;
		pd = d;
	}
	(void)py;
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(0), 3);                          /* Thursday */
	assert_int_equal(date_weekday(-1), 2);                         /* Wednesday */
	assert_int_equal(date_weekday(date_from_ymd(2026, 2, 17)), 1); /* Tuesday */
	assert_int_equal(date_weekday(date_from_ymd(2025, 1, 29)), 2); /* Wednesday */
	assert_int_equal(date_weekday(date_from_ymd(2025, 9, 1)), 0);  /* Monday */
	assert_int_equal(date_weekday(date_from_ymd(2026, 4, 26)), 6); /* Sunday */
	assert_int_equal(date_weekday(date_from_ymd(1900, 1, 1)), 0);  /* Monday */
}

static void test_parse_format(void **state)
{
	(void)state;
	mc_day d;
	char buf[11];
	assert_true(date_parse("2026-02-17", &d));
	assert_int_equal(d, date_from_ymd(2026, 2, 17));
	assert_string_equal(date_format(d, buf), "2026-02-17");
	assert_true(date_parse("2024-02-29", &d));
	assert_string_equal(date_format(d, buf), "2024-02-29");
	assert_string_equal(date_format(-1, buf), "1969-12-31");
	assert_string_equal(date_format(date_from_ymd(9, 3, 5), buf), "0009-03-05");

	static const char *const bad[] = {
	    "",
	    "2026-2-17",
	    "2026-02-1",
	    "2026/02/17",
	    "2026-02-17 ",
	    " 2026-02-17",
	    "2026-02-17T",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-02-00",
	    "2025-02-29",
	    "1900-02-29",
	    "2026-04-31",
	    "20260217",
	    "2026-02-1x",
	    "+026-02-17",
	    "0000-01-01",
	    "abcd-ef-gh",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		d = 12345;
		assert_false(date_parse(bad[i], &d));
		assert_int_equal(d, 12345);
	}
	assert_false(date_parse(NULL, &d));
}

static void test_timestamps(void **state)
{
	(void)state;
	char buf[21];
	time_t t;
	assert_true(ts_parse("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(ts_parse("2026-02-17T01:02:03Z", &t));
	struct tm tm = {
	    .tm_year = 126, .tm_mon = 1, .tm_mday = 17, .tm_hour = 1, .tm_min = 2, .tm_sec = 3};
	assert_int_equal(t, timegm(&tm));
	assert_string_equal(ts_format(t, buf), "2026-02-17T01:02:03Z");
	assert_string_equal(ts_format(-1, buf), "1969-12-31T23:59:59Z");
	/* Offsets convert to UTC. */
	time_t t2;
	assert_true(ts_parse("2026-02-17T08:02:03+07:00", &t2));
	assert_int_equal(t2, t);
	assert_true(ts_parse("2026-02-16T20:32:03-04:30", &t2));
	assert_int_equal(t2, t);

	static const char *const bad[] = {
	    "2026-02-17",
	    "2026-02-17T01:02:03",
	    "2026-02-17 01:02:03Z",
	    "2026-02-17T24:00:00Z",
	    "2026-02-17T01:60:00Z",
	    "2026-02-17T01:02:60Z",
	    "2026-02-30T01:02:03Z",
	    "2026-02-17T01:02:03Zx",
	    "2026-02-17T01:02:03+0700",
	    "2026-02-17T01:02:03+15:00",
	    "2026-02-17T1:02:03Z",
	    "2026-02-17T01:02:03.5Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(ts_parse(bad[i], &t));
}

static void test_local_day(void **state)
{
	(void)state;
	time_t t;
	/* 16:59:59Z is 23:59:59 in Vietnam, 17:00:00Z the next day's midnight. */
	assert_true(ts_parse("2026-02-16T16:59:59Z", &t));
	assert_int_equal(date_local_of(t), date_from_ymd(2026, 2, 16));
	assert_int_equal(date_local_of(t + 1), date_from_ymd(2026, 2, 17));
	assert_int_equal(date_local_midnight(date_from_ymd(2026, 2, 17)), t + 1);
	assert_int_equal(date_local_of(0), 0);
	assert_int_equal(date_local_of(-7 * 3600 - 1), -1);
	assert_int_equal(date_local_of(-7 * 3600), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_now_override),   cmocka_unit_test(test_known_days),
	    cmocka_unit_test(test_against_timegm), cmocka_unit_test(test_weekday),
	    cmocka_unit_test(test_parse_format),   cmocka_unit_test(test_timestamps),
	    cmocka_unit_test(test_local_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
