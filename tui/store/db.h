/*
 * The one entry point to PostgreSQL.
 *
 * Every query goes through db_query(): values only as parameters, the
 * result status checked against the statuses a query may legitimately
 * return, and a dead connection reported as DB_LOST (the caller tells the
 * user and may call db_reconnect()). Raw server messages are kept for logs
 * and administrators (db_detail), never shown to clerks.
 */
#ifndef YC_DB_H
#define YC_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

struct db;

enum db_status {
	DB_OK,		/* result available */
	DB_ERROR,	/* the server refused the statement; db_sqlstate() says why */
	DB_LOST		/* no connection; nothing was executed or its outcome is unknown */
};

/* Connects with a libpq conninfo string ("" = libpq environment defaults:
 * PGHOST, PGDATABASE, PGSERVICE ...). Never NULL; check db_connected(). */
struct db *db_open(const char *conninfo);
/*
 * The same for a connection that only reads (a hot standby's, see README
 * "Databases"): every transaction on it is read-only (the server option
 * default_transaction_read_only, set after conninfo so it cannot undo it),
 * so a write sent there by mistake fails even when libpq fell back to a
 * primary (target_session_attrs=prefer-standby). Callers never send
 * writes on it.
 */
struct db *db_open_read(const char *conninfo);
/* The same, not connected yet: for a caller that connects it with
 * db_reconnect_start() (never blocks). */
struct db *db_open_read_later(const char *conninfo);
/* Whether db is connected to a server in recovery (a hot standby). */
bool db_is_standby(struct db *db);
/* On a primary: its current WAL position into buf ("0/16B3748"); false
 * (buf "") on a standby or failure. */
bool db_wal_lsn(struct db *db, char buf[32]);
/* On a standby: whether it has replayed up to lsn (from db_wal_lsn on the
 * primary). true on a primary, for lsn "" and when it cannot tell (the
 * caller then reads what there is). */
bool db_caught_up(struct db *db, const char *lsn);
void db_close(struct db **db);
bool db_connected(struct db *db);
/* Tries once to re-establish a lost connection (blocks up to the connect
 * timeout). */
bool db_reconnect(struct db *db);

/*
 * The same without blocking, for a loop that polls: db_reconnect_start()
 * begins (false when it cannot even start), then call db_reconnect_step()
 * whenever db_socket() is ready for what the last step asked: it returns
 * DB_STEP_READ or DB_STEP_WRITE (wait for that), DB_STEP_DONE (connected)
 * or DB_STEP_FAILED. db_reconnect_abandon() drops an attempt in progress.
 */
enum db_step { DB_STEP_READ, DB_STEP_WRITE, DB_STEP_DONE, DB_STEP_FAILED };
bool db_reconnect_start(struct db *db);
enum db_step db_reconnect_step(struct db *db);
void db_reconnect_abandon(struct db *db);

/*
 * A statement run on every new connection of db once it is established by
 * db_reconnect() or db_reconnect_step() (its outcome is not reported: a
 * failure shows in the next query). The sign-in uses it to bind the new
 * connection to the open staff session (store/auth.c). sql and the n
 * parameters are copied; sql NULL forgets it (the copies are wiped).
 */
void db_on_connect(struct db *db, const char *sql, int n, const char *const *params);
/* Replaces the statement (keeping its parameters) with sql, run on the
 * next new connection only and then forgotten: what could not be done
 * while the connection was lost is done as soon as it is back. */
void db_on_connect_once(struct db *db, const char *sql);

/*
 * Runs sql with n text parameters (NULL entries are SQL NULL). On DB_OK
 * returns the result, which the caller frees with PQclear(); otherwise
 * NULL. st may be NULL.
 */
PGresult *db_query(struct db *db, enum db_status *st, const char *sql,
    int n, const char *const *params);
/*
 * db_query, and then `then` (then_n parameters) in a transaction of its
 * own, both sent at once (libpq's pipeline mode: one round trip; one after
 * the other when the connection cannot pipeline). The result and st are
 * the first statement's; the second's outcome is not reported (it runs
 * whether or not the first succeeded). Not inside db_begin()'s
 * transaction: there both would be in it.
 */
PGresult *db_query_then(struct db *db, enum db_status *st, const char *sql, int n,
    const char *const *params, const char *then, int then_n, const char *const *then_params);
/*
 * Reading a result. db_copy copies src into dst (size bytes), cut at a
 * UTF-8 character boundary when longer; DB_COPY does so for a value of a
 * result into a char array (SQL NULL reads as ""). db_int and db_ll read a
 * value as a number, SQL NULL as 0.
 */
void db_copy(char *dst, size_t size, const char *src);
#define DB_COPY(dst, res, row, col) db_copy((dst), sizeof(dst), PQgetvalue((res), (row), (col)))
int db_int(const PGresult *res, int row, int col);
/* A number written as the text of a query parameter. */
void db_id(char buf[24], long long id);
long long db_ll(const PGresult *res, int row, int col);

/* Runs a command and discards its result. */
enum db_status db_exec(struct db *db, const char *sql, int n, const char *const *params);
/* Runs a script of several statements (our own SQL files only; no values). */
enum db_status db_script(struct db *db, const char *sql);

/* LISTEN on prefix + office code. LISTEN takes no parameters, so the
 * name is built only from a code checked to be 2, 4, 6, 9 or 12 digits: false
 * (nothing sent) when it is not one. */
bool db_office_code_ok(const char *office);
enum db_status db_listen(struct db *db, const char *prefix, const char *office);

/* SQLSTATE of the last DB_ERROR ("" if none). */
const char *db_sqlstate(struct db *db);
/* Server or libpq message of the last failure, for logs. */
const char *db_detail(struct db *db);

/* Socket to watch for notifications and connection loss (-1 when lost). */
int db_socket(struct db *db);
/* The socket of a connection attempt in progress (-1 when none). */
int db_connecting_socket(struct db *db);
/* Reads what arrived on the socket: the number of notifications received
 * (their payloads are not kept, but see db_watch), or -1 when the
 * connection is gone. */
int db_consume(struct db *db);
/* The notifications libpq already holds (they arrived during a query, so
 * the socket will not say so), without reading the socket: how many; the
 * watched channel is noted as by db_consume. */
int db_pending(struct db *db);
/*
 * One channel whose notifications are told apart (the signed-in session's,
 * tui/ui/app.c): LISTENed to now, when connected, and on every new
 * connection; NULL stops (UNLISTEN). The name is letters, digits and '_'
 * only (anything else: nothing is watched). db_watch_fired says once
 * whether a notification on it arrived (db_consume, db_pending) since the
 * last call, with the payload of the latest into buf (size bytes, cut).
 */
void db_watch(struct db *db, const char *channel);
bool db_watch_fired(struct db *db, char *buf, size_t size);

/* A PostgreSQL text[] literal of n strings (a NULL entry is SQL NULL),
 * malloc'd: every element is quoted with " and \ escaped, so any text is
 * safe in it. */
char *db_text_array(const char *const *v, size_t n);

#endif
