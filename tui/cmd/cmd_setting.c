/*
 * yichuang setting show|set: the known settings of the database (idle
 * lock, lockout, password policy, wait target, …), as an administrator
 * (--staff STAFFNO) or the database owner (--as-owner); see cmd_asadmin.h.
 *
 *   show             every known setting: value, default, range, what it does
 *   set KEY VALUE    changes one; the database checks the type and range
 *                    and audits the change with before and after
 *
 * Changing takes an administrator of a centre, county level or above (the
 * settings hold for every office) or the owner. The calling policy of an office keeps its
 * own command (`yichuang queue config`).
 *
 * Exit status: 0 done (also when the value was already that); 1 refused
 * (not allowed, sign-in) or failed; 2 bad usage, an unknown setting or a
 * value it cannot take, nothing changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_asadmin.h"
#include "model/i18n.h"
#include "model/text.h"
#include "store/settings.h"
#include "util/conv.h"
#include "util/xalloc.h"

#define CMD_SETTING_MAX 64

static int
cmd_setting_usage(void)
{
	conv_fprintf(stderr, "%s\n%s\n",
	    _("usage: yichuang setting show (--staff STAFFNO | --as-owner)"),
	    _("       yichuang setting set KEY VALUE (--staff STAFFNO | --as-owner)"));
	return 2;
}

static int
cmd_setting_show(struct cmd_asadmin *a)
{
	struct settings_row rows[CMD_SETTING_MAX];
	enum settings_result r;
	int n = settings_list(a->db, a->s.id, rows, CMD_SETTING_MAX, &r), kw = 0, vw, dw, rw;
	const char *hk = _("Setting"), *hv = _("Value"), *hd = _("Default"), *hr = _("Range");
	char *ranges[CMD_SETTING_MAX], *cells[5];

	if (n < 0) {
		struct settings_change c = { .key = "" };
		char *msg = settings_message(r, &c);

		conv_fprintf(stderr, "yichuang: %s\n", msg);
		free(msg);
		return 1;
	}
	kw = text_width(hk);
	vw = text_width(hv);
	dw = text_width(hd);
	rw = text_width(hr);
	for (int i = 0; i < n; i++) {
		ranges[i] = settings_range(rows[i].type, rows[i].min, rows[i].max, rows[i].choices);
		if (text_width(rows[i].key) > kw)
			kw = text_width(rows[i].key);
		if (text_width(rows[i].value) > vw)
			vw = text_width(rows[i].value);
		if (text_width(rows[i].def) > dw)
			dw = text_width(rows[i].def);
		if (text_width(ranges[i]) > rw)
			rw = text_width(ranges[i]);
	}
	for (int i = -1; i < n; i++) {
		cells[0] = text_pad(i < 0 ? hk : rows[i].key, kw, TEXT_LEFT);
		cells[1] = text_pad(i < 0 ? hv : rows[i].value, vw, TEXT_RIGHT);
		cells[2] = text_pad(i < 0 ? hd : rows[i].def, dw, TEXT_RIGHT);
		cells[3] = text_pad(i < 0 ? hr : ranges[i], rw, TEXT_LEFT);
		cells[4] = xstrdup(i < 0 ? _("What it does") : rows[i].description);
		conv_fprintf(stdout, "%s  %s  %s  %s  %s\n", cells[0], cells[1], cells[2], cells[3], cells[4]);
		for (int c = 0; c < 5; c++)
			free(cells[c]);
	}
	for (int i = 0; i < n; i++)
		free(ranges[i]);
	if (n > 0 && !rows[0].may_change)
		conv_fprintf(stdout, "%s\n", _("Only an administrator of a county-level office or above may "
		    "change the settings (they hold for every office)."));
	return 0;
}

static int
cmd_setting_set(struct cmd_asadmin *a, const char *key, const char *value)
{
	struct settings_change c;
	enum settings_result r = settings_set(a->db, a->s.id, key, value, &c);
	char *msg = settings_message(r, &c);
	int rc = r == SET_OK || r == SET_UNCHANGED ? 0 :
	    r == SET_UNKNOWN || r == SET_BAD_VALUE || r == SET_OUT_OF_RANGE ? 2 : 1;

	conv_fprintf(rc == 0 ? stdout : stderr, rc == 0 ? "%s\n" : "yichuang: %s\n", msg);
	free(msg);
	return rc;
}

static int
cmd_setting_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *pos[3] = { NULL, NULL, NULL }, *staff = NULL;
	struct cmd_asadmin a;
	bool owner = false;
	int npos = 0, rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--staff") == 0 && i + 1 < argc)
			staff = argv[++i];
		else if (strcmp(argv[i], "--as-owner") == 0)
			owner = true;
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return cmd_setting_usage();
		} else if (npos < 3)
			pos[npos++] = argv[i];
		else
			return cmd_setting_usage();
	}
	if (npos == 0 || (strcmp(pos[0], "show") == 0 && npos != 1) ||
	    (strcmp(pos[0], "set") == 0 && npos != 3) ||
	    (strcmp(pos[0], "show") != 0 && strcmp(pos[0], "set") != 0))
		return cmd_setting_usage();
	if ((rc = cmd_asadmin_as(ctx, staff, owner, &a)) != 0)
		return rc;
	rc = strcmp(pos[0], "show") == 0 ? cmd_setting_show(&a) : cmd_setting_set(&a, pos[1], pos[2]);
	cmd_asadmin_close(&a);
	return rc;
}

const struct cmd_entry cmd_setting_entry = {
	.name = "setting",
	.usage = N_("yichuang setting show | setting set KEY VALUE (--staff STAFFNO | --as-owner)"),
	.exec = cmd_setting_exec,
};
