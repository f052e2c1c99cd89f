/*
 * The 事项 catalogue: case-type definitions read from forms/<code>.xml,
 * validated against forms/case-type.rng (libxml2 RELAX NG) and against the
 * rules the schema cannot express. Plain C: no curses, no libpq.
 *
 * Diagnostics carry the file and line they refer to and a message already
 * translated (through i18n); callers print them as "file:line: message".
 * Ownership: everything reachable from a cat_def or a catalogue is owned by
 * it and freed by cat_def_free / cat_free.
 */
#ifndef YC_CATALOGUE_H
#define YC_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/cond.h"

/* The levels of the administrative-division tree (GB/T 2260) at which an
 * office stands, highest first; a bit mask. Their words in the XML and in
 * the database are province, prefecture, county, township, village. */
enum cat_tier {
	CAT_PROVINCE = 1,		/* 省级, 2-digit office code */
	CAT_PREFECTURE = 2,		/* 设区市级, 4 digits */
	CAT_COUNTY = 4,			/* 县级, 6 digits */
	CAT_TOWNSHIP = 8,		/* 乡镇（街道）, 9 digits */
	CAT_VILLAGE = 16		/* 村（社区）, 12 digits */
};
#define CAT_TIER_FIRST CAT_PROVINCE
#define CAT_TIER_LAST CAT_VILLAGE
#define CAT_TIERS_ALL (CAT_PROVINCE | CAT_PREFECTURE | CAT_COUNTY | CAT_TOWNSHIP | CAT_VILLAGE)
enum cat_limit_kind { CAT_IMMEDIATE, CAT_WORKDAYS, CAT_MONTHS };
enum cat_form { CAT_ORIGINAL, CAT_COPY, CAT_SHOWN };
enum cat_field_type { CAT_TEXT, CAT_IDNO, CAT_DATE, CAT_MONEY, CAT_PHONE, CAT_BANKCARD, CAT_CHOICE };

struct cat_material {
	char *id, *name, *note;		/* note may be NULL */
	enum cat_form form;
	bool key;			/* identity: never deferrable */
	int defer_days;			/* 容缺: working days to supply it; 0 = not deferrable */
	/* 承诺制: a 个人承诺书 signed at the counter in place of the other
	 * members of its any-of group (never key, never deferred; the
	 * definition prints the "pledge" document). */
	bool pledge;
	char *when_text;		/* when="…" as written; NULL: always */
	struct cond *when;		/* parsed; NULL: always */
	int line;
};

/* One line of the checklist: a single material, or an any-of group whose
 * members are alternatives (presenting one is enough). */
struct cat_item {
	bool any_of;
	char *group_id, *note;		/* any-of only; note may be NULL */
	char *when_text;		/* any-of only: when="…" of the group; NULL: always */
	struct cond *when;
	struct cat_material *m;		/* 1 material, or the group's members */
	size_t nm;
	int line;
};

struct cat_stage {
	char *name;
	unsigned tier;			/* one enum cat_tier value */
	int days;
	char *when_text;		/* NULL: every case has the stage */
	struct cond *when;
	int line;
};

/* One <limit>: the default (when NULL, exactly one per definition) or an
 * alternative; the first alternative whose condition holds applies, else
 * the default. */
struct cat_limit {
	enum cat_limit_kind kind;
	int days, special_days;		/* CAT_WORKDAYS; special_days 0 = none */
	int months;			/* CAT_MONTHS */
	char *when_text;
	struct cond *when;
	int line;
};

struct cat_option {
	char *value, *label;
};

struct cat_field {
	char *id, *label, *help, *pattern;	/* help, pattern may be NULL */
	enum cat_field_type type;
	bool required;
	int min_len, max_len;		/* in characters; 0 = no bound */
	struct cat_option *opts;
	size_t nopts;
	int line;
};

struct cat_def {
	char *file;			/* path as given to the loader */
	char *code;			/* 12 digits */
	int revision;
	bool local;			/* code assigned by this project */
	char *name, *category, *category_pinyin, *pinyin;
	char *sms_name;			/* <name short="…">: the name in text messages; may be NULL */
	unsigned tiers;			/* mask of enum cat_tier */
	/* The default limit (the <limit> without when=); the database's
	 * case_type row keeps it. A case's own limit: cat_limit_for. */
	enum cat_limit_kind limit_kind;
	int limit_days, special_days;	/* CAT_WORKDAYS; special_days 0 = none */
	int limit_months;		/* CAT_MONTHS */
	struct cat_limit *limits;	/* every <limit>, in document order */
	size_t nlimits;
	struct cat_stage *stages;
	size_t nstages;
	struct cat_field *fields;
	size_t nfields;
	struct cat_item *items;
	size_t nitems;
	bool proxy_allowed;
	struct cat_material *proxy;	/* what 委托办理 adds */
	size_t nproxy;
	char **documents;		/* template names */
	size_t ndocuments;
	/* 不予受理: the reasons the counter offers (besides one typed by the
	 * clerk), and phrases no refusal of this type may give (seed 000
	 * item 17: 不得以超申报时限为由拒绝受理); the database checks them. */
	char **refusals, **forbidden;
	size_t nrefusals, nforbidden;
	char **steps;
	size_t nsteps;
	char *standard;			/* may be NULL */
	char *policy_rule;		/* <policy rule="…">: resident | transfer, or NULL */
	char *source;
	char *xml;			/* the file's text, NUL-terminated */
};

struct cat_diag {
	char *file;
	int line;			/* 0 when the whole file is meant */
	char *message;
};

struct cat_diags {
	struct cat_diag *d;
	size_t n;
};

/* The most characters a text message gives the name of an item
 * (cat_sms_name; model/sms.h): a longer name needs <name short="…">. */
#define CAT_SMS_NAME_MAX 16

/* The document templates a definition may name (the flows that print them). */
extern const char *const cat_known_documents[];

/* Loads the RELAX NG schema; false (with a diagnostic) on failure. The
 * schema stays loaded until cat_schema_free(). */
bool cat_schema_load(const char *rng_path, struct cat_diags *diags);
void cat_schema_free(void);

/* Parses and checks one definition held in memory (len bytes, need not be
 * NUL-terminated). file names it in diagnostics. Returns NULL when it has
 * errors (all of them appended to diags). Needs the schema loaded. */
struct cat_def *cat_parse(const char *file, const char *xml, size_t len, struct cat_diags *diags);
void cat_def_free(struct cat_def **def);

struct catalogue {
	struct cat_def **defs;		/* sorted by code */
	size_t n;
};

/* Loads every DIR/<name>.xml (the schema is DIR/case-type.rng), checks each and
 * the rules across files (unique codes, file named <code>.xml). Returns the
 * catalogue of the definitions that parsed; diags->n > 0 means errors. */
struct catalogue *cat_load_dir(const char *dir, struct cat_diags *diags);
void cat_free(struct catalogue **cat);

void cat_diags_free(struct cat_diags *diags);

/* The pledge member of a checklist line (承诺制), or NULL when it has none
 * (every line that is not an any-of group). */
const struct cat_material *cat_item_pledge(const struct cat_item *it);
/* Whether a definition offers the 承诺制 path: some line has a pledge. */
bool cat_def_has_pledge(const struct cat_def *d);
/* The index in d->fields of the field id, or -1 when the form has none. */
int cat_def_field(const struct cat_def *d, const char *id);

/* "即时办结", "30个工作日", "10个工作日（特殊情况≤20个工作日）", "3个月",
 * translated; malloc'd. */
char *cat_limit_text(enum cat_limit_kind kind, int days, int special_days, int months);
/* The name of the item in text messages: its short name, else its name. */
const char *cat_sms_name(const struct cat_def *d);
/* Localised names: "原件"/"复印件"/"查看"; "省级"/"设区市级"/"县级"/
 * "乡镇（街道）"/"村（社区）"; "" for anything but one enum value. */
const char *cat_form_name(enum cat_form form);
const char *cat_tier_name(unsigned tier);
/* The word of one level as the XML and the database spell it ("county"),
 * untranslated; NULL for anything but one enum cat_tier value. */
const char *cat_tier_word(unsigned tier);
/* Parses a list of level words separated by white space ("prefecture
 * county township"); 0 on an unknown word or an empty list. */
unsigned cat_tiers_parse(const char *list);
/* The depth of one level: province 0, prefecture 1, county 2, township 3,
 * village 4; -1 for anything but one enum cat_tier value. */
int cat_tier_depth(unsigned tier);
/* The lowest (deepest) level of a mask, 0 for an empty mask. */
unsigned cat_tier_lowest(unsigned mask);
/* The localised names of the levels of a mask, highest first, joined by
 * "、" ("设区市级、县级、乡镇（街道）"); malloc'd, "" for an empty mask. */
char *cat_tiers_text(unsigned mask);

/* ---- conditional paths (catwhen.c) ----------------------------------------
 * values: the answers, parallel to d->fields (never NULL entries). */

/* Whether a material of item it (NULL: a proxy material) applies: its own
 * condition and its group's hold. */
bool cat_material_applies(const struct cat_def *d, const struct cat_item *it,
    const struct cat_material *m, const char *const *values);
/* Whether some member of the checklist line applies. */
bool cat_item_applies(const struct cat_def *d, const struct cat_item *it, const char *const *values);
bool cat_stage_applies(const struct cat_def *d, const struct cat_stage *st, const char *const *values);
/* The limit of a case with these answers (never NULL for a parsed
 * definition). */
const struct cat_limit *cat_limit_for(const struct cat_def *d, const char *const *values);
/* Whether the definition has any when= at all. */
bool cat_def_conditional(const struct cat_def *d);
/* A condition in words, from the fields' labels and options
 * ("认定方式为备案（可直接认定）"), translated; malloc'd. */
char *cat_when_words(const struct cat_def *d, const struct cond *c);
/* The limits in words: the default, then each alternative with its
 * condition ("10个工作日；认定方式为备案的：即时办结"); malloc'd. */
char *cat_limits_text(const struct cat_def *d);
/* When a material (of item it; NULL: proxy) or stage applies only on some
 * answers: "（仅限…）" in words, else NULL; malloc'd. */
char *cat_material_when_text(const struct cat_def *d, const struct cat_item *it,
    const struct cat_material *m);
char *cat_stage_when_text(const struct cat_def *d, const struct cat_stage *st);
/* Checks every condition of d (fields and option values exist; a choice
 * field; the limits have one default) and the stage rules on every
 * combination of answers; report gets (ctx, line, translated message
 * taken over). lines: of the <stages> element (0 when none). */
void cat_when_check(const struct cat_def *d, int stages_line,
    void (*report)(void *ctx, int line, char *msg), void *ctx);

#endif
