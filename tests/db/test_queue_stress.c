/*
 * The hall queue under load: several kiosk processes issue tickets while
 * many window processes call and finish them, each process with its own
 * connection as the application role, in an office of its own (360981097
 * 压力测试街道, 16 windows, staff stress01..stress16 and stress_guide; not
 * 360981009, which tests/db/test_schema.c needs to be free).
 *
 * Afterwards: no duplicate number, every issued ticket in exactly one final
 * state, no ticket called twice or by two windows (the audit shows one call,
 * one finish per ticket; a 绿色通道 ticket the guide's issue put straight at
 * a free window shows that placing instead of a call), and all counts
 * agree: what the kiosks were given, what the windows called and finished,
 * what the database holds.
 *
 * Environment as for every db suite (tests/run.sh): PGHOST etc. for the
 * superuser, YC_TEST_APP_CONNINFO for the application role.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/dbt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "store/queue.h"

#define OFFICE "360981097"
#define ISSUERS 4
#define PER_ISSUER 500
#define WINDOWS 16
#define APPOINTMENTS 100

/* What the processes report, in memory shared across fork(). */
struct shared {
	int issued[ISSUERS][QC_COUNT];
	int placed[ISSUERS];		/* green tickets put straight at a free window (not called) */
	int issuers_done;
	int calls[WINDOWS], served[WINDOWS], no_show[WINDOWS];
	int empty_polls;
	int errors;
	char error[256];
};

static PGconn *su;
static struct shared *sh;
static long long window_sid[WINDOWS], guide_sid;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The token of the sessions prepare_office opens: each process binds its
 * own connection to its session with it (0009_jurisdiction.sql). */
#define STRESS_TOKEN "stress-only-token"

static bool bind_session(struct db *db, long long sid)
{
	char s[24];
	const char *p[] = { s, STRESS_TOKEN };
	PGresult *r;
	bool ok;

	snprintf(s, sizeof s, "%lld", sid);
	r = db_query(db, NULL, "SELECT yc.session_resume($1::bigint, $2)", 2, p);
	ok = r != NULL && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "ok") == 0;
	PQclear(r);
	return ok;
}

/* Records the first failure of a child; the child then exits non-zero. */
static int child_fail(const char *what, enum queue_result r, struct db *db)
{
	__atomic_add_fetch(&sh->errors, 1, __ATOMIC_SEQ_CST);
	snprintf(sh->error, sizeof sh->error, "%s: result %d: %s", what, (int)r,
	    db != NULL ? db_detail(db) : "");
	return 1;
}

/* ------------------------------------------------------------------ */
/* the processes                                                       */
/* ------------------------------------------------------------------ */

static int issuer(int k)
{
	struct db *db = db_open(getenv("YC_TEST_APP_CONNINFO"));
	int next_appt = 0;

	if (!db_connected(db))
		return child_fail("issuer connect", QUEUE_DB_LOST, db);
	if (k == 0 && !bind_session(db, guide_sid))
		return child_fail("issuer session", QUEUE_NO_SESSION, db);
	for (int j = 0; j < PER_ISSUER; j++) {
		struct queue_issue is;
		enum queue_class cls = QC_NORMAL;
		const char *id = NULL, *appt = NULL;
		long long sid = 0;
		char idbuf[19], code[16];
		enum queue_result r;

		if (j % 10 == 3) {
			dbt_make_id(idbuf, "19500101", k * PER_ISSUER + j);
			id = idbuf;	/* a senior: priority */
		} else if (j % 10 == 7) {
			cls = QC_PRIORITY;
		} else if (k == 0 && j % 25 == 0) {
			cls = QC_GREEN;
			sid = guide_sid;
		} else if (k == ISSUERS - 1 && j % 5 == 1 && next_appt < APPOINTMENTS) {
			cls = QC_APPOINTMENT;
			snprintf(code, sizeof code, "S%03d", ++next_appt);
			appt = code;
		}
		r = queue_issue(db, OFFICE, cls, id, appt, sid, &is);
		if (r != QUEUE_OK)
			return child_fail("issue", r, db);
		sh->issued[k][is.t.cls]++;
		if (is.placed == QP_WINDOW)
			sh->placed[k]++;
	}
	__atomic_add_fetch(&sh->issuers_done, 1, __ATOMIC_SEQ_CST);
	db_close(&db);
	return 0;
}

static int caller(int w)
{
	struct db *db = db_open(getenv("YC_TEST_APP_CONNINFO"));
	unsigned seed = (unsigned)w * 7919u + 17u;
	int empty_after_done = 0;

	if (!db_connected(db))
		return child_fail("caller connect", QUEUE_DB_LOST, db);
	if (!bind_session(db, window_sid[w]))
		return child_fail("caller session", QUEUE_NO_SESSION, db);
	for (;;) {
		struct queue_ticket t;
		enum queue_result r = queue_call_next(db, window_sid[w], &t);

		if (r == QUEUE_EMPTY) {
			sh->empty_polls++;
			if (__atomic_load_n(&sh->issuers_done, __ATOMIC_SEQ_CST) == ISSUERS) {
				/* twice empty after every kiosk finished: done */
				if (++empty_after_done >= 2)
					break;
			}
			usleep(30000);
			continue;
		}
		if (r != QUEUE_OK)
			return child_fail("call", r, db);
		empty_after_done = 0;
		sh->calls[w]++;
		switch (rand_r(&seed) % 8) {
		case 0:		/* 过号 */
			if ((r = queue_finish(db, window_sid[w], false)) != QUEUE_OK)
				return child_fail("no-show", r, db);
			sh->no_show[w]++;
			break;
		case 1:
		case 2:		/* the citizen comes, is served */
			if ((r = queue_start(db, window_sid[w], &t)) != QUEUE_OK)
				return child_fail("start", r, db);
			if ((r = queue_finish(db, window_sid[w], true)) != QUEUE_OK)
				return child_fail("finish", r, db);
			sh->served[w]++;
			break;
		default:	/* served; the next call-next finishes it */
			sh->served[w]++;
			break;
		}
	}
	db_close(&db);
	return 0;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	if (dbt_connect(&su, NULL, NULL) != 0)
		return -1;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return sh == MAP_FAILED ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (su != NULL && PQstatus(su) == CONNECTION_OK)
		PQclear(PQexec(su, "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'"
		    " WHERE office_code = '" OFFICE "' AND ended_at IS NULL"));
	PQfinish(su);
	if (sh != NULL && sh != MAP_FAILED)
		munmap(sh, sizeof *sh);
	return 0;
}

/* The stress office, its windows and staff, an empty queue, and open
 * sessions (inserted directly with a known token, which each process
 * presents to bind its connection: a login per window would only cost
 * bcrypt). */
static void prepare_office(void)
{
	dbt_office(su, "360981", "丰城市医疗保障服务中心", 0);
	dbt_office(su, OFFICE, "压力测试街道", WINDOWS);
	dbt_exec_ok(su, "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'"
	    " WHERE (office_code = '" OFFICE "' OR staff_no LIKE 'stress%') AND ended_at IS NULL", 0, NULL);
	dbt_clear_queue(su, OFFICE);
	dbt_exec_ok(su, "INSERT INTO yc.appointment (office_code, code, slot_start, slot_end)"
	    " SELECT '" OFFICE "', 'S' || lpad(n::text, 3, '0'), now() - interval '1 minute',"
	    " now() + interval '2 hours' FROM generate_series(1, 100) n", 0, NULL);
	if (dbt_query_ll(su, "SELECT count(*) FROM yc.staff WHERE staff_no LIKE 'stress%'", 0, NULL) < 17)
		dbt_exec_ok(su, "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
		    " SELECT s, '压测' || s, r, '" OFFICE "', h"
		    " FROM (SELECT yc.hash_password('Stress-Only-1') AS h) x,"
		    " (SELECT 'stress' || lpad(n::text, 2, '0') AS s, 'clerk' AS r"
		    "   FROM generate_series(1, 16) n UNION ALL SELECT 'stress_guide', 'guide') y"
		    " ON CONFLICT (staff_no) DO NOTHING", 0, NULL);
	for (int w = 0; w < WINDOWS; w++) {
		char staff[24], win[16];
		const char *p[] = { staff, win };

		snprintf(staff, sizeof staff, "stress%02d", w + 1);
		snprintf(win, sizeof win, "%d", w + 1);
		window_sid[w] = dbt_query_ll(su, "INSERT INTO yc.staff_session (office_code, staff_no,"
		    " window_no, client, token_hash) VALUES ('" OFFICE "', $1, $2::int, 'test_queue_stress',"
		    " sha256('" STRESS_TOKEN "')) RETURNING session_id", 2, p);
	}
	guide_sid = dbt_query_ll(su, "INSERT INTO yc.staff_session (office_code, staff_no, client,"
	    " token_hash) VALUES ('" OFFICE "', 'stress_guide', 'test_queue_stress',"
	    " sha256('" STRESS_TOKEN "')) RETURNING session_id", 0, NULL);
}

/* ------------------------------------------------------------------ */
/* the test                                                            */
/* ------------------------------------------------------------------ */

static void test_kiosks_and_windows_in_parallel(void **state)
{
	(void)state;
	pid_t pids[ISSUERS + WINDOWS];
	long long mark;
	double t0, t1;
	int failed = 0;

	dbt_clear_of_midnight(su, 60);
	prepare_office();
	mark = dbt_audit_mark(su);
	memset(sh, 0, sizeof *sh);

	t0 = now_s();
	for (int i = 0; i < ISSUERS + WINDOWS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(i < ISSUERS ? issuer(i) : caller(i - ISSUERS));
	}
	for (int i = 0; i < ISSUERS + WINDOWS; i++) {
		int status;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	t1 = now_s();
	if (failed != 0 || sh->errors != 0)
		print_error("# %d processes failed: %s\n", failed, sh->error);
	assert_int_equal(failed, 0);
	assert_int_equal(sh->errors, 0);

	int issued = 0, issued_cls[QC_COUNT] = { 0 }, calls = 0, served = 0, no_show = 0, placed = 0;
	for (int k = 0; k < ISSUERS; k++) {
		placed += sh->placed[k];
		for (int c = 0; c < QC_COUNT; c++) {
			issued += sh->issued[k][c];
			issued_cls[c] += sh->issued[k][c];
		}
	}
	for (int w = 0; w < WINDOWS; w++) {
		calls += sh->calls[w];
		served += sh->served[w];
		no_show += sh->no_show[w];
	}
	print_message("# %d tickets issued by %d kiosks, called by %d windows in %.1f s"
	    " (%d green ones straight to a free window; %d served, %d no-show; %d empty polls)\n",
	    issued, ISSUERS, WINDOWS, t1 - t0, placed, served, no_show, sh->empty_polls);

	/* nothing lost: every issued ticket is there, called once (or put at a
	 * window once, green tickets), finished once; a green ticket put at a
	 * window is served when that window calls next */
	assert_int_equal(issued, ISSUERS * PER_ISSUER);
	assert_int_equal(calls + placed, issued);
	assert_int_equal(served + no_show + placed, issued);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'",
	    0, NULL), issued);

	/* zero duplicates: numbers, and (class, seq) */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) - count(DISTINCT (day, number))"
	    " FROM yc.ticket WHERE office_code = '" OFFICE "'", 0, NULL), 0);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) - count(DISTINCT (day, class, seq))"
	    " FROM yc.ticket WHERE office_code = '" OFFICE "'", 0, NULL), 0);
	/* the numbers of each class are 1..n without a gap */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM (SELECT class, max(seq) AS m, count(*) AS n"
	    " FROM yc.ticket WHERE office_code = '" OFFICE "' GROUP BY day, class) x WHERE m <> n",
	    0, NULL), 0);

	/* each ticket in exactly one final state, with its times */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND (status NOT IN ('served', 'no_show') OR finished_at IS NULL OR called_at IS NULL"
	    "      OR window_no IS NULL OR finished_at < called_at)", 0, NULL), 0);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND status = 'served'", 0, NULL), served + placed);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND status = 'no_show' AND started_at IS NULL", 0, NULL), no_show);

	/* what the kiosks were given is what the database holds, per class */
	for (int c = 0; c < QC_COUNT; c++) {
		const char *p[] = { queue_class_key((enum queue_class)c) };

		assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '"
		    OFFICE "' AND class = $1", 1, p), issued_cls[c]);
	}
	assert_int_equal(issued_cls[QC_GREEN], PER_ISSUER / 25);
	assert_int_equal(issued_cls[QC_APPOINTMENT], APPOINTMENTS);
	assert_true(issued_cls[QC_PRIORITY] >= ISSUERS * PER_ISSUER / 5);

	/* the audit: per ticket one issue, one call by one window (the one the
	 * ticket shows; for a green ticket put straight at a window, that
	 * placing), one finish */
	char m[24];
	const char *pm[] = { m };
	snprintf(m, sizeof m, "%lld", mark);
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM ("
	    "  SELECT a.object,"
	    "    count(*) FILTER (WHERE a.action = 'queue_issue') AS i,"
	    "    count(*) FILTER (WHERE a.action IN ('queue_call', 'queue_place')) AS c,"
	    "    count(*) FILTER (WHERE a.action = 'queue_finish') AS f,"
	    "    count(DISTINCT a.window_no) FILTER (WHERE a.action IN ('queue_call', 'queue_place')) AS w,"
	    "    max(a.window_no) FILTER (WHERE a.action IN ('queue_call', 'queue_place')) AS cw"
	    "  FROM yc.audit_log a WHERE a.office_code = '" OFFICE "' AND a.audit_id > $1::bigint"
	    "    AND a.object LIKE 'ticket:%' GROUP BY a.object) x"
	    " JOIN yc.ticket t ON x.object = 'ticket:' || t.office_code || '/' || t.ticket_id"
	    " WHERE x.i = 1 AND x.c = 1 AND x.f = 1 AND x.w = 1 AND x.cw = t.window_no", 1, pm),
	    issued);
	assert_int_equal(dbt_query_ll(su, "SELECT count(DISTINCT object) FROM yc.audit_log"
	    " WHERE office_code = '" OFFICE "' AND audit_id > $1::bigint AND object LIKE 'ticket:%'",
	    1, pm), issued);

	/* no window still holds a ticket; the office's queue is empty */
	assert_int_equal(dbt_query_ll(su, "SELECT count(*) FROM yc.ticket WHERE office_code = '" OFFICE "'"
	    " AND status IN ('waiting', 'called', 'serving', 'held')", 0, NULL), 0);
	struct db *db = db_open(getenv("YC_TEST_APP_CONNINFO"));
	struct queue_counts qc;
	assert_int_equal(queue_counts(db, OFFICE, &qc), QUEUE_OK);
	for (int c = 0; c < QC_COUNT; c++)
		assert_int_equal(qc.waiting[c], 0);
	db_close(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kiosks_and_windows_in_parallel),
	};
	return cmocka_run_group_tests_name("db_queue_stress", tests, group_setup, group_teardown);
}
