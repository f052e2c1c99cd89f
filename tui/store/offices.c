/*
 * Offices and windows through db/functions/offices.sql; see offices.h.
 * One parameterised query per call; session 0 is sent as SQL NULL (the
 * database owner).
 */
#include "store/offices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/i18n.h"
#include "util/xalloc.h"

static const struct {
	const char *text;
	enum offices_result r;
} offices_words[] = {
	{ "added", OFFICES_ADDED }, { "updated", OFFICES_UPDATED }, { "unchanged", OFFICES_UNCHANGED },
	{ "ok", OFFICES_OK }, { "no_session", OFFICES_NO_SESSION }, { "not_allowed", OFFICES_NOT_ALLOWED },
	{ "out_of_jurisdiction", OFFICES_OUT_OF_JURISDICTION }, { "bad_code", OFFICES_BAD_CODE },
	{ "bad_tier", OFFICES_BAD_TIER }, { "tier_mismatch", OFFICES_TIER_MISMATCH },
	{ "root_parent", OFFICES_ROOT_PARENT }, { "parent_required", OFFICES_PARENT_REQUIRED },
	{ "bad_parent", OFFICES_BAD_PARENT }, { "parent_tier", OFFICES_PARENT_TIER },
	{ "unknown_parent", OFFICES_UNKNOWN_PARENT }, { "parent_inactive", OFFICES_PARENT_INACTIVE },
	{ "parent_refused", OFFICES_PARENT_REFUSED }, { "duplicate", OFFICES_DUPLICATE },
	{ "bad_name", OFFICES_BAD_NAME }, { "bad_address", OFFICES_BAD_ADDRESS },
	{ "bad_phone", OFFICES_BAD_PHONE }, { "unknown_office", OFFICES_UNKNOWN_OFFICE },
	{ "own_office", OFFICES_OWN_OFFICE }, { "active_below", OFFICES_ACTIVE_BELOW },
	{ "active_staff", OFFICES_ACTIVE_STAFF }, { "open_cases", OFFICES_OPEN_CASES },
	{ "office_inactive", OFFICES_OFFICE_INACTIVE }, { "bad_window", OFFICES_BAD_WINDOW },
	{ "bad_label", OFFICES_BAD_LABEL }, { "bad_channel", OFFICES_BAD_CHANNEL },
	{ "bad_encoding", OFFICES_BAD_ENCODING }, { "bad_width", OFFICES_BAD_WIDTH },
	{ "unknown_window", OFFICES_UNKNOWN_WINDOW }, { "in_use", OFFICES_IN_USE },
	{ "open_tickets", OFFICES_OPEN_TICKETS }, { "bad_input", OFFICES_BAD_INPUT },
};

static enum offices_result
offices_word(const char *w)
{
	for (size_t i = 0; i < sizeof offices_words / sizeof offices_words[0]; i++)
		if (strcmp(offices_words[i].text, w) == 0)
			return offices_words[i].r;
	return OFFICES_DB_ERROR;
}

bool
offices_result_ok(enum offices_result r)
{
	return r == OFFICES_ADDED || r == OFFICES_UPDATED || r == OFFICES_UNCHANGED || r == OFFICES_OK;
}

bool
offices_result_input(enum offices_result r)
{
	switch (r) {
	case OFFICES_BAD_CODE: case OFFICES_BAD_TIER: case OFFICES_TIER_MISMATCH:
	case OFFICES_ROOT_PARENT: case OFFICES_PARENT_REQUIRED: case OFFICES_BAD_PARENT:
	case OFFICES_PARENT_TIER: case OFFICES_UNKNOWN_PARENT: case OFFICES_PARENT_REFUSED:
	case OFFICES_DUPLICATE: case OFFICES_BAD_NAME: case OFFICES_BAD_ADDRESS: case OFFICES_BAD_PHONE:
	case OFFICES_UNKNOWN_OFFICE: case OFFICES_BAD_WINDOW: case OFFICES_BAD_LABEL:
	case OFFICES_BAD_CHANNEL: case OFFICES_BAD_ENCODING: case OFFICES_BAD_WIDTH:
	case OFFICES_UNKNOWN_WINDOW: case OFFICES_BAD_INPUT:
		return true;
	default:
		return false;
	}
}

const char *
offices_tier_name(const char *tier)
{
	static const char *const words[] = { "province", "prefecture", "county", "township", "village" };
	static const char *const names[] = { N_("province"), N_("prefecture"), N_("county"),
	    N_("township"), N_("village") };

	if (tier == NULL)
		return "";
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(tier, words[i]) == 0)
			return _(names[i]);
	return tier;
}

const char *
offices_code_tier(const char *code)
{
	size_t n = code != NULL ? strlen(code) : 0;

	return n == 2 ? "province" : n == 4 ? "prefecture" : n == 6 ? "county" :
	    n == 9 ? "township" : n == 12 ? "village" : "";
}

size_t
offices_child_len(const char *code)
{
	size_t n = code != NULL ? strlen(code) : 0;

	return n == 2 ? 4 : n == 4 ? 6 : n == 6 ? 9 : n == 9 ? 12 : 0;
}

size_t
offices_parent_len(const char *code)
{
	size_t n = code != NULL ? strlen(code) : 0;

	return n == 4 ? 2 : n == 6 ? 4 : n == 9 ? 6 : n == 12 ? 9 : 0;
}

char *
offices_result_message(enum offices_result r, const char *code, const char *detail)
{
	const char *c = code != NULL ? code : "", *d = detail != NULL ? detail : "";

	switch (r) {
	case OFFICES_ADDED:
		return xasprintf(_("%s added."), c);
	case OFFICES_UPDATED:
		return xasprintf(_("%s updated."), c);
	case OFFICES_UNCHANGED:
		return xasprintf(_("%s unchanged."), c);
	case OFFICES_OK:
		return xstrdup(_("Done."));
	case OFFICES_NO_SESSION:
		return xstrdup(_("The administrator's session has ended; sign in again."));
	case OFFICES_NOT_ALLOWED:
		return xstrdup(_("Only an administrator (or the database owner) may change offices and windows."));
	case OFFICES_OUT_OF_JURISDICTION:
		return xasprintf(_("%s is neither your office nor below it."), c);
	case OFFICES_BAD_CODE:
		return xasprintf(_("office code \"%s\": 2 digits for a province, 4 for a prefecture, 6 for a "
		    "county, 9 for a township, 12 for a village."), c);
	case OFFICES_BAD_TIER:
		return xasprintf(_("the level is province, prefecture, county, township or village (%s is a "
		    "%s)."), c, offices_tier_name(d));
	case OFFICES_TIER_MISMATCH:
		return xasprintf(_("%s has %zu digits: it is a %s."), c, strlen(c), offices_tier_name(d));
	case OFFICES_ROOT_PARENT:
		return xasprintf(_("%s is a province: it has no parent."), c);
	case OFFICES_PARENT_REQUIRED:
		return xasprintf(_("%s needs its parent %s."), c, d);
	case OFFICES_BAD_PARENT:
		return xasprintf(_("the parent of %s is %s (the code's first %zu digits)."), c, d, strlen(d));
	case OFFICES_PARENT_TIER:
		return xasprintf(_("the parent of the %s %s is the %s directly above it, %s."),
		    offices_tier_name(offices_code_tier(c)), c, offices_tier_name(offices_code_tier(d)), d);
	case OFFICES_UNKNOWN_PARENT:
		return xasprintf(_("the parent %s does not exist (add it first, or earlier in the file)."), d);
	case OFFICES_PARENT_INACTIVE:
		return xasprintf(_("the parent %s is deactivated."), d);
	case OFFICES_PARENT_REFUSED:
		return xasprintf(_("its parent %.*s was refused on line %s."),
		    (int)offices_parent_len(c), c, d);
	case OFFICES_DUPLICATE:
		return xasprintf(_("%s is already on line %s of the file."), c, d);
	case OFFICES_BAD_NAME:
		return xstrdup(_("the name is required: at most 60 characters, no control characters."));
	case OFFICES_BAD_ADDRESS:
		return xstrdup(_("the address has at most 200 characters and no control characters."));
	case OFFICES_BAD_PHONE:
		return xstrdup(_("the phone is 5 to 20 digits, with single hyphens (0795-6200000)."));
	case OFFICES_UNKNOWN_OFFICE:
		return xasprintf(_("there is no office %s."), c);
	case OFFICES_OWN_OFFICE:
		return xstrdup(_("You cannot deactivate your own office."));
	case OFFICES_ACTIVE_BELOW:
		return xasprintf(_("%s cannot be deactivated: %s below it is still active."), c, d);
	case OFFICES_ACTIVE_STAFF:
		return xasprintf(_("%s cannot be deactivated: its staff (%s) are still active."), c, d);
	case OFFICES_OPEN_CASES:
		return xasprintf(_("%s cannot be deactivated: it has %s open case(s)."), c, d);
	case OFFICES_OFFICE_INACTIVE:
		return xasprintf(_("%s is deactivated: activate it first."), c);
	case OFFICES_BAD_WINDOW:
		return xstrdup(_("the window number is 1 to 999."));
	case OFFICES_BAD_LABEL:
		return xstrdup(_("the window's label is required: at most 20 characters."));
	case OFFICES_BAD_CHANNEL:
		return xstrdup(_("the print channel is file:PATH, lp, lp:QUEUE or passthrough."));
	case OFFICES_BAD_ENCODING:
		return xstrdup(_("the print encoding is utf-8 or gb18030."));
	case OFFICES_BAD_WIDTH:
		return xstrdup(_("the print width is 80 or 40."));
	case OFFICES_UNKNOWN_WINDOW:
		return xasprintf(_("%s has no such window."), c);
	case OFFICES_IN_USE:
		return xasprintf(_("%s is signed in at this window: it cannot be deactivated now."), d);
	case OFFICES_OPEN_TICKETS:
		return xasprintf(_("%s ticket(s) are at this window: finish or transfer them first."), d);
	case OFFICES_BAD_INPUT:
		return xstrdup(_("The request was incomplete or inconsistent; nothing was changed."));
	case OFFICES_DB_LOST:
		return xstrdup(_("The database connection was lost. Try again in a moment."));
	case OFFICES_DB_ERROR:
		return xstrdup(_("The database refused the request. Call the administrator."));
	}
	return xstrdup("");
}

/* The session as a parameter: NULL for the owner (0). */
static const char *
offices_sid(char buf[24], long long session)
{
	if (session <= 0)
		return NULL;
	db_id(buf, session);
	return buf;
}

/* Runs sql returning (result, detail). */
static enum offices_result
offices_call(struct db *db, const char *sql, int n, const char *const *p, char detail[32])
{
	enum db_status st;
	enum offices_result r = OFFICES_DB_ERROR;
	PGresult *res;

	if (detail != NULL)
		detail[0] = '\0';
	res = db_query(db, &st, sql, n, p);
	if (res == NULL)
		return st == DB_LOST ? OFFICES_DB_LOST : OFFICES_DB_ERROR;
	if (PQntuples(res) == 1 && PQnfields(res) == 2 && !PQgetisnull(res, 0, 0)) {
		r = offices_word(PQgetvalue(res, 0, 0));
		if (detail != NULL)
			db_copy(detail, 32, PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return r;
}

enum offices_result
offices_save(struct db *db, long long session, const char *code, const char *name, const char *parent,
    const char *tier, const char *address, const char *phone, char detail[32])
{
	char sid[24];
	const char *p[] = { offices_sid(sid, session), code, name, parent, tier, address, phone };

	return offices_call(db, "SELECT result, detail FROM yc.office_save($1::bigint, $2, $3, $4, $5, $6, $7)",
	    7, p, detail);
}

enum offices_result
offices_set_active(struct db *db, long long session, const char *code, bool active, char detail[32])
{
	char sid[24];
	const char *p[] = { offices_sid(sid, session), code, active ? "true" : "false" };

	return offices_call(db, "SELECT result, detail FROM yc.office_set_active($1::bigint, $2, $3::boolean)",
	    3, p, detail);
}

/* Appends a literal piece of JSON. */
static void
offices_json_raw(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*cap + n + 1) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* Appends s (UTF-8) as a JSON string. */
static void
offices_json_str(char **buf, size_t *len, size_t *cap, const char *s)
{
	offices_json_raw(buf, len, cap, "\"");
	for (; *s != '\0'; s++) {
		char esc[8];

		if (*s == '"' || *s == '\\')
			snprintf(esc, sizeof esc, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)(unsigned char)*s);
		else {
			esc[0] = *s;
			esc[1] = '\0';
		}
		offices_json_raw(buf, len, cap, esc);
	}
	offices_json_raw(buf, len, cap, "\"");
}

/* The rows as the JSON array yc.office_import takes; malloc'd. */
static char *
offices_rows_json(const struct offices_row *rows, size_t n)
{
	size_t len = 0, cap = 256;
	char *buf = xmalloc(cap);

	buf[0] = '\0';
	offices_json_raw(&buf, &len, &cap, "[");
	for (size_t i = 0; i < n; i++) {
		const struct offices_row *r = &rows[i];
		const char *keys[] = { "code", "name", "parent", "tier", "address", "phone" };
		const char *vals[] = { r->code, r->name, r->parent, r->tier, r->address, r->phone };
		char num[48];

		snprintf(num, sizeof num, "%s{\"line\":%d", i > 0 ? "," : "", r->line);
		offices_json_raw(&buf, &len, &cap, num);
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			if (vals[k] == NULL)
				continue;
			snprintf(num, sizeof num, ",\"%s\":", keys[k]);
			offices_json_raw(&buf, &len, &cap, num);
			offices_json_str(&buf, &len, &cap, vals[k]);
		}
		offices_json_raw(&buf, &len, &cap, "}");
	}
	offices_json_raw(&buf, &len, &cap, "]");
	return buf;
}

enum offices_result
offices_import(struct db *db, long long session, const struct offices_row *rows, size_t n,
    struct offices_line **out, size_t *nout)
{
	char sid[24], *json = offices_rows_json(rows, n);
	const char *p[] = { offices_sid(sid, session), json };
	enum db_status st;
	enum offices_result r = OFFICES_OK;
	PGresult *res;
	int nt;

	*out = NULL;
	*nout = 0;
	res = db_query(db, &st, "SELECT line, code, result, detail FROM yc.office_import($1::bigint, $2::jsonb)",
	    2, p);
	free(json);
	if (res == NULL)
		return st == DB_LOST ? OFFICES_DB_LOST : OFFICES_DB_ERROR;
	nt = PQntuples(res);
	if (PQnfields(res) != 4) {
		PQclear(res);
		return OFFICES_DB_ERROR;
	}
	if (nt == 1 && db_int(res, 0, 0) == 0) {
		r = offices_word(PQgetvalue(res, 0, 2));
		PQclear(res);
		return r == OFFICES_NO_SESSION || r == OFFICES_NOT_ALLOWED || r == OFFICES_BAD_INPUT ?
		    r : OFFICES_DB_ERROR;
	}
	*out = nt > 0 ? xcalloc((size_t)nt, sizeof **out) : NULL;
	for (int i = 0; i < nt; i++) {
		struct offices_line *l = &(*out)[i];

		l->line = db_int(res, i, 0);
		DB_COPY(l->code, res, i, 1);
		l->r = offices_word(PQgetvalue(res, i, 2));
		DB_COPY(l->detail, res, i, 3);
		if (!offices_result_ok(l->r))
			r = OFFICES_BAD_INPUT;
	}
	*nout = (size_t)nt;
	PQclear(res);
	return r;
}

size_t
offices_list(struct db *db, long long session, struct offices_office **out, enum db_status *st)
{
	char sid[24];
	const char *p[] = { offices_sid(sid, session) };
	PGresult *res = db_query(db, st, "SELECT code, name, tier, parent_code, address, phone, active, "
	    "windows, windows_active FROM yc.office_list($1::bigint)", 1, p);
	size_t n;

	*out = NULL;
	if (res == NULL)
		return 0;
	n = (size_t)PQntuples(res);
	if (n > 0)
		*out = xcalloc(n, sizeof **out);
	for (size_t i = 0; i < n; i++) {
		struct offices_office *o = &(*out)[i];
		int r = (int)i;

		DB_COPY(o->code, res, r, 0);
		DB_COPY(o->name, res, r, 1);
		DB_COPY(o->tier, res, r, 2);
		DB_COPY(o->parent, res, r, 3);
		DB_COPY(o->address, res, r, 4);
		DB_COPY(o->phone, res, r, 5);
		o->active = strcmp(PQgetvalue(res, r, 6), "t") == 0;
		o->windows = db_int(res, r, 7);
		o->windows_active = db_int(res, r, 8);
	}
	PQclear(res);
	return n;
}

size_t
offices_windows(struct db *db, long long session, const char *office, struct offices_window **out,
    enum db_status *st)
{
	char sid[24];
	const char *p[] = { offices_sid(sid, session), office };
	PGresult *res = db_query(db, st, "SELECT window_no, label, active, print_channel, print_encoding, "
	    "print_width, staff_no, staff_name FROM yc.window_list($1::bigint, $2)", 2, p);
	size_t n;

	*out = NULL;
	if (res == NULL)
		return 0;
	n = (size_t)PQntuples(res);
	if (n > 0)
		*out = xcalloc(n, sizeof **out);
	for (size_t i = 0; i < n; i++) {
		struct offices_window *w = &(*out)[i];
		int r = (int)i;

		w->no = db_int(res, r, 0);
		DB_COPY(w->label, res, r, 1);
		w->active = strcmp(PQgetvalue(res, r, 2), "t") == 0;
		DB_COPY(w->channel, res, r, 3);
		DB_COPY(w->encoding, res, r, 4);
		w->width = db_int(res, r, 5);
		DB_COPY(w->staff_no, res, r, 6);
		DB_COPY(w->staff_name, res, r, 7);
	}
	PQclear(res);
	return n;
}

enum offices_result
offices_window_save(struct db *db, long long session, const char *office, int window, const char *label,
    const char *channel, const char *encoding, int width, char detail[32])
{
	char sid[24], no[16], wd[16];
	const char *p[] = { offices_sid(sid, session), office, no, label, channel, encoding,
		width >= 0 ? wd : NULL };

	snprintf(no, sizeof no, "%d", window);
	snprintf(wd, sizeof wd, "%d", width);
	return offices_call(db, "SELECT result, detail FROM yc.window_save($1::bigint, $2, $3::int, $4, $5, $6, "
	    "$7::int)", 7, p, detail);
}

enum offices_result
offices_window_set_active(struct db *db, long long session, const char *office, int window, bool active,
    char detail[32])
{
	char sid[24], no[16];
	const char *p[] = { offices_sid(sid, session), office, no, active ? "true" : "false" };

	snprintf(no, sizeof no, "%d", window);
	return offices_call(db, "SELECT result, detail FROM yc.window_set_active($1::bigint, $2, $3::int, "
	    "$4::boolean)", 4, p, detail);
}

bool
offices_window_printer(struct db *db, const char *office, int window, struct offices_printer *out)
{
	char no[16];
	const char *p[] = { office, no };
	PGresult *res;
	bool ok;

	memset(out, 0, sizeof *out);
	snprintf(no, sizeof no, "%d", window);
	res = db_query(db, NULL, "SELECT print_channel, print_encoding, print_width FROM yc.service_window "
	    "WHERE office_code = $1 AND window_no = $2::int", 2, p);
	if (res == NULL)
		return false;
	ok = PQntuples(res) == 1;
	if (ok) {
		DB_COPY(out->channel, res, 0, 0);
		DB_COPY(out->encoding, res, 0, 1);
		out->width = db_int(res, 0, 2);
	}
	PQclear(res);
	return ok;
}
