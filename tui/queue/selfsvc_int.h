/*
 * The self-service terminal's insides (queue/selfsvc.c: state, actions
 * and keys; queue/selfsvc_draw.c: the screens). Nothing outside these two
 * files includes this header.
 */
#ifndef YC_SELFSVC_INT_H
#define YC_SELFSVC_INT_H
#include <stdbool.h>
#include <stddef.h>

#include "model/bigfont.h"
#include "queue/selfsvc.h"
#include "store/selfsvc.h"
#include "ui/term.h"

#define SST_GUARD_MS 1000		/* keys ignored after a document printed */
#define SST_PRINT_WIDTH 80

enum sst_screen {
	SST_START, SST_MENU, SST_CASES, SST_INSURANCE, SST_KIND, SST_PLACE, SST_PREVIEW,
	SST_DONE, SST_REVOKE, SST_PAUSED
};

enum sst_dirty { SD_HEADER = 1, SD_BODY = 2, SD_ALL = 3 };

/* The 备案类型 options of 002036004005 (forms/002036004005.xml). */
struct sst_kind {
	const char *value;
	const char *label;		/* msgid */
};
extern const struct sst_kind sst_kinds[];
extern const int sst_nkinds;
extern const char *const sst_places[];
extern const int sst_nplaces;
#define SST_NKINDS sst_nkinds
#define SST_NPLACES sst_nplaces


struct sst {
	const struct selfsvc_options *opt;
	struct db *db;
	bool lost;
	long long retry_at;
	enum sst_screen screen;
	char input[24];
	size_t len;
	const char *message;		/* translated or in msgbuf; NULL for none */
	enum term_style message_style;
	char msgbuf[512];
	long long last_key;
	long long shown_at;
	int idle_ms;
	char office_name[128];
	enum bigfont_ink ink;
	unsigned dirty;
	long minute;
	/* the person: all of it cleared by sst_forget */
	char id[19];
	struct selfsvc_person person;
	struct selfsvc_cases cases;
	char *doc;			/* the document(s) on screen, rendered */
	char **lines;			/* doc split into lines (pointers into it) */
	int nlines, scroll;
	int kind, place;
	char case_no[32];
	char *print_error;
};

/* The width documents are laid out for on this screen. */
int sst_screen_width(void);
/* Draws what is dirty of the terminal's screen. */
void sst_draw(struct sst *t);
#endif
