/* One intake at the window; see intake.h. */
#include "model/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

#define DRAFT_MAGIC "yichuang-draft 1"

void
intake_set(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value != NULL ? value : "");
}

static void
intake_add_mat(struct intake *in, size_t *cap, const struct cat_material *m, int item_no,
    const struct cat_item *item)
{
	if (in->nmats == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		in->mats = xreallocarray(in->mats, *cap, sizeof *in->mats);
	}
	in->mats[in->nmats++] = (struct intake_mat){ .m = m, .item_no = item_no, .item = item,
		.st = IM_MISSING };
}

struct intake *
intake_new(const struct cat_def *def, int version)
{
	struct intake *in = xcalloc(1, sizeof *in);
	size_t cap = 0;
	int no = 0;

	in->def = def;
	in->version = version;
	intake_set(&in->id_no, "");
	intake_set(&in->name, "");
	intake_set(&in->phone, "");
	intake_set(&in->agent_id, "");
	intake_set(&in->agent_name, "");
	intake_set(&in->mail_address, "");
	intake_set(&in->mail_tracking, "");
	in->values = xcalloc(def->nfields + 1, sizeof *in->values);
	for (size_t i = 0; i < def->nfields; i++)
		intake_set(&in->values[i], "");
	for (size_t i = 0; i < def->nitems; i++) {
		no++;
		for (size_t j = 0; j < def->items[i].nm; j++)
			intake_add_mat(in, &cap, &def->items[i].m[j], no, &def->items[i]);
	}
	in->nitem_mats = in->nmats;
	for (size_t i = 0; i < def->nproxy; i++)
		intake_add_mat(in, &cap, &def->proxy[i], ++no, NULL);
	return in;
}

void
intake_free(struct intake **inp)
{
	struct intake *in = *inp;

	if (in == NULL)
		return;
	for (size_t i = 0; i < in->def->nfields; i++)
		free(in->values[i]);
	free(in->values);
	free(in->mats);
	free(in->continue_case);
	free(in->id_no);
	free(in->name);
	free(in->phone);
	free(in->agent_id);
	free(in->agent_name);
	free(in->mail_address);
	free(in->mail_tracking);
	free(in);
	*inp = NULL;
}

/* ---- checks ------------------------------------------------------------ */

bool
intake_check_field(const struct intake *in, size_t i, struct cal_date today, struct val_result *r)
{
	const struct cat_field *f = &in->def->fields[i];
	const char *s = in->values[i];

	if (val_blank(s) && !f->required) {
		r->ok = true;
		r->message[0] = r->normalised[0] = '\0';
		return true;
	}
	switch (f->type) {
	case CAT_IDNO:
		return val_idno(s, today, NULL, r);
	case CAT_DATE:
		return val_date(s, today, false, NULL, r);
	case CAT_MONEY:
		return val_money(s, NULL, r);
	case CAT_PHONE:
		return val_phone(s, r);
	case CAT_BANKCARD:
		return val_bankcard(s, r);
	case CAT_CHOICE: {
		const char *vals[64];
		size_t n = 0;

		for (size_t k = 0; k < f->nopts && n < 64; k++)
			vals[n++] = f->opts[k].value;
		return val_choice(s, vals, n, r);
	}
	case CAT_TEXT:
		break;
	}
	return val_text(s, f->required ? (f->min_len > 0 ? f->min_len : 1) : f->min_len, f->max_len,
	    f->pattern, r);
}

bool
intake_check_applicant(const struct intake *in, struct cal_date today, struct val_result *r)
{
	if (!val_idno(in->id_no, today, NULL, r))
		return false;
	if (!in->person_known && !val_text(in->name, 1, 30, NULL, r))
		return false;
	if (!val_blank(in->phone) && !val_phone(in->phone, r))
		return false;
	return true;
}

bool
intake_check_agent(const struct intake *in, struct cal_date today, struct val_result *r)
{
	struct val_result a;

	if (!in->proxy) {
		r->ok = true;
		r->message[0] = r->normalised[0] = '\0';
		return true;
	}
	if (!val_idno(in->agent_id, today, NULL, r))
		return false;
	if (val_idno(in->id_no, today, NULL, &a) && strcmp(a.normalised, r->normalised) == 0) {
		r->ok = false;
		snprintf(r->message, sizeof r->message, "%s",
		    _("The agent must be someone other than the applicant."));
		return false;
	}
	return val_text(in->agent_name, 1, 30, NULL, r);
}

bool
intake_check_mail(const struct intake *in, struct val_result *r)
{
	size_t n = 0;
	bool ok = true;

	r->ok = true;
	r->message[0] = r->normalised[0] = '\0';
	if (in->channel != IC_MAIL)
		return true;
	if (in->continue_case == NULL && !val_text(in->mail_address, 5, 200, NULL, r))
		return false;
	r->message[0] = r->normalised[0] = '\0';
	for (const char *s = in->mail_tracking; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-' || *s == '\t')
			continue;
		char ch = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) || n + 1 >= sizeof r->normalised) {
			ok = false;
			break;
		}
		r->normalised[n++] = ch;
	}
	r->normalised[n] = '\0';
	if (ok && (n >= 8 || (n == 0 && in->continue_case != NULL)) && n <= 30)
		return true;
	r->ok = false;
	r->normalised[0] = '\0';
	snprintf(r->message, sizeof r->message, "%s",
	    _("The waybill number has 8 to 30 letters and digits, as printed on the waybill."));
	return false;
}

bool
intake_complete_form(const struct intake *in, struct cal_date today, char **bad)
{
	struct val_result r;
	const char *what = NULL;

	if (!intake_check_applicant(in, today, &r))
		what = _("Applicant");
	else if (!intake_check_agent(in, today, &r))
		what = _("Agent");
	else if (!intake_check_mail(in, &r))
		what = _("By mail");
	for (size_t i = 0; what == NULL && i < in->def->nfields; i++)
		if (!intake_check_field(in, i, today, &r))
			what = in->def->fields[i].label;
	if (what == NULL)
		return true;
	if (bad != NULL)
		*bad = xasprintf("%s: %s", what, r.message);
	return false;
}

/* ---- materials ----------------------------------------------------------- */

bool
intake_mat_active(const struct intake *in, size_t k)
{
	if (k >= in->nmats || (k >= in->nitem_mats && !in->proxy))
		return false;
	return cat_material_applies(in->def, in->mats[k].item, in->mats[k].m,
	    (const char *const *)in->values);
}

const struct cat_limit *
intake_limit(const struct intake *in)
{
	return cat_limit_for(in->def, (const char *const *)in->values);
}

int
intake_line_no(const struct intake *in, size_t k)
{
	int no = 0, last = -1;

	for (size_t i = 0; i <= k && i < in->nmats; i++)
		if (intake_mat_active(in, i) && in->mats[i].item_no != last) {
			last = in->mats[i].item_no;
			no++;
		}
	return no;
}

bool
intake_toggle(struct intake *in, size_t k)
{
	if (k >= in->nmats || !intake_mat_active(in, k))
		return false;
	if (in->mats[k].st == IM_MISSING)
		in->mats[k].st = IM_SEEN;
	else if (in->mats[k].st == IM_SEEN)
		in->mats[k].st = IM_MISSING;
	else
		return false;
	return true;
}

/* Calls fn for each checklist line (first material index, count). */
static size_t
intake_line_end(const struct intake *in, size_t k)
{
	size_t e = k + 1;

	while (e < in->nmats && in->mats[e].item_no == in->mats[k].item_no)
		e++;
	return e;
}

/* A line is satisfied when one of its materials that apply is seen or
 * done, or when (补正) it was never asked for. */
static bool
intake_line_ok(const struct intake *in, size_t b, size_t e)
{
	for (size_t k = b; k < e; k++)
		if (in->mats[k].st != IM_MISSING && intake_mat_active(in, k))
			return true;
	return false;
}

/* Whether some material of the line applies (the line is shown), and the
 * first that does. */
static bool
intake_line_active(const struct intake *in, size_t b, size_t e, size_t *first)
{
	for (size_t k = b; k < e; k++)
		if (intake_mat_active(in, k)) {
			*first = k;
			return true;
		}
	return false;
}

struct intake_missing
intake_missing(const struct intake *in)
{
	struct intake_missing m = { 0, true };

	for (size_t b = 0, e, f; b < in->nmats; b = e) {
		e = intake_line_end(in, b);
		if (!intake_line_active(in, b, e, &f) || intake_line_ok(in, b, e))
			continue;
		m.items++;
		for (size_t k = b; k < e; k++)
			if (intake_mat_active(in, k) && (in->mats[k].m->key || in->mats[k].m->defer_days <= 0))
				m.all_deferrable = false;
	}
	if (m.items == 0)
		m.all_deferrable = false;
	return m;
}

unsigned
intake_outcomes(const struct intake *in)
{
	struct intake_missing m = intake_missing(in);
	bool immediate = intake_limit(in)->kind == CAT_IMMEDIATE;
	unsigned o = IO_REJECT;

	if (m.items == 0)
		o |= immediate ? IO_IMMEDIATE : IO_ACCEPT;
	else
		o |= IO_SUPPLEMENT | (m.all_deferrable && !immediate ? IO_DEFER : 0);
	return o;
}

bool
intake_pledged(const struct intake *in)
{
	for (size_t k = 0; k < in->nitem_mats; k++)
		if (in->mats[k].m->pledge && in->mats[k].item != NULL && in->mats[k].item->any_of &&
		    intake_mat_active(in, k) && (in->mats[k].st == IM_SEEN || in->mats[k].st == IM_DONE))
			return true;
	return false;
}

const char **
intake_seen_ids(const struct intake *in, size_t *n)
{
	const char **ids = xcalloc(in->nmats + 1, sizeof *ids);

	*n = 0;
	for (size_t k = 0; k < in->nmats; k++)
		if (in->mats[k].st == IM_SEEN && intake_mat_active(in, k))
			ids[(*n)++] = in->mats[k].m->id;
	return ids;
}

const char **
intake_missing_ids(const struct intake *in, size_t *n)
{
	const char **ids = xcalloc(in->nmats + 1, sizeof *ids);

	*n = 0;
	for (size_t b = 0, e, f; b < in->nmats; b = e) {
		e = intake_line_end(in, b);
		if (intake_line_active(in, b, e, &f) && !intake_line_ok(in, b, e))
			ids[(*n)++] = in->mats[f].m->id;
	}
	return ids;
}

/* ---- drafts --------------------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
draft_put(struct sbuf *b, const char *key, const char *value)
{
	sbuf_put(b, key, strlen(key));
	sbuf_put(b, "=", 1);
	for (const char *p = value; *p != '\0'; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '\n' ? "\\n" : *p == '\t' ? "\\t" :
		    *p == '\r' ? "\\r" : NULL;

		if (esc != NULL)
			sbuf_put(b, esc, 2);
		else
			sbuf_put(b, p, 1);
	}
	sbuf_put(b, "\n", 1);
}

char *
intake_serialise(const struct intake *in, time_t saved)
{
	struct sbuf b = { 0 };
	char num[32], key[96];

	sbuf_put(&b, DRAFT_MAGIC "\n", strlen(DRAFT_MAGIC) + 1);
	draft_put(&b, "type", in->def->code);
	draft_put(&b, "type_name", in->def->name);
	snprintf(num, sizeof num, "%d", in->version);
	draft_put(&b, "version", num);
	snprintf(num, sizeof num, "%lld", (long long)saved);
	draft_put(&b, "saved", num);
	if (in->continue_case != NULL)
		draft_put(&b, "continue", in->continue_case);
	draft_put(&b, "id", in->id_no);
	draft_put(&b, "name", in->name);
	draft_put(&b, "phone", in->phone);
	draft_put(&b, "known", in->person_known ? "1" : "0");
	draft_put(&b, "channel", intake_channel_key(in->channel));
	draft_put(&b, "proxy", in->proxy ? "1" : "0");
	draft_put(&b, "agent_id", in->agent_id);
	draft_put(&b, "agent_name", in->agent_name);
	draft_put(&b, "mail_address", in->mail_address);
	draft_put(&b, "mail_tracking", in->mail_tracking);
	snprintf(num, sizeof num, "%lld", in->ticket_id);
	draft_put(&b, "ticket", num);
	for (size_t i = 0; i < in->def->nfields; i++) {
		snprintf(key, sizeof key, "f.%s", in->def->fields[i].id);
		draft_put(&b, key, in->values[i]);
	}
	for (size_t k = 0; k < in->nmats; k++) {
		static const char *const st[] = { "missing", "seen", "done", "not_asked" };

		snprintf(key, sizeof key, "m.%s", in->mats[k].m->id);
		draft_put(&b, key, st[in->mats[k].st]);
	}
	return b.s;
}

/* Calls fn(key, value, ctx) for each line after the header; false when the
 * header is wrong. Values are unescaped into a scratch buffer. */
static bool
draft_each(const char *text, void (*fn)(const char *, const char *, void *), void *ctx)
{
	size_t ml = strlen(DRAFT_MAGIC);
	const char *p;

	if (text == NULL || strncmp(text, DRAFT_MAGIC, ml) != 0 || text[ml] != '\n')
		return false;
	for (p = text + ml + 1; *p != '\0';) {
		const char *nl = strchr(p, '\n'), *eq;
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n), *v, *o;

		p += n + (nl != NULL);
		eq = strchr(line, '=');
		if (eq == NULL) {
			free(line);
			continue;
		}
		line[eq - line] = '\0';
		for (v = o = line + (eq - line) + 1; *v != '\0'; v++) {
			if (*v == '\\' && v[1] != '\0') {
				v++;
				*o++ = *v == 'n' ? '\n' : *v == 't' ? '\t' : *v == 'r' ? '\r' : *v;
			} else {
				*o++ = *v;
			}
		}
		*o = '\0';
		fn(line, line + (eq - line) + 1, ctx);
		free(line);
	}
	return true;
}

struct draft_head {
	char code[16];
	char name[128];
	int version;
	long long saved;
};

static void
draft_head_line(const char *k, const char *v, void *ctx)
{
	struct draft_head *h = ctx;

	if (strcmp(k, "type") == 0)
		snprintf(h->code, sizeof h->code, "%s", v);
	else if (strcmp(k, "type_name") == 0)
		snprintf(h->name, sizeof h->name, "%s", v);
	else if (strcmp(k, "version") == 0)
		h->version = atoi(v);
	else if (strcmp(k, "saved") == 0)
		h->saved = atoll(v);
}

bool
intake_draft_type(const char *text, char code[16], int *version)
{
	struct draft_head h = { { 0 }, { 0 }, 0, 0 };

	if (!draft_each(text, draft_head_line, &h) || h.code[0] == '\0' || h.version <= 0)
		return false;
	memcpy(code, h.code, sizeof h.code);
	*version = h.version;
	return true;
}

time_t
intake_draft_saved(const char *text)
{
	struct draft_head h = { { 0 }, { 0 }, 0, 0 };

	return draft_each(text, draft_head_line, &h) ? (time_t)h.saved : 0;
}

void
intake_draft_name(const char *text, char name[128])
{
	struct draft_head h = { { 0 }, { 0 }, 0, 0 };

	draft_each(text, draft_head_line, &h);
	memcpy(name, h.name, sizeof h.name);
}

static void
draft_restore_line(const char *k, const char *v, void *ctx)
{
	struct intake *in = ctx;

	if (strcmp(k, "continue") == 0)
		intake_set(&in->continue_case, v);
	else if (strcmp(k, "id") == 0)
		intake_set(&in->id_no, v);
	else if (strcmp(k, "name") == 0)
		intake_set(&in->name, v);
	else if (strcmp(k, "phone") == 0)
		intake_set(&in->phone, v);
	else if (strcmp(k, "known") == 0)
		in->person_known = strcmp(v, "1") == 0;
	else if (strcmp(k, "proxy") == 0)
		in->proxy = strcmp(v, "1") == 0 && in->def->proxy_allowed;
	else if (strcmp(k, "agent_id") == 0)
		intake_set(&in->agent_id, v);
	else if (strcmp(k, "agent_name") == 0)
		intake_set(&in->agent_name, v);
	else if (strcmp(k, "mail_address") == 0)
		intake_set(&in->mail_address, v);
	else if (strcmp(k, "mail_tracking") == 0)
		intake_set(&in->mail_tracking, v);
	else if (strcmp(k, "ticket") == 0)
		in->ticket_id = atoll(v);
	else if (strcmp(k, "channel") == 0) {
		for (int c = 0; c < IC_COUNT; c++)
			if (strcmp(v, intake_channel_key((enum intake_channel)c)) == 0)
				in->channel = (enum intake_channel)c;
	} else if (strncmp(k, "f.", 2) == 0) {
		int i = cat_def_field(in->def, k + 2);

		if (i >= 0)
			intake_set(&in->values[i], v);
	} else if (strncmp(k, "m.", 2) == 0) {
		for (size_t i = 0; i < in->nmats; i++)
			if (strcmp(in->mats[i].m->id, k + 2) == 0)
				in->mats[i].st = strcmp(v, "seen") == 0 ? IM_SEEN :
				    strcmp(v, "done") == 0 ? IM_DONE :
				    strcmp(v, "not_asked") == 0 ? IM_NOT_ASKED : IM_MISSING;
	}
}

bool
intake_restore(struct intake *in, const char *text)
{
	return draft_each(text, draft_restore_line, in);
}

/* ---- names ---------------------------------------------------------------- */

const char *
intake_channel_key(enum intake_channel ch)
{
	static const char *const keys[] = { "window", "proxy", "mail" };

	return ch >= 0 && ch < IC_COUNT ? keys[ch] : "window";
}

const char *
intake_channel_name(enum intake_channel ch)
{
	switch (ch) {
	case IC_PROXY:
		return _("Assisted");
	case IC_MAIL:
		return _("By mail");
	default:
		return _("At the window");
	}
}
