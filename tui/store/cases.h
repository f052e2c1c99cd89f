/*
 * Cases on the shared database: the intake at the window (受理, 即时办结,
 * 一次性告知, 容缺受理, 不予受理), the 补正 of a waiting case at any window
 * of the city, the deadline board, 好差评 and the clerk's saved draft.
 *
 * Every operation is one call of a server-side function in
 * db/migrations/0005_intake.sql, run as the signed-in staff session: the
 * server checks the session, the materials against the stored definition,
 * computes numbers and dates from the official calendar, writes the audit
 * rows and announces the change on the office's channel, all in one
 * transaction: a case is either fully recorded or not at all.
 *
 * Results: CASES_OK, or why not (each maps to one message for the user,
 * cases_result_message()); CASES_DB_LOST / CASES_DB_ERROR when the database
 * failed (db_detail()).
 */
#ifndef YC_CASES_H
#define YC_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "store/db.h"

enum cases_result {
	CASES_OK,
	CASES_NOT_FOUND,	/* no such case, notice, person or draft */
	CASES_NO_SESSION,	/* the staff session is closed */
	CASES_NOT_ALLOWED,	/* not at this tier / not this role */
	CASES_BAD_INPUT,	/* an argument the client should never send */
	CASES_BAD_ID,		/* an ID number that is not valid */
	CASES_UNKNOWN_TYPE,	/* case type code/version not loaded */
	CASES_INCOMPLETE,	/* 受理/即时办结 with materials missing */
	CASES_NOTHING_MISSING,	/* 一次性告知 or 容缺 with nothing missing */
	CASES_NOT_DEFERRABLE,	/* 容缺 of a key or non-deferrable material */
	CASES_NOT_ON_NOTICE,	/* 补正 asks for a material not on the notice */
	CASES_NOT_IMMEDIATE,	/* 即时办结 of an item that has a time limit */
	CASES_NOT_PENDING,	/* 补正 of a case that is not waiting for it */
	CASES_REASON_NEEDED,	/* 不予受理 without a reason */
	CASES_NUMBERS_EXHAUSTED,/* 9999 cases (notices) in one office in one day */
	CASES_CALENDAR,		/* a due date beyond the loaded calendar */
	CASES_FORM_INCOMPLETE,	/* 受理/即时办结/容缺 with a required field empty */
	CASES_NO_INSURANCE,	/* a 参保凭证 for a person with no insurance record */
	CASES_DEFERRED_MISSING,	/* 拨付 or 办结 while a 容缺 material is outstanding */
	CASES_REASON_FORBIDDEN,	/* 不予受理 for a reason the definition forbids */
	CASES_MAIL_NEEDED,	/* 邮寄办 without the return address or the waybill */
	CASES_BAD_TRACKING,	/* a waybill number that is not one */
	CASES_ADDRESS_NEEDED,	/* mailing out with no address given nor recorded */
	CASES_CLOSED,		/* 撤回/终止办理 of a case already finished, refused,
				 * withdrawn or ended */
	CASES_NOT_OVERDUE,	/* 终止办理 without a deferred material past its date */
	CASES_BAD_TEXT,		/* a text with a control character or a bidirectional
				 * override (util/safetext.h) */
	CASES_PAYBACK_OVER,	/* more gap years paid back than the gap has */
	CASES_ALREADY_INSURED,	/* a 参保登记 of a year already insured */
	CASES_NOT_TRANSFER,	/* a 补缴 of a break longer than the rule allows */
	CASES_DB_LOST,
	CASES_DB_ERROR
};

/* A person as the register knows them. */
struct cases_person {
	char id_no[20];
	char name[64];
	char phone[32];		/* "" when none */
};

/* Finds a person by ID number: CASES_OK, or CASES_NOT_FOUND. */
enum cases_result cases_person_find(struct db *db, long long session, const char *id_no,
    struct cases_person *out);
/* Registers a person, or updates name/phone of a known one (phone may be
 * NULL or ""). The server checks the ID number (GB 11643). */
enum cases_result cases_person_register(struct db *db, long long session, const char *id_no,
    const char *name, const char *phone);

enum cases_outcome {
	CO_ACCEPT,		/* 受理: every material seen */
	CO_IMMEDIATE,		/* 即时办结: every material seen, item without limit */
	CO_SUPPLEMENT,		/* 一次性告知: a numbered notice lists what is missing */
	CO_DEFER,		/* 容缺受理: the missing materials are all deferred */
	CO_REJECT		/* 不予受理, with a reason */
};

enum cases_channel { CH_WINDOW, CH_PROXY, CH_MAIL };	/* 窗口, 帮办代办, 邮寄办 */

/*
 * The end of an intake. For a new case: type_code and version (the loaded
 * catalogue version the clerk used), id_no of the applicant (registered
 * first), channel, the agent (委托办理: agent_id_no and agent_name, both or
 * neither; this adds the definition's proxy materials), the form as
 * parallel arrays of field ids and values, the ticket being served (0:
 * none), the material ids presented (seen) and, for CO_DEFER, the ids of
 * the missing ones deferred (every missing material must be deferred; an
 * any-of group is deferred by naming any one of its members).
 *
 * For 补正 (continue_case set, the case_no of a case waiting with a
 * 一次性告知书): type, id, channel, agent and form are those stored and
 * are ignored here; seen lists materials presented now, which must be on
 * the notice; what was seen before stays seen. The outcome is CO_ACCEPT,
 * CO_IMMEDIATE, CO_DEFER, CO_SUPPLEMENT (a new notice listing what is still
 * missing, nothing else) or CO_REJECT.
 */
struct cases_intake_req {
	const char *continue_case;
	const char *type_code;
	int version;
	const char *id_no;
	enum cases_channel channel;
	const char *agent_id_no, *agent_name;
	const char *const *field_ids, *const *field_values;
	size_t nfields;
	long long ticket_id;
	const char *const *seen;
	size_t nseen;
	const char *const *deferred;
	size_t ndeferred;
	enum cases_outcome outcome;
	const char *reason;		/* CO_REJECT */
	/* CH_MAIL: where documents go back, and the waybill of the package
	 * (a new case needs both; at a 补正 the waybill when it came by post) */
	const char *mail_address, *mail_tracking;
};

struct cases_intake_out {
	char case_no[32];
	char notice_no[32];		/* "" when the outcome prints no numbered notice */
	char status[24];		/* accepted finished pending_supplement rejected */
	char accepted[11];		/* YYYY-MM-DD, "" when not accepted */
	char promised[11];		/* YYYY-MM-DD, "" when none */
};

enum cases_result cases_intake(struct db *db, long long session, const struct cases_intake_req *req,
    struct cases_intake_out *out);

/* Cases found by case number, notice number or ID number, in every office
 * of the city, newest first. */
struct cases_found {
	char office_code[16];
	char office_name[128];
	char case_no[32];
	char type_code[16];
	int version;
	char type_name[128];
	char id_no[20];
	char person_name[64];
	char status[24];
	char notice_no[32];		/* the latest notice of the case, "" if none */
	char created[11];		/* YYYY-MM-DD */
	char promised[11];		/* "" when none */
	enum cases_channel channel;
	char agent_id_no[20], agent_name[64];	/* "" when none */
};
int cases_lookup(struct db *db, long long session, const char *key, struct cases_found *out, int max,
    enum cases_result *res);

/* An open case of the same type for this ID number (status not finished,
 * rejected or cancelled): CASES_OK with its number in case_no, or
 * CASES_NOT_FOUND. */
enum cases_result cases_open_same(struct db *db, long long session, const char *id_no,
    const char *type_code, char case_no[32]);

/* The material rows of a case (see yc.case_material), in checklist order. */
struct cases_material {
	char id[64];
	int item_no;
	char group_id[64];		/* "" when not in an any-of group */
	char name[192];
	char form[12];			/* original copy shown */
	bool key, proxy, noticed;
	int defer_days;
	char state[12];			/* seen missing deferred supplied not_needed */
	char due[11];			/* "" when none */
};
int cases_materials(struct db *db, long long session, const char *case_no,
    struct cases_material *out, int max, enum cases_result *res);

/* The stored form of a case: parallel malloc'd arrays of field ids and
 * values (*n entries); free with cases_form_free(). */
enum cases_result cases_form(struct db *db, long long session, const char *case_no,
    char ***ids, char ***values, size_t *n);
void cases_form_free(char **ids, char **values, size_t n);

/* A deferred material presented later: state supplied (audited). */
enum cases_result cases_supply(struct db *db, long long session, const char *case_no,
    const char *material_id);

/*
 * The deadline board: open cases of the session's clerk (office_wide
 * false), or of the session's office (office_wide, supervisors only, else
 * CASES_NOT_ALLOWED). One row per due date: the promised date of each case,
 * the due date of its current stage, and each deferred material not yet
 * supplied; most urgent first (fewest working days left), at most max.
 */
enum cases_due_kind { DUE_CASE, DUE_STAGE, DUE_MATERIAL };
struct cases_deadline {
	char case_no[32];
	char type_name[128];
	char person_name[64];
	char staff_no[16];
	char status[24];
	enum cases_due_kind kind;
	char label[192];		/* stage or material name; "" for DUE_CASE */
	char material_id[64];		/* DUE_MATERIAL: the material (cases_supply) */
	char due[11];			/* YYYY-MM-DD */
	int remaining;			/* working days from today to due; < 0 overdue */
	int limit_days;			/* the limit this due date counts against (stage days,
					 * case limit, defer days) */
	char adjusted[11];		/* the day an official calendar moved the case's
					 * dates; "" when none did */
};
int cases_deadlines(struct db *db, long long session, bool office_wide, struct cases_deadline *out,
    int max, enum cases_result *res);

/* 好差评: grade 1 非常满意 … 5 非常不满意, for the case (may be NULL) or
 * the ticket (0: none) just served at the session's window. */
enum cases_result cases_rate(struct db *db, long long session, const char *case_no, long long ticket_id,
    int grade);

/* Whether a window screen (yichuang window-screen) is connected at the
 * session's window: it asks the citizen for the rating after the service.
 * false when not, and on any failure (the clerk's prompt is the fallback). */
bool cases_window_screen(struct db *db, long long session);

/* The clerk's draft: saved (replacing the previous), read back (malloc'd
 * body and its save time, or NULL with CASES_NOT_FOUND), cleared. */
enum cases_result cases_draft_save(struct db *db, long long session, const char *body);
char *cases_draft_get(struct db *db, long long session, time_t *saved_at, enum cases_result *res);
enum cases_result cases_draft_clear(struct db *db, long long session);

/* The data of a printed document as JSON (malloc'd) shaped for the
 * template: key is a case number or a notice number; template one of
 * cat_known_documents except "guide". */
char *cases_document(struct db *db, const char *key, const char *template, enum cases_result *res);

/* The LISTEN channel of an office's cases ("yc_case_" + office code). */
void cases_channel(const char *office, char out[40]);
enum cases_result cases_listen(struct db *db, const char *office);

const char *cases_status_name(const char *status);	/* translated: 已受理 待补正 … */
const char *cases_result_message(enum cases_result r);	/* translated */

/*
 * What last happened to a case (yc.case_last_change), for the clerk whose
 * action came too late and changed nothing: a second F2 on a stage
 * already completed, a colleague who was faster, the loser of two 补正 of
 * one case at once. Who (name, staff number, their office), when
 * (YYYY-MM-DD HH:MM, Beijing time) and the history line of the event (as
 * the server writes it, in Chinese).
 */
struct cases_change {
	char staff_no[36];
	char staff_name[64];
	char office_name[128];
	char at[20];
	char what[512];
};
enum cases_result cases_last_change(struct db *db, long long session, const char *case_no,
    struct cases_change *out);
/*
 * The message for an action refused with r on case_no because the case
 * moved on (CASES_NOT_PENDING; for a 补正 also CASES_NOT_FOUND): "已由某某
 * 办理" with who, when and what, and that nothing was changed (translated,
 * malloc'd). When nobody can be named (no event, the database gone) the
 * plain message of r.
 */
char *cases_moved_on_message(struct db *db, long long session, const char *case_no, enum cases_result r);

#endif
