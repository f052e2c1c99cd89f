/*
 * The console's reads on a hot standby (--read-db, README "Databases").
 *
 * The standby cannot tell that the signed-in session belongs to this
 * terminal (that binding is a backend of the primary), so the console
 * asks the primary for a read pass (yc.session_read_pass, signed, valid a
 * few minutes, audited there) and sets it on its standby connection; the
 * standby's functions accept the session with it. Before each refresh the
 * standby must have replayed what the primary had written at that moment
 * (pg_current_wal_lsn on the primary; a few short looks, at most
 * HALL_READ_WAIT_MS in all): a refresh never shows less than the primary
 * would. When it has not, when it is not connected or not a standby, or
 * when a read there fails, the refresh reads the primary (after a failure
 * for FS_RETRY_SECONDS): the console is never wrong and never stuck
 * because of its standby. A lost standby
 * connection is tried again every FS_RETRY_SECONDS, each attempt advanced
 * a step at a time (never more than HALL_READ_WAIT_MS per refresh).
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hall/hall_int.h"
#include "ui/fullscreen.h"

#define HALL_READ_WAIT_MS 100	/* the longest a refresh waits for the standby */
#define HALL_READ_LOOK_MS 20	/* between two looks at its replay position */

static long long
hall_read_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Advances a connection attempt; starts one when it is due. */
static void
hall_read_connect(struct hall_rd *rd)
{
	long long now = hall_read_ms(), end = now + HALL_READ_WAIT_MS;

	if (!rd->connecting) {
		if (now < rd->retry_at)
			return;
		rd->retry_at = now + FS_RETRY_SECONDS * 1000LL;
		rd->deadline = now + 5000;	/* db.c's connect_timeout */
		rd->connecting = db_reconnect_start(rd->db);
		rd->step = DB_STEP_WRITE;	/* libpq's first poll waits to write */
	}
	while (rd->connecting && now < end) {
		struct pollfd p = { .fd = db_connecting_socket(rd->db),
				    .events = rd->step == DB_STEP_READ ? POLLIN : POLLOUT };

		if (p.fd < 0 || poll(&p, 1, (int)(end - now)) < 0)
			rd->step = DB_STEP_FAILED;
		else if (p.revents != 0)
			rd->step = db_reconnect_step(rd->db);
		if (rd->step == DB_STEP_DONE || rd->step == DB_STEP_FAILED)
			rd->connecting = false;
		now = hall_read_ms();
	}
	if (rd->connecting && now >= rd->deadline) {
		db_reconnect_abandon(rd->db);
		rd->connecting = false;
	}
	if (db_connected(rd->db))
		rd->pass_session = 0;	/* a new connection has no pass yet */
}

/* Sets a read pass for the signed-in session on the standby connection,
 * asked of the primary; false when there is none to be had. */
static bool
hall_read_pass(struct app *app, struct hall_rd *rd)
{
	char sid[24];
	const char *p[1];
	PGresult *res;
	bool ok;

	db_id(sid, app->session.id);
	p[0] = sid;
	res = db_query(app->db, NULL, "SELECT result, pass, valid_seconds FROM yc.session_read_pass($1::bigint)",
	    1, p);
	ok = res != NULL && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "ok") == 0;
	if (ok) {
		p[0] = PQgetvalue(res, 0, 1);
		ok = db_exec(rd->db, "SELECT pg_catalog.set_config('yc.read_pass', $1, false)", 1, p) == DB_OK;
		/* renewed with a third of its time left */
		rd->pass_renew = hall_read_ms() + db_ll(res, 0, 2) * 2000 / 3;
	}
	PQclear(res);
	rd->pass_session = ok ? app->session.id : 0;
	return ok;
}

struct db *
hall_read_db(struct app *app, struct hall *h)
{
	struct hall_rd *rd = &h->rd;
	char lsn[32];

	if (app->opt == NULL || app->opt->read_conninfo == NULL || app->db == NULL)
		return app->db;
	if (rd->db == NULL)
		rd->db = db_open_read_later(app->opt->read_conninfo);
	if (hall_read_ms() < rd->avoid_until)
		return app->db;
	if (!db_connected(rd->db)) {
		hall_read_connect(rd);
		if (!db_connected(rd->db))
			return app->db;
	}
	if (!db_is_standby(rd->db))
		return app->db;	/* libpq fell back to a primary: its own reads are the workstation's */
	if ((rd->pass_session != app->session.id || hall_read_ms() >= rd->pass_renew) &&
	    !hall_read_pass(app, rd))
		return app->db;
	if (!db_wal_lsn(app->db, lsn))
		return app->db;
	for (long long end = hall_read_ms() + HALL_READ_WAIT_MS;;) {
		if (db_caught_up(rd->db, lsn))
			return db_connected(rd->db) ? rd->db : app->db;
		if (hall_read_ms() + HALL_READ_LOOK_MS > end)
			return app->db;
		poll(NULL, 0, HALL_READ_LOOK_MS);
	}
}

void
hall_read_failed(struct hall *h)
{
	/* a new pass, and the primary meanwhile (a lost connection is
	 * connected again at the same pace) */
	h->rd.pass_session = 0;
	h->rd.avoid_until = hall_read_ms() + FS_RETRY_SECONDS * 1000LL;
}

void
hall_read_close(struct hall *h)
{
	db_close(&h->rd.db);
	memset(&h->rd, 0, sizeof h->rd);
}
