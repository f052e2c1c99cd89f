/*
 * yichuang: the 医保 one-window workstation. Global options come first:
 * --db CONNINFO, --lang zh_CN|en; then a command from cmd_table, or the
 * workstation when none is given.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "cmd/cmd.h"
#include "model/i18n.h"
#include "model/text.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_report_entry;

static const struct cmd_entry *const cmd_table[] = {
	&cmd_db_entry,
	&cmd_forms_entry,
	&cmd_queue_entry,
	&cmd_calendar_entry,
	&cmd_print_entry,
	&cmd_workstation_entry,
	&cmd_kiosk_entry,
	&cmd_board_entry,
	&cmd_ticket_entry,
	&cmd_report_entry,
	&cmd_hours_entry,
	&cmd_setting_entry,
};

/* A locale the terminal can use for wide characters: the user's when it
 * exists and is UTF-8, GB18030, GBK or GB2312; otherwise C.UTF-8. */
static void
main_locale(void)
{
	const char *cs;

	if (setlocale(LC_ALL, "") != NULL) {
		cs = nl_langinfo(CODESET);
		if (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "GB18030") == 0 ||
		    strcasecmp(cs, "GBK") == 0 || strcasecmp(cs, "GB2312") == 0)
			return;
	}
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
}

static int
main_wcwidth(uint32_t cp)
{
	return wcwidth((wchar_t)cp);
}

static void
main_usage(FILE *fp)
{
	conv_fprintf(fp, "%s\n", _("Usage:"));
	for (size_t i = 0; i < sizeof cmd_table / sizeof cmd_table[0]; i++)
		conv_fprintf(fp, "  %s\n", _(cmd_table[i]->usage));
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx = { .argv0 = argv[0] };
	const struct cmd_entry *cmd = &cmd_workstation_entry;
	char *mo;
	int i;

	main_locale();
	conv_init();
	if (!conv_is_utf8())
		text_set_width_override(main_wcwidth);
	paths_init();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			ctx.db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			ctx.db = argv[i] + 5;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			ctx.lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			ctx.lang = argv[i] + 7;
		else
			break;
	}
	mo = xasprintf("%s/%s/LC_MESSAGES/yichuang.mo", paths_localedir(),
	    i18n_choose_lang(ctx.lang));
	i18n_load(mo);
	free(mo);
	if (i < argc && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0)) {
		main_usage(stdout);
		return 0;
	}
	if (i < argc && argv[i][0] != '-') {
		cmd = NULL;
		for (size_t c = 0; c < sizeof cmd_table / sizeof cmd_table[0]; c++)
			if (strcmp(argv[i], cmd_table[c]->name) == 0)
				cmd = cmd_table[c];
		if (cmd == NULL) {
			conv_fprintf(stderr, "yichuang: %s: %s\n", _("unknown command"), argv[i]);
			main_usage(stderr);
			return 2;
		}
		i++;
	}
	return cmd->exec(&ctx, argc - i, argv + i);
}
