/* calendar_test.c - unit tests of the working-day calendar: the lunar
 * calendar (new years, Hùng Kings' day, leap months, round trips), the
 * statutory holidays and compensatory days of whole years checked against
 * the published days off, and the store-backed overrides (declared days
 * off, make-up working days, working-day arithmetic, listing, audit). */
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/mem.h"
#include "testsupport/testsupport.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static mc_day D(const char *s)
{
	mc_day d;
	if (!date_parse(s, &d))
		fail_msg("bad date in test: %s", s);
	return d;
}

static void assert_day(mc_day got, const char *want)
{
	char buf[11];
	if (got == MC_DAY_NONE)
		fail_msg("got MC_DAY_NONE, want %s", want);
	assert_string_equal(date_format(got, buf), want);
}

/* ---- lunar calendar ------------------------------------------------------ */

static void test_lunar_new_year(void **state)
{
	(void)state;
	assert_day(lunar_new_year(2025), "2025-01-29");
	assert_day(lunar_new_year(2026), "2026-02-17");
	assert_day(lunar_new_year(2027), "2027-02-06");
	assert_day(lunar_new_year(2024), "2024-02-10");
	assert_day(lunar_new_year(2023), "2023-01-22");
	assert_day(lunar_new_year(2033), "2033-01-31");
	assert_day(lunar_new_year(2022), "2022-02-01");
	assert_day(lunar_new_year(2028), "2028-01-26");
	/* The new moon of 2 February 2030 is at about 16:07 UTC, i.e. 23:07 in
	 * Vietnam (UTC+7) but 00:07 on 3 February in China (UTC+8): Vietnam's
	 * Tết is on the 2nd, China's Spring Festival on the 3rd. */
	assert_day(lunar_new_year(2030), "2030-02-02");
	/* Same effect in 2007 (Vietnam 17 Feb, China 18 Feb) and a month's
	 * difference in 1985 (Vietnam 21 Jan, China 20 Feb). */
	assert_day(lunar_new_year(2007), "2007-02-17");
	assert_day(lunar_new_year(1985), "1985-01-21");
	assert_day(lunar_new_year(1968), "1968-01-29");
	/* Outside the supported years. */
	assert_int_equal(lunar_new_year(LUNAR_YEAR_MIN - 1), MC_DAY_NONE);
	assert_int_equal(lunar_new_year(LUNAR_YEAR_MAX + 1), MC_DAY_NONE);
}

static void test_lunar_to_solar(void **state)
{
	(void)state;
	/* Hùng Kings' day, 10th day of the 3rd lunar month. */
	assert_day(lunar_to_solar(2025, 3, 10), "2025-04-07");
	assert_day(lunar_to_solar(2026, 3, 10), "2026-04-26");
	assert_day(lunar_to_solar(2022, 3, 10), "2022-04-10");
	assert_day(lunar_to_solar(2023, 3, 10), "2023-04-29");
	assert_day(lunar_to_solar(2024, 3, 10), "2024-04-18");
	/* Mid-Autumn festival, 15/8. */
	assert_day(lunar_to_solar(2024, 8, 15), "2024-09-17");
	assert_day(lunar_to_solar(2025, 8, 15), "2025-10-06");
	/* Months 11 and 12 of a lunar year fall at the end of the Gregorian
	 * year or the start of the next: the last day of lunar year 2024 is the
	 * eve of Tết 2025. */
	mc_day eve = lunar_new_year(2025) - 1;
	lunar_date ld;
	assert_true(lunar_from_solar(eve, &ld));
	assert_int_equal(ld.year, 2024);
	assert_int_equal(ld.month, 12);
	assert_int_equal(ld.day, ld.month_days);
	assert_int_equal(lunar_to_solar(2024, 12, ld.day), eve);
	/* Invalid requests. */
	assert_int_equal(lunar_to_solar(2025, 0, 1), MC_DAY_NONE);
	assert_int_equal(lunar_to_solar(2025, 13, 1), MC_DAY_NONE);
	assert_int_equal(lunar_to_solar(2025, 1, 0), MC_DAY_NONE);
	assert_int_equal(lunar_to_solar(2025, 1, 31), MC_DAY_NONE);
	assert_int_equal(lunar_to_solar(1800, 1, 1), MC_DAY_NONE);
	/* Day 30 exists only in a 30-day month. */
	for (int m = 1; m <= 12; m++) {
		mc_day first = lunar_to_solar(2026, m, 1);
		assert_true(first != MC_DAY_NONE);
		assert_true(lunar_from_solar(first, &ld));
		if (ld.month_days == 29)
			assert_int_equal(lunar_to_solar(2026, m, 30), MC_DAY_NONE);
		else
			assert_int_equal(lunar_to_solar(2026, m, 30), first + 29);
	}
}

static void test_leap_months(void **state)
{
	(void)state;
	/* Published Vietnamese calendars: leap 4th month in Canh Tý (2020),
	 * leap 2nd in Quý Mão (2023), leap 6th in Ất Tỵ (2025), none in 2024
	 * and 2026, leap 11th in Quý Sửu (2033). */
	assert_int_equal(lunar_leap_month(2020), 4);
	assert_int_equal(lunar_leap_month(2023), 2);
	assert_int_equal(lunar_leap_month(2025), 6);
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(2026), 0);
	assert_int_equal(lunar_leap_month(2033), 11);
	assert_int_equal(lunar_leap_month(1000), -1);

	lunar_date ld;
	/* The leap 6th month of 2025 began on 25 July 2025. */
	assert_true(lunar_from_solar(D("2025-07-25"), &ld));
	assert_int_equal(ld.month, 6);
	assert_true(ld.leap);
	assert_int_equal(ld.day, 1);
	assert_true(lunar_from_solar(D("2025-07-24"), &ld));
	assert_int_equal(ld.month, 6);
	assert_false(ld.leap);
	/* The leap 2nd month of 2023 began on 22 March 2023. */
	assert_true(lunar_from_solar(D("2023-03-22"), &ld));
	assert_int_equal(ld.month, 2);
	assert_true(ld.leap);
	assert_int_equal(ld.day, 1);
	/* A leap 11th month in December 2033: lunar year 2033 still. */
	assert_true(lunar_from_solar(D("2033-12-22"), &ld));
	assert_int_equal(ld.year, 2033);
	assert_int_equal(ld.month, 11);
	assert_true(ld.leap);
	/* lunar_to_solar never answers with the leap month. */
	assert_day(lunar_to_solar(2025, 6, 1), "2025-06-25");
	assert_day(lunar_to_solar(2025, 7, 1), "2025-08-23");
}

/* Structural properties over many years: months of 29 or 30 days, 12 or 13
 * months a year, day numbers consecutive, round trip for non-leap dates. */
static void test_lunar_structure(void **state)
{
	(void)state;
	lunar_date prev = {0}, cur;
	int months_in_year = 0;
	mc_day start = D("1990-01-01"), end = D("2060-12-31");
	assert_true(lunar_from_solar(start - 1, &prev));
	for (mc_day d = start; d <= end; d++) {
		assert_true(lunar_from_solar(d, &cur));
		assert_true(cur.month_days == 29 || cur.month_days == 30);
		if (cur.day == 1) {
			assert_int_equal(prev.day, prev.month_days);
			months_in_year++;
			if (cur.month == 1 && !cur.leap) {
				assert_int_equal(d, lunar_new_year(cur.year));
				assert_int_equal(cur.year, prev.year + 1);
				if (d > start + 400) {
					int leap = lunar_leap_month(prev.year);
					assert_int_equal(months_in_year, leap ? 13 : 12);
				}
				months_in_year = 0;
			} else if (cur.leap) {
				assert_int_equal(cur.month, prev.month);
			} else {
				assert_int_equal(cur.month, prev.month % 12 + 1);
			}
		} else {
			assert_int_equal(cur.day, prev.day + 1);
			assert_int_equal(cur.month, prev.month);
		}
		if (!cur.leap)
			assert_int_equal(lunar_to_solar(cur.year, cur.month, cur.day), d);
		/* Lunar new year between 21 January and 20 February. */
		if (cur.month == 1 && cur.day == 1 && !cur.leap) {
			int y, m, dd;
			date_to_ymd(d, &y, &m, &dd);
			assert_true((m == 1 && dd >= 21) || (m == 2 && dd <= 20));
		}
		prev = cur;
	}
}

/* ---- statutory rules ----------------------------------------------------- */

struct expect_day {
	const char *date;
	calendar_kind kind;
};

/* Checks the rule kind of every day of year y: the listed days have the
 * listed kinds, every other day is a weekend or a working day by weekday.
 * Returns the number of working days. */
static int check_year(int y, const struct expect_day *list, size_t n)
{
	int working = 0;
	for (mc_day d = date_from_ymd(y, 1, 1); d <= date_from_ymd(y, 12, 31); d++) {
		calendar_kind want = date_weekday(d) >= 5 ? CAL_WEEKEND : CAL_WORKING;
		char buf[11];
		date_format(d, buf);
		for (size_t i = 0; i < n; i++)
			if (strcmp(list[i].date, buf) == 0)
				want = list[i].kind;
		const char *en = NULL, *vi = NULL;
		calendar_kind got = calendar_rule_kind(d, &en, &vi);
		if (got != want)
			fail_msg("%s: kind %s, want %s", buf, calendar_kind_name(got),
			         calendar_kind_name(want));
		if (got == CAL_WORKING) {
			working++;
			assert_null(en);
			assert_null(vi);
		} else {
			assert_non_null(en);
			assert_non_null(vi);
		}
		bool stat = calendar_is_statutory_holiday(d, NULL, NULL);
		assert_int_equal(stat, got == CAL_HOLIDAY || got == CAL_COMPENSATORY);
	}
	return working;
}

static void test_holidays_2025(void **state)
{
	(void)state;
	static const struct expect_day days[] = {
	    {"2025-01-01", CAL_HOLIDAY}, /* Wednesday */
	    {"2025-01-28", CAL_HOLIDAY}, /* last day of Giáp Thìn */
	    {"2025-01-29", CAL_HOLIDAY}, /* mùng 1 Ất Tỵ */
	    {"2025-01-30", CAL_HOLIDAY},      {"2025-01-31", CAL_HOLIDAY},
	    {"2025-02-01", CAL_HOLIDAY},      /* mùng 4, a Saturday */
	    {"2025-02-03", CAL_COMPENSATORY}, /* for Saturday 1 February */
	    {"2025-04-07", CAL_HOLIDAY},      /* Hùng Kings, Monday */
	    {"2025-04-30", CAL_HOLIDAY},      {"2025-05-01", CAL_HOLIDAY},
	    {"2025-09-01", CAL_HOLIDAY},      {"2025-09-02", CAL_HOLIDAY},
	};
	/* 365 days - 104 weekend days - 11 weekdays off */
	assert_int_equal(check_year(2025, days, sizeof days / sizeof days[0]), 250);

	const char *en, *vi;
	assert_true(calendar_is_statutory_holiday(D("2025-01-29"), &en, &vi));
	assert_non_null(strstr(vi, "Tết Nguyên đán"));
	assert_non_null(strstr(en, "Lunar New Year"));
	assert_true(calendar_is_statutory_holiday(D("2025-02-03"), &en, &vi));
	assert_non_null(strstr(vi, "Nghỉ bù"));
	assert_non_null(strstr(en, "Compensatory"));
	assert_true(calendar_is_statutory_holiday(D("2025-04-07"), &en, &vi));
	assert_non_null(strstr(vi, "Hùng Vương"));
	assert_false(calendar_is_statutory_holiday(D("2025-01-27"), &en, &vi));
	assert_null(en);
	assert_null(vi);
	/* A weekend is not a holiday. */
	assert_false(calendar_is_statutory_holiday(D("2025-01-25"), NULL, NULL));
	assert_int_equal(calendar_rule_kind(D("2025-01-25"), &en, &vi), CAL_WEEKEND);
	assert_string_equal(en, "Saturday");
	assert_string_equal(vi, "Thứ Bảy");
}

static void test_holidays_2026(void **state)
{
	(void)state;
	static const struct expect_day days[] = {
	    {"2026-01-01", CAL_HOLIDAY}, /* Thursday */
	    {"2026-02-16", CAL_HOLIDAY}, /* last day of Ất Tỵ, Monday */
	    {"2026-02-17", CAL_HOLIDAY}, /* mùng 1 Bính Ngọ */
	    {"2026-02-18", CAL_HOLIDAY},      {"2026-02-19", CAL_HOLIDAY},
	    {"2026-02-20", CAL_HOLIDAY},      /* mùng 4, Friday */
	    {"2026-04-26", CAL_HOLIDAY},      /* Hùng Kings, a Sunday */
	    {"2026-04-27", CAL_COMPENSATORY}, /* for it */
	    {"2026-04-30", CAL_HOLIDAY},      {"2026-05-01", CAL_HOLIDAY},
	    {"2026-09-01", CAL_HOLIDAY},      {"2026-09-02", CAL_HOLIDAY},
	};
	assert_int_equal(check_year(2026, days, sizeof days / sizeof days[0]), 250);
	const char *en, *vi;
	assert_int_equal(calendar_rule_kind(D("2026-04-27"), &en, &vi), CAL_COMPENSATORY);
	assert_string_equal(vi, "Nghỉ bù Giỗ Tổ Hùng Vương");
	assert_string_equal(en, "Compensatory day off for Hùng Kings' Commemoration Day");
	/* A holiday on a weekend is a holiday, not a weekend. */
	assert_int_equal(calendar_rule_kind(D("2026-04-26"), &en, &vi), CAL_HOLIDAY);
	assert_string_equal(vi, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
}

/* Years whose published schedules had compensatory days: 2022 (1 January on
 * a Saturday -> 3 January; Hùng Kings on Sunday 10 April -> 11 April;
 * 30 April and 1 May on the weekend -> 2 and 3 May) and 2023 (1 January
 * on a Sunday -> 2 January; Hùng Kings on Saturday 29 April and 30 April on
 * Sunday -> 2 and 3 May; 2 September on a Saturday -> 4 September). */
static void test_compensatory_days(void **state)
{
	(void)state;
	static const struct expect_day y2022[] = {
	    {"2022-01-01", CAL_HOLIDAY},      {"2022-01-03", CAL_COMPENSATORY},
	    {"2022-01-31", CAL_HOLIDAY},      {"2022-02-01", CAL_HOLIDAY},
	    {"2022-02-02", CAL_HOLIDAY},      {"2022-02-03", CAL_HOLIDAY},
	    {"2022-02-04", CAL_HOLIDAY},      {"2022-04-10", CAL_HOLIDAY},
	    {"2022-04-11", CAL_COMPENSATORY}, {"2022-04-30", CAL_HOLIDAY},
	    {"2022-05-01", CAL_HOLIDAY},      {"2022-05-02", CAL_COMPENSATORY},
	    {"2022-05-03", CAL_COMPENSATORY}, {"2022-09-01", CAL_HOLIDAY},
	    {"2022-09-02", CAL_HOLIDAY},
	};
	check_year(2022, y2022, sizeof y2022 / sizeof y2022[0]);
	static const struct expect_day y2023[] = {
	    {"2023-01-01", CAL_HOLIDAY},
	    {"2023-01-02", CAL_COMPENSATORY},
	    /* Tết: 21 (Sat) to 25 January; two weekend days -> 26, 27 */
	    {"2023-01-21", CAL_HOLIDAY},
	    {"2023-01-22", CAL_HOLIDAY},
	    {"2023-01-23", CAL_HOLIDAY},
	    {"2023-01-24", CAL_HOLIDAY},
	    {"2023-01-25", CAL_HOLIDAY},
	    {"2023-01-26", CAL_COMPENSATORY},
	    {"2023-01-27", CAL_COMPENSATORY},
	    {"2023-04-29", CAL_HOLIDAY},
	    {"2023-04-30", CAL_HOLIDAY},
	    {"2023-05-01", CAL_HOLIDAY},
	    {"2023-05-02", CAL_COMPENSATORY},
	    {"2023-05-03", CAL_COMPENSATORY},
	    {"2023-09-01", CAL_HOLIDAY},
	    {"2023-09-02", CAL_HOLIDAY},
	    {"2023-09-04", CAL_COMPENSATORY},
	};
	check_year(2023, y2023, sizeof y2023 / sizeof y2023[0]);
	/* 2027: Tết from Friday 5 to Tuesday 9 February with a weekend inside
	 * -> 10 and 11 February; 1 May on a Saturday -> 3 May. */
	static const struct expect_day y2027[] = {
	    {"2027-01-01", CAL_HOLIDAY},      {"2027-02-05", CAL_HOLIDAY},
	    {"2027-02-06", CAL_HOLIDAY},      {"2027-02-07", CAL_HOLIDAY},
	    {"2027-02-08", CAL_HOLIDAY},      {"2027-02-09", CAL_HOLIDAY},
	    {"2027-02-10", CAL_COMPENSATORY}, {"2027-02-11", CAL_COMPENSATORY},
	    {"2027-04-16", CAL_HOLIDAY},      {"2027-04-30", CAL_HOLIDAY},
	    {"2027-05-01", CAL_HOLIDAY},      {"2027-05-03", CAL_COMPENSATORY},
	    {"2027-09-01", CAL_HOLIDAY},      {"2027-09-02", CAL_HOLIDAY},
	};
	check_year(2027, y2027, sizeof y2027 / sizeof y2027[0]);
}

/* Invariants of the rules over two centuries: every year has exactly 11
 * holidays (when Hùng Kings' day does not meet 30 April), one compensatory
 * day per holiday on a weekend, never on a weekend or a holiday. */
static void test_rule_invariants(void **state)
{
	(void)state;
	for (int y = 1950; y <= 2150; y++) {
		int holidays = 0, weekend_holidays = 0, comp = 0;
		for (mc_day d = date_from_ymd(y, 1, 1); d <= date_from_ymd(y, 12, 31); d++) {
			calendar_kind k = calendar_rule_kind(d, NULL, NULL);
			if (k == CAL_HOLIDAY) {
				holidays++;
				if (date_weekday(d) >= 5)
					weekend_holidays++;
			} else if (k == CAL_COMPENSATORY) {
				comp++;
				assert_true(date_weekday(d) < 5);
			}
		}
		mc_day hung = lunar_to_solar(y, 3, 10);
		bool shared = hung == date_from_ymd(y, 4, 30) || hung == date_from_ymd(y, 5, 1);
		assert_int_equal(holidays, shared ? 10 : 11);
		assert_int_equal(comp, weekend_holidays);
	}
	/* Outside the lunar range only fixed-date holidays remain. */
	assert_int_equal(calendar_rule_kind(D("1850-05-01"), NULL, NULL), CAL_HOLIDAY);
	assert_int_equal(calendar_rule_kind(D("2300-09-02"), NULL, NULL), CAL_HOLIDAY);
}

/* ---- store-backed calendar ---------------------------------------------- */

typedef struct fixture {
	char dir[64];
	store *s;
} fixture;

static int store_setup(void **state)
{
	fixture *f = mc_xcalloc(1, sizeof *f);
	f->s = testsupport_store_open("calendar", f->dir, sizeof f->dir);
	if (!f->s) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int store_teardown(void **state)
{
	fixture *f = *state;
	int rc = testsupport_store_remove(f->s, f->dir);
	free(f);
	return rc;
}

/* Read helpers running one calendar function in a read snapshot. */
typedef struct q {
	mc_day a, b;
	int n;
	bool working;
	mc_day day;
	int count;
	mc_err e;
	json_t *items;
} q;

static mc_err q_add(store_conn *c, void *v, mc_diag *d)
{
	q *x = v;
	(void)d;
	return x->e = calendar_add_working_days(c, x->a, x->n, &x->day);
}

static mc_err q_between(store_conn *c, void *v, mc_diag *d)
{
	q *x = v;
	(void)d;
	return x->e = calendar_working_days_between(c, x->a, x->b, &x->count);
}

static mc_err q_working(store_conn *c, void *v, mc_diag *d)
{
	q *x = v;
	(void)d;
	return x->e = calendar_is_working_day(c, x->a, &x->working);
}

static bool q_visit(const calendar_entry *e, void *v)
{
	q *x = v;
	char buf[11];
	json_array_append_new(x->items,
	                      json_pack("{s:s,s:s,s:s,s:s}", "date", date_format(e->day, buf),
	                                "kind", calendar_kind_name(e->kind), "vi", e->reason_vi,
	                                "en", e->reason_en));
	return true;
}

static mc_err q_list(store_conn *c, void *v, mc_diag *d)
{
	q *x = v;
	(void)d;
	json_decref(x->items);
	x->items = json_array();
	return x->e = calendar_list(c, x->a, x->b, q_visit, x);
}

static mc_day add(store *s, const char *from, int n)
{
	q x = {.a = D(from), .n = n};
	assert_int_equal(store_read(s, q_add, &x, NULL), MC_OK);
	return x.day;
}

static int between(store *s, const char *from, const char *to)
{
	q x = {.a = D(from), .b = D(to)};
	assert_int_equal(store_read(s, q_between, &x, NULL), MC_OK);
	return x.count;
}

static bool is_working(store *s, const char *day)
{
	q x = {.a = D(day)};
	assert_int_equal(store_read(s, q_working, &x, NULL), MC_OK);
	return x.working;
}

static void test_add_working_days_rules(void **state)
{
	fixture *f = *state;
	/* Friday before Tết 2025: Monday 27 January still works, then Tết
	 * (28 Jan - 1 Feb), the weekend and the compensatory 3 February. */
	assert_day(add(f->s, "2025-01-24", 0), "2025-01-24");
	assert_day(add(f->s, "2025-01-24", 1), "2025-01-27");
	assert_day(add(f->s, "2025-01-24", 2), "2025-02-04");
	assert_day(add(f->s, "2025-01-24", 5), "2025-02-07");
	/* From a non-working day: n = 0 moves to the next working day. */
	assert_day(add(f->s, "2025-01-29", 0), "2025-02-04");
	assert_day(add(f->s, "2025-01-29", 1), "2025-02-04");
	assert_day(add(f->s, "2026-02-13", 1), "2026-02-23");
	/* Across Tết 2026 (16-20 February): 15 working days from 2 Feb. */
	assert_day(add(f->s, "2026-02-02", 15), "2026-03-02");
	assert_int_equal(between(f->s, "2026-02-01", "2026-03-01"), 15);
	assert_int_equal(between(f->s, "2026-03-01", "2026-02-01"), -15);
	assert_int_equal(between(f->s, "2026-02-16", "2026-02-16"), 0);
	assert_int_equal(between(f->s, "2025-01-01", "2026-01-01"), 250);
	assert_int_equal(between(f->s, "2026-01-01", "2027-01-01"), 250);
	/* The upper bound: 1000 working days is about four years. */
	mc_day far = add(f->s, "2026-01-01", 1000);
	assert_true(far > D("2029-12-01") && far < D("2030-03-01"));
	q b = {.a = D("2026-01-02"), .b = far + 1};
	assert_int_equal(store_read(f->s, q_between, &b, NULL), MC_OK);
	assert_int_equal(b.count, 1000);

	/* Caps and bad arguments. */
	q x = {.a = D("2026-01-01"), .n = CALENDAR_MAX_WORKING_DAYS + 1};
	assert_int_equal(store_read(f->s, q_add, &x, NULL), MC_ERR_INVALID);
	x = (q){.a = D("2026-01-01"), .n = -1};
	assert_int_equal(store_read(f->s, q_add, &x, NULL), MC_ERR_INVALID);
	x = (q){.a = D("2026-01-01"), .b = D("2026-01-01") + CALENDAR_MAX_SPAN + 1};
	assert_int_equal(store_read(f->s, q_between, &x, NULL), MC_ERR_INVALID);
	x = (q){.a = D("1850-01-01")};
	assert_int_equal(store_read(f->s, q_working, &x, NULL), MC_ERR_INVALID);
	x = (q){.a = D("2199-12-30"), .n = 10};
	assert_int_equal(store_read(f->s, q_add, &x, NULL), MC_ERR_INVALID);
}

static long long audit_entries(store *s)
{
	long long checked = -1, bad = -1;
	mc_diag d = {0};
	assert_int_equal(audit_verify(s, &checked, &bad, &d), MC_OK);
	mc_diag_clear(&d);
	return checked;
}

static void test_overrides(void **state)
{
	fixture *f = *state;
	calendar_override o;
	bool created = false;
	mc_diag d = {0};
	long long audit0 = audit_entries(f->s);

	assert_true(is_working(f->s, "2026-02-23"));
	assert_false(is_working(f->s, "2026-02-28"));
	/* A declared day off after Tết and a make-up Saturday. */
	assert_int_equal(calendar_set_day(f->s, "admin", D("2026-02-23"), true,
	                                  "  Nghỉ thêm sau Tết ", "Extra day off after Tết", &o,
	                                  &created, &d),
	                 MC_OK);
	assert_true(created);
	assert_true(o.off);
	assert_string_equal(o.reason_vi, "Nghỉ thêm sau Tết");
	assert_string_equal(o.created_by, "admin");
	assert_int_equal(strlen(o.created_at), 20);
	assert_int_equal(calendar_set_day(f->s, "admin", D("2026-02-28"), false, "Làm bù", NULL, &o,
	                                  &created, &d),
	                 MC_OK);
	assert_true(created);
	assert_false(o.off);
	assert_string_equal(o.reason_en, "");
	assert_false(is_working(f->s, "2026-02-23"));
	assert_true(is_working(f->s, "2026-02-28"));
	assert_int_equal(audit_entries(f->s), audit0 + 2);

	/* Arithmetic sees both. */
	assert_day(add(f->s, "2026-02-13", 1), "2026-02-24");
	assert_day(add(f->s, "2026-02-13", 5), "2026-02-28");
	assert_day(add(f->s, "2026-02-13", 6), "2026-03-02");
	assert_int_equal(between(f->s, "2026-02-01", "2026-02-28"), 14);
	assert_int_equal(between(f->s, "2026-02-01", "2026-03-01"), 15);

	/* Overrides beat the rules both ways: a holiday made a working day. */
	assert_int_equal(calendar_set_day(f->s, "admin", D("2026-09-01"), false,
	                                  "Nghỉ lễ chuyển sang 3/9", "Holiday moved to 3 September",
	                                  NULL, NULL, &d),
	                 MC_OK);
	assert_int_equal(calendar_set_day(f->s, "admin", D("2026-09-03"), true,
	                                  "Quốc khánh (ngày liền kề 3/9)",
	                                  "National Day (3 September)", NULL, NULL, &d),
	                 MC_OK);
	assert_true(is_working(f->s, "2026-09-01"));
	assert_false(is_working(f->s, "2026-09-03"));

	/* Replacing an override: not created, audited with the before state. */
	assert_int_equal(calendar_set_day(f->s, "admin2", D("2026-02-28"), false,
	                                  "Làm bù ngày 23/2", "Make-up day for 23 February", &o,
	                                  &created, &d),
	                 MC_OK);
	assert_false(created);
	assert_string_equal(o.created_by, "admin2");
	assert_int_equal(audit_entries(f->s), audit0 + 5);

	/* The listing merges rules and overrides, in date order. */
	q x = {.a = D("2026-02-14"), .b = D("2026-03-01")};
	assert_int_equal(store_read(f->s, q_list, &x, NULL), MC_OK);
	static const char *const want[][2] = {
	    {"2026-02-14", "weekend"},       {"2026-02-15", "weekend"},
	    {"2026-02-16", "holiday"},       {"2026-02-17", "holiday"},
	    {"2026-02-18", "holiday"},       {"2026-02-19", "holiday"},
	    {"2026-02-20", "holiday"},       {"2026-02-21", "weekend"},
	    {"2026-02-22", "weekend"},       {"2026-02-23", "declared_off"},
	    {"2026-02-28", "declared_work"}, {"2026-03-01", "weekend"},
	};
	assert_int_equal(json_array_size(x.items), sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		json_t *it = json_array_get(x.items, i);
		assert_string_equal(json_string_value(json_object_get(it, "date")), want[i][0]);
		assert_string_equal(json_string_value(json_object_get(it, "kind")), want[i][1]);
	}
	json_t *it = json_array_get(x.items, 9);
	assert_string_equal(json_string_value(json_object_get(it, "vi")), "Nghỉ thêm sau Tết");
	assert_string_equal(json_string_value(json_object_get(it, "en")),
	                    "Extra day off after Tết");
	it = json_array_get(x.items, 10);
	assert_string_equal(json_string_value(json_object_get(it, "en")),
	                    "Make-up day for 23 February");
	it = json_array_get(x.items, 3);
	assert_string_equal(json_string_value(json_object_get(it, "vi")),
	                    "Tết Nguyên đán (mùng 1 tháng Giêng)");
	json_decref(x.items);
	x = (q){.a = D("2026-03-01"), .b = D("2026-02-01")};
	assert_int_equal(store_read(f->s, q_list, &x, NULL), MC_ERR_INVALID);
	json_decref(x.items);

	/* Removing an override restores the rule; removing twice is 404. */
	assert_int_equal(calendar_delete_day(f->s, "admin", D("2026-02-23"), &d), MC_OK);
	assert_true(is_working(f->s, "2026-02-23"));
	assert_int_equal(calendar_delete_day(f->s, "admin", D("2026-02-23"), &d), MC_ERR_NOT_FOUND);
	mc_diag_clear(&d);
	assert_int_equal(audit_entries(f->s), audit0 + 6);
	mc_diag_clear(&d);
}

/* Declared days are consistent with the arithmetic: adding n working days
 * lands on a working day with exactly n working days in between. */
static void test_add_between_agree(void **state)
{
	fixture *f = *state;
	mc_diag d = {0};
	static const char *const offs[] = {"2027-01-04", "2027-02-12", "2027-03-15"};
	for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
		assert_int_equal(
		    calendar_set_day(f->s, "admin", D(offs[i]), true, "Nghỉ", NULL, NULL, NULL, &d),
		    MC_OK);
	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2027-02-13"), false, "Làm bù", NULL, NULL, NULL, &d),
	    MC_OK);
	for (mc_day from = D("2026-12-20"); from < D("2027-03-20"); from += 3) {
		for (int n = 1; n <= 40; n += 7) {
			q x = {.a = from, .n = n};
			assert_int_equal(store_read(f->s, q_add, &x, NULL), MC_OK);
			q w = {.a = x.day};
			assert_int_equal(store_read(f->s, q_working, &w, NULL), MC_OK);
			assert_true(w.working);
			q b = {.a = from + 1, .b = x.day + 1};
			assert_int_equal(store_read(f->s, q_between, &b, NULL), MC_OK);
			assert_int_equal(b.count, n);
		}
	}
	mc_diag_clear(&d);
}

static void test_override_validation(void **state)
{
	fixture *f = *state;
	mc_diag d = {0};
	long long audit0 = audit_entries(f->s);

	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2026-06-01"), true, "   ", NULL, NULL, NULL, &d),
	    MC_ERR_UNPROCESSABLE);
	json_t *errs = json_object_get(d.ext, "errors");
	assert_int_equal(json_array_size(errs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 0), "path")),
	                    "$.reason");
	mc_diag_clear(&d);

	/* 300 Vietnamese letters are fine, 301 are not, in either language. */
	assert_int_equal(CALENDAR_REASON_MAX, 300);
	char *ok = mc_xcalloc(1, 300 * 3 + 8), *long_ = mc_xcalloc(1, 301 * 3 + 8);
	for (int i = 0; i < 300; i++)
		strcat(ok, "ệ");
	strcpy(long_, ok);
	strcat(long_, "a");
	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2026-06-01"), true, ok, ok, NULL, NULL, &d), MC_OK);
	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2026-06-02"), true, long_, NULL, NULL, NULL, &d),
	    MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2026-06-02"), true, "x", long_, NULL, NULL, &d),
	    MC_ERR_UNPROCESSABLE);
	errs = json_object_get(d.ext, "errors");
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 0), "path")),
	                    "$.reason_en");
	mc_diag_clear(&d);
	/* Control characters are refused. */
	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2026-06-02"), true, "a\nb", NULL, NULL, NULL, &d),
	    MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	/* Out of the supported years. */
	assert_int_equal(
	    calendar_set_day(f->s, "admin", D("2300-01-02"), true, "x", NULL, NULL, NULL, &d),
	    MC_ERR_INVALID);
	assert_true(d.detail_vi[0] != '\0');
	mc_diag_clear(&d);
	/* SQL metacharacters are stored literally. */
	calendar_override o;
	assert_int_equal(calendar_set_day(f->s, "admin", D("2026-06-03"), true,
	                                  "'); DROP TABLE calendar_day; --", NULL, &o, NULL, &d),
	                 MC_OK);
	assert_string_equal(o.reason_vi, "'); DROP TABLE calendar_day; --");
	assert_false(is_working(f->s, "2026-06-03"));
	/* Only the two successful writes were audited. */
	assert_int_equal(audit_entries(f->s), audit0 + 2);
	free(ok);
	free(long_);
	mc_diag_clear(&d);
}

int main(void)
{
	mc_mem_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lunar_new_year),
	    cmocka_unit_test(test_lunar_to_solar),
	    cmocka_unit_test(test_leap_months),
	    cmocka_unit_test(test_lunar_structure),
	    cmocka_unit_test(test_holidays_2025),
	    cmocka_unit_test(test_holidays_2026),
	    cmocka_unit_test(test_compensatory_days),
	    cmocka_unit_test(test_rule_invariants),
	    cmocka_unit_test_setup_teardown(test_add_working_days_rules, store_setup,
	                                    store_teardown),
	    cmocka_unit_test_setup_teardown(test_overrides, store_setup, store_teardown),
	    cmocka_unit_test_setup_teardown(test_add_between_agree, store_setup, store_teardown),
	    cmocka_unit_test_setup_teardown(test_override_validation, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
