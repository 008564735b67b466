/* dossier_rules.c - the dossier lifecycle as data (transition table, status
 * names, allowed actions, action body checks) and the due-date / 766
 * arithmetic. Pure: no store, no HTTP. See dossier_rules.h. */
#include "dossier/dossier_rules.h"

#include "calendar/calendar.h"
#include "core/mem.h"
#include "core/text.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define BIT(s) (1u << (s))
#define OPEN_STATES                                                                                \
	(BIT(DS_SUBMITTED) | BIT(DS_RECEIVED) | BIT(DS_PROCESSING) | BIT(DS_SUPPLEMENT) |          \
	 BIT(DS_PAYMENT))

/* Caps on the members of action bodies (code points). */
#define MAX_REASON 2000
#define MAX_NOTE 2000
#define MAX_REF 200
#define MAX_CODE 64
#define MAX_ITEMS 100
#define MAX_AMOUNT 1e13
#define MAX_UNKNOWN 20 /* unknown members listed in one answer */

static const dossier_rule rules[DA__COUNT] = {
    [DA_RECEIVE] = {DA_RECEIVE,
                    "receive",
                    BIT(DS_SUBMITTED),
                    DS_RECEIVED,
                    DOSSIER_ACTOR_OFFICER,
                    false,
                    false,
                    {NULL},
                    {NULL}},
    [DA_REFUSE] = {DA_REFUSE,
                   "refuse",
                   BIT(DS_SUBMITTED),
                   DS_REFUSED,
                   DOSSIER_ACTOR_OFFICER,
                   false,
                   false,
                   {"reason", NULL},
                   {NULL}},
    [DA_REQUEST_SUPPLEMENT] = {DA_REQUEST_SUPPLEMENT,
                               "request_supplement",
                               BIT(DS_SUBMITTED) | BIT(DS_RECEIVED) | BIT(DS_PROCESSING),
                               DS_SUPPLEMENT,
                               DOSSIER_ACTOR_OFFICER,
                               true,
                               false,
                               {"items", NULL},
                               {NULL}},
    [DA_SUPPLEMENT] = {DA_SUPPLEMENT,
                       "supplement",
                       BIT(DS_SUPPLEMENT),
                       DS_NEXT_PREVIOUS,
                       DOSSIER_ACTOR_APPLICANT,
                       false,
                       false,
                       {NULL},
                       {"form", "components", NULL}},
    [DA_PROCESS] = {DA_PROCESS,
                    "process",
                    BIT(DS_RECEIVED),
                    DS_PROCESSING,
                    DOSSIER_ACTOR_OFFICER,
                    false,
                    false,
                    {NULL},
                    {NULL}},
    [DA_TRANSFER] = {DA_TRANSFER,
                     "transfer",
                     BIT(DS_PROCESSING),
                     DS_NEXT_SAME,
                     DOSSIER_ACTOR_OFFICER,
                     false,
                     false,
                     {"agency", "reason", NULL},
                     {NULL}},
    [DA_REQUEST_PAYMENT] = {DA_REQUEST_PAYMENT,
                            "request_payment",
                            BIT(DS_PROCESSING),
                            DS_PAYMENT,
                            DOSSIER_ACTOR_OFFICER,
                            false,
                            false,
                            {"amount", "reason", NULL},
                            {NULL}},
    [DA_PAY] = {DA_PAY,
                "pay",
                BIT(DS_PAYMENT),
                DS_PROCESSING,
                DOSSIER_ACTOR_APPLICANT,
                false,
                false,
                {NULL},
                {"reference", NULL}},
    [DA_WITHDRAW] = {DA_WITHDRAW,
                     "withdraw",
                     OPEN_STATES,
                     DS_WITHDRAWN,
                     DOSSIER_ACTOR_APPLICANT,
                     false,
                     false,
                     {NULL},
                     {"reason", NULL}},
    [DA_STOP] = {DA_STOP,
                 "stop",
                 OPEN_STATES,
                 DS_STOPPED,
                 DOSSIER_ACTOR_OFFICER,
                 false,
                 false,
                 {"reason", NULL},
                 {NULL}},
    [DA_FINISH] = {DA_FINISH,
                   "finish",
                   BIT(DS_PROCESSING),
                   DS_PROCESSED,
                   DOSSIER_ACTOR_OFFICER,
                   false,
                   false,
                   {"result", NULL},
                   {NULL}},
    [DA_RETURN_RESULT] = {DA_RETURN_RESULT,
                          "return_result",
                          BIT(DS_PROCESSED),
                          DS_RETURNED,
                          DOSSIER_ACTOR_OFFICER,
                          false,
                          false,
                          {NULL},
                          {NULL}},
    [DA_APOLOGIZE] = {DA_APOLOGIZE,
                      "apologize",
                      BIT(DS_RECEIVED) | BIT(DS_PROCESSING) | BIT(DS_SUPPLEMENT) | BIT(DS_PAYMENT),
                      DS_NEXT_SAME,
                      DOSSIER_ACTOR_OFFICER,
                      true,
                      true,
                      {"new_due_date", "reason", NULL},
                      {NULL}},
};

static const struct {
	const char *name, *vi, *en;
} statuses[DS_MAX + 1] = {
    [DS_NONE] = {"none", "Chưa nộp", "Not submitted"},
    [DS_SUBMITTED] = {"submitted", "Mới đăng ký", "Submitted"},
    [DS_RECEIVED] = {"received", "Được tiếp nhận", "Received"},
    [DS_REFUSED] = {"refused", "Không được tiếp nhận", "Refused at reception"},
    [DS_PROCESSING] = {"processing", "Đang xử lý", "Processing"},
    [DS_SUPPLEMENT] = {"supplement_requested", "Yêu cầu bổ sung", "Supplement requested"},
    [DS_PAYMENT] = {"payment_requested", "Yêu cầu thực hiện nghĩa vụ tài chính",
                    "Payment requested"},
    [DS_WITHDRAWN] = {"withdrawn", "Công dân yêu cầu rút hồ sơ", "Withdrawn by the applicant"},
    [DS_STOPPED] = {"stopped", "Dừng xử lý", "Processing stopped"},
    [DS_PROCESSED] = {"processed", "Đã xử lý xong", "Processed"},
    [DS_RETURNED] = {"result_returned", "Đã trả kết quả", "Result returned"},
};

const dossier_rule *dossier_rule_of(dossier_action a)
{
	if ((int)a < 0 || a >= DA__COUNT)
		return NULL;
	return &rules[a];
}

bool dossier_action_parse(const char *name, dossier_action *out)
{
	if (!name)
		return false;
	for (int i = 0; i < DA__COUNT; i++) {
		if (strcmp(rules[i].name, name) == 0) {
			*out = (dossier_action)i;
			return true;
		}
	}
	return false;
}

const char *dossier_action_name(dossier_action a)
{
	const dossier_rule *r = dossier_rule_of(a);
	return r ? r->name : "unknown";
}

static bool status_valid(dossier_status s)
{
	return (int)s >= DS_SUBMITTED && (int)s <= DS_MAX;
}

const char *dossier_status_name(dossier_status s)
{
	return status_valid(s) ? statuses[s].name : "unknown";
}

const char *dossier_status_name_vi(dossier_status s)
{
	return status_valid(s) ? statuses[s].vi : "Không xác định";
}

const char *dossier_status_name_en(dossier_status s)
{
	return status_valid(s) ? statuses[s].en : "Unknown";
}

bool dossier_status_parse(const char *s, dossier_status *out)
{
	if (!s || !*s)
		return false;
	if (s[0] >= '0' && s[0] <= '9') {
		int v = 0;
		for (const char *p = s; *p; p++) {
			if (*p < '0' || *p > '9' || p - s >= 2)
				return false;
			v = v * 10 + (*p - '0');
		}
		if (!status_valid((dossier_status)v))
			return false;
		*out = (dossier_status)v;
		return true;
	}
	for (int i = DS_SUBMITTED; i <= DS_MAX; i++) {
		if (strcmp(statuses[i].name, s) == 0) {
			*out = (dossier_status)i;
			return true;
		}
	}
	return false;
}

bool dossier_status_final(dossier_status s)
{
	return s == DS_REFUSED || s == DS_WITHDRAWN || s == DS_STOPPED || s == DS_RETURNED;
}

/* State part of the check (status, once-only, due date), actor ignored. */
static bool state_allows(const dossier_facts *f, const dossier_rule *r)
{
	if (!status_valid(f->status) || !(r->from & BIT(f->status)))
		return false;
	if (r->action == DA_REQUEST_SUPPLEMENT && f->supplement_requests > 0)
		return false;
	if (r->action == DA_APOLOGIZE && f->apologized)
		return false;
	if (r->needs_due_date && !f->has_due_date)
		return false;
	if (r->action == DA_SUPPLEMENT && !status_valid(f->before_supplement))
		return false;
	return true;
}

mc_err dossier_rule_check(const dossier_facts *f, dossier_action a, unsigned actor, mc_diag *diag)
{
	const dossier_rule *r = dossier_rule_of(a);
	if (!r)
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Thao tác không hợp lệ.",
		                "Unknown action.");
	if (!(r->actor & actor)) {
		if (r->actor == DOSSIER_ACTOR_APPLICANT)
			return mc_fail2(diag, MC_ERR_FORBIDDEN,
			                "Chỉ người nộp hồ sơ được thực hiện thao tác này.",
			                "Only the applicant may %s this dossier.", r->name);
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ cán bộ của cơ quan đang giải quyết hồ sơ được thực hiện "
		                "thao tác này.",
		                "Only an officer of the handling agency may %s this dossier.",
		                r->name);
	}
	if (!state_allows(f, r)) {
		if (r->once && status_valid(f->status) && (r->from & BIT(f->status)) &&
		    ((a == DA_REQUEST_SUPPLEMENT && f->supplement_requests > 0) ||
		     (a == DA_APOLOGIZE && f->apologized)))
			return mc_fail2(diag, MC_ERR_CONFLICT,
			                "Thao tác này chỉ được thực hiện một lần cho mỗi hồ sơ.",
			                "Action %s may be done only once per dossier.", r->name);
		return mc_fail2(diag, MC_ERR_CONFLICT,
		                "Thao tác không được phép ở trạng thái hiện tại của hồ sơ.",
		                "Action %s is not allowed in status %s.", r->name,
		                dossier_status_name(f->status));
	}
	return MC_OK;
}

dossier_status dossier_next_status(const dossier_facts *f, dossier_action a)
{
	const dossier_rule *r = dossier_rule_of(a);
	if (!r)
		return f->status;
	if (r->next == DS_NEXT_SAME)
		return f->status;
	if (r->next == DS_NEXT_PREVIOUS)
		return f->before_supplement;
	return (dossier_status)r->next;
}

int dossier_allowed(const dossier_facts *f, unsigned actor, dossier_action out[DA__COUNT])
{
	int n = 0;
	for (int i = 0; i < DA__COUNT; i++) {
		if ((rules[i].actor & actor) && state_allows(f, &rules[i]))
			out[n++] = (dossier_action)i;
	}
	return n;
}

json_t *dossier_allowed_json(const dossier_facts *f, unsigned actor)
{
	dossier_action acts[DA__COUNT];
	int n = dossier_allowed(f, actor, acts);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(rules[acts[i]].name));
	return arr;
}

/* ---- body checks ---- */

bool dossier_action_member(dossier_action a, const char *key)
{
	const dossier_rule *r = dossier_rule_of(a);
	if (!r || !key)
		return false;
	if (!strcmp(key, "action") || !strcmp(key, "note"))
		return true;
	for (const char *const *m = r->required; *m; m++) {
		if (!strcmp(key, *m))
			return true;
	}
	for (const char *const *m = r->optional; *m; m++) {
		if (!strcmp(key, *m))
			return true;
	}
	return false;
}

json_t *dossier_action_details(dossier_action a, json_t *body)
{
	json_t *d = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "action") != 0 && dossier_action_member(a, key))
			json_object_set_new(d, key, json_deep_copy(v));
	}
	return d;
}

/* Decodes the code point at *p (valid UTF-8) and advances; -1 at the end. */
static long next_code_point(const unsigned char **p)
{
	const unsigned char *s = *p;
	if (!*s)
		return -1;
	long c;
	int n;
	if (s[0] < 0x80) {
		c = s[0];
		n = 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		c = s[0] & 0x1F;
		n = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		c = s[0] & 0x0F;
		n = 3;
	} else {
		c = s[0] & 0x07;
		n = 4;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) { /* not valid UTF-8: count the byte alone */
			*p = s + 1;
			return s[0];
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n;
	return c;
}

/* True when s holds nothing but white space: ASCII blanks and the Unicode
 * space separators, line and paragraph separators and zero-width spaces. */
static bool blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long c;
	while ((c = next_code_point(&p)) >= 0) {
		bool space = c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
		             c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 ||
		             c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
		             c == 0xFEFF;
		if (!space)
			return false;
	}
	return true;
}

/* Checks an optional string member; `required` adds "missing" errors and
 * refuses a value of white space only. Returns the string or NULL. */
static const char *check_string(json_t *body, const char *key, bool required, size_t max,
                                json_t *errors)
{
	char path[96];
	snprintf(path, sizeof path, "$.%s", key);
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v)) {
		if (required)
			mc_errors_add(errors, path, "required member is missing",
			              "thiếu thông tin bắt buộc");
		return NULL;
	}
	if (!json_is_string(v)) {
		mc_errors_add(errors, path, "must be a string", "phải là chuỗi ký tự");
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t len = text_utf8_len(s);
	if (required && blank(s)) {
		mc_errors_add(errors, path, "must not be empty or blank",
		              "không được để trống hoặc chỉ có khoảng trắng");
		return NULL;
	}
	if (len > max) {
		char en[96];
		snprintf(en, sizeof en, "longer than %zu characters", max);
		char vi[96];
		snprintf(vi, sizeof vi, "dài quá %zu ký tự", max);
		mc_errors_add(errors, path, en, vi);
		return NULL;
	}
	return s;
}

/* JSON path of member `key` of the body: "$.key", or "$['key']" when the
 * name is not an identifier; names are cut at MAX_CODE bytes ("..."). */
static char *member_path(const char *key)
{
	bool ident = *key && !(*key >= '0' && *key <= '9');
	for (const char *p = key; *p && ident; p++)
		ident = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '_';
	mc_buf b = {0};
	mc_buf_puts(&b, ident ? "$." : "$['");
	size_t n = 0;
	for (const char *p = key; *p; p++, n++) {
		if (n >= MAX_CODE && ((unsigned char)*p & 0xC0) != 0x80) {
			mc_buf_puts(&b, "...");
			break;
		}
		if (!ident && (*p == '\'' || *p == '\\'))
			mc_buf_append(&b, "\\", 1);
		mc_buf_append(&b, p, 1);
	}
	if (!ident)
		mc_buf_puts(&b, "']");
	return mc_buf_cstr(&b);
}

/* Every member the action does not define is an error at its path (the
 * first MAX_UNKNOWN of them). */
static void check_unknown_members(dossier_action a, json_t *body, json_t *errors)
{
	const char *key;
	json_t *v;
	int n = 0;
	json_object_foreach(body, key, v)
	{
		if (dossier_action_member(a, key))
			continue;
		if (n++ == MAX_UNKNOWN)
			break;
		char *path = member_path(key);
		char en[96], vi[96];
		snprintf(en, sizeof en, "is not a member of action %s", dossier_action_name(a));
		snprintf(vi, sizeof vi, "không phải thông tin của thao tác %s",
		         dossier_action_name(a));
		mc_errors_add(errors, path, en, vi);
		free(path);
	}
}

static void check_items(json_t *body, json_t *errors)
{
	json_t *items = json_object_get(body, "items");
	if (!items || json_is_null(items)) {
		mc_errors_add(errors, "$.items", "required member is missing",
		              "thiếu thông tin bắt buộc");
		return;
	}
	if (!json_is_array(items)) {
		mc_errors_add(errors, "$.items", "must be an array", "phải là một danh sách");
		return;
	}
	size_t n = json_array_size(items);
	if (n == 0) {
		mc_errors_add(errors, "$.items", "must list at least one missing item",
		              "phải liệt kê ít nhất một thành phần còn thiếu");
		return;
	}
	if (n > MAX_ITEMS) {
		mc_errors_add(errors, "$.items", "too many items (at most 100)",
		              "quá nhiều mục (tối đa 100)");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(items, i);
		char path[64];
		snprintf(path, sizeof path, "$.items[%zu]", i);
		if (!json_is_object(it)) {
			mc_errors_add(errors, path, "must be an object", "phải là một đối tượng");
			continue;
		}
		json_t *comp = json_object_get(it, "component");
		json_t *field = json_object_get(it, "field");
		json_t *note = json_object_get(it, "note");
		char p2[96];
		if (!comp && !field) {
			mc_errors_add(errors, path, "must name a component or a field",
			              "phải nêu thành phần hồ sơ hoặc trường thông tin");
		}
		if (comp && (!json_is_string(comp) || blank(json_string_value(comp)) ||
		             text_utf8_len(json_string_value(comp)) > MAX_CODE)) {
			snprintf(p2, sizeof p2, "%s.component", path);
			mc_errors_add(errors, p2, "must be a component id (1 to 64 characters)",
			              "phải là mã thành phần hồ sơ (1 đến 64 ký tự)");
		}
		if (field && (!json_is_string(field) || blank(json_string_value(field)) ||
		              text_utf8_len(json_string_value(field)) > 200)) {
			snprintf(p2, sizeof p2, "%s.field", path);
			mc_errors_add(errors, p2, "must be a field name (1 to 200 characters)",
			              "phải là tên trường thông tin (1 đến 200 ký tự)");
		}
		if (note &&
		    (!json_is_string(note) || text_utf8_len(json_string_value(note)) > MAX_NOTE)) {
			snprintf(p2, sizeof p2, "%s.note", path);
			mc_errors_add(errors, p2, "must be a string of at most 2000 characters",
			              "phải là chuỗi tối đa 2000 ký tự");
		}
	}
}

static void check_supplement(json_t *body, json_t *errors)
{
	json_t *comps = json_object_get(body, "components");
	json_t *form = json_object_get(body, "form");
	if ((!comps || json_is_null(comps)) && (!form || json_is_null(form))) {
		mc_errors_add(errors, "$", "a supplement brings components or form fields",
		              "hồ sơ bổ sung phải có thành phần hồ sơ hoặc thông tin biểu mẫu");
		return;
	}
	if (form && !json_is_null(form) && !json_is_object(form))
		mc_errors_add(errors, "$.form", "must be an object", "phải là một đối tượng");
	if (comps && !json_is_null(comps)) {
		if (!json_is_array(comps)) {
			mc_errors_add(errors, "$.components", "must be an array",
			              "phải là một danh sách");
			return;
		}
		if (json_array_size(comps) > MAX_ITEMS) {
			mc_errors_add(errors, "$.components", "too many components (at most 100)",
			              "quá nhiều thành phần (tối đa 100)");
			return;
		}
		size_t i;
		json_t *c;
		json_array_foreach(comps, i, c)
		{
			char path[64];
			snprintf(path, sizeof path, "$.components[%zu]", i);
			json_t *id = json_object_get(c, "component");
			json_t *doc = json_object_get(c, "document");
			if (!doc) /* or a vault item (once-only) */
				doc = json_object_get(c, "vault_item");
			if (!json_is_object(c) || !json_is_string(id) || !json_is_string(doc) ||
			    (json_object_get(c, "document") && json_object_get(c, "vault_item")) ||
			    json_string_length(id) == 0 || json_string_length(id) > MAX_CODE ||
			    json_string_length(doc) == 0 || json_string_length(doc) > MAX_CODE)
				mc_errors_add(errors, path,
				              "must be {\"component\": id, \"document\": id} or "
				              "{\"component\": id, \"vault_item\": id}",
				              "phải có dạng {\"component\": mã, \"document\": mã} "
				              "hoặc {\"component\": mã, \"vault_item\": mã}");
		}
	}
}

mc_err dossier_action_validate(const dossier_facts *f, dossier_action a, json_t *body,
                               mc_diag *diag)
{
	json_t *errors = json_array();
	mc_err err = MC_OK;
	if (!json_is_object(body)) {
		mc_errors_add(errors, "$", "must be an object", "phải là một đối tượng");
		goto out;
	}
	check_unknown_members(a, body, errors);
	check_string(body, "note", false, MAX_NOTE, errors);
	switch (a) {
	case DA_REFUSE:
	case DA_STOP:
		check_string(body, "reason", true, MAX_REASON, errors);
		break;
	case DA_REQUEST_SUPPLEMENT:
		check_items(body, errors);
		break;
	case DA_SUPPLEMENT:
		check_supplement(body, errors);
		break;
	case DA_TRANSFER:
		check_string(body, "agency", true, MAX_CODE, errors);
		check_string(body, "reason", true, MAX_REASON, errors);
		break;
	case DA_REQUEST_PAYMENT: {
		json_t *amt = json_object_get(body, "amount");
		if (!amt || json_is_null(amt))
			mc_errors_add(errors, "$.amount", "required member is missing",
			              "thiếu thông tin bắt buộc");
		else if (!json_is_number(amt) || !(json_number_value(amt) > 0) ||
		         json_number_value(amt) > MAX_AMOUNT)
			mc_errors_add(errors, "$.amount", "must be a positive amount (VND)",
			              "phải là số tiền dương (đồng)");
		check_string(body, "reason", true, MAX_REASON, errors);
		break;
	}
	case DA_PAY:
		check_string(body, "reference", false, MAX_REF, errors);
		break;
	case DA_WITHDRAW:
		check_string(body, "reason", false, MAX_REASON, errors);
		break;
	case DA_FINISH: {
		json_t *res = json_object_get(body, "result");
		if (!res || json_is_null(res))
			mc_errors_add(errors, "$.result", "required member is missing",
			              "thiếu thông tin bắt buộc");
		else if (!json_is_object(res))
			mc_errors_add(errors, "$.result", "must be an object",
			              "phải là một đối tượng");
		break;
	}
	case DA_APOLOGIZE: {
		const char *d = check_string(body, "new_due_date", true, 10, errors);
		mc_day day;
		char en[128], vi[128];
		if (d && !date_parse(d, &day)) {
			mc_errors_add(errors, "$.new_due_date", "must be a date YYYY-MM-DD",
			              "phải là ngày dạng YYYY-MM-DD");
		} else if (d && f && f->has_due_date && day <= f->due_date) {
			mc_errors_add(errors, "$.new_due_date",
			              "must be after the current due date",
			              "phải sau ngày hẹn trả kết quả hiện tại");
		} else if (d && f && f->has_due_date && day - f->due_date > CALENDAR_MAX_SPAN) {
			/* later due-date arithmetic (a supplement) must stay in the
			 * calendar's range */
			snprintf(en, sizeof en,
			         "must be at most %d days after the current due date",
			         CALENDAR_MAX_SPAN);
			snprintf(vi, sizeof vi, "không được quá %d ngày sau ngày hẹn hiện tại",
			         CALENDAR_MAX_SPAN);
			mc_errors_add(errors, "$.new_due_date", en, vi);
		} else if (d && day > date_from_ymd(LUNAR_YEAR_MAX, 12, 31)) {
			snprintf(en, sizeof en, "must not be after %d-12-31 (end of the calendar)",
			         LUNAR_YEAR_MAX);
			snprintf(vi, sizeof vi, "không được sau ngày %d-12-31 (hết lịch làm việc)",
			         LUNAR_YEAR_MAX);
			mc_errors_add(errors, "$.new_due_date", en, vi);
		}
		check_string(body, "reason", true, MAX_REASON, errors);
		break;
	}
	case DA_RECEIVE:
	case DA_PROCESS:
	case DA_RETURN_RESULT:
		break;
	default:
		mc_errors_add(errors, "$.action", "unknown action", "thao tác không hợp lệ");
		break;
	}
out:
	if (json_array_size(errors) > 0) {
		err = mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		               "Thông tin kèm theo thao tác không hợp lệ.",
		               "The action's members are invalid.");
		mc_diag_ext(diag, "errors", errors);
		return err;
	}
	json_decref(errors);
	return MC_OK;
}

/* ---- due dates and the 766 rule ---- */

int dossier_limit_working_days(catalog_unit unit, double amount)
{
	if (!(amount >= 0) || amount > 100000)
		return -1;
	switch (unit) {
	case LIMIT_WORKING_DAYS:
		return (int)ceil(amount - 1e-9);
	case LIMIT_HOURS:
		return (int)ceil(amount / CALENDAR_WORKING_HOURS - 1e-9);
	default:
		return -1;
	}
}

mc_err dossier_due_on_receive(const dossier_calendar *cal, mc_day received, catalog_unit unit,
                              double amount, bool *has_due, mc_day *due)
{
	*has_due = false;
	if (unit == LIMIT_NONE || !(amount >= 0) || amount > 100000)
		return MC_OK;
	if (unit == LIMIT_DAYS) {
		int n = (int)ceil(amount - 1e-9);
		mc_err e = cal->add_working_days(cal->ctx, received + n, 0, due);
		if (e == MC_OK)
			*has_due = true;
		return e;
	}
	int n = dossier_limit_working_days(unit, amount);
	if (n < 0)
		return MC_OK;
	mc_err e = cal->add_working_days(cal->ctx, received, n, due);
	if (e == MC_OK)
		*has_due = true;
	return e;
}

mc_err dossier_due_after_supplement(const dossier_calendar *cal, mc_day due, mc_day requested,
                                    mc_day supplemented, mc_day *out)
{
	*out = due;
	if (supplemented <= requested)
		return MC_OK;
	int spent = 0;
	mc_err e = cal->working_days_between(cal->ctx, requested, supplemented, &spent);
	if (e != MC_OK)
		return e;
	if (spent <= 0)
		return MC_OK;
	return cal->add_working_days(cal->ctx, due, spent, out);
}

bool dossier_on_time(mc_day finished, bool has_due, mc_day due, int supplement_requests)
{
	if (supplement_requests > 1)
		return false;
	return !has_due || finished <= due;
}

bool dossier_late_open(dossier_status s, mc_day today, bool has_due, mc_day due,
                       mc_day supplement_since)
{
	if (!has_due)
		return false;
	switch (s) {
	case DS_SUBMITTED:
	case DS_RECEIVED:
	case DS_PROCESSING:
	case DS_PAYMENT:
		return today > due;
	case DS_SUPPLEMENT:
		return supplement_since > due;
	default:
		return false;
	}
}
