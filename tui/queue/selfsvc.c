/*
 * The self-service terminal (自助服务终端, issue 16; seed 001 items 13 and
 * 17): unattended, keys only (a numeric keypad, arrows and an ID reader
 * that types the number and Enter are enough), large type, as the ticket
 * kiosk (queue/kiosk.c), whose option boxes, ID field and keys it shares
 * through ui/fullscreen.h.
 *
 * Screens: the ID number (start); the menu (1 查进度, 2 参保信息查询,
 * 3 异地就医备案（承诺制）, 4 撤销备案); the person's cases; the insurance
 * record as on the 参保凭证, 1 prints it; the 备案: its type, its place,
 * the 备案登记表 and 承诺书 on screen (the server's preview, nothing kept),
 * Enter files it (accepted and finished by the system, channel 自助, no
 * clerk) and prints both; the filings in force, one revoked by its number;
 * and "paused" while the database is unreachable (it reconnects by
 * itself every FS_RETRY_SECONDS).
 *
 * Esc goes back one screen, from the menu to the start. Left alone for
 * idle_seconds (--idle-seconds, else the setting selfservice_idle_seconds)
 * any screen returns to the start and everything of the person is cleared
 * from the screen and from memory (the ID number, the rows, the rendered
 * documents are zeroed). The ID number is never shown whole: while typed
 * only its first six characters, afterwards the server's masked form; the
 * name masked as on the calling board.
 *
 * No key ends the terminal; SIGTERM, SIGHUP, SIGINT or the terminal going
 * away do.
 */
#include "queue/selfsvc_int.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "model/document.h"
#include "model/i18n.h"
#include "model/json.h"
#include "model/validate.h"
#include "store/queue.h"
#include "store/selfsvc.h"
#include "util/paths.h"
#include "util/printer.h"
#include "util/xalloc.h"

/* The 备案类型 options of 002036004005 (forms/002036004005.xml). */
const struct sst_kind sst_kinds[] = {
	{ "resident", N_("Living elsewhere long-term") },
	{ "worker", N_("Working elsewhere") },
	{ "referral", N_("Referred to a hospital elsewhere") },
	{ "temporary", N_("Other temporary treatment elsewhere") },
	{ "retiree", N_("Retired and resettled elsewhere") },
};

const int sst_nkinds = (int)(sizeof sst_kinds / sizeof sst_kinds[0]);

/* 就医地: the provincial-level divisions (GB/T 2260), names as data. */
const char *const sst_places[] = {
	"北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
	"上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
	"湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省",
	"云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
	"新疆维吾尔自治区",
};
const int sst_nplaces = (int)(sizeof sst_places / sizeof sst_places[0]);

static volatile sig_atomic_t sst_signal;

static void
sst_on_signal(int sig)
{
	sst_signal = sig;
}

/* ---- state -------------------------------------------------------------- */

static void
sst_doc_clear(struct sst *t)
{
	selfsvc_text_free(&t->doc);
	free(t->lines);
	t->lines = NULL;
	t->nlines = t->scroll = 0;
}

/* Takes doc (malloc'd) as the document on screen. */
static void
sst_doc_set(struct sst *t, char *doc)
{
	int n = 1;

	sst_doc_clear(t);
	t->doc = doc;
	for (char *p = doc; *p != '\0'; p++)
		n += *p == '\n';
	t->lines = xcalloc((size_t)n, sizeof *t->lines);
	for (char *p = doc, *nl; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		t->lines[t->nlines++] = p;
	}
	while (t->nlines > 0 && t->lines[t->nlines - 1][0] == '\0')
		t->nlines--;
}

/* Clears everything of the person from memory. */
static void
sst_forget(struct sst *t)
{
	memset(t->id, 0, sizeof t->id);
	memset(&t->person, 0, sizeof t->person);
	selfsvc_cases_free(&t->cases);
	sst_doc_clear(t);
	memset(t->case_no, 0, sizeof t->case_no);
	memset(t->msgbuf, 0, sizeof t->msgbuf);
	XFREE(&t->print_error);
	t->kind = t->place = -1;
}

static void
sst_go(struct sst *t, enum sst_screen s)
{
	t->screen = s;
	memset(t->input, 0, sizeof t->input);
	t->len = 0;
	t->message = NULL;
	t->shown_at = t->last_key = fs_now_ms();
	if (s == SST_START || s == SST_PAUSED)
		sst_forget(t);
	t->dirty = SD_ALL;
}

static void
sst_say(struct sst *t, enum term_style st, const char *msg)
{
	if (msg != t->msgbuf)
		snprintf(t->msgbuf, sizeof t->msgbuf, "%s", msg);
	t->message = t->msgbuf;
	t->message_style = st;
	t->dirty |= SD_BODY;
}

static void
sst_lost(struct sst *t)
{
	if (!t->lost) {
		t->lost = true;
		t->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	}
	sst_go(t, SST_PAUSED);
}

/* Whether r needs the paused screen; says the others. */
static bool
sst_failed(struct sst *t, enum selfsvc_result r)
{
	if (r == SELFSVC_OK)
		return false;
	if (r == SELFSVC_DB_LOST)
		sst_lost(t);
	else
		sst_say(t, TS_ERROR, selfsvc_result_message(r));
	return true;
}

/* The office's name and the idle setting; false when unreachable. */
static bool
sst_connect(struct sst *t)
{
	struct queue_counts c;
	struct selfsvc_person p;

	if (t->db == NULL || (!db_connected(t->db) && !db_reconnect(t->db)))
		return false;
	if (queue_counts(t->db, t->opt->office, &c) != QUEUE_OK)
		return false;
	/* no ID number: only the setting comes back */
	if (selfsvc_person(t->db, t->opt->office, "", &p) != SELFSVC_BAD_ID)
		return false;
	snprintf(t->office_name, sizeof t->office_name, "%s", c.office_name);
	t->idle_ms = (t->opt->idle_seconds > 0 ? t->opt->idle_seconds :
	    p.idle_seconds > 0 ? p.idle_seconds : 60) * 1000;
	return true;
}

static void
sst_retry(struct sst *t)
{
	t->retry_at = fs_now_ms() + FS_RETRY_SECONDS * 1000LL;
	if (!sst_connect(t))
		return;
	t->lost = false;
	sst_go(t, SST_START);
}

/* ---- documents ---------------------------------------------------------- */

/* The document template rendered from the JSON data at width; NULL with
 * *why (malloc'd). */
static char *
sst_render(const char *template, const char *json, int width, char **why)
{
	struct json *j = json_parse(json, why);
	struct mu_value *data;
	char *dir, *doc;

	if (j == NULL)
		return NULL;
	data = json_to_mu(j);
	json_free(&j);
	dir = paths_join(paths_datadir(), "print_templates");
	doc = document_render(dir, template, data, width, why);
	free(dir);
	mu_value_free(&data);
	return doc;
}

/* Prints doc to the terminal's printer; false with t->print_error. */
static bool
sst_print(struct sst *t, const char *doc)
{
	struct printer *p = t->opt->printer;
	char *why = NULL;

	XFREE(&t->print_error);
	if (printer_kind(p) == PRINTER_PASSTHROUGH)
		term_stop();	/* the next refresh repaints the whole screen */
	if (printer_print(p, doc, &why) != 0) {
		t->print_error = why;
		return false;
	}
	return true;
}

int
sst_screen_width(void)
{
	int w = term_cols() - 4;

	return w > SST_PRINT_WIDTH ? SST_PRINT_WIDTH : w < 20 ? 20 : w;
}

/* The 备案登记表 and the 承诺书 of the JSON data, one after the other. */
static char *
sst_filing_docs(const char *form, const char *pledge, int width, char **why)
{
	char *a = sst_render("filing-form", form, width, why), *b, *both;

	if (a == NULL)
		return NULL;
	b = sst_render("pledge", pledge, width, why);
	if (b == NULL) {
		selfsvc_text_free(&a);
		return NULL;
	}
	both = xasprintf("%s\n%s", a, b);
	selfsvc_text_free(&a);
	selfsvc_text_free(&b);
	return both;
}

/* ---- actions ------------------------------------------------------------ */

static void
sst_submit_id(struct sst *t)
{
	struct val_result vr;
	struct val_idno v;
	enum selfsvc_result r;

	if (t->len == 0) {
		sst_say(t, TS_ERROR, _("Please type the 18-character ID number."));
		return;
	}
	if (!val_idno(t->input, cal_date_cn(time(NULL)), &v, &vr)) {
		memset(t->input, 0, sizeof t->input);
		t->len = 0;
		sst_say(t, TS_ERROR, vr.message);
		return;
	}
	memset(t->input, 0, sizeof t->input);
	t->len = 0;
	r = selfsvc_person(t->db, t->opt->office, v.id, &t->person);
	if (r == SELFSVC_OK)
		snprintf(t->id, sizeof t->id, "%s", v.id);
	memset(&v, 0, sizeof v);
	if (sst_failed(t, r))
		return;
	sst_go(t, SST_MENU);
}

static void
sst_open_cases(struct sst *t)
{
	selfsvc_cases_free(&t->cases);
	if (sst_failed(t, selfsvc_cases(t->db, t->opt->office, t->id, &t->cases)))
		return;
	sst_go(t, SST_CASES);
}

static void
sst_open_insurance(struct sst *t, bool print)
{
	enum selfsvc_result r;
	char *json = selfsvc_insurance(t->db, t->opt->office, t->id, print, &r), *doc, *why = NULL;

	if (sst_failed(t, r))
		return;
	doc = sst_render("certificate", json, print ? SST_PRINT_WIDTH : sst_screen_width(), &why);
	selfsvc_text_free(&json);
	if (doc == NULL) {
		sst_say(t, TS_ERROR, selfsvc_result_message(SELFSVC_UNAVAILABLE));
		free(why);
		return;
	}
	if (print) {
		bool ok = sst_print(t, doc);

		selfsvc_text_free(&doc);
		t->dirty = SD_ALL;
		if (ok)
			sst_say(t, TS_OK, _("The certificate has been printed: please take it."));
		else {
			char *m = xasprintf("%s (%s)", _("The certificate could not be printed: "
			    "please ask at the guide desk"), t->print_error);

			sst_say(t, TS_ERROR, m);
			free(m);
		}
		return;
	}
	sst_go(t, SST_INSURANCE);
	sst_doc_set(t, doc);
}

static void
sst_preview(struct sst *t)
{
	char case_no[32], *form, *pledge, *doc, *why = NULL;
	enum selfsvc_result r = selfsvc_filing(t->db, t->opt->office, t->id,
	    sst_kinds[t->kind].value, sst_places[t->place], false, case_no, &form, &pledge);

	if (sst_failed(t, r))
		return;
	doc = sst_filing_docs(form, pledge, sst_screen_width(), &why);
	selfsvc_text_free(&form);
	selfsvc_text_free(&pledge);
	if (doc == NULL) {
		sst_say(t, TS_ERROR, selfsvc_result_message(SELFSVC_UNAVAILABLE));
		free(why);
		return;
	}
	sst_go(t, SST_PREVIEW);
	sst_doc_set(t, doc);
}

static void
sst_file(struct sst *t)
{
	char *form, *pledge, *doc, *why = NULL;
	enum selfsvc_result r;
	int rows = term_rows(), cols = term_cols();

	term_fill(rows - 1, 0, cols, TS_NORMAL);
	fs_center(rows - 1, cols, TS_TITLE, _("Filing, please wait…"));
	term_flush();
	r = selfsvc_filing(t->db, t->opt->office, t->id, sst_kinds[t->kind].value,
	    sst_places[t->place], true, t->case_no, &form, &pledge);
	if (sst_failed(t, r))
		return;
	doc = sst_filing_docs(form, pledge, SST_PRINT_WIDTH, &why);
	selfsvc_text_free(&form);
	selfsvc_text_free(&pledge);
	sst_go(t, SST_DONE);
	if (doc == NULL) {
		t->print_error = why;
		return;
	}
	sst_print(t, doc);
	selfsvc_text_free(&doc);
	free(why);
	t->dirty = SD_ALL;
}

static void
sst_open_revoke(struct sst *t)
{
	selfsvc_cases_free(&t->cases);
	if (sst_failed(t, selfsvc_cases(t->db, t->opt->office, t->id, &t->cases)))
		return;
	sst_go(t, SST_REVOKE);
}

/* The n-th (1-based) revocable case of t->cases, or NULL. */
static const struct selfsvc_case *
sst_revocable(const struct sst *t, int n)
{
	for (int i = 0; i < t->cases.n; i++)
		if (t->cases.rows[i].revocable && --n == 0)
			return &t->cases.rows[i];
	return NULL;
}

static void
sst_revoke(struct sst *t, int n)
{
	const struct selfsvc_case *c = sst_revocable(t, n);
	char case_no[32];
	enum selfsvc_result r;

	if (c == NULL)
		return;
	snprintf(case_no, sizeof case_no, "%s", c->case_no);
	r = selfsvc_revoke(t->db, t->opt->office, t->id, case_no);
	if (sst_failed(t, r))
		return;
	sst_go(t, SST_MENU);
	{
		char *m = xasprintf(_("The filing %s has been revoked."), case_no);

		sst_say(t, TS_OK, m);
		free(m);
	}
}

/* ---- keys --------------------------------------------------------------- */

/* Up, Down, PgUp, PgDn, Home, End move the document or list on screen. */
static bool
sst_scroll_key(struct sst *t, const struct term_key *key)
{
	int page = term_rows() - 6;

	if (page < 1)
		page = 1;
	switch (key->code) {
	case K_UP:
		t->scroll--;
		break;
	case K_DOWN:
		t->scroll++;
		break;
	case K_PGUP:
		t->scroll -= page;
		break;
	case K_PGDN:
		t->scroll += page;
		break;
	case K_HOME:
		t->scroll = 0;
		break;
	case K_END:
		t->scroll = t->nlines;
		break;
	default:
		return false;
	}
	if (t->scroll < 0)
		t->scroll = 0;
	t->dirty |= SD_BODY;
	return true;
}

/* The digit of a K_CHAR key 1..9, else 0. */
static int
sst_digit(const struct term_key *key)
{
	return key->code == K_CHAR && key->ch >= '1' && key->ch <= '9' ? (int)(key->ch - '0') : 0;
}

static void
sst_key_menu(struct sst *t, const struct term_key *key)
{
	switch (sst_digit(key)) {
	case 1:
		sst_open_cases(t);
		break;
	case 2:
		sst_open_insurance(t, false);
		break;
	case 3:
		sst_go(t, SST_KIND);
		break;
	case 4:
		sst_open_revoke(t);
		break;
	default:
		break;
	}
}

static void
sst_key_place(struct sst *t, const struct term_key *key)
{
	int n;

	switch (fs_input_key(t->input, &t->len, 2, key, false, true)) {
	case FS_IN_ESC:
		sst_go(t, SST_KIND);
		return;
	case FS_IN_ENTER:
		n = atoi(t->input);
		if (n < 1 || n > SST_NPLACES) {
			memset(t->input, 0, sizeof t->input);
			t->len = 0;
			sst_say(t, TS_ERROR, _("Please type a number from the list."));
			return;
		}
		t->place = n - 1;
		sst_preview(t);
		return;
	case FS_IN_CHANGED:
		t->message = NULL;
		t->dirty |= SD_BODY;
		return;
	case FS_IN_NONE:
		return;
	}
}

static void
sst_key(struct sst *t, const struct term_key *key)
{
	long long now = fs_now_ms();
	int d;

	t->last_key = now;
	if (key->code == K_RESIZE) {
		t->dirty = SD_ALL;
		return;
	}
	if (key->code == K_ESC) {
		switch (t->screen) {
		case SST_START:
		case SST_MENU:
			sst_go(t, SST_START);
			return;
		case SST_PLACE:
			break;
		case SST_PREVIEW:
			sst_doc_clear(t);
			sst_go(t, SST_PLACE);
			return;
		case SST_CASES:
		case SST_INSURANCE:
		case SST_KIND:
		case SST_REVOKE:
		case SST_DONE:
			selfsvc_cases_free(&t->cases);
			sst_doc_clear(t);
			sst_go(t, SST_MENU);
			return;
		case SST_PAUSED:
			return;
		}
	}
	switch (t->screen) {
	case SST_START:
		switch (fs_input_key(t->input, &t->len, 18, key, true, false)) {
		case FS_IN_ENTER:
			sst_submit_id(t);
			return;
		case FS_IN_CHANGED:
			t->message = NULL;
			t->dirty |= SD_BODY;
			return;
		case FS_IN_ESC:
		case FS_IN_NONE:
			return;
		}
		return;
	case SST_MENU:
		sst_key_menu(t, key);
		return;
	case SST_CASES:
		if (key->code == K_DOWN || key->code == K_PGDN)
			t->scroll++;
		else if ((key->code == K_UP || key->code == K_PGUP) && t->scroll > 0)
			t->scroll--;
		t->dirty |= SD_BODY;
		return;
	case SST_INSURANCE:
		if (sst_digit(key) == 1)
			sst_open_insurance(t, true);
		else
			sst_scroll_key(t, key);
		return;
	case SST_KIND:
		d = sst_digit(key);
		if (d >= 1 && d <= SST_NKINDS) {
			t->kind = d - 1;
			sst_go(t, SST_PLACE);
		}
		return;
	case SST_PLACE:
		sst_key_place(t, key);
		return;
	case SST_PREVIEW:
		if (key->code == K_ENTER)
			sst_file(t);
		else
			sst_scroll_key(t, key);
		return;
	case SST_DONE:
		if (now - t->shown_at >= SST_GUARD_MS)
			sst_go(t, SST_MENU);
		return;
	case SST_REVOKE:
		d = sst_digit(key);
		if (d > 0)
			sst_revoke(t, d);
		return;
	case SST_PAUSED:
		return;
	}
}

/* ---- the loop ----------------------------------------------------------- */

/* Whether the screen holds anything of a person (or typed input). */
static bool
sst_personal(const struct sst *t)
{
	return t->screen != SST_PAUSED && (t->screen != SST_START || t->len > 0 ||
	    t->message != NULL);
}

static int
sst_timeout(struct sst *t, int esc_wait)
{
	long long now = fs_now_ms(), next = now + fs_ms_to_minute();

	if (t->lost && t->retry_at < next)
		next = t->retry_at;
	if (sst_personal(t) && t->last_key + t->idle_ms < next)
		next = t->last_key + t->idle_ms;
	if (t->screen == SST_DONE && now < t->shown_at + SST_GUARD_MS &&
	    t->shown_at + SST_GUARD_MS < next)
		next = t->shown_at + SST_GUARD_MS;
	if (esc_wait > 0 && now + esc_wait < next)
		next = now + esc_wait;
	return next <= now ? 0 : (int)(next - now);
}

static void
sst_timers(struct sst *t)
{
	long long now = fs_now_ms();
	long minute = (long)(time(NULL) / 60);

	if (minute != t->minute) {
		t->minute = minute;
		t->dirty |= SD_HEADER;
	}
	if (t->lost && now >= t->retry_at)
		sst_retry(t);
	if (sst_personal(t) && now >= t->last_key + t->idle_ms)
		sst_go(t, SST_START);	/* clears the person */
	if (t->screen == SST_DONE && now >= t->shown_at + SST_GUARD_MS &&
	    now < t->shown_at + SST_GUARD_MS + 1000)
		t->dirty |= SD_BODY;
}

int
selfsvc_terminal_run(const struct selfsvc_options *opt)
{
	struct sst t;
	int esc_wait = 0;

	memset(&t, 0, sizeof t);
	t.opt = opt;
	t.kind = t.place = -1;
	t.idle_ms = (opt->idle_seconds > 0 ? opt->idle_seconds : 60) * 1000;
	if (opt->conninfo == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", opt->config_error);
		return 1;
	}
	t.db = db_open(opt->conninfo);
	if (db_connected(t.db)) {
		struct queue_counts c;

		if (queue_counts(t.db, opt->office, &c) == QUEUE_UNKNOWN_OFFICE) {
			conv_fprintf(stderr, "yichuang: %s: %s\n",
			    queue_result_message(QUEUE_UNKNOWN_OFFICE), opt->office);
			db_close(&t.db);
			return 1;
		}
	}
	t.lost = !sst_connect(&t);
	t.ink = fs_ink(opt->font);
	t.minute = (long)(time(NULL) / 60);
	fs_signals(sst_on_signal);
	term_start();
	if (t.lost) {
		t.lost = false;
		sst_lost(&t);
	} else
		sst_go(&t, SST_START);

	while (!sst_signal) {
		struct pollfd fds[1] = { { .fd = 0, .events = POLLIN } };
		struct term_key key;
		int r;

		sst_draw(&t);
		r = poll(fds, 1, sst_timeout(&t, esc_wait));
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		while (!sst_signal && term_read_key(&key, &esc_wait))
			sst_key(&t, &key);
		if (esc_wait == 1 && term_key_timeout(&key)) {
			esc_wait = 0;
			sst_key(&t, &key);
		}
		sst_timers(&t);
	}
	term_stop();
	sst_forget(&t);
	db_close(&t.db);
	return 0;
}
