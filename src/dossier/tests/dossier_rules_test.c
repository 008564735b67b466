/* dossier_rules_test.c - unit tests of the dossier lifecycle rules
 * (dossier_rules.h): every (status, action) pair against an independent
 * expectation table, actor kinds, allowed-action lists, required members,
 * once-only supplement request and apology, blank required texts, members
 * an action does not define (refused, and never copied into the history),
 * the range of an apology date, due-date arithmetic with a fake
 * calendar (weekends and a few holidays) and the 766 on-time rule. */
#include "dossier/dossier_rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Expected next status per (status 1..10, action); 0 = not allowed. Written
 * from the national lifecycle, independently of the table in the code.
 * -1 = status unchanged, -2 = status before the supplement request. */
static const struct {
	const char *action;
	int next[11];
	const char *actor; /* "officer" or "applicant" */
} expect[] = {
    /*                        1   2  3  4   5  6  7  8  9  10 */
    {"receive", {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "officer"},
    {"refuse", {0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "officer"},
    {"request_supplement", {0, 5, 5, 0, 5, 0, 0, 0, 0, 0, 0}, "officer"},
    {"supplement", {0, 0, 0, 0, 0, -2, 0, 0, 0, 0, 0}, "applicant"},
    {"process", {0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0}, "officer"},
    {"transfer", {0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0}, "officer"},
    {"request_payment", {0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0}, "officer"},
    {"pay", {0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0}, "applicant"},
    {"withdraw", {0, 7, 7, 0, 7, 7, 7, 0, 0, 0, 0}, "applicant"},
    {"stop", {0, 8, 8, 0, 8, 8, 8, 0, 0, 0, 0}, "officer"},
    {"finish", {0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0}, "officer"},
    {"return_result", {0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0}, "officer"},
    {"apologize", {0, 0, -1, 0, -1, -1, -1, 0, 0, 0, 0}, "officer"},
};

#define NEXPECT (sizeof expect / sizeof expect[0])

static dossier_facts facts(int status)
{
	dossier_facts f = {0};
	f.status = (dossier_status)status;
	f.before_supplement = DS_PROCESSING;
	f.has_due_date = true;
	f.due_date = date_from_ymd(2026, 3, 10);
	return f;
}

static void test_every_transition(void **state)
{
	(void)state;
	assert_int_equal(NEXPECT, DA__COUNT);
	for (size_t i = 0; i < NEXPECT; i++) {
		dossier_action a;
		assert_true(dossier_action_parse(expect[i].action, &a));
		assert_string_equal(dossier_action_name(a), expect[i].action);
		unsigned right = strcmp(expect[i].actor, "officer") == 0 ? DOSSIER_ACTOR_OFFICER
		                                                         : DOSSIER_ACTOR_APPLICANT;
		unsigned wrong = right ^ DOSSIER_ACTOR_ANY;
		for (int s = 1; s <= 10; s++) {
			dossier_facts f = facts(s);
			mc_diag d = {0};
			mc_err e = dossier_rule_check(&f, a, right, &d);
			int want = expect[i].next[s];
			if (want == 0) {
				assert_int_equal(e, MC_ERR_CONFLICT);
				assert_true(strlen(d.detail) > 0);
				assert_true(strlen(d.detail_vi) > 0);
				/* the other actor kind is refused for its role first */
				assert_int_equal(dossier_rule_check(&f, a, wrong, NULL),
				                 MC_ERR_FORBIDDEN);
				continue;
			}
			assert_int_equal(e, MC_OK);
			int next = dossier_next_status(&f, a);
			if (want == -1)
				assert_int_equal(next, s);
			else if (want == -2)
				assert_int_equal(next, DS_PROCESSING);
			else
				assert_int_equal(next, want);
			/* an admin (both kinds) may too; the wrong kind is 403 */
			assert_int_equal(dossier_rule_check(&f, a, DOSSIER_ACTOR_ANY, NULL), MC_OK);
			assert_int_equal(dossier_rule_check(&f, a, wrong, NULL), MC_ERR_FORBIDDEN);
			/* no actor kind at all (e.g. officer of a former agency) */
			assert_int_equal(dossier_rule_check(&f, a, 0, NULL), MC_ERR_FORBIDDEN);
		}
	}
	dossier_action a;
	assert_false(dossier_action_parse("delete", &a));
	assert_false(dossier_action_parse("", &a));
	assert_false(dossier_action_parse(NULL, &a));
}

static void test_supplement_returns_previous(void **state)
{
	(void)state;
	for (int before = 1; before <= 4; before++) {
		if (before == 3)
			continue;
		dossier_facts f = facts(DS_SUPPLEMENT);
		f.before_supplement = (dossier_status)before;
		assert_int_equal(
		    dossier_rule_check(&f, DA_SUPPLEMENT, DOSSIER_ACTOR_APPLICANT, NULL), MC_OK);
		assert_int_equal(dossier_next_status(&f, DA_SUPPLEMENT), before);
	}
	/* without a recorded previous state the supplement cannot go anywhere */
	dossier_facts f = facts(DS_SUPPLEMENT);
	f.before_supplement = DS_NONE;
	assert_int_equal(dossier_rule_check(&f, DA_SUPPLEMENT, DOSSIER_ACTOR_APPLICANT, NULL),
	                 MC_ERR_CONFLICT);
}

static void test_once_only(void **state)
{
	(void)state;
	dossier_facts f = facts(DS_PROCESSING);
	assert_int_equal(dossier_rule_check(&f, DA_REQUEST_SUPPLEMENT, DOSSIER_ACTOR_OFFICER, NULL),
	                 MC_OK);
	f.supplement_requests = 1;
	mc_diag d = {0};
	assert_int_equal(dossier_rule_check(&f, DA_REQUEST_SUPPLEMENT, DOSSIER_ACTOR_OFFICER, &d),
	                 MC_ERR_CONFLICT);
	assert_non_null(strstr(d.detail, "once"));

	f = facts(DS_PROCESSING);
	assert_int_equal(dossier_rule_check(&f, DA_APOLOGIZE, DOSSIER_ACTOR_OFFICER, NULL), MC_OK);
	f.apologized = true;
	assert_int_equal(dossier_rule_check(&f, DA_APOLOGIZE, DOSSIER_ACTOR_OFFICER, NULL),
	                 MC_ERR_CONFLICT);
	/* apology needs a due date (a dossier never received has none) */
	f = facts(DS_SUPPLEMENT);
	f.has_due_date = false;
	assert_int_equal(dossier_rule_check(&f, DA_APOLOGIZE, DOSSIER_ACTOR_OFFICER, NULL),
	                 MC_ERR_CONFLICT);
}

static int json_has(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (strcmp(json_string_value(v), name) == 0)
			return 1;
	}
	return 0;
}

static void test_allowed_lists(void **state)
{
	(void)state;
	/* Cross-check: the list contains exactly the actions the check allows. */
	for (int s = 1; s <= 10; s++) {
		for (unsigned actor = 0; actor <= DOSSIER_ACTOR_ANY; actor++) {
			dossier_facts f = facts(s);
			json_t *arr = dossier_allowed_json(&f, actor);
			size_t n = 0;
			for (size_t i = 0; i < NEXPECT; i++) {
				dossier_action a;
				assert_true(dossier_action_parse(expect[i].action, &a));
				unsigned kind = strcmp(expect[i].actor, "officer") == 0
				                    ? DOSSIER_ACTOR_OFFICER
				                    : DOSSIER_ACTOR_APPLICANT;
				int ok = expect[i].next[s] != 0 && (kind & actor);
				assert_int_equal(json_has(arr, expect[i].action), ok);
				n += ok;
			}
			assert_int_equal(json_array_size(arr), n);
			json_decref(arr);
		}
	}
	/* Concrete lists. */
	dossier_facts f = facts(DS_SUBMITTED);
	f.has_due_date = false;
	json_t *arr = dossier_allowed_json(&f, DOSSIER_ACTOR_OFFICER);
	char *s = json_dumps(arr, JSON_COMPACT);
	assert_string_equal(s, "[\"receive\",\"refuse\",\"request_supplement\",\"stop\"]");
	free(s);
	json_decref(arr);
	arr = dossier_allowed_json(&f, DOSSIER_ACTOR_APPLICANT);
	s = json_dumps(arr, JSON_COMPACT);
	assert_string_equal(s, "[\"withdraw\"]");
	free(s);
	json_decref(arr);
	/* after one supplement request and one apology, they disappear */
	f = facts(DS_PROCESSING);
	f.supplement_requests = 1;
	f.apologized = true;
	arr = dossier_allowed_json(&f, DOSSIER_ACTOR_OFFICER);
	s = json_dumps(arr, JSON_COMPACT);
	assert_string_equal(s, "[\"transfer\",\"request_payment\",\"stop\",\"finish\"]");
	free(s);
	json_decref(arr);
	/* final states allow nothing */
	int finals[] = {DS_REFUSED, DS_WITHDRAWN, DS_STOPPED, DS_RETURNED};
	for (size_t i = 0; i < 4; i++) {
		f = facts(finals[i]);
		assert_true(dossier_status_final(f.status));
		dossier_action acts[DA__COUNT];
		assert_int_equal(dossier_allowed(&f, DOSSIER_ACTOR_ANY, acts), 0);
	}
	assert_false(dossier_status_final(DS_PROCESSED));
}

static void test_status_names(void **state)
{
	(void)state;
	const char *names[] = {NULL,
	                       "submitted",
	                       "received",
	                       "refused",
	                       "processing",
	                       "supplement_requested",
	                       "payment_requested",
	                       "withdrawn",
	                       "stopped",
	                       "processed",
	                       "result_returned"};
	for (int s = 1; s <= 10; s++) {
		assert_string_equal(dossier_status_name((dossier_status)s), names[s]);
		dossier_status p;
		assert_true(dossier_status_parse(names[s], &p));
		assert_int_equal(p, s);
		char num[4];
		snprintf(num, sizeof num, "%d", s);
		assert_true(dossier_status_parse(num, &p));
		assert_int_equal(p, s);
		assert_true(strlen(dossier_status_name_vi((dossier_status)s)) > 0);
		assert_true(strlen(dossier_status_name_en((dossier_status)s)) > 0);
	}
	assert_string_equal(dossier_status_name_vi(DS_PROCESSING), "Đang xử lý");
	assert_string_equal(dossier_status_name_vi(DS_SUPPLEMENT), "Yêu cầu bổ sung");
	assert_string_equal(dossier_status_name_en(DS_RETURNED), "Result returned");
	dossier_status p;
	assert_false(dossier_status_parse("0", &p));
	assert_false(dossier_status_parse("11", &p));
	assert_false(dossier_status_parse("100", &p));
	assert_false(dossier_status_parse("4x", &p));
	assert_false(dossier_status_parse("Processing", &p));
	assert_false(dossier_status_parse("", &p));
}

/* Returns the number of errors reported, checking the path of the first. */
static size_t validate(dossier_action a, const char *body, const char *first_path)
{
	dossier_facts f = facts(DS_PROCESSING);
	json_t *j = json_loads(body, 0, NULL);
	assert_non_null(j);
	mc_diag d = {0};
	mc_err e = dossier_action_validate(&f, a, j, &d);
	json_decref(j);
	if (e == MC_OK) {
		assert_null(d.ext);
		return 0;
	}
	assert_int_equal(e, MC_ERR_UNPROCESSABLE);
	json_t *errs = json_object_get(d.ext, "errors");
	assert_true(json_is_array(errs));
	size_t n = json_array_size(errs);
	assert_true(n > 0);
	json_t *e0 = json_array_get(errs, 0);
	if (first_path)
		assert_string_equal(json_string_value(json_object_get(e0, "path")), first_path);
	assert_non_null(json_string_value(json_object_get(e0, "message")));
	assert_non_null(json_string_value(json_object_get(e0, "message_vi")));
	mc_diag_clear(&d);
	return n;
}

static void test_required_members(void **state)
{
	(void)state;
	assert_int_equal(validate(DA_RECEIVE, "{}", NULL), 0);
	assert_int_equal(validate(DA_PROCESS, "{\"action\":\"process\"}", NULL), 0);
	assert_int_equal(validate(DA_REFUSE, "{}", "$.reason"), 1);
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": \"\"}", "$.reason"), 1);
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": 5}", "$.reason"), 1);
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": \"Sai thẩm quyền\"}", NULL), 0);
	assert_int_equal(validate(DA_STOP, "{}", "$.reason"), 1);
	/* every missing member is listed */
	assert_int_equal(validate(DA_TRANSFER, "{}", "$.agency"), 2);
	assert_int_equal(
	    validate(DA_TRANSFER, "{\"agency\": \"BCA\", \"reason\": \"liên thông\"}", NULL), 0);
	assert_int_equal(validate(DA_REQUEST_PAYMENT, "{}", "$.amount"), 2);
	assert_int_equal(
	    validate(DA_REQUEST_PAYMENT, "{\"amount\": -5, \"reason\": \"lệ phí\"}", "$.amount"),
	    1);
	assert_int_equal(
	    validate(DA_REQUEST_PAYMENT, "{\"amount\": \"5\", \"reason\": \"x\"}", "$.amount"), 1);
	assert_int_equal(
	    validate(DA_REQUEST_PAYMENT, "{\"amount\": 50000, \"reason\": \"lệ phí\"}", NULL), 0);
	assert_int_equal(validate(DA_FINISH, "{}", "$.result"), 1);
	assert_int_equal(validate(DA_FINISH, "{\"result\": \"ok\"}", "$.result"), 1);
	assert_int_equal(validate(DA_FINISH, "{\"result\": {\"decision\": \"GKS-1\"}}", NULL), 0);
	/* supplement requests list every missing item */
	assert_int_equal(validate(DA_REQUEST_SUPPLEMENT, "{}", "$.items"), 1);
	assert_int_equal(validate(DA_REQUEST_SUPPLEMENT, "{\"items\": []}", "$.items"), 1);
	assert_int_equal(validate(DA_REQUEST_SUPPLEMENT,
	                          "{\"items\": [{\"note\": \"x\"}, {\"component\": 3}, 7]}",
	                          "$.items[0]"),
	                 3);
	assert_int_equal(validate(DA_REQUEST_SUPPLEMENT,
	                          "{\"items\": [{\"component\": \"c1\", \"note\": \"bản chính\"},"
	                          " {\"field\": \"ho_ten_me\"}], \"note\": \"bổ sung\"}",
	                          NULL),
	                 0);
	/* supplement brings something */
	assert_int_equal(validate(DA_SUPPLEMENT, "{}", "$"), 1);
	assert_int_equal(validate(DA_SUPPLEMENT, "{\"form\": []}", "$.form"), 1);
	assert_int_equal(validate(DA_SUPPLEMENT, "{\"components\": [{\"component\": \"c1\"}]}",
	                          "$.components[0]"),
	                 1);
	assert_int_equal(
	    validate(DA_SUPPLEMENT,
	             "{\"components\": [{\"component\": \"c1\", \"document\": \"ab\"}]}", NULL),
	    0);
	assert_int_equal(validate(DA_SUPPLEMENT, "{\"form\": {\"ho_ten\": \"A\"}}", NULL), 0);
	/* apology: date and reason, after the current due date (2026-03-10) */
	assert_int_equal(validate(DA_APOLOGIZE, "{}", "$.new_due_date"), 2);
	assert_int_equal(validate(DA_APOLOGIZE,
	                          "{\"new_due_date\": \"2026-02-30\", \"reason\": \"x\"}",
	                          "$.new_due_date"),
	                 1);
	assert_int_equal(validate(DA_APOLOGIZE,
	                          "{\"new_due_date\": \"2026-03-10\", \"reason\": \"x\"}",
	                          "$.new_due_date"),
	                 1);
	assert_int_equal(
	    validate(DA_APOLOGIZE, "{\"new_due_date\": \"2026-03-11\", \"reason\": \"x\"}", NULL),
	    0);
	/* caps */
	char big[2100 + 40];
	strcpy(big, "{\"reason\": \"");
	size_t at = strlen(big);
	memset(big + at, 'a', 2001);
	strcpy(big + at + 2001, "\"}");
	assert_int_equal(validate(DA_STOP, big, "$.reason"), 1);
	/* {"note": "aaa..."} too long on any action */
	char *note = malloc(2100);
	strcpy(note, "{\"note\": \"");
	size_t nat = strlen(note);
	memset(note + nat, 'b', 2001);
	strcpy(note + nat + 2001, "\"}");
	assert_int_equal(validate(DA_RECEIVE, note, "$.note"), 1);
	free(note);
	assert_int_equal(validate(DA_PROCESS, "{\"note\": 5}", "$.note"), 1);
}

static void test_blank_text(void **state)
{
	(void)state;
	/* a required text of white space only is empty, whatever the blanks */
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": \" \\t\\n \"}", "$.reason"), 1);
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": \"\u00a0\u3000\u200b\"}", "$.reason"),
	                 1);
	assert_int_equal(validate(DA_STOP, "{\"reason\": \"  \"}", "$.reason"), 1);
	assert_int_equal(validate(DA_TRANSFER, "{\"agency\": \" \", \"reason\": \"\\r\"}", NULL),
	                 2);
	assert_int_equal(
	    validate(DA_REQUEST_PAYMENT, "{\"amount\": 5, \"reason\": \"\\t\"}", "$.reason"), 1);
	assert_int_equal(validate(DA_APOLOGIZE,
	                          "{\"new_due_date\": \"2026-03-11\", \"reason\": \" \"}",
	                          "$.reason"),
	                 1);
	assert_int_equal(validate(DA_REQUEST_SUPPLEMENT, "{\"items\": [{\"field\": \"  \"}]}",
	                          "$.items[0].field"),
	                 1);
	assert_int_equal(validate(DA_REQUEST_SUPPLEMENT, "{\"items\": [{\"component\": \"\\t\"}]}",
	                          "$.items[0].component"),
	                 1);
	/* text around blanks is fine; optional texts may be blank */
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": \"  Sai thẩm quyền \"}", NULL), 0);
	assert_int_equal(validate(DA_WITHDRAW, "{\"reason\": \" \"}", NULL), 0);
	assert_int_equal(validate(DA_PROCESS, "{\"note\": \" \"}", NULL), 0);
}

static void test_unknown_members(void **state)
{
	(void)state;
	/* members the action does not define are refused, each at its path */
	assert_int_equal(validate(DA_RECEIVE,
	                          "{\"action\": \"receive\", \"timeliness\": \"late\", "
	                          "\"from_agency\": \"BCA\", \"forged\": {\"x\": 1}}",
	                          "$.timeliness"),
	                 3);
	assert_int_equal(validate(DA_REFUSE, "{\"reason\": \"x\", \"amount\": 5}", "$.amount"), 1);
	assert_int_equal(validate(DA_PAY, "{\"reference\": \"GD-1\", \"due_date\": \"2026-01-01\"}",
	                          "$.due_date"),
	                 1);
	assert_int_equal(validate(DA_PROCESS, "{\"a b\": 1}", "$['a b']"), 1);
	/* every defined member is accepted, "action" and "note" on every action */
	assert_int_equal(validate(DA_PAY,
	                          "{\"action\": \"pay\", \"reference\": \"GD-1\", "
	                          "\"note\": \"đã nộp\"}",
	                          NULL),
	                 0);
	assert_int_equal(
	    validate(DA_SUPPLEMENT, "{\"form\": {}, \"components\": [], \"note\": \"x\"}", NULL),
	    0);
	assert_int_equal(validate(DA_WITHDRAW, "{\"reason\": \"không cần nữa\"}", NULL), 0);
	/* at most 20 unknown members are listed */
	json_t *big = json_object();
	char key[16];
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof key, "k%d", i);
		json_object_set_new(big, key, json_true());
	}
	dossier_facts f = facts(DS_PROCESSING);
	mc_diag d = {0};
	assert_int_equal(dossier_action_validate(&f, DA_PROCESS, big, &d), MC_ERR_UNPROCESSABLE);
	assert_int_equal(json_array_size(json_object_get(d.ext, "errors")), 20);
	mc_diag_clear(&d);
	json_decref(big);
	/* the member table */
	assert_true(dossier_action_member(DA_TRANSFER, "agency"));
	assert_true(dossier_action_member(DA_TRANSFER, "note"));
	assert_true(dossier_action_member(DA_TRANSFER, "action"));
	assert_false(dossier_action_member(DA_TRANSFER, "from_agency"));
	assert_false(dossier_action_member(DA_RECEIVE, "due_date"));
	assert_false(dossier_action_member(DA_FINISH, "timeliness"));
	assert_false(dossier_action_member(DA_APOLOGIZE, "previous_due_date"));
}

static void test_action_details(void **state)
{
	(void)state;
	json_t *body = json_loads("{\"action\": \"transfer\", \"agency\": \"UBND-00008\", "
	                          "\"reason\": \"liên thông\", \"note\": \"n\", "
	                          "\"from_agency\": \"BCA\", \"timeliness\": \"late\"}",
	                          0, NULL);
	assert_non_null(body);
	json_t *d = dossier_action_details(DA_TRANSFER, body);
	assert_int_equal(json_object_size(d), 3);
	assert_string_equal(json_string_value(json_object_get(d, "agency")), "UBND-00008");
	assert_string_equal(json_string_value(json_object_get(d, "reason")), "liên thông");
	assert_string_equal(json_string_value(json_object_get(d, "note")), "n");
	json_decref(d);
	d = dossier_action_details(DA_RECEIVE, body);
	assert_int_equal(json_object_size(d), 1); /* note only */
	json_decref(d);
	json_decref(body);
}

static void test_apology_range(void **state)
{
	(void)state;
	/* the current due date is 2026-03-10: at most CALENDAR_MAX_SPAN (1830)
	 * days later, i.e. 2031-03-14 */
	assert_int_equal(
	    validate(DA_APOLOGIZE, "{\"new_due_date\": \"2031-03-14\", \"reason\": \"x\"}", NULL),
	    0);
	assert_int_equal(validate(DA_APOLOGIZE,
	                          "{\"new_due_date\": \"2031-03-15\", \"reason\": \"x\"}",
	                          "$.new_due_date"),
	                 1);
	assert_int_equal(validate(DA_APOLOGIZE,
	                          "{\"new_due_date\": \"9999-12-31\", \"reason\": \"x\"}",
	                          "$.new_due_date"),
	                 1);
	/* never after the last day of the calendar */
	dossier_facts f = facts(DS_PROCESSING);
	f.due_date = date_from_ymd(2199, 6, 1);
	json_t *b = json_loads("{\"new_due_date\": \"2200-01-01\", \"reason\": \"x\"}", 0, NULL);
	mc_diag d = {0};
	assert_int_equal(dossier_action_validate(&f, DA_APOLOGIZE, b, &d), MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(b);
	b = json_loads("{\"new_due_date\": \"2199-12-31\", \"reason\": \"x\"}", 0, NULL);
	assert_int_equal(dossier_action_validate(&f, DA_APOLOGIZE, b, &d), MC_OK);
	json_decref(b);
}

/* Fake calendar: Monday-Friday, minus 2026-04-30 and 2026-05-01. */
static bool fake_working(mc_day d)
{
	if (date_weekday(d) >= 5)
		return false;
	return d != date_from_ymd(2026, 4, 30) && d != date_from_ymd(2026, 5, 1);
}

static mc_err fake_add(void *ctx, mc_day from, int n, mc_day *out)
{
	(void)ctx;
	mc_day d = from;
	while (!fake_working(d))
		d++;
	if (n > 0) {
		d = from;
		while (n > 0) {
			d++;
			if (fake_working(d))
				n--;
		}
	}
	*out = d;
	return MC_OK;
}

static mc_err fake_between(void *ctx, mc_day from, mc_day to, int *out)
{
	(void)ctx;
	int n = 0;
	for (mc_day d = from; d < to; d++)
		n += fake_working(d);
	*out = n;
	return MC_OK;
}

static const dossier_calendar cal = {fake_add, fake_between, NULL};

static mc_day ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void test_limit_conversion(void **state)
{
	(void)state;
	assert_int_equal(dossier_limit_working_days(LIMIT_WORKING_DAYS, 3), 3);
	assert_int_equal(dossier_limit_working_days(LIMIT_WORKING_DAYS, 0.5), 1);
	assert_int_equal(dossier_limit_working_days(LIMIT_WORKING_DAYS, 0), 0);
	assert_int_equal(dossier_limit_working_days(LIMIT_HOURS, 1), 1);
	assert_int_equal(dossier_limit_working_days(LIMIT_HOURS, 8), 1);
	assert_int_equal(dossier_limit_working_days(LIMIT_HOURS, 9), 2);
	assert_int_equal(dossier_limit_working_days(LIMIT_HOURS, 24), 3);
	assert_int_equal(dossier_limit_working_days(LIMIT_HOURS, 48), 6);
	assert_int_equal(dossier_limit_working_days(LIMIT_DAYS, 5), -1);
	assert_int_equal(dossier_limit_working_days(LIMIT_NONE, 5), -1);
	assert_int_equal(dossier_limit_working_days(LIMIT_WORKING_DAYS, -1), -1);
}

static void test_due_on_receive(void **state)
{
	(void)state;
	bool has;
	mc_day due;
	/* Monday 2026-03-02 + 3 working days = Thursday 03-05 */
	assert_int_equal(
	    dossier_due_on_receive(&cal, ymd(2026, 3, 2), LIMIT_WORKING_DAYS, 3, &has, &due),
	    MC_OK);
	assert_true(has);
	assert_int_equal(due, ymd(2026, 3, 5));
	/* Thursday + 3 working days skips the weekend: Tuesday */
	assert_int_equal(
	    dossier_due_on_receive(&cal, ymd(2026, 3, 5), LIMIT_WORKING_DAYS, 3, &has, &due),
	    MC_OK);
	assert_int_equal(due, ymd(2026, 3, 10));
	/* received on a Saturday: 1 working day later is Monday */
	dossier_due_on_receive(&cal, ymd(2026, 3, 7), LIMIT_WORKING_DAYS, 1, &has, &due);
	assert_int_equal(due, ymd(2026, 3, 9));
	/* across 30/4 and 1/5 (Thu, Fri): Wed 04-29 + 2 = Tue 05-05 */
	dossier_due_on_receive(&cal, ymd(2026, 4, 29), LIMIT_WORKING_DAYS, 2, &has, &due);
	assert_int_equal(due, ymd(2026, 5, 5));
	/* hours: 24 h = 3 working days; 4 h = 1 working day */
	dossier_due_on_receive(&cal, ymd(2026, 3, 2), LIMIT_HOURS, 24, &has, &due);
	assert_int_equal(due, ymd(2026, 3, 5));
	dossier_due_on_receive(&cal, ymd(2026, 3, 6), LIMIT_HOURS, 4, &has, &due);
	assert_int_equal(due, ymd(2026, 3, 9));
	/* calendar days: Monday + 5 = Saturday -> next working day Monday */
	dossier_due_on_receive(&cal, ymd(2026, 3, 2), LIMIT_DAYS, 5, &has, &due);
	assert_int_equal(due, ymd(2026, 3, 9));
	dossier_due_on_receive(&cal, ymd(2026, 3, 2), LIMIT_DAYS, 10, &has, &due);
	assert_int_equal(due, ymd(2026, 3, 12));
	/* zero working days: same day when working */
	dossier_due_on_receive(&cal, ymd(2026, 3, 3), LIMIT_WORKING_DAYS, 0, &has, &due);
	assert_true(has);
	assert_int_equal(due, ymd(2026, 3, 3));
	/* no limit: no due date */
	dossier_due_on_receive(&cal, ymd(2026, 3, 3), LIMIT_NONE, 0, &has, &due);
	assert_false(has);
}

static void test_due_after_supplement(void **state)
{
	(void)state;
	mc_day out;
	/* due Thu 03-12; supplement requested Mon 03-02, done Wed 03-04: 2 working
	 * days in status 5 -> due Mon 03-16 */
	assert_int_equal(dossier_due_after_supplement(&cal, ymd(2026, 3, 12), ymd(2026, 3, 2),
	                                              ymd(2026, 3, 4), &out),
	                 MC_OK);
	assert_int_equal(out, ymd(2026, 3, 16));
	/* requested Fri 03-06, done Mon 03-09: only Friday counts -> +1 */
	dossier_due_after_supplement(&cal, ymd(2026, 3, 12), ymd(2026, 3, 6), ymd(2026, 3, 9),
	                             &out);
	assert_int_equal(out, ymd(2026, 3, 13));
	/* same day: nothing changes */
	dossier_due_after_supplement(&cal, ymd(2026, 3, 12), ymd(2026, 3, 6), ymd(2026, 3, 6),
	                             &out);
	assert_int_equal(out, ymd(2026, 3, 12));
	/* over a weekend only (Sat -> Mon): nothing */
	dossier_due_after_supplement(&cal, ymd(2026, 3, 12), ymd(2026, 3, 7), ymd(2026, 3, 9),
	                             &out);
	assert_int_equal(out, ymd(2026, 3, 12));
	/* two weeks in supplement: 10 working days */
	dossier_due_after_supplement(&cal, ymd(2026, 3, 12), ymd(2026, 3, 2), ymd(2026, 3, 16),
	                             &out);
	assert_int_equal(out, ymd(2026, 3, 26));
}

static void test_766_rule(void **state)
{
	(void)state;
	mc_day due = ymd(2026, 3, 12);
	assert_true(dossier_on_time(ymd(2026, 3, 11), true, due, 0));
	assert_true(dossier_on_time(due, true, due, 1)); /* on the day itself */
	assert_false(dossier_on_time(ymd(2026, 3, 13), true, due, 0));
	/* more than one supplement request counts as late */
	assert_false(dossier_on_time(ymd(2026, 3, 1), true, due, 2));
	/* no due date: in time unless too many supplement requests */
	assert_true(dossier_on_time(ymd(2030, 1, 1), false, 0, 0));
	assert_false(dossier_on_time(ymd(2030, 1, 1), false, 0, 2));
}

static void test_late_open(void **state)
{
	(void)state;
	mc_day due = ymd(2026, 3, 12);
	assert_false(dossier_late_open(DS_PROCESSING, due, true, due, 0));
	assert_true(dossier_late_open(DS_PROCESSING, due + 1, true, due, 0));
	assert_true(dossier_late_open(DS_RECEIVED, due + 1, true, due, 0));
	assert_true(dossier_late_open(DS_PAYMENT, due + 1, true, due, 0));
	assert_false(dossier_late_open(DS_PROCESSING, due + 100, false, 0, 0));
	/* clock stopped in supplement: late only if it was late when requested */
	assert_false(dossier_late_open(DS_SUPPLEMENT, due + 30, true, due, due - 1));
	assert_true(dossier_late_open(DS_SUPPLEMENT, due + 30, true, due, due + 1));
	/* final states are never "late" for the queue */
	assert_false(dossier_late_open(DS_STOPPED, due + 30, true, due, 0));
	assert_false(dossier_late_open(DS_WITHDRAWN, due + 30, true, due, 0));
	assert_false(dossier_late_open(DS_PROCESSED, due + 30, true, due, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_transition),
	    cmocka_unit_test(test_supplement_returns_previous),
	    cmocka_unit_test(test_once_only),
	    cmocka_unit_test(test_allowed_lists),
	    cmocka_unit_test(test_status_names),
	    cmocka_unit_test(test_required_members),
	    cmocka_unit_test(test_blank_text),
	    cmocka_unit_test(test_unknown_members),
	    cmocka_unit_test(test_action_details),
	    cmocka_unit_test(test_apology_range),
	    cmocka_unit_test(test_limit_conversion),
	    cmocka_unit_test(test_due_on_receive),
	    cmocka_unit_test(test_due_after_supplement),
	    cmocka_unit_test(test_766_rule),
	    cmocka_unit_test(test_late_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
