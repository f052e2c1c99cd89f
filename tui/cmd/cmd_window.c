/*
 * yichuang window add|list|disable|enable: the windows of an office and
 * where each prints, for an administrator (--staff STAFFNO) or the
 * database owner (--as-owner); see cmd/cmd_asadmin.h.
 *
 *   add --office CODE --window N [--label TEXT] [--printer CHANNEL|default]
 *       [--print-encoding utf-8|gb18030|default] [--print-width 80|40|default]
 *       Adds window N (label "N号窗口" unless given), or changes what is
 *       given of an existing one; says which. The print channel is what
 *       the workstation's --printer takes (file:PATH, lp, lp:QUEUE,
 *       passthrough); "default" clears a setting (the file
 *       var/print/OFFICE-N.txt, UTF-8, 80 columns). A workstation signed
 *       in at the window prints there; its own --printer, --print-encoding
 *       and --print-width override these.
 *   list --office CODE
 *       Number, label, state, print channel, encoding, width, and who is
 *       signed in there.
 *   disable --office CODE --window N | enable --office CODE --window N
 *       Deactivates the window (no sign-in there any more; refused while
 *       someone is signed in or a ticket is at it), or activates it.
 *
 * Exit status: 0 done; 2 bad usage or bad input (nothing changed); 1
 * refused or failed.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "cmd/cmd_asadmin.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/offices.h"
#include "util/conv.h"
#include "util/printer.h"
#include "util/xalloc.h"

enum window_sub { WS_ADD, WS_LIST, WS_DISABLE, WS_ENABLE, WS_COUNT };

struct window_req {
	enum window_sub sub;
	const char *office, *label, *printer, *encoding, *width_arg;
	int window;		/* 0: not given */
	int width;		/* -1 keep, 0 default, 40, 80 */
};

static int
cmd_window_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang window add --office CODE --window N [--label TEXT] "
	    "[--printer CHANNEL|default] [--print-encoding utf-8|gb18030|default] "
	    "[--print-width 80|40|default] | window list --office CODE | window disable|enable --office CODE "
	    "--window N; each with --staff STAFFNO (password in YICHUANG_PASSWORD or on standard input) or "
	    "--as-owner"));
	return 2;
}

static int
cmd_window_bad(const char *msg)
{
	conv_fprintf(stderr, "yichuang: %s\n", msg);
	return 2;
}

/* Reads and checks the options; 0, or the exit status. */
static int
cmd_window_parse(struct window_req *q, int argc, char **argv)
{
	const char *no = NULL;

	q->width = -1;
	for (int i = 0; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--office") == 0 ? &q->office :
		    strcmp(argv[i], "--window") == 0 ? &no :
		    strcmp(argv[i], "--label") == 0 ? &q->label :
		    strcmp(argv[i], "--printer") == 0 ? &q->printer :
		    strcmp(argv[i], "--print-encoding") == 0 ? &q->encoding :
		    strcmp(argv[i], "--print-width") == 0 ? &q->width_arg : NULL;

		if (slot == NULL) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return 2;
		}
		if (i + 1 >= argc)
			return cmd_window_usage();
		*slot = argv[++i];
	}
	if (q->office == NULL)
		return cmd_window_bad(_("--office CODE is required."));
	if (q->sub == WS_LIST)
		return no == NULL && q->label == NULL && q->printer == NULL && q->encoding == NULL &&
		    q->width_arg == NULL ? 0 : cmd_window_usage();
	if (no == NULL)
		return cmd_window_bad(_("--window N is required."));
	{
		char *end;
		long w = strtol(no, &end, 10);

		if (*no == '\0' || *end != '\0' || w < 1 || w > 999)
			return cmd_window_bad(_("--window takes a window number (1-999)."));
		q->window = (int)w;
	}
	if (q->sub != WS_ADD)
		return q->label == NULL && q->printer == NULL && q->encoding == NULL && q->width_arg == NULL ?
		    0 : cmd_window_usage();
	if (q->printer != NULL && strcmp(q->printer, "default") != 0) {
		char *why = NULL;
		struct printer *p = printer_open(q->printer, i18n_get, &why);

		if (p == NULL) {
			int rc = cmd_window_bad(why);

			free(why);
			return rc;
		}
		printer_free(&p);
	}
	if (q->encoding != NULL && strcmp(q->encoding, "default") != 0 &&
	    strcasecmp(q->encoding, "utf-8") != 0 && strcasecmp(q->encoding, "gb18030") != 0)
		return cmd_window_bad(_("--print-encoding is utf-8, gb18030 or default."));
	if (q->width_arg != NULL) {
		if (strcmp(q->width_arg, "default") == 0)
			q->width = 0;
		else if (strcmp(q->width_arg, "80") == 0 || strcmp(q->width_arg, "40") == 0)
			q->width = atoi(q->width_arg);
		else
			return cmd_window_bad(_("--print-width is 80, 40 or default."));
	}
	return 0;
}

static int
cmd_window_report(struct db *db, enum offices_result r, const char *what, const char *detail)
{
	char *msg = offices_result_message(r, what, detail);
	int rc = offices_result_ok(r) ? 0 : offices_result_input(r) ? 2 : 1;

	conv_fprintf(rc == 0 ? stdout : stderr, rc == 0 ? "%s\n" : "yichuang: %s\n", msg);
	if (r == OFFICES_DB_ERROR || r == OFFICES_DB_LOST)
		conv_fprintf(stderr, "%s\n", db_detail(db));
	free(msg);
	return rc;
}

/* "default" as the server's "clear" (""), NULL kept. */
static const char *
cmd_window_value(const char *v)
{
	return v != NULL && strcmp(v, "default") == 0 ? "" : v;
}

static int
cmd_window_add(struct cmd_asadmin *a, const struct window_req *q)
{
	char detail[32], *what = xasprintf(_("Window %d of %s"), q->window, q->office);
	const char *enc = cmd_window_value(q->encoding);
	char lower[16] = "";
	enum offices_result r;
	int rc;

	if (enc != NULL && *enc != '\0') {
		for (size_t i = 0; enc[i] != '\0' && i + 1 < sizeof lower; i++)
			lower[i] = (char)(enc[i] >= 'A' && enc[i] <= 'Z' ? enc[i] - 'A' + 'a' : enc[i]);
		enc = lower;
	}
	r = offices_window_save(a->db, cmd_asadmin_session(a), q->office, q->window, q->label,
	    cmd_window_value(q->printer), enc, q->width, detail);
	rc = cmd_window_report(a->db, r, r == OFFICES_UNKNOWN_OFFICE || r == OFFICES_OUT_OF_JURISDICTION ||
	    r == OFFICES_OFFICE_INACTIVE ? q->office : what, detail);
	free(what);
	return rc;
}

static int
cmd_window_state(struct cmd_asadmin *a, const struct window_req *q)
{
	bool active = q->sub == WS_ENABLE;
	char detail[32];
	enum offices_result r = offices_window_set_active(a->db, cmd_asadmin_session(a), q->office, q->window,
	    active, detail);

	if (r == OFFICES_OK || r == OFFICES_UNCHANGED) {
		char *msg = xasprintf(r == OFFICES_OK ? (active ? _("Window %d of %s is active again.") :
		    _("Window %d of %s is deactivated.")) : (active ? _("Window %d of %s is already active.") :
		    _("Window %d of %s is already deactivated.")), q->window, q->office);

		conv_fprintf(stdout, "%s\n", msg);
		free(msg);
		return 0;
	}
	return cmd_window_report(a->db, r, q->office, detail);
}

static int
cmd_window_list(struct cmd_asadmin *a, const struct window_req *q)
{
	struct offices_window *w;
	enum db_status st = DB_OK;
	size_t n = offices_windows(a->db, cmd_asadmin_session(a), q->office, &w, &st);

	if (st != DB_OK)
		return cmd_window_report(a->db, st == DB_LOST ? OFFICES_DB_LOST : OFFICES_DB_ERROR, NULL, NULL);
	if (n == 0) {
		char *msg = xasprintf(_("%s: no windows (or not an office of your jurisdiction)."), q->office);

		conv_fprintf(stdout, "%s\n", msg);
		free(msg);
		return 0;
	}
	int sw = text_width(_("active")) > text_width(_("deactivated")) ? text_width(_("active")) :
	    text_width(_("deactivated"));
	int dw = text_width(_("default")) > 8 ? text_width(_("default")) : 8;

	for (size_t i = 0; i < n; i++) {
		char *label = text_pad(w[i].label, 10, TEXT_LEFT);
		char *state = text_pad(w[i].active ? _("active") : _("deactivated"), sw, TEXT_LEFT);
		char *chan = text_pad(w[i].channel[0] != '\0' ? w[i].channel : _("default"), 30, TEXT_LEFT);
		char *enc = text_pad(w[i].encoding[0] != '\0' ? w[i].encoding : _("default"), dw, TEXT_LEFT);
		char width[16], *who = w[i].staff_no[0] != '\0' ?
		    xasprintf("%s (%s)", w[i].staff_name, w[i].staff_no) : xstrdup("");
		char *line;

		if (w[i].width > 0)
			snprintf(width, sizeof width, "%d", w[i].width);
		else
			snprintf(width, sizeof width, "%s", _("default"));
		{
			char *wd = text_pad(width, dw, TEXT_LEFT);

			line = xasprintf("%3d  %s %s %s %s %s %s", w[i].no, label, state, chan, enc, wd, who);
			free(wd);
		}
		for (size_t e = strlen(line); e > 0 && line[e - 1] == ' '; e--)
			line[e - 1] = '\0';
		conv_fprintf(stdout, "%s\n", line);
		free(line);
		free(label);
		free(state);
		free(chan);
		free(enc);
		free(who);
	}
	free(w);
	return 0;
}

static int
cmd_window_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const subs[WS_COUNT] = { "add", "list", "disable", "enable" };
	struct window_req q = { 0 };
	struct cmd_asadmin a;
	int rc, k;

	if (argc < 1)
		return cmd_window_usage();
	for (k = 0; k < WS_COUNT; k++)
		if (strcmp(argv[0], subs[k]) == 0)
			break;
	if (k == WS_COUNT)
		return cmd_window_usage();
	q.sub = (enum window_sub)k;
	argc--;
	argv++;
	if (!cmd_asadmin_args(&a, &argc, argv))
		return 2;
	if ((rc = cmd_window_parse(&q, argc, argv)) != 0 || (rc = cmd_asadmin_open(ctx, &a)) != 0)
		return rc;
	switch (q.sub) {
	case WS_ADD: rc = cmd_window_add(&a, &q); break;
	case WS_LIST: rc = cmd_window_list(&a, &q); break;
	case WS_DISABLE:
	case WS_ENABLE:
	case WS_COUNT: rc = cmd_window_state(&a, &q); break;
	}
	cmd_asadmin_close(&a);
	return rc;
}

const struct cmd_entry cmd_window_entry = {
	.name = "window",
	.usage = N_("yichuang window add|list|disable|enable --office CODE [--window N] ... "
	    "(--staff STAFFNO | --as-owner)"),
	.exec = cmd_window_exec,
};
