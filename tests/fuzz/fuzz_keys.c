/*
 * libFuzzer target for the terminal input decoder (ui/keyin.c): what a
 * terminal, a paste or a line sends. The input is cut into reads by its
 * own bytes (a byte 0xFF starts a new read after a pause taken from the
 * next byte); whatever comes, nothing crashes, the undecided bytes stay
 * shorter than one escape sequence, every key is one of the codes, keys
 * of a paste are only characters or the note of a dropped sequence, and
 * a lone Esc is decided once its time has come.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keyin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct keyin ki;

static void
fuzz_keys_drain(void)
{
	struct term_key k;

	while (keyin_next(&ki, &k)) {
		if (k.code <= K_NONE || k.code > K_UNKNOWN)
			abort();
		if (k.pasted && k.code != K_CHAR && k.code != K_UNKNOWN)
			abort();
		if (k.code != K_CHAR && k.ch != 0)
			abort();
	}
	if (ki.in_len >= KEYIN_SEQ_MAX)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	long long now = 0;
	size_t i = 0;

	if (!ready) {
		setlocale(LC_ALL, "C.UTF-8");
		ready = true;
	}
	keyin_init(&ki);
	keyin_terminfo(&ki, "\033Ou", K_F6);
	while (i < size) {
		size_t j = i;

		while (j < size && data[j] != 0xFF && j - i < KEYIN_READ)
			j++;
		keyin_feed(&ki, data + i, j - i, now);
		fuzz_keys_drain();
		if (j < size && data[j] == 0xFF) {
			now += j + 1 < size ? data[j + 1] * 10 : 0;
			j += 2;
		}
		if (ki.in_len > 0 && now - ki.carry_ms >= KEYIN_WAIT_MS && !keyin_timeout(&ki, now) &&
		    ki.in_len > 0)
			abort();	/* due, yet not decided */
		fuzz_keys_drain();
		i = j;
	}
	now += KEYIN_WAIT_MS;
	keyin_timeout(&ki, now);
	fuzz_keys_drain();
	if (ki.in_len != 0)
		abort();
	return 0;
}
