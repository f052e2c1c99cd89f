/*
 * The terminal's input bytes to keys, without curses (ui/term.c reads
 * the bytes and owns one of these). Plain C, tested in
 * tests/unit/test_keyin.c and fuzzed in tests/fuzz/fuzz_keys.c.
 *
 * Bytes come one read() at a time (keyin_feed). Every escape sequence is
 * taken whole: CSI (ESC [ parameters final) and SS3 (ESC O ...) are
 * looked up among the terminal's terminfo keys (keyin_terminfo), then
 * among what xterm, vt220, PuTTY, rxvt and the Linux console send; any
 * other sequence is one K_UNKNOWN, never its bytes as keys. Esc then a
 * digit is F1-F10 (Esc 0 = F10) whether the two came in one read (Alt-
 * digit, a slow line) or apart; Esc then anything else is Esc and that
 * key. Characters are decoded in the locale's codeset (mbrtowc: UTF-8,
 * GB18030, GBK); C1 controls and broken bytes are dropped. Between
 * ESC [ 200 ~ and ESC [ 201 ~ (bracketed paste) only characters come
 * out, with pasted set: line ends and tabs as one space each, keys and
 * other controls dropped, an unknown sequence still as K_UNKNOWN.
 *
 * Every key of a read that held more than that one key gets burst set.
 * An Esc, a sequence or a character cut by the end of a read waits for
 * the next one; KEYIN_WAIT_MS after it came, keyin_timeout decides it (a
 * lone Esc is K_ESC, a partial sequence K_UNKNOWN).
 */
#ifndef YC_UI_KEYIN_H
#define YC_UI_KEYIN_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/term.h"

#define KEYIN_READ 4096		/* the most one keyin_feed takes */
#define KEYIN_SEQ_MAX 64	/* a longer escape sequence is dropped */
#define KEYIN_WAIT_MS 1000	/* how long an Esc waits for its digit or sequence */

struct keyin {
	unsigned char in[KEYIN_READ + KEYIN_SEQ_MAX];
	size_t in_len;		/* undecided bytes at the front of in */
	bool carry_alone;	/* they were all their read held */
	long long carry_ms;	/* when they came */
	struct term_key q[KEYIN_READ + KEYIN_SEQ_MAX];
	size_t q_head, q_len;	/* keys decoded, not taken yet */
	bool pasting, paste_cr;
	long long last_ms;	/* when the last byte came */
	struct {
		const char *seq;
		enum term_keycode code;
	} ti[32];
	size_t nti;
};

/* An empty decoder. */
void keyin_init(struct keyin *ki);
/* The terminal's own string for code (terminfo; K_NONE: a key that does
 * nothing, such as Insert); seq must outlive ki. Only strings that start
 * with ESC matter; false when there is no room or seq is of no use. */
bool keyin_terminfo(struct keyin *ki, const char *seq, enum term_keycode code);
/* The bytes of one read (n <= KEYIN_READ) that came at now_ms (any
 * monotonic clock in milliseconds). A paste whose end marker never came
 * ends when a read comes KEYIN_WAIT_MS after the one before. */
void keyin_feed(struct keyin *ki, const void *bytes, size_t n, long long now_ms);
/* The next decoded key; false when none is queued. */
bool keyin_next(struct keyin *ki, struct term_key *k);
/* Milliseconds undecided bytes may still wait at now_ms: 0 when there
 * are none, 1 when their time has come (call keyin_timeout). */
int keyin_wait(const struct keyin *ki, long long now_ms);
/* Decides undecided bytes whose time has come; true when that queued a
 * key. */
bool keyin_timeout(struct keyin *ki, long long now_ms);

#endif
