/*
 * libFuzzer target for everything that reads what a clerk types or pastes:
 * the field validators (ID numbers, dates, money, phones, bank cards,
 * choices, text with a pattern — the first line of the input is used as a
 * pattern for the rest), display width, fitting and wrapping, and a when=
 * condition of the catalogue (model/cond.h), evaluated on blank answers. Nothing may
 * crash, leak or hang, and accepted values must satisfy their own rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"
#include "model/cond.h"
#include "model/text.h"
#include "model/validate.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
fuzz_blank(const char *field, void *ctx)
{
	(void)field;
	(void)ctx;
	return "";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), *nl, *w;
	struct cal_date today = { 2026, 11, 22 }, d;
	struct val_idno id;
	struct val_result r;
	long long fen;
	const char *choices[] = { "a", "b" };
	char err[256];
	struct cond *c = cond_parse(s, err, sizeof err);

	/* a parsed condition has atoms, each with a field and a value */
	if (c != NULL) {
		for (size_t i = 0; i < c->natoms; i++)
			if (c->atoms[i].field == NULL || c->atoms[i].nvalues == 0)
				abort();
		if (c->natoms == 0)
			abort();
		cond_eval(c, fuzz_blank, NULL);
		cond_free(&c);
	}

	if (val_idno(s, today, &id, &r) && (strlen(id.id) != 18 || id.age < 0))
		abort();
	val_date(s, today, false, &d, &r);
	if (val_money(s, &fen, &r) && (fen < 0 || fen > 9999999999LL))
		abort();
	val_phone(s, &r);
	val_bankcard(s, &r);
	val_choice(s, choices, 2, &r);
	nl = strchr(s, '\n');
	if (nl != NULL) {
		*nl = '\0';
		val_text(nl + 1, 0, 200, s, &r);
		*nl = '\n';
	}
	val_text(s, 1, 50, NULL, &r);
	if (text_valid(s, strlen(s))) {
		int used = 0;
		size_t k = text_fit(s, 13, &used);

		if (used > 13 || k > strlen(s))
			abort();
		w = text_wrap(s, 13);
		free(w);
		w = text_ellipsize(s, 9);
		if (text_width(w) > 9)
			abort();
		free(w);
	}
	free(s);
	return 0;
}
