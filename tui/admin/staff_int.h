/*
 * What the files of 人员管理 share (staff.c: the list and its keys;
 * staff_form.c: the form that adds or edits an account). Not for other
 * views.
 */
#ifndef YC_ADMIN_STAFF_INT_H
#define YC_ADMIN_STAFF_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "store/staffstore.h"
#include "ui/app.h"
#include "ui/field.h"
#include "ui/prompt.h"

/* What the work area shows. */
enum staff_mode {
	SM_LIST,	/* the accounts */
	SM_FORM,	/* adding or editing one */
	SM_TEMP,	/* a temporary password, shown once */
	SM_CASES	/* the open cases of an account */
};

enum staff_prompt { SP_DISABLE = 1, SP_RESET };

/* The rows of the form. */
enum { SF_NO, SF_NAME, SF_ROLE, SF_OFFICE, SF_COUNT };

struct staff_form {
	bool editing;		/* edit an account (its staff number fixed), else add one */
	struct field no, name;
	int role;		/* index into staff_roles */
	int office;		/* index into the view's offices */
	int row;		/* the active row */
};

struct staff {
	enum staff_mode mode;
	struct staffstore_row *rows;
	size_t nrows;
	size_t *shown;		/* indices of the rows matching the filter */
	size_t nshown;
	size_t sel, top;
	int page;		/* list rows at the last draw */
	struct field query;
	int state;		/* index into the states of F9 */
	struct staffstore_office *offices;
	int noffices;
	struct staff_form form;
	char temp[64];		/* the temporary password on screen (SM_TEMP), wiped after */
	char temp_for[200];	/* whose it is, the sentence above it */
	struct staffstore_case *cases;	/* SM_CASES */
	size_t ncases;
	char cases_for[200];
	struct prompt prompt;
	bool loaded;
};

/* The roles an account may have, in the order of the form's choice. */
extern const char *const staff_roles[];
extern const size_t staff_nroles;

/* Reads the accounts again (and the offices, the first time), keeping the
 * selection on the same staff number where it can. */
void staff_reload(struct app *app, struct staff *s);
/* Says what a refusal means (and marks the connection lost for SS_DB_LOST);
 * true for SS_OK. */
bool staff_report(struct app *app, enum staffstore_result r);
/* The selected account, NULL when none. */
const struct staffstore_row *staff_selected(const struct staff *s);

/* The form (staff_form.c): opened empty for adding or filled from row for
 * editing; its draw and key handling. */
void staff_form_open(struct app *app, struct staff *s, const struct staffstore_row *row);
void staff_form_draw(struct app *app, struct staff *s, int top, int rows);
int staff_form_key(struct app *app, struct staff *s, const struct term_key *k);
/* Shows a temporary password once (SM_TEMP). */
void staff_show_temp(struct app *app, struct staff *s, const char *sentence, char temp[64]);

#endif
