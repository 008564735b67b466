/* calendar_rules.c - the statutory calendar, without overrides: weekends,
 * public holidays of the Labor Code 2019 (art. 112) and the compensatory
 * days off of art. 111(3).
 *
 * Public holidays (art. 112(1)):
 *   1 January (Tết Dương lịch); Tết Nguyên đán, 5 days, taken here as the
 *   last day of the lunar year and lunar days 1 to 4 of the new year; the
 *   Hùng Kings' Commemoration, 10th day of the 3rd lunar month; 30 April;
 *   1 May; National Day 2 September and one adjacent day, taken here as
 *   1 September.
 * The Prime Minister fixes the exact Tết and National Day days each year;
 * when they differ from the above, administrators declare overrides
 * (calendar.c) instead of changing these rules.
 * Compensatory days (art. 111(3)): a holiday falling on the weekly rest day
 * (Saturday or Sunday for the public administration) gives a day off on
 * the next working day; several holidays in a row give consecutive days.
 *
 * The days off of a year are computed once and cached (thread-safe). */
#include "calendar/calendar.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef enum holiday_id {
	H_NEW_YEAR,
	H_TET_EVE,
	H_TET_1,
	H_TET_2,
	H_TET_3,
	H_TET_4,
	H_HUNG_KINGS,
	H_VICTORY,
	H_LABOUR,
	H_NATIONAL_EVE,
	H_NATIONAL,
	H__COUNT
} holiday_id;

static const struct {
	const char *vi, *en;           /* the holiday */
	const char *comp_vi, *comp_en; /* its compensatory day off */
} holiday_names[H__COUNT] = {
    [H_NEW_YEAR] = {"Tết Dương lịch", "New Year's Day", "Nghỉ bù Tết Dương lịch",
                    "Compensatory day off for New Year's Day"},
    [H_TET_EVE] = {"Tết Nguyên đán (ngày cuối năm âm lịch)",
                   "Lunar New Year (Tết): last day of the lunar year",
                   "Nghỉ bù Tết Nguyên đán (ngày cuối năm âm lịch)",
                   "Compensatory day off for Lunar New Year (last day of the lunar year)"},
    [H_TET_1] = {"Tết Nguyên đán (mùng 1 tháng Giêng)", "Lunar New Year (Tết): 1st day",
                 "Nghỉ bù Tết Nguyên đán (mùng 1 tháng Giêng)",
                 "Compensatory day off for Lunar New Year (1st day)"},
    [H_TET_2] = {"Tết Nguyên đán (mùng 2 tháng Giêng)", "Lunar New Year (Tết): 2nd day",
                 "Nghỉ bù Tết Nguyên đán (mùng 2 tháng Giêng)",
                 "Compensatory day off for Lunar New Year (2nd day)"},
    [H_TET_3] = {"Tết Nguyên đán (mùng 3 tháng Giêng)", "Lunar New Year (Tết): 3rd day",
                 "Nghỉ bù Tết Nguyên đán (mùng 3 tháng Giêng)",
                 "Compensatory day off for Lunar New Year (3rd day)"},
    [H_TET_4] = {"Tết Nguyên đán (mùng 4 tháng Giêng)", "Lunar New Year (Tết): 4th day",
                 "Nghỉ bù Tết Nguyên đán (mùng 4 tháng Giêng)",
                 "Compensatory day off for Lunar New Year (4th day)"},
    [H_HUNG_KINGS] = {"Giỗ Tổ Hùng Vương (10/3 âm lịch)",
                      "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)",
                      "Nghỉ bù Giỗ Tổ Hùng Vương",
                      "Compensatory day off for Hùng Kings' Commemoration Day"},
    [H_VICTORY] = {"Ngày Chiến thắng (30/4)", "Reunification Day (30 April)",
                   "Nghỉ bù Ngày Chiến thắng (30/4)",
                   "Compensatory day off for Reunification Day (30 April)"},
    [H_LABOUR] = {"Ngày Quốc tế Lao động (1/5)", "International Workers' Day (1 May)",
                  "Nghỉ bù Ngày Quốc tế Lao động (1/5)",
                  "Compensatory day off for International Workers' Day (1 May)"},
    [H_NATIONAL_EVE] = {"Quốc khánh (ngày liền kề, 1/9)",
                        "National Day (adjacent day, 1 September)", "Nghỉ bù Quốc khánh (1/9)",
                        "Compensatory day off for National Day (1 September)"},
    [H_NATIONAL] = {"Quốc khánh (2/9)", "National Day (2 September)", "Nghỉ bù Quốc khánh (2/9)",
                    "Compensatory day off for National Day (2 September)"},
};

/* One day off of a year, by rule. */
struct rule_day {
	mc_day day;
	calendar_kind kind; /* CAL_HOLIDAY or CAL_COMPENSATORY */
	holiday_id id;
};

#define RULE_DAYS_MAX (2 * H__COUNT)

struct rule_year {
	atomic_int ready;
	int n;
	struct rule_day days[RULE_DAYS_MAX]; /* sorted by day */
};

static struct rule_year rule_years[LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1];
static pthread_mutex_t rule_lock = PTHREAD_MUTEX_INITIALIZER;

const char *calendar_kind_name(calendar_kind k)
{
	switch (k) {
	case CAL_WORKING:
		return "working";
	case CAL_WEEKEND:
		return "weekend";
	case CAL_HOLIDAY:
		return "holiday";
	case CAL_COMPENSATORY:
		return "compensatory";
	case CAL_DECLARED_OFF:
		return "declared_off";
	case CAL_DECLARED_WORK:
		return "declared_work";
	}
	return "working";
}

static bool is_weekend(mc_day d)
{
	return date_weekday(d) >= 5;
}

static int cmp_rule_day(const void *a, const void *b)
{
	const struct rule_day *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (int)x->id - (int)y->id;
}

static bool in_rule_days(const struct rule_day *days, int n, mc_day d)
{
	for (int i = 0; i < n; i++)
		if (days[i].day == d)
			return true;
	return false;
}

/* Fills the days off of Gregorian year y, sorted. Every one of them falls in
 * year y: the earliest lunar new year is 21 January, and the latest
 * compensatory day follows 2 September by a few days. */
static void rule_year_compute(int y, struct rule_year *ry)
{
	struct rule_day hol[H__COUNT];
	int nh = 0;

	hol[nh++] = (struct rule_day){date_from_ymd(y, 1, 1), CAL_HOLIDAY, H_NEW_YEAR};
	mc_day tet = lunar_new_year(y);
	if (tet != MC_DAY_NONE) {
		hol[nh++] = (struct rule_day){tet - 1, CAL_HOLIDAY, H_TET_EVE};
		for (int i = 0; i < 4; i++)
			hol[nh++] =
			    (struct rule_day){tet + i, CAL_HOLIDAY, (holiday_id)(H_TET_1 + i)};
	}
	mc_day hung = lunar_to_solar(y, 3, 10);
	if (hung != MC_DAY_NONE)
		hol[nh++] = (struct rule_day){hung, CAL_HOLIDAY, H_HUNG_KINGS};
	hol[nh++] = (struct rule_day){date_from_ymd(y, 4, 30), CAL_HOLIDAY, H_VICTORY};
	hol[nh++] = (struct rule_day){date_from_ymd(y, 5, 1), CAL_HOLIDAY, H_LABOUR};
	hol[nh++] = (struct rule_day){date_from_ymd(y, 9, 1), CAL_HOLIDAY, H_NATIONAL_EVE};
	hol[nh++] = (struct rule_day){date_from_ymd(y, 9, 2), CAL_HOLIDAY, H_NATIONAL};
	qsort(hol, (size_t)nh, sizeof hol[0], cmp_rule_day);

	/* Two holidays on one day (the Hùng Kings' day can meet 30 April) make
	 * one day off: the first named is kept. */
	int n = 0;
	for (int i = 0; i < nh; i++)
		if (n == 0 || ry->days[n - 1].day != hol[i].day)
			ry->days[n++] = hol[i];
	int nholidays = n;

	/* Compensatory days, in order: the next day that is neither a weekend,
	 * nor a holiday, nor already a compensatory day. */
	mc_day last_comp = INT32_MIN;
	for (int i = 0; i < nholidays; i++) {
		if (!is_weekend(ry->days[i].day))
			continue;
		mc_day c = ry->days[i].day + 1;
		if (c <= last_comp)
			c = last_comp + 1;
		while (is_weekend(c) || in_rule_days(ry->days, n, c))
			c++;
		ry->days[n++] = (struct rule_day){c, CAL_COMPENSATORY, ry->days[i].id};
		last_comp = c;
	}
	qsort(ry->days, (size_t)n, sizeof ry->days[0], cmp_rule_day);
	ry->n = n;
}

/* The cached days off of year y, or NULL outside the supported years. */
static const struct rule_year *rule_year_get(int y)
{
	if (y < LUNAR_YEAR_MIN || y > LUNAR_YEAR_MAX)
		return NULL;
	struct rule_year *ry = &rule_years[y - LUNAR_YEAR_MIN];
	if (atomic_load_explicit(&ry->ready, memory_order_acquire))
		return ry;
	pthread_mutex_lock(&rule_lock);
	if (!atomic_load_explicit(&ry->ready, memory_order_relaxed)) {
		rule_year_compute(y, ry);
		atomic_store_explicit(&ry->ready, 1, memory_order_release);
	}
	pthread_mutex_unlock(&rule_lock);
	return ry;
}

/* Fixed-date holidays of a year outside the supported range (no lunar
 * computation there, no compensatory days). */
static int fixed_holiday(mc_day d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (m == 1 && dd == 1)
		return H_NEW_YEAR;
	if (m == 4 && dd == 30)
		return H_VICTORY;
	if (m == 5 && dd == 1)
		return H_LABOUR;
	if (m == 9 && dd == 1)
		return H_NATIONAL_EVE;
	if (m == 9 && dd == 2)
		return H_NATIONAL;
	return -1;
}

calendar_kind calendar_rule_kind(mc_day d, const char **reason_en, const char **reason_vi)
{
	const char *en = NULL, *vi = NULL;
	calendar_kind kind = CAL_WORKING;
	int y;
	date_to_ymd(d, &y, NULL, NULL);
	const struct rule_year *ry = rule_year_get(y);
	if (ry) {
		int lo = 0, hi = ry->n;
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (ry->days[mid].day < d)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < ry->n && ry->days[lo].day == d) {
			const struct rule_day *r = &ry->days[lo];
			kind = r->kind;
			if (kind == CAL_HOLIDAY) {
				en = holiday_names[r->id].en;
				vi = holiday_names[r->id].vi;
			} else {
				en = holiday_names[r->id].comp_en;
				vi = holiday_names[r->id].comp_vi;
			}
		}
	} else {
		int id = fixed_holiday(d);
		if (id >= 0) {
			kind = CAL_HOLIDAY;
			en = holiday_names[id].en;
			vi = holiday_names[id].vi;
		}
	}
	if (kind == CAL_WORKING && is_weekend(d)) {
		kind = CAL_WEEKEND;
		bool sat = date_weekday(d) == 5;
		en = sat ? "Saturday" : "Sunday";
		vi = sat ? "Thứ Bảy" : "Chủ nhật";
	}
	if (reason_en)
		*reason_en = en;
	if (reason_vi)
		*reason_vi = vi;
	return kind;
}

bool calendar_is_statutory_holiday(mc_day d, const char **reason_en, const char **reason_vi)
{
	const char *en, *vi;
	calendar_kind k = calendar_rule_kind(d, &en, &vi);
	bool holiday = k == CAL_HOLIDAY || k == CAL_COMPENSATORY;
	if (reason_en)
		*reason_en = holiday ? en : NULL;
	if (reason_vi)
		*reason_vi = holiday ? vi : NULL;
	return holiday;
}
