/*
 * The intake's drafts (see counter.h): var/drafts/STAFF.draft after a
 * change, the database as the clerk moves on, neither more often than
 * every COUNTER_FLUSH_MS (a paste of a megabyte is a handful of writes,
 * not one per key) and both before anything that could lose them; at
 * sign-in the newer of the two is offered back. When neither can be
 * written the clerk is told, and the database gets the draft as soon as
 * the connection is back.
 * Drafts not taken up again for draft_expire_days days (setting, default
 * 30) are deleted: they may hold a bank card number.
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

/* Writes the draft file atomically (0600 in a 0700 directory); false
 * when it could not be written. */
static bool
counter_draft_write(struct app *app, const char *text)
{
	char *path = counter_draft_path(app), *dir = xstrdup(path), *tmp;
	bool done = false;
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

		if (close(fd) == 0 && ok && rename(tmp, path) == 0)
			done = true;
		else
			unlink(tmp);
	}
	free(tmp);
	free(dir);
	free(path);
	return done;
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

static long long
counter_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
counter_changed(struct app *app, struct counter *c, bool to_db)
{
	long long wait;

	if (c->in == NULL)
		return;
	c->local_dirty = c->db_dirty = true;
	if (to_db)
		c->db_due = true;
	wait = c->flushed_ms + COUNTER_FLUSH_MS - counter_now_ms();
	app_flush_later(app, wait > 0 ? (int)wait : 0);
}

bool
counter_flush(struct app *app, struct counter *c, bool now)
{
	long long t = counter_now_ms();
	bool was_unsaved = c->unsaved;
	char *text;

	if (c->in == NULL || c->phase != PH_EDIT)
		return true;
	if (!c->local_dirty && !(c->db_dirty && (now || c->db_due || c->local_failed)))
		return !c->unsaved;
	if (!now && t < c->flushed_ms + COUNTER_FLUSH_MS) {
		app_flush_later(app, (int)(c->flushed_ms + COUNTER_FLUSH_MS - t));
		return true;
	}
	text = intake_serialise(c->in, time(NULL));
	if (c->local_dirty) {
		c->local_failed = !counter_draft_write(app, text);
		c->local_dirty = c->local_failed;	/* tried again with the next write */
	}
	/* the database when due, and always when it is the only copy */
	if (c->db_dirty && (now || c->db_due || c->local_failed) && !app->db_lost) {
		enum cases_result r = cases_draft_save(app->db, app->session.id, text);

		if (r == CASES_OK)
			c->db_dirty = c->db_due = false;
		else if (r == CASES_DB_LOST)
			app_db_lost(app);
	}
	free(text);
	c->flushed_ms = t;
	c->unsaved = c->local_failed && c->db_dirty;
	if (c->unsaved)
		app_message(app, TS_ERROR, _("The draft could not be saved: this machine's drafts folder "
		    "cannot be written and the database is not reachable. Stay on this screen: it is saved "
		    "as soon as the connection is back."));
	else if (was_unsaved)
		app_message(app, TS_OK, _("The draft is saved again."));
	if (c->unsaved != was_unsaved)
		app_dirty(app, AD_BODY);
	return !c->unsaved;
}

/* No intake on screen and the connection is back: a draft this machine
 * kept while the database was away goes to the database, unless the
 * database holds a newer one. */
static void
counter_draft_push(struct app *app)
{
	char *path = counter_draft_path(app), *local, *remote = NULL;
	enum cases_result r = CASES_NOT_FOUND;
	char code[16];
	time_t at = 0;
	size_t len;
	int version;

	local = file_read(path, 65536, &len);
	free(path);
	if (local == NULL || !intake_draft_type(local, code, &version) || app->db_lost)
		goto out;
	remote = cases_draft_get(app->db, app->session.id, &at, &r);
	if (r == CASES_DB_LOST)
		app_db_lost(app);
	else if ((r == CASES_NOT_FOUND || (r == CASES_OK && remote != NULL)) &&
	    (remote == NULL || intake_draft_saved(local) >= intake_draft_saved(remote)) &&
	    cases_draft_save(app->db, app->session.id, local) == CASES_DB_LOST)
		app_db_lost(app);
out:
	free(local);
	free(remote);
}

void
counter_flush_op(struct app *app, struct view *v, enum view_flush why)
{
	struct counter *c = v->data;

	if (c != NULL && c->in != NULL && c->phase == PH_EDIT)
		counter_flush(app, c, why != VFL_DUE);
	else if (why == VFL_DB_BACK && app->session.id != 0 && app_takes_cases(app))
		counter_draft_push(app);
}

void
counter_save_now(struct app *app, struct view *v)
{
	struct counter *c = v->data;

	if (c != NULL && c->in != NULL && c->phase == PH_EDIT)
		counter_flush(app, c, true);
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

/* The newer of the database's and this machine's draft (malloc'd). One
 * kept only here (written while the database was away) is given to the
 * database too. */
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
	if (local == NULL || (remote != NULL && intake_draft_saved(local) < intake_draft_saved(remote))) {
		free(local);
		return remote;
	}
	free(remote);
	if (local != NULL && (r == CASES_OK || r == CASES_NOT_FOUND) &&
	    cases_draft_save(app->db, app->session.id, local) == CASES_DB_LOST)
		app_db_lost(app);
	return local;
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
