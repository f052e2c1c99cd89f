/*
 * One intake at the window, as the clerk fills it: the applicant, the
 * channel, an agent for 委托办理, the typed form fields of the definition
 * and the materials checklist. Plain C: no curses, no libpq.
 *
 * The intake decides nothing the database would not check again; it tells
 * the clerk early what is wrong (a message per field), which items of the
 * checklist are missing, and which outcomes are open. Nothing typed is
 * ever cleared by a failed check. An intake serialises to a small text (a
 * draft) and comes back from it, so it survives a lost terminal, a crash or
 * a lost database connection.
 *
 * Ownership: the intake borrows its definition (which must outlive it) and
 * owns every string it holds.
 */
#ifndef YC_INTAKE_H
#define YC_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "model/calendar.h"
#include "model/catalogue.h"
#include "model/validate.h"

enum intake_channel { IC_WINDOW, IC_PROXY, IC_MAIL, IC_COUNT };	/* 窗口, 帮办代办, 邮寄办 */

enum intake_outcome {
	IO_ACCEPT = 1 << 0,	/* 受理 */
	IO_IMMEDIATE = 1 << 1,	/* 即时办结 */
	IO_SUPPLEMENT = 1 << 2,	/* 一次性告知 */
	IO_DEFER = 1 << 3,	/* 容缺受理 */
	IO_REJECT = 1 << 4	/* 不予受理 */
};

/* The state of one material of the checklist. */
enum intake_mat_state {
	IM_MISSING,		/* not (yet) presented */
	IM_SEEN,		/* presented now */
	IM_DONE,		/* 补正: presented before (stays ticked, cannot be unticked) */
	IM_NOT_ASKED		/* 补正: not on the notice, never asked for again */
};

struct intake_mat {
	const struct cat_material *m;
	int item_no;			/* line of the checklist (any-of members share it) */
	const struct cat_item *item;	/* NULL for a proxy material */
	enum intake_mat_state st;
};

struct intake {
	const struct cat_def *def;
	int version;
	char *continue_case;		/* 补正 of this case; NULL for a new case */
	char *id_no, *name, *phone;	/* the applicant */
	bool person_known;		/* found in the register (name not typed) */
	enum intake_channel channel;
	bool proxy;			/* 委托办理 */
	char *agent_id, *agent_name;
	char *mail_address, *mail_tracking;	/* IC_MAIL: where documents go back, the waybill */
	long long ticket_id;		/* 0: none */
	char **values;			/* def->nfields, never NULL entries */
	struct intake_mat *mats;	/* items, then the proxy materials */
	size_t nmats, nitem_mats;	/* nitem_mats: the part that is not proxy */
};

struct intake *intake_new(const struct cat_def *def, int version);
void intake_free(struct intake **in);

/* Replaces a string slot (*slot is freed; value NULL means ""). */
void intake_set(char **slot, const char *value);

/*
 * Checks field i of the definition (its type, required, lengths, pattern,
 * choices): true when valid; r gets the message or the normalised value.
 * An optional blank field is valid. today bounds dates and ID numbers.
 */
bool intake_check_field(const struct intake *in, size_t i, struct cal_date today, struct val_result *r);
/* The applicant's ID number; with the person unknown, the name too. */
bool intake_check_applicant(const struct intake *in, struct cal_date today, struct val_result *r);
/* The agent (only when proxy): ID number and name. */
bool intake_check_agent(const struct intake *in, struct cal_date today, struct val_result *r);
/* 邮寄办 (only with IC_MAIL): the return address (5 to 200 characters;
 * not asked again at a 补正) and the waybill number of the package, 8 to 30
 * letters and digits once spaces and hyphens are gone (r->normalised, upper
 * case; at a 补正 it may be blank: the citizen came in person). */
bool intake_check_mail(const struct intake *in, struct val_result *r);
/* Every check above passes; *bad gets a short text of the first failure
 * ("field label: message"), malloc'd, when not. bad may be NULL. */
bool intake_complete_form(const struct intake *in, struct cal_date today, char **bad);

/* Toggles material k between missing and seen (IM_DONE and IM_NOT_ASKED
 * never change); false when it cannot change. */
bool intake_toggle(struct intake *in, size_t k);
/* Whether material k is on the checklist now: it applies to the answers
 * given (its when= and its group's; catalogue.h), and a proxy material
 * only with proxy. One that does not apply keeps its state, so an answer
 * changed and changed back loses no tick; it is neither shown, counted
 * nor sent. */
bool intake_mat_active(const struct intake *in, size_t k);
/* The number the checklist (and the notice) gives material k's line,
 * counting only the lines shown: 1, 2, … */
int intake_line_no(const struct intake *in, size_t k);
/* The limit of this case for the answers given (cat_limit_for). */
const struct cat_limit *intake_limit(const struct intake *in);

/* The checklist lines still missing: how many, and whether each of them
 * could be deferred (容缺: not key, defer days > 0; a group when all its
 * members can). */
struct intake_missing {
	int items;
	bool all_deferrable;
};
struct intake_missing intake_missing(const struct intake *in);

/* The outcomes open now (mask of enum intake_outcome). */
unsigned intake_outcomes(const struct intake *in);

/* 承诺制: whether the pledge of some any-of group was taken (ticked now,
 * or presented before the 补正): the 个人承诺书 is printed for signature. */
bool intake_pledged(const struct intake *in);

/* The material ids presented now (seen this time), for the server: a
 * malloc'd array of borrowed strings and its length. */
const char **intake_seen_ids(const struct intake *in, size_t *n);
/* For 容缺: one id per missing checklist line. */
const char **intake_missing_ids(const struct intake *in, size_t *n);

/* Draft text: "yichuang-draft 1" then one "key=value" per line, values
 * escaped (\\, \n, \t); saved gives the time written. */
char *intake_serialise(const struct intake *in, time_t saved);
/* Reads the header of a draft: the case type code (≤ 15 bytes) and
 * catalogue version; false when text is not a draft. */
bool intake_draft_type(const char *text, char code[16], int *version);
/* Fills in (made by intake_new for the draft's type) from the draft. Keys
 * it does not know are ignored; false when text is not a draft. */
bool intake_restore(struct intake *in, const char *text);
/* The save time recorded in a draft (0 when none). */
time_t intake_draft_saved(const char *text);
/* The name of the draft's case type as it was saved ("" when none). */
void intake_draft_name(const char *text, char name[128]);

const char *intake_channel_key(enum intake_channel ch);	/* window proxy mail */
const char *intake_channel_name(enum intake_channel ch);	/* translated */

#endif
