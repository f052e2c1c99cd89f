/*
 * yichuang [--idle-lock SECONDS] [--printer CHANNEL] [--print-encoding
 * utf-8|gb18030] [--print-width 80|40]: the counter workstation. The
 * printer is the window's print channel (file:PATH, lp[:QUEUE],
 * passthrough); by default a file under ./var/print.
 *
 * The workstation is put together here: the table of the features' views
 * and the hooks by which features call one another (ui/app.h). A new
 * screen is a row below; a new call between features is a hook.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/offices.h"
#include "admin/staff.h"
#include "admin/hallhours.h"
#include "admin/sysconf.h"
#include "cases/casedesk.h"
#include "cases/caseview.h"
#include "cmd/cmd.h"
#include "hall/hall.h"
#include "intake/counter.h"
#include "intake/guide.h"
#include "intake/picker.h"
#include "intake/policyview.h"
#include "model/i18n.h"
#include "queue/appoint.h"
#include "queue/workbench.h"
#include "ui/app.h"
#include "util/conv.h"

static const struct app_view_row cmd_workstation_views[] = {
	{ AV_WORKBENCH, &workbench_view_ops },
	{ AV_PICKER, &picker_view_ops },
	{ AV_GUIDE, &guide_view_ops },
	{ AV_COUNTER, &counter_view_ops },
	{ AV_CASES, &cases_view_ops },
	{ AV_CASE, &case_view_ops },
	{ AV_HALL, &hall_view_ops },
	{ AV_HANDOVER, &handover_view_ops },
	{ AV_OFFICES, &offices_view_ops },
	{ AV_STAFF, &staff_view_ops },
	{ AV_HOURS, &hallhours_view_ops },
	{ AV_SETTINGS, &sysconf_view_ops },
	{ AV_APPOINT, &appoint_view_ops },
	{ AV_POLICY, &policyview_view_ops },
};

static const struct app_hooks cmd_workstation_hooks = {
	.counter_continue = counter_continue,
	.counter_draft_find = counter_draft_find,
	.counter_draft_resume = counter_draft_resume,
	.counter_draft_discard = counter_draft_discard,
	.hall_open = hall_open,
	.handover_prompt = handover_prompt,
	.handover_for_login = handover_for_login,
	.policy_open = policyview_hook_open,
};

static const struct app_features cmd_workstation_features = {
	.views = cmd_workstation_views,
	.nviews = sizeof cmd_workstation_views / sizeof cmd_workstation_views[0],
	.hooks = &cmd_workstation_hooks,
};

static int
cmd_workstation_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct app_options opt = { .idle_lock_seconds = -1, .print_width = 0 };
	char *ci;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--idle-lock") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end != '\0' || v < 0 || v > 86400) {
				conv_fprintf(stderr, "yichuang: %s\n",
				    _("--idle-lock takes a number of seconds (0 disables the lock)."));
				return 2;
			}
			opt.idle_lock_seconds = (int)v;
		} else if (strcmp(argv[i], "--printer") == 0 && i + 1 < argc) {
			opt.printer = argv[++i];
		} else if (strcmp(argv[i], "--print-encoding") == 0 && i + 1 < argc) {
			opt.print_encoding = argv[++i];
		} else if (strcmp(argv[i], "--print-width") == 0 && i + 1 < argc) {
			opt.print_width = atoi(argv[++i]);
			if (opt.print_width != 40 && opt.print_width != 80) {
				conv_fprintf(stderr, "yichuang: %s\n", _("--print-width is 80 or 40."));
				return 2;
			}
		} else {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown option"), argv[i]);
			return 2;
		}
	}
	if (!isatty(0) || !isatty(1)) {
		conv_fprintf(stderr, "yichuang: %s\n", _("the workstation needs a terminal."));
		return 2;
	}
	if (!cmd_terminal_ok())
		return 2;
	ci = cmd_conninfo(ctx, CMD_APP, &opt.config_error);
	opt.conninfo = ci;
	opt.read_conninfo = cmd_read_conninfo(ctx);
	rc = app_run(&opt, &cmd_workstation_features);
	free(ci);
	return rc;
}

const struct cmd_entry cmd_workstation_entry = {
	.name = "workstation",
	.usage = N_("yichuang [--db CONNINFO] [--read-db CONNINFO] [--lang zh_CN|en] [--idle-lock SECONDS] "
	    "[--printer CHANNEL] "
	    "[--print-encoding utf-8|gb18030] [--print-width 80|40]"),
	.exec = cmd_workstation_exec,
};
