/* Screen-test fixtures; see ws.h. */
#include "screen/ws.h"
#include "util/file.h"

#include "model/text.h"
#include "store/queue.h"
#include "store/auth.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

struct vt *
ws_start(int rows, int cols, const char *const *env, const char *const *args, const char *charset)
{
	const char *bin = getenv("YC_TEST_BIN");
	const char *argv[16], *envv[16];
	int n = 0, e = 0;
	bool lang = false, term = false;

	assert_non_null(bin);
	argv[n++] = bin;
	for (int i = 0; args != NULL && args[i] != NULL && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	for (int i = 0; env != NULL && env[i] != NULL && e < 13; i++) {
		lang |= strncmp(env[i], "LANG=", 5) == 0;
		term |= strncmp(env[i], "TERM=", 5) == 0;
		envv[e++] = env[i];
	}
	if (!lang)
		envv[e++] = "LANG=C.UTF-8";
	if (!term)
		envv[e++] = "TERM=xterm-256color";
	envv[e++] = "LC_ALL=";
	envv[e] = NULL;
	struct vt *vt = vt_spawn(argv, envv, rows, cols, charset);
	assert_non_null(vt);
	return vt;
}

void
ws_login(struct vt *vt, const char *staff, const char *password, const char *window)
{
	assert_true(vt_expect(vt, "柜员登录", WS_WAIT));
	vt_send(vt, staff);
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, password);
	vt_key(vt, VT_KEY_TAB);
	vt_send(vt, window);
	vt_key(vt, VT_KEY_ENTER);
}

void
ws_sign_out(struct vt **vt)
{
	vt_key(*vt, VT_KEY_F10);
	assert_true(vt_expect(*vt, "已注销", WS_WAIT));
	assert_true(vt_expect(*vt, "柜员登录", WS_WAIT));
	vt_free(vt);
}

char *
ws_run(const char *args)
{
	const char *bin = getenv("YC_TEST_BIN");
	char cmd[1024], line[256] = "";
	FILE *fp;
	int rc;

	assert_non_null(bin);
	snprintf(cmd, sizeof cmd, "'%s' %s", bin, args);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	if (fgets(line, sizeof line, fp) == NULL)
		line[0] = '\0';
	while (fgetc(fp) != EOF)
		;
	rc = pclose(fp);
	if (rc != 0)
		fail_msg("%s: exit status %d", cmd, rc);
	line[strcspn(line, "\r\n")] = '\0';
	return strdup(line);
}

char *
ws_printed(const char *dir, const char *name)
{
	char path[160];
	size_t len;
	char *text;

	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	text = file_read(path, 1 << 20, &len);
	if (text == NULL)
		fail_msg("nothing was printed to %s", path);
	return text;
}

/* Runs sql as superuser; the first column of the first row (malloc'd, ""
 * when there are no rows). */
char *
ws_sql_text(const char *sql, int n, const char *const *params)
{
	const char *ci = getenv("YC_TEST_ADMIN_CONNINFO");
	PGconn *c;
	PGresult *r;
	char *v;

	assert_non_null(ci);
	c = PQconnectdb(ci);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("admin connection: %s", PQerrorMessage(c));
	r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
		char *msg = strdup(PQresultErrorMessage(r));

		PQclear(r);
		PQfinish(c);
		fail_msg("%s: %s", sql, msg);
	}
	v = strdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	PQfinish(c);
	return v;
}

long
ws_sql_long(const char *sql, int n, const char *const *params)
{
	char *t = ws_sql_text(sql, n, params);
	long v = strtol(t, NULL, 10);

	free(t);
	return v;
}

void
ws_reset_staff(const char *staff_no)
{
	const char *p[] = { staff_no };

	ws_sql_long("WITH t AS (DELETE FROM yc.login_throttle WHERE staff_no = $1) "
	    "UPDATE yc.staff SET failed_logins = 0, locked_until = NULL WHERE staff_no = $1", 1, p);
}

void
ws_township(const char *code, const char *name)
{
	const char *p[] = { code, name };

	ws_sql_long("WITH o AS (INSERT INTO yc.office (code, name, tier, parent_code, region_code) "
	    "VALUES ($1, $2, 'township', '360981', '360981') ON CONFLICT DO NOTHING RETURNING 1) "
	    "SELECT count(*) FROM o", 2, p);
	ws_sql_long("WITH w AS (INSERT INTO yc.service_window (office_code, window_no, label) "
	    "VALUES ($1, 1, '1号窗口') ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM w", 1, p);
}

void
ws_staff(const char *staff_no, const char *name, const char *role, const char *office)
{
	const char *p[] = { staff_no, name, role, office };

	ws_sql_long("WITH s AS (INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) "
	    "VALUES ($1, $2, $3, $4, yc.hash_password('Demo-1234')) ON CONFLICT (staff_no) DO UPDATE "
	    "SET role = EXCLUDED.role, office_code = EXCLUDED.office_code, active = true, "
	    "password_hash = EXCLUDED.password_hash RETURNING 1) SELECT count(*) FROM s", 4, p);
}

int
ws_rmdir(const char *dir)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

long
ws_count_audit(const char *staff_no, const char *action)
{
	const char *p[] = { staff_no, action };

	return ws_sql_long("SELECT count(*) FROM yc.audit_log WHERE staff_no = $1 AND action = $2", 2, p);
}

/* An 18-character ID number from 17 digits and the GB 11643 check. */
void
ws_idno(const char *digits17, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * w[i];
	memcpy(out, digits17, 17);
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* Whether the cells from (r, c) show b, row by row. */
bool
ws_big_at(struct vt *vt, const struct bigfont *b, int r, int c)
{
	for (int i = 0; i < b->rows; i++) {
		const char *s = b->line[i];
		size_t len = strlen(s), k = 0;
		int col = c;

		while (k < len) {
			struct vt_cell_info ci;
			char u[5] = "";
			uint32_t cp;
			int n = text_decode(s + k, len - k, &cp);

			memcpy(u, s + k, (size_t)n);
			if (!vt_cell(vt, r + i, col, &ci) || strcmp(ci.text, u) != 0)
				return false;
			k += (size_t)n;
			col++;
		}
	}
	return true;
}

/*
 * Leaves office 360981 as the demo data has it: nobody waiting, window 3
 * idle (later suites sign in there). Every waiting ticket is called at
 * window 3 and marked a no-show, through the store API as clerk2.
 */
void
ws_drain_office(void)
{
	struct db *db = db_open(getenv("YC_TEST_ADMIN_CONNINFO"));
	struct auth_session s = { 0 };
	struct auth_outcome o;
	struct queue_ticket t;

	ws_reset_staff("clerk2");
	auth_login(db, "clerk2", "Demo-1234", 3, &s, &o);
	if (o.result == AUTH_OK) {
		queue_finish(db, s.id, false);
		queue_finish(db, s.id, true);
		for (int i = 0; i < 5000 && queue_call_next(db, s.id, &t) == QUEUE_OK; i++)
			queue_finish(db, s.id, false);
		auth_logout(db, &s, "test cleanup");
	} else
		fprintf(stderr, "ws_drain_office: clerk2 cannot sign in (%d)\n", (int)o.result);
	auth_session_clear(&s);
	db_close(&db);
}

void
ws_tabs(struct vt *vt, int n)
{
	for (int i = 0; i < n; i++)
		vt_key(vt, VT_KEY_TAB);
	vt_settle(vt, 100, 2000);
}

char *
ws_row_with(struct vt *vt, const char *needle)
{
	int row;

	if (!vt_find(vt, needle, &row, NULL))
		return strdup("");
	return vt_row_text(vt, row);
}

bool
ws_row_expect(struct vt *vt, const char *key, const char *const *want, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 100) {
		char *row = ws_row_with(vt, key);
		bool all = row[0] != '\0';

		for (int i = 0; all && want[i] != NULL; i++)
			all = strstr(row, want[i]) != NULL;
		if (all) {
			free(row);
			return true;
		}
		if (waited + 100 > timeout_ms) {
			char *screen = vt_screen_text(vt);

			fprintf(stderr, "row with \"%s\" never held all of it; last: \"%s\"\n%s\n", key, row,
			    screen);
			free(screen);
		}
		free(row);
		vt_settle(vt, 50, 100);
	}
	return false;
}


void
ws_find(struct vt *vt, const char *key, const char *expect)
{
	vt_key(vt, VT_KEY_F7);
	assert_true(vt_expect(vt, "查询（", WS_WAIT));
	vt_send(vt, key);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, expect, WS_WAIT));
}

void
ws_choose(struct vt *vt, const char *label)
{
	char digit[2] = "";

	vt_key(vt, VT_KEY_F6);
	assert_true(vt_expect(vt, "本次办理结果", WS_WAIT));
	vt_settle(vt, 100, 2000);
	for (int row = 0; row < vt_rows(vt) && digit[0] == '\0'; row++) {
		char *line = vt_row_text(vt, row), *at = line;

		while ((at = strstr(at, label)) != NULL) {
			if (at - line >= 3 && at[-1] == ' ' && at[-2] == ' ' && at[-3] >= '1' && at[-3] <= '9' &&
			    (at - line == 3 || at[-4] == ' ')) {
				digit[0] = at[-3];
				break;
			}
			at++;
		}
		free(line);
	}
	if (digit[0] == '\0')
		fail_msg("no menu line for %s", label);
	vt_send(vt, digit);
}

/* F5, 门诊费用报销 by its initials, F2, and the whole form; every material
 * ticked but chronic_cert unless all. */
void
ws_fill_clinic(struct vt *vt, const char *id, const char *name, bool all)
{
	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025mzfybx");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：门诊费用报销", WS_WAIT));
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));
	vt_send(vt, name);
	ws_tabs(vt, 1);
	vt_send(vt, "13907950002");
	ws_tabs(vt, 2);			/* phone, then 委托办理 stays 否 */
	ws_tabs(vt, 2);			/* form: ID and phone came from the applicant */
	vt_send(vt, "356.8");
	ws_tabs(vt, 1);
	vt_send(vt, "2026-11-20");
	ws_tabs(vt, 1);
	vt_send(vt, "6222021234567890128");
	ws_tabs(vt, 1);
	vt_send(vt, " ");		/* reason: the first choice */
	ws_tabs(vt, 1);
	/* materials: credential, invoice, bill, chronic_cert */
	for (int i = 0; i < (all ? 4 : 3); i++) {
		vt_send(vt, " ");
		ws_tabs(vt, 1);
	}
	vt_settle(vt, 100, 2000);
}

struct vt *
ws_start_at(const char *when, const char *const *more)
{
	static char conninfo[256], opts[128];
	const char *args[16] = { "--db", conninfo };
	const char *env[] = { opts, NULL };
	int n = 2;

	snprintf(conninfo, sizeof conninfo, "host=%s dbname=yichuang user=postgres",
	    getenv("YC_TEST_SOCKET_DIR"));
	snprintf(opts, sizeof opts, "PGOPTIONS=-c yc.test_now=%s", when);
	for (int i = 0; more[i] != NULL && n < 15; i++)
		args[n++] = more[i];
	args[n] = NULL;
	return ws_start(24, 80, env, args, NULL);
}

bool
ws_standby_true(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("YC_STANDBY_CONNINFO"));
	PGresult *res;
	bool t;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	res = PQexec(c, sql);
	t = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	PQfinish(c);
	return t;
}

void
ws_standby_caught_up(void)
{
	char *lsn = ws_sql_text("SELECT pg_current_wal_lsn()::text", 0, NULL);
	char *sql = xasprintf("SELECT pg_last_wal_replay_lsn() >= '%s'::pg_lsn", lsn);
	int i;

	for (i = 0; i < 400 && !ws_standby_true(sql); i++)
		usleep(50000);
	assert_true(i < 400);
	free(sql);
	free(lsn);
}

void
ws_standby_pause(bool pause)
{
	int i;

	/* (true when the function returns a row: its value is void) */
	ws_standby_true(pause ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()");
	for (i = 0; i < 400 &&
	     ws_standby_true("SELECT pg_get_wal_replay_pause_state() <> 'not paused'") != pause; i++)
		usleep(50000);
	assert_true(i < 400);
}
