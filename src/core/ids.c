/* ids.c - validation of personal identification numbers and enterprise
 * codes (see ids.h for the rules). */
#include "core/ids.h"

#include <string.h>

/* Birth-registration province codes of the 63 provinces before 2025. */
static const unsigned char person_provinces[] = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
};

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

mc_err id_person_parse(const char *id, id_person *out, mc_diag *diag)
{
	if (!id || strlen(id) != 12 || !all_digits(id, 12))
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		                "Số định danh cá nhân phải gồm 12 chữ số.",
		                "a personal identification number has 12 digits");
	int province = (id[0] - '0') * 100 + (id[1] - '0') * 10 + (id[2] - '0');
	bool known = false;
	for (size_t i = 0; i < sizeof person_provinces; i++)
		known |= person_provinces[i] == province;
	if (!known)
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		                "Ba chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh.",
		                "the first three digits are not a province of birth registration");
	int cs = id[3] - '0';
	if (out) {
		out->province = province;
		out->female = cs % 2 == 1;
		out->birth_year = 1900 + (cs / 2) * 100 + (id[4] - '0') * 10 + (id[5] - '0');
	}
	return MC_OK;
}

bool id_person_matches(const char *id, int birth_year, bool female)
{
	id_person p;
	return id_person_parse(id, &p, NULL) == MC_OK && p.birth_year == birth_year &&
	       p.female == female;
}

int id_enterprise_check_digit(const char *d9)
{
	static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += w[i] * (d9[i] - '0');
	int c = 10 - sum % 11; /* 0..10; 10 has no digit */
	return c == 10 ? -1 : c;
}

mc_err id_enterprise_parse(const char *code, bool *is_branch, mc_diag *diag)
{
	size_t n = code ? strlen(code) : 0;
	bool branch = false;
	if (n == 14 && code[10] == '-' && all_digits(code + 11, 3))
		branch = true;
	else if (n == 13 && all_digits(code, 13))
		branch = true;
	else if (n != 10)
		goto bad;
	if (!all_digits(code, 10))
		goto bad;
	if (branch && strncmp(code + n - 3, "000", 3) == 0)
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Mã chi nhánh phải từ 001 đến 999.",
		                "a branch suffix runs from 001 to 999");
	int c = id_enterprise_check_digit(code);
	if (c < 0 || c != code[9] - '0')
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		                "Chữ số kiểm tra của mã doanh nghiệp sai.",
		                "the check digit of the enterprise code is wrong");
	if (is_branch)
		*is_branch = branch;
	return MC_OK;
bad:
	return mc_fail2(diag, MC_ERR_UNPROCESSABLE,
	                "Mã doanh nghiệp gồm 10 chữ số, chi nhánh thêm -001 đến -999.",
	                "an enterprise code has 10 digits, a branch adds -001 to -999");
}
