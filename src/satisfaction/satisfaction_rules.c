/* satisfaction_rules.c - the pure rules of ratings: which dossiers may be
 * rated, what counts as satisfied, and the checks of a rating request. No
 * store, no HTTP. */
#include "satisfaction/satisfaction.h"

#include "core/text.h"
#include <stdio.h>
#include <string.h>

const char *const satisfaction_criteria[SATISFACTION_CRITERIA] = {"on_time", "courteous",
                                                                  "easy_online"};

bool satisfaction_dossier_ended(int status)
{
	return status == 3 || status == 8 || status == 9 || status == 10;
}

bool satisfaction_is_satisfied(int score)
{
	return score >= SATISFACTION_SATISFIED_MIN && score <= SATISFACTION_SCORE_MAX;
}

double satisfaction_share(int64_t satisfied, int64_t rated)
{
	if (rated <= 0 || satisfied < 0)
		return 0.0;
	return satisfied >= rated ? 1.0 : (double)satisfied / (double)rated;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int criterion_index(const char *name)
{
	for (int i = 0; i < SATISFACTION_CRITERIA; i++)
		if (!strcmp(name, satisfaction_criteria[i]))
			return i;
	return -1;
}

/* Reads the criteria object; type errors go to `types`, others to `errors`. */
static void parse_criteria(json_t *cr, satisfaction_input *in, json_t *types, json_t *errors)
{
	if (!json_is_object(cr)) {
		mc_errors_add(types, "$.criteria", "criteria must be an object",
		              "criteria phải là một đối tượng");
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(cr, k, v)
	{
		int i = criterion_index(k);
		char path[64];
		snprintf(path, sizeof path, "$.criteria.%.40s", k);
		if (i < 0)
			mc_errors_add(errors, path,
			              "unknown criterion (on_time, courteous, easy_online)",
			              "tiêu chí không có (on_time, courteous, easy_online)");
		else if (json_is_boolean(v))
			in->criteria[i] = json_is_true(v) ? 1 : 0;
		else if (!json_is_null(v))
			mc_errors_add(types, path, "a criterion is true, false or null",
			              "tiêu chí là true, false hoặc null");
	}
}

mc_err satisfaction_parse(json_t *body, satisfaction_input *in, mc_diag *diag)
{
	memset(in, 0, sizeof *in);
	for (int i = 0; i < SATISFACTION_CRITERIA; i++)
		in->criteria[i] = -1;
	json_t *types = json_array(), *errors = json_array();
	mc_err e = MC_OK;
	if (!json_is_object(body)) {
		mc_errors_add(types, "$", "the body must be a JSON object",
		              "nội dung phải là một đối tượng JSON");
		goto out;
	}
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (!strcmp(k, "score")) {
			if (!json_is_integer(v))
				mc_errors_add(types, "$.score",
				              "score must be a whole number 1 to 5",
				              "điểm phải là số nguyên từ 1 đến 5");
			else if (json_integer_value(v) < SATISFACTION_SCORE_MIN ||
			         json_integer_value(v) > SATISFACTION_SCORE_MAX)
				mc_errors_add(errors, "$.score", "score must be 1 to 5",
				              "điểm phải từ 1 đến 5");
			else
				in->score = (int)json_integer_value(v);
		} else if (!strcmp(k, "criteria")) {
			if (!json_is_null(v))
				parse_criteria(v, in, types, errors);
		} else if (!strcmp(k, "comment")) {
			if (json_is_null(v))
				continue;
			if (!json_is_string(v)) {
				mc_errors_add(types, "$.comment", "comment must be a string",
				              "nhận xét phải là chuỗi ký tự");
				continue;
			}
			const char *s = json_string_value(v);
			size_t n = json_string_length(v);
			if (n > SATISFACTION_COMMENT_BYTES || strlen(s) != n ||
			    !text_utf8_valid(s, n) || text_utf8_len(s) > SATISFACTION_COMMENT_MAX)
				mc_errors_add(errors, "$.comment",
				              "comment is at most 2000 characters of text",
				              "nhận xét tối đa 2000 ký tự");
			else if (!blank(s))
				in->comment = s;
		} else {
			char path[64];
			snprintf(path, sizeof path, "$.%.40s", k);
			mc_errors_add(errors, path, "unknown member",
			              "trường không có trong yêu cầu");
		}
	}
	if (!json_object_get(body, "score"))
		mc_errors_add(errors, "$.score", "score is required (1 to 5)",
		              "cần chọn điểm từ 1 đến 5");
out:
	if (json_array_size(types)) {
		e = mc_fail2(diag, MC_ERR_INVALID, "Yêu cầu đánh giá sai kiểu dữ liệu.",
		             "The rating request has members of the wrong type.");
		json_array_extend(types, errors);
		mc_diag_ext(diag, "errors", json_incref(types));
	} else if (json_array_size(errors)) {
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Đánh giá chưa hợp lệ.",
		             "The rating is not valid.");
		mc_diag_ext(diag, "errors", json_incref(errors));
	}
	json_decref(types);
	json_decref(errors);
	return e;
}

mc_err satisfaction_text_check(json_t *v, const char *path, const char **out, mc_diag *diag)
{
	*out = NULL;
	json_t *errors = json_array();
	mc_err e = MC_OK;
	if (v && !json_is_string(v)) {
		mc_errors_add(errors, path, "must be a string", "phải là chuỗi ký tự");
		e = mc_fail2(diag, MC_ERR_INVALID, "Nội dung sai kiểu dữ liệu.",
		             "The text has the wrong type.");
		goto out;
	}
	const char *s = v ? json_string_value(v) : NULL;
	size_t n = v ? json_string_length(v) : 0;
	if (!s || blank(s))
		mc_errors_add(errors, path, "the text is required", "cần nhập nội dung");
	else if (n > SATISFACTION_TEXT_BYTES || strlen(s) != n || !text_utf8_valid(s, n) ||
	         text_utf8_len(s) > SATISFACTION_TEXT_MAX)
		mc_errors_add(errors, path, "the text is at most 4000 characters",
		              "nội dung tối đa 4000 ký tự");
	else
		*out = s;
	if (!*out)
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Nội dung chưa hợp lệ.",
		             "The text is not valid.");
out:
	if (e)
		mc_diag_ext(diag, "errors", json_incref(errors));
	json_decref(errors);
	return e;
}
