/* qr.h - QR codes of verification addresses (libqrencode) drawn as SVG and
 * PNG, and the small PNG writer behind it (zlib's compress and crc32 only).
 * Part of the result module; pure functions, unit-tested. */
#ifndef MC_QR_H
#define MC_QR_H

#include "core/err.h"
#include <stddef.h>

#define QR_TEXT_MAX 512 /* bytes of text a QR code may carry here */

/* A QR symbol: size x size modules, dark[y * size + x] is 1 for dark. */
typedef struct qr_matrix {
	int size;
	unsigned char *dark;
} qr_matrix;

/* Encodes text (8-bit mode, error correction level M). INVALID when empty
 * or longer than QR_TEXT_MAX. */
mc_err qr_encode(const char *text, qr_matrix *out);
void qr_free(qr_matrix *q);

/* SVG document of the symbol with a quiet zone of `border` modules, one
 * path, no script. Malloc'ed, NUL-terminated; *len its length. */
char *qr_svg(const qr_matrix *q, int border, size_t *len);
/* PNG (8-bit greyscale) of the symbol, `scale` pixels per module and a
 * quiet zone of `border` modules. Malloc'ed; *len its length. */
unsigned char *qr_png(const qr_matrix *q, int scale, int border, size_t *len);

/* PNG file of a w x h 8-bit greyscale image (row-major pixels, 0 black,
 * 255 white): signature, IHDR, one zlib IDAT (filter 0), IEND. NULL when
 * w or h is not in 1..16384. Malloc'ed; *len its length. */
unsigned char *png_gray8(const unsigned char *pixels, int w, int h, size_t *len);

#endif
