/*
 * yichuang board --office CODE [--font auto|blocks|ascii]
 * The calling board of a hall (see queue/board.c). No key ends it: stop it
 * with SIGTERM (or SIGHUP, or by closing its terminal).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/i18n.h"
#include "queue/board.h"
#include "util/conv.h"

static int
cmd_board_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct board_options opt = { 0 };
	char *ci;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--office") == 0 && v != NULL)
			opt.office = v;
		else if (strcmp(argv[i], "--font") == 0 && v != NULL && strcmp(v, "auto") == 0)
			opt.font = FS_FONT_AUTO;
		else if (strcmp(argv[i], "--font") == 0 && v != NULL && strcmp(v, "blocks") == 0)
			opt.font = FS_FONT_BLOCKS;
		else if (strcmp(argv[i], "--font") == 0 && v != NULL && strcmp(v, "ascii") == 0)
			opt.font = FS_FONT_ASCII;
		else {
			conv_fprintf(stderr, "yichuang: %s: %s\n%s\n", _("unknown option"), argv[i],
			    _(cmd_board_entry.usage));
			return 2;
		}
		i++;
	}
	if (opt.office == NULL || *opt.office == '\0') {
		conv_fprintf(stderr, "yichuang: %s\n", _("--office CODE is required."));
		return 2;
	}
	if (!isatty(0) || !isatty(1)) {
		conv_fprintf(stderr, "yichuang: %s\n", _("the calling board needs a terminal."));
		return 2;
	}
	if (!cmd_terminal_ok())
		return 2;
	ci = cmd_conninfo(ctx, CMD_KIOSK, &opt.config_error);
	opt.conninfo = ci;
	opt.read_conninfo = cmd_read_conninfo(ctx);
	rc = board_run(&opt);
	free(ci);
	return rc;
}

const struct cmd_entry cmd_board_entry = {
	.name = "board",
	.usage = N_("yichuang board --office CODE [--font auto|blocks|ascii]"),
	.exec = cmd_board_exec,
};
