/* Field validators; see validate.h. No locale, no floating point. */
#include "model/validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "model/regex.h"
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

bool
val_pattern_valid(const char *pattern)
{
	struct rx *rx;

	if (pattern == NULL)
		return true;
	rx = rx_compile(pattern);
	if (rx == NULL)
		return false;
	rx_free(&rx);
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
	struct rx *rx;
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
		if ((rx = rx_compile(pattern)) == NULL) {
			refuse(r, "%s", _("The form definition has an invalid pattern for this field"));
			goto done;
		}
		ok = rx_match(rx, cps, nc);
		rx_free(&rx);
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
