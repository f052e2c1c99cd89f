/* PostgreSQL access with exhaustive status checks; see db.h. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct db {
	PGconn *conn;
	char *conninfo;
	char sqlstate[6];
	char *detail;
	bool connecting;	/* a non-blocking attempt is in progress */
	bool read_only;		/* db_open_read: every transaction read-only */
	char *on_connect;	/* db_on_connect: statement for each new connection */
	bool on_once;		/* db_on_connect_once: for the next one only */
	char **on_params;
	int on_n;
	char *watch;		/* db_watch: the channel told apart */
	bool watch_hit;
	char watch_payload[64];
};

/* Frees a string after overwriting it: the parameters may be secrets. */
static void
db_wipe(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
db_on_connect(struct db *db, const char *sql, int n, const char *const *params)
{
	db_wipe(db->on_connect);
	for (int i = 0; i < db->on_n; i++)
		db_wipe(db->on_params[i]);
	free(db->on_params);
	db->on_connect = NULL;
	db->on_params = NULL;
	db->on_n = 0;
	if (sql == NULL)
		return;
	db->on_connect = xstrdup(sql);
	if (n > 0) {
		db->on_params = xcalloc((size_t)n, sizeof *db->on_params);
		for (int i = 0; i < n; i++)
			db->on_params[i] = params[i] != NULL ? xstrdup(params[i]) : NULL;
	}
	db->on_n = n;
	db->on_once = false;
}

void
db_on_connect_once(struct db *db, const char *sql)
{
	db_wipe(db->on_connect);
	db->on_connect = xstrdup(sql);
	db->on_once = true;
}

/* LISTEN or UNLISTEN channel (checked by db_watch) on the connection. */
static void
db_watch_send(struct db *db, const char *verb, const char *channel)
{
	char *sql;

	if (channel == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	sql = xasprintf("%s %s", verb, channel);
	PQclear(PQexec(db->conn, sql));
	free(sql);
}

/* Runs the db_on_connect statement on a connection just established, and
 * LISTENs to the watched channel again. */
static void
db_connected_now(struct db *db)
{
	PQsetClientEncoding(db->conn, "UTF8");
	if (db->on_connect != NULL)
		PQclear(PQexecParams(db->conn, db->on_connect, db->on_n, NULL,
		    (const char *const *)db->on_params, NULL, NULL, 0));
	if (db->on_once)
		db_on_connect(db, NULL, 0, NULL);
	db_watch_send(db, "LISTEN", db->watch);
}

void
db_watch(struct db *db, const char *channel)
{
	bool ok = channel != NULL && *channel != '\0' && strlen(channel) < 64;

	for (const char *c = channel; ok && *c != '\0'; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    *c == '_';
	db_watch_send(db, "UNLISTEN", db->watch);
	free(db->watch);
	db->watch = ok ? xstrdup(channel) : NULL;
	db->watch_hit = false;
	db_watch_send(db, "LISTEN", db->watch);
}

bool
db_watch_fired(struct db *db, char *buf, size_t size)
{
	bool hit = db->watch_hit;

	if (hit && buf != NULL && size > 0)
		db_copy(buf, size, db->watch_payload);
	db->watch_hit = false;
	return hit;
}

static void
db_set_detail(struct db *db, const char *msg)
{
	free(db->detail);
	db->detail = xstrdup(msg != NULL ? msg : "");
}

/* Server notices (e.g. "already exists, skipping") must never reach a
 * curses screen; they carry nothing a user acts on. */
static void
db_ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * The keywords of every connection: the conninfo (expanded), our name,
 * a timeout, and for a read connection the server option that makes every
 * transaction read-only (after the conninfo, so it cannot be undone there).
 */
static const char *const db_keys[] = { "dbname", "fallback_application_name", "connect_timeout",
    "options", NULL };

static void
db_params(const struct db *db, const char *vals[5])
{
	vals[0] = db->conninfo;
	vals[1] = "yichuang";
	vals[2] = "5";
	vals[3] = db->read_only ? "-c default_transaction_read_only=on" : NULL;
	vals[4] = NULL;
}

static PGconn *
db_connect(const struct db *db)
{
	const char *vals[5];
	PGconn *conn;

	db_params(db, vals);
	conn = PQconnectdbParams(db_keys, vals, 1);
	PQsetNoticeProcessor(conn, db_ignore_notice, NULL);
	return conn;
}

static struct db *
db_open_mode(const char *conninfo, bool read_only)
{
	struct db *db = xcalloc(1, sizeof *db);

	db->conninfo = xstrdup(conninfo);
	db->read_only = read_only;
	db->conn = db_connect(db);
	if (PQstatus(db->conn) != CONNECTION_OK)
		db_set_detail(db, PQerrorMessage(db->conn));
	else
		PQsetClientEncoding(db->conn, "UTF8");
	return db;
}

struct db *
db_open(const char *conninfo)
{
	return db_open_mode(conninfo, false);
}

struct db *
db_open_read(const char *conninfo)
{
	return db_open_mode(conninfo, true);
}

struct db *
db_open_read_later(const char *conninfo)
{
	struct db *db = xcalloc(1, sizeof *db);

	db->conninfo = xstrdup(conninfo);
	db->read_only = true;
	return db;	/* conn NULL: PQstatus(NULL) is CONNECTION_BAD */
}

bool
db_is_standby(struct db *db)
{
	const char *v = PQparameterStatus(db->conn, "in_hot_standby");

	return db_connected(db) && v != NULL && strcmp(v, "on") == 0;
}

bool
db_caught_up(struct db *db, const char *lsn)
{
	const char *p[] = { lsn };
	PGresult *res;
	bool ok;

	if (lsn == NULL || *lsn == '\0' || !db_is_standby(db))
		return true;
	res = db_query(db, NULL, "SELECT coalesce(pg_catalog.pg_last_wal_replay_lsn() >= $1::pg_lsn, true)",
	    1, p);
	if (res == NULL)
		return true;
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return ok;
}

bool
db_wal_lsn(struct db *db, char buf[32])
{
	PGresult *res;

	buf[0] = '\0';
	if (db_is_standby(db))
		return false;
	res = db_query(db, NULL, "SELECT pg_catalog.pg_current_wal_lsn()", 0, NULL);
	if (res == NULL)
		return false;
	db_copy(buf, 32, PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

void
db_close(struct db **dbp)
{
	struct db *db = *dbp;

	if (db == NULL)
		return;
	PQfinish(db->conn);
	db_on_connect(db, NULL, 0, NULL);
	free(db->watch);
	free(db->conninfo);
	free(db->detail);
	free(db);
	*dbp = NULL;
}

bool
db_connected(struct db *db)
{
	return PQstatus(db->conn) == CONNECTION_OK;
}

bool
db_reconnect(struct db *db)
{
	db->connecting = false;
	PQfinish(db->conn);
	db->conn = db_connect(db);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_set_detail(db, PQerrorMessage(db->conn));
		return false;
	}
	db_connected_now(db);
	return true;
}

/* Maps a result to a status; frees it unless it is a success. */
static enum db_status
db_check(struct db *db, PGresult **res)
{
	const char *state;

	switch (PQresultStatus(*res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		db->sqlstate[0] = '\0';
		return DB_OK;
	case PGRES_BAD_RESPONSE:
	case PGRES_NONFATAL_ERROR:
	case PGRES_FATAL_ERROR:
		state = PQresultErrorField(*res, PG_DIAG_SQLSTATE);
		db_set_detail(db, PQresultErrorMessage(*res));
		snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state != NULL ? state : "");
		break;
	case PGRES_COPY_OUT:
	case PGRES_COPY_IN:
	case PGRES_COPY_BOTH:
	case PGRES_SINGLE_TUPLE:
	case PGRES_PIPELINE_SYNC:
	case PGRES_PIPELINE_ABORTED:
		db_set_detail(db, "unexpected result status");
		snprintf(db->sqlstate, sizeof db->sqlstate, "XX000");
		break;
	}
	PQclear(*res);
	*res = NULL;
	if (PQstatus(db->conn) != CONNECTION_OK || db->sqlstate[0] == '\0' ||
	    strncmp(db->sqlstate, "08", 2) == 0 || strcmp(db->sqlstate, "57P01") == 0)
		return DB_LOST;
	return DB_ERROR;
}

bool
db_reconnect_start(struct db *db)
{
	const char *vals[5];

	db_params(db, vals);
	PQfinish(db->conn);
	db->conn = PQconnectStartParams(db_keys, vals, 1);
	if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD) {
		db_set_detail(db, db->conn != NULL ? PQerrorMessage(db->conn) : "out of memory");
		return false;
	}
	PQsetNoticeProcessor(db->conn, db_ignore_notice, NULL);
	db->connecting = true;
	return true;
}

enum db_step
db_reconnect_step(struct db *db)
{
	if (!db->connecting)
		return PQstatus(db->conn) == CONNECTION_OK ? DB_STEP_DONE : DB_STEP_FAILED;
	switch (PQconnectPoll(db->conn)) {
	case PGRES_POLLING_READING:
		return DB_STEP_READ;
	case PGRES_POLLING_WRITING:
		return DB_STEP_WRITE;
	case PGRES_POLLING_OK:
		db->connecting = false;
		db_connected_now(db);
		return DB_STEP_DONE;
	case PGRES_POLLING_FAILED:
	case PGRES_POLLING_ACTIVE:
		break;
	}
	db->connecting = false;
	db_set_detail(db, PQerrorMessage(db->conn));
	return DB_STEP_FAILED;
}

void
db_reconnect_abandon(struct db *db)
{
	if (db->connecting) {
		db->connecting = false;
		PQfinish(db->conn);
		db->conn = NULL;	/* PQstatus(NULL) is CONNECTION_BAD */
	}
}

int
db_connecting_socket(struct db *db)
{
	return db->connecting ? PQsocket(db->conn) : -1;
}

PGresult *
db_query(struct db *db, enum db_status *st, const char *sql, int n,
    const char *const *params)
{
	PGresult *res;
	enum db_status s;

	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_set_detail(db, "not connected");
		s = DB_LOST;
		res = NULL;
	} else {
		res = PQexecParams(db->conn, sql, n, NULL, params, NULL, NULL, 0);
		if (res == NULL) {
			db_set_detail(db, PQerrorMessage(db->conn));
			s = DB_LOST;
		} else
			s = db_check(db, &res);
	}
	if (st != NULL)
		*st = s;
	return res;
}

PGresult *
db_query_then(struct db *db, enum db_status *st, const char *sql, int n,
    const char *const *params, const char *then, int then_n, const char *const *then_params)
{
	PGresult *res = NULL, *r;
	enum db_status s = DB_LOST;
	int syncs = 0, nulls = 0;
	bool first = true;

	if (PQstatus(db->conn) != CONNECTION_OK || PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF ||
	    !PQenterPipelineMode(db->conn)) {
		res = db_query(db, st, sql, n, params);
		if (PQstatus(db->conn) == CONNECTION_OK)
			PQclear(db_query(db, NULL, then, then_n, then_params));
		return res;
	}
	if (!PQsendQueryParams(db->conn, sql, n, NULL, params, NULL, NULL, 0) ||
	    !PQpipelineSync(db->conn) ||
	    !PQsendQueryParams(db->conn, then, then_n, NULL, then_params, NULL, NULL, 0) ||
	    !PQpipelineSync(db->conn)) {
		db_set_detail(db, PQerrorMessage(db->conn));
		first = false;
	}
	/* the first statement's result, NULL, a sync; the second's, NULL, a
	 * sync (fewer when sending failed: read until the connection says so) */
	while (syncs < 2) {
		r = PQgetResult(db->conn);
		if (r == NULL) {
			if (PQstatus(db->conn) != CONNECTION_OK || ++nulls > 4)
				break;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			syncs++;
			PQclear(r);
		} else if (first && syncs == 0) {
			first = false;
			res = r;
			s = db_check(db, &res);
		} else
			PQclear(r);
	}
	if (syncs < 2 && res == NULL && s == DB_OK)
		s = DB_LOST;
	PQexitPipelineMode(db->conn);
	if (st != NULL)
		*st = s;
	return res;
}

/* Checks and frees a result. */
static enum db_status
db_status_of(struct db *db, PGresult *res)
{
	enum db_status st = db_check(db, &res);

	PQclear(res);
	return st;
}

enum db_status
db_exec(struct db *db, const char *sql, int n, const char *const *params)
{
	enum db_status st;

	PQclear(db_query(db, &st, sql, n, params));
	return st;
}

enum db_status
db_script(struct db *db, const char *sql)
{
	PGresult *res;

	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_set_detail(db, "not connected");
		return DB_LOST;
	}
	res = PQexec(db->conn, sql);
	if (res == NULL) {
		db_set_detail(db, PQerrorMessage(db->conn));
		return DB_LOST;
	}
	return db_status_of(db, res);
}

const char *
db_sqlstate(struct db *db)
{
	return db->sqlstate;
}

const char *
db_detail(struct db *db)
{
	return db->detail != NULL ? db->detail : "";
}

int
db_socket(struct db *db)
{
	return PQstatus(db->conn) == CONNECTION_OK ? PQsocket(db->conn) : -1;
}

/* Takes the notifications libpq holds: how many; the watched channel's
 * noted. */
static int
db_take_notifies(struct db *db)
{
	PGnotify *n;
	int count = 0;

	while ((n = PQnotifies(db->conn)) != NULL) {
		if (db->watch != NULL && strcmp(n->relname, db->watch) == 0) {
			db->watch_hit = true;
			db_copy(db->watch_payload, sizeof db->watch_payload, n->extra);
		}
		PQfreemem(n);
		count++;
	}
	return count;
}

int
db_consume(struct db *db)
{
	int count;

	if (PQstatus(db->conn) != CONNECTION_OK)
		return -1;
	if (!PQconsumeInput(db->conn)) {
		db_set_detail(db, PQerrorMessage(db->conn));
		return -1;
	}
	count = db_take_notifies(db);
	return PQstatus(db->conn) == CONNECTION_OK ? count : -1;
}

int
db_pending(struct db *db)
{
	return PQstatus(db->conn) == CONNECTION_OK ? db_take_notifies(db) : 0;
}

bool
db_office_code_ok(const char *office)
{
	size_t n = office != NULL ? strlen(office) : 0;

	if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (office[i] < '0' || office[i] > '9')
			return false;
	return true;
}

enum db_status
db_listen(struct db *db, const char *prefix, const char *office)
{
	char *sql;
	enum db_status st;

	if (!db_office_code_ok(office))
		return DB_ERROR;
	sql = xasprintf("LISTEN %s%s", prefix, office);
	st = db_exec(db, sql, 0, NULL);
	free(sql);
	return st;
}

void
db_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
db_int(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : atoi(PQgetvalue(res, row, col));
}

long long
db_ll(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

void
db_id(char buf[24], long long id)
{
	snprintf(buf, 24, "%lld", id);
}

char *
db_text_array(const char *const *v, size_t n)
{
	size_t size = 3;
	char *b, *o;

	for (size_t i = 0; i < n; i++)
		size += (v[i] != NULL ? 2 * strlen(v[i]) + 2 : 4) + 1;
	o = b = xmalloc(size);
	*o++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*o++ = ',';
		if (v[i] == NULL) {
			memcpy(o, "NULL", 4);
			o += 4;
			continue;
		}
		*o++ = '"';
		for (const char *s = v[i]; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				*o++ = '\\';
			*o++ = *s;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return b;
}
