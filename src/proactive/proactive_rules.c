/* proactive_rules.c - the store-free rules of proactive services (see
 * proactive_rules.h): rule data, eligibility, agency, expiry, templates. */
#include "proactive/proactive_rules.h"

#include "core/date.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char embedded_life_events[];
extern const char embedded_essential_services[];

static pthread_once_t once = PTHREAD_ONCE_INIT;
static json_t *rules, *services, *codes;

static json_t *load_member(const char *text, const char *file, const char *member)
{
	json_error_t err;
	json_t *doc = json_loads(text, 0, &err);
	json_t *v = json_incref(json_object_get(doc, member));
	json_decref(doc);
	if (!json_is_array(v)) {
		fprintf(stderr, "motcua: data/%s is malformed: %s\n", file, err.text);
		abort();
	}
	return v;
}

static void load(void)
{
	rules = load_member(embedded_life_events, "life-events.json", "rules");
	size_t i;
	json_t *r;
	json_array_foreach(rules, i, r)
	{
		if (!json_is_string(json_object_get(r, "id")) ||
		    !json_is_string(json_object_get(r, "event")) ||
		    !json_is_string(json_object_get(r, "procedure")) ||
		    !json_is_array(json_object_get(r, "recipients")) ||
		    !json_is_string(json_object_get(json_object_get(r, "reason"), "vi")) ||
		    !json_is_string(json_object_get(json_object_get(r, "reason"), "en"))) {
			fprintf(stderr, "motcua: data/life-events.json: rule %zu is incomplete\n",
			        i);
			abort();
		}
	}
	services = load_member(embedded_essential_services, "essential-services.json", "services");
	codes = json_array();
	json_t *s;
	json_array_foreach(services, i, s)
	{
		size_t j;
		json_t *code;
		json_array_foreach(json_object_get(s, "codes"), j, code)
		{
			bool seen = false;
			size_t k;
			json_t *have;
			json_array_foreach(codes, k, have) seen = seen || json_equal(have, code);
			if (json_is_string(code) && !seen)
				json_array_append(codes, code);
		}
	}
}

json_t *proactive_rules(void)
{
	pthread_once(&once, load);
	return rules;
}

json_t *proactive_essential_services(void)
{
	pthread_once(&once, load);
	return services;
}

json_t *proactive_essential_codes(void)
{
	pthread_once(&once, load);
	return codes;
}

long proactive_days_between(const char *from, const char *to)
{
	mc_day a, b;
	if (!from || !to || !date_parse(from, &a) || !date_parse(to, &b) || b < a)
		return -1;
	return (long)(b - a);
}

int proactive_age_years(const char *dob, const char *on)
{
	mc_day a, b;
	if (!dob || !on || !date_parse(dob, &a) || !date_parse(on, &b) || b < a)
		return -1;
	int y1, m1, d1, y2, m2, d2;
	date_to_ymd(a, &y1, &m1, &d1);
	date_to_ymd(b, &y2, &m2, &d2);
	int age = y2 - y1;
	if (m2 < m1 || (m2 == m1 && d2 < d1))
		age--;
	return age;
}

/* The day `years` after `dob` (29 February -> 1 March in common years). */
static bool birthday(const char *dob, int years, mc_day *out)
{
	mc_day a;
	if (!date_parse(dob, &a))
		return false;
	int y, m, d;
	date_to_ymd(a, &y, &m, &d);
	if (m == 2 && d == 29) {
		int ny = y + years;
		bool leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
		*out = leap ? date_from_ymd(ny, 2, 29) : date_from_ymd(ny, 3, 1);
		return true;
	}
	*out = date_from_ymd(y + years, m, d);
	return true;
}

bool proactive_expiry(const char *made_on, int valid_days, const char *dob, int max_age_years,
                      char out[11])
{
	mc_day made;
	if (!made_on || !date_parse(made_on, &made) || valid_days < 0)
		return false;
	mc_day last = made + valid_days;
	mc_day bday;
	if (dob && max_age_years > 0) {
		if (!birthday(dob, max_age_years, &bday))
			return false;
		if (bday - 1 < last)
			last = bday - 1;
	}
	date_format(last, out);
	return true;
}

const char *proactive_effective_status(const char *stored, const char *expires_on,
                                       const char *today)
{
	if (stored && strcmp(stored, "open") == 0 && expires_on && today &&
	    strncmp(expires_on, today, 10) < 0)
		return "expired";
	return stored ? stored : "open";
}

static bool has_level(json_t *levels, const char *want)
{
	size_t i;
	json_t *l;
	json_array_foreach(levels, i, l)
	{
		if (json_is_string(l) && strcmp(json_string_value(l), want) == 0)
			return true;
	}
	return false;
}

const char *proactive_agency_for(json_t *levels, const char *commune, const char *province,
                                 char out[24])
{
	if (commune && strlen(commune) == 5 && has_level(levels, "commune")) {
		snprintf(out, 24, "UBND-%s", commune);
		return out;
	}
	if (province && strlen(province) == 2 && has_level(levels, "province")) {
		snprintf(out, 24, "UBND-%s", province);
		return out;
	}
	return NULL;
}

static json_int_t cond_int(json_t *cond, const char *key, bool *present)
{
	json_t *v = json_object_get(cond, key);
	*present = json_is_integer(v);
	return json_integer_value(v);
}

bool proactive_rule_applies(json_t *rule, const pr_facts *f, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = NULL;
	json_t *cond = json_object_get(rule, "conditions");
	const char *k;
	json_t *v;
	json_object_foreach(cond, k, v)
	{
		bool present;
		if (strcmp(k, "subject_max_age_days") == 0) {
			json_int_t max = cond_int(cond, k, &present);
			long days = proactive_days_between(f->subject_dob, f->event_date);
			if (!present || days < 0 || days > max) {
				*why = k;
				return false;
			}
		} else if (strcmp(k, "subject_max_age_years") == 0) {
			json_int_t max = cond_int(cond, k, &present);
			int age = proactive_age_years(f->subject_dob, f->event_date);
			if (!present || age < 0 || age >= max) {
				*why = k;
				return false;
			}
		} else if (strcmp(k, "no_death_record") == 0) {
			if (!json_is_true(v) || f->subject_has_death_record) {
				*why = k;
				return false;
			}
		} else if (strcmp(k, "residence_differs_from_spouse") == 0) {
			if (!json_is_true(v) || !f->recipient_residence || !f->spouse_residence ||
			    strcmp(f->recipient_residence, f->spouse_residence) == 0) {
				*why = k;
				return false;
			}
		} else {
			*why = k;
			return false;
		}
	}
	return true;
}

char *proactive_expand(const char *tmpl, json_t *vars)
{
	mc_buf b = {0};
	mc_buf_puts(&b, "");
	const char *p = tmpl ? tmpl : "";
	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close || close - open > 40) {
			mc_buf_puts(&b, p);
			break;
		}
		mc_buf_append(&b, p, (size_t)(open - p));
		char name[48];
		snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
		const char *val = json_string_value(json_object_get(vars, name));
		if (val)
			mc_buf_puts(&b, val);
		p = close + 1;
	}
	char *s = mc_xstrdup(mc_buf_cstr(&b));
	mc_buf_free(&b);
	return s;
}

void proactive_fill(json_t *form, json_t *schema, json_t *fill, json_t *vars)
{
	const char *path;
	json_t *tmpl;
	json_object_foreach(fill, path, tmpl)
	{
		if (!json_is_string(tmpl) || strlen(path) > 200)
			continue;
		char *val = proactive_expand(json_string_value(tmpl), vars);
		char buf[201];
		snprintf(buf, sizeof buf, "%s", path);
		json_t *sch = schema, *obj = form;
		char *save = NULL;
		bool ok = val[0] != '\0';
		char *seg = strtok_r(buf, ".", &save);
		while (ok && seg) {
			char *next = strtok_r(NULL, ".", &save);
			sch = json_object_get(json_object_get(sch, "properties"), seg);
			if (!sch) {
				ok = false;
				break;
			}
			if (!next) {
				json_object_set_new(obj, seg, json_string(val));
				break;
			}
			json_t *child = json_object_get(obj, seg);
			if (!json_is_object(child)) {
				child = json_object();
				json_object_set_new(obj, seg, child);
			}
			obj = child;
			seg = next;
		}
		free(val);
	}
}

void proactive_merge(json_t *form, json_t *extra, int max_depth)
{
	if (!json_is_object(form) || !json_is_object(extra) || max_depth <= 0)
		return;
	const char *k;
	json_t *v;
	json_object_foreach(extra, k, v)
	{
		json_t *cur = json_object_get(form, k);
		if (json_is_object(v) && json_is_object(cur))
			proactive_merge(cur, v, max_depth - 1);
		else if (cur || (json_is_object(v) && max_depth <= 1))
			continue; /* a value from the registries is never replaced */
		else
			json_object_set(form, k, v);
	}
}

const char *proactive_relationship_vi(const char *kind)
{
	if (!kind)
		return "";
	if (strcmp(kind, "parents") == 0)
		return "Cha/mẹ";
	if (strcmp(kind, "children") == 0)
		return "Con";
	if (strcmp(kind, "spouse") == 0)
		return "Vợ/chồng";
	return "";
}
