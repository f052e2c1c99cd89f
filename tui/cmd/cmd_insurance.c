/*
 * yichuang insurance import FILE: the provincial platform's export of
 * insurance history (per person, year and scheme: insured, inside the
 * 集中参保期, fund reimbursement, 大病 reward used; model/inscsv.h), for an
 * administrator (--staff STAFFNO) or the database owner (--as-owner); see
 * cmd/cmd_asadmin.h. The waiting periods and 大病 caps of the 参保 rules
 * (db/functions/policy.sql) are computed from it.
 *
 * All or nothing in one server call (yc.insurance_import): every line the
 * file or the server refuses as FILE:LINE: message, and nothing is stored;
 * otherwise the counts (added, updated, unchanged).
 *
 * Exit status: 0 imported; 2 bad usage or a refused line (nothing
 * stored); 1 not allowed or failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_asadmin.h"
#include "model/i18n.h"
#include "model/inscsv.h"
#include "store/db.h"
#include "store/insstore.h"
#include "util/conv.h"
#include "util/file.h"
#include "util/xalloc.h"

#define CMD_INSURANCE_MAX_FILE (64u << 20)

static int
cmd_insurance_usage(void)
{
	conv_fprintf(stderr, "%s\n", _("usage: yichuang insurance import FILE (--staff STAFFNO (password in "
	    "YICHUANG_PASSWORD or on standard input) | --as-owner)"));
	return 2;
}

/* Reads and checks the file (every error as FILE:LINE: message); NULL
 * after saying why. */
static struct inscsv *
cmd_insurance_read(const char *file)
{
	struct inscsv *csv;
	size_t len;
	char *text;

	if ((text = file_read(file, CMD_INSURANCE_MAX_FILE, &len)) == NULL) {
		conv_fprintf(stderr, "yichuang: %s: %s\n", file, errno == EFBIG ?
		    _("the file is too large") : strerror(errno));
		return NULL;
	}
	csv = inscsv_parse(text, len);
	free(text);
	if (csv->nerrors > 0) {
		for (size_t i = 0; i < csv->nerrors; i++)
			conv_fprintf(stderr, "%s:%d: %s\n", file, csv->errors[i].line, csv->errors[i].message);
		conv_fprintf(stderr, _("%zu error(s) in %s: no insurance record was imported.\n"), csv->nerrors, file);
		inscsv_free(&csv);
		return NULL;
	}
	if (csv->nrows == 0) {
		conv_fprintf(stderr, _("%s: no record after the header line: no insurance record was imported.\n"), file);
		inscsv_free(&csv);
		return NULL;
	}
	return csv;
}

static int
cmd_insurance_import(struct cmd_asadmin *a, const char *file, const struct inscsv *csv)
{
	struct ins_row *rows = xcalloc(csv->nrows, sizeof *rows);
	struct ins_line *lines = NULL;
	size_t nlines = 0, counts[3];
	enum ins_result r;
	int rc = 1;

	for (size_t i = 0; i < csv->nrows; i++) {
		const struct inscsv_row *c = &csv->rows[i];

		rows[i] = (struct ins_row){ c->line, c->id_no, c->year, c->scheme, c->insured, c->central,
			c->fund_paid, c->reward_used };
	}
	r = insstore_import(a->db, cmd_asadmin_session(a), rows, csv->nrows, counts, &lines, &nlines);
	if (r == INS_OK) {
		conv_fprintf(stdout, _("%s: %zu record(s) imported: %zu added, %zu updated, %zu unchanged.\n"),
		    file, csv->nrows, counts[0], counts[1], counts[2]);
		rc = 0;
	} else if (r == INS_REFUSED_LINES) {
		for (size_t i = 0; i < nlines; i++) {
			char *msg = insstore_line_message(&lines[i]);

			conv_fprintf(stderr, "%s:%d: %s\n", file, lines[i].line, msg);
			free(msg);
		}
		conv_fprintf(stderr, _("%zu error(s) in %s: no insurance record was imported.\n"), nlines, file);
		rc = 2;
	} else {
		conv_fprintf(stderr, "yichuang: %s\n", insstore_result_message(r));
		if (r == INS_DB_ERROR)
			conv_fprintf(stderr, "%s\n", db_detail(a->db));
	}
	free(lines);
	free(rows);
	return rc;
}

static int
cmd_insurance_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_asadmin a;
	struct inscsv *csv;
	int rc;

	if (argc < 1 || strcmp(argv[0], "import") != 0)
		return cmd_insurance_usage();
	argc--;
	argv++;
	if (!cmd_asadmin_args(&a, &argc, argv))
		return 2;
	if (argc != 1 || argv[0][0] == '-')
		return cmd_insurance_usage();
	if ((csv = cmd_insurance_read(argv[0])) == NULL)
		return 2;
	if ((rc = cmd_asadmin_open(ctx, &a)) == 0) {
		rc = cmd_insurance_import(&a, argv[0], csv);
		cmd_asadmin_close(&a);
	}
	inscsv_free(&csv);
	return rc;
}

const struct cmd_entry cmd_insurance_entry = {
	.name = "insurance",
	.usage = N_("yichuang insurance import FILE (--staff STAFFNO | --as-owner)"),
	.exec = cmd_insurance_exec,
};
