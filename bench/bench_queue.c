/*
 * Call-next throughput and latency of the hall queue (yc.queue_call_next
 * through queue_call_next()) at 1, 16, 64 and 200 windows calling at once.
 *
 * Each window is a process with its own connection, as a clerk's terminal
 * is. A call is what F2 does: finish the current ticket as served, then
 * take the next one (one transaction with row locks, SKIP LOCKED, an audit
 * row and a NOTIFY). Before each round the bench office gets enough waiting
 * tickets (4 normal to 1 priority, issue times spread over the last hours,
 * inserted directly: issuing is measured apart) and one open session
 * per window; each window makes one call on its new connection, not
 * timed (its plans cached, as a terminal's are after its first call of
 * the day: that first call plans every statement of the functions), and
 * all windows then start together.
 *
 * Needs a database named by the libpq environment (PGHOST, PGDATABASE,
 * PGUSER ...) reached as a superuser: it creates its own office 360981099
 * 性能测试街道 with 200 windows and staff bench001..bench200, and empties
 * that office's queue before every round and at the end. The windows
 * connect with the same environment, i.e. as that superuser too (the queue
 * functions are SECURITY DEFINER: the role changes nothing in what they
 * do). A round needs as many free connections as windows; one that does
 * not fit in max_connections is reported as skipped.
 * Without a configured database it prints why and exits 0.
 *
 * Prints one line per concurrency: windows, calls, calls/s, p50 and p99
 * latency in milliseconds. YC_BENCH_CALLS sets the calls of a round
 * (default 2000; more for a profile of the steady state).
 *
 * The peer, measured the same way in the same run: pgmq's pop (bench/peer/,
 * pgmq 1.5.1, a queue in SQL only; for this comparison only, never part of
 * yichuang), loaded into a database of its own, yc_bench_peer, created and
 * dropped here. Before each round the queue q gets as many messages as
 * the round pops plus one per client (the untimed first op of each
 * connection, as for call-next); each client is a process with its
 * own connection running SELECT * FROM pgmq.pop('q') in autocommit, at 1,
 * 16 and 64 clients. Then one line per concurrency with the ratio
 * call-next / pop in calls per second. Skipped (said so) when
 * bench/peer/pgmq.sql is not there (run from the source tree).
 *
 * Issuing, as a kiosk issues (yc.queue_issue through queue_issue(), no
 * session, every fifth ticket a priority one), at 1, 16 and 64 kiosks
 * at once, each kiosk at an office of its own (64 townships 360981900..963
 * open around the clock, created here) and 250 tickets a kiosk: the slip's
 * "people ahead" counts the office's queue, which a round keeps at a
 * hall's size.
 *
 * And the floor of call-next (bench/floor/floor.sql, in a database of its
 * own, yc_bench_floor): what a call must write to keep its guarantees, in
 * the cheapest design known (waiting tickets in a table of their own,
 * HOT updates of the tickets, two audit rows and the window's state in one
 * statement), at 1, 16 and 64 windows, with its ratio to pgmq's pop: how
 * far the product's call-next is from what its data model could do.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/queue.h"
#include "util/file.h"
#include "util/xalloc.h"

#define OFFICE "360981099"
#define MAX_WINDOWS 200
#define PEER_DB "yc_bench_peer"
#define FLOOR_DB "yc_bench_floor"

/* What a round times: call-next, pgmq's pop, the floor of call-next, or
 * issuing at a kiosk. */
enum kind { K_CALL, K_POP, K_FLOOR, K_ISSUE };

/* Issuing rounds: each kiosk issues at an office of its own (of
 * ISSUE_OFFICES, 360981900 on), ISSUE_PER_KIOSK tickets: the "people
 * ahead" a slip shows counts the office's waiting tickets, so one office
 * issued thousands of tickets in a row would measure a queue no hall has. */
#define ISSUE_PREFIX "3609819"	/* the kiosks' offices: ISSUE_PREFIX and two digits */
#define ISSUE_OFFICES 64
#define ISSUE_PER_KIOSK 250
#define STR_(x) #x
#define STR(x) STR_(x)

/* What one round measured. */
struct figures {
	int clients;
	double rate, p50, p99;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
run_sql(struct db *db, const char *sql)
{
	if (db_exec(db, sql, 0, NULL) != DB_OK) {
		fprintf(stderr, "bench_queue: %s\n  %s\n", sql, db_detail(db));
		return -1;
	}
	return 0;
}

static long long
query_ll(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, NULL, sql, 0, NULL);
	long long v = -1;

	if (res != NULL && PQntuples(res) == 1)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		fprintf(stderr, "bench_queue: %s\n  %s\n", sql, db_detail(db));
	PQclear(res);
	return v;
}

static void
print_machine(struct db *db)
{
	char model[128] = "unknown", line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	PGresult *res;

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "model name", 10) == 0) {
			char *v = strchr(line, ':');

			if (v != NULL) {
				snprintf(model, sizeof model, "%s", v + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	if (f != NULL)
		fclose(f);
	res = db_query(db, NULL, "SELECT current_setting('server_version'), "
	    "current_setting('synchronous_commit'), current_setting('max_connections')", 0, NULL);
	printf("bench_queue: %ld CPU (%s); PostgreSQL %s, synchronous_commit %s, max_connections %s\n",
	    sysconf(_SC_NPROCESSORS_ONLN), model,
	    res != NULL ? PQgetvalue(res, 0, 0) : "?", res != NULL ? PQgetvalue(res, 0, 1) : "?",
	    res != NULL ? PQgetvalue(res, 0, 2) : "?");
	PQclear(res);
}

/* The office, its windows and staff (created once). */
static int
setup_office(struct db *db)
{
	static const char *const sql[] = {
		"SET client_min_messages = warning",
		/* the county the demo (`db demo`) loads, when it is not there */
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		" SELECT '360981', '丰城市医疗保障服务中心', 'county', '3609', '360981'"
		" WHERE NOT EXISTS (SELECT 1 FROM yc.office WHERE code = '360981')",
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code) VALUES"
		" ('" OFFICE "', '性能测试街道', 'township', '360981', '360981')"
		" ON CONFLICT (code) DO NOTHING",
		"INSERT INTO yc.service_window (office_code, window_no, label)"
		" SELECT '" OFFICE "', n, n || '号窗口' FROM generate_series(1, 200) n"
		" ON CONFLICT DO NOTHING",
		/* the kiosks' offices, open around the clock (the benchmark runs at
		 * any hour) */
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		" SELECT '" ISSUE_PREFIX "' || lpad(n::text, 2, '0'), '性能测试取号' || n, 'township',"
		"  '360981', '360981' FROM generate_series(0, " STR(ISSUE_OFFICES) " - 1) n"
		" ON CONFLICT (code) DO NOTHING",
		"INSERT INTO yc.office_hours (office_code, dow, morning_open, morning_close, noon, updated_by)"
		" SELECT o.code, d, '00:00', '24:00', false, 'bench_queue'"
		" FROM yc.office o, generate_series(1, 8) d WHERE o.code LIKE '" ISSUE_PREFIX "__'"
		" ON CONFLICT (office_code, dow) DO UPDATE SET morning_open = '00:00',"
		"  morning_close = '24:00', afternoon_open = NULL, afternoon_close = NULL, noon = false",
	};

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (run_sql(db, sql[i]) != 0)
			return -1;
	if (query_ll(db, "SELECT count(*) FROM yc.staff WHERE staff_no LIKE 'bench___'") < 200 &&
	    run_sql(db, "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
	    " SELECT 'bench' || lpad(n::text, 3, '0'), '性能' || n, 'clerk', '" OFFICE "', h"
	    " FROM (SELECT yc.hash_password('Bench-Only-1') AS h) x, generate_series(1, 200) n"
	    " ON CONFLICT (staff_no) DO NOTHING") != 0)
		return -1;
	return 0;
}

/* Empties the office's queue and closes its sessions. */
static int
reset_office(struct db *db)
{
	static const char *const sql[] = {
		"UPDATE yc.staff_session SET ended_at = now(), end_reason = 'bench'"
		" WHERE (office_code = '" OFFICE "' OR staff_no LIKE 'bench___') AND ended_at IS NULL",
		"DELETE FROM yc.appointment WHERE office_code = '" OFFICE "'",
		"DELETE FROM yc.ticket WHERE office_code = '" OFFICE "'",
		"DELETE FROM yc.ticket_counter WHERE office_code = '" OFFICE "'",
		"DELETE FROM yc.window_state WHERE office_code = '" OFFICE "'",
		"DELETE FROM yc.queue_office_state WHERE office_code = '" OFFICE "'",
	};

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (run_sql(db, sql[i]) != 0)
			return -1;
	return 0;
}

/* n waiting tickets of today and sessions at windows 1..windows; fills sid. */
static int
prepare_round(struct db *db, int n, int windows, long long *sid)
{
	char nb[16], wb[16];
	const char *p[] = { nb };
	PGresult *res;

	snprintf(nb, sizeof nb, "%d", n);
	if (reset_office(db) != 0)
		return -1;
	if (db_exec(db, "WITH g AS ("
	    "  SELECT i, CASE WHEN i % 5 = 0 THEN 'priority' ELSE 'normal' END AS class"
	    "  FROM generate_series(1, $1::int) i),"
	    " s AS (SELECT i, class, row_number() OVER (PARTITION BY class ORDER BY i) AS seq FROM g)"
	    " INSERT INTO yc.ticket (office_code, day, class, seq, number, issued_at)"
	    " SELECT '" OFFICE "', yc.queue_day(now()), class, seq,"
	    "   CASE class WHEN 'normal' THEN 'A' ELSE 'B' END"
	    "   || CASE WHEN seq < 1000 THEN lpad(seq::text, 3, '0') ELSE seq::text END,"
	    "   now() - make_interval(secs => ($1::int - i) * 2)"
	    " FROM s", 1, p) != DB_OK ||
	    db_exec(db, "INSERT INTO yc.ticket_counter (office_code, day, class, last_seq)"
	    " SELECT office_code, day, class, max(seq) FROM yc.ticket WHERE office_code = '"
	    OFFICE "' GROUP BY 1, 2, 3", 0, NULL) != DB_OK) {
		fprintf(stderr, "bench_queue: tickets: %s\n", db_detail(db));
		return -1;
	}
	snprintf(wb, sizeof wb, "%d", windows);
	p[0] = wb;
	res = db_query(db, NULL, "INSERT INTO yc.staff_session (office_code, staff_no, window_no, client)"
	    " SELECT '" OFFICE "', 'bench' || lpad(w::text, 3, '0'), w, 'bench_queue'"
	    " FROM generate_series(1, $1::int) w RETURNING window_no, session_id", 1, p);
	if (res == NULL || PQntuples(res) != windows) {
		fprintf(stderr, "bench_queue: sessions: %s\n", db_detail(db));
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < windows; i++)
		sid[atoi(PQgetvalue(res, i, 0)) - 1] = strtoll(PQgetvalue(res, i, 1), NULL, 10);
	PQclear(res);
	/* as the peer's queue is vacuumed before its round: no dead index
	 * entries of earlier rounds at the head of the queue */
	return run_sql(db, "VACUUM ANALYZE yc.ticket, yc.ticket_queue, yc.window_state");
}

/* One call-next of the window of session sid: 0 when it returned a ticket. */
static int
op_call_next(struct db *db, long long sid)
{
	struct queue_ticket t;
	enum queue_result r = queue_call_next(db, sid, &t);

	if (r != QUEUE_OK) {
		fprintf(stderr, "bench_queue: call: %d %s\n", (int)r, db_detail(db));
		return -1;
	}
	return 0;
}

/* One ticket issued at the kiosk of office ISSUE_PREFIX + sid % ISSUE_OFFICES
 * (every fifth a priority one), as `yichuang kiosk` issues it: 0 when
 * issued. */
static int
op_issue(struct db *db, long long sid)
{
	static int n;
	char office[16];
	struct queue_issue is;
	enum queue_result r;

	snprintf(office, sizeof office, ISSUE_PREFIX "%02lld", sid % ISSUE_OFFICES);
	r = queue_issue(db, office, ++n % 5 == 0 ? QC_PRIORITY : QC_NORMAL, NULL, NULL, 0, &is);
	if (r != QUEUE_OK) {
		fprintf(stderr, "bench_queue: issue: %d %s\n", (int)r, db_detail(db));
		return -1;
	}
	return 0;
}

/* The kiosks' offices emptied; sid[] their kiosk numbers. */
static int
issue_reset(struct db *db, int kiosks, long long *sid)
{
	static const char *const sql[] = {
		"DELETE FROM yc.ticket WHERE office_code LIKE '" ISSUE_PREFIX "__'",
		"DELETE FROM yc.ticket_counter WHERE office_code LIKE '" ISSUE_PREFIX "__'",
		"VACUUM ANALYZE yc.ticket, yc.ticket_queue, yc.ticket_counter",
	};

	for (int i = 0; i < kiosks; i++)
		sid[i] = i;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (run_sql(db, sql[i]) != 0)
			return -1;
	return 0;
}

/* One pgmq pop (the peer): 0 when it returned a message. */
static int
op_pop(struct db *db, long long sid)
{
	PGresult *res = db_query(db, NULL, "SELECT * FROM pgmq.pop('q')", 0, NULL);
	int rc = res != NULL && PQntuples(res) == 1 ? 0 : -1;

	(void)sid;
	if (rc != 0)
		fprintf(stderr, "bench_queue: pop: %s\n", db_detail(db));
	PQclear(res);
	return rc;
}

/* One call of the floor (bench/floor/floor.sql) at window sid: 0 when it
 * called a ticket. */
static int
op_floor(struct db *db, long long sid)
{
	char w[24];
	const char *p[] = { w };
	PGresult *res;
	int rc;

	db_id(w, sid);
	res = db_query(db, NULL, "SELECT floor.call($1::int)", 1, p);
	rc = res != NULL && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "bench_queue: floor: %s\n", db_detail(db));
	PQclear(res);
	return rc;
}

/*
 * One window (or peer client): connect with conninfo, say ready, wait for
 * the start (the pipe closes), run op `calls` times, store each latency in
 * lat[]. Exit status 0 when every op succeeded (only the first failure is
 * said).
 */
static int
window_proc(const char *conninfo, int (*op)(struct db *, long long), long long sid, int calls,
    double *lat, int ready_fd, int start_fd)
{
	struct db *db = db_open(conninfo);
	char c = 'r';
	int bad = 0;

	if (!db_connected(db)) {
		fprintf(stderr, "bench_queue: window connection: %s", db_detail(db));
		return 2;
	}
	/* one op before the start, not timed: a clerk's terminal keeps its
	 * connection all day, so its plans are cached after the first call
	 * (the first call of a connection plans every statement of the
	 * functions: at 64 windows those first calls alone were the p99) */
	if (op(db, sid) != 0)
		return 1;
	if (write(ready_fd, &c, 1) != 1 || read(start_fd, &c, 1) != 0)
		return 2;
	for (int i = 0; i < calls; i++) {
		double t0 = now_ms();
		int r = bad != 0 ? 0 : op(db, sid);

		lat[i] = now_ms() - t0;
		if (r != 0)
			bad++;
	}
	db_close(&db);
	return bad != 0;
}

/* A database of its own (name) with the SQL of file loaded and then
 * `then` run: pgmq and its queue q, or the floor; NULL after saying why
 * (or that it is skipped: *skipped). */
static struct db *
peer_open(struct db *db, const char *name, const char *file, const char *then, bool *skipped)
{
	char *sql = file_read(file, 1 << 20, NULL), *ci;
	struct db *peer;

	*skipped = sql == NULL;
	if (sql == NULL) {
		printf("%s: skipped (%s: %s; run from the source tree)\n", name, file, strerror(errno));
		return NULL;
	}
	ci = xasprintf("DROP DATABASE IF EXISTS %s", name);
	if (run_sql(db, ci) != 0) {
		free(ci);
		free(sql);
		return NULL;
	}
	free(ci);
	ci = xasprintf("CREATE DATABASE %s", name);
	if (run_sql(db, ci) != 0) {
		free(ci);
		free(sql);
		return NULL;
	}
	free(ci);
	ci = xasprintf("dbname=%s", name);
	peer = db_open(ci);
	free(ci);
	if (!db_connected(peer) || db_script(peer, "SET client_min_messages = warning") != DB_OK ||
	    db_script(peer, sql) != DB_OK || (then != NULL && db_script(peer, then) != DB_OK)) {
		fprintf(stderr, "bench_queue: %s: %s\n", name, db_detail(peer));
		db_close(&peer);
	}
	free(sql);
	return peer;
}

/* Drops a database peer_open made. */
static int
peer_drop(struct db *db, struct db **peer, const char *name)
{
	char *sql = xasprintf("DROP DATABASE IF EXISTS %s", name);
	int rc;

	db_close(peer);
	rc = run_sql(db, sql);
	free(sql);
	return rc;
}

/* The floor's tables emptied, n waiting tickets, windows 1..w. */
static int
floor_fill(struct db *fl, int n, int w, long long *sid)
{
	char nb[16], wb[16];
	const char *p[] = { nb, wb };

	snprintf(nb, sizeof nb, "%d", n);
	snprintf(wb, sizeof wb, "%d", w);
	for (int i = 0; i < w; i++)
		sid[i] = i + 1;	/* the window number */
	if (db_exec(fl, "SELECT floor.fill($1::int, $2::int)", 2, p) != DB_OK) {
		fprintf(stderr, "bench_queue: floor fill: %s\n", db_detail(fl));
		return -1;
	}
	return 0;
}

/* The peer's queue emptied and filled with n messages. */
static int
peer_fill(struct db *peer, int n)
{
	char nb[16];
	const char *p[] = { nb };

	snprintf(nb, sizeof nb, "%d", n);
	if (run_sql(peer, "TRUNCATE pgmq.q_q") != 0)
		return -1;
	if (db_exec(peer, "SELECT count(*) FROM pgmq.send_batch('q',"
	    " array_fill('{\"n\": 1}'::jsonb, ARRAY[$1::int]))", 1, p) != DB_OK) {
		fprintf(stderr, "bench_queue: pgmq send_batch: %s\n", db_detail(peer));
		return -1;
	}
	return run_sql(peer, "VACUUM ANALYZE pgmq.q_q");
}

/* One round of call-next at `windows` windows (K_CALL), of pgmq pops
 * (K_POP, peer: its database) or of the floor (K_FLOOR, peer: its
 * database) at as many clients; the figures in *out. */
static int
round_at(struct db *db, enum kind k, struct db *peer, int windows, struct figures *out)
{
	static const char *const whats[] = { "call-next", "pgmq pop ", "floor    ", "issue    " };
	static const char *const nouns[] = { "windows", "windows", "windows", "kiosks " };
	static int (*const ops[])(struct db *, long long) = { op_call_next, op_pop, op_floor,
	    op_issue };
	static const char *const conninfos[] = { "", "dbname=" PEER_DB, "dbname=" FLOOR_DB, "" };
	const char *what = whats[k];
	static long long sid[MAX_WINDOWS];
	/* YC_BENCH_CALLS: calls per round (default 2000), e.g. for a profile */
	const char *env = getenv("YC_BENCH_CALLS");
	int want = env != NULL && atoi(env) >= 100 ? atoi(env) : 2000;
	int per = k == K_ISSUE ? ISSUE_PER_KIOSK : want / windows < 20 ? 20 : want / windows;
	int total = per * windows;
	long long free_conn = query_ll(db, "SELECT current_setting('max_connections')::int"
	    " - current_setting('superuser_reserved_connections')::int"
	    " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')");
	int ready[2], start[2], failed = 0;
	double *lat, t0, t1;
	pid_t *pids;

	/* superusers may use the reserved slots too */
	if (free_conn + query_ll(db, "SELECT current_setting('superuser_reserved_connections')::int")
	    < windows) {
		printf("%s  %3d %s  skipped: max_connections leaves %lld free connections\n",
		    what, windows, nouns[k], free_conn);
		return 0;
	}
	if (k == K_POP ? peer_fill(peer, total + windows) != 0 :
	    k == K_FLOOR ? floor_fill(peer, total + windows, windows, sid) != 0 :
	    k == K_ISSUE ? issue_reset(db, windows, sid) != 0 :
	    prepare_round(db, total + windows, windows, sid) != 0)
		return -1;
	lat = mmap(NULL, sizeof *lat * (size_t)total, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc((size_t)windows, sizeof *pids);
	if (lat == MAP_FAILED || pids == NULL || pipe(ready) != 0 || pipe(start) != 0) {
		perror("bench_queue");
		exit(1);
	}
	fflush(stdout);
	for (int w = 0; w < windows; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("bench_queue: fork");
			exit(1);
		}
		if (pids[w] == 0) {
			close(ready[0]);
			close(start[1]);
			_exit(window_proc(conninfos[k], ops[k], sid[w], per,
			    lat + (size_t)w * (size_t)per, ready[1], start[0]));
		}
	}
	close(ready[1]);
	close(start[0]);
	for (int w = 0; w < windows; w++) {
		char c;

		if (read(ready[0], &c, 1) != 1)
			break;	/* a window failed to connect; its exit status says so */
	}
	t0 = now_ms();
	close(start[1]);
	for (int w = 0; w < windows; w++) {
		int status;

		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	t1 = now_ms();
	close(ready[0]);
	qsort(lat, (size_t)total, sizeof *lat, cmp_double);
	out->clients = windows;
	out->rate = total / ((t1 - t0) / 1e3);
	out->p50 = lat[total / 2];
	out->p99 = lat[(size_t)((double)total * 0.99)];
	printf("%s  %3d %s  %5d calls  %7.0f calls/s  p50 %7.2f ms  p99 %7.2f ms%s\n",
	    what, windows, nouns[k], total, out->rate, out->p50, out->p99,
	    failed ? "  (some windows failed)" : "");
	fflush(stdout);
	munmap(lat, sizeof *lat * (size_t)total);
	free(pids);
	return failed ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static int levels[8] = { 1, 16, 64, 200 };
	size_t nlevels = 4;
	struct db *db;
	int rc = 0;

	if (getenv("PGHOST") == NULL && getenv("PGHOSTADDR") == NULL &&
	    getenv("PGDATABASE") == NULL && getenv("PGSERVICE") == NULL) {
		printf("bench_queue: skipped (no database: set PGHOST, PGDATABASE and PGUSER to a "
		    "superuser of a test cluster)\n");
		return 0;
	}
	db = db_open("");
	if (!db_connected(db)) {
		fprintf(stderr, "bench_queue: %s", db_detail(db));
		db_close(&db);
		return 1;
	}
	if (query_ll(db, "SELECT rolsuper::int FROM pg_roles WHERE rolname = current_user") != 1) {
		fprintf(stderr, "bench_queue: needs a superuser connection\n");
		db_close(&db);
		return 1;
	}
	print_machine(db);
	if (setup_office(db) != 0) {
		db_close(&db);
		return 1;
	}
	/* bench_queue N...: only those numbers of windows (1..200) */
	if (argc > 1) {
		nlevels = 0;
		for (int i = 1; i < argc && nlevels < sizeof levels / sizeof levels[0]; i++) {
			int n = atoi(argv[i]);

			if (n >= 1 && n <= MAX_WINDOWS)
				levels[nlevels++] = n;
		}
	}
	static struct figures calls[8], pops[3], floors[3], issues[3];
	static const int peer_levels[] = { 1, 16, 64 };
	struct db *peer, *fl;
	bool skipped;

	for (size_t i = 0; i < nlevels && rc == 0; i++)
		rc = round_at(db, K_CALL, NULL, levels[i], &calls[i]);
	for (size_t i = 0; i < 3 && rc == 0; i++)
		rc = round_at(db, K_ISSUE, NULL, peer_levels[i], &issues[i]);
	if (reset_office(db) != 0)
		rc = -1;
	fl = rc == 0 ? peer_open(db, FLOOR_DB, "bench/floor/floor.sql", NULL, &skipped) : NULL;
	if (rc == 0 && fl == NULL && !skipped)
		rc = -1;
	for (size_t i = 0; fl != NULL && i < 3 && rc == 0; i++)
		rc = round_at(db, K_FLOOR, fl, peer_levels[i], &floors[i]);
	if (fl != NULL && peer_drop(db, &fl, FLOOR_DB) != 0)
		rc = -1;
	peer = rc == 0 ? peer_open(db, PEER_DB, "bench/peer/pgmq.sql", "SELECT pgmq.create('q')",
	    &skipped) : NULL;
	if (rc == 0 && peer == NULL && !skipped)
		rc = -1;
	for (size_t i = 0; peer != NULL && i < 3 && rc == 0; i++)
		rc = round_at(db, K_POP, peer, peer_levels[i], &pops[i]);
	if (peer != NULL && peer_drop(db, &peer, PEER_DB) != 0)
		rc = -1;
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		for (size_t j = 0; j < nlevels; j++)
			if (calls[j].clients == peer_levels[i] && pops[i].rate > 0)
				printf("call-next / pgmq pop  %3d windows  %.2f× (p99 %.2f ms / %.2f ms)\n",
				    peer_levels[i], calls[j].rate / pops[i].rate, calls[j].p99,
				    pops[i].p99);
		if (floors[i].rate > 0 && pops[i].rate > 0)
			printf("floor / pgmq pop      %3d windows  %.2f× (p99 %.2f ms / %.2f ms)\n",
			    peer_levels[i], floors[i].rate / pops[i].rate, floors[i].p99, pops[i].p99);
	}
	db_close(&db);
	return rc == 0 ? 0 : 1;
}
