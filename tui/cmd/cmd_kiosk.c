/*
 * yichuang kiosk --office CODE [--printer CHANNEL] [--result-seconds N]
 *                [--font auto|blocks|ascii]
 * yichuang kiosk --self-service --office CODE [--printer CHANNEL]
 *                [--idle-seconds N] [--font auto|blocks|ascii]
 * The unattended ticket machine of a hall (see queue/kiosk.c), or with
 * --self-service its self-service terminal (queue/selfsvc.c). Slips and
 * documents go to CHANNEL (util/printer.h); by default they are appended
 * to $YICHUANG_VAR/print/kiosk-<office>.txt (selfsvc-<office>.txt for the
 * terminal; ./var when YICHUANG_VAR is unset). No key ends it: stop it
 * with SIGTERM (or SIGHUP, or by closing its terminal).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/i18n.h"
#include "queue/kiosk.h"
#include "queue/selfsvc.h"
#include "store/cluster.h"
#include "util/conv.h"
#include "util/printer.h"
#include "util/xalloc.h"

static bool
cmd_kiosk_font(const char *s, enum fs_font *f)
{
	if (strcmp(s, "auto") == 0)
		*f = FS_FONT_AUTO;
	else if (strcmp(s, "blocks") == 0)
		*f = FS_FONT_BLOCKS;
	else if (strcmp(s, "ascii") == 0)
		*f = FS_FONT_ASCII;
	else
		return false;
	return true;
}

static int
cmd_kiosk_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct kiosk_options opt = { .result_seconds = 10 };
	const char *channel = NULL;
	char *spec = NULL, *why = NULL, *ci;
	bool self = false;
	int rc, idle = 0;

	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--self-service") == 0) {
			self = true;
			continue;
		}
		if (strcmp(argv[i], "--idle-seconds") == 0 && v != NULL) {
			char *end;
			long n = strtol(v, &end, 10);

			if (*end != '\0' || n < 2 || n > 600) {
				conv_fprintf(stderr, "yichuang: %s\n",
				    _("--idle-seconds takes a number of seconds (2-600)."));
				return 2;
			}
			idle = (int)n;
		} else if (strcmp(argv[i], "--office") == 0 && v != NULL)
			opt.office = v;
		else if (strcmp(argv[i], "--printer") == 0 && v != NULL)
			channel = v;
		else if (strcmp(argv[i], "--result-seconds") == 0 && v != NULL) {
			char *end;
			long n = strtol(v, &end, 10);

			if (*end != '\0' || n < 2 || n > 600) {
				conv_fprintf(stderr, "yichuang: %s\n",
				    _("--result-seconds takes a number of seconds (2-600)."));
				return 2;
			}
			opt.result_seconds = (int)n;
		} else if (strcmp(argv[i], "--font") == 0 && v != NULL) {
			if (!cmd_kiosk_font(v, &opt.font)) {
				conv_fprintf(stderr, "yichuang: %s\n", _("--font takes auto, blocks or ascii."));
				return 2;
			}
		} else {
			conv_fprintf(stderr, "yichuang: %s: %s\n%s\n", _("unknown option"), argv[i],
			    _(cmd_kiosk_entry.usage));
			return 2;
		}
		i++;
	}
	/* the code also names the slip file: digits only */
	if (opt.office == NULL || !db_office_code_ok(opt.office)) {
		conv_fprintf(stderr, "yichuang: %s\n", _("--office takes an office code (2, 4, 6, 9 or 12 digits)."));
		return 2;
	}
	if (!isatty(0) || !isatty(1)) {
		conv_fprintf(stderr, "yichuang: %s\n", _("the kiosk needs a terminal."));
		return 2;
	}
	if (!cmd_terminal_ok())
		return 2;
	if (idle != 0 && !self) {
		conv_fprintf(stderr, "yichuang: %s\n", _("--idle-seconds is an option of --self-service."));
		return 2;
	}
	if (channel == NULL) {
		char *var = cluster_default_var(),
		    *name = xasprintf(self ? "selfsvc-%s.txt" : "kiosk-%s.txt", opt.office);

		spec = printer_spool(var, name);
		free(name);
		free(var);
		channel = spec;
	}
	opt.printer = printer_open(channel, i18n_get, &why);
	free(spec);
	if (opt.printer == NULL) {
		conv_fprintf(stderr, "yichuang: %s\n", why);
		free(why);
		return 2;
	}
	ci = cmd_conninfo(ctx, CMD_KIOSK, &opt.config_error);
	opt.conninfo = ci;
	if (self) {
		struct selfsvc_options so = {
			.conninfo = ci, .config_error = opt.config_error, .office = opt.office,
			.printer = opt.printer, .idle_seconds = idle, .font = opt.font,
		};

		rc = selfsvc_terminal_run(&so);
	} else
		rc = kiosk_run(&opt);
	free(ci);
	printer_free(&opt.printer);
	return rc;
}

const struct cmd_entry cmd_kiosk_entry = {
	.name = "kiosk",
	.usage = N_("yichuang kiosk [--self-service] --office CODE "
	    "[--printer file:PATH|lp[:QUEUE]|passthrough] [--result-seconds N] [--idle-seconds N] "
	    "[--font auto|blocks|ascii]"),
	.exec = cmd_kiosk_exec,
};
