/*
 * The intake's drafts (see counter.h): var/drafts/STAFF.draft after every
 * change, the database as the clerk moves on; at sign-in the newer of the
 * two is offered back. Drafts not taken up again for draft_expire_days
 * days (setting, default 30) are deleted: they may hold a bank card number.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "intake/counter_int.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/intake.h"
#include "store/auth.h"
#include "store/cluster.h"
#include "util/file.h"
#include "util/xalloc.h"

static char *
counter_draft_path(struct app *app)
{
	char *var = cluster_default_var(), *p = xasprintf("%s/drafts/%s.draft", var, app->session.staff_no);

	free(var);
	return p;
}

/* Writes the draft file atomically (0600 in a 0700 directory). */
static void
counter_draft_write(struct app *app, const char *text)
{
	char *path = counter_draft_path(app), *dir = xstrdup(path), *tmp;
	int fd;

	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		char *var = xstrdup(dir);

		*strrchr(var, '/') = '\0';
		mkdir(var, 0700);
		mkdir(dir, 0700);
		free(var);
	}
	tmp = xasprintf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t len = strlen(text);
		bool ok = write(fd, text, len) == (ssize_t)len;

		if (close(fd) == 0 && ok)
			rename(tmp, path);
		else
			unlink(tmp);
	}
	free(tmp);
	free(dir);
	free(path);
}

void
counter_draft_remove(struct app *app)
{
	char *path = counter_draft_path(app);

	unlink(path);
	free(path);
	if (!app->db_lost && cases_draft_clear(app->db, app->session.id) == CASES_DB_LOST)
		app_db_lost(app);
}

/* Saves the intake: the local file always, the database when asked. */
void
counter_save(struct app *app, struct counter *c, bool to_db)
{
	char *text;

	if (c->in == NULL)
		return;
	text = intake_serialise(c->in, time(NULL));
	counter_draft_write(app, text);
	c->db_dirty = true;
	if (to_db && !app->db_lost) {
		enum cases_result r = cases_draft_save(app->db, app->session.id, text);

		if (r == CASES_OK)
			c->db_dirty = false;
		else if (r == CASES_DB_LOST)
			app_db_lost(app);
	}
	free(text);
}

void
counter_save_now(struct app *app, struct view *v)
{
	struct counter *c = v->data;

	if (c != NULL && c->in != NULL && c->phase == PH_EDIT)
		counter_save(app, c, true);
}

/*
 * Removes this machine's drafts (every clerk's: var/drafts is shared on an
 * SSH server) not written for draft_expire_days days (the database's
 * setting; 30 while it cannot be asked), as yc.draft_get does with the
 * database's copies.
 */
static void
counter_draft_expire(struct app *app)
{
	int days = app->db_lost ? 30 : auth_setting_int(app->db, "draft_expire_days", 30);
	char *var = cluster_default_var(), *dir = xasprintf("%s/drafts", var);
	time_t cutoff = time(NULL) - (time_t)days * 24 * 60 * 60;
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;

	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		bool draft = (n > 6 && strcmp(e->d_name + n - 6, ".draft") == 0) ||
		    (n > 10 && strcmp(e->d_name + n - 10, ".draft.tmp") == 0);

		if (draft && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_mtime < cutoff)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	free(var);
}

/* The newer of the database's and this machine's draft (malloc'd). */
static char *
counter_draft_text(struct app *app)
{
	char *path = counter_draft_path(app), *local, *remote = NULL;
	enum cases_result r = CASES_NOT_FOUND;
	time_t at = 0;
	size_t len;

	counter_draft_expire(app);
	local = file_read(path, 65536, &len);
	free(path);
	if (!app->db_lost)
		remote = cases_draft_get(app->db, app->session.id, &at, &r);
	if (r == CASES_DB_LOST)
		app_db_lost(app);
	if (local != NULL && remote != NULL) {
		if (intake_draft_saved(local) >= intake_draft_saved(remote)) {
			free(remote);
			return local;
		}
		free(local);
		return remote;
	}
	return local != NULL ? local : remote;
}

bool
counter_draft_find(struct app *app, char *desc, size_t size)
{
	char *text = counter_draft_text(app), code[16], when[16] = "", name[128];
	time_t at;
	struct tm tm;
	int version;

	if (text == NULL || !intake_draft_type(text, code, &version)) {
		free(text);
		return false;
	}
	at = intake_draft_saved(text);
	if (at > 0) {
		cal_tm_cn(at, &tm);
		strftime(when, sizeof when, "%m-%d %H:%M", &tm);
	}
	intake_draft_name(text, name);
	snprintf(desc, size, _("%s, saved %s"), name[0] != '\0' ? name : code, when);
	free(text);
	return true;
}

void
counter_draft_resume(struct app *app)
{
	char *text = counter_draft_text(app), code[16];
	struct cat_def *def;
	struct counter *c;
	int version;

	if (text == NULL || !intake_draft_type(text, code, &version) ||
	    (def = counter_load_def(app, code, &version)) == NULL) {
		free(text);
		return;
	}
	c = counter_begin(app, def, version);
	intake_restore(c->in, text);
	free(text);
	if (c->in->id_no[0] != '\0')
		counter_applicant(app, c);
	counter_build_rows(c);
	app_message(app, TS_OK, _("The saved intake is back as it was left."));
	app_switch(app, AV_COUNTER);
}

void
counter_draft_discard(struct app *app)
{
	counter_draft_remove(app);
	app_message(app, TS_NORMAL, _("The intake was discarded."));
}
