/* html.c - escaping writer for the portal's pages (see html.h). */
#include "portal/html.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void html_text(mc_buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (const char *p = s; *p; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		mc_buf_append(b, run, (size_t)(p - run));
		mc_buf_puts(b, rep);
		run = p + 1;
	}
	mc_buf_puts(b, run);
}

void html_url(mc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			mc_buf_append(b, p, 1);
		} else {
			char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
			mc_buf_append(b, e, 3);
		}
	}
}

void html_fmt(mc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *run = fmt;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1])
			continue;
		mc_buf_append(b, run, (size_t)(p - run));
		p++;
		switch (*p) {
		case 's':
			html_text(b, va_arg(ap, const char *));
			break;
		case 'U':
			html_url(b, va_arg(ap, const char *));
			break;
		case 'R': {
			const char *r = va_arg(ap, const char *);
			if (r)
				mc_buf_puts(b, r);
			break;
		}
		case 'd':
			mc_buf_printf(b, "%d", va_arg(ap, int));
			break;
		case 'D':
			mc_buf_printf(b, "%lld", (long long)va_arg(ap, int64_t));
			break;
		case '%':
			mc_buf_puts(b, "%");
			break;
		default:
			mc_buf_append(b, p - 1, 2);
			break;
		}
		run = p + 1;
	}
	mc_buf_puts(b, run);
	va_end(ap);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool html_form_decode(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '+') {
			*w++ = ' ';
		} else if (*r == '%') {
			int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return false;
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return true;
}
