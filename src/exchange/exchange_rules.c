/* exchange_rules.c - the pure access rules of the exchange module: consent
 * status, coverage, the basis decision and the consent request checks
 * (see exchange_rules.h). */
#include "exchange/exchange_rules.h"

#include "core/date.h"
#include "core/text.h"
#include "exchange/exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *exch_consent_status(const exch_consent *k, const char *today)
{
	if (k->revoked)
		return "revoked";
	if (!k->expires_on || strcmp(today, k->expires_on) > 0)
		return "expired";
	return "active";
}

bool exch_consent_covers(const exch_consent *k, const char *agency, const char *category,
                         const char *today)
{
	return strcmp(exch_consent_status(k, today), "active") == 0 && k->agency && agency &&
	       strcmp(k->agency, agency) == 0 && k->category && category &&
	       strcmp(k->category, category) == 0;
}

bool exch_decide(const char *dossier_code, const exch_consent *ks, size_t n, const char *agency,
                 const char *category, const char *today, char *basis, size_t cap)
{
	basis[0] = 0;
	if (dossier_code && dossier_code[0]) {
		snprintf(basis, cap, "dossier:%s", dossier_code);
		return true;
	}
	for (size_t i = 0; i < n; i++)
		if (exch_consent_covers(&ks[i], agency, category, today)) {
			snprintf(basis, cap, "consent:%s", ks[i].id);
			return true;
		}
	return false;
}

void exch_max_expiry(const char *today, char out[11])
{
	mc_day d;
	int y = 1970, m = 1, dd = 1;
	if (date_parse(today, &d))
		date_to_ymd(d, &y, &m, &dd);
	y += EXCHANGE_CONSENT_YEARS;
	if (m == 2 && dd == 29)
		dd = 28;
	date_format(date_from_ymd(y, m, dd), out);
}

static const char *str_member(json_t *body, const char *name, const char *path, json_t *errors)
{
	json_t *v = json_object_get(body, name);
	if (!json_is_string(v)) {
		mc_errors_add(errors, path, "required, a string", "bắt buộc, là chuỗi ký tự");
		return NULL;
	}
	return json_string_value(v);
}

bool exch_consent_check(json_t *body, const char *today, json_t *errors)
{
	size_t before = json_array_size(errors);
	const char *agency = str_member(body, "agency", "$.agency", errors);
	if (agency && (!agency[0] || strlen(agency) > 64))
		mc_errors_add(errors, "$.agency", "an agency code of 1 to 64 characters",
		              "mã cơ quan từ 1 đến 64 ký tự");
	const char *cat = str_member(body, "category", "$.category", errors);
	if (cat && !exchange_category_find(cat))
		mc_errors_add(errors, "$.category",
		              "unknown data category (see /api/v1/exchange/categories)",
		              "không có nhóm dữ liệu này");
	const char *purpose = str_member(body, "purpose", "$.purpose", errors);
	if (purpose) {
		size_t n = strlen(purpose);
		bool blank = true;
		for (const char *p = purpose; *p; p++)
			if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				blank = false;
		if (blank)
			mc_errors_add(errors, "$.purpose", "must not be blank",
			              "mục đích không được để trống");
		else if (n > EXCHANGE_PURPOSE_MAX)
			mc_errors_add(errors, "$.purpose", "at most 500 bytes", "tối đa 500 byte");
		else if (!text_utf8_valid(purpose, n))
			mc_errors_add(errors, "$.purpose", "must be UTF-8 text",
			              "phải là văn bản UTF-8");
	}
	const char *exp = str_member(body, "expires_on", "$.expires_on", errors);
	mc_day d;
	if (exp && !date_parse(exp, &d)) {
		mc_errors_add(errors, "$.expires_on", "a date YYYY-MM-DD",
		              "ngày theo dạng YYYY-MM-DD");
	} else if (exp) {
		char max[11];
		exch_max_expiry(today, max);
		if (strcmp(exp, today) < 0)
			mc_errors_add(errors, "$.expires_on", "must not be in the past",
			              "không được là ngày đã qua");
		else if (strcmp(exp, max) > 0)
			mc_errors_add(errors, "$.expires_on", "at most 5 years from today",
			              "tối đa 5 năm kể từ hôm nay");
	}
	return json_array_size(errors) == before;
}
