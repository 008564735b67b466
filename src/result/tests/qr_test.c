/* qr_test.c - unit tests of the QR code and PNG writer (qr.h): symbol sizes
 * and finder patterns, input caps, the SVG, and PNG files read back chunk
 * by chunk (signature, IHDR, CRCs, inflated pixels equal the modules). */
#include "result/qr.h"

#include "core/mem.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads a greyscale PNG written by png_gray8: checks every chunk's CRC and
 * returns the inflated, unfiltered pixels (malloc'ed). */
static unsigned char *read_png(const unsigned char *p, size_t n, int *w, int *h)
{
	assert_true(n > 8);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	size_t off = 8;
	unsigned char *idat = NULL;
	size_t idat_len = 0;
	bool end = false;
	while (off + 12 <= n && !end) {
		uint32_t len = get32(p + off);
		const unsigned char *type = p + off + 4;
		assert_true(off + 12 + len <= n);
		uLong crc = crc32(crc32(0L, Z_NULL, 0), type, 4 + len);
		assert_int_equal(crc, get32(p + off + 8 + len));
		if (memcmp(type, "IHDR", 4) == 0) {
			assert_int_equal(len, 13);
			*w = (int)get32(type + 4);
			*h = (int)get32(type + 8);
			assert_int_equal(type[12], 8); /* depth */
			assert_int_equal(type[13], 0); /* greyscale */
		} else if (memcmp(type, "IDAT", 4) == 0) {
			idat = mc_xrealloc(idat, idat_len + len);
			memcpy(idat + idat_len, type + 4, len);
			idat_len += len;
		} else if (memcmp(type, "IEND", 4) == 0) {
			end = true;
		}
		off += 12 + len;
	}
	assert_true(end);
	assert_int_equal(off, n);
	uLongf raw_len = (uLongf)(*w + 1) * (uLongf)*h;
	unsigned char *raw = mc_xmalloc(raw_len);
	assert_int_equal(uncompress(raw, &raw_len, idat, idat_len), Z_OK);
	assert_int_equal(raw_len, (uLongf)(*w + 1) * (uLongf)*h);
	unsigned char *px = mc_xmalloc((size_t)*w * (size_t)*h);
	for (int y = 0; y < *h; y++) {
		assert_int_equal(raw[(size_t)y * (size_t)(*w + 1)], 0);
		memcpy(px + (size_t)y * (size_t)*w, raw + (size_t)y * (size_t)(*w + 1) + 1,
		       (size_t)*w);
	}
	free(raw);
	free(idat);
	return px;
}

static void test_png_writer(void **state)
{
	(void)state;
	unsigned char px[6] = {0, 255, 128, 7, 8, 9};
	size_t n = 0;
	unsigned char *png = png_gray8(px, 3, 2, &n);
	assert_non_null(png);
	int w = 0, h = 0;
	unsigned char *back = read_png(png, n, &w, &h);
	assert_int_equal(w, 3);
	assert_int_equal(h, 2);
	assert_memory_equal(back, px, sizeof px);
	free(back);
	free(png);
	assert_null(png_gray8(px, 0, 2, &n));
	assert_null(png_gray8(px, 20000, 1, &n));
}

static void test_qr_matrix(void **state)
{
	(void)state;
	qr_matrix q;
	const char *url = "https://dichvucong.example.vn/verify/0123456789abcdef0123456789abcdef";
	assert_int_equal(qr_encode(url, &q), MC_OK);
	assert_true(q.size >= 21 && (q.size - 21) % 4 == 0);
	/* the three finder patterns: dark 7x7 rings at three corners */
	for (int i = 0; i < 7; i++) {
		assert_int_equal(q.dark[0 * q.size + i], 1);
		assert_int_equal(q.dark[i * q.size + 0], 1);
		assert_int_equal(q.dark[0 * q.size + q.size - 1 - i], 1);
		assert_int_equal(q.dark[(q.size - 1) * q.size + i], 1);
	}
	assert_int_equal(q.dark[1 * q.size + 1], 0);
	assert_int_equal(q.dark[3 * q.size + 3], 1);
	/* a different text gives a different symbol */
	qr_matrix q2;
	assert_int_equal(qr_encode("https://dichvucong.example.vn/verify/"
	                           "ffffffffffffffffffffffffffffffff",
	                           &q2),
	                 MC_OK);
	assert_int_equal(q2.size, q.size);
	assert_memory_not_equal(q.dark, q2.dark, (size_t)q.size * (size_t)q.size);
	qr_free(&q2);

	size_t n = 0;
	unsigned char *png = qr_png(&q, 3, 4, &n);
	int w = 0, h = 0;
	unsigned char *px = read_png(png, n, &w, &h);
	assert_int_equal(w, (q.size + 8) * 3);
	assert_int_equal(h, w);
	for (int y = 0; y < q.size; y++)
		for (int x = 0; x < q.size; x++) {
			int cx = (x + 4) * 3 + 1, cy = (y + 4) * 3 + 1;
			assert_int_equal(px[cy * w + cx], q.dark[y * q.size + x] ? 0 : 255);
		}
	/* quiet zone white */
	for (int x = 0; x < w; x++)
		assert_int_equal(px[x], 255);
	free(px);
	free(png);

	char *svg = qr_svg(&q, 4, &n);
	assert_int_equal(strlen(svg), n);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "M4 4h7v1h-7z")); /* top-left finder's first row */
	assert_null(strstr(svg, "script"));
	free(svg);
	qr_free(&q);
}

static void test_qr_caps(void **state)
{
	(void)state;
	qr_matrix q;
	assert_int_equal(qr_encode("", &q), MC_ERR_INVALID);
	assert_int_equal(qr_encode(NULL, &q), MC_ERR_INVALID);
	char *big = mc_xmalloc(QR_TEXT_MAX + 2);
	memset(big, 'a', QR_TEXT_MAX + 1);
	big[QR_TEXT_MAX + 1] = '\0';
	assert_int_equal(qr_encode(big, &q), MC_ERR_INVALID);
	big[QR_TEXT_MAX] = '\0';
	assert_int_equal(qr_encode(big, &q), MC_OK);
	qr_free(&q);
	free(big);
}

int main(void)
{
	mc_mem_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_png_writer),
	    cmocka_unit_test(test_qr_matrix),
	    cmocka_unit_test(test_qr_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
