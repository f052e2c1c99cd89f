/*
 * A province on one server: 5,000 windows in 500 offices (10 each) calling
 * at 100 calls/s in all, their kiosks issuing 100 tickets/s and the
 * windows accepting 20 cases/s, open loop, for 60 s
 * (YC_BENCH_PROVINCE_SECONDS). Open loop: every operation has a fixed
 * scheduled time (call k at t0 + k × 10 ms, ...), sent then whatever
 * happened to the ones before, and its latency counts from that time, so
 * time spent waiting for a busy connection, a late event loop or a
 * backlog is in the figure. Prints p50 and p99 of call-next, issue and
 * accept, the rates achieved, and what the server's processes use in
 * memory (sum of the PSS of the postmaster and its children: shared
 * memory counted once), against the target p99 ≤ 20 ms. It measures; it
 * never fails on a figure.
 *
 * The network (created once, as the owner; kept between runs): a
 * prefecture 3690 压测市 under the province 36 of the demo, 50 counties
 * 369001 … 369050 with 9 townships each (369001001 …): 500 offices, open
 * 00:00–24:00 every day, each with windows 1–10 and a clerk per window
 * (p<office>_<window>), and 1,000 registered citizens. Before a run the
 * offices' queues are emptied, their sessions closed, 30 waiting tickets
 * put in each (inserted directly: issuing them is not what is measured)
 * and one open session made per window (also directly: 5,000 bcrypt
 * sign-ins would take minutes of CPU and are not what is measured).
 *
 * The operations are the workstation's and the kiosk's own statements:
 * call-next is yc.queue_call_next, then yc.queue_call_announce in a
 * transaction of its own in the same round trip (pipeline mode, as
 * queue_call_next() in tui/store/queue.c sends it); an issue is
 * yc.queue_issue of a normal ticket (one in five priority) at the office
 * the kiosk stands in; an accept is yc.case_intake of a 门诊费用报销
 * (002036006001, offered at county and township offices) with its whole
 * form and every material seen, outcome accept, as tui/store/cases.c
 * sends it. Call k is made by window k mod 5000 (window number
 * 1 + w / 500 of office w mod 500: consecutive calls hit different
 * offices), issue k at office k mod 500, accept k by window 1 of office
 * k mod 500 on that window's connection.
 *
 * Two variants, one after the other on the same network:
 *  - direct, as the product is deployed: one connection per window and one
 *    per kiosk (5,500; YC_BENCH_PROVINCE_CONNECTIONS caps them), all
 *    opened first, idle (what an idle backend costs), then warmed in
 *    batches of 110 (100 windows, 10 kiosks) with one untimed operation
 *    per connection: a window's first call-next, a kiosk's first issue,
 *    and window 1 of each office its first accept (a terminal's first
 *    statements of the day plan every statement of the functions; later
 *    ones reuse the plans). Opening stops when max_connections is full, a
 *    connection is refused, or the machine's available memory falls below
 *    a floor (YC_BENCH_PROVINCE_MIN_FREE_MB, default a quarter of the
 *    memory); warming stops at that floor too, and the connections not
 *    warmed are closed. The windows then share the connections there are
 *    (window w uses connection w mod n, office o's kiosk o mod k), and the
 *    output says so. The server's memory is read before connecting, with
 *    every connection idle, warmed, and after the run; the private memory
 *    of the backends by what their connection did.
 *  - pooled: YC_BENCH_PROVINCE_POOL connections (default 4 per CPU; 0
 *    skips the variant) shared by every window and kiosk, each operation
 *    on the first free one (a FIFO when none is), as a transaction pool
 *    would do it.
 * The connections are driven by one thread (libpq's asynchronous API,
 * non-blocking, pipeline mode, ppoll over the connections with an
 * operation in flight). Each run starts once the backends of closed
 * connections are gone (3,300 exiting at once stalled a run for a minute);
 * besides p50 and p99 it prints p99 by 10 s slices of due time, the share
 * of the run some task waited for a CPU (/proc/pressure/cpu), and, when
 * operations are left unfinished, what the busy backends wait for.
 *
 * Needs a superuser connection named by the libpq environment (PGHOST,
 * PGDATABASE, PGUSER), the demo and the catalogue loaded (bench/run.sh),
 * and for the memory figures a server on this machine whose /proc entries
 * it may read; without a configured database it prints why and exits 0.
 * bench/run.sh restarts its cluster with max_connections 6000 for this
 * benchmark and with 300 again after it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "benchlib.h"
#include "store/db.h"
#include "util/xalloc.h"

#define BP_NAME "bench_province"
#define BP_PREFECTURE "3690"
#define BP_COUNTIES 50
#define BP_TOWNSHIPS 9			/* per county, besides the county's own office */
#define BP_OFFICES (BP_COUNTIES * (1 + BP_TOWNSHIPS))
#define BP_PER_OFFICE 10
#define BP_WINDOWS (BP_OFFICES * BP_PER_OFFICE)
#define BP_KIOSKS BP_OFFICES
#define BP_PERSONS 1000
#define BP_PREFILL 30			/* waiting tickets per office before a run */
#define BP_BATCH_WINDOWS 100		/* direct variant: opened and warmed together */
#define BP_BATCH_KIOSKS 10
#define BP_CONNECTING 32		/* connection attempts in flight at once */
#define BP_TARGET_P99 20.0		/* ms, every operation */
#define BP_DRAIN_MS 30000.0		/* after the last scheduled operation */
#define BP_CASE_TYPE "002036006001"

static const char bp_conninfo[] = "client_encoding=UTF8 fallback_application_name=bench_province";

enum bp_kind { BP_CALL, BP_ISSUE, BP_ACCEPT, BP_KINDS };

static const char *const bp_kind_names[BP_KINDS] = { "call-next", "issue    ", "accept   " };
static const double bp_rates[BP_KINDS] = { 100.0, 100.0, 20.0 };	/* per second */

/* One operation: what, for whom, when it was due. */
struct bp_op {
	enum bp_kind kind;
	int target;			/* window index (call, accept) or office index (issue) */
	int seq;			/* the k of its stream */
	double due;			/* ms (bench_now_ms): latency counts from here */
	bool timed;			/* false for the warm-up */
	struct bp_op *next;
};

/* One libpq connection in pipeline mode, non-blocking, with the operation
 * in flight (cur) and those waiting for it (head … tail). */
struct bp_conn {
	PGconn *pg;
	struct bp_op *cur, *head, *tail;
	int syncs;			/* pipeline syncs still to come for cur */
	bool failed;			/* cur: the server or the connection failed */
	bool has_result;		/* cur: its first row was read */
	bool want_write;		/* output not yet flushed */
	char result[32];		/* cur: the result column ("ok", "empty" ...) */
	int busy_at;			/* index in bp.busy, -1 when nothing is in flight */
	int pool_idle_at;		/* pooled: index in bp.idle, -1 when busy */
	bool dead;
};

/* What one kind of operation measured in a phase. */
struct bp_stats {
	double *lat;			/* ms, of the timed operations done */
	double *due;			/* their due times */
	int n, cap;
	int scheduled, ok, refused, failed, unfinished;
	char refusal[32];		/* the first result other than ok */
	char error[200];		/* the first error */
	double last_done;
};

/* Memory of a set of processes, from /proc/PID/smaps_rollup, in kB. */
struct bp_mem {
	long long pss, rss, priv, pte;	/* pte: page tables (VmPTE), not in the PSS */
	int procs, unreadable;
};

static struct {
	struct db *db;			/* the owner's connection for setup and figures */
	char office[BP_OFFICES][12];
	long long session[BP_WINDOWS];	/* by window index office + BP_OFFICES × (window_no − 1) */
	char person[BP_PERSONS][19];
	char type_version[16];
	pid_t postmaster;		/* 0 when the server's processes cannot be read */
	long long mem_floor_mb;
	/* the connections of the variant running */
	struct bp_conn **win, **kiosk, **pool;
	int nwin, nkiosk, npool;
	bool pooled;
	struct bp_conn **busy;
	int nbusy, cap_busy;
	struct bp_conn **idle;		/* pooled: free connections */
	int nidle;
	struct bp_op *fifo_head, *fifo_tail;	/* pooled: waiting for a free connection */
	int outstanding;		/* operations dispatched, not yet done */
	struct bp_stats stats[BP_KINDS];
	bool low_memory;		/* the run stopped scheduling: memory below half the floor */
	double cpu_pressure;		/* share of the run some task waited for a CPU; -1 unknown */
} bp;

/* ---- small helpers ------------------------------------------------------ */

static int
bp_sql(const char *sql, int n, const char *const *params)
{
	if (db_exec(bp.db, sql, n, params) != DB_OK) {
		fprintf(stderr, BP_NAME ": %s\n  %s\n", sql, db_detail(bp.db));
		return -1;
	}
	return 0;
}

/* The one value of a one-row query, copied into buf ("" after saying why). */
static void
bp_value(const char *sql, char *buf, size_t size)
{
	PGresult *res = db_query(bp.db, NULL, sql, 0, NULL);

	buf[0] = '\0';
	if (res != NULL && PQntuples(res) == 1 && PQnfields(res) >= 1)
		snprintf(buf, size, "%s", PQgetvalue(res, 0, 0));
	else
		fprintf(stderr, BP_NAME ": %s\n  %s\n", sql, db_detail(bp.db));
	PQclear(res);
}

static long long
bp_value_ll(const char *sql)
{
	char buf[32];

	bp_value(sql, buf, sizeof buf);
	return buf[0] != '\0' ? strtoll(buf, NULL, 10) : -1;
}

/* A positive integer from the environment, def when unset or bad. */
static long long
bp_env(const char *name, long long def)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtoll(v, &end, 10);
	return *end == '\0' && n >= 0 ? n : def;
}

/* MemTotal or MemAvailable of /proc/meminfo in MB; -1 when unknown. */
static long long
bp_meminfo_mb(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ':') {
			v = strtoll(line + len + 1, NULL, 10) / 1024;
			break;
		}
	if (f != NULL)
		fclose(f);
	return v;
}

/* The first line of a small file into buf ("?" when unreadable). */
static void
bp_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, size, "?");
	if (f != NULL) {
		if (fgets(buf, (int)size, f) == NULL)
			snprintf(buf, size, "?");
		buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

/* A valid GB 11643 number of 丰城市 for citizen i (birth dates from 1950). */
static void
bp_make_id(char out[19], int i)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	struct tm tm = { .tm_year = 50, .tm_mon = 0, .tm_mday = 1 + i * 13, .tm_hour = 12 };
	char birth[9];
	int sum = 0;

	mktime(&tm);	/* normalises the day into a date */
	strftime(birth, sizeof birth, "%Y%m%d", &tm);
	snprintf(out, 19, "360981%s%03d", birth, i % 1000);
	for (int k = 0; k < 17; k++)
		sum += (out[k] - '0') * w[k];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* ---- memory of the server ---------------------------------------------- */

/* Adds the PSS, RSS and private memory of pid to m. */
static void
bp_mem_add(pid_t pid, struct bp_mem *m)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	if ((f = fopen(path, "r")) == NULL) {
		m->unreadable++;
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		long long kb;

		if (strncmp(line, "Pss:", 4) == 0 && sscanf(line, "Pss: %lld", &kb) == 1)
			m->pss += kb;
		else if (sscanf(line, "Rss: %lld", &kb) == 1)
			m->rss += kb;
		else if (sscanf(line, "Private_Clean: %lld", &kb) == 1 ||
		    sscanf(line, "Private_Dirty: %lld", &kb) == 1)
			m->priv += kb;
	}
	fclose(f);
	m->procs++;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		long long kb;

		if (sscanf(line, "VmPTE: %lld", &kb) == 1)
			m->pte += kb;
	}
	fclose(f);
}

/* The parent of pid, 0 when unknown. */
static pid_t
bp_parent(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* pid (comm) state ppid ...: comm may hold anything, so after the last ')' */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	return (pid_t)strtol(p + 3, NULL, 10);
}

/* The memory of the postmaster and all its children (false when the
 * server's processes cannot be read from here). */
static bool
bp_mem_server(struct bp_mem *m)
{
	DIR *d;
	struct dirent *e;

	memset(m, 0, sizeof *m);
	if (bp.postmaster == 0 || (d = opendir("/proc")) == NULL)
		return false;
	bp_mem_add(bp.postmaster, m);
	while ((e = readdir(d)) != NULL) {
		pid_t pid;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (bp_parent(pid) == bp.postmaster)
			bp_mem_add(pid, m);
	}
	closedir(d);
	return m->procs > 0;
}

/* The memory of the backends of n connections. */
static void
bp_mem_conns(struct bp_conn **c, int n, struct bp_mem *m)
{
	memset(m, 0, sizeof *m);
	for (int i = 0; i < n; i++)
		if (c[i] != NULL && !c[i]->dead && PQbackendPID(c[i]->pg) > 0)
			bp_mem_add((pid_t)PQbackendPID(c[i]->pg), m);
}

/* Finds the postmaster: the parent of the owner connection's backend, when
 * that process is a postgres of this machine. */
static void
bp_find_postmaster(void)
{
	long long be = bp_value_ll("SELECT pg_backend_pid()");
	char path[64], comm[64];
	pid_t pm;

	bp.postmaster = 0;
	if (be <= 0)
		return;
	snprintf(path, sizeof path, "/proc/%lld/comm", be);
	bp_read_line(path, comm, sizeof comm);
	if (strncmp(comm, "postgres", 8) != 0)
		return;
	pm = bp_parent((pid_t)be);
	snprintf(path, sizeof path, "/proc/%ld/comm", (long)pm);
	bp_read_line(path, comm, sizeof comm);
	if (pm > 1 && strncmp(comm, "postgres", 8) == 0)
		bp.postmaster = pm;
}

static void
bp_mem_print(const char *variant, const char *what, const struct bp_mem *m)
{
	printf(BP_NAME ": %s: server memory %s: %d processes, PSS %.0f MB (private %.0f MB), "
	    "page tables %.0f MB, RSS %.0f MB\n", variant, what, m->procs, m->pss / 1024.0,
	    m->priv / 1024.0, m->pte / 1024.0, m->rss / 1024.0);
}

/* ---- the network -------------------------------------------------------- */

/* Offices, windows, hours, clerks and citizens (kept between runs). */
static int
bp_setup_network(void)
{
	static const char *const sql[] = {
		"SET client_min_messages = warning",
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		" SELECT '36', '江西省医疗保障服务中心', 'province', NULL, '360000'"
		" WHERE NOT EXISTS (SELECT 1 FROM yc.office WHERE code = '36')",
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code) VALUES"
		" ('" BP_PREFECTURE "', '压测市医疗保障服务中心', 'prefecture', '36', '"
		BP_PREFECTURE "00') ON CONFLICT (code) DO NOTHING",
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		" SELECT '" BP_PREFECTURE "' || lpad(c::text, 2, '0'), '压测' || c || '县医疗保障服务中心',"
		"  'county', '" BP_PREFECTURE "', '" BP_PREFECTURE "' || lpad(c::text, 2, '0')"
		" FROM generate_series(1, 50) c ON CONFLICT (code) DO NOTHING",
		"INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		" SELECT o.code || lpad(t::text, 3, '0'), '压测' || right(o.code, 2) || '县' || t || '号街道医保所',"
		"  'township', o.code, o.code"
		" FROM yc.office o, generate_series(1, 9) t"
		" WHERE o.parent_code = '" BP_PREFECTURE "' ON CONFLICT (code) DO NOTHING",
		"INSERT INTO yc.service_window (office_code, window_no, label)"
		" SELECT o.code, n, n || '号窗口' FROM yc.office o, generate_series(1, 10) n"
		" WHERE o.code LIKE '" BP_PREFECTURE "%' AND o.tier IN ('county', 'township')"
		" ON CONFLICT DO NOTHING",
		/* a province runs around the clock here: the benchmark runs at any hour */
		"INSERT INTO yc.office_hours (office_code, dow, morning_open, morning_close, noon, updated_by)"
		" SELECT o.code, d, '00:00', '24:00', false, 'bench_province'"
		" FROM yc.office o, generate_series(1, 8) d"
		" WHERE o.code LIKE '" BP_PREFECTURE "%' AND o.tier IN ('county', 'township')"
		" ON CONFLICT (office_code, dow) DO UPDATE SET morning_open = '00:00',"
		"  morning_close = '24:00', afternoon_open = NULL, afternoon_close = NULL, noon = false",
		"INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
		" SELECT 'p' || w.office_code || '_' || w.window_no, '压测柜员' || w.office_code || '-' || w.window_no,"
		"  'clerk', w.office_code, '$2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234'"
		" FROM yc.service_window w WHERE w.office_code LIKE '" BP_PREFECTURE "%'"
		" ON CONFLICT (staff_no) DO NOTHING",
	};
	static char ids[2 + BP_PERSONS * 19];
	const char *p[] = { ids };
	size_t len = 0;
	PGresult *res;

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (bp_sql(sql[i], 0, NULL) != 0)
			return -1;
	ids[len++] = '{';
	for (int i = 0; i < BP_PERSONS; i++) {
		bp_make_id(bp.person[i], i);
		if (i > 0)
			ids[len++] = ',';
		memcpy(ids + len, bp.person[i], 18);
		len += 18;
	}
	ids[len++] = '}';
	ids[len] = '\0';
	if (bp_sql("INSERT INTO yc.person (id_no, name, phone)"
	    " SELECT i, '压测市民' || right(i, 6), '13900000000' FROM unnest($1::text[]) i"
	    " ON CONFLICT (id_no) DO NOTHING", 1, p) != 0)
		return -1;
	res = db_query(bp.db, NULL, "SELECT code FROM yc.office WHERE code LIKE '" BP_PREFECTURE "%'"
	    " AND tier IN ('county', 'township') ORDER BY code", 0, NULL);
	if (res == NULL || PQntuples(res) != BP_OFFICES) {
		fprintf(stderr, BP_NAME ": the offices: %d, not %d\n", res != NULL ? PQntuples(res) : -1,
		    BP_OFFICES);
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < BP_OFFICES; i++)
		snprintf(bp.office[i], sizeof bp.office[i], "%s", PQgetvalue(res, i, 0));
	PQclear(res);
	bp_value("SELECT max(version) FROM yc.case_type WHERE code = '" BP_CASE_TYPE "'",
	    bp.type_version, sizeof bp.type_version);
	if (bp.type_version[0] == '\0') {
		fprintf(stderr, BP_NAME ": case type " BP_CASE_TYPE " not loaded (yichuang forms load)\n");
		return -1;
	}
	return 0;
}

/* Empties the offices' queues, closes their sessions, puts BP_PREFILL
 * waiting tickets in each and opens one session per window. */
static int
bp_reset(bool open_sessions)
{
	static const char *const sql[] = {
		"UPDATE yc.staff_session SET ended_at = now(), end_reason = 'bench'"
		" WHERE office_code LIKE '" BP_PREFECTURE "%' AND ended_at IS NULL",
		"DELETE FROM yc.appointment WHERE office_code LIKE '" BP_PREFECTURE "%'",
		"DELETE FROM yc.ticket WHERE office_code LIKE '" BP_PREFECTURE "%'"
		" AND ticket_id NOT IN (SELECT ticket_id FROM yc.service_case"
		"  WHERE office_code LIKE '" BP_PREFECTURE "%' AND ticket_id IS NOT NULL)",
		"DELETE FROM yc.ticket_counter WHERE office_code LIKE '" BP_PREFECTURE "%'",
		"DELETE FROM yc.window_state WHERE office_code LIKE '" BP_PREFECTURE "%'",
		"DELETE FROM yc.queue_office_state WHERE office_code LIKE '" BP_PREFECTURE "%'",
	};
	PGresult *res;

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (bp_sql(sql[i], 0, NULL) != 0)
			return -1;
	if (!open_sessions)
		return 0;
	if (bp_sql("WITH g AS ("
	    "  SELECT o.code, i, CASE WHEN i % 5 = 0 THEN 'priority' ELSE 'normal' END AS class"
	    "  FROM yc.office o, generate_series(1, 30) i"
	    "  WHERE o.code LIKE '" BP_PREFECTURE "%' AND o.tier IN ('county', 'township')),"
	    " s AS (SELECT code, i, class, row_number() OVER (PARTITION BY code, class ORDER BY i) AS seq FROM g)"
	    " INSERT INTO yc.ticket (office_code, day, class, seq, number, issued_at)"
	    " SELECT code, yc.queue_day(now()), class, seq, yc.queue_number(class, seq::int),"
	    "   now() - make_interval(secs => (30 - i) * 60 + 60)"
	    " FROM s", 0, NULL) != 0 ||
	    bp_sql("INSERT INTO yc.ticket_counter (office_code, day, class, last_seq)"
	    " SELECT office_code, day, class, max(seq) FROM yc.ticket WHERE office_code LIKE '"
	    BP_PREFECTURE "%' AND day = yc.queue_day(now()) GROUP BY 1, 2, 3", 0, NULL) != 0)
		return -1;
	res = db_query(bp.db, NULL, "INSERT INTO yc.staff_session (office_code, staff_no, window_no, client)"
	    " SELECT w.office_code, 'p' || w.office_code || '_' || w.window_no, w.window_no, 'bench_province'"
	    " FROM yc.service_window w WHERE w.office_code LIKE '" BP_PREFECTURE "%'"
	    " RETURNING office_code, window_no, session_id", 0, NULL);
	if (res == NULL || PQntuples(res) != BP_WINDOWS) {
		fprintf(stderr, BP_NAME ": sessions: %s\n", db_detail(bp.db));
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < BP_WINDOWS; i++) {
		const char *code = PQgetvalue(res, i, 0);
		int wn = atoi(PQgetvalue(res, i, 1)), o;

		for (o = 0; o < BP_OFFICES && strcmp(bp.office[o], code) != 0; o++)
			;
		if (o == BP_OFFICES || wn < 1 || wn > BP_PER_OFFICE) {
			PQclear(res);
			return -1;
		}
		bp.session[o + BP_OFFICES * (wn - 1)] = strtoll(PQgetvalue(res, i, 2), NULL, 10);
	}
	PQclear(res);
	return bp_sql("ANALYZE yc.ticket", 0, NULL);
}

/* ---- connections and the event loop ------------------------------------ */

static void
bp_busy_add(struct bp_conn *c)
{
	if (c->busy_at >= 0)
		return;
	if (bp.nbusy == bp.cap_busy) {
		bp.cap_busy = bp.cap_busy > 0 ? 2 * bp.cap_busy : 256;
		bp.busy = xrealloc(bp.busy, (size_t)bp.cap_busy * sizeof *bp.busy);
	}
	c->busy_at = bp.nbusy;
	bp.busy[bp.nbusy++] = c;
}

static void
bp_busy_remove(struct bp_conn *c)
{
	if (c->busy_at < 0)
		return;
	bp.busy[c->busy_at] = bp.busy[--bp.nbusy];
	bp.busy[c->busy_at]->busy_at = c->busy_at;
	c->busy_at = -1;
}

static void
bp_stats_reset(void)
{
	for (int k = 0; k < BP_KINDS; k++) {
		free(bp.stats[k].lat);
		free(bp.stats[k].due);
		memset(&bp.stats[k], 0, sizeof bp.stats[k]);
	}
}

/* Records what op did (latency from its due time when timed) and frees it. */
static void
bp_done(struct bp_op *op, bool failed, const char *result, const char *error)
{
	struct bp_stats *s = &bp.stats[op->kind];
	double now = bench_now_ms();

	bp.outstanding--;
	if (op->timed) {
		if (s->n == s->cap) {
			s->cap = s->cap > 0 ? 2 * s->cap : 1024;
			s->lat = xrealloc(s->lat, (size_t)s->cap * sizeof *s->lat);
			s->due = xrealloc(s->due, (size_t)s->cap * sizeof *s->due);
		}
		s->due[s->n] = op->due;
		s->lat[s->n++] = now - op->due;
		s->last_done = now;
	}
	if (failed) {
		if (op->timed)
			s->failed++;
		if (s->error[0] == '\0' && error != NULL)
			snprintf(s->error, sizeof s->error, "%s", error);
	} else if (strcmp(result, "ok") == 0) {
		if (op->timed)
			s->ok++;
	} else {
		if (op->timed)
			s->refused++;
		if (s->refusal[0] == '\0')
			snprintf(s->refusal, sizeof s->refusal, "%s", result);
	}
	free(op);
}

/* Sends op on c (idle, alive); fails op when sending fails. */
static void
bp_send(struct bp_conn *c, struct bp_op *op)
{
	char sid[24], kiosk[48], ver[16];
	int ok;

	c->cur = op;
	c->failed = false;
	c->has_result = false;
	c->result[0] = '\0';
	switch (op->kind) {
	case BP_CALL: {
		const char *p[] = { sid };

		db_id(sid, bp.session[op->target]);
		ok = PQsendQueryParams(c->pg, "SELECT r.result, (r.tk).* FROM yc.queue_call_next($1::bigint) r",
		    1, NULL, p, NULL, NULL, 0) && PQpipelineSync(c->pg) &&
		    PQsendQueryParams(c->pg, "SELECT yc.queue_call_announce()", 0, NULL, NULL, NULL, NULL, 0) &&
		    PQpipelineSync(c->pg);
		c->syncs = 2;
		break;
	}
	case BP_ISSUE: {
		const char *p[] = { bp.office[op->target], op->seq % 5 == 4 ? "priority" : "normal",
		    NULL, NULL, NULL, kiosk, NULL };

		snprintf(kiosk, sizeof kiosk, "bench_province kiosk %d", op->target);
		ok = PQsendQueryParams(c->pg, "SELECT r.result, (r.tk).*, r.ahead, r.est_wait_minutes, "
		    "r.office_name, r.placed, r.to_window, r.opens_at "
		    "FROM yc.queue_issue($1, $2, $3, $4, $5::bigint, $6, $7::int) r",
		    7, NULL, p, NULL, NULL, 0) && PQpipelineSync(c->pg);
		c->syncs = 1;
		break;
	}
	case BP_ACCEPT: {
		const char *id = bp.person[op->seq % BP_PERSONS];
		char *values = xasprintf("{%s,13900000000,100.00,2026-01-05,6222021234567890128,offsite}", id);
		const char *p[] = {
			sid, NULL, BP_CASE_TYPE, ver, id, "window", NULL, NULL,
			"{id_no,phone,amount,visit_date,bank_card,reason}", values, NULL,
			"{credential,invoice,bill,chronic_cert}", "{}", "accept", NULL, NULL, NULL,
		};

		db_id(sid, bp.session[op->target]);
		snprintf(ver, sizeof ver, "%s", bp.type_version);
		ok = PQsendQueryParams(c->pg, "SELECT result, case_no, notice_no, status, accepted, promised "
		    "FROM yc.case_intake($1::bigint, $2, $3, $4::int, $5, $6, $7, $8, $9::text[], "
		    "$10::text[], $11::bigint, $12::text[], $13::text[], $14, $15, $16, $17)",
		    17, NULL, p, NULL, NULL, 0) && PQpipelineSync(c->pg);
		free(values);
		c->syncs = 1;
		break;
	}
	case BP_KINDS:
	default:
		ok = 0;
		break;
	}
	if (!ok) {
		c->cur = NULL;
		c->dead = PQstatus(c->pg) != CONNECTION_OK;
		bp_done(op, true, NULL, PQerrorMessage(c->pg));
		return;
	}
	c->want_write = PQflush(c->pg) == 1;
	bp_busy_add(c);
}

/* The next operation for c, now idle: its own queue, or the pool's FIFO. */
static void
bp_next(struct bp_conn *c)
{
	struct bp_op *op = c->head;

	if (op != NULL) {
		if ((c->head = op->next) == NULL)
			c->tail = NULL;
	} else if (bp.pooled && (op = bp.fifo_head) != NULL) {
		if ((bp.fifo_head = op->next) == NULL)
			bp.fifo_tail = NULL;
	}
	if (op != NULL) {
		op->next = NULL;
		bp_send(c, op);
		if (c->cur != NULL || !bp.pooled)
			return;
		bp_next(c);
		return;
	}
	bp_busy_remove(c);
	if (bp.pooled && c->pool_idle_at < 0 && !c->dead) {
		c->pool_idle_at = bp.nidle;
		bp.idle[bp.nidle++] = c;
	}
}

/* A connection that broke: its operations fail. */
static void
bp_kill(struct bp_conn *c)
{
	const char *msg = PQerrorMessage(c->pg);

	c->dead = true;
	if (c->cur != NULL)
		bp_done(c->cur, true, NULL, msg);
	c->cur = NULL;
	while (c->head != NULL) {
		struct bp_op *op = c->head;

		c->head = op->next;
		bp_done(op, true, NULL, msg);
	}
	c->tail = NULL;
	bp_busy_remove(c);
}

/* Reads what arrived on c; completes its operation when its last sync came. */
static void
bp_read(struct bp_conn *c)
{
	int nulls = 0;

	if (!PQconsumeInput(c->pg)) {
		bp_kill(c);
		return;
	}
	while (c->cur != NULL && !PQisBusy(c->pg)) {
		PGresult *r = PQgetResult(c->pg);

		if (r == NULL) {
			/* between the results of two statements; more than that
			 * with nothing to read means the pipeline lost track */
			if (++nulls > 2) {
				bp_kill(c);
				return;
			}
			continue;
		}
		nulls = 0;
		switch (PQresultStatus(r)) {
		case PGRES_TUPLES_OK:
			if (!c->has_result && PQntuples(r) >= 1 && PQnfields(r) >= 1) {
				c->has_result = true;
				snprintf(c->result, sizeof c->result, "%s", PQgetvalue(r, 0, 0));
				/* an accepted case must say so */
				if (c->cur->kind == BP_ACCEPT && strcmp(c->result, "ok") == 0 &&
				    PQnfields(r) >= 4 && strcmp(PQgetvalue(r, 0, 3), "accepted") != 0)
					snprintf(c->result, sizeof c->result, "status %s", PQgetvalue(r, 0, 3));
			}
			break;
		case PGRES_PIPELINE_SYNC:
			if (--c->syncs == 0) {
				struct bp_op *op = c->cur;

				c->cur = NULL;
				bp_done(op, c->failed || !c->has_result, c->result,
				    c->failed ? NULL : "no result row");
				PQclear(r);
				bp_next(c);
				return;
			}
			break;
		case PGRES_FATAL_ERROR:
			if (!c->failed && bp.stats[c->cur->kind].error[0] == '\0')
				snprintf(bp.stats[c->cur->kind].error, sizeof bp.stats[c->cur->kind].error, "%s",
				    PQresultErrorMessage(r));
			c->failed = true;
			break;
		case PGRES_PIPELINE_ABORTED:
			c->failed = true;
			break;
		case PGRES_EMPTY_QUERY:
		case PGRES_COMMAND_OK:
		case PGRES_COPY_OUT:
		case PGRES_COPY_IN:
		case PGRES_BAD_RESPONSE:
		case PGRES_NONFATAL_ERROR:
		case PGRES_COPY_BOTH:
		case PGRES_SINGLE_TUPLE:
		default:
			break;
		}
		PQclear(r);
	}
	if (PQstatus(c->pg) != CONNECTION_OK)
		bp_kill(c);
}

/* Sends op on its connection: the window's or the kiosk's (direct), or the
 * first free one of the pool; queued when that one is busy. */
static void
bp_dispatch(struct bp_op *op)
{
	struct bp_conn *c = NULL;

	bp.outstanding++;
	if (bp.pooled) {
		if (bp.nidle == 0) {
			op->next = NULL;
			if (bp.fifo_tail != NULL)
				bp.fifo_tail->next = op;
			else
				bp.fifo_head = op;
			bp.fifo_tail = op;
			return;
		}
		c = bp.idle[--bp.nidle];
		c->pool_idle_at = -1;
	} else if (op->kind == BP_ISSUE)
		c = bp.nkiosk > 0 ? bp.kiosk[op->target % bp.nkiosk] : NULL;
	else
		c = bp.nwin > 0 ? bp.win[op->target % bp.nwin] : NULL;
	if (c == NULL || c->dead) {
		bp_done(op, true, NULL, "no connection");
		return;
	}
	if (c->cur == NULL) {
		bp_send(c, op);
		if (bp.pooled && c->cur == NULL)
			bp_next(c);
		return;
	}
	op->next = NULL;
	if (c->tail != NULL)
		c->tail->next = op;
	else
		c->head = op;
	c->tail = op;
}

static void
bp_dispatch_new(enum bp_kind kind, int target, int seq, double due, bool timed)
{
	struct bp_op *op = xcalloc(1, sizeof *op);

	op->kind = kind;
	op->target = target;
	op->seq = seq;
	op->due = due;
	op->timed = timed;
	bp_dispatch(op);
}

/* Waits up to wait_ms for the connections with an operation in flight and
 * handles what they sent. */
static void
bp_pump(double wait_ms)
{
	static struct pollfd *fds;
	static int cap;
	struct timespec ts;
	int n = bp.nbusy, r;

	if (wait_ms < 0)
		wait_ms = 0;
	ts.tv_sec = (time_t)(wait_ms / 1e3);
	ts.tv_nsec = (long)((wait_ms - (double)ts.tv_sec * 1e3) * 1e6);
	if (n > cap) {
		cap = n;
		fds = xrealloc(fds, (size_t)cap * sizeof *fds);
	}
	for (int i = 0; i < n; i++) {
		fds[i].fd = PQsocket(bp.busy[i]->pg);
		fds[i].events = (short)(POLLIN | (bp.busy[i]->want_write ? POLLOUT : 0));
		fds[i].revents = 0;
	}
	r = ppoll(fds, (nfds_t)n, &ts, NULL);
	if (r <= 0)
		return;
	/* bp.busy changes while handling: remember the connections first */
	{
		struct bp_conn **ready = xcalloc((size_t)r, sizeof *ready);
		int nr = 0;

		for (int i = 0; i < n && nr < r; i++)
			if (fds[i].revents != 0)
				ready[nr++] = bp.busy[i];
		for (int i = 0; i < nr; i++) {
			struct bp_conn *c = ready[i];

			if (c->cur == NULL || c->dead)
				continue;
			if (c->want_write)
				c->want_write = PQflush(c->pg) == 1;
			bp_read(c);
		}
		free(ready);
	}
}

/* Waits until every operation dispatched is done, at most ms. */
static void
bp_drain(double ms)
{
	double end = bench_now_ms() + ms;

	while (bp.outstanding > 0 && bench_now_ms() < end)
		bp_pump(end - bench_now_ms() < 100 ? end - bench_now_ms() : 100);
}

/* Opens up to n connections (BP_CONNECTING at a time) into out; the
 * number opened, *why the first failure ("" when none). Stops at the first
 * refusal. */
static int
bp_connect(struct bp_conn **out, int n, char *why, size_t why_size)
{
	PGconn *pend[BP_CONNECTING];
	PostgresPollingStatusType st[BP_CONNECTING];
	int npend = 0, started = 0, done = 0;
	bool stop = false;

	why[0] = '\0';
	while ((started < n && !stop) || npend > 0) {
		struct pollfd fds[BP_CONNECTING];

		while (!stop && started < n && npend < BP_CONNECTING) {
			PGconn *c = PQconnectStart(bp_conninfo);

			started++;
			if (c == NULL || PQstatus(c) == CONNECTION_BAD) {
				snprintf(why, why_size, "%s", c != NULL ? PQerrorMessage(c) : "out of memory");
				PQfinish(c);
				stop = true;
				break;
			}
			pend[npend] = c;
			st[npend++] = PGRES_POLLING_WRITING;
		}
		for (int i = 0; i < npend; i++) {
			fds[i].fd = PQsocket(pend[i]);
			fds[i].events = st[i] == PGRES_POLLING_READING ? POLLIN : POLLOUT;
			fds[i].revents = 0;
		}
		if (npend == 0)
			break;
		if (poll(fds, (nfds_t)npend, 10000) <= 0) {
			snprintf(why, why_size, "connecting timed out");
			for (int i = 0; i < npend; i++)
				PQfinish(pend[i]);
			break;
		}
		for (int i = npend - 1; i >= 0; i--) {
			if (fds[i].revents == 0)
				continue;
			st[i] = PQconnectPoll(pend[i]);
			if (st[i] == PGRES_POLLING_OK || st[i] == PGRES_POLLING_FAILED) {
				PGconn *c = pend[i];

				pend[i] = pend[npend - 1];
				st[i] = st[npend - 1];
				npend--;
				if (PQstatus(c) == CONNECTION_OK) {
					struct bp_conn *bc = xcalloc(1, sizeof *bc);

					if (PQsetnonblocking(c, 1) != 0 || !PQenterPipelineMode(c)) {
						snprintf(why, why_size, "%s", PQerrorMessage(c));
						PQfinish(c);
						free(bc);
						stop = true;
						continue;
					}
					bc->pg = c;
					bc->busy_at = -1;
					bc->pool_idle_at = -1;
					out[done++] = bc;
				} else {
					if (why[0] == '\0')
						snprintf(why, why_size, "%s", PQerrorMessage(c));
					PQfinish(c);
					stop = true;
				}
			}
		}
	}
	why[strcspn(why, "\n")] = '\0';
	return done;
}

/* Closes n connections; their operations not done fail (not counted:
 * the figures are read before). */
static void
bp_close_all(struct bp_conn **c, int n)
{
	for (int i = 0; i < n; i++) {
		if (c[i] == NULL)
			continue;
		bp_kill(c[i]);
		if (c[i]->pool_idle_at >= 0) {
			bp.idle[c[i]->pool_idle_at] = bp.idle[--bp.nidle];
			bp.idle[c[i]->pool_idle_at]->pool_idle_at = c[i]->pool_idle_at;
		}
		PQfinish(c[i]->pg);
		free(c[i]);
		c[i] = NULL;
	}
}

/* ---- a run -------------------------------------------------------------- */

static double
bp_pct(const double *lat, int n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)((double)n * q);
	return lat[i < (size_t)n ? i : (size_t)n - 1];
}

/* The total of /proc/pressure/cpu "some" in µs (-1 when unknown). */
static long long
bp_cpu_pressure_us(void)
{
	char line[256];
	long long total = -1;
	FILE *f = fopen("/proc/pressure/cpu", "r");
	const char *t;

	if (f != NULL && fgets(line, sizeof line, f) != NULL && (t = strstr(line, "total=")) != NULL)
		total = strtoll(t + 6, NULL, 10);
	if (f != NULL)
		fclose(f);
	return total;
}

/* The open loop for seconds s: every stream at its rate from t0, then the
 * stragglers (at most BP_DRAIN_MS). Stops scheduling early when the
 * machine's available memory falls below half the floor. Returns t0. */
static double
bp_run(double seconds)
{
	double t0 = bench_now_ms() + 50, end = t0 + seconds * 1e3, next_mem = t0 + 1000;
	int count[BP_KINDS] = { 0 };
	long long psi0 = bp_cpu_pressure_us();

	bp_stats_reset();
	bp.low_memory = false;
	for (;;) {
		double now = bench_now_ms(), wake = now + 100;
		bool more = false;

		for (int k = 0; k < BP_KINDS; k++) {
			double due = t0 + count[k] * 1e3 / bp_rates[k];

			while (due <= now && due < end && !bp.low_memory) {
				int seq = count[k]++;
				int target = k == BP_CALL ? seq % BP_WINDOWS : seq % BP_OFFICES;

				bp.stats[k].scheduled++;
				bp_dispatch_new((enum bp_kind)k, target, seq, due, true);
				due = t0 + count[k] * 1e3 / bp_rates[k];
			}
			if (due < end && !bp.low_memory) {
				more = true;
				if (due < wake)
					wake = due;
			}
		}
		if (now >= next_mem) {
			long long avail = bp_meminfo_mb("MemAvailable");

			if (avail >= 0 && avail < bp.mem_floor_mb / 2)
				bp.low_memory = true;
			next_mem = now + 1000;
		}
		if (!more)
			break;
		bp_pump(wake - bench_now_ms());
	}
	bp.cpu_pressure = psi0 >= 0 && bp_cpu_pressure_us() >= psi0 ?
	    (double)(bp_cpu_pressure_us() - psi0) / 1e3 / (bench_now_ms() - t0) : -1;
	bp_drain(BP_DRAIN_MS);
	for (int k = 0; k < BP_KINDS; k++) {
		struct bp_stats *s = &bp.stats[k];

		s->unfinished = s->scheduled - s->ok - s->refused - s->failed;
	}
	return t0;
}

/* p99 of kind k by slices of 10 s of due time, into buf. */
static void
bp_slices(const struct bp_stats *s, double t0, double seconds, char *buf, size_t size)
{
	int nslices = (int)((seconds + 9.999) / 10), m;
	double *lat = xcalloc((size_t)s->n + 1, sizeof *lat);
	size_t len = 0;

	buf[0] = '\0';
	for (int sl = 0; sl < nslices && len < size; sl++) {
		m = 0;
		for (int i = 0; i < s->n; i++)
			if ((int)((s->due[i] - t0) / 1e4) == sl)
				lat[m++] = s->lat[i];
		bench_sort(lat, m);
		len += (size_t)snprintf(buf + len, size - len, "%s%.0f", sl > 0 ? " " : "",
		    bp_pct(lat, m, 0.99));
	}
	free(lat);
}

static void
bp_report(const char *variant, double t0, double seconds)
{
	bool met = true;

	if (bp.low_memory)
		printf(BP_NAME ": %s: scheduling stopped early: available memory below %lld MB\n",
		    variant, bp.mem_floor_mb / 2);
	for (int k = 0; k < BP_KINDS; k++) {
		struct bp_stats *s = &bp.stats[k];
		double span = (s->last_done - t0) / 1e3, *sorted, p50, p99;
		char slices[256];

		if (span < seconds)
			span = seconds;
		bp_slices(s, t0, seconds, slices, sizeof slices);
		sorted = xcalloc((size_t)s->n + 1, sizeof *sorted);
		memcpy(sorted, s->lat, (size_t)s->n * sizeof *sorted);
		bench_sort(sorted, s->n);
		p50 = bp_pct(sorted, s->n, 0.5);
		p99 = bp_pct(sorted, s->n, 0.99);
		printf(BP_NAME ": %s: %s %6d due (%.0f/s), %6d done (%.1f/s), p50 %7.2f ms, p99 %7.2f ms"
		    "%s", variant, bp_kind_names[k], s->scheduled, bp_rates[k], s->n,
		    (double)s->n / span, p50, p99, p99 <= BP_TARGET_P99 ? "" : " (over the target)");
		if (s->refused > 0)
			printf(", %d refused (first: %s)", s->refused, s->refusal);
		if (s->failed > 0)
			printf(", %d failed", s->failed);
		if (s->unfinished > 0)
			printf(", %d unfinished after %.0f s", s->unfinished, BP_DRAIN_MS / 1e3);
		printf("; p99 by 10 s: %s ms\n", slices);
		if (s->error[0] != '\0')
			printf(BP_NAME ": %s: %s first error: %.*s\n", variant, bp_kind_names[k],
			    (int)strcspn(s->error, "\n"), s->error);
		if (p99 > BP_TARGET_P99 || s->n < s->scheduled)
			met = false;
		free(sorted);
	}
	if (bp.cpu_pressure >= 0)
		printf(BP_NAME ": %s: CPU pressure during the run (/proc/pressure/cpu some): %.0f %%\n",
		    variant, 100 * bp.cpu_pressure);
	printf(BP_NAME ": %s: target p99 <= %.0f ms for every operation: %s\n", variant,
	    BP_TARGET_P99, met ? "met" : "not met");
	fflush(stdout);
}

/* Dispatches the warm-up of window connections [from, to) and kiosk
 * connections [kfrom, kto) and waits for it: each window's first
 * call-next, each kiosk's first issue, window 1 of each office its first
 * accept. */
static void
bp_warm(int from, int to, int kfrom, int kto)
{
	double now = bench_now_ms();

	for (int w = from; w < to; w++) {
		bp_dispatch_new(BP_CALL, w, w, now, false);
		if (w < BP_OFFICES)
			bp_dispatch_new(BP_ACCEPT, w, w, now, false);
	}
	for (int o = kfrom; o < kto; o++)
		bp_dispatch_new(BP_ISSUE, o, o, now, false);
	bp_drain(120000);
}

/* Warm-up failures are said once (they are not timed). */
static void
bp_warm_errors(const char *variant)
{
	for (int k = 0; k < BP_KINDS; k++) {
		if (bp.stats[k].error[0] != '\0')
			printf(BP_NAME ": %s: warm-up %s error: %.*s\n", variant, bp_kind_names[k],
			    (int)strcspn(bp.stats[k].error, "\n"), bp.stats[k].error);
		else if (bp.stats[k].refusal[0] != '\0')
			printf(BP_NAME ": %s: warm-up %s refused: %s\n", variant, bp_kind_names[k],
			    bp.stats[k].refusal);
	}
	bp_stats_reset();
}

/* Opens window and kiosk connections, idle, in batches of BP_BATCH_WINDOWS
 * and BP_BATCH_KIOSKS, up to want in all; stops at the memory floor or
 * the first refusal (said in why). */
static void
bp_open_idle(int want, char *why, size_t why_size)
{
	why[0] = '\0';
	while ((bp.nwin < BP_WINDOWS || bp.nkiosk < BP_KIOSKS) && bp.nwin + bp.nkiosk < want) {
		int nw = BP_WINDOWS - bp.nwin < BP_BATCH_WINDOWS ? BP_WINDOWS - bp.nwin : BP_BATCH_WINDOWS;
		int nk = BP_KIOSKS - bp.nkiosk < BP_BATCH_KIOSKS ? BP_KIOSKS - bp.nkiosk : BP_BATCH_KIOSKS;
		int left = want - bp.nwin - bp.nkiosk;
		long long avail = bp_meminfo_mb("MemAvailable");

		if (avail >= 0 && avail < bp.mem_floor_mb) {
			snprintf(why, why_size, "available memory %lld MB, below the floor of %lld MB",
			    avail, bp.mem_floor_mb);
			return;
		}
		if (nw + nk > left) {
			nk = nk * left / (nw + nk);
			nw = left - nk;
		}
		bp.nwin += bp_connect(bp.win + bp.nwin, nw, why, why_size);
		if (why[0] == '\0')
			bp.nkiosk += bp_connect(bp.kiosk + bp.nkiosk, nk, why, why_size);
		if (why[0] != '\0')
			return;
	}
}

/* Warms the idle connections batch by batch (bp_warm) while the machine
 * has memory above the floor; closes those it could not warm (a cold
 * connection would warm up in the run, its first statements planned
 * there). Says why it stopped in why (left alone when it did not). */
static void
bp_warm_all(char *why, size_t why_size)
{
	int w = 0, k = 0;

	while (w < bp.nwin || k < bp.nkiosk) {
		int w1 = w + BP_BATCH_WINDOWS < bp.nwin ? w + BP_BATCH_WINDOWS : bp.nwin;
		int k1 = k + BP_BATCH_KIOSKS < bp.nkiosk ? k + BP_BATCH_KIOSKS : bp.nkiosk;
		long long avail = bp_meminfo_mb("MemAvailable");

		if (avail >= 0 && avail < bp.mem_floor_mb) {
			snprintf(why, why_size, "warming stopped at available memory %lld MB, below the floor "
			    "of %lld MB", avail, bp.mem_floor_mb);
			break;
		}
		bp_warm(w, w1, k, k1);
		w = w1;
		k = k1;
	}
	bp_close_all(bp.win + w, bp.nwin - w);
	bp_close_all(bp.kiosk + k, bp.nkiosk - k);
	bp.nwin = w;
	bp.nkiosk = k;
}

/* The private memory of the backends by what their connection did:
 * call-next and accept (window 1 of each office), call-next only (the
 * other windows), issue only (kiosks). */
static void
bp_mem_print_classes(const char *variant)
{
	struct bp_mem both, call, issue;
	int n1 = bp.nwin < BP_OFFICES ? bp.nwin : BP_OFFICES;

	bp_mem_conns(bp.win, n1, &both);
	bp_mem_conns(bp.win + n1, bp.nwin - n1, &call);
	bp_mem_conns(bp.kiosk, bp.nkiosk, &issue);
	printf(BP_NAME ": %s: private memory of a backend that has called and accepted %.1f MB (%d), "
	    "only called %.1f MB (%d), only issued %.1f MB (%d)\n", variant,
	    both.priv / 1024.0 / (both.procs > 0 ? both.procs : 1), both.procs,
	    call.priv / 1024.0 / (call.procs > 0 ? call.procs : 1), call.procs,
	    issue.priv / 1024.0 / (issue.procs > 0 ? issue.procs : 1), issue.procs);
}

/* Waits (at most 60 s) until the server has n backends of this benchmark:
 * those of closed connections take a while to go. */
static void
bp_settle(int n)
{
	for (int i = 0; i < 600 && bp_value_ll("SELECT count(*) FROM pg_stat_activity"
	    " WHERE application_name = 'bench_province'") > n; i++)
		usleep(100000);
}

/* When operations were left unfinished: what the backends of this
 * benchmark that are not idle wait for, counted. */
static void
bp_print_waits(const char *variant)
{
	PGresult *res;

	if (bp.outstanding == 0)
		return;
	res = db_query(bp.db, NULL, "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' '"
	    " || state || ' ' || count(*) FROM pg_stat_activity"
	    " WHERE application_name = 'bench_province' AND state <> 'idle'"
	    " GROUP BY wait_event_type, wait_event, state ORDER BY count(*) DESC LIMIT 8", 0, NULL);
	printf(BP_NAME ": %s: %d operations still in flight or queued; the backends not idle:", variant,
	    bp.outstanding);
	for (int i = 0; res != NULL && i < PQntuples(res); i++)
		printf("%s %s", i > 0 ? "," : "", PQgetvalue(res, i, 0));
	printf("\n");
	PQclear(res);
}

/* The direct variant: a connection per window and per kiosk, as far as
 * max_connections, the server and the memory floor allow. */
static int
bp_direct(double seconds)
{
	const char *v = "direct";
	long long maxc = bp_value_ll("SELECT current_setting('max_connections')::int");
	long long used = bp_value_ll("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'");
	/* a superuser may take the reserved slots; 5 are left for others */
	int room = (int)(maxc - used - 5), want = BP_WINDOWS + BP_KIOSKS, opened;
	int cap = (int)bp_env("YC_BENCH_PROVINCE_CONNECTIONS", want);
	struct bp_mem base, idle, all, after, ours;
	bool mem = bp_mem_server(&base);
	char why[512] = "", wwhy[512] = "";
	double t0, t;

	bp.win = xcalloc(BP_WINDOWS, sizeof *bp.win);
	bp.kiosk = xcalloc(BP_KIOSKS, sizeof *bp.kiosk);
	bp.nwin = bp.nkiosk = 0;
	bp.pooled = false;
	if (mem)
		bp_mem_print(v, "before connecting", &base);
	printf(BP_NAME ": %s: max_connections %lld, %lld in use: room for %d of the %d connections "
	    "wanted%s\n", v, maxc, used, room > 0 ? room : 0, want,
	    cap < want ? " (YC_BENCH_PROVINCE_CONNECTIONS caps them)" : "");
	fflush(stdout);
	if (cap > want)
		cap = want;
	if (room < cap) {
		cap = room > 0 ? room : 0;
		snprintf(why, sizeof why, "max_connections reached");
	}
	t = bench_now_ms();
	bp_open_idle(cap, why, sizeof why);
	opened = bp.nwin + bp.nkiosk;
	printf(BP_NAME ": %s: %d window and %d kiosk connections opened, idle, in %.1f s%s%s\n", v,
	    bp.nwin, bp.nkiosk, (bench_now_ms() - t) / 1e3, why[0] != '\0' ? "; stopped: " : "", why);
	if (mem && bp_mem_server(&idle) && opened > 0) {
		bp_mem_print(v, "idle", &idle);
		bp_mem_conns(bp.win, bp.nwin, &ours);
		printf(BP_NAME ": %s: an idle connection: +%.0f kB PSS and +%.0f kB page tables (server "
		    "delta / %d); a window backend %.0f kB private\n", v,
		    (double)(idle.pss - base.pss) / opened, (double)(idle.pte - base.pte) / opened, opened,
		    (double)ours.priv / (ours.procs > 0 ? ours.procs : 1));
	}
	fflush(stdout);
	t = bench_now_ms();
	bp_warm_all(wwhy, sizeof wwhy);
	bp_warm_errors(v);
	bp_settle(bp.nwin + bp.nkiosk);
	printf(BP_NAME ": %s: %d window and %d kiosk connections warmed in %.1f s%s%s\n", v, bp.nwin,
	    bp.nkiosk, (bench_now_ms() - t) / 1e3, wwhy[0] != '\0' ? "; " : "", wwhy);
	if (bp.nwin < BP_WINDOWS)
		printf(BP_NAME ": %s: NOT one connection per window: %d windows share %d connections, "
		    "%d kiosks %d\n", v, BP_WINDOWS, bp.nwin, BP_KIOSKS, bp.nkiosk);
	if (mem && bp_mem_server(&all) && bp.nwin + bp.nkiosk > 0) {
		bp_mem_print(v, "all warmed", &all);
		printf(BP_NAME ": %s: a warmed connection: +%.2f MB PSS and +%.0f kB page tables (server "
		    "delta / %d); MemAvailable now %lld MB\n", v,
		    (double)(all.pss - base.pss) / 1024.0 / (bp.nwin + bp.nkiosk),
		    (double)(all.pte - base.pte) / (bp.nwin + bp.nkiosk), bp.nwin + bp.nkiosk,
		    bp_meminfo_mb("MemAvailable"));
		bp_mem_print_classes(v);
	}
	fflush(stdout);
	if (bp.nwin == 0 || bp.nkiosk == 0) {
		printf(BP_NAME ": %s: skipped: no connection\n", v);
	} else {
		t0 = bp_run(seconds);
		bp_report(v, t0, seconds);
		bp_print_waits(v);
		if (mem && bp_mem_server(&after)) {
			bp_mem_print(v, "after the run", &after);
			bp_mem_print_classes(v);
		}
	}
	bp_close_all(bp.win, bp.nwin);
	bp_close_all(bp.kiosk, bp.nkiosk);
	free(bp.win);
	free(bp.kiosk);
	bp.win = bp.kiosk = NULL;
	bp.nwin = bp.nkiosk = 0;
	return 0;
}

/* The pooled variant: n connections for every window and kiosk. */
static int
bp_pooled(int n, double seconds)
{
	char v[32], why[512];
	struct bp_mem base, all;
	bool mem;
	double t0;

	snprintf(v, sizeof v, "pooled %d", n);
	bp_settle(0);
	bp.outstanding = 0;
	mem = bp_mem_server(&base);
	bp.pool = xcalloc((size_t)n, sizeof *bp.pool);
	bp.idle = xcalloc((size_t)n, sizeof *bp.idle);
	bp.npool = bp_connect(bp.pool, n, why, sizeof why);
	if (bp.npool < n)
		printf(BP_NAME ": %s: only %d connections: %s\n", v, bp.npool, why);
	if (bp.npool == 0)
		return 0;
	bp.pooled = true;
	bp.nidle = 0;
	for (int i = 0; i < bp.npool; i++) {
		bp.pool[i]->pool_idle_at = bp.nidle;
		bp.idle[bp.nidle++] = bp.pool[i];
	}
	/* warm every connection of the pool with each operation: as many of
	 * each as connections, all at once, so each gets about one */
	for (int k = 0; k < 3; k++) {
		double now = bench_now_ms();

		for (int i = 0; i < bp.npool; i++)
			bp_dispatch_new((enum bp_kind)k, k == BP_CALL ? BP_WINDOWS - 1 - i : i % BP_OFFICES, i,
			    now, false);
		bp_drain(120000);
	}
	bp_warm_errors(v);
	if (mem && bp_mem_server(&all))
		printf(BP_NAME ": %s: +%.2f MB PSS per connection warmed\n", v,
		    (double)(all.pss - base.pss) / 1024.0 / bp.npool);
	t0 = bp_run(seconds);
	bp_report(v, t0, seconds);
	bp_print_waits(v);
	if (mem && bp_mem_server(&all))
		bp_mem_print(v, "after the run", &all);
	bp_close_all(bp.pool, bp.npool);
	while (bp.fifo_head != NULL) {
		struct bp_op *op = bp.fifo_head;

		bp.fifo_head = op->next;
		bp_done(op, true, NULL, NULL);
	}
	bp.fifo_tail = NULL;
	free(bp.pool);
	free(bp.idle);
	bp.pool = bp.idle = NULL;
	bp.npool = bp.nidle = 0;
	bp.pooled = false;
	return 0;
}

/* The machine, the server's settings and the kernel's limits. */
static void
bp_print_machine(void)
{
	char model[128] = "unknown", line[256], sem[64], pidmax[32], load[64];
	char ver[32], sb[32], shm[32], sc[32], wm[32];
	FILE *f = fopen("/proc/cpuinfo", "r");
	struct rlimit rl;

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "model name", 10) == 0) {
			char *colon = strchr(line, ':');

			if (colon != NULL) {
				snprintf(model, sizeof model, "%s", colon + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	if (f != NULL)
		fclose(f);
	bp_value("SELECT current_setting('server_version')", ver, sizeof ver);
	bp_value("SELECT current_setting('shared_buffers')", sb, sizeof sb);
	bp_value("SELECT current_setting('shared_memory_size', true)", shm, sizeof shm);
	bp_value("SELECT current_setting('synchronous_commit')", sc, sizeof sc);
	bp_value("SELECT current_setting('work_mem')", wm, sizeof wm);
	bp_read_line("/proc/sys/kernel/sem", sem, sizeof sem);
	bp_read_line("/proc/sys/kernel/pid_max", pidmax, sizeof pidmax);
	bp_read_line("/proc/loadavg", load, sizeof load);
	getrlimit(RLIMIT_NOFILE, &rl);
	printf(BP_NAME ": %ld CPU (%s), %lld MB memory, %lld MB available; load %s\n",
	    sysconf(_SC_NPROCESSORS_ONLN), model, bp_meminfo_mb("MemTotal"), bp_meminfo_mb("MemAvailable"),
	    load);
	printf(BP_NAME ": PostgreSQL %s, shared_buffers %s, shared_memory_size %s, work_mem %s, "
	    "synchronous_commit %s\n", ver, sb, shm[0] != '\0' ? shm : "?", wm, sc);
	printf(BP_NAME ": limits: open files %llu (hard %llu), semaphores (SEMMSL SEMMNS SEMOPM SEMMNI) %s, "
	    "pid_max %s, memory floor %lld MB (YC_BENCH_PROVINCE_MIN_FREE_MB)\n",
	    (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, sem, pidmax, bp.mem_floor_mb);
	if (bp.postmaster == 0)
		printf(BP_NAME ": the server's processes cannot be read from here: no memory figures\n");
	fflush(stdout);
}

int
main(void)
{
	double seconds = (double)bp_env("YC_BENCH_PROVINCE_SECONDS", 60);
	long long pool = bp_env("YC_BENCH_PROVINCE_POOL", 4 * sysconf(_SC_NPROCESSORS_ONLN));
	long long total = bp_meminfo_mb("MemTotal");
	struct rlimit rl;
	int rc = 0;

	if (getenv("PGHOST") == NULL && getenv("PGHOSTADDR") == NULL &&
	    getenv("PGDATABASE") == NULL && getenv("PGSERVICE") == NULL) {
		printf(BP_NAME ": skipped (no database: set PGHOST, PGDATABASE and PGUSER to a "
		    "superuser of a test cluster)\n");
		return 0;
	}
	if (seconds < 1)
		seconds = 1;
	/* a socket per connection: as many open files as the hard limit allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	bp.mem_floor_mb = bp_env("YC_BENCH_PROVINCE_MIN_FREE_MB", total > 0 ? total / 4 : 2048);
	bp.db = db_open("");
	if (!db_connected(bp.db)) {
		fprintf(stderr, BP_NAME ": %s", db_detail(bp.db));
		db_close(&bp.db);
		return 1;
	}
	if (bp_value_ll("SELECT rolsuper::int FROM pg_roles WHERE rolname = current_user") != 1) {
		fprintf(stderr, BP_NAME ": needs a superuser connection\n");
		db_close(&bp.db);
		return 1;
	}
	bp_find_postmaster();
	bp_print_machine();
	if (bp_setup_network() != 0 || bp_reset(true) != 0) {
		db_close(&bp.db);
		return 1;
	}
	printf(BP_NAME ": %d offices (%d counties, %d townships), %d windows, %d waiting tickets, "
	    "%d open sessions; %.0f s at %.0f calls/s, %.0f issues/s, %.0f accepts/s, open loop\n",
	    BP_OFFICES, BP_COUNTIES, BP_COUNTIES * BP_TOWNSHIPS, BP_WINDOWS, BP_OFFICES * BP_PREFILL,
	    BP_WINDOWS, seconds, bp_rates[BP_CALL], bp_rates[BP_ISSUE], bp_rates[BP_ACCEPT]);
	fflush(stdout);
	rc = bp_direct(seconds);
	if (rc == 0 && pool > 0)
		rc = bp_pooled((int)pool, seconds);
	if (bp_reset(false) != 0)
		rc = -1;
	bp_stats_reset();
	free(bp.busy);
	db_close(&bp.db);
	return rc == 0 ? 0 : 1;
}
