/* portal_inbox.c - the inbox pages (hộp thư) of a person: messages newest
 * first with the unread ones marked in words, one message (opened through
 * a CSRF form POST that marks it read) with its link to the dossier or the
 * offer, and the contact and channel preferences form. Everything goes
 * through the notify module's services. */
#include "portal/portal_internal.h"

#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

#define INBOX_PAGE 20

static bool parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	*out = strtoll(s, NULL, 10);
	return *out > 0;
}

/* Only a signed-in person with a personal number has an inbox; otherwise
 * the page answers (login or 403) and false is returned. */
static bool inbox_owner(pt_ctx *c)
{
	if (!pt_require(c, ROLE_CITIZEN))
		return false;
	if (!c->who.person_id[0]) {
		pt_message(c, 403, PT_T(c, "Không có hộp thư", "No inbox"),
		           PT_T(c, "Hộp thư thuộc về người có số định danh cá nhân.",
		                "An inbox belongs to a person with a personal number."));
		return false;
	}
	return true;
}

static const char *link_label(pt_ctx *c, const char *link)
{
	if (link && !strncmp(link, "/de-xuat/", 9))
		return PT_T(c, "Xem đề xuất", "Open the offer");
	return PT_T(c, "Xem hồ sơ", "Open the dossier");
}

/* The contact and channel preferences form, with `errors` (may be NULL)
 * and the values of `contact`. */
static void contact_form(pt_ctx *c, mc_buf *b, json_t *contact, json_t *errors)
{
	html_fmt(b, "<section aria-labelledby=\"lienhe\"><h2 id=\"lienhe\">%s</h2><p>%s</p>",
	         PT_T(c, "Nhận thông báo qua thư điện tử và tin nhắn",
	              "Get notices by e-mail and text message"),
	         PT_T(c,
	              "Mọi thông báo luôn có trong hộp thư này. Bạn có thể nhận thêm bản sao qua "
	              "thư điện tử hoặc tin nhắn SMS.",
	              "Every notice is always in this inbox. You may also get a copy by e-mail or "
	              "SMS."));
	if (json_array_size(errors)) {
		html_fmt(b, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
		         PT_T(c, "Hãy sửa các mục sau:", "Please correct the following:"));
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e)
		{
			const char *m =
			    json_string_value(json_object_get(e, c->en ? "message" : "message_vi"));
			html_fmt(b, "<li>%s: %s</li>",
			         json_string_value(json_object_get(e, "path")),
			         m ? m : json_string_value(json_object_get(e, "message")));
		}
		mc_buf_puts(b, "</ul></div>");
	}
	const char *email = json_string_value(json_object_get(contact, "email"));
	const char *phone = json_string_value(json_object_get(contact, "phone"));
	const char *lang = json_string_value(json_object_get(contact, "lang"));
	mc_buf_puts(b, "<form method=\"post\" action=\"/hop-thu/lien-he\">");
	pt_csrf_input(c, b);
	html_fmt(b,
	         "<p><label for=\"email\">%s</label><br><input id=\"email\" name=\"email\" "
	         "type=\"email\" maxlength=\"254\" autocomplete=\"email\" value=\"%s\"></p>",
	         PT_T(c, "Thư điện tử", "E-mail"), email);
	html_fmt(b,
	         "<p><label for=\"phone\">%s</label><br><input id=\"phone\" name=\"phone\" "
	         "type=\"tel\" maxlength=\"24\" autocomplete=\"tel\" value=\"%s\"></p>",
	         PT_T(c, "Số điện thoại di động", "Mobile phone number"), phone);
	html_fmt(b,
	         "<p><input id=\"email_enabled\" name=\"email_enabled\" type=\"checkbox\" "
	         "value=\"1\"%R> <label for=\"email_enabled\">%s</label></p>",
	         json_is_true(json_object_get(contact, "email_enabled")) ? " checked" : "",
	         PT_T(c, "Gửi bản sao qua thư điện tử", "Send a copy by e-mail"));
	html_fmt(
	    b,
	    "<p><input id=\"sms_enabled\" name=\"sms_enabled\" type=\"checkbox\" value=\"1\"%R> "
	    "<label for=\"sms_enabled\">%s</label></p>",
	    json_is_true(json_object_get(contact, "sms_enabled")) ? " checked" : "",
	    PT_T(c, "Gửi tin nhắn SMS", "Send a text message"));
	bool en = lang && !strcmp(lang, "en");
	html_fmt(b,
	         "<p><label for=\"lang\">%s</label><br><select id=\"lang\" name=\"lang\">"
	         "<option value=\"vi\"%R>Tiếng Việt</option><option value=\"en\"%R>English</option>"
	         "</select></p><button type=\"submit\">%s</button></form></section>",
	         PT_T(c, "Ngôn ngữ của thư và tin nhắn", "Language of e-mails and texts"),
	         en ? "" : " selected", en ? " selected" : "", PT_T(c, "Lưu", "Save"));
}

static void inbox_page(pt_ctx *c, int status, json_t *contact, json_t *errors)
{
	mc_req *req = c->req;
	int64_t before = 0;
	const char *t = http_query(req, "truoc");
	if (t && !parse_id(t, &before))
		before = 0;
	json_t *items = NULL;
	bool more = false;
	long unread = 0;
	mc_diag d = {0};
	mc_err e = notify_inbox_list(req->app->db, c->who.person_id, before, INBOX_PAGE, &items,
	                             &more, &unread, &d);
	mc_diag_clear(&d);
	json_t *own = NULL;
	if (!contact && notify_contact_get(req->app->db, c->who.person_id, &own, &d) == MC_OK)
		contact = own;
	mc_diag_clear(&d);
	mc_buf b = {0};
	pt_head(c, &b, PT_T(c, "Hộp thư", "Inbox"));
	html_fmt(&b, "<h1>%s</h1>", PT_T(c, "Hộp thư", "Inbox"));
	if (http_query(req, "luu"))
		html_fmt(&b, "<p class=\"success\" role=\"status\">%s</p>",
		         PT_T(c, "Đã lưu cách nhận thông báo.", "Your notice settings are saved."));
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\">%s</p>",
		         PT_T(c, "Không đọc được hộp thư.", "The inbox could not be read."));
	} else {
		html_fmt(&b, "<p>%s <strong>%D</strong></p>",
		         PT_T(c, "Thư chưa đọc:", "Unread messages:"), (int64_t)unread);
		if (!json_array_size(items))
			html_fmt(
			    &b, "<p>%s</p>",
			    PT_T(c, "Hộp thư của bạn chưa có thư nào.", "Your inbox is empty."));
		else
			mc_buf_puts(&b, "<ul class=\"list\">");
		size_t i;
		json_t *m;
		json_array_foreach(items, i, m)
		{
			bool is_read = json_is_true(json_object_get(m, "read"));
			int64_t id = json_integer_value(json_object_get(m, "id"));
			char ids[24];
			snprintf(ids, sizeof ids, "%lld", (long long)id);
			mc_buf_puts(&b, "<li><h2>");
			if (!is_read)
				html_fmt(&b, "<span class=\"badge open\">%s</span> ",
				         PT_T(c, "Chưa đọc", "Unread"));
			html_fmt(
			    &b, "%s</h2><p class=\"meta\">%s</p>",
			    pt_i18n(c, json_object_get(m, "subject")),
			    pt_datetime(c, json_string_value(json_object_get(m, "created_at"))));
			if (is_read) {
				html_fmt(&b,
				         "<p><a href=\"/hop-thu/%U\">%s<span class=\"sr\">: "
				         "%s</span></a></p>",
				         ids, PT_T(c, "Xem thư", "View"),
				         pt_i18n(c, json_object_get(m, "subject")));
			} else {
				html_fmt(&b, "<form method=\"post\" action=\"/hop-thu/%U\">", ids);
				pt_csrf_input(c, &b);
				html_fmt(&b,
				         "<button type=\"submit\" class=\"secondary\">%s<span "
				         "class=\"sr\">: %s</span></button></form>",
				         PT_T(c, "Mở thư", "Open"),
				         pt_i18n(c, json_object_get(m, "subject")));
			}
			mc_buf_puts(&b, "</li>");
		}
		if (json_array_size(items))
			mc_buf_puts(&b, "</ul>");
		if (more && json_array_size(items)) {
			json_t *last = json_array_get(items, json_array_size(items) - 1);
			char ids[24];
			snprintf(ids, sizeof ids, "%lld",
			         (long long)json_integer_value(json_object_get(last, "id")));
			html_fmt(&b,
			         "<nav class=\"pager\" aria-label=\"%s\"><a "
			         "href=\"/hop-thu?truoc=%U\">%s</a></nav>",
			         PT_T(c, "Trang", "Pages"), ids,
			         PT_T(c, "Thư cũ hơn", "Older messages"));
		}
	}
	contact_form(c, &b, contact, errors);
	pt_foot(c, &b);
	pt_reply(c, status, &b);
	json_decref(items);
	json_decref(own);
}

void pt_h_inbox(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!inbox_owner(&c))
		return;
	inbox_page(&c, 200, NULL, NULL);
}

void pt_h_inbox_message(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!inbox_owner(&c))
		return;
	int64_t id = 0;
	json_t *m = NULL;
	mc_diag d = {0};
	mc_err e = parse_id(req->params[0], &id)
	               ? notify_inbox_get(req->app->db, c.who.person_id, id, &m, &d)
	               : MC_ERR_NOT_FOUND;
	mc_diag_clear(&d);
	if (e) {
		pt_message(&c, e == MC_ERR_NOT_FOUND ? 404 : 500,
		           PT_T(&c, "Không tìm thấy thư", "No such message"),
		           PT_T(&c, "Thư này không có trong hộp thư của bạn.",
		                "This message is not in your inbox."));
		return;
	}
	const char *subject = pt_i18n(&c, json_object_get(m, "subject"));
	const char *link = json_string_value(json_object_get(m, "link"));
	mc_buf b = {0};
	pt_head(&c, &b, subject);
	html_fmt(&b,
	         "<p><a href=\"/hop-thu\">%s</a></p><h1>%s</h1><p class=\"meta\">%s</p><p>%s</p>",
	         PT_T(&c, "← Hộp thư", "← Inbox"), subject,
	         pt_datetime(&c, json_string_value(json_object_get(m, "created_at"))),
	         pt_i18n(&c, json_object_get(m, "body")));
	if (link)
		html_fmt(&b, "<p><a class=\"button\" href=\"%s\">%s</a></p>", link,
		         link_label(&c, link));
	if (!json_is_true(json_object_get(m, "read"))) {
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		html_fmt(&b, "<form method=\"post\" action=\"/hop-thu/%U\">", ids);
		pt_csrf_input(&c, &b);
		html_fmt(&b, "<button type=\"submit\" class=\"secondary\">%s</button></form>",
		         PT_T(&c, "Đánh dấu đã đọc", "Mark as read"));
	}
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
	json_decref(m);
}

void pt_h_inbox_read(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!inbox_owner(&c) || !pt_post(&c))
		return;
	int64_t id = 0;
	json_t *m = NULL;
	mc_diag d = {0};
	mc_err e = parse_id(req->params[0], &id)
	               ? notify_inbox_read(req->app->db, c.who.person_id, id, &m, &d)
	               : MC_ERR_NOT_FOUND;
	mc_diag_clear(&d);
	json_decref(m);
	if (e) {
		pt_message(&c, e == MC_ERR_NOT_FOUND ? 404 : 500,
		           PT_T(&c, "Không tìm thấy thư", "No such message"),
		           PT_T(&c, "Thư này không có trong hộp thư của bạn.",
		                "This message is not in your inbox."));
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/hop-thu/%lld", (long long)id);
	pt_redirect(&c, loc);
}

void pt_h_inbox_contact(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!inbox_owner(&c) || !pt_post(&c))
		return;
	json_t *body = json_object();
	const char *email = pt_field(&c, "email"), *phone = pt_field(&c, "phone");
	const char *lang = pt_field(&c, "lang");
	if (email && *email)
		json_object_set_new(body, "email", json_string(email));
	if (phone && *phone)
		json_object_set_new(body, "phone", json_string(phone));
	json_object_set_new(body, "email_enabled", json_boolean(pt_field(&c, "email_enabled")));
	json_object_set_new(body, "sms_enabled", json_boolean(pt_field(&c, "sms_enabled")));
	json_object_set_new(body, "lang", json_string(lang ? lang : "vi"));
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e = notify_contact_put(req->app->db, &c.who, body, &out, &d);
	if (e == MC_OK) {
		pt_redirect(&c, "/hop-thu?luu=1");
	} else if (e == MC_ERR_UNPROCESSABLE) {
		/* the form shows what was typed, with the errors */
		json_t *typed =
		    json_pack("{s:s?, s:s?, s:b, s:b, s:s}", "email", email, "phone", phone,
		              "email_enabled", pt_field(&c, "email_enabled") != NULL, "sms_enabled",
		              pt_field(&c, "sms_enabled") != NULL, "lang", lang ? lang : "vi");
		inbox_page(&c, 422, typed, json_object_get(d.ext, "errors"));
		json_decref(typed);
	} else {
		pt_message(&c, http_status_of(e), PT_T(&c, "Không lưu được", "Not saved"),
		           PT_T(&c, "Không lưu được cách nhận thông báo.",
		                "The notice settings could not be saved."));
	}
	json_decref(out);
	json_decref(body);
	mc_diag_clear(&d);
}
