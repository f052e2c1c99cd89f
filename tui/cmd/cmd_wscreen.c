/*
 * yichuang window-screen --office CODE --window N
 * The window screen (窗口屏 / 评价器) of one window (see queue/wscreen.c),
 * connected as the kiosk role. No key ends it: stop it with SIGTERM (or
 * SIGHUP, or by closing its terminal).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/i18n.h"
#include "queue/wscreen.h"
#include "util/conv.h"

static int
cmd_wscreen_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct wscreen_options opt = { 0 };
	char *ci, *end;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--office") == 0 && v != NULL)
			opt.office = v;
		else if (strcmp(argv[i], "--window") == 0 && v != NULL) {
			long n = strtol(v, &end, 10);

			if (*v == '\0' || *end != '\0' || n < 1 || n > 999) {
				conv_fprintf(stderr, "yichuang: %s\n", _("--window N: a window number."));
				return 2;
			}
			opt.window = (int)n;
		} else {
			conv_fprintf(stderr, "yichuang: %s: %s\n%s\n", _("unknown option"), argv[i],
			    _(cmd_wscreen_entry.usage));
			return 2;
		}
		i++;
	}
	if (opt.office == NULL || *opt.office == '\0') {
		conv_fprintf(stderr, "yichuang: %s\n", _("--office CODE is required."));
		return 2;
	}
	if (opt.window == 0) {
		conv_fprintf(stderr, "yichuang: %s\n", _("--window N: a window number."));
		return 2;
	}
	if (!isatty(0) || !isatty(1)) {
		conv_fprintf(stderr, "yichuang: %s\n", _("the window screen needs a terminal."));
		return 2;
	}
	if (!cmd_terminal_ok())
		return 2;
	ci = cmd_conninfo(ctx, CMD_KIOSK, &opt.config_error);
	opt.conninfo = ci;
	rc = wscreen_run(&opt);
	free(ci);
	return rc;
}

const struct cmd_entry cmd_wscreen_entry = {
	.name = "window-screen",
	.usage = N_("yichuang window-screen --office CODE --window N"),
	.exec = cmd_wscreen_exec,
};
