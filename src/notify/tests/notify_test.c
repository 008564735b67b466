/* notify_test.c - the pure rules of notifications: the shipped templates
 * (every dossier status that must notify has a variant, both languages),
 * the choice of a variant, placeholder filling (i18n members, dates,
 * missing values, the byte cap), unsafe links, the backoff, the address
 * checks and the MIME text; and the consumer against a temporary store
 * (one message per event and person, a second drain makes nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "event/event.h"
#include "notify/notify.h"
#include "testsupport/testsupport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *dossier_payload(const char *action, int from, int to, const char *due)
{
	json_t *p = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:i, s:i, s:s}", "code",
	                      "UBND-00004-260302-0001", "procedure", "1.001193", "procedure_name",
	                      "vi", "Đăng ký khai sinh", "en", "Birth registration", "applicant",
	                      "001090012345", "action", action, "from_status_code", from,
	                      "to_status_code", to, "agency", "UBND-00004");
	json_object_set_new(p, "due_date", due ? json_string(due) : json_null());
	return p;
}

static void test_shipped_templates(void **state)
{
	(void)state;
	json_t *t = notify_templates();
	json_t *d = json_object_get(t, "dossier.status_changed");
	json_t *o = json_object_get(t, "offer.made");
	assert_non_null(d);
	assert_non_null(o);
	const char *keys[] = {"1", "2", "3",  "5",         "6",          "7",
	                      "8", "9", "10", "apologize", "supplement", NULL};
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(json_object_get(d, "variants"), keys[i]);
		assert_true(json_is_object(v));
		for (int l = 0; l < 2; l++) {
			json_t *lv = json_object_get(v, l ? "en" : "vi");
			assert_non_null(json_string_value(json_object_get(lv, "subject")));
			assert_non_null(json_string_value(json_object_get(lv, "body")));
		}
	}
	assert_true(json_is_object(json_object_get(json_object_get(o, "variants"), "default")));
}

static void test_render_received_with_due_date(void **state)
{
	(void)state;
	json_t *p = dossier_payload("receive", 1, 2, "2026-03-16");
	notify_rendered r;
	assert_true(notify_render(notify_templates(), "dossier.status_changed",
	                          "UBND-00004-260302-0001", p, &r));
	assert_string_equal(r.person_id, "001090012345");
	assert_string_equal(r.subject_vi, "Hồ sơ UBND-00004-260302-0001 đã được tiếp nhận");
	assert_non_null(strstr(r.body_vi, "Ngày hẹn trả kết quả: 16/03/2026."));
	assert_non_null(strstr(r.body_vi, "(Đăng ký khai sinh)"));
	assert_non_null(strstr(r.body_en, "(Birth registration)"));
	assert_string_equal(r.link, "/ho-so/UBND-00004-260302-0001");
	notify_rendered_free(&r);
	json_decref(p);
}

static void test_variant_choice(void **state)
{
	(void)state;
	json_t *t = notify_templates();
	notify_rendered r;
	/* the action wins over the status: a supplement goes back to 2 */
	json_t *p = dossier_payload("supplement", 5, 2, "2026-03-20");
	assert_true(notify_render(t, "dossier.status_changed", "x", p, &r));
	assert_non_null(strstr(r.subject_vi, "Đã nhận bổ sung"));
	notify_rendered_free(&r);
	json_decref(p);
	/* a transfer keeps the status and is skipped, so is processing */
	p = dossier_payload("transfer", 2, 2, NULL);
	assert_false(notify_render(t, "dossier.status_changed", "x", p, &r));
	json_decref(p);
	p = dossier_payload("process", 2, 4, NULL);
	assert_false(notify_render(t, "dossier.status_changed", "x", p, &r));
	json_decref(p);
	/* supplement requested, refused, payment */
	p = dossier_payload("request_supplement", 2, 5, NULL);
	assert_true(notify_render(t, "dossier.status_changed", "x", p, &r));
	assert_non_null(strstr(r.subject_vi, "Cần bổ sung"));
	notify_rendered_free(&r);
	json_decref(p);
	/* no applicant person id: nobody to tell */
	p = dossier_payload("refuse", 1, 3, NULL);
	json_object_del(p, "applicant");
	assert_false(notify_render(t, "dossier.status_changed", "x", p, &r));
	json_decref(p);
	/* an event type without a template */
	p = json_object();
	assert_false(notify_render(t, "person.born", "persons/1", p, &r));
	json_decref(p);
}

static void test_offer(void **state)
{
	(void)state;
	json_t *p = json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s}", "offer_id", "of12ab",
	                      "procedure", "1.001193", "procedure_name", "vi", "Đăng ký khai sinh",
	                      "en", "Birth registration", "reason", "vi", "Con bạn vừa chào đời",
	                      "en", "Your child was born", "event_type", "person.born");
	notify_rendered r;
	assert_true(notify_render(notify_templates(), "offer.made", "079190012346", p, &r));
	assert_string_equal(r.person_id, "079190012346");
	assert_string_equal(r.link, "/de-xuat/of12ab");
	assert_non_null(strstr(r.body_vi, "Lý do: Con bạn vừa chào đời."));
	assert_non_null(strstr(r.body_en, "Why: Your child was born."));
	notify_rendered_free(&r);
	/* an id that would leave the path is dropped from the link */
	json_object_set_new(p, "offer_id", json_string("../../x?y"));
	assert_true(notify_render(notify_templates(), "offer.made", "079190012346", p, &r));
	assert_null(r.link);
	notify_rendered_free(&r);
	json_decref(p);
}

static void test_fill(void **state)
{
	(void)state;
	json_t *p = json_pack("{s:i, s:s}", "n", 42, "d", "2026-01-05");
	char *s = notify_fill("{n} on {d}, {missing}, {not closed", p, "en", 200);
	assert_string_equal(s, "42 on 05/01/2026, —, {not closed");
	free(s);
	/* the cap never cuts a UTF-8 sequence: "ệ" is 3 bytes */
	s = notify_fill("Việt", p, "vi", 3);
	assert_string_equal(s, "Vi");
	free(s);
	json_decref(p);
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(notify_backoff(60, 1), 60);
	assert_int_equal(notify_backoff(60, 2), 120);
	assert_int_equal(notify_backoff(60, 5), 960);
	assert_int_equal(notify_backoff(60, 40), NOTIFY_BACKOFF_CAP);
	assert_int_equal(notify_backoff(0, 0), 1);
}

static void test_addresses(void **state)
{
	(void)state;
	assert_true(notify_email_ok("nguyen.van.a@example.vn"));
	assert_false(notify_email_ok("no-at-sign.vn"));
	assert_false(notify_email_ok("a@b"));
	assert_false(notify_email_ok("a@b.vn\r\nBcc: c@d.vn"));
	assert_false(notify_email_ok("a b@c.vn"));
	assert_false(notify_email_ok("a@@c.vn"));
	char out[NOTIFY_PHONE_MAX + 1];
	assert_true(notify_phone_norm("0912345678", out));
	assert_string_equal(out, "+84912345678");
	assert_true(notify_phone_norm("+84 912.345.678", out));
	assert_string_equal(out, "+84912345678");
	assert_false(notify_phone_norm("12345", out));
	assert_false(notify_phone_norm("+1 202 555 0100", out));
	assert_false(notify_phone_norm("0912345678x", out));
	assert_false(notify_phone_norm("0112345678", out));
}

static void test_mime(void **state)
{
	(void)state;
	char *m = notify_mime("thongbao@motcua.gov.vn", "a@b.vn", "Hồ sơ đã được tiếp nhận",
	                      "Nội dung", 0, "seed1");
	assert_non_null(strstr(m, "From: <thongbao@motcua.gov.vn>\r\n"));
	assert_non_null(strstr(m, "To: <a@b.vn>\r\n"));
	assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(m, "Message-ID: <seed1@motcua.gov.vn>"));
	assert_non_null(strstr(m, "charset=UTF-8"));
	assert_null(strstr(m, "Hồ sơ"));
	assert_null(strstr(m, "\n\n")); /* every line ends in CRLF */
	free(m);
}

/* The consumer against a temporary store. */
static mc_err emit_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	json_t *p = ctx;
	mc_err e = event_emit(c, "dossier.status_changed", "UBND-00004-260302-0001", p);
	if (!e)
		e = event_emit(c, "person.born", "persons/1", NULL);
	json_t *offer =
	    json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s}", "offer_id", "of1", "procedure",
	              "1.001193", "procedure_name", "vi", "Khai sinh", "en", "Birth", "reason",
	              "vi", "Con chào đời", "en", "A birth", "event_type", "person.born");
	if (!e)
		e = event_emit(c, "offer.made", "001090012345", offer);
	json_decref(offer);
	return e;
}

static void test_drain(void **state)
{
	(void)state;
	char dir[256];
	store *s = testsupport_store_open("notify", dir, sizeof dir);
	assert_non_null(s);
	json_t *p = dossier_payload("receive", 1, 2, "2026-03-16");
	mc_diag d = {0};
	assert_int_equal(store_write(s, emit_fn, p, &d), MC_OK);
	notify_run_report rep = {0};
	assert_int_equal(notify_drain(s, &rep, &d), MC_OK);
	assert_int_equal(rep.events, 3);
	assert_int_equal(rep.messages, 2);
	memset(&rep, 0, sizeof rep);
	assert_int_equal(notify_drain(s, &rep, &d), MC_OK);
	assert_int_equal(rep.events, 0);
	long n = 0;
	assert_int_equal(notify_unread_count(s, "001090012345", &n), MC_OK);
	assert_int_equal(n, 2);
	json_t *items = NULL;
	bool more = true;
	long unread = 0;
	assert_int_equal(notify_inbox_list(s, "001090012345", 0, 10, &items, &more, &unread, &d),
	                 MC_OK);
	assert_int_equal(json_array_size(items), 2);
	assert_false(more);
	/* newest first: the offer */
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "link")),
	                    "/de-xuat/of1");
	int64_t id = json_integer_value(json_object_get(json_array_get(items, 1), "id"));
	json_t *m = NULL;
	assert_int_equal(notify_inbox_read(s, "079190012346", id, &m, &d), MC_ERR_NOT_FOUND);
	assert_int_equal(notify_inbox_read(s, "001090012345", id, &m, &d), MC_OK);
	assert_true(json_is_true(json_object_get(m, "read")));
	assert_int_equal(notify_unread_count(s, "001090012345", &n), MC_OK);
	assert_int_equal(n, 1);
	json_decref(m);
	json_decref(items);
	json_decref(p);
	mc_diag_clear(&d);
	assert_int_equal(testsupport_store_remove(s, dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_templates),
	    cmocka_unit_test(test_render_received_with_due_date),
	    cmocka_unit_test(test_variant_choice),
	    cmocka_unit_test(test_offer),
	    cmocka_unit_test(test_fill),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_mime),
	    cmocka_unit_test(test_drain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
