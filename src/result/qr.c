/* qr.c - QR symbols through libqrencode, rendered as SVG (one path of unit
 * squares) and as PNG by a minimal writer: greyscale 8-bit, filter 0 on
 * every row, compressed with zlib's compress(), chunk CRCs with crc32(). */
#include "result/qr.h"

#include "core/mem.h"
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

mc_err qr_encode(const char *text, qr_matrix *out)
{
	out->size = 0;
	out->dark = NULL;
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n > QR_TEXT_MAX)
		return MC_ERR_INVALID;
	QRcode *code = QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (!code)
		return MC_ERR_INTERNAL;
	out->size = code->width;
	out->dark = mc_xmalloc((size_t)code->width * (size_t)code->width);
	for (int i = 0; i < code->width * code->width; i++)
		out->dark[i] = code->data[i] & 1;
	QRcode_free(code);
	return MC_OK;
}

void qr_free(qr_matrix *q)
{
	if (!q)
		return;
	free(q->dark);
	q->dark = NULL;
	q->size = 0;
}

char *qr_svg(const qr_matrix *q, int border, size_t *len)
{
	int full = q->size + 2 * border;
	mc_buf b = {0};
	mc_buf_printf(&b,
	              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	              "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	              "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\" "
	              "aria-label=\"QR\">\n"
	              "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
	              full, full, full * 4, full * 4, full, full);
	for (int y = 0; y < q->size; y++) {
		for (int x = 0; x < q->size; x++) {
			if (!q->dark[y * q->size + x])
				continue;
			/* a horizontal run of dark modules is one rectangle */
			int run = 1;
			while (x + run < q->size && q->dark[y * q->size + x + run])
				run++;
			mc_buf_printf(&b, "M%d %dh%dv1h-%dz", x + border, y + border, run, run);
			x += run - 1;
		}
	}
	mc_buf_puts(&b, "\"/>\n</svg>\n");
	*len = b.len;
	return mc_buf_cstr(&b);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void chunk(mc_buf *b, const char *type, const unsigned char *data, size_t n)
{
	unsigned char head[8];
	put32(head, (uint32_t)n);
	memcpy(head + 4, type, 4);
	mc_buf_append(b, head, 8);
	if (n)
		mc_buf_append(b, data, n);
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, (const Bytef *)type, 4);
	if (n)
		crc = crc32(crc, data, (uInt)n);
	unsigned char tail[4];
	put32(tail, (uint32_t)crc);
	mc_buf_append(b, tail, 4);
}

unsigned char *png_gray8(const unsigned char *pixels, int w, int h, size_t *len)
{
	*len = 0;
	if (w < 1 || h < 1 || w > 16384 || h > 16384)
		return NULL;
	size_t stride = (size_t)w + 1;
	size_t raw_len = stride * (size_t)h;
	unsigned char *raw = mc_xmalloc(raw_len);
	for (int y = 0; y < h; y++) {
		raw[(size_t)y * stride] = 0; /* filter: none */
		memcpy(raw + (size_t)y * stride + 1, pixels + (size_t)y * (size_t)w, (size_t)w);
	}
	uLongf zlen = compressBound((uLong)raw_len);
	unsigned char *z = mc_xmalloc(zlen);
	if (compress(z, &zlen, raw, (uLong)raw_len) != Z_OK) {
		free(raw);
		free(z);
		return NULL;
	}
	free(raw);
	mc_buf b = {0};
	mc_buf_append(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13];
	put32(ihdr, (uint32_t)w);
	put32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 0;  /* greyscale */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	chunk(&b, "IHDR", ihdr, sizeof ihdr);
	chunk(&b, "IDAT", z, zlen);
	chunk(&b, "IEND", NULL, 0);
	free(z);
	*len = b.len;
	return (unsigned char *)b.data;
}

unsigned char *qr_png(const qr_matrix *q, int scale, int border, size_t *len)
{
	int full = (q->size + 2 * border) * scale;
	unsigned char *px = mc_xmalloc((size_t)full * (size_t)full);
	memset(px, 255, (size_t)full * (size_t)full);
	for (int y = 0; y < q->size; y++)
		for (int x = 0; x < q->size; x++)
			if (q->dark[y * q->size + x])
				for (int dy = 0; dy < scale; dy++)
					memset(px +
					           (size_t)((y + border) * scale + dy) *
					               (size_t)full +
					           (size_t)(x + border) * (size_t)scale,
					       0, (size_t)scale);
	unsigned char *png = png_gray8(px, full, full, len);
	free(px);
	return png;
}
