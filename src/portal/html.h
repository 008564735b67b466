/* html.h - the escaping writer of the server-rendered portal pages. Every
 * piece of text that did not come from the template itself goes through
 * html_text (element content and quoted attribute values) or html_url (a
 * path segment or query value inside an href/action), so a procedure name,
 * a dossier note or a search term can never open a tag or an attribute.
 * Pure functions over mc_buf; no I/O. */
#ifndef MC_HTML_H
#define MC_HTML_H

#include "core/mem.h"
#include <stdbool.h>
#include <stdint.h>

/* Appends s with & < > " ' escaped as character references (safe inside
 * element content and single- or double-quoted attribute values). NULL
 * appends nothing. */
void html_text(mc_buf *b, const char *s);

/* Appends s percent-encoded for a URL path segment or query value: every
 * byte except A-Z a-z 0-9 - . _ ~ becomes %XX. NULL appends nothing. */
void html_url(mc_buf *b, const char *s);

/* Template writer. The format is copied verbatim except:
 *   %s  a const char * written with html_text (NULL: nothing)
 *   %U  a const char * written with html_url
 *   %R  a const char * written raw: only for markup the caller built
 *       itself with these functions, never for data
 *   %d  an int, %D an int64_t (decimal)
 *   %%  a percent sign
 * Any other sequence after % is written as is. */
void html_fmt(mc_buf *b, const char *fmt, ...);

/* Decodes an application/x-www-form-urlencoded value in place ('+' is a
 * space, %XX a byte). Returns false (s unspecified) when a %-sequence is
 * malformed or decodes to NUL. */
bool html_form_decode(char *s);

#endif
