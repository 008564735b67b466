/* text.c - Vietnamese-aware text helpers: diacritic folding for search,
 * UTF-8 validation and counting, trimming.
 *
 * Folding is table driven: fold_ranges lists, for the Latin blocks that
 * carry Vietnamese letters (Latin-1, Latin Extended-A, O/U with horn in
 * Extended-B, Latin Extended Additional), one ASCII letter per code point
 * (' ' for a symbol), plus ranges of combining marks that are dropped and
 * ranges of punctuation/symbols that separate words. Code points found in
 * no range (other scripts) are kept as they are. */
#include "core/text.h"

#include "core/mem.h"

#include <stdint.h>
#include <string.h>

enum fold_kind {
	FOLD_MAP,   /* map[cp - lo] is the folded ASCII letter (' ' = separator) */
	FOLD_DROP,  /* combining mark: removed without separating words */
	FOLD_SPACE, /* punctuation or symbol: word separator */
};

struct fold_range {
	uint32_t lo, hi;
	enum fold_kind kind;
	const char *map; /* FOLD_MAP only: hi - lo + 1 letters */
};

/* Sorted by lo; no overlaps (checked by the unit tests through behaviour). */
static const struct fold_range fold_ranges[] = {
    {0x0080, 0x00BF, FOLD_SPACE, NULL}, /* C1 controls, Latin-1 punctuation */
    /* À..ß, à..ÿ (× and ÷ separate) */
    {0x00C0, 0x00FF, FOLD_MAP,
     "aaaaaaaceeeeiiiidnooooo ouuuuyts"
     "aaaaaaaceeeeiiiidnooooo ouuuuyty"},
    /* Latin Extended-A: Ā ă ... Đ đ ... Ĩ ĩ ... Ũ ũ ... ſ */
    {0x0100, 0x017F, FOLD_MAP,
     "aaaaaa"                          /* 0100 Ā ā Ă ă Ą ą */
     "cccccccc"                        /* 0106 Ć ć Ĉ ĉ Ċ ċ Č č */
     "dddd"                            /* 010E Ď ď Đ đ */
     "eeeeeeeeee"                      /* 0112 Ē ē Ĕ ĕ Ė ė Ę ę Ě ě */
     "gggggggg"                        /* 011C Ĝ ĝ Ğ ğ Ġ ġ Ģ ģ */
     "hhhh"                            /* 0124 Ĥ ĥ Ħ ħ */
     "iiiiiiiiii"                      /* 0128 Ĩ ĩ Ī ī Ĭ ĭ Į į İ ı */
     "ii"                              /* 0132 Ĳ ĳ */
     "jj"                              /* 0134 Ĵ ĵ */
     "kkk"                             /* 0136 Ķ ķ ĸ */
     "llllllllll"                      /* 0139 Ĺ ĺ Ļ ļ Ľ ľ Ŀ ŀ Ł ł */
     "nnnnnnnnn"                       /* 0143 Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ */
     "oooooooo"                        /* 014C Ō ō Ŏ ŏ Ő ő Œ œ */
     "rrrrrr"                          /* 0154 Ŕ ŕ Ŗ ŗ Ř ř */
     "ssssssss"                        /* 015A Ś ś Ŝ ŝ Ş ş Š š */
     "tttttt"                          /* 0162 Ţ ţ Ť ť Ŧ ŧ */
     "uuuuuuuuuuuu"                    /* 0168 Ũ ũ Ū ū Ŭ ŭ Ů ů Ű ű Ų ų */
     "ww"                              /* 0174 Ŵ ŵ */
     "yyy"                             /* 0176 Ŷ ŷ Ÿ */
     "zzzzzz"                          /* 0179 Ź ź Ż ż Ž ž */
     "s"},                             /* 017F ſ */
    {0x01A0, 0x01A1, FOLD_MAP, "oo"},  /* Ơ ơ */
    {0x01AF, 0x01B0, FOLD_MAP, "uu"},  /* Ư ư */
    {0x0300, 0x036F, FOLD_DROP, NULL}, /* combining diacritical marks */
    {0x1AB0, 0x1AFF, FOLD_DROP, NULL}, /* combining marks extended */
    {0x1DC0, 0x1DFF, FOLD_DROP, NULL}, /* combining marks supplement */
    /* Latin Extended Additional, the Vietnamese block: Ạ..ặ, Ẹ..ệ, Ỉ..ị,
     * Ọ..ợ, Ụ..ự, Ỳ..ỹ */
    {0x1EA0, 0x1EF9, FOLD_MAP,
     "aaaaaaaaaaaaaaaaaaaaaaaa"
     "eeeeeeeeeeeeeeee"
     "iiii"
     "oooooooooooooooooooooooo"
     "uuuuuuuuuuuuuu"
     "yyyyyyyy"},
    {0x2000, 0x20CF, FOLD_SPACE, NULL},   /* spaces, punctuation, currency */
    {0x20D0, 0x20FF, FOLD_DROP, NULL},    /* combining marks for symbols */
    {0x2100, 0x2BFF, FOLD_SPACE, NULL},   /* symbols, arrows, math, boxes */
    {0x3000, 0x303F, FOLD_SPACE, NULL},   /* CJK punctuation */
    {0xE000, 0xF8FF, FOLD_SPACE, NULL},   /* private use */
    {0xFE00, 0xFE0F, FOLD_DROP, NULL},    /* variation selectors */
    {0xFE10, 0xFE6F, FOLD_SPACE, NULL},   /* vertical/small forms */
    {0xFEFF, 0xFEFF, FOLD_DROP, NULL},    /* byte order mark */
    {0xFF00, 0xFF0F, FOLD_SPACE, NULL},   /* full-width punctuation */
    {0xFFF0, 0xFFFF, FOLD_SPACE, NULL},   /* specials */
    {0x1F000, 0x1FAFF, FOLD_SPACE, NULL}, /* emoji and pictographs */
};

/* Decodes one UTF-8 sequence at s (n bytes available). Returns its length
 * and stores the code point, or returns 0 on a malformed sequence
 * (overlong forms, surrogates and values above U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static const struct fold_range *fold_lookup(uint32_t cp)
{
	size_t lo = 0, hi = sizeof fold_ranges / sizeof fold_ranges[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < fold_ranges[mid].lo)
			hi = mid;
		else if (cp > fold_ranges[mid].hi)
			lo = mid + 1;
		else
			return &fold_ranges[mid];
	}
	return NULL;
}

char *text_fold(const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)s);
	/* Every code point folds to at most as many bytes as it had. */
	char *out = mc_xmalloc(n + 1);
	size_t o = 0;
	bool pending_space = false;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		char letter = 0;
		bool keep = false, drop = false;
		if (len == 0) {
			len = 1; /* stray byte: separator */
		} else if (cp < 0x80) {
			if (cp >= 'A' && cp <= 'Z')
				letter = (char)(cp - 'A' + 'a');
			else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
				letter = (char)cp;
		} else {
			const struct fold_range *r = fold_lookup(cp);
			if (!r)
				keep = true;
			else if (r->kind == FOLD_DROP)
				drop = true;
			else if (r->kind == FOLD_MAP && r->map[cp - r->lo] != ' ')
				letter = r->map[cp - r->lo];
		}
		if (drop) {
			/* nothing: a combining mark joins its base letter */
		} else if (letter || keep) {
			if (pending_space && o > 0)
				out[o++] = ' ';
			pending_space = false;
			if (letter) {
				out[o++] = letter;
			} else {
				memcpy(out + o, s + i, len);
				o += len;
			}
		} else {
			pending_space = true;
		}
		i += len;
	}
	out[o] = '\0';
	return out;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t l = utf8_decode(p + i, len - i, &cp);
		if (l == 0 || cp == 0)
			return false;
		i += l;
	}
	return true;
}

size_t text_utf8_len(const char *s)
{
	size_t count = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			count++;
	return count;
}

static bool is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *text_trim_dup(const char *s, size_t max)
{
	while (is_ascii_space(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && is_ascii_space(s[len - 1]))
		len--;
	if (len > max) {
		len = max;
		/* Do not cut a UTF-8 sequence in two. */
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		while (len > 0 && is_ascii_space(s[len - 1]))
			len--;
	}
	return mc_xstrndup(s, len);
}

bool text_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}
