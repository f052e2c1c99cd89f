/*
 * Field validators for the 受理 forms: citizen ID numbers, dates, amounts,
 * phone numbers, bank cards, choices and free text.
 *
 * Plain C: no curses, no libpq, no floating point, and nothing depends on
 * the C library locale (no ctype.h, no regcomp, no mbrtowc): results are
 * identical under LANG=C and LANG=zh_CN.UTF-8.
 *
 * Common contract of every val_* validator taking a struct val_result:
 *
 *   - s is the text as typed, UTF-8; s == NULL is taken as "".
 *   - Leading and trailing blanks are ignored: ASCII space, TAB, CR, LF,
 *     VT, FF, U+00A0 (no-break space) and U+3000 (ideographic space).
 *   - The structured validators (idno, date, money, phone, bankcard) first
 *     fold full-width forms, as Chinese input methods produce them, to
 *     ASCII: U+FF01..U+FF5E become U+0021..U+007E (０-９ → 0-9, Ｘ → X,
 *     －．，／＋ → -.,/+), U+3000 becomes a space and U+FFE5 (￥) becomes
 *     U+00A5 (¥). Bytes that are not valid UTF-8 are never accepted.
 *   - The return value tells whether the value is valid and equals r->ok.
 *   - r may be NULL when only the verdict is wanted. Otherwise *r is always
 *     completely rewritten:
 *       ok          the verdict;
 *       message     "" when valid, else one sentence for the clerk,
 *                   already translated through i18n (_()) and with its
 *                   values filled in; never more than VAL_MSG_MAX - 1 bytes
 *                   and always cut on a character boundary;
 *       normalised  when valid, the value in the form to store and show
 *                   (e.g. "11010519491231002X", "2024-03-05", "1,234.56",
 *                   "0795-6412345"); "" when not valid.
 *     struct val_result is self-contained: nothing in it is owned elsewhere
 *     and nothing needs freeing.
 *   - An empty (all-blank) value is refused by every validator except
 *     val_text with min_chars <= 0 (and val_choice when "" is one of the
 *     values). Optional fields should test val_blank() first.
 *   - Out parameters (struct val_idno *, struct cal_date *, long long *)
 *     may be NULL; they are written only when the value is valid.
 *
 * Functions returning char * return memory from util/xalloc.h (never
 * NULL), freed by the caller with free().
 */
#ifndef YC_MODEL_VALIDATE_H
#define YC_MODEL_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/calendar.h"

#define VAL_MSG_MAX  256
#define VAL_NORM_MAX 1024

struct val_result {
	bool ok;
	char message[VAL_MSG_MAX];
	char normalised[VAL_NORM_MAX];
};

/* True when s is NULL or contains only blanks (see above). */
bool val_blank(const char *s);

/* ---- citizen ID number (居民身份证号码, GB 11643-1999) ------------------ */

struct val_idno {
	char id[19];            /* 17 digits + check character, X upper-case */
	struct cal_date birth;
	int age;                /* whole years on `today` */
	char sex;               /* 'M' (17th digit odd) or 'F' */
};

/*
 * Validates an 18-character citizen ID number. Spaces inside the number
 * (ASCII or ideographic, as in "110105 19491231 002X") are ignored. Accepted when all of:
 *   - 17 digits followed by a digit or X/x (x is normalised to X);
 *   - the first two digits are a province code of GB/T 2260 as used in ID
 *     numbers: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83
 *     (83 = residence permits of Taiwan residents). Numbers starting with
 *     9 (foreigners' permanent residence cards) are not citizen IDs and
 *     are refused;
 *   - characters 7-14 are a real date YYYYMMDD, not after today and not
 *     before 1890-01-01;
 *   - the check character is right (ISO 7064 MOD 11-2: sum of digit i
 *     times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, modulo 11, indexes
 *     "10X98765432").
 * The checks are made in that order and the first failure is reported,
 * each with its own message: empty; characters other than digits (and a
 * final X); an old 15-digit number (15 digits: refused, to be upgraded to
 * 18 digits, see val_idno_upgrade15); wrong length (the message gives the
 * count); province code; date that does not exist; date after today;
 * date before 1890; check character.
 * On success *out (if non-NULL) receives the number, the date of birth,
 * the age in whole years on today (someone born on 29 February becomes a
 * year older on 1 March in common years) and the sex.
 * today should be a valid date; it is only compared with, field by field.
 */
bool val_idno(const char *s, struct cal_date today, struct val_idno *out,
	      struct val_result *r);

/*
 * Converts a legacy 15-digit number (6 area digits, YYMMDD, 3 sequence
 * digits) to 18 characters: "19" is inserted before YYMMDD and the check
 * character is appended. s15 is read like val_idno's input (blanks
 * trimmed, full-width digits folded). Returns false, with out set to "",
 * when s15 is not exactly 15 digits or 19YYMMDD is not a real date.
 */
bool val_idno_upgrade15(const char *s15, char out[19]);

/* ---- dates ------------------------------------------------------------ */

/*
 * Accepts, with Y, M, D ASCII digits (after folding):
 *     YYYY-MM-DD   YYYY/MM/DD   YYYY.MM.DD   (month and day: 1 or 2
 *                  digits, the same separator twice)
 *     YYYYMMDD     (exactly 8 digits)
 *     YYYY年M月D日  (month and day 1 or 2 digits; the final 日 may be
 *                  omitted)
 * The year always has 4 digits. The date must exist (cal_date_valid) and,
 * unless allow_future, must not be after today. Messages: empty, format,
 * date that does not exist, date after today. normalised is YYYY-MM-DD.
 */
bool val_date(const char *s, struct cal_date today, bool allow_future,
	      struct cal_date *out, struct val_result *r);

/* ---- money ------------------------------------------------------------ */

/* Largest accepted amount in fen: 99,999,999.99 yuan. */
#define VAL_MONEY_MAX_FEN 9999999999LL

/*
 * An amount in yuan, converted to integer fen (分) without floating point.
 * Accepted: an optional "¥" (or ￥) before and an optional "元" after the
 * number (blanks allowed between them and the number); the number is one
 * or more digits, optionally grouped by commas (then strictly: a first
 * group of 1-3 digits followed by groups of exactly 3: "1,234,567"),
 * optionally followed by "." and 1 or 2 digits. Leading zeros are allowed.
 * Messages: empty; negative (a leading "-"); format (anything else, e.g.
 * "12.3.4", "1e5", "12.", ".5", "1,23", "+5", "1 234"); more than two
 * decimals (also "1.230"); over VAL_MONEY_MAX_FEN. normalised is
 * val_money_format's text.
 */
bool val_money(const char *s, long long *fen, struct val_result *r);

/* Writes fen as yuan with comma-grouped thousands and two decimals:
 * 123456 → "1,234.56", 5 → "0.05", -150 → "-1.50". Any long long fits. */
void val_money_format(long long fen, char out[32]);

/* ---- phone numbers ---------------------------------------------------- */

/*
 * A mainland China phone number. Spaces and hyphens may appear anywhere
 * and are dropped; other characters are refused.
 *   Mobile: 11 digits 1[3-9]xxxxxxxxx, optionally preceded by "+86",
 *     "0086" or "86" (the bare "86" only when 13 digits result).
 *     normalised: the 11 digits.
 *   Landline: 0 + area code + local number, where the area code is "10"
 *     or "2x" (3 digits with the 0: 010, 020-029) or 3 digits starting
 *     3-9 (0xxx); the local number has 7 or 8 digits and starts with 2-9.
 *     The split is fixed by that numbering plan, so "07956412345" and
 *     "0795-6412345" are both accepted; "+86" / "0086" followed by the area
 *     code without its 0 ("+86 795 6412345", "+86 10 62345678") is
 *     accepted too.
 *     normalised: "0795-6412345".
 * Messages: empty; characters other than digits, spaces, hyphens and a
 * leading "+"; a country code other than +86; mobile of the wrong length
 * (with the count); 11 digits not starting with 13-19; a 7-8 digit local
 * number without area code; a malformed landline number.
 */
bool val_phone(const char *s, struct val_result *r);

/* ---- bank cards ------------------------------------------------------- */

/*
 * 16 to 19 digits (spaces and hyphens in the input are dropped) passing
 * the Luhn check. Messages: empty; other characters; wrong length (with
 * the count); Luhn failure. normalised: the digits only.
 */
bool val_bankcard(const char *s, struct val_result *r);

/* ---- choices and free text ------------------------------------------- */

/*
 * s (trimmed) must equal one of values[0..n-1] byte for byte; a value that
 * equals s only after full-width folding (e.g. "０１" for "01") is also
 * accepted. NULL entries are skipped. normalised: the matching value (a
 * value longer than VAL_NORM_MAX - 1 bytes can never be matched).
 * Messages: empty (when "" is not a value); not one of the values.
 */
bool val_choice(const char *s, const char *const *values, size_t n,
		struct val_result *r);

/*
 * Free text, trimmed but not folded (full-width punctuation is correct
 * Chinese text and is kept). Refused when:
 *   - it is not valid UTF-8 or contains control characters (U+0000-001F,
 *     U+007F-009F: also TAB and newline inside the text);
 *   - it is empty and min_chars > 0;
 *   - it has fewer than min_chars or more than max_chars characters (code
 *     points, not bytes: "欧阳娜娜" is 4); a bound <= 0 means no bound;
 *   - it does not fit in VAL_NORM_MAX - 1 bytes;
 *   - pattern is non-NULL and does not match the whole trimmed text.
 * pattern is a POSIX extended regular expression, matched by our own
 * engine over code points (not regcomp, which depends on the locale):
 * literals (any UTF-8 character), ".", bracket expressions with ranges of
 * code points ("[一-龥]") and negation, the classes [:digit:] [:alpha:]
 * [:alnum:] [:upper:] [:lower:] [:space:] [:blank:] [:xdigit:] [:punct:]
 * [:cntrl:] [:print:] [:graph:] (ASCII only), grouping, "|", "*", "+",
 * "?", {m}, {m,}, {m,n} (at most 255), "^" and "$", and "\" before a
 * character that is not a letter or digit. Case-sensitive. A pattern
 * that val_pattern_valid refuses makes every value invalid (with a
 * message saying the form definition is wrong).
 */
bool val_text(const char *s, int min_chars, int max_chars, const char *pattern,
	      struct val_result *r);

/* True when pattern is NULL or a pattern val_text supports: well formed,
 * at most 1000 bytes, parentheses nested at most 64 deep, and compiling
 * to at most 20000 instructions (so counted repetitions cannot blow up). For checking form definitions at load. */
bool val_pattern_valid(const char *pattern);

/* ---- masks for public display ----------------------------------------- */

/*
 * id (trimmed) with everything but the first 6 and the last 4 characters
 * replaced by '*': "360981198001010018" → "360981********0018". When id
 * has 10 characters or fewer, every character becomes '*'. NULL → "".
 */
char *val_mask_idno(const char *id);

/*
 * The name (trimmed) with its first character kept and each following
 * character (code point) replaced by one '*': "王芳" → "王*",
 * "欧阳娜娜" → "欧***"; a one-character name is unchanged. An invalid
 * byte counts as one character (as U+FFFD if it is the first). NULL → "".
 */
char *val_mask_name(const char *utf8);

#endif
