/* ocr_engine.c - text extraction: Leptonica decodes PNG, JPEG and TIFF (the
 * header is read first, so oversized images are refused before decoding),
 * pdftoppm (poppler-utils) renders PDF pages to PNG in a private temporary
 * directory, Tesseract reads each page. One Tesseract instance per thread
 * (the worker's), created on first use. */
#include "ocr/ocr.h"

#include "core/mem.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tesseract/capi.h>
#include <time.h>
#include <unistd.h>

#define PDF_TIMEOUT_SECONDS 120

extern char **environ;

static _Thread_local TessBaseAPI *api;
static _Thread_local char api_lang[32];

void ocr_engine_release(void)
{
	if (api) {
		TessBaseAPIEnd(api);
		TessBaseAPIDelete(api);
		api = NULL;
		api_lang[0] = '\0';
	}
}

static mc_err engine(const char *lang, mc_diag *diag)
{
	if (api && strcmp(api_lang, lang) == 0)
		return MC_OK;
	ocr_engine_release();
	setMsgSeverity(L_SEVERITY_NONE);
	api = TessBaseAPICreate();
	/* keep Tesseract's diagnostics out of the server's JSON log */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(api, NULL, lang) != 0) {
		TessBaseAPIDelete(api);
		api = NULL;
		return mc_fail(diag, MC_ERR_UNAVAILABLE,
		               "Tesseract cannot load the language data '%s' (Debian package "
		               "tesseract-ocr-%s)",
		               lang, lang);
	}
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	snprintf(api_lang, sizeof api_lang, "%s", lang);
	return MC_OK;
}

static mc_err too_big(mc_diag *diag, int w, int h)
{
	return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Ảnh quá lớn để nhận dạng chữ.",
	                "The image is too large to read (%d x %d pixels; at most %d on a side "
	                "and %ld pixels).",
	                w, h, OCR_MAX_SIDE, OCR_MAX_PIXELS);
}

static bool size_ok(int w, int h)
{
	return w > 0 && h > 0 && w <= OCR_MAX_SIDE && h <= OCR_MAX_SIDE &&
	       (long)w * (long)h <= OCR_MAX_PIXELS;
}

/* Reads one decoded page and appends its text to b. */
static mc_err read_pix(PIX *pix, mc_buf *b, mc_diag *diag)
{
	if (!size_ok(pixGetWidth(pix), pixGetHeight(pix)))
		return too_big(diag, pixGetWidth(pix), pixGetHeight(pix));
	if (pixGetXRes(pix) < 70)
		pixSetResolution(pix, 300, 300);
	TessBaseAPISetImage2(api, pix);
	char *t = TessBaseAPIGetUTF8Text(api);
	if (!t) {
		TessBaseAPIClear(api);
		return mc_fail(diag, MC_ERR_UNPROCESSABLE, "Tesseract could not read the page");
	}
	if (b->len)
		mc_buf_puts(b, "\n\f\n");
	mc_buf_puts(b, t);
	TessDeleteText(t);
	TessBaseAPIClear(api);
	return MC_OK;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Dimensions from a PNG IHDR or a JPEG start-of-frame, read without any
 * decoder (so that a huge image is refused before anything allocates).
 * False when not found. */
static bool raw_dims(const unsigned char *p, size_t n, int *w, int *h)
{
	if (n >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0) {
		uint32_t pw = be32(p + 16), ph = be32(p + 20);
		*w = pw > INT32_MAX ? INT32_MAX : (int)pw;
		*h = ph > INT32_MAX ? INT32_MAX : (int)ph;
		return true;
	}
	if (n < 4 || p[0] != 0xff || p[1] != 0xd8)
		return false;
	size_t i = 2;
	while (i + 9 < n) {
		if (p[i] != 0xff) {
			i++;
			continue;
		}
		unsigned m = p[i + 1];
		if (m == 0xff) {
			i++;
			continue;
		}
		if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			i += 2;
			continue;
		}
		size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			*h = p[i + 5] << 8 | p[i + 6];
			*w = p[i + 7] << 8 | p[i + 8];
			return true;
		}
		if (len < 2)
			return false;
		i += 2 + len;
	}
	return false;
}

static mc_err read_image(const void *p, size_t n, bool tiff, mc_buf *b, int *pages, mc_diag *diag)
{
	l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
	int rw = 0, rh = 0;
	if (raw_dims(p, n, &rw, &rh) && !size_ok(rw, rh))
		return too_big(diag, rw, rh);
	if (pixReadHeaderMem(p, n, &format, &w, &h, &bps, &spp, &cmap) != 0)
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Không đọc được ảnh.",
		                "The image cannot be decoded.");
	if (!size_ok(w, h))
		return too_big(diag, w, h);
	int count = 1;
	if (tiff) {
		FILE *f = fmemopen((void *)p, n, "rb");
		l_int32 tn = 1;
		if (f) {
			if (tiffGetCount(f, &tn) != 0)
				tn = 1;
			fclose(f);
		}
		count = tn < 1 ? 1 : tn > OCR_MAX_PAGES ? OCR_MAX_PAGES : tn;
	}
	for (int i = 0; i < count; i++) {
		if (tiff) {
			/* every page's size is checked before it is decoded */
			l_int32 pw = 0, ph = 0, pb = 0, ps = 0, pr = 0, pc = 0, pf = 0;
			if (readHeaderMemTiff(p, n, i, &pw, &ph, &pb, &ps, &pr, &pc, &pf) != 0)
				return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Không đọc được ảnh.",
				                "A page of the TIFF cannot be decoded.");
			if (!size_ok(pw, ph))
				return too_big(diag, pw, ph);
		}
		PIX *pix = tiff ? pixReadMemTiff(p, n, i) : pixReadMem(p, n);
		if (!pix)
			return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Không đọc được ảnh.",
			                "The image cannot be decoded.");
		mc_err e = read_pix(pix, b, diag);
		pixDestroy(&pix);
		if (e)
			return e;
		(*pages)++;
	}
	return MC_OK;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Runs pdftoppm on in.pdf inside dir; bounded in time. */
static mc_err run_pdftoppm(const char *dir, mc_diag *diag)
{
	char *in = mc_xasprintf("%s/in.pdf", dir), *prefix = mc_xasprintf("%s/p", dir);
	char last[16], scale[16];
	snprintf(last, sizeof last, "%d", OCR_MAX_PAGES);
	snprintf(scale, sizeof scale, "%d", OCR_PDF_SCALE);
	char *argv[] = {"pdftoppm", "-q", "-gray", "-png", "-r", "300",  "-scale-to", scale,
	                "-f",       "1",  "-l",    last,   in,   prefix, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, "pdftoppm", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(in);
	free(prefix);
	if (rc != 0)
		return mc_fail(diag, MC_ERR_UNAVAILABLE,
		               "PDF pages cannot be rendered: pdftoppm (Debian package "
		               "poppler-utils) is missing");
	int status = 0;
	struct timespec tick = {0, 50 * 1000 * 1000};
	for (int waited = 0;; waited++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return mc_fail(diag, MC_ERR_INTERNAL, "waitpid failed");
		if (waited >= PDF_TIMEOUT_SECONDS * 20) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Không đọc được tệp PDF.",
			                "Rendering the PDF took too long.");
		}
		nanosleep(&tick, NULL);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Không đọc được tệp PDF.",
		                "The PDF cannot be rendered (damaged or protected).");
	return MC_OK;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	/* p-2.png before p-10.png */
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *f = mc_xasprintf("%s/%s", dir, de->d_name);
			unlink(f);
			free(f);
		}
		closedir(d);
	}
	rmdir(dir);
}

static mc_err read_pdf(const void *p, size_t n, mc_buf *b, int *pages, mc_diag *diag)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = mc_xasprintf("%s/motcua-ocr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char **names = NULL;
	size_t nn = 0;
	mc_err e = MC_OK;
	if (!mkdtemp(dir)) {
		free(dir);
		return mc_fail(diag, MC_ERR_IO, "cannot create a temporary directory");
	}
	char *in = mc_xasprintf("%s/in.pdf", dir);
	int fd = open(in, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	free(in);
	if (fd < 0 || write_all(fd, p, n) != 0) {
		if (fd >= 0)
			close(fd);
		e = mc_fail(diag, MC_ERR_IO, "cannot write a temporary file");
		goto out;
	}
	close(fd);
	if ((e = run_pdftoppm(dir, diag)))
		goto out;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == 'p' && l > 4 && strcmp(de->d_name + l - 4, ".png") == 0) {
			names = mc_xrealloc(names, (nn + 1) * sizeof *names);
			names[nn++] = mc_xstrdup(de->d_name);
		}
	}
	if (d)
		closedir(d);
	qsort(names, nn, sizeof *names, cmp_names);
	for (size_t i = 0; i < nn && i < OCR_MAX_PAGES && !e; i++) {
		char *f = mc_xasprintf("%s/%s", dir, names[i]);
		PIX *pix = pixRead(f);
		free(f);
		if (!pix) {
			e = mc_fail(diag, MC_ERR_UNPROCESSABLE,
			            "a rendered PDF page cannot be read");
			break;
		}
		e = read_pix(pix, b, diag);
		pixDestroy(&pix);
		if (!e)
			(*pages)++;
	}
out:
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	rm_dir(dir);
	free(dir);
	return e;
}

mc_err ocr_extract(const char *media_type, const void *p, size_t n, const char *lang, char **text,
                   int *pages, mc_diag *diag)
{
	*text = NULL;
	*pages = 0;
	mc_err e = engine(lang ? lang : "vie", diag);
	if (e)
		return e;
	mc_buf b = {0};
	if (strcmp(media_type, "application/pdf") == 0)
		e = read_pdf(p, n, &b, pages, diag);
	else if (strcmp(media_type, "image/png") == 0 || strcmp(media_type, "image/jpeg") == 0)
		e = read_image(p, n, false, &b, pages, diag);
	else if (strcmp(media_type, "image/tiff") == 0)
		e = read_image(p, n, true, &b, pages, diag);
	else
		e = mc_fail(diag, MC_ERR_MEDIA_TYPE, "no text extraction for %s", media_type);
	if (e) {
		mc_buf_free(&b);
		return e;
	}
	*text = mc_xstrdup(b.len ? mc_buf_cstr(&b) : "");
	mc_buf_free(&b);
	return MC_OK;
}
