/* catalog_parse.h - pure functions (no I/O, no store) that turn the
 * national portal's flattened procedure records into motcua's procedure
 * document, and the eForm derivation. Private to src/catalog; used by the
 * importer, the HTTP handlers and the unit tests. */
#ifndef MC_CATALOG_PARSE_H
#define MC_CATALOG_PARSE_H

#include "catalog/catalog.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Bits of what a record's fields did not yield (catalog_from_portal). */
enum {
	UNPARSED_TIME_LIMIT = 1 << 0,   /* no channel with a time limit */
	UNPARSED_COMPONENTS = 1 << 1,   /* no dossier component found */
	UNPARSED_CHANNELS = 1 << 2,     /* no channel row in the table */
	UNPARSED_FEES = 1 << 3,         /* a fee cell not understood */
	UNPARSED_LEVEL = 1 << 4,        /* no level recognised */
	PARSED_UNIT_ASSUMED = 1 << 5,   /* a bare number: unit assumed (info) */
	PARSED_TIME_FROM_TEXT = 1 << 6, /* limit found in a description (info) */
};

/* A time limit as read from text. `amount` is in `unit` (months, weeks and
 * minutes are converted to days and hours); `min` < amount for ranges. */
typedef struct catalog_time {
	double amount, min;
	double written;    /* the number as written, before unit conversion */
	catalog_unit unit; /* LIMIT_NONE when no unit was written */
	size_t len;        /* bytes consumed from the start */
} catalog_time;

/* Reads a time expression at the start of s: an optional "Không quá"/"Tối
 * đa" prefix, a number ("5", "05", "0.5", "1,5"), an optional range ("10 -
 * 15", "10 đến 15": the upper bound wins), an optional spelled number in
 * parentheses ("05 (năm)") and an optional unit (Ngày làm việc, Ngày, Giờ,
 * Tháng, Tuần, Phút in any case). False when s does not start with one. */
bool catalog_parse_time(const char *s, catalog_time *out);

/* Searches free text for the first "<number> <unit>" time limit (a unit is
 * required; dates such as "ngày 01 tháng 7" are skipped). When `want` > 0
 * only that amount is accepted. */
bool catalog_find_time(const char *text, double want, catalog_time *out);

/* Parses an amount of money "2,000,000" / "70.000" / "25" at the start of
 * s into *value (integer, separators in groups of three). Returns bytes
 * consumed or 0. */
size_t catalog_parse_amount(const char *s, long long *value);

/* Parses the channel table (cach_thuc_thuc_hien) into a JSON array of
 * {channel, time_limit, fees, description[, cases]}. `context` (may be NULL)
 * is searched for a unit when a time cell is a bare number. ORs UNPARSED_*
 * and PARSED_* bits into *flags. */
json_t *catalog_parse_channels(const char *text, const char *context, unsigned *flags);

/* Parses one fee cell ("Miễn phí(...)", "25,000 Việt Nam Đồng", "Không có
 * thông tin"...) at the start of s into a JSON object {text, free,
 * amount_vnd, amount, currency, note}; *len = bytes that belong to the fee
 * (cell and parenthesised note). NULL when s starts with no fee. */
json_t *catalog_parse_fee(const char *s, size_t *len);

/* Parses the component table(s) (thanh_phan_ho_so) into a JSON array of
 * {id "c1".., name, group, originals, copies, quantity, template, kind,
 * required, presentation, condition} (classified as below). Empty array
 * when none. */
json_t *catalog_parse_components(const char *text);

/* Classifies, in place, every component object of the array that has no
 * "kind" yet (ids, names and the order are left unchanged): "kind"
 * "document" (something to hand in or show) or "note" (an instruction or
 * explanation), "required" (true only for a document needed in every
 * case), "presentation" (shown, not handed in: the group "Giấy tờ phải
 * xuất trình" and rows after such a heading), and "condition" (the case in
 * which a conditional document is needed, when it can be split off the
 * name or group; at most 500 bytes). Rules and measured precision in
 * docs/CATALOG.md. */
void catalog_components_classify(json_t *components);

/* The text of raw_text between `title` and `next_title` (malloc'ed), title
 * searched after `after` when given; NULL when absent. */
char *catalog_raw_section(const char *raw, const char *after, const char *title,
                          const char *next_title);

/* Searches text for a time limit within 80 bytes after "thời hạn", "trong
 * vòng", "không quá", "thời gian giải quyết" (any case). */
bool catalog_find_time_after_keyword(const char *text, catalog_time *out);

/* "Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác" -> ["ministry","province",
 * "commune","other"]. */
json_t *catalog_parse_levels(const char *text);

/* Steps of trinh_tu_thuc_hien: one string per line/step. */
json_t *catalog_parse_steps(const char *text);

/* Results of ket_qua_xu_ly: [{name, code}]. */
json_t *catalog_parse_results(const char *text);

/* Legal basis of can_cu_phap_ly: [{title, code}]. */
json_t *catalog_parse_legal(const char *text);

/* Ministry of a bo_nganh slug: code, Vietnamese and English names. False
 * when unknown. */
bool catalog_ministry(const char *slug, const char **code, const char **name_vi,
                      const char **name_en);
/* Number of known ministries and the i-th one (for catalog_owner_agencies). */
int catalog_ministry_count(void);
void catalog_ministry_at(int i, const char **code, const char **name_vi, const char **name_en);

/* Online level heuristic ("full", "partial", "none") of a procedure
 * document and its source texts (see docs/CATALOG.md). */
const char *catalog_online_heuristic(json_t *doc, const char *steps_text,
                                     const char *channels_text);

/* Converts one portal record to a procedure document (without version and
 * form). NULL with a diag when the record has no usable code or name.
 * *flags receives UNPARSED_* / PARSED_* bits. */
json_t *catalog_from_portal(json_t *rec, unsigned *flags, mc_diag *diag);

/* Default eForm (JSON Schema of our subset) for a procedure document:
 * applicant block plus per-procedure blocks inferred from the name. */
json_t *catalog_form_derive(json_t *doc);

/* Checks that `schema` only uses the subset of jsonschema.h with the right
 * value types (type, properties, required, additionalProperties, items,
 * enum, const, minLength, maxLength, pattern, minimum, maximum, minItems,
 * maxItems, format date/email, plus annotations). Returns an array of
 * {path, message, message_vi}; empty when valid. */
json_t *catalog_form_check(json_t *schema);

/* Checks an admin-supplied procedure document (POST/PUT body) against the
 * document schema, plus: unique component ids, channels and levels; a name
 * (and component names) not made of white space only; time limits the
 * calendar can count (at most CALENDAR_MAX_WORKING_DAYS working days; 3650
 * hours or calendar days). Returns the array of errors (JSON paths), empty
 * when valid. */
json_t *catalog_doc_check(json_t *doc);

/* Unit name ("working_days", "days", "hours") and back. */
const char *catalog_unit_name(catalog_unit u);
catalog_unit catalog_unit_parse(const char *name);

#endif
