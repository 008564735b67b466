/* lunar.c - the Vietnamese lunar calendar (âm lịch), computed from the
 * astronomy rather than from tables.
 *
 * Rules of the calendar (the same family as the Chinese calendar, reckoned
 * in the time zone UTC+7 since 1968):
 *   1. A month begins on the civil day (UTC+7) that contains a new moon.
 *   2. The month that contains the December solstice (the sun at apparent
 *      longitude 270 degrees) is month 11.
 *   3. When 13 months begin between two consecutive month-11s, the year
 *      has a leap month: the first month after month 11 that contains no
 *      major solar term (the sun crossing a multiple of 30 degrees). It
 *      takes the number of the month before it.
 *
 * Astronomy (formulas from J. Meeus, Astronomical Algorithms, 2nd ed.):
 *   - mean new moon for lunation k (k = 0 near 2000-01-06) and the
 *     periodic corrections of chapter 49, giving the instant in TT;
 *   - apparent geocentric longitude of the sun, the lower-accuracy theory
 *     of chapter 25 (about 0.01 degree, i.e. some 15 minutes of time);
 *   - TT - UT (delta T) by the polynomials of Espenak and Meeus.
 * A month contains a major term exactly when the 30-degree sector of the
 * sun's longitude at the local midnight that starts the month differs from
 * the sector at the midnight that starts the next month. */
#include "calendar/calendar.h"

#include <math.h>

#define PI 3.14159265358979323846
#define SYNODIC_MONTH 29.530588861
#define JD_J2000 2451545.0
#define JD_UNIX_EPOCH 2440587.5 /* 1970-01-01T00:00:00Z */
#define VN_ZONE_DAYS (7.0 / 24.0)

static double sin_deg(double d)
{
	return sin(fmod(d, 360.0) * (PI / 180.0));
}

/* TT - UT in days at Julian day jd (Espenak & Meeus, NASA eclipse pages). */
static double delta_t_days(double jd)
{
	double y = 2000.0 + (jd - JD_J2000) / 365.25;
	double t, s;
	if (y < 1900) {
		double u = (y - 1820) / 100;
		s = -20 + 32 * u * u;
	} else if (y < 1920) {
		t = y - 1900;
		s = -2.79 + t * (1.494119 + t * (-0.0598939 + t * (0.0061966 - t * 0.000197)));
	} else if (y < 1941) {
		t = y - 1920;
		s = 21.20 + t * (0.84493 + t * (-0.076100 + t * 0.0020936));
	} else if (y < 1961) {
		t = y - 1950;
		s = 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	} else if (y < 1986) {
		t = y - 1975;
		s = 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	} else if (y < 2005) {
		t = y - 2000;
		s = 63.86 +
		    t * (0.3345 +
		         t * (-0.060374 + t * (0.0017275 + t * (0.000651814 + t * 0.00002373599))));
	} else if (y < 2050) {
		t = y - 2000;
		s = 62.92 + t * (0.32217 + t * 0.005589);
	} else {
		double u = (y - 1820) / 100;
		s = -20 + 32 * u * u;
		if (y < 2150)
			s -= 0.5628 * (2150 - y);
	}
	return s / 86400.0;
}

/* Periodic terms of the new-moon correction: coefficient (days), power of
 * the eccentricity factor E, and the multiples of M (sun's mean anomaly),
 * M' (moon's mean anomaly), F (moon's argument of latitude) and Omega
 * (longitude of the ascending node) in the argument. */
static const struct {
	double coef;
	int e_pow;
	signed char m, mp, f, om;
} new_moon_terms[] = {
    {-0.40720, 0, 0, 1, 0, 0}, {0.17241, 1, 1, 0, 0, 0},    {0.01608, 0, 0, 2, 0, 0},
    {0.01039, 0, 0, 0, 2, 0},  {0.00739, 1, -1, 1, 0, 0},   {-0.00514, 1, 1, 1, 0, 0},
    {0.00208, 2, 2, 0, 0, 0},  {-0.00111, 0, 0, 1, -2, 0},  {-0.00057, 0, 0, 1, 2, 0},
    {0.00056, 1, 1, 2, 0, 0},  {-0.00042, 0, 0, 3, 0, 0},   {0.00042, 1, 1, 0, 2, 0},
    {0.00038, 1, 1, 0, -2, 0}, {-0.00024, 1, -1, 2, 0, 0},  {-0.00017, 0, 0, 0, 0, 1},
    {-0.00007, 0, 2, 1, 0, 0}, {0.00004, 0, 0, 2, -2, 0},   {0.00004, 0, 3, 0, 0, 0},
    {0.00003, 0, 1, 1, -2, 0}, {0.00003, 0, 0, 2, 2, 0},    {-0.00003, 0, 1, 1, 2, 0},
    {0.00003, 0, -1, 1, 2, 0}, {-0.00002, 0, -1, 1, -2, 0}, {-0.00002, 0, 1, 3, 0, 0},
    {0.00002, 0, 0, 4, 0, 0},
};

/* Planetary arguments of the additional corrections: A_i = a + b * k
 * (degrees), amplitude c (days). A1 also has a T^2 term, added apart. */
static const struct {
	double a, b, c;
} new_moon_planetary[] = {
    {299.77, 0.107408, 0.000325},  {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
    {349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
    {207.14, 2.453732, 0.000060},  {154.84, 7.306860, 0.000056}, {34.52, 27.261239, 0.000047},
    {207.19, 0.121824, 0.000042},  {291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
    {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
};

/* Julian day (UT) of the true new moon of lunation k (k = 0: 2000-01-06). */
static double new_moon_jd(int k)
{
	double kk = k;
	double t = kk / 1236.85;
	double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
	double jde = 2451550.09766 + SYNODIC_MONTH * kk + 0.00015437 * t2 - 0.000000150 * t3 +
	             0.00000000073 * t4;
	double e = 1 - 0.002516 * t - 0.0000074 * t2;
	double m = 2.5534 + 29.10535670 * kk - 0.0000014 * t2 - 0.00000011 * t3;
	double mp =
	    201.5643 + 385.81693528 * kk + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4;
	double f =
	    160.7108 + 390.67050284 * kk - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
	double om = 124.7746 - 1.56375588 * kk + 0.0020672 * t2 + 0.00000215 * t3;
	double corr = 0;
	for (size_t i = 0; i < sizeof new_moon_terms / sizeof new_moon_terms[0]; i++) {
		double arg = new_moon_terms[i].m * m + new_moon_terms[i].mp * mp +
		             new_moon_terms[i].f * f + new_moon_terms[i].om * om;
		double c = new_moon_terms[i].coef;
		for (int p = 0; p < new_moon_terms[i].e_pow; p++)
			c *= e;
		corr += c * sin_deg(arg);
	}
	for (size_t i = 0; i < sizeof new_moon_planetary / sizeof new_moon_planetary[0]; i++) {
		double arg = new_moon_planetary[i].a + new_moon_planetary[i].b * kk;
		if (i == 0)
			arg -= 0.009173 * t2;
		corr += new_moon_planetary[i].c * sin_deg(arg);
	}
	jde += corr;
	return jde - delta_t_days(jde);
}

/* Apparent longitude of the sun (degrees, [0, 360)) at Julian day jd (UT). */
static double sun_longitude(double jd)
{
	double t = (jd + delta_t_days(jd) - JD_J2000) / 36525.0;
	double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
	double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
	double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin_deg(m) +
	           (0.019993 - 0.000101 * t) * sin_deg(2 * m) + 0.000289 * sin_deg(3 * m);
	double omega = 125.04 - 1934.136 * t;
	double lambda = l0 + c - 0.00569 - 0.00478 * sin_deg(omega);
	lambda = fmod(lambda, 360.0);
	return lambda < 0 ? lambda + 360.0 : lambda;
}

/* Civil day in Vietnam (UTC+7) of an instant given as Julian day (UT). */
static mc_day local_day_of_jd(double jd)
{
	return (mc_day)floor(jd - JD_UNIX_EPOCH + VN_ZONE_DAYS);
}

/* First civil day of the month that begins with lunation k. */
static mc_day month_start(int k)
{
	return local_day_of_jd(new_moon_jd(k));
}

/* 30-degree sector (0..11) of the sun at the local midnight starting day d. */
static int sun_sector(mc_day d)
{
	double jd = JD_UNIX_EPOCH + (double)d - VN_ZONE_DAYS;
	return (int)(sun_longitude(jd) / 30.0) % 12;
}

/* The lunation whose month contains civil day d. */
static int lunation_of_day(mc_day d)
{
	double jd = JD_UNIX_EPOCH + (double)d;
	int k = (int)floor((jd - 2451550.09766) / SYNODIC_MONTH);
	while (month_start(k + 1) <= d)
		k++;
	while (month_start(k) > d)
		k--;
	return k;
}

/* Lunation of month 11: the month containing the December solstice of
 * Gregorian year y. */
static int month11_lunation(int y)
{
	int k = lunation_of_day(date_from_ymd(y, 12, 31));
	/* The sun already past 270 degrees when month k begins: the solstice
	 * fell in the month before. */
	if (sun_sector(month_start(k)) >= 9)
		k--;
	return k;
}

/* The 12 or 13 months from month 11 of Gregorian year g (index 0) up to
 * the next month 11 (excluded). */
struct lunar_period {
	int g;
	int n;            /* number of months: 12 or 13 */
	int leap;         /* index of the leap month, 0 when none */
	mc_day start[14]; /* start[i]: first day of month i; start[n]: next month 11 */
};

static void period_compute(int g, struct lunar_period *p)
{
	int k11 = month11_lunation(g);
	int k11_next = month11_lunation(g + 1);
	p->g = g;
	p->n = k11_next - k11;
	p->leap = 0;
	if (p->n < 12 || p->n > 13) /* cannot happen astronomically */
		p->n = p->n < 12 ? 12 : 13;
	for (int i = 0; i <= p->n; i++)
		p->start[i] = month_start(k11 + i);
	if (p->n == 13) {
		int prev = sun_sector(p->start[1]);
		for (int i = 1; i < 13; i++) {
			int next = sun_sector(p->start[i + 1]);
			if (next == prev) {
				p->leap = i;
				break;
			}
			prev = next;
		}
		if (p->leap == 0) /* pigeonhole makes this impossible */
			p->leap = 12;
	}
}

/* Month number (1..12) and leap flag of month index i of a period. */
static int period_month(const struct lunar_period *p, int i, bool *leap)
{
	bool is_leap = p->leap != 0 && i == p->leap;
	int ordinal = (p->leap != 0 && i >= p->leap) ? i - 1 : i; /* 0 = month 11 */
	if (leap)
		*leap = is_leap;
	return (10 + ordinal) % 12 + 1;
}

/* Index of the non-leap month numbered m in the period. */
static int period_index(const struct lunar_period *p, int m)
{
	for (int i = 0; i < p->n; i++) {
		bool leap;
		if (period_month(p, i, &leap) == m && !leap)
			return i;
	}
	return -1;
}

static bool year_supported(int y)
{
	return y >= LUNAR_YEAR_MIN && y <= LUNAR_YEAR_MAX;
}

mc_day lunar_new_year(int y)
{
	if (!year_supported(y))
		return MC_DAY_NONE;
	struct lunar_period p;
	period_compute(y - 1, &p);
	return p.start[period_index(&p, 1)];
}

mc_day lunar_to_solar(int ly, int lm, int ld)
{
	if (!year_supported(ly) || lm < 1 || lm > 12 || ld < 1 || ld > 30)
		return MC_DAY_NONE;
	struct lunar_period p;
	period_compute(lm >= 11 ? ly : ly - 1, &p);
	int i = period_index(&p, lm);
	if (i < 0 || p.start[i] + ld - 1 >= p.start[i + 1])
		return MC_DAY_NONE; /* day 30 of a 29-day month */
	return p.start[i] + ld - 1;
}

bool lunar_from_solar(mc_day d, lunar_date *out)
{
	int y;
	date_to_ymd(d, &y, NULL, NULL);
	if (y < LUNAR_YEAR_MIN - 1 || y > LUNAR_YEAR_MAX)
		return false;
	struct lunar_period p;
	period_compute(y, &p);
	if (d < p.start[0])
		period_compute(y - 1, &p);
	int i = 0;
	while (i + 1 < p.n && p.start[i + 1] <= d)
		i++;
	int first_month = period_index(&p, 1);
	out->month = period_month(&p, i, &out->leap);
	out->year = i < first_month ? p.g : p.g + 1;
	out->day = (int)(d - p.start[i]) + 1;
	out->month_days = (int)(p.start[i + 1] - p.start[i]);
	if (out->year < LUNAR_YEAR_MIN || out->year > LUNAR_YEAR_MAX)
		return false;
	return true;
}

int lunar_leap_month(int ly)
{
	if (!year_supported(ly))
		return -1;
	/* A leap month of lunar year ly lies between its month 1 and its
	 * month 12: in the period of g = ly - 1 after month 1, or in the
	 * period of g = ly as a leap 11 or leap 12. */
	struct lunar_period p;
	period_compute(ly - 1, &p);
	if (p.leap != 0 && p.leap > period_index(&p, 1))
		return period_month(&p, p.leap, NULL);
	period_compute(ly, &p);
	if (p.leap != 0 && p.leap < period_index(&p, 1))
		return period_month(&p, p.leap, NULL);
	return 0;
}
