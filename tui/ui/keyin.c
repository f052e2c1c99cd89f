/* Terminal input bytes to keys; see keyin.h. */
#include "ui/keyin.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

/* Internal results of the sequence parser besides enum term_keycode. */
enum { KEYIN_PASTE_ON = K_UNKNOWN + 1, KEYIN_PASTE_OFF, KEYIN_MORE };

void
keyin_init(struct keyin *ki)
{
	memset(ki, 0, sizeof *ki);
}

bool
keyin_terminfo(struct keyin *ki, const char *seq, enum term_keycode code)
{
	if (seq == NULL || seq[0] != '\033' || seq[1] == '\0' || strlen(seq) > KEYIN_SEQ_MAX ||
	    ki->nti >= sizeof ki->ti / sizeof ki->ti[0])
		return false;
	ki->ti[ki->nti].seq = seq;
	ki->ti[ki->nti++].code = code;
	return true;
}

/* Queues a decoded key. Inside a bracketed paste only characters (and
 * the note of a dropped sequence) are kept. */
static void
keyin_emit(struct keyin *ki, int code, uint32_t ch)
{
	struct term_key *k;

	if (code == K_NONE || (ki->pasting && code != K_CHAR && code != K_UNKNOWN))
		return;
	if (code == K_CHAR)
		ki->paste_cr = false;
	if (ki->q_head + ki->q_len >= sizeof ki->q / sizeof ki->q[0])
		return;
	k = &ki->q[ki->q_head + ki->q_len++];
	k->code = (enum term_keycode)code;
	k->ch = code == K_CHAR ? ch : 0;
	k->burst = false;
	k->pasted = ki->pasting;
}

/* A C0 control byte or DEL. */
static void
keyin_control(struct keyin *ki, unsigned char b)
{
	if (ki->pasting) {
		/* pasted lines and tabs join the text with a space */
		if (b == '\n' && ki->paste_cr) {
			ki->paste_cr = false;
			return;
		}
		if (b == '\r' || b == '\n' || b == '\t')
			keyin_emit(ki, K_CHAR, ' ');
		ki->paste_cr = b == '\r';
		return;
	}
	switch (b) {
	case '\r': case '\n': keyin_emit(ki, K_ENTER, 0); break;
	case '\t': keyin_emit(ki, K_TAB, 0); break;
	case 0x7f: case 0x08: keyin_emit(ki, K_BACKSPACE, 0); break;
	case 0x15: keyin_emit(ki, K_CTRL_U, 0); break;
	default: break;	/* other controls do nothing */
	}
}

/* The first number of a CSI/SS3 parameter string (0 when none); false
 * when the sequence has private markers or intermediates. */
static bool
keyin_param(const unsigned char *p, size_t n, int *first)
{
	bool in_first = true;

	*first = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (in_first && *first < 10000)
				*first = *first * 10 + (p[i] - '0');
		} else if (p[i] == ';')
			in_first = false;
		else
			return false;
	}
	return true;
}

/* What the complete sequence s (n bytes, from the Esc) means: terminfo's
 * keys first, then what common terminals send. *ch gets the character of
 * an application-keypad key. */
static int
keyin_sequence(const struct keyin *ki, const unsigned char *s, size_t n, uint32_t *ch)
{
	unsigned char fin = s[n - 1];
	int p1;

	*ch = 0;
	for (size_t i = 0; i < ki->nti; i++)
		if (strlen(ki->ti[i].seq) == n && memcmp(ki->ti[i].seq, s, n) == 0)
			return ki->ti[i].code;
	if (s[1] == '[' && n == 4 && s[2] == '[')	/* the Linux console's F1-F5 */
		return fin >= 'A' && fin <= 'E' ? K_F1 + (fin - 'A') : K_UNKNOWN;
	if (!keyin_param(s + 2, n - 3, &p1))
		return K_UNKNOWN;
	switch (fin) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	case 'P': case 'Q': case 'R': case 'S':
		/* F1-F4, possibly with modifiers (ESC [ 1 ; 2 P); not a
		 * cursor position report (ESC [ row ; col R) */
		return p1 <= 1 ? K_F1 + (fin - 'P') : K_UNKNOWN;
	default:
		break;
	}
	if (s[1] == '[') {
		if (fin == 'Z')
			return K_BTAB;
		if (fin != '~')
			return K_UNKNOWN;
		switch (p1) {
		case 1: case 7: return K_HOME;
		case 2: return K_NONE;		/* Insert: known, does nothing */
		case 3: return K_DELETE;
		case 4: case 8: return K_END;
		case 5: return K_PGUP;
		case 6: return K_PGDN;
		case 11: case 12: case 13: case 14: case 15: return K_F1 + (p1 - 11);
		case 17: case 18: case 19: case 20: case 21: return K_F6 + (p1 - 17);
		case 23: case 24: return K_F11 + (p1 - 23);
		case 200: return KEYIN_PASTE_ON;
		case 201: return KEYIN_PASTE_OFF;
		default: return K_UNKNOWN;
		}
	}
	/* SS3: the application keypad */
	if (fin == 'M')
		return K_ENTER;
	if (fin >= 'p' && fin <= 'y') {
		*ch = '0' + (uint32_t)(fin - 'p');
		return K_CHAR;
	}
	if (fin >= 'j' && fin <= 'o') {
		*ch = (uint32_t)"*+,-./"[fin - 'j'];
		return K_CHAR;
	}
	return K_UNKNOWN;
}

/*
 * Decodes the escape at s (len bytes available). Sets *used and queues
 * the key; KEYIN_MORE when more bytes are needed (never when final: then
 * what is there is decided).
 */
static int
keyin_escape(struct keyin *ki, const unsigned char *s, size_t len, bool final, size_t *used)
{
	unsigned char c;
	size_t j;
	uint32_t ch;
	int code;

	if (len == 1) {
		if (!final)
			return KEYIN_MORE;
		keyin_emit(ki, K_ESC, 0);
		*used = 1;
		return 0;
	}
	c = s[1];
	if (c >= '0' && c <= '9') {		/* Esc-digit: F1-F10 */
		keyin_emit(ki, c == '0' ? K_F10 : K_F1 + (c - '1'), 0);
		*used = 2;
		return 0;
	}
	if (c == '[' || c == 'O') {
		j = 2;
		if (c == '[' && len > 2 && s[2] == '[')
			j = 3;			/* ESC [ [ A: one more byte */
		else if (c == '[')
			while (j < len && s[j] >= 0x20 && s[j] <= 0x3f)
				j++;
		else
			while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'))
				j++;
		if (j >= len) {
			if (!final && len < KEYIN_SEQ_MAX)
				return KEYIN_MORE;
			keyin_emit(ki, K_UNKNOWN, 0);
			*used = len;
			return 0;
		}
		if (s[j] < 0x40 || s[j] > 0x7e) {
			/* cut short by a byte no sequence holds: drop the part */
			keyin_emit(ki, K_UNKNOWN, 0);
			*used = j;
			return 0;
		}
		*used = j + 1;
		code = keyin_sequence(ki, s, j + 1, &ch);
		if (code == KEYIN_PASTE_ON) {
			ki->pasting = true;
			ki->paste_cr = false;
		} else if (code == KEYIN_PASTE_OFF)
			ki->pasting = false;
		else
			keyin_emit(ki, code, ch);
		return 0;
	}
	/* A lone Esc, and what follows is keys of its own: Esc then a letter
	 * typed quickly (or Alt-letter) is Esc and the letter, as before. */
	keyin_emit(ki, K_ESC, 0);
	*used = 1;
	return 0;
}

/* Decodes ki->in; what cannot be decided yet stays at its front (unless
 * final). Returns how many keys (dropped ones included) were decoded. */
static size_t
keyin_decode(struct keyin *ki, bool final)
{
	size_t i = 0, items = 0;

	while (i < ki->in_len) {
		unsigned char b = ki->in[i];
		mbstate_t st;
		wchar_t wc;
		size_t n;

		if (b == 0x1b) {
			if (keyin_escape(ki, ki->in + i, ki->in_len - i, final, &n) == KEYIN_MORE)
				break;
			i += n;
		} else if (b < 0x20 || b == 0x7f) {
			keyin_control(ki, b);
			i++;
		} else if (b < 0x80) {
			keyin_emit(ki, K_CHAR, b);
			i++;
		} else {
			/* a character of the locale's codeset (UTF-8, GB18030, GBK) */
			memset(&st, 0, sizeof st);
			n = mbrtowc(&wc, (const char *)ki->in + i, ki->in_len - i, &st);
			if (n == (size_t)-2 && !final)
				break;
			if (n == (size_t)-2)
				n = ki->in_len - i;
			else if (n == (size_t)-1 || n == 0)
				n = 1;
			else if (wc >= 0xa0 || (wc >= 0x20 && wc < 0x7f))
				keyin_emit(ki, K_CHAR, (uint32_t)wc);
			i += n;	/* C1 controls and broken bytes are dropped */
		}
		items++;
	}
	memmove(ki->in, ki->in + i, ki->in_len - i);
	ki->in_len -= i;
	return items;
}

/* Marks the keys queued from index from on: a key is alone only when
 * its read held nothing else. */
static void
keyin_mark(struct keyin *ki, size_t from, bool alone)
{
	for (size_t i = from; i < ki->q_head + ki->q_len; i++)
		ki->q[i].burst = !alone;
}

/* One read() of what is waiting on fd 0, decoded into the queue. */

void
keyin_feed(struct keyin *ki, const void *bytes, size_t n, long long now_ms)
{
	size_t from, items;
	bool carried = ki->in_len > 0;

	if (n > KEYIN_READ)
		n = KEYIN_READ;
	if (n == 0)
		return;
	if (ki->q_len == 0)
		ki->q_head = 0;
	from = ki->q_head + ki->q_len;
	if (ki->pasting && now_ms - ki->last_ms >= KEYIN_WAIT_MS)
		ki->pasting = false;	/* the end of a paste was lost */
	ki->last_ms = now_ms;
	memcpy(ki->in + ki->in_len, bytes, n);
	ki->in_len += n;
	items = keyin_decode(ki, false);
	keyin_mark(ki, from, items == 1 && ki->in_len == 0 && (!carried || ki->carry_alone));
	if (ki->in_len > 0) {
		ki->carry_alone = items == 0 && (!carried || ki->carry_alone);
		ki->carry_ms = now_ms;
	}
}

bool
keyin_next(struct keyin *ki, struct term_key *k)
{
	if (ki->q_len == 0)
		return false;
	*k = ki->q[ki->q_head++];
	ki->q_len--;
	return true;
}

int
keyin_wait(const struct keyin *ki, long long now_ms)
{
	long long left;

	if (ki->in_len == 0)
		return 0;
	left = ki->carry_ms + KEYIN_WAIT_MS - now_ms;
	return left <= 1 ? 1 : (int)left;
}

bool
keyin_timeout(struct keyin *ki, long long now_ms)
{
	size_t from, before;

	if (ki->in_len == 0 || now_ms - ki->carry_ms < KEYIN_WAIT_MS)
		return false;
	if (ki->q_len == 0)
		ki->q_head = 0;
	from = ki->q_head + ki->q_len;
	before = ki->q_len;
	keyin_decode(ki, true);
	keyin_mark(ki, from, ki->carry_alone);
	return ki->q_len > before;
}
