/* Field validators; see validate.h. No locale, no floating point. */
#include "model/validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/text.h"
#include "util/xalloc.h"

/* ---- results ---------------------------------------------------------- */

/* Copies at most cap - 1 bytes of src into dst, cutting before a
 * character that would not fit whole. */
static void
copy_cut(char *dst, size_t cap, const char *src)
{
	size_t len = strlen(src), n = 0;

	while (n < len) {
		uint32_t cp;
		int k = text_decode(src + n, len - n, &cp);

		if (k < 0)
			k = 1;
		if (n + (size_t)k > cap - 1)
			break;
		n += (size_t)k;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool
accept(struct val_result *r, const char *normalised)
{
	if (r != NULL) {
		r->ok = true;
		r->message[0] = '\0';
		copy_cut(r->normalised, sizeof r->normalised, normalised);
	}
	return true;
}

/* Refuses with a message formatted from fmt (already translated). */
static bool refuse(struct val_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool
refuse(struct val_result *r, const char *fmt, ...)
{
	va_list ap;
	char *m;

	if (r == NULL)
		return false;
	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	r->ok = false;
	copy_cut(r->message, sizeof r->message, m);
	r->normalised[0] = '\0';
	free(m);
	return false;
}

/* ---- input preparation ------------------------------------------------ */

static bool
is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == '\v' || cp == '\f' || cp == 0xA0 || cp == 0x3000;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The blank-trimmed span of s: *start and *len in bytes. */
static void
trim_span(const char *s, size_t *start, size_t *len)
{
	size_t n = strlen(s), i = 0, begin = 0, end = 0;
	bool seen = false;

	while (i < n) {
		uint32_t cp;
		int k = text_decode(s + i, n - i, &cp);

		if (k < 0) {
			k = 1;
			cp = 0xFFFD;
		}
		if (!is_space_cp(cp)) {
			if (!seen)
				begin = i;
			seen = true;
			end = i + (size_t)k;
		}
		i += (size_t)k;
	}
	*start = seen ? begin : n;
	*len = seen ? end - begin : 0;
}

/*
 * A malloc'd copy of s, full-width forms folded to ASCII (see validate.h),
 * each invalid byte replaced by U+FFFD, blanks trimmed at both ends.
 */
static char *
fold(const char *s)
{
	size_t n, i = 0, o = 0, start, len;
	char *out, *t;

	if (s == NULL)
		s = "";
	n = strlen(s);
	out = xmalloc(3 * n + 1);
	while (i < n) {
		uint32_t cp;
		int k = text_decode(s + i, n - i, &cp);

		if (k < 0) {
			k = 1;
			cp = 0xFFFD;
		}
		i += (size_t)k;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		else if (cp == 0x3000)
			cp = ' ';
		else if (cp == 0xFFE5)
			cp = 0xA5;
		o += text_encode(cp, out + o);
	}
	out[o] = '\0';
	trim_span(out, &start, &len);
	t = xstrndup(out + start, len);
	free(out);
	return t;
}

/*
 * Removes every character of drop (ASCII) from s in place. Returns true
 * when at least one was removed.
 */
static bool
squeeze(char *s, const char *drop)
{
	char *w = s;
	bool any = false;

	for (; *s != '\0'; s++) {
		if (strchr(drop, *s) != NULL)
			any = true;
		else
			*w++ = *s;
	}
	*w = '\0';
	return any;
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return false;
	return true;
}

bool
val_blank(const char *s)
{
	size_t start, len;

	if (s == NULL)
		return true;
	trim_span(s, &start, &len);
	return len == 0;
}

static int
date_cmp(struct cal_date a, struct cal_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* ---- citizen ID ------------------------------------------------------- */

static char
idno_check_char(const char *d17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0, i;

	for (i = 0; i < 17; i++)
		sum += (d17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static bool
province_ok(const char *s)
{
	static const unsigned char codes[] = {
		11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
		71, 81, 82, 83,
	};
	int p = num(s, 2);
	size_t i;

	for (i = 0; i < sizeof codes; i++)
		if (codes[i] == p)
			return true;
	return false;
}

bool
val_idno(const char *s, struct cal_date today, struct val_idno *out,
	 struct val_result *r)
{
	static const struct cal_date oldest = { 1890, 1, 1 };
	char *t = fold(s);
	size_t n, i;
	struct cal_date b;
	struct val_idno v;
	char area[11];
	bool ok = false;

	squeeze(t, " \t\n\r\v\f");
	n = strlen(t);
	if (n == 0) {
		refuse(r, "%s", _("Please enter the ID number"));
		goto done;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (!is_digit(c) && !((c == 'X' || c == 'x') && i == n - 1))
			break;
	}
	if (i < n) {
		refuse(r, "%s", _("The ID number may contain only digits, with X allowed as the last character"));
		goto done;
	}
	if (n == 15 && all_digits(t, n)) {
		refuse(r, "%s", _("This is an old 15-digit ID number; please use the 18-digit ID number"));
		goto done;
	}
	if (n != 18) {
		refuse(r, _("The ID number must have 18 characters; it has %d"), (int)n);
		goto done;
	}
	if (t[17] == 'x')
		t[17] = 'X';
	if (!province_ok(t)) {
		memcpy(area, t, 6);
		area[6] = '\0';
		refuse(r, _("The area code at the start of the ID number is not valid: %s"), area);
		goto done;
	}
	b.y = num(t + 6, 4);
	b.m = num(t + 10, 2);
	b.d = num(t + 12, 2);
	if (!cal_date_valid(b)) {
		snprintf(area, sizeof area, "%.4s-%.2s-%.2s", t + 6, t + 10, t + 12);
		refuse(r, _("The date of birth does not exist: %s"), area);
		goto done;
	}
	if (date_cmp(b, today) > 0) {
		refuse(r, "%s", _("The date of birth is later than today"));
		goto done;
	}
	if (date_cmp(b, oldest) < 0) {
		refuse(r, "%s", _("The date of birth is before 1890-01-01; please check the number"));
		goto done;
	}
	if (idno_check_char(t) != t[17]) {
		refuse(r, "%s", _("The check digit is wrong; please check the number"));
		goto done;
	}
	memcpy(v.id, t, 19);
	v.birth = b;
	v.age = today.y - b.y;
	if (today.m < b.m || (today.m == b.m && today.d < b.d))
		v.age--;
	v.sex = (t[16] - '0') % 2 == 1 ? 'M' : 'F';
	if (out != NULL)
		*out = v;
	ok = accept(r, v.id);
done:
	free(t);
	return ok;
}

bool
val_idno_upgrade15(const char *s15, char out[19])
{
	char *t = fold(s15);
	struct cal_date b;
	bool ok = false;

	out[0] = '\0';
	if (strlen(t) == 15 && all_digits(t, 15)) {
		b.y = 1900 + num(t + 6, 2);
		b.m = num(t + 8, 2);
		b.d = num(t + 10, 2);
		if (cal_date_valid(b)) {
			memcpy(out, t, 6);
			out[6] = '1';
			out[7] = '9';
			memcpy(out + 8, t + 6, 9);
			out[17] = idno_check_char(out);
			out[18] = '\0';
			ok = true;
		}
	}
	free(t);
	return ok;
}

/* ---- dates ------------------------------------------------------------ */

/* Reads 1..max digits at *p (advancing it); -1 when none or too many. */
static int
read_num(const char **p, int max)
{
	const char *s = *p;
	int n = 0;

	while (is_digit((unsigned char)s[n]))
		n++;
	if (n == 0 || n > max)
		return -1;
	*p = s + n;
	return num(s, (size_t)n);
}

static bool
skip_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Splits t into *d (values unchecked); false when the form is wrong. */
static bool
date_lex(const char *t, struct cal_date *d)
{
	size_t n = strlen(t);
	const char *p = t;

	if (n == 8 && all_digits(t, 8)) {
		d->y = num(t, 4);
		d->m = num(t + 4, 2);
		d->d = num(t + 6, 2);
		return true;
	}
	if (n < 4 || !all_digits(t, 4))
		return false;
	d->y = num(t, 4);
	p = t + 4;
	if (*p == '-' || *p == '/' || *p == '.') {
		char sep = *p++;

		if ((d->m = read_num(&p, 2)) < 0 || *p++ != sep)
			return false;
		if ((d->d = read_num(&p, 2)) < 0)
			return false;
		return *p == '\0';
	}
	if (!skip_lit(&p, "年") || (d->m = read_num(&p, 2)) < 0 ||
	    !skip_lit(&p, "月") || (d->d = read_num(&p, 2)) < 0)
		return false;
	skip_lit(&p, "日");
	return *p == '\0';
}

bool
val_date(const char *s, struct cal_date today, bool allow_future,
	 struct cal_date *out, struct val_result *r)
{
	char *t = fold(s);
	struct cal_date d;
	char buf[32];
	bool ok = false;

	if (*t == '\0')
		refuse(r, "%s", _("Please enter a date"));
	else if (!date_lex(t, &d))
		refuse(r, "%s", _("Enter the date as year-month-day, for example 2024-03-05"));
	else if (!cal_date_valid(d)) {
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.y, d.m, d.d);
		refuse(r, _("The date does not exist: %s"), buf);
	}
	else if (!allow_future && date_cmp(d, today) > 0)
		refuse(r, "%s", _("The date is later than today"));
	else {
		cal_date_format(d, buf);
		if (out != NULL)
			*out = d;
		ok = accept(r, buf);
	}
	free(t);
	return ok;
}

/* ---- money ------------------------------------------------------------ */

void
val_money_format(long long fen, char out[32])
{
	unsigned long long v = fen < 0 ? 0ULL - (unsigned long long)fen
				       : (unsigned long long)fen;
	unsigned long long yuan = v / 100;
	char digits[24], *o = out;
	int nd = 0, i;

	do {
		digits[nd++] = (char)('0' + yuan % 10);
		yuan /= 10;
	} while (yuan > 0);
	if (fen < 0)
		*o++ = '-';
	for (i = nd - 1; i >= 0; i--) {
		*o++ = digits[i];
		if (i > 0 && i % 3 == 0)
			*o++ = ',';
	}
	*o++ = '.';
	*o++ = (char)('0' + v % 100 / 10);
	*o++ = (char)('0' + v % 10);
	*o = '\0';
}

/* Drops a prefix or suffix lit from the trimmed string t (then re-trims). */
static void
strip_affix(char *t, const char *lit, bool prefix)
{
	size_t n = strlen(t), k = strlen(lit), start, len;

	if (n < k)
		return;
	if (prefix && memcmp(t, lit, k) == 0)
		memmove(t, t + k, n - k + 1);
	else if (!prefix && memcmp(t + n - k, lit, k) == 0)
		t[n - k] = '\0';
	else
		return;
	trim_span(t, &start, &len);
	memmove(t, t + start, len);
	t[len] = '\0';
}

bool
val_money(const char *s, long long *fen, struct val_result *r)
{
	char *t = fold(s);
	const char *p;
	long long yuan = 0, cents = 0;
	int ndig = 0, group = 0, nfrac = 0;
	bool comma = false, bad = false, ok = false;
	char buf[32];

	if (*t == '\0') {
		refuse(r, "%s", _("Please enter an amount"));
		goto done;
	}
	strip_affix(t, "\xC2\xA5", true);       /* ¥ */
	strip_affix(t, "元", false);
	if (*t == '-') {
		refuse(r, "%s", _("The amount cannot be negative"));
		goto done;
	}
	for (p = t; is_digit((unsigned char)*p) || *p == ','; p++) {
		if (*p == ',') {
			if (group == 0 || (comma ? group != 3 : group > 3))
				bad = true;
			comma = true;
			group = 0;
			continue;
		}
		group++;
		ndig++;
		if (yuan <= VAL_MONEY_MAX_FEN)  /* saturates: never overflows */
			yuan = yuan * 10 + (*p - '0');
	}
	if (ndig == 0 || group == 0 || (comma && group != 3))
		bad = true;
	if (*p == '.') {
		for (p++; is_digit((unsigned char)*p); p++, nfrac++)
			if (nfrac < 2)
				cents = cents * 10 + (*p - '0');
		if (nfrac == 0)
			bad = true;
	}
	if (*p != '\0' || bad) {
		refuse(r, "%s", _("Enter the amount in yuan as digits, for example 1234.56"));
		goto done;
	}
	if (nfrac > 2) {
		refuse(r, "%s", _("The amount can have at most two decimal places"));
		goto done;
	}
	if (nfrac == 1)
		cents *= 10;
	if (yuan > VAL_MONEY_MAX_FEN / 100) {
		refuse(r, "%s", _("The amount exceeds the limit of 99,999,999.99 yuan"));
		goto done;
	}
	val_money_format(yuan * 100 + cents, buf);
	if (fen != NULL)
		*fen = yuan * 100 + cents;
	ok = accept(r, buf);
done:
	free(t);
	return ok;
}

/* ---- phone numbers ---------------------------------------------------- */

/* Landline from d (all digits, starting with 0): "0xxx-nnnnnnn" into out. */
static bool
landline(const char *d, char out[16])
{
	size_t n = strlen(d), area;

	if (n < 3 || d[0] != '0')
		return false;
	if (d[1] == '1' && d[2] == '0')
		area = 3;
	else if (d[1] == '2')
		area = 3;
	else if (d[1] >= '3' && d[1] <= '9')
		area = 4;
	else
		return false;
	if (n < area + 7 || n > area + 8 || d[area] < '2')
		return false;
	memcpy(out, d, area);
	out[area] = '-';
	memcpy(out + area + 1, d + area, n - area + 1);
	return true;
}

bool
val_phone(const char *s, struct val_result *r)
{
	char *t = fold(s), *d;
	char tel[16];
	bool plus, intl = false, ok = false;
	size_t n;

	if (*t == '\0') {
		refuse(r, "%s", _("Please enter a phone number"));
		goto done;
	}
	plus = t[0] == '+';
	d = t + plus;
	squeeze(d, " \t\n\r\v\f-");
	if (!all_digits(d, strlen(d))) {
		refuse(r, "%s", _("The phone number may contain only digits, spaces and hyphens"));
		goto done;
	}
	n = strlen(d);
	if (plus || (strncmp(d, "00", 2) == 0 && n > 2)) {
		const char *cc = plus ? "86" : "0086";

		if (strncmp(d, cc, strlen(cc)) != 0) {
			refuse(r, "%s", _("Only mainland China numbers (+86) are accepted"));
			goto done;
		}
		d += strlen(cc);
		intl = true;
	} else if (n == 13 && strncmp(d, "861", 3) == 0) {
		d += 2;
	}
	n = strlen(d);
	if (intl && n > 0 && (d[0] >= '2' || strncmp(d, "10", 2) == 0)) {
		/* "+86 795 6412345": the area code without its 0 (mobile
		 * numbers never start with 10: that is Beijing's area code) */
		d--;
		*d = '0';
		n++;
	}
	if (n > 0 && d[0] == '0') {
		if (!landline(d, tel)) {
			refuse(r, "%s", _("A landline number is an area code and a 7- or 8-digit number, for example 0795-6412345"));
			goto done;
		}
		ok = accept(r, tel);
		goto done;
	}
	if (n > 0 && d[0] != '1' && (n == 7 || n == 8)) {
		refuse(r, "%s", _("A landline number needs its area code, for example 0795-6412345"));
		goto done;
	}
	if (n != 11) {
		refuse(r, _("The mobile number must have 11 digits; it has %d"), (int)n);
		goto done;
	}
	if (d[0] != '1' || d[1] < '3') {
		refuse(r, "%s", _("A mobile number must begin with 13 to 19"));
		goto done;
	}
	ok = accept(r, d);
done:
	free(t);
	return ok;
}

/* ---- bank cards ------------------------------------------------------- */

static bool
luhn_ok(const char *d, size_t n)
{
	int sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int v = d[n - 1 - i] - '0';

		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

bool
val_bankcard(const char *s, struct val_result *r)
{
	char *t = fold(s);
	size_t n;
	bool ok = false;

	squeeze(t, " \t\n\r\v\f-");
	n = strlen(t);
	if (n == 0)
		refuse(r, "%s", _("Please enter the bank card number"));
	else if (!all_digits(t, n))
		refuse(r, "%s", _("The bank card number may contain only digits"));
	else if (n < 16 || n > 19)
		refuse(r, _("The bank card number must have 16 to 19 digits; it has %d"), (int)n);
	else if (!luhn_ok(t, n))
		refuse(r, "%s", _("The card number fails its check; please check it"));
	else
		ok = accept(r, t);
	free(t);
	return ok;
}

/* ---- choices ---------------------------------------------------------- */

bool
val_choice(const char *s, const char *const *values, size_t n,
	   struct val_result *r)
{
	size_t start, len, i;
	char *t, *f;
	bool ok = false;

	if (s == NULL)
		s = "";
	trim_span(s, &start, &len);
	t = xstrndup(s + start, len);
	f = fold(s);
	for (i = 0; i < n && !ok; i++) {
		if (values[i] == NULL || strlen(values[i]) >= VAL_NORM_MAX)
			continue;
		if (strcmp(values[i], t) == 0 || strcmp(values[i], f) == 0)
			ok = accept(r, values[i]);
	}
	if (!ok) {
		if (len == 0)
			refuse(r, "%s", _("Please choose a value"));
		else
			refuse(r, "%s", _("Please choose one of the listed values"));
	}
	free(t);
	free(f);
	return ok;
}

/* ---- patterns --------------------------------------------------------- */

/*
 * A small POSIX ERE engine over code points. The pattern is parsed into a
 * tree, the tree compiled into a program for a Pike VM (Thompson NFA
 * simulation: time O(text * program), no backtracking), and the program
 * run on the whole text.
 */

#define RE_DUP_LIMIT  255
#define RE_DEPTH      64
#define RE_PROG_LIMIT 20000
#define RE_MAX_LEN    1000

enum re_class {
	RC_DIGIT = 1 << 0, RC_ALPHA = 1 << 1, RC_ALNUM = 1 << 2, RC_UPPER = 1 << 3,
	RC_LOWER = 1 << 4, RC_SPACE = 1 << 5, RC_BLANK = 1 << 6, RC_XDIGIT = 1 << 7,
	RC_PUNCT = 1 << 8, RC_CNTRL = 1 << 9, RC_PRINT = 1 << 10, RC_GRAPH = 1 << 11,
};

struct re_range {
	uint32_t lo, hi;
};

struct re_set {
	bool neg;
	unsigned classes;
	struct re_range *r;
	size_t nr, cap;
};

enum re_kind { N_EMPTY, N_CHAR, N_ANY, N_SET, N_BOL, N_EOL, N_CAT, N_ALT, N_REP };

struct re_node {
	enum re_kind kind;
	uint32_t cp;            /* N_CHAR */
	size_t set;             /* N_SET: index into sets */
	size_t a, b;            /* children (N_CAT, N_ALT; N_REP uses a) */
	int min, max;           /* N_REP; max -1 = unbounded */
};

enum re_op { I_CHAR, I_ANY, I_SET, I_SPLIT, I_JMP, I_BOL, I_EOL, I_MATCH };

struct re_inst {
	enum re_op op;
	uint32_t cp;
	size_t x, y;            /* I_SET: x = set; I_SPLIT: x, y; I_JMP: x */
};

struct re {
	const char *p;          /* parse position */
	const char *end;
	bool err;
	int depth;
	struct re_node *nodes;
	size_t nn, ncap;
	struct re_set *sets;
	size_t ns, scap;
	struct re_inst *prog;
	size_t np;
};

static void
re_free(struct re *re)
{
	size_t i;

	for (i = 0; i < re->ns; i++)
		free(re->sets[i].r);
	free(re->sets);
	free(re->nodes);
	free(re->prog);
}

static size_t
re_node(struct re *re, enum re_kind kind)
{
	if (re->nn == re->ncap) {
		re->ncap = re->ncap ? 2 * re->ncap : 16;
		re->nodes = xreallocarray(re->nodes, re->ncap, sizeof *re->nodes);
	}
	memset(&re->nodes[re->nn], 0, sizeof re->nodes[re->nn]);
	re->nodes[re->nn].kind = kind;
	return re->nn++;
}

static size_t
re_pair(struct re *re, enum re_kind kind, size_t a, size_t b)
{
	size_t n = re_node(re, kind);

	re->nodes[n].a = a;
	re->nodes[n].b = b;
	return n;
}

/* Next code point of the pattern, advancing; invalid UTF-8 is an error. */
static uint32_t
re_getc(struct re *re)
{
	uint32_t cp = 0;
	int k = text_decode(re->p, (size_t)(re->end - re->p), &cp);

	if (k < 0) {
		re->err = true;
		re->p = re->end;
		return 0;
	}
	re->p += k;
	return cp;
}

static bool
re_at_end(const struct re *re)
{
	return re->p >= re->end;
}

static bool
ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
set_add(struct re_set *set, uint32_t lo, uint32_t hi)
{
	if (set->nr == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 4;
		set->r = xreallocarray(set->r, set->cap, sizeof *set->r);
	}
	set->r[set->nr].lo = lo;
	set->r[set->nr].hi = hi;
	set->nr++;
}

static unsigned
class_bit(const char *name, size_t len)
{
	static const struct {
		const char *name;
		unsigned bit;
	} classes[] = {
		{ "digit", RC_DIGIT }, { "alpha", RC_ALPHA }, { "alnum", RC_ALNUM },
		{ "upper", RC_UPPER }, { "lower", RC_LOWER }, { "space", RC_SPACE },
		{ "blank", RC_BLANK }, { "xdigit", RC_XDIGIT }, { "punct", RC_PUNCT },
		{ "cntrl", RC_CNTRL }, { "print", RC_PRINT }, { "graph", RC_GRAPH },
	};
	size_t i;

	for (i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
			return classes[i].bit;
	return 0;
}

static bool
class_has(unsigned classes, uint32_t c)
{
	bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
	bool digit = c >= '0' && c <= '9';
	bool graph = c >= 0x21 && c <= 0x7E;

	return ((classes & RC_DIGIT) && digit) ||
	       ((classes & RC_ALPHA) && (upper || lower)) ||
	       ((classes & RC_ALNUM) && (upper || lower || digit)) ||
	       ((classes & RC_UPPER) && upper) ||
	       ((classes & RC_LOWER) && lower) ||
	       ((classes & RC_SPACE) && (c == ' ' || (c >= '\t' && c <= '\r'))) ||
	       ((classes & RC_BLANK) && (c == ' ' || c == '\t')) ||
	       ((classes & RC_XDIGIT) && (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) ||
	       ((classes & RC_PUNCT) && graph && !upper && !lower && !digit) ||
	       ((classes & RC_CNTRL) && (c < 0x20 || c == 0x7F)) ||
	       ((classes & RC_PRINT) && (graph || c == ' ')) ||
	       ((classes & RC_GRAPH) && graph);
}

static bool
set_has(const struct re_set *set, uint32_t c)
{
	bool in = class_has(set->classes, c);
	size_t i;

	for (i = 0; i < set->nr && !in; i++)
		in = c >= set->r[i].lo && c <= set->r[i].hi;
	return in != set->neg;
}

/* Bracket expression; re->p is just after '['. */
static size_t
re_bracket(struct re *re)
{
	struct re_set set = { 0 };
	size_t n;
	bool first = true;

	if (!re_at_end(re) && *re->p == '^') {
		set.neg = true;
		re->p++;
	}
	for (;;) {
		uint32_t lo, hi;

		if (re_at_end(re)) {
			re->err = true;
			break;
		}
		if (*re->p == ']' && !first) {
			re->p++;
			break;
		}
		first = false;
		if (*re->p == '[' && re->p + 1 < re->end &&
		    (re->p[1] == ':' || re->p[1] == '=' || re->p[1] == '.')) {
			const char *name = re->p + 2, *close;
			unsigned bit;

			if (re->p[1] != ':') {          /* [= =] and [. .] unsupported */
				re->err = true;
				break;
			}
			for (close = name; close + 1 < re->end; close++)
				if (close[0] == ':' && close[1] == ']')
					break;
			if (close + 1 >= re->end)
				close = NULL;
			bit = close ? class_bit(name, (size_t)(close - name)) : 0;
			if (bit == 0) {
				re->err = true;
				break;
			}
			set.classes |= bit;
			re->p = close + 2;
			continue;
		}
		lo = re_getc(re);
		hi = lo;
		if (re->p + 1 < re->end && *re->p == '-' && re->p[1] != ']') {
			re->p++;
			if (*re->p == '[') {            /* [a-[:digit:]] */
				re->err = true;
				break;
			}
			hi = re_getc(re);
			if (hi < lo)
				re->err = true;
		}
		if (re->err)
			break;
		set_add(&set, lo, hi);
	}
	if (re->err) {
		free(set.r);
		return 0;
	}
	if (re->ns == re->scap) {
		re->scap = re->scap ? 2 * re->scap : 4;
		re->sets = xreallocarray(re->sets, re->scap, sizeof *re->sets);
	}
	re->sets[re->ns] = set;
	n = re_node(re, N_SET);
	re->nodes[n].set = re->ns++;
	return n;
}

static size_t re_alt(struct re *re);

static size_t
re_atom(struct re *re)
{
	uint32_t c = re_getc(re);
	size_t n;

	switch (c) {
	case '(':
		if (++re->depth > RE_DEPTH) {
			re->err = true;
			return 0;
		}
		n = re_alt(re);
		re->depth--;
		if (re_at_end(re) || *re->p != ')')
			re->err = true;
		else
			re->p++;
		return n;
	case '.':
		return re_node(re, N_ANY);
	case '^':
		return re_node(re, N_BOL);
	case '$':
		return re_node(re, N_EOL);
	case '[':
		return re_bracket(re);
	case '\\':
		if (re_at_end(re)) {
			re->err = true;
			return 0;
		}
		c = re_getc(re);
		if (ascii_alnum(c))             /* \d, \w, \1 ...: not ERE */
			re->err = true;
		break;
	case '*': case '+': case '?': case '{': case ')': case '|':
		re->err = true;                 /* nothing to repeat, or stray */
		return 0;
	default:
		break;
	}
	n = re_node(re, N_CHAR);
	re->nodes[n].cp = c;
	return n;
}

/* Reads a bound 0..RE_DUP_LIMIT; -1 when there are no digits. */
static int
re_bound(struct re *re)
{
	int v = 0, nd = 0;

	while (!re_at_end(re) && is_digit((unsigned char)*re->p)) {
		v = v * 10 + (*re->p++ - '0');
		if (++nd > 3 || v > RE_DUP_LIMIT) {
			re->err = true;
			return -1;
		}
	}
	return nd ? v : -1;
}

static size_t
re_piece(struct re *re)
{
	enum re_kind k;
	size_t n = re_atom(re);

	if (re->err)
		return n;
	k = re->nodes[n].kind;
	while (!re_at_end(re) && !re->err &&
	       (*re->p == '*' || *re->p == '+' || *re->p == '?' || *re->p == '{')) {
		int min = 0, max = -1;
		char q = *re->p++;
		size_t rep;

		if (k == N_BOL || k == N_EOL) {
			re->err = true;
			break;
		}
		if (q == '+')
			min = 1;
		else if (q == '?')
			max = 1;
		else if (q == '{') {
			min = re_bound(re);
			max = min;
			if (!re_at_end(re) && *re->p == ',') {
				re->p++;
				max = re_bound(re);
			}
			if (min < 0 || re_at_end(re) || *re->p != '}' ||
			    (max >= 0 && max < min)) {
				re->err = true;
				break;
			}
			re->p++;
		}
		rep = re_node(re, N_REP);
		re->nodes[rep].a = n;
		re->nodes[rep].min = min;
		re->nodes[rep].max = max;
		n = rep;
	}
	return n;
}

static size_t
re_concat(struct re *re)
{
	size_t n = re_node(re, N_EMPTY);

	while (!re_at_end(re) && !re->err && *re->p != '|' && *re->p != ')')
		n = re_pair(re, N_CAT, n, re_piece(re));
	return n;
}

static size_t
re_alt(struct re *re)
{
	size_t n = re_concat(re);

	while (!re_at_end(re) && !re->err && *re->p == '|') {
		re->p++;
		n = re_pair(re, N_ALT, n, re_concat(re));
	}
	return n;
}

/* Program size of node n, saturating above RE_PROG_LIMIT. */
static size_t
re_size(const struct re *re, size_t n)
{
	const struct re_node *nd = &re->nodes[n];
	size_t a, total;

	switch (nd->kind) {
	case N_EMPTY:
		return 0;
	case N_CAT:
		total = re_size(re, nd->a) + re_size(re, nd->b);
		break;
	case N_ALT:
		total = re_size(re, nd->a) + re_size(re, nd->b) + 2;
		break;
	case N_REP:
		a = re_size(re, nd->a);
		if (nd->max < 0)
			total = a * (size_t)nd->min + a + 2;
		else
			total = a * (size_t)nd->max + (size_t)(nd->max - nd->min);
		break;
	default:
		return 1;
	}
	return total > RE_PROG_LIMIT ? RE_PROG_LIMIT + 1 : total;
}

static size_t
emit(struct re *re, enum re_op op)
{
	memset(&re->prog[re->np], 0, sizeof re->prog[re->np]);
	re->prog[re->np].op = op;
	return re->np++;
}

static void
re_emit(struct re *re, size_t n)
{
	const struct re_node *nd = &re->nodes[n];
	size_t split, jmp;
	int k;

	switch (nd->kind) {
	case N_EMPTY:
		break;
	case N_CHAR:
		re->prog[emit(re, I_CHAR)].cp = nd->cp;
		break;
	case N_ANY:
		emit(re, I_ANY);
		break;
	case N_SET:
		re->prog[emit(re, I_SET)].x = nd->set;
		break;
	case N_BOL:
		emit(re, I_BOL);
		break;
	case N_EOL:
		emit(re, I_EOL);
		break;
	case N_CAT:
		re_emit(re, nd->a);
		re_emit(re, nd->b);
		break;
	case N_ALT:
		split = emit(re, I_SPLIT);
		re->prog[split].x = re->np;
		re_emit(re, nd->a);
		jmp = emit(re, I_JMP);
		re->prog[split].y = re->np;
		re_emit(re, nd->b);
		re->prog[jmp].x = re->np;
		break;
	case N_REP:
		for (k = 0; k < nd->min; k++)
			re_emit(re, nd->a);
		if (nd->max < 0) {
			split = emit(re, I_SPLIT);
			re->prog[split].x = re->np;
			re_emit(re, nd->a);
			re->prog[emit(re, I_JMP)].x = split;
			re->prog[split].y = re->np;
		} else {
			for (k = nd->min; k < nd->max; k++) {
				split = emit(re, I_SPLIT);
				re->prog[split].x = re->np;
				re_emit(re, nd->a);
				re->prog[split].y = re->np;
			}
		}
		break;
	}
}

/* Parses and compiles pattern into *re; false (re freed) when invalid. */
static bool
re_compile(struct re *re, const char *pattern)
{
	size_t root, size;

	memset(re, 0, sizeof *re);
	if (strlen(pattern) > RE_MAX_LEN)
		return false;                   /* bounds the recursion depth */
	re->p = pattern;
	re->end = pattern + strlen(pattern);
	root = re_alt(re);
	if (!re->err && !re_at_end(re))
		re->err = true;                 /* unbalanced ')' */
	if (!re->err) {
		size = re_size(re, root);
		if (size > RE_PROG_LIMIT)
			re->err = true;
		else {
			re->prog = xreallocarray(NULL, size + 1, sizeof *re->prog);
			re_emit(re, root);
			emit(re, I_MATCH);
		}
	}
	if (re->err) {
		re_free(re);
		return false;
	}
	return true;
}

struct re_list {
	size_t *pc;
	size_t n;
};

/* Adds pc and everything reachable from it without consuming input to
 * list, following the assertions at position pos of n. */
static void
re_add(const struct re *re, struct re_list *list, size_t pc, unsigned *mark,
       unsigned gen, size_t *stack, size_t pos, size_t n)
{
	size_t sp = 0;

	stack[sp++] = pc;
	while (sp > 0) {
		const struct re_inst *in;

		pc = stack[--sp];
		if (mark[pc] == gen)
			continue;
		mark[pc] = gen;
		in = &re->prog[pc];
		switch (in->op) {
		case I_JMP:
			stack[sp++] = in->x;
			break;
		case I_SPLIT:
			stack[sp++] = in->y;
			stack[sp++] = in->x;
			break;
		case I_BOL:
			if (pos == 0)
				stack[sp++] = pc + 1;
			break;
		case I_EOL:
			if (pos == n)
				stack[sp++] = pc + 1;
			break;
		default:
			list->pc[list->n++] = pc;
			break;
		}
	}
}

/* True when the program matches all of text[0..n-1]. */
static bool
re_run(const struct re *re, const uint32_t *text, size_t n)
{
	size_t np = re->np, pos, i;
	unsigned *mark = xcalloc(np, sizeof *mark);
	size_t *stack = xreallocarray(NULL, 2 * np + 2, sizeof *stack);
	struct re_list a, b, *cur = &a, *next = &b, *tmp;
	unsigned gen = 1;
	bool matched = false;

	a.pc = xreallocarray(NULL, np, sizeof *a.pc);
	b.pc = xreallocarray(NULL, np, sizeof *b.pc);
	a.n = b.n = 0;
	re_add(re, cur, 0, mark, gen, stack, 0, n);
	for (pos = 0;; pos++) {
		if (pos == n) {
			for (i = 0; i < cur->n; i++)
				if (re->prog[cur->pc[i]].op == I_MATCH)
					matched = true;
			break;
		}
		if (cur->n == 0)
			break;
		gen++;
		next->n = 0;
		for (i = 0; i < cur->n; i++) {
			const struct re_inst *in = &re->prog[cur->pc[i]];
			bool step = (in->op == I_CHAR && in->cp == text[pos]) ||
				    in->op == I_ANY ||
				    (in->op == I_SET && set_has(&re->sets[in->x], text[pos]));

			if (step)
				re_add(re, next, cur->pc[i] + 1, mark, gen, stack, pos + 1, n);
		}
		tmp = cur;
		cur = next;
		next = tmp;
	}
	free(a.pc);
	free(b.pc);
	free(stack);
	free(mark);
	return matched;
}

bool
val_pattern_valid(const char *pattern)
{
	struct re re;

	if (pattern == NULL)
		return true;
	if (!re_compile(&re, pattern))
		return false;
	re_free(&re);
	return true;
}

/* ---- free text -------------------------------------------------------- */

bool
val_text(const char *s, int min_chars, int max_chars, const char *pattern,
	 struct val_result *r)
{
	size_t start, len, i = 0, nc = 0;
	uint32_t *cps;
	char *t;
	struct re re;
	bool ok = false;

	if (s == NULL)
		s = "";
	trim_span(s, &start, &len);
	if (!text_valid(s + start, len))
		return refuse(r, "%s", _("The text contains characters that are not allowed"));
	t = xstrndup(s + start, len);
	cps = xreallocarray(NULL, len + 1, sizeof *cps);
	while (i < len) {
		uint32_t cp = 0;
		int k = text_decode(t + i, len - i, &cp);

		i += (size_t)k;
		cps[nc++] = cp;
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			refuse(r, "%s", _("The text contains characters that are not allowed"));
			goto done;
		}
	}
	if (nc == 0 && min_chars > 0) {
		refuse(r, "%s", _("Please fill in this field"));
		goto done;
	}
	if (min_chars > 0 && nc < (size_t)min_chars) {
		refuse(r, _("Enter at least %d characters; there are %d"), min_chars, (int)nc);
		goto done;
	}
	if (max_chars > 0 && nc > (size_t)max_chars) {
		refuse(r, _("Enter at most %d characters; there are %d"), max_chars,
		       nc > 1000000 ? 1000000 : (int)nc);
		goto done;
	}
	if (len > VAL_NORM_MAX - 1) {
		refuse(r, "%s", _("The text is too long"));
		goto done;
	}
	if (pattern != NULL) {
		if (!re_compile(&re, pattern)) {
			refuse(r, "%s", _("The form definition has an invalid pattern for this field"));
			goto done;
		}
		ok = re_run(&re, cps, nc);
		re_free(&re);
		if (!ok) {
			refuse(r, "%s", _("The text does not have the required format"));
			goto done;
		}
	}
	ok = accept(r, t);
done:
	free(cps);
	free(t);
	return ok;
}

/* ---- masks ------------------------------------------------------------ */

char *
val_mask_idno(const char *id)
{
	size_t start, len, i = 0, nc = 0, k = 0, o = 0;
	char *out;

	if (id == NULL)
		return xstrdup("");
	trim_span(id, &start, &len);
	id += start;
	while (i < len) {               /* count characters */
		uint32_t cp;
		int step = text_decode(id + i, len - i, &cp);

		i += step < 0 ? 1 : (size_t)step;
		nc++;
	}
	out = xmalloc(len + 1);
	for (i = 0; i < len; k++) {
		uint32_t cp;
		int step = text_decode(id + i, len - i, &cp);
		size_t w = step < 0 ? 1 : (size_t)step;

		if (nc > 10 && (k < 6 || k >= nc - 4)) {
			memcpy(out + o, id + i, w);
			o += w;
		} else {
			out[o++] = '*';
		}
		i += w;
	}
	out[o] = '\0';
	return out;
}

char *
val_mask_name(const char *utf8)
{
	size_t start, len, i = 0, o = 0;
	char *out;
	bool first = true;

	if (utf8 == NULL)
		return xstrdup("");
	trim_span(utf8, &start, &len);
	utf8 += start;
	out = xmalloc(len + 3 + 1);
	while (i < len) {
		uint32_t cp;
		int step = text_decode(utf8 + i, len - i, &cp);
		size_t w = step < 0 ? 1 : (size_t)step;

		if (first)
			o += text_encode(step < 0 ? 0xFFFD : cp, out + o);
		else
			out[o++] = '*';
		first = false;
		i += w;
	}
	out[o] = '\0';
	return out;
}
