/*
 * The calling board reading from a hot standby (board --read-db), run by
 * tests/standby.sh with the primary ($YC_TEST_ADMIN_CONNINFO, the private
 * cluster of $YICHUANG_VAR) and its streaming standby
 * ($YC_STANDBY_CONNINFO as superuser, $YC_STANDBY_KIOSK as the kiosk
 * role): a ticket issued on the primary shows once the standby has it; a
 * paused standby keeps the old count until replay resumes; an unreachable
 * read database leaves the board reading the primary, and a standby that
 * stops and starts again ($YC_STANDBY_STOP, $YC_STANDBY_START: shell
 * commands) is read again once it is back; and a read
 * connection (db_open_read) takes no write, on the standby or on a
 * primary. Not a test_* suite: it needs the clusters that script makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/i18n.h"
#include "screen/ws.h"
#include "store/db.h"
#include "store/queue.h"
#include "util/xalloc.h"

/* The normal class's waiting count on the board ("普通 … 7 人"), or -1. */
static int
normal_waiting(struct vt *vt)
{
	const char *name = queue_class_name(QC_NORMAL);
	int r, v = -1;
	char *row, *p;

	if (!vt_find(vt, name, &r, NULL))
		return -1;
	row = vt_row_text(vt, r);
	p = strstr(row, name);
	if (p != NULL) {
		p += strlen(name) + strspn(p + strlen(name), " ");
		if (*p >= '0' && *p <= '9')
			v = atoi(p);
	}
	free(row);
	return v;
}

/* Pumps until the board shows want normal tickets waiting, or timeout_ms
 * passes (then the screen goes to stderr). */
static bool
wait_normal(struct vt *vt, int want, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		if (normal_waiting(vt) == want)
			return true;
		vt_settle(vt, 50, 50);
	}
	fprintf(stderr, "board: %d normal tickets waiting, expected %d\n", normal_waiting(vt), want);
	vt_dump(vt, stderr);
	return false;
}

/* Waiting normal tickets of 360981 as the primary has them. */
static int
primary_normal(void)
{
	return (int)ws_sql_long("SELECT waiting FROM yc.queue_counts('360981') WHERE class = 'normal'", 0,
	    NULL);
}

static struct vt *
start_board(const char *read_db)
{
	const char *args[] = { "--read-db", read_db, "board", "--office", "360981", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	assert_true(vt_expect(vt, queue_class_name(QC_NORMAL), WS_WAIT));
	return vt;
}

static void
issue(void)
{
	free(ws_run("ticket issue --office 360981"));
}

/* A ticket issued on the primary: the board, reading the standby, shows it
 * once the standby has it; while replay is paused it keeps the old count,
 * and shows the new one as soon as replay resumes. */
static void
test_board_follows_standby(void **state)
{
	struct vt *vt;
	int n;

	(void)state;
	ws_standby_caught_up();
	n = primary_normal();
	vt = start_board(getenv("YC_STANDBY_KIOSK"));
	assert_true(wait_normal(vt, n, WS_WAIT));
	issue();
	assert_true(wait_normal(vt, n + 1, WS_WAIT));

	ws_standby_pause(true);
	issue();
	assert_int_equal(primary_normal(), n + 2);
	vt_settle(vt, 1000, 1500);
	assert_int_equal(normal_waiting(vt), n + 1);
	ws_standby_pause(false);
	assert_true(wait_normal(vt, n + 2, WS_WAIT));
	vt_free(&vt);
}

/* An unreachable read database: the board reads the primary. */
static void
test_board_read_fallback(void **state)
{
	struct vt *vt;
	int n;

	(void)state;
	n = primary_normal();
	vt = start_board("host=/nonexistent dbname=yichuang user=yichuang_kiosk");
	assert_true(wait_normal(vt, n, WS_WAIT));
	issue();
	assert_true(wait_normal(vt, n + 1, WS_WAIT));
	vt_free(&vt);
}

/* Until the board's read connection is on the standby again (10 s). */
static void
wait_board_on_standby(void)
{
	int i;

	for (i = 0; i < 200 && !ws_standby_true("SELECT count(*) > 0 FROM pg_stat_activity "
	    "WHERE usename = 'yichuang_kiosk' AND application_name = 'yichuang'"); i++)
		usleep(50000);
	assert_true(i < 200);
}

/* The standby stops: the board reads the primary; it starts again: the
 * board goes back to it by itself (a paused replay shows it does). */
static void
test_board_read_reconnects(void **state)
{
	struct vt *vt;
	int n;

	(void)state;
	ws_standby_caught_up();
	n = primary_normal();
	vt = start_board(getenv("YC_STANDBY_KIOSK"));
	assert_true(wait_normal(vt, n, WS_WAIT));
	assert_int_equal(system(getenv("YC_STANDBY_STOP")), 0);
	issue();
	assert_true(wait_normal(vt, n + 1, WS_WAIT));
	assert_int_equal(system(getenv("YC_STANDBY_START")), 0);
	ws_standby_caught_up();
	wait_board_on_standby();
	ws_standby_pause(true);
	issue();
	vt_settle(vt, 1000, 1500);
	assert_int_equal(normal_waiting(vt), n + 1);
	ws_standby_pause(false);
	assert_true(wait_normal(vt, n + 2, WS_WAIT));
	vt_free(&vt);
}

/* A read connection refuses every write: on the standby (the server is in
 * recovery) and on a primary (read-only transactions), which libpq may
 * have chosen for target_session_attrs=prefer-standby. */
static void
test_read_connection_never_writes(void **state)
{
	const char *const sql = "UPDATE yc.setting SET value = value WHERE key = 'senior_age'";
	struct db *db;

	(void)state;
	db = db_open_read(getenv("YC_STANDBY_CONNINFO"));
	assert_true(db_connected(db));
	assert_true(db_is_standby(db));
	assert_int_equal(db_exec(db, sql, 0, NULL), DB_ERROR);
	assert_string_equal(db_sqlstate(db), "25006");
	db_close(&db);

	db = db_open_read(getenv("YC_TEST_ADMIN_CONNINFO"));
	assert_true(db_connected(db));
	assert_false(db_is_standby(db));
	assert_int_equal(db_exec(db, sql, 0, NULL), DB_ERROR);
	assert_string_equal(db_sqlstate(db), "25006");
	db_close(&db);

	db = db_open(getenv("YC_TEST_ADMIN_CONNINFO"));
	assert_int_equal(db_exec(db, "BEGIN", 0, NULL), DB_OK);
	assert_int_equal(db_exec(db, sql, 0, NULL), DB_OK);
	assert_int_equal(db_exec(db, "ROLLBACK", 0, NULL), DB_OK);
	db_close(&db);
}

static int
setup(void **state)
{
	const char *bin = getenv("YC_TEST_BIN");
	char *mo;
	int rc;

	(void)state;
	if (bin == NULL || strrchr(bin, '/') == NULL || getenv("YC_STANDBY_CONNINFO") == NULL ||
	    getenv("YC_STANDBY_KIOSK") == NULL || getenv("YC_STANDBY_STOP") == NULL ||
	    getenv("YC_STANDBY_START") == NULL)
		return -1;
	mo = xasprintf("%.*s/locale/zh_CN/LC_MESSAGES/yichuang.mo", (int)(strrchr(bin, '/') - bin), bin);
	rc = i18n_load(mo);
	free(mo);
	return rc;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_follows_standby),
		cmocka_unit_test(test_board_read_fallback),
		cmocka_unit_test(test_board_read_reconnects),
		cmocka_unit_test(test_read_connection_never_writes),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
