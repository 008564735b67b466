/* catalog_parse_test.c - unit tests of the portal record parser
 * (catalog_parse.h) on real samples copied from data/procedures-vn.jsonl.gz:
 * channel rows, time limits (units, bare numbers glued to fees, months,
 * ranges, descriptions), fees (free, no information, VND in thousands,
 * USD, notes that contradict "Miễn phí"), component tables (groups,
 * templates, quantities), the classification of components (documents and
 * notes, required or conditional, shown), levels, results, legal basis, the
 * online-level
 * heuristic, eForm derivation and the schema/document checks (costly
 * patterns, time limits the calendar cannot count, blank names, duplicate
 * levels). */
#include "catalog/catalog_parse.h"

#include "core/jsonschema.h"
#include "core/text.h"
#include "testsupport/testsupport.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#define H "Hình thức nộpThời gianPhí, lệ phíMô tả"

/* ---- helpers ---- */

static json_t *channel(json_t *chs, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(chs, i, c)
	{
		if (!strcmp(json_string_value(json_object_get(c, "channel")), name))
			return c;
	}
	return NULL;
}

static double limit_amount(json_t *ch)
{
	return json_number_value(json_object_get(json_object_get(ch, "time_limit"), "amount"));
}

static const char *limit_unit(json_t *ch)
{
	return json_string_value(json_object_get(json_object_get(ch, "time_limit"), "unit"));
}

static const char *limit_source(json_t *ch)
{
	return json_string_value(json_object_get(json_object_get(ch, "time_limit"), "source"));
}

static json_t *fee0(json_t *ch)
{
	return json_array_get(json_object_get(ch, "fees"), 0);
}

static json_int_t fee_vnd(json_t *ch)
{
	json_t *v = json_object_get(fee0(ch), "amount_vnd");
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- time expressions ---- */

static void test_parse_time(void **state)
{
	(void)state;
	catalog_time t;
	assert_true(catalog_parse_time("5 Ngày làm việcMiễn phí", &t));
	assert_true(t.amount == 5 && t.unit == LIMIT_WORKING_DAYS);
	assert_int_equal(t.len, strlen("5 Ngày làm việc"));
	assert_true(catalog_parse_time("0.5 Ngày làm việc", &t));
	assert_true(t.amount == 0.5 && t.unit == LIMIT_WORKING_DAYS);
	assert_true(catalog_parse_time("1,5 ngày", &t));
	assert_true(t.amount == 1.5 && t.unit == LIMIT_DAYS);
	assert_true(catalog_parse_time("Không quá 03 ngày làm việc kể từ", &t));
	assert_true(t.amount == 3 && t.unit == LIMIT_WORKING_DAYS);
	assert_true(catalog_parse_time("10 - 15 Ngày", &t));
	assert_true(t.amount == 15 && t.min == 10 && t.unit == LIMIT_DAYS);
	assert_true(catalog_parse_time("10 đến 15 ngày làm việc", &t));
	assert_true(t.amount == 15 && t.min == 10 && t.unit == LIMIT_WORKING_DAYS);
	assert_true(catalog_parse_time("05 (năm) ngày làm việc kể từ", &t));
	assert_true(t.amount == 5 && t.unit == LIMIT_WORKING_DAYS);
	assert_true(catalog_parse_time("8 GiờMiễn phí", &t));
	assert_true(t.amount == 8 && t.unit == LIMIT_HOURS);
	assert_true(catalog_parse_time("6 Tháng100 USD", &t));
	assert_true(t.amount == 180 && t.unit == LIMIT_DAYS && t.written == 6);
	assert_true(catalog_parse_time("2 tuần", &t));
	assert_true(t.amount == 14 && t.unit == LIMIT_DAYS);
	assert_true(catalog_parse_time("NGÀY LÀM VIỆC", &t) == false);
	/* a bare number keeps LIMIT_NONE */
	assert_true(catalog_parse_time("1Miễn phí", &t));
	assert_true(t.amount == 1 && t.unit == LIMIT_NONE && t.len == 1);
	assert_false(catalog_parse_time("Không có thông tin", &t));
}

static void test_find_time(void **state)
{
	(void)state;
	catalog_time t;
	/* dates and article numbers are not limits */
	assert_false(catalog_find_time("kể từ ngày 01 tháng 7 năm 2025 theo Điều 21 Luật", 0, &t));
	assert_false(catalog_find_time("Nghị định số 123/2015/NĐ-CP ngày 15/11/2015", 0, &t));
	assert_true(catalog_find_time("*Thời hạn giải quyết:\n- Thời hạn tiếp nhận và kiểm tra hồ "
	                              "sơ: 03 ngày làm việc, kể từ khi nhận hồ sơ",
	                              0, &t));
	assert_true(t.amount == 3 && t.unit == LIMIT_WORKING_DAYS);
	/* looking for the unit of a bare "1": "7 ngày" must not match */
	assert_false(catalog_find_time("trong thời hạn 7 ngày", 1, &t));
	assert_true(catalog_find_time("trả kết quả trong 01 ngày làm việc", 1, &t));
	assert_true(t.unit == LIMIT_WORKING_DAYS);
	assert_true(catalog_find_time_after_keyword(
	    "Bước 2. Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ", &t));
	assert_true(t.amount == 5);
	assert_false(catalog_find_time_after_keyword("Nộp 02 bản, sau 10 ngày thì nhận", &t));
}

static void test_amounts(void **state)
{
	(void)state;
	long long v;
	assert_int_equal(catalog_parse_amount("2,000,000 Việt Nam Đồng", &v), 9);
	assert_true(v == 2000000);
	assert_int_equal(catalog_parse_amount("70.000 đồng", &v), 6);
	assert_true(v == 70000);
	assert_int_equal(catalog_parse_amount("25 USD", &v), 2);
	assert_true(v == 25);
	assert_int_equal(catalog_parse_amount("15000000/lần", &v), 8);
	assert_true(v == 15000000);
	assert_int_equal(catalog_parse_amount("1,5 ngày", &v), 1); /* not a group of three */
	assert_int_equal(catalog_parse_amount("Miễn phí", &v), 0);
}

/* ---- channel tables (real cach_thuc_thuc_hien values) ---- */

/* 1.001193 Thủ tục đăng ký khai sinh: bare "1", no unit anywhere */
static void test_channels_birth(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs = catalog_parse_channels(H "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực "
	                                       "tiếp1Miễn phí",
	                                     NULL, &f);
	assert_int_equal(json_array_size(chs), 3);
	assert_string_equal(sget(json_array_get(chs, 0), "channel"), "online");
	assert_string_equal(sget(json_array_get(chs, 1), "channel"), "post");
	assert_string_equal(sget(json_array_get(chs, 2), "channel"), "in_person");
	json_t *on = channel(chs, "online");
	assert_true(limit_amount(on) == 1);
	assert_string_equal(limit_unit(on), "working_days");
	assert_string_equal(limit_source(on), "assumed_unit");
	assert_true(json_is_true(json_object_get(fee0(on), "free")));
	assert_int_equal(fee_vnd(on), 0);
	assert_true(f & PARSED_UNIT_ASSUMED);
	assert_false(f & (UNPARSED_TIME_LIMIT | UNPARSED_FEES | UNPARSED_CHANNELS));
	json_decref(chs);

	/* the same bare number, with the unit written in the steps text */
	f = 0;
	chs = catalog_parse_channels(H "Trực tiếp1Miễn phí", "trả kết quả trong 01 ngày làm việc",
	                             &f);
	assert_string_equal(limit_unit(channel(chs, "in_person")), "working_days");
	assert_string_equal(limit_source(channel(chs, "in_person")), "table+description");
	assert_false(f & PARSED_UNIT_ASSUMED);
	json_decref(chs);
}

/* 1.004002: working days and a VND fee with its note */
static void test_channels_vnd(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs = catalog_parse_channels(
	    H "Trực tuyến2 Ngày làm việc70,000 VNĐ(70.000 đồng/Giấy chứng nhận)Dịch vụ bưu chính2 "
	      "Ngày làm việc70,000 VNĐ(70.000 đồng/Giấy chứng nhận)Trực tiếp2 Ngày làm việc70,000 "
	      "VNĐ(70.000 đồng/Giấy chứng nhận)",
	    NULL, &f);
	assert_int_equal(json_array_size(chs), 3);
	json_t *post = channel(chs, "post");
	assert_true(limit_amount(post) == 2);
	assert_string_equal(limit_unit(post), "working_days");
	assert_int_equal(fee_vnd(post), 70000);
	assert_false(json_is_true(json_object_get(fee0(post), "free")));
	assert_string_equal(sget(fee0(post), "note"), "70.000 đồng/Giấy chứng nhận");
	assert_string_equal(sget(fee0(post), "currency"), "VND");
	assert_int_equal(f, 0);
	json_decref(chs);
}

/* 1.000014 and 2.002032: a bare time "1" glued to a fee in thousands */
static void test_channels_glued_fee(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs = catalog_parse_channels(H "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 "
	                                       "VNĐ(20.000 vnđ /tờ khai)",
	                                     NULL, &f);
	json_t *on = channel(chs, "online");
	assert_true(limit_amount(on) == 1);
	assert_int_equal(fee_vnd(on), 20000);
	assert_int_equal(json_integer_value(json_object_get(fee0(on), "amount")), 20);
	json_decref(chs);

	chs = catalog_parse_channels(H "Trực tuyến1100 VNĐDịch vụ bưu chính1100 VNĐTrực tiếp125 "
	                               "VNĐ",
	                             NULL, &f);
	assert_int_equal(json_array_size(chs), 3);
	assert_true(limit_amount(channel(chs, "online")) == 1);
	assert_int_equal(fee_vnd(channel(chs, "online")), 100000);
	assert_true(limit_amount(channel(chs, "in_person")) == 1);
	assert_int_equal(fee_vnd(channel(chs, "in_person")), 25000);
	json_decref(chs);

	/* 1.005103: thousands separators decide the split: 1 + 40,000 */
	chs = catalog_parse_channels(H "Trực tuyến140,000 Việt Nam Đồng(- Xe ô tô từ 10 chỗ trở "
	                               "lên)- Thời hạn kiểm tra, đánh giá hồ sơ: ngay trong ngày",
	                             NULL, &f);
	on = channel(chs, "online");
	assert_true(limit_amount(on) == 1);
	assert_int_equal(fee_vnd(on), 40000);
	assert_string_equal(sget(fee0(on), "note"), "- Xe ô tô từ 10 chỗ trở lên");
	json_decref(chs);
}

/* 1.001010 months and USD; 3.000141 hours */
static void test_channels_months_usd_hours(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs = catalog_parse_channels(H "Trực tiếp6 Tháng100 USD(100 USD/thẻ.)", NULL, &f);
	json_t *ip = channel(chs, "in_person");
	assert_true(limit_amount(ip) == 180);
	assert_string_equal(limit_unit(ip), "days");
	assert_string_equal(sget(json_object_get(ip, "time_limit"), "text"), "6 Tháng");
	assert_string_equal(sget(fee0(ip), "currency"), "USD");
	assert_int_equal(json_integer_value(json_object_get(fee0(ip), "amount")), 100);
	assert_true(json_is_null(json_object_get(fee0(ip), "amount_vnd")));
	json_decref(chs);

	chs = catalog_parse_channels(H "Trực tuyến8 GiờMiễn phí", NULL, &f);
	assert_int_equal(json_array_size(chs), 1);
	assert_true(limit_amount(channel(chs, "online")) == 8);
	assert_string_equal(limit_unit(channel(chs, "online")), "hours");
	json_decref(chs);
}

/* 2.000293: several rows per channel; the longest limit wins, rows kept */
static void test_channels_cases(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs = catalog_parse_channels(
	    H
	    "Trực tiếp21 Ngày1,000,000 Việt Nam Đồng(1.000.000đ/thẻ ABTC.)Trực tiếp5 Ngày làm "
	    "việc1,000,000 Việt Nam Đồng(1.000.000đ/thẻ ABTC.)Trực tuyến21 Ngày1,000,000 Việt Nam "
	    "Đồng(1.000.000đ/thẻ ABTC.)Trực tuyến5 Ngày làm việc1,000,000 Việt Nam "
	    "Đồng(1.000.000đ/thẻ ABTC.)Dịch vụ bưu chính5 Ngày làm việcKhông có thông tinTrực "
	    "tuyến21 NgàyKhông có thông tin",
	    NULL, &f);
	assert_int_equal(json_array_size(chs), 3);
	json_t *ip = channel(chs, "in_person"), *on = channel(chs, "online");
	assert_true(limit_amount(ip) == 21);
	assert_string_equal(limit_unit(ip), "days");
	assert_int_equal(json_array_size(json_object_get(ip, "cases")), 2);
	assert_int_equal(json_array_size(json_object_get(on, "cases")), 3);
	/* distinct fees only: 1,000,000 and "no information" */
	assert_int_equal(json_array_size(json_object_get(on, "fees")), 2);
	assert_int_equal(fee_vnd(ip), 1000000);
	assert_null(json_object_get(channel(chs, "post"), "cases"));
	json_decref(chs);
}

/* 1.001303: nothing usable; 1.014261: the limit is in the description */
static void test_channels_no_information(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs =
	    catalog_parse_channels(H "Trực tiếpKhông có thông tinKhông có thông tin", NULL, &f);
	json_t *ip = channel(chs, "in_person");
	assert_non_null(ip);
	assert_true(json_is_null(json_object_get(ip, "time_limit")));
	assert_true(json_is_null(json_object_get(fee0(ip), "free")));
	assert_true(f & UNPARSED_TIME_LIMIT);
	assert_false(f & UNPARSED_FEES);
	json_decref(chs);

	f = 0;
	chs = catalog_parse_channels(
	    H "Trực tiếpKhông có thông tin4,000,000 Việt Nam Đồng(theo quy định tại Thông tư số "
	      "10/2024/TT-BTC ngày 05/02/2024 của Bộ trưởng Bộ Tài chính quy định mức thu)*Cách "
	      "thực hiện: Nộp hồ sơ về cơ quan tiếp nhận hồ sơ.\n*Thời hạn giải quyết:\n- Thời hạn "
	      "tiếp nhận và kiểm tra hồ sơ: 03 ngày làm việc, kể từ khi nhận hồ sơ đề nghị của tổ "
	      "chức, cá nhân;\n- Thời hạn thẩm định hồ sơ: 70 ngày",
	    NULL, &f);
	ip = channel(chs, "in_person");
	assert_true(limit_amount(ip) == 3);
	assert_string_equal(limit_source(ip), "description");
	assert_int_equal(fee_vnd(ip), 4000000);
	assert_non_null(strstr(sget(ip, "description"), "*Cách thực hiện"));
	assert_true(f & PARSED_TIME_FROM_TEXT);
	assert_false(f & UNPARSED_TIME_LIMIT);
	json_decref(chs);
}

/* 3.000340: "Miễn phí" whose note lists amounts is not free */
static void test_fee_contradicting_note(void **state)
{
	(void)state;
	size_t len;
	const char *cell = "Miễn phí(Cho một loại hình sản phẩm hoặc dịch vụ: 8.000.000/lần; thêm "
	                   "một loại hình sản phẩm hoặc dịch vụ: 2.000.000/lần.)Dịch vụ bưu chính";
	json_t *fee = catalog_parse_fee(cell, &len);
	assert_non_null(fee);
	assert_true(json_is_false(json_object_get(fee, "free")));
	assert_true(json_is_null(json_object_get(fee, "amount_vnd")));
	assert_string_equal(sget(fee, "note"),
	                    "Cho một loại hình sản phẩm hoặc dịch vụ: 8.000.000/lần; "
	                    "thêm một loại hình sản phẩm hoặc dịch vụ: 2.000.000/lần.");
	assert_string_equal(cell + len, "Dịch vụ bưu chính");
	json_decref(fee);
	/* a note without amounts keeps it free */
	fee = catalog_parse_fee("Miễn phí(Mức lệ phí (nếu có) theo quy định của Hội đồng nhân dân "
	                        "cấp tỉnh.)rest",
	                        &len);
	assert_true(json_is_true(json_object_get(fee, "free")));
	assert_int_equal(len, strlen("Miễn phí(Mức lệ phí (nếu có) theo quy định của Hội đồng "
	                             "nhân dân cấp tỉnh.)"));
	json_decref(fee);
	assert_null(catalog_parse_fee("Tại Trung tâm phục vụ hành chính công", &len));
}

/* 1.009824: a text time cell; 1.002992: spelled numbers in the description */
static void test_channels_text_cells(void **state)
{
	(void)state;
	unsigned f = 0;
	json_t *chs = catalog_parse_channels(
	    H "Trực tiếpHệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi tự "
	      "động thông qua phương thức điện tử.Không có thông tinTại Trung tâm phục vụ hành "
	      "chính công cấp tỉnh, xãTrực tuyếnHệ thống giải quyết thủ tục hành chính ngành Thuế "
	      "thực hiện phản hồi tự động thông qua phương thức điện tử.Không có thông tinQua "
	      "Cổng dịch vụ công Quốc gia",
	    NULL, &f);
	assert_int_equal(json_array_size(chs), 2);
	json_t *ip = channel(chs, "in_person");
	assert_true(json_is_null(json_object_get(ip, "time_limit")));
	assert_string_equal(sget(ip, "description"), "Tại Trung tâm phục vụ hành chính công cấp "
	                                             "tỉnh, xã");
	assert_true(f & UNPARSED_TIME_LIMIT);
	json_decref(chs);

	f = 0;
	chs = catalog_parse_channels(
	    H
	    "Trực tuyến5 Ngày làm việcMiễn phí05 (năm) ngày làm việc kể từ ngày nhận hồ sơ đầy "
	    "đủ, hợp lệ.Dịch vụ bưu chính5 Ngày làm việcMiễn phí05 (năm) ngày làm việc kể từ ngày "
	    "nhận hồ sơ đầy đủ, hợp lệ.Trực tiếp5 Ngày làm việcMiễn phí05 (năm) ngày làm việc kể "
	    "từ ngày nhận hồ sơ đầy đủ, hợp lệ.",
	    NULL, &f);
	assert_int_equal(json_array_size(chs), 3);
	assert_string_equal(limit_source(channel(chs, "post")), "table");
	assert_string_equal(sget(channel(chs, "post"), "description"),
	                    "05 (năm) ngày làm việc kể từ ngày nhận hồ sơ đầy đủ, hợp lệ.");
	assert_int_equal(f, 0);
	json_decref(chs);

	/* "Trực tiếp tại ..." inside a description is not a row */
	f = 0;
	chs = catalog_parse_channels(H "Trực tiếp3 Ngày làm việcKhông có thông tinTrực tiếp, qua "
	                               "mạng thông tin điện tử.",
	                             NULL, &f);
	assert_int_equal(json_array_size(chs), 1);
	json_decref(chs);
}

/* ---- components ---- */

/* 1.000823: templates glued to the name */
static void test_components_templates(void **state)
{
	(void)state;
	json_t *c = catalog_parse_components(
	    "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị chuyển đổi Giấy phép theo Mẫu số 08 "
	    "quy định tại Phụ lục II ban hành kèm theo Nghị định số 121/2021/NĐ-CP ngày "
	    "27/12/2021;Mus08.docx1 bản chínhBáo cáo tình hình thực hiện thu, chi ngoại tệ theo "
	    "Mẫu "
	    "số 09 quy định tại Phụ lục II ban hành kèm theo Nghị định số 121/2021/NĐ-CP ngày "
	    "27/12/2021.Mus09.docx1 bản chínhQuy chế quản lý, kiểm soát nội bộ đối với nguồn thu, "
	    "chi ngoại tệ do người đại diện theo pháp luật của doanh nghiệp ký;1 bản chính");
	assert_int_equal(json_array_size(c), 3);
	json_t *c1 = json_array_get(c, 0);
	assert_string_equal(sget(c1, "id"), "c1");
	assert_string_equal(sget(c1, "template"), "Mus08.docx");
	assert_string_equal(sget(c1, "name"),
	                    "Đơn đề nghị chuyển đổi Giấy phép theo Mẫu số 08 quy định tại Phụ lục "
	                    "II ban hành kèm theo Nghị định số 121/2021/NĐ-CP ngày 27/12/2021");
	assert_null(json_object_get(c1, "group")); /* "--" is no title */
	assert_string_equal(sget(json_array_get(c, 1), "template"), "Mus09.docx");
	assert_string_equal(sget(json_array_get(c, 2), "id"), "c3");
	assert_null(json_object_get(json_array_get(c, 2), "template"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(c, 2), "originals")), 1);
	json_decref(c);
}

/* 1.001193 (excerpt): two groups, bullets, 0-quantity notes */
static void test_components_groups(void **state)
{
	(void)state;
	json_t *c = catalog_parse_components(
	    "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Trường hợp trẻ em bị bỏ rơi "
	    "thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.1 bản "
	    "chínhTrường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh thì không phải nộp "
	    "bản giấy.0 bản chính- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp "
	    "văn bản của người làm chứng xác nhận về việc sinh.1 bản chính* Giấy tờ phải xuất "
	    "trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Hộ chiếu/Thẻ căn cước công dân/Thẻ căn "
	    "cước "
	    "hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân, còn giá trị sử dụng");
	assert_int_equal(json_array_size(c), 4);
	json_t *c1 = json_array_get(c, 0), *c2 = json_array_get(c, 1), *c4 = json_array_get(c, 3);
	assert_string_equal(sget(c1, "group"), "Giấy tờ phải nộp");
	assert_true(text_starts_with(sget(c1, "name"), "Trường hợp trẻ em bị bỏ rơi"));
	assert_int_equal(json_integer_value(json_object_get(c2, "originals")), 0);
	assert_string_equal(sget(c2, "quantity"), "0 bản chính");
	/* the last row was cut without its quantity: kept, quantity unknown */
	assert_string_equal(sget(c4, "group"), "Giấy tờ phải xuất trình");
	assert_true(text_starts_with(sget(c4, "name"), "Hộ chiếu/Thẻ căn cước công dân"));
	assert_true(json_is_null(json_object_get(c4, "originals")));
	json_decref(c);
}

/* 2.000769, 1.007664, 1.003777: names with digits, copies, lower-case rows */
static void test_components_quantities(void **state)
{
	(void)state;
	json_t *c = catalog_parse_components(
	    "--Tên giấy tờMẫu đơn, tờ khaiSố lượng03 ảnh màu kích thước 2x3 cm chụp không quá 06 "
	    "tháng1 bản chínhĐơn đề nghị cấp lại chứng chỉ theo mẫu quy định tại Phụ lục XVI "
	    "Thông tư số 14/2025/TT-BXD ngày 30 tháng 6 năm 2025 của Bộ trưởng Bộ Xây dựng quy "
	    "định về đào tạo lái xe1 bản chính");
	assert_int_equal(json_array_size(c), 2);
	assert_string_equal(sget(json_array_get(c, 0), "name"),
	                    "03 ảnh màu kích thước 2x3 cm chụp không quá 06 tháng");
	json_decref(c);

	c = catalog_parse_components(
	    "Ngoài hồ sơ miễn thuế nêu trên, tùy từng trường hợp người nộp thuế phải nộp thêmTên "
	    "giấy tờMẫu đơn, tờ khaiSố lượngGiấy phép lao động hoặc văn bản có giá trị tương đương "
	    "đến công tác, làm việc tại Việt Nam từ 12 (mười hai) tháng trở lên0 bản chính,1 bản "
	    "saoMột trong các giấy tờ sau: Thẻ Căn cước công dân, Chứng minh nhân dân0 bản "
	    "chính,1 bản saoBản sao 01 bản chính hoặc bản sao có chứng thực quyết định2 bản sao");
	assert_int_equal(json_array_size(c), 3);
	json_t *c1 = json_array_get(c, 0);
	assert_int_equal(json_integer_value(json_object_get(c1, "originals")), 0);
	assert_int_equal(json_integer_value(json_object_get(c1, "copies")), 1);
	assert_string_equal(sget(c1, "quantity"), "0 bản chính,1 bản sao");
	assert_string_equal(sget(c1, "group"), "Ngoài hồ sơ miễn thuế nêu trên, tùy từng trường "
	                                       "hợp người nộp thuế phải nộp thêm");
	/* "01 bản chính hoặc..." inside a name does not end the row */
	json_t *c3 = json_array_get(c, 2);
	assert_string_equal(sget(c3, "name"),
	                    "Bản sao 01 bản chính hoặc bản sao có chứng thực quyết định");
	assert_int_equal(json_integer_value(json_object_get(c3, "copies")), 2);
	json_decref(c);

	c = catalog_parse_components(
	    "Hồ sơ hưởng chế độ hằng tháng, gồm:Tên giấy tờMẫu đơn, tờ khaiSố lượngBản khai cá "
	    "nhân (Mẫu số 03).Mẫu 03.TT41.doc1 bản chínhHồ sơ đề nghị xét hưởng chế độ trợ cấp Tên "
	    "giấy tờMẫu đơn, tờ khaiSố lượngkèm theo danh sách đề nghị giải quyết chế độ trợ cấp "
	    "(Mẫu số 02);Mẫu 02.TT41.doc1 bản chínhhoặc bản khai cá nhân dùng cho thân nhân của "
	    "cán "
	    "bộ, chiến sĩ (Mẫu số 04);1 bản chính");
	assert_int_equal(json_array_size(c), 3);
	assert_string_equal(sget(json_array_get(c, 0), "template"), "Mẫu 03.TT41.doc");
	assert_string_equal(sget(json_array_get(c, 0), "group"),
	                    "Hồ sơ hưởng chế độ hằng tháng, gồm");
	assert_string_equal(sget(json_array_get(c, 1), "group"),
	                    "Hồ sơ đề nghị xét hưởng chế độ trợ cấp");
	assert_string_equal(sget(json_array_get(c, 1), "template"), "Mẫu 02.TT41.doc");
	assert_true(text_starts_with(sget(json_array_get(c, 2), "name"), "hoặc bản khai cá nhân"));
	json_decref(c);

	/* no table at all */
	c = catalog_parse_components("--");
	assert_int_equal(json_array_size(c), 0);
	json_decref(c);
}

/* ---- component classification ---- */

static const char *kind(json_t *c)
{
	return sget(c, "kind");
}

static bool required(json_t *c)
{
	json_t *r = json_object_get(c, "required");
	assert_true(json_is_boolean(r));
	return json_is_true(r);
}

static bool shown(json_t *c)
{
	json_t *r = json_object_get(c, "presentation");
	assert_true(json_is_boolean(r));
	return json_is_true(r);
}

/* A conditional document with the given condition (NULL: none split off). */
static void assert_conditional(json_t *c, const char *condition)
{
	assert_string_equal(kind(c), "document");
	assert_false(required(c));
	if (condition)
		assert_string_equal(sget(c, "condition"), condition);
	else
		assert_null(json_object_get(c, "condition"));
}

static void assert_required(json_t *c)
{
	assert_string_equal(kind(c), "document");
	assert_true(required(c));
	assert_null(json_object_get(c, "condition"));
}

static void assert_note(json_t *c)
{
	assert_string_equal(kind(c), "note");
	assert_false(required(c));
	assert_null(json_object_get(c, "condition"));
}

/* The record of `code` in the shipped data file (MOTCUA_DATA_SOURCE). */
static json_t *shipped_record(const char *code)
{
	char *path = testsupport_data_path("procedures-vn.jsonl.gz");
	gzFile f = gzopen(path, "rb");
	free(path);
	assert_non_null(f);
	size_t cap = 1 << 20;
	char *line = malloc(cap);
	assert_non_null(line);
	char key[64];
	snprintf(key, sizeof key, "\"ma_thu_tuc\": \"%s\"", code);
	json_t *rec = NULL;
	while (!rec && gzgets(f, line, (int)cap)) {
		if (strstr(line, key))
			rec = json_loads(line, 0, NULL);
	}
	free(line);
	gzclose(f);
	assert_non_null(rec);
	return rec;
}

/* 1.001193 (birth registration) as shipped: 33 rows, ids unchanged, notes
 * told from documents, conditional documents with their case. */
static void test_classify_birth_record(void **state)
{
	(void)state;
	json_t *rec = shipped_record("1.001193");
	unsigned flags;
	mc_diag d = {0};
	json_t *doc = catalog_from_portal(rec, &flags, &d);
	assert_non_null(doc);
	json_t *c = json_object_get(doc, "components");
	assert_int_equal(json_array_size(c), 33);
	for (size_t i = 0; i < 33; i++) {
		char id[8];
		snprintf(id, sizeof id, "c%zu", i + 1);
		assert_string_equal(sget(json_array_get(c, i), "id"), id);
	}
	/* c1: a document needed in one case only */
	assert_conditional(json_array_get(c, 0), "Trường hợp trẻ em bị bỏ rơi");
	/* c2: the power of attorney, "trong trường hợp ủy quyền ..." */
	assert_conditional(json_array_get(c, 1),
	                   "trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh");
	/* c3: "... thì không phải nộp bản giấy" (0 bản chính) is a note */
	assert_note(json_array_get(c, 2));
	assert_false(shown(json_array_get(c, 2)));
	/* c5: the birth certificate; the alternatives after ";" do not make it
	 * conditional */
	assert_true(text_starts_with(sget(json_array_get(c, 4), "name"), "Giấy chứng sinh;"));
	assert_required(json_array_get(c, 4));
	/* c6: what the registry does when data are missing, in the "shown" group */
	assert_note(json_array_get(c, 5));
	assert_true(shown(json_array_get(c, 5)));
	/* c7: proof of residence, shown, only when the registry cannot look it up */
	assert_string_equal(kind(json_array_get(c, 6)), "document");
	assert_false(required(json_array_get(c, 6)));
	assert_true(shown(json_array_get(c, 6)));
	/* c11: the identity paper is shown, in every case */
	assert_true(text_starts_with(sget(json_array_get(c, 10), "name"), "Hộ chiếu/Thẻ căn cước"));
	assert_required(json_array_get(c, 10));
	assert_true(shown(json_array_get(c, 10)));
	/* c12..c30: the "Lưu ý" group */
	for (size_t i = 11; i < 30; i++) {
		assert_string_equal(sget(json_array_get(c, i), "group"), "Lưu ý");
		assert_note(json_array_get(c, i));
	}
	/* c31: the heading "... các giấy tờ sau:" */
	assert_note(json_array_get(c, 30));
	/* c32/c33: the paper form for in-person and post, the interactive form
	 * online */
	assert_true(
	    text_starts_with(sget(json_array_get(c, 31), "name"), "Tờ khai đăng ký khai sinh"));
	assert_conditional(json_array_get(c, 31),
	                   "nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc "
	                   "gửi hồ sơ qua hệ thống bưu chính");
	assert_false(shown(json_array_get(c, 31)));
	assert_true(text_starts_with(sget(json_array_get(c, 32), "name"), "Mẫu hộ tịch điện tử"));
	assert_conditional(json_array_get(c, 32),
	                   "nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến");
	/* the imported document passes the admin document check */
	json_t *e = catalog_doc_check(doc);
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	json_decref(doc);
	json_decref(rec);
}

/* Quantities are not the whole story: customs tables give 0 for real
 * documents (1.007844, 1.007863), and "Số lượng hồ sơ: 01 (bộ)" has a
 * quantity (1.010337). */
static void test_classify_quantities(void **state)
{
	(void)state;
	json_t *c = catalog_parse_components(
	    "--Tên giấy tờMẫu đơn, tờ khaiSố lượnga) Tờ khai hàng hóa xuất khẩu;0 bản chínhb) Văn "
	    "bản chấp nhận nhận lại hàng của chủ hàng nước ngoài (nếu hàng xuất khẩu trả lại cho "
	    "chủ hàng bán lô hàng này): nộp 01 bản chụp;0 bản chính+ Hóa đơn thương mại trong "
	    "trường hợp người mua phải thanh toán cho người bán: 01 bản chụp;0 bản chínhĐối với "
	    "chứng từ quy định tại điểm d, điểm đ khoản này, nếu áp dụng cơ chế một cửa quốc gia, "
	    "cơ quan quản lý nhà nước chuyên ngành gửi giấy phép nhập khẩu0 bản chínhSố lượng hồ "
	    "sơ: 01 (bộ).1 bản chính5. Đơn vị nhận hồ sơ dự thi chỉ nhận hồ sơ khi người đăng ký "
	    "dự thi nộp đầy đủ giấy tờ trên và nộp đủ chi phí dự thi.0 bản chính");
	assert_int_equal(json_array_size(c), 6);
	assert_required(json_array_get(c, 0));
	/* the enumeration label is skipped, the case ends at the parenthesis */
	assert_conditional(json_array_get(c, 1),
	                   "nếu hàng xuất khẩu trả lại cho chủ hàng bán lô hàng này");
	/* ... or at the colon before the quantity */
	assert_conditional(json_array_get(c, 2),
	                   "trong trường hợp người mua phải thanh toán cho người bán");
	assert_note(json_array_get(c, 3));
	assert_note(json_array_get(c, 4));
	/* "Đơn vị" (unit) is not "Đơn" (application) */
	assert_note(json_array_get(c, 5));
	json_decref(c);
}

/* Instructions with a quantity, and documents whose names mention
 * exemptions or requirements (1.010029, 1.008759, 1.007695, 1.009284,
 * 1.001477, 1.007657). */
static void test_classify_notes(void **state)
{
	(void)state;
	json_t *c = catalog_parse_components(
	    "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTrường hợp ủy quyền cho đơn vị cung cấp dịch vụ "
	    "bưu chính không phải là bưu chính công ích thực hiện thủ tục đăng ký doanh nghiệp thì "
	    "việc ủy quyền thực hiện theo quy định tại điểm b khoản 2 Điều 12.1 bản chínhNgười ủy "
	    "quyền và người được ủy quyền thực hiện thủ tục đăng ký doanh nghiệp chịu trách nhiệm "
	    "trước pháp luật về tính hợp pháp.1 bản chính+++ Bản sao không yêu cầu chứng thực "
	    "Quyết định chia/Hợp đồng hợp nhất/Hợp đồng sáp nhập hoặc văn bản tương đương;0 bản "
	    "chính,1 bản saoBản sao các giấy tờ chứng minh thuộc diện được miễn, giảm thuế (nếu "
	    "có)0 bản chính,1 bản saoGiấy tờ  do cơ quan, tổ chức nước ngoài cấp hoặc công chứng, "
	    "chứng thực ở nước ngoài phải được hợp pháp hóa lãnh sự theo quy định của pháp luật "
	    "Việt Nam.1 bản chính+ Quy định nội bộ của ngân hàng được phép về hoạt động xuất "
	    "khẩu, nhập khẩu ngoại tệ tiền mặt phải đảm bảo tuân thủ theo quy định của Ngân hàng "
	    "Nhà nước Việt Nam;1 bản chínhCông văn đề nghị miễn thuế của bộ, cơ quan ngang bộ, "
	    "trong đó nêu rõ lý do, số lượng, chủng loại và trị giá hàng hóa1 bản chínhHồ sơ xác "
	    "định đối tượng được miễn thuế thu nhập cá nhân, không phải nộp thuế thu nhập cá nhân "
	    "theo quy định1 bản chính,1 bản sao");
	assert_int_equal(json_array_size(c), 8);
	assert_note(json_array_get(c, 0));
	assert_note(json_array_get(c, 1));
	assert_required(json_array_get(c, 2));
	assert_conditional(json_array_get(c, 3), "nếu có");
	/* a rule about papers in general */
	assert_note(json_array_get(c, 4));
	/* the same words about a named document */
	assert_required(json_array_get(c, 5));
	/* "nêu rõ" (state) is not "nếu" (if) */
	assert_required(json_array_get(c, 6));
	/* "không phải nộp thuế" is about a tax, not about papers */
	assert_required(json_array_get(c, 7));
	json_decref(c);

	/* "nếu" written with a combining acute accent (as in 429 names) */
	c = catalog_parse_components("--Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy phép hàng quá "
	                             "cảnh (n\xC3\xAA\xCC\x81u có)1 bản chính");
	assert_conditional(json_array_get(c, 0), "n\xC3\xAA\xCC\x81u có");
	json_decref(c);
}

/* Leading cases, group cases and lists (1.001695, 1.014466, 1.003878,
 * 1.013205). */
static void test_classify_conditions(void **state)
{
	(void)state;
	json_t *c = catalog_parse_components(
	    "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTrường hợp không có Giấy chứng sinh thì nộp văn "
	    "bản của người làm chứng xác nhận về việc sinh.1 bản chínhTrường hợp tổ chức, cá nhân "
	    "nộp hồ sơ bằng bản giấy, các tài liệu gồm: Báo cáo kết quả thăm dò khoáng sản1 bản "
	    "chínhTrường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận "
	    "của cơ sở y tế.1 bản chính+ Nộp cho Cảng vụ hàng hải/Cảng vụ đường thủy nội địa: Bản "
	    "khai chung theo mẫu, Danh sách thuyền viên theo mẫu, Danh sách hành khách (nếu có) "
	    "theo mẫu, Bản khai hàng hóa nguy hiểm (nếu có) theo mẫu;1 bản chính");
	assert_int_equal(json_array_size(c), 4);
	assert_conditional(json_array_get(c, 0), "Trường hợp không có Giấy chứng sinh");
	assert_conditional(json_array_get(c, 1),
	                   "Trường hợp tổ chức, cá nhân nộp hồ sơ bằng bản giấy");
	assert_conditional(json_array_get(c, 2),
	                   "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ");
	/* "(nếu có)" after a list of names qualifies the last name only */
	assert_required(json_array_get(c, 3));
	json_decref(c);

	/* the group states the case; "Giấy tờ phải xuất trình:" rows switch the
	 * following rows of the group to "shown" until "Giấy tờ phải nộp:" */
	c = catalog_parse_components(
	    "* Trường hợp kiểm định lần đầuTên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy tờ phải "
	    "nộp:0 bản chínhBản chà số khung, số động cơ của xe1 bản chính- Giấy tờ phải xuất "
	    "trình:0 bản chínhBản chính giấy chứng nhận cải tạo của xe (đối với xe cải tạo)1 bản "
	    "chính* Trường hợp kiểm định định kỳTên giấy tờMẫu đơn, tờ khaiSố lượngBản chà số "
	    "khung, số động cơ của xe1 bản chính");
	assert_int_equal(json_array_size(c), 5);
	assert_note(json_array_get(c, 0));
	assert_false(shown(json_array_get(c, 0)));
	assert_conditional(json_array_get(c, 1), "Trường hợp kiểm định lần đầu");
	assert_false(shown(json_array_get(c, 1)));
	assert_note(json_array_get(c, 2));
	assert_conditional(json_array_get(c, 3), "đối với xe cải tạo");
	assert_true(shown(json_array_get(c, 3)));
	/* a new group starts "handed in" again */
	assert_conditional(json_array_get(c, 4), "Trường hợp kiểm định định kỳ");
	assert_false(shown(json_array_get(c, 4)));
	json_decref(c);

	/* a case inside a group title counts when the table has several groups
	 * (1.003650); "(*)" is an enumeration label (1.008596) */
	static const char ships[] =
	    "1) Hồ sơ đối với tàu đóng mới gồmTên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai đăng ký "
	    "tàu biển1 bản chính2) Hồ sơ đối với tàu cải hoán gồmTên giấy tờMẫu đơn, tờ khaiSố "
	    "lượngHợp đồng cải hoán tàu1 bản sao(*) Trường hợp xóa nợ tiền thuế phát sinh trước "
	    "ngày 01/7/2007Tên giấy tờMẫu đơn, tờ khaiSố lượngCác thông báo về thực hiện nộp tiền "
	    "thuế nợ0 bản chính,1 bản sao";
	c = catalog_parse_components(ships);
	assert_int_equal(json_array_size(c), 3);
	assert_conditional(json_array_get(c, 0), "Hồ sơ đối với tàu đóng mới gồm");
	assert_conditional(json_array_get(c, 1), "Hồ sơ đối với tàu cải hoán gồm");
	assert_conditional(json_array_get(c, 2), "Trường hợp xóa nợ tiền thuế phát sinh trước "
	                                         "ngày 01/7/2007");
	json_decref(c);
	/* the only group of a table states the procedure's scope, not a case */
	c = catalog_parse_components("Hồ sơ miễn thuế đối với Tài sản di chuyểnTên giấy tờMẫu đơn, "
	                             "tờ khaiSố lượngCông văn đề nghị miễn thuế1 bản chính");
	assert_required(json_array_get(c, 0));
	json_decref(c);
}

/* Components that already have a kind (an admin's) are left alone; others
 * are classified without a quantity. */
static void test_classify_given(void **state)
{
	(void)state;
	json_t *c =
	    json_loads("[{\"id\":\"a\",\"name\":\"Giấy phép (nếu có)\",\"kind\":\"document\","
	               "\"required\":true},{\"id\":\"b\",\"name\":\"Tờ khai\"},{\"id\":\"c\","
	               "\"name\":\"Lưu ý: nộp bản chụp rõ nét\"},{\"id\":\"d\",\"name\":"
	               "\"Chứng minh nhân dân\"},{\"id\":\"e\",\"name\":\"Chứng minh nhân "
	               "dân\",\"originals\":0,\"copies\":0}]",
	               0, NULL);
	catalog_components_classify(c);
	json_t *a = json_array_get(c, 0);
	assert_true(required(a));
	assert_null(json_object_get(a, "condition"));
	assert_null(json_object_get(a, "presentation"));
	assert_required(json_array_get(c, 1));
	assert_note(json_array_get(c, 2));
	/* without quantities (an admin's row) a name is a document unless it
	 * reads as a note; with a 0 quantity it must read as a document */
	assert_required(json_array_get(c, 3));
	assert_note(json_array_get(c, 4));
	assert_string_equal(sget(json_array_get(c, 1), "id"), "b");
	json_decref(c);
}

static void test_raw_section(void **state)
{
	(void)state;
	const char *raw =
	    "Trình Tự Thực HiệnNLĐ lập hồ sơ theo mục 5.3 (Thành phần hồ sơ); nộp "
	    "hồ sơ.Cách Thức Thực Hiện" H "Trực tuyến6 Ngày làm việcMiễn phíThành "
	    "phần hồ sơ1. Đối với việc thanh toánTên giấy tờMẫu đơn, tờ khaiSố lượngTờ "
	    "khai1 bản chínhCăn cứ pháp lýTên văn bản pháp lý";
	char *s = catalog_raw_section(raw, H, "Thành phần hồ sơ", "Căn cứ pháp lý");
	assert_non_null(s);
	assert_true(text_starts_with(s, "1. Đối với việc thanh toán"));
	json_t *c = catalog_parse_components(s);
	assert_int_equal(json_array_size(c), 1);
	assert_string_equal(sget(json_array_get(c, 0), "name"), "Tờ khai");
	json_decref(c);
	free(s);
	assert_null(catalog_raw_section(raw, NULL, "Thành phần hồ sơ", "Không có"));
}

/* ---- levels, results, legal basis, steps ---- */

static void test_levels(void **state)
{
	(void)state;
	json_t *l = catalog_parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã");
	assert_int_equal(json_array_size(l), 3);
	assert_string_equal(json_string_value(json_array_get(l, 0)), "ministry");
	assert_string_equal(json_string_value(json_array_get(l, 2)), "commune");
	json_decref(l);
	l = catalog_parse_levels("Cấp xã, Cơ quan khác");
	assert_int_equal(json_array_size(l), 2);
	assert_string_equal(json_string_value(json_array_get(l, 0)), "commune");
	assert_string_equal(json_string_value(json_array_get(l, 1)), "other");
	json_decref(l);
	l = catalog_parse_levels("Cấp huyện");
	assert_int_equal(json_array_size(l), 0);
	json_decref(l);
}

static void test_results_legal_steps(void **state)
{
	(void)state;
	json_t *r = catalog_parse_results(
	    "Giấy chứng nhận cải tạoMã: KQ.G04.000501Giấy chứng nhận kiểm định, tem kiểm định (xe "
	    "cơ giới, xe máy chuyên dùng)Mã: KQ.G04.000495Từ khóaKhông có thông tinMô tảKhông có "
	    "thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ");
	assert_int_equal(json_array_size(r), 2);
	assert_string_equal(sget(json_array_get(r, 0), "name"), "Giấy chứng nhận cải tạo");
	assert_string_equal(sget(json_array_get(r, 0), "code"), "KQ.G04.000501");
	assert_string_equal(sget(json_array_get(r, 1), "code"), "KQ.G04.000495");
	json_decref(r);

	json_t *l = catalog_parse_legal(
	    "Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền "
	    "quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung "
	    "ương85/2019/TT-BTCNghị "
	    "định số 123/2015/NĐ-CP ngày 15/11/2015 của  Chính phủ quy định chi tiết một số điều "
	    "và "
	    "biện pháp thi  hành Luật Hộ tịch123/2015/NĐ-CPThông tư số 08/2025/TT-BTP ngày "
	    "12/6/2025 "
	    "của Bộ trưởng Bộ Tư pháp08/2025/TT-BTPLuật 60/2014/QH1360/2014/QH13");
	assert_int_equal(json_array_size(l), 4);
	assert_string_equal(sget(json_array_get(l, 0), "code"), "85/2019/TT-BTC");
	assert_true(text_starts_with(sget(json_array_get(l, 0), "title"), "Thông tư Hướng dẫn"));
	assert_string_equal(sget(json_array_get(l, 1), "code"), "123/2015/NĐ-CP");
	assert_true(text_starts_with(sget(json_array_get(l, 1), "title"), "Nghị định số 123/2015"));
	assert_string_equal(sget(json_array_get(l, 2), "code"), "08/2025/TT-BTP");
	assert_string_equal(sget(json_array_get(l, 3), "code"), "60/2014/QH13");
	assert_string_equal(sget(json_array_get(l, 3), "title"), "Luật 60/2014/QH13");
	json_decref(l);

	json_t *s = catalog_parse_steps("Bước 1: Chủ sổ nộp hồ sơ;\n\nBước 2: VCCI kiểm tra.\n  ");
	assert_int_equal(json_array_size(s), 2);
	assert_string_equal(json_string_value(json_array_get(s, 1)), "Bước 2: VCCI kiểm tra.");
	json_decref(s);
}

/* ---- whole records ---- */

static json_t *birth_record(void)
{
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ma_thu_tuc",
	    "1.001193", "ten_thu_tuc", "Thủ tục đăng ký khai sinh", "cap_thuc_hien", "Cấp xã",
	    "linh_vuc", "Hộ tịch", "doi_tuong_thuc_hien",
	    "Công dân Việt Nam, Người Việt Nam định cư ở nước ngoài", "co_quan_thuc_hien",
	    "Không có thông tin", "trinh_tu_thuc_hien",
	    "- Nếu lựa chọn hình thức nộp hồ sơ trực tuyến, người yêu cầu đăng ký khai sinh truy "
	    "cập Cổng dịch vụ công quốc gia.\nNgười yêu cầu nộp phí, lệ phí thông qua chức năng "
	    "thanh toán trực tuyến.",
	    "cach_thuc_thuc_hien",
	    H "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí", "thanh_phan_ho_so",
	    "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy chứng sinh; trường hợp "
	    "không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh.1 "
	    "bản chính",
	    "can_cu_phap_ly", "Tên văn bản pháp lýMã văn bảnLuật 60/2014/QH1360/2014/QH13",
	    "ket_qua_xu_ly", "Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tin", "bo_nganh",
	    "bo-tu-phap", "yeu_cau_dieu_kien", "Không có thông tin");
}

static void test_from_portal(void **state)
{
	(void)state;
	json_t *rec = birth_record();
	unsigned f;
	mc_diag d = {0};
	json_t *doc = catalog_from_portal(rec, &f, &d);
	assert_non_null(doc);
	assert_string_equal(sget(doc, "code"), "1.001193");
	assert_string_equal(sget(doc, "name"), "Thủ tục đăng ký khai sinh");
	assert_string_equal(sget(doc, "ministry"), "BTP");
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "agency"), 0)),
	                    "BTP");
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "level"), 0)),
	                    "commune");
	assert_string_equal(sget(doc, "field"), "Hộ tịch");
	assert_true(json_is_null(json_object_get(doc, "implementing_agency")));
	assert_true(json_is_null(json_object_get(doc, "conditions")));
	assert_int_equal(json_array_size(json_object_get(doc, "channels")), 3);
	assert_int_equal(json_array_size(json_object_get(doc, "components")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "steps")), 2);
	assert_string_equal(sget(json_array_get(json_object_get(doc, "result"), 0), "name"),
	                    "Giấy khai sinh");
	/* online channel, free, online payment described, paper result: full */
	assert_string_equal(sget(doc, "online_level"), "full");
	assert_false(f & (UNPARSED_TIME_LIMIT | UNPARSED_COMPONENTS | UNPARSED_LEVEL));
	double amount;
	assert_int_equal(catalog_time_limit(doc, "online", &amount), LIMIT_WORKING_DAYS);
	assert_true(amount == 1);
	json_decref(doc);

	/* a passport is collected in person: partial; no online row: none */
	json_object_set_new(rec, "ket_qua_xu_ly",
	                    json_string("Hộ chiếu phổ thông có gắn chíp điện tử.Mã: "
	                                "KQ.G01.000083Từ khóa"));
	doc = catalog_from_portal(rec, &f, &d);
	assert_string_equal(sget(doc, "online_level"), "partial");
	json_decref(doc);
	json_object_set_new(rec, "cach_thuc_thuc_hien",
	                    json_string(H "Trực tiếp5 Ngày làm việc200,000 Việt Nam Đồng"));
	doc = catalog_from_portal(rec, &f, &d);
	assert_string_equal(sget(doc, "online_level"), "none");
	assert_int_equal(catalog_time_limit(doc, "online", &amount), LIMIT_WORKING_DAYS);
	assert_true(amount == 5); /* falls back to another channel */
	json_decref(doc);

	/* unusable records */
	json_object_set_new(rec, "ma_thu_tuc", json_string("1.001193'; DROP TABLE x"));
	assert_null(catalog_from_portal(rec, &f, &d));
	json_object_del(rec, "ma_thu_tuc");
	assert_null(catalog_from_portal(rec, &f, &d));
	json_t *arr = json_array();
	assert_null(catalog_from_portal(arr, &f, &d));
	json_decref(arr);
	json_decref(rec);
}

static void test_ministries(void **state)
{
	(void)state;
	const char *code, *vi, *en;
	assert_true(catalog_ministry("bo-cong-an", &code, &vi, &en));
	assert_string_equal(code, "BCA");
	assert_string_equal(en, "Ministry of Public Security");
	assert_true(catalog_ministry("ngan-hang-nha-nuoc", &code, &vi, &en));
	assert_string_equal(code, "NHNN");
	assert_string_equal(vi, "Ngân hàng Nhà nước Việt Nam");
	assert_true(catalog_ministry("toa-an-nhan-dan", &code, NULL, NULL));
	assert_string_equal(code, "TANDTC");
	assert_false(catalog_ministry("bo-ngoai-giao", &code, NULL, NULL));
	assert_int_equal(catalog_ministry_count(), 7);
}

/* ---- eForms ---- */

static void test_form_birth(void **state)
{
	(void)state;
	json_t *rec = birth_record();
	unsigned f;
	json_t *doc = catalog_from_portal(rec, &f, NULL);
	json_t *form = catalog_form_derive(doc);
	json_t *errs = catalog_form_check(form);
	assert_int_equal(json_array_size(errs), 0); /* derived forms stay in the subset */
	json_decref(errs);
	json_t *props = json_object_get(form, "properties");
	assert_non_null(json_object_get(props, "applicant"));
	assert_non_null(json_object_get(props, "child"));
	assert_non_null(json_object_get(props, "father"));
	assert_non_null(json_object_get(props, "mother"));
	assert_null(json_object_get(props, "deceased"));

	json_t *good = json_loads(
	    "{\"applicant\":{\"full_name\":\"Nguyễn Văn An\",\"date_of_birth\":\"1990-05-01\","
	    "\"person_id\":\"001090012345\",\"phone\":\"0912345678\",\"address\":{\"commune_code\":"
	    "\"00004\"}},\"child\":{\"full_name\":\"Nguyễn Thị Bình\",\"date_of_birth\":"
	    "\"2026-01-15\",\"sex\":\"female\",\"place_of_birth\":\"Bệnh viện Phụ sản Hà Nội\"},"
	    "\"mother\":{\"full_name\":\"Trần Thị Hoa\"}}",
	    0, NULL);
	errs = jsonschema_validate(form, good);
	assert_int_equal(json_array_size(errs), 0);
	json_decref(errs);
	json_t *bad =
	    json_loads("{\"applicant\":{\"full_name\":\"An\",\"date_of_birth\":\"1990-02-30\","
	               "\"person_id\":\"12345\"},\"child\":{\"full_name\":\"B\","
	               "\"date_of_birth\":\"15/01/2026\",\"sex\":\"x\"},\"extra\":1}",
	               0, NULL);
	errs = jsonschema_validate(form, bad);
	const char *want[] = {"$.applicant.date_of_birth", "$.applicant.person_id",
	                      "$.child.date_of_birth",     "$.child.sex",
	                      "$.child.place_of_birth",    "$.extra"};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		bool found = false;
		size_t k;
		json_t *e;
		json_array_foreach(errs, k, e)
		{
			if (!strcmp(sget(e, "path"), want[i]))
				found = true;
		}
		if (!found)
			fail_msg("missing error at %s", want[i]);
	}
	json_decref(errs);
	json_decref(good);
	json_decref(bad);
	json_decref(form);
	json_decref(doc);

	/* death registration and a business procedure */
	json_object_set_new(rec, "ten_thu_tuc", json_string("Thủ tục đăng ký khai tử"));
	doc = catalog_from_portal(rec, &f, NULL);
	form = catalog_form_derive(doc);
	props = json_object_get(form, "properties");
	assert_non_null(json_object_get(props, "deceased"));
	assert_null(json_object_get(props, "child"));
	json_decref(form);
	json_decref(doc);
	json_object_set_new(rec, "ten_thu_tuc", json_string("Đăng ký thành lập doanh nghiệp"));
	json_object_set_new(rec, "doi_tuong_thuc_hien", json_string("Doanh nghiệp"));
	doc = catalog_from_portal(rec, &f, NULL);
	form = catalog_form_derive(doc);
	json_t *req = json_object_get(form, "required");
	assert_int_equal(json_array_size(req), 2); /* applicant, organization */
	assert_string_equal(json_string_value(json_array_get(req, 1)), "organization");
	json_decref(form);
	json_decref(doc);
	json_decref(rec);
}

static void test_form_check(void **state)
{
	(void)state;
	json_t *s = json_loads("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"},"
	                       "\"b\":{\"type\":\"string\",\"pattern\":\"([a\",\"minLength\":-1},"
	                       "\"c\":{\"$ref\":\"#/x\"},\"d\":{\"format\":\"uri\"},"
	                       "\"e\":{\"items\":{\"enum\":[]}}},\"additionalProperties\":{}}",
	                       0, NULL);
	json_t *e = catalog_form_check(s);
	assert_int_equal(json_array_size(e), 7);
	json_decref(e);
	json_decref(s);
	s = json_loads("{\"type\":\"array\"}", 0, NULL);
	e = catalog_form_check(s);
	assert_int_equal(json_array_size(e), 1);
	assert_string_equal(sget(json_array_get(e, 0), "path"), "$.type");
	json_decref(e);
	json_decref(s);
	s = json_loads("{\"type\":\"object\",\"title\":\"x\",\"x-ui\":1,\"required\":[\"a\"],"
	               "\"properties\":{\"a\":{\"type\":[\"string\",\"null\"],\"maxLength\":5,"
	               "\"pattern\":\"^\\\\d+$\",\"format\":\"date\"}}}",
	               0, NULL);
	e = catalog_form_check(s);
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	json_decref(s);
	/* patterns whose repetitions would make regcomp allocate too much */
	static const char *const bombs[] = {"a{1,3000}", "(.{1,200}){1,200}", "a{1,32767}",
	                                    "(a{16}){16}"};
	for (size_t i = 0; i < sizeof bombs / sizeof *bombs; i++) {
		s = json_pack("{s:s, s:{s:{s:s, s:s}}}", "type", "object", "properties", "note",
		              "type", "string", "pattern", bombs[i]);
		e = catalog_form_check(s);
		assert_int_equal(json_array_size(e), 1);
		assert_string_equal(sget(json_array_get(e, 0), "path"),
		                    "$.properties['note'].pattern");
		assert_non_null(sget(json_array_get(e, 0), "message_vi"));
		json_decref(e);
		json_decref(s);
	}
	s = json_pack("{s:s, s:{s:{s:s, s:s}}}", "type", "object", "properties", "note", "type",
	              "string", "pattern", "^(a{15}){17}$");
	e = catalog_form_check(s);
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	json_decref(s);
}

static void test_doc_check(void **state)
{
	(void)state;
	json_t *d = json_loads(
	    "{\"code\":\"9.000001\",\"name\":\"Thử\",\"level\":[\"commune\"],\"ministry\":\"BTP\","
	    "\"channels\":[{\"channel\":\"online\",\"time_limit\":{\"amount\":3,\"unit\":"
	    "\"working_days\"}},{\"channel\":\"online\"}],\"components\":[{\"id\":\"c1\",\"name\":"
	    "\"Tờ khai\"},{\"id\":\"c1\",\"name\":\"Ảnh\"}],\"online_level\":\"sometimes\"}",
	    0, NULL);
	json_t *e = catalog_doc_check(d);
	assert_int_equal(json_array_size(e), 3);
	json_decref(e);
	json_object_set_new(d, "online_level", json_string("full"));
	json_array_remove(json_object_get(d, "channels"), 1);
	json_object_set_new(json_array_get(json_object_get(d, "components"), 1), "id",
	                    json_string("c2"));
	e = catalog_doc_check(d);
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	json_decref(d);
}

/* Errors of catalog_doc_check for a document given as JSON text. */
static json_t *doc_errors(const char *text)
{
	json_t *d = json_loads(text, 0, NULL);
	assert_non_null(d);
	json_t *e = catalog_doc_check(d);
	json_decref(d);
	return e;
}

static void test_doc_check_limits(void **state)
{
	(void)state;
	/* time limits the calendar counts: 1000 working days; 3650 hours or days */
	json_t *e = doc_errors(
	    "{\"code\":\"9.1\",\"name\":\"Thử\",\"channels\":["
	    "{\"channel\":\"online\",\"time_limit\":{\"amount\":1000,\"unit\":\"working_days\"}},"
	    "{\"channel\":\"post\",\"time_limit\":{\"amount\":3650,\"unit\":\"hours\"}},"
	    "{\"channel\":\"in_person\",\"time_limit\":{\"amount\":3650,\"unit\":\"days\"}}]}");
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	e = doc_errors(
	    "{\"code\":\"9.1\",\"name\":\"Thử\",\"channels\":["
	    "{\"channel\":\"online\",\"time_limit\":{\"amount\":1500,\"unit\":\"working_days\"}},"
	    "{\"channel\":\"post\",\"time_limit\":{\"amount\":3651,\"unit\":\"hours\"}},"
	    "{\"channel\":\"in_person\",\"time_limit\":{\"amount\":3,\"min\":1001,"
	    "\"unit\":\"working_days\"}}]}");
	assert_int_equal(json_array_size(e), 3);
	/* the schema's maximum first, then the calendar's cap */
	assert_string_equal(sget(json_array_get(e, 0), "path"), "$.channels[1].time_limit.amount");
	assert_string_equal(sget(json_array_get(e, 1), "path"), "$.channels[0].time_limit.amount");
	assert_string_equal(sget(json_array_get(e, 2), "path"), "$.channels[2].time_limit.min");
	assert_non_null(strstr(sget(json_array_get(e, 1), "message"), "1000 working days"));
	assert_non_null(sget(json_array_get(e, 1), "message_vi"));
	json_decref(e);
	/* a blank name, a blank component name, duplicate levels */
	e = doc_errors("{\"code\":\"9.1\",\"name\":\" \\t \",\"level\":[\"commune\",\"province\","
	               "\"commune\"],\"components\":[{\"id\":\"c1\",\"name\":\"  \"}]}");
	assert_int_equal(json_array_size(e), 3);
	assert_string_equal(sget(json_array_get(e, 0), "path"), "$.level[2]");
	assert_string_equal(sget(json_array_get(e, 1), "path"), "$.name");
	assert_string_equal(sget(json_array_get(e, 2), "path"), "$.components[0].name");
	json_decref(e);
	e = doc_errors("{\"code\":\"9.1\",\"name\":\" Thủ tục \",\"level\":[\"commune\","
	               "\"province\"]}");
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_time),
	    cmocka_unit_test(test_find_time),
	    cmocka_unit_test(test_amounts),
	    cmocka_unit_test(test_channels_birth),
	    cmocka_unit_test(test_channels_vnd),
	    cmocka_unit_test(test_channels_glued_fee),
	    cmocka_unit_test(test_channels_months_usd_hours),
	    cmocka_unit_test(test_channels_cases),
	    cmocka_unit_test(test_channels_no_information),
	    cmocka_unit_test(test_fee_contradicting_note),
	    cmocka_unit_test(test_channels_text_cells),
	    cmocka_unit_test(test_components_templates),
	    cmocka_unit_test(test_components_groups),
	    cmocka_unit_test(test_components_quantities),
	    cmocka_unit_test(test_classify_birth_record),
	    cmocka_unit_test(test_classify_quantities),
	    cmocka_unit_test(test_classify_notes),
	    cmocka_unit_test(test_classify_conditions),
	    cmocka_unit_test(test_classify_given),
	    cmocka_unit_test(test_raw_section),
	    cmocka_unit_test(test_levels),
	    cmocka_unit_test(test_results_legal_steps),
	    cmocka_unit_test(test_from_portal),
	    cmocka_unit_test(test_ministries),
	    cmocka_unit_test(test_form_birth),
	    cmocka_unit_test(test_form_check),
	    cmocka_unit_test(test_doc_check),
	    cmocka_unit_test(test_doc_check_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
