/* Database test fixtures; see dbt.h. */
#include "db/dbt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/db.h"

PGresult *
dbt_run(PGconn *c, const char *sql, int n, const char *const *params)
{
	return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
}

void
dbt_exec_ok(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(c, sql, n, params);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		print_error("# statement failed: %s\n#   %s", sql, PQresultErrorMessage(r));
	assert_true(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
	PQclear(r);
}

long long
dbt_query_ll(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(c, sql, n, params);
	long long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		print_error("# query failed: %s\n#   %s", sql, PQresultErrorMessage(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

char *
dbt_query_str(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = dbt_run(c, sql, n, params);
	char *v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		print_error("# query failed: %s\n#   %s", sql, PQresultErrorMessage(r));
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 1);
	v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

void
dbt_assert_query(PGconn *c, const char *want, const char *sql, int n, const char *const *params)
{
	char *v = dbt_query_str(c, sql, n, params);

	if (strcmp(v, want) != 0)
		print_error("# %s\n#   got %s, want %s\n", sql, v, want);
	assert_string_equal(v, want);
	free(v);
}

void
dbt_expect_sqlstate(PGconn *c, const char *state, const char *sql)
{
	PGresult *r = dbt_run(c, sql, 0, NULL);
	const char *got = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (got == NULL || strcmp(got, state) != 0)
		print_error("# expected %s from %s, got %s\n", state, sql, got ? got : "success");
	assert_non_null(got);
	assert_string_equal(got, state);
	PQclear(r);
}

void
dbt_assert_case(PGconn *su, const char *case_no, const char *expr, const char *want)
{
	char *sql;
	const char *p[] = { case_no };

	assert_true(asprintf(&sql, "SELECT coalesce((%s)::text, '') FROM yc.service_case"
	    " WHERE case_no = $1", expr) > 0);
	dbt_assert_query(su, want, sql, 1, p);
	free(sql);
}

int
dbt_case_type_version(PGconn *su, const char *code)
{
	const char *p[] = { code };

	return (int)dbt_query_ll(su, "SELECT max(version) FROM yc.case_type WHERE code = $1", 1, p);
}

void
dbt_insured(PGconn *su, const char *id_no, const char *office)
{
	const char *p[] = { id_no, office };

	dbt_exec_ok(su, "INSERT INTO yc.insurance (id_no, scheme, status, since, office_code)"
	    " VALUES ($1, 'resident', 'active', '2020-01-01', $2) ON CONFLICT DO NOTHING", 2, p);
}

size_t
dbt_form(PGconn *su, const char *code, const char *id_no, const char ***ids_out,
    const char ***values_out)
{
	/* a ring of forms, so that a test can hold several requests at once */
	static char ring_id[8][DBT_FORM_MAX][48], ring_value[8][DBT_FORM_MAX][48];
	static const char *ring_ids[8][DBT_FORM_MAX], *ring_values[8][DBT_FORM_MAX];
	static unsigned next;
	char (*id)[48] = ring_id[next % 8], (*value)[48] = ring_value[next % 8];
	const char **ids = ring_ids[next % 8], **values = ring_values[next % 8];
	const char *p[] = { code };
	PGresult *r = dbt_run(su, "SELECT f.id, f.type, coalesce(f.opt, '') FROM yc.case_type t,"
	    " XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c), '/c:case-type/c:fields/c:field'"
	    " PASSING (t.definition::xml) COLUMNS ord FOR ORDINALITY, id text PATH '@id',"
	    " type text PATH '@type', opt text PATH 'c:option[1]/@value') f"
	    " WHERE t.code = $1 AND t.version = (SELECT max(version) FROM yc.case_type WHERE code = $1)"
	    " ORDER BY f.ord", 1, p);
	size_t n = 0;

	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(r) && n < DBT_FORM_MAX; i++, n++) {
		const char *type = PQgetvalue(r, i, 1);

		snprintf(id[n], sizeof id[n], "%s", PQgetvalue(r, i, 0));
		snprintf(value[n], sizeof value[n], "%s",
		    strcmp(type, "idno") == 0 ? id_no : strcmp(type, "phone") == 0 ? "13900000000" :
		    strcmp(type, "money") == 0 ? "100.00" : strcmp(type, "date") == 0 ? "2026-01-05" :
		    strcmp(type, "bankcard") == 0 ? "6222021234567890128" :
		    strcmp(type, "choice") == 0 ? PQgetvalue(r, i, 2) : "测试");
		ids[n] = id[n];
		values[n] = value[n];
	}
	PQclear(r);
	next++;
	*ids_out = ids;
	*values_out = values;
	return n;
}

int
dbt_connect(PGconn **su, PGconn **app, struct db **dsu)
{
	const char *app_info = getenv("YC_TEST_APP_CONNINFO");

	*su = PQconnectdb("");
	if (PQstatus(*su) != CONNECTION_OK || app_info == NULL) {
		fprintf(stderr, "# superuser connection or YC_TEST_APP_CONNINFO missing: %s",
		    PQerrorMessage(*su));
		return -1;
	}
	if (app != NULL) {
		*app = PQconnectdb(app_info);
		if (PQstatus(*app) != CONNECTION_OK) {
			fprintf(stderr, "# app connection: %s", PQerrorMessage(*app));
			return -1;
		}
	}
	if (dsu != NULL) {
		*dsu = db_open("");
		if (!db_connected(*dsu)) {
			fprintf(stderr, "# superuser connection through the store: %s\n",
			    db_detail(*dsu));
			return -1;
		}
	}
	PQclear(PQexec(*su, "SET client_min_messages = warning"));
	return 0;
}

int
dbt_disconnect(PGconn **su, PGconn **app, struct db **dsu, const char *staff_prefix)
{
	if (staff_prefix != NULL && *su != NULL && PQstatus(*su) == CONNECTION_OK)
		dbt_close_sessions(*su, staff_prefix);
	if (dsu != NULL)
		db_close(dsu);
	if (app != NULL) {
		PQfinish(*app);
		*app = NULL;
	}
	PQfinish(*su);
	*su = NULL;
	return 0;
}

void
dbt_office(PGconn *su, const char *code, const char *name, int windows)
{
	static const int level_len[] = { 2, 4, 6, 9, 12 };
	static const char *const level[] = { "province", "prefecture", "county", "township", "village" };
	size_t len = strlen(code);
	char nwin[16];
	const char *w[] = { code, nwin };
	int k = 0;

	while (k < 5 && (size_t)level_len[k] != len)
		k++;
	assert_true(k < 5);
	/* The office and, when missing, every office above it (GB/T 2260:
	 * each level's code cut from this one), province first. */
	for (int i = 0; i <= k; i++) {
		char c[16], parent[16], region[8], nm[64];
		const char *p[] = { c, i == k ? name : nm, level[i], i > 0 ? parent : NULL, region };

		snprintf(c, sizeof c, "%.*s", level_len[i], code);
		snprintf(parent, sizeof parent, "%.*s", i > 0 ? level_len[i - 1] : 0, code);
		snprintf(region, sizeof region, "%-6.6s", c);
		for (char *r = region; *r; r++)
			if (*r == ' ')
				*r = '0';
		snprintf(nm, sizeof nm, "测试区划%s", c);
		dbt_exec_ok(su, "INSERT INTO yc.office (code, name, tier, parent_code, region_code)"
		    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING", 5, p);
	}
	snprintf(nwin, sizeof nwin, "%d", windows);
	dbt_exec_ok(su, "INSERT INTO yc.service_window (office_code, window_no, label)"
	    " SELECT $1, n, n || '号窗口' FROM generate_series(1, $2::int) n"
	    " ON CONFLICT DO NOTHING", 2, w);
	dbt_exec_ok(su, "INSERT INTO yc.office_hours (office_code, dow, morning_open, morning_close)"
	    " SELECT $1, d, '00:00', '24:00' FROM generate_series(1, 8) d"
	    " WHERE NOT EXISTS (SELECT 1 FROM yc.office_hours h WHERE h.office_code = $1)", 1, w);
}

void
dbt_staff(PGconn *su, const char *password, const char *const rows[][3], size_t n)
{
	const char *pw[] = { password };
	char *hash = dbt_query_str(su, "SELECT yc.hash_password($1)", 1, pw);

	for (size_t i = 0; i < n; i++) {
		const char *p[] = { rows[i][0], rows[i][1], rows[i][2], hash };

		dbt_exec_ok(su, "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)"
		    " VALUES ($1, '测试' || $1, $2, $3, $4) ON CONFLICT (staff_no) DO UPDATE"
		    " SET name = EXCLUDED.name, role = EXCLUDED.role, office_code = EXCLUDED.office_code,"
		    " active = true,"
		    " password_hash = EXCLUDED.password_hash, failed_logins = 0, locked_until = NULL,"
		    " must_change_password = false, password_changed_at = now()",
		    4, p);
		dbt_exec_ok(su, "DELETE FROM yc.login_throttle WHERE staff_no = $1", 1, p);
	}
	free(hash);
}

void
dbt_close_sessions(PGconn *su, const char *prefix)
{
	const char *p[] = { prefix };

	dbt_exec_ok(su, "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'"
	    " WHERE staff_no LIKE $1 || '\\_%' AND ended_at IS NULL", 1, p);
}

/* Deletes, in order, the rows of the offices whose codes start with prefix
 * from n tables of schema yc (rating: by the office of its case). */
static void
dbt_delete_offices(PGconn *su, const char *prefix, const char *const *tables, size_t n)
{
	const char *p[] = { prefix };

	for (size_t i = 0; i < n; i++) {
		char sql[160];
		const char *table = tables[i];
		const char *col = strcmp(table, "rating") == 0 ? "case_office" : "office_code";

		if (strcmp(table, "proactive_link") == 0)	/* both of its cases */
			snprintf(sql, sizeof sql, "DELETE FROM yc.%s WHERE source_office LIKE $1 || '%%'"
			    " OR case_office LIKE $1 || '%%'", table);
		else
			snprintf(sql, sizeof sql, "DELETE FROM yc.%s WHERE %s LIKE $1 || '%%'", table, col);
		dbt_exec_ok(su, sql, 1, p);
	}
}

void
dbt_clear_cases(PGconn *su, const char *prefix)
{
	static const char *const tables[] = { "outbox", "rating", "case_mail", "case_stage", "case_material",
		"notice", "case_event", "proactive_link", "service_case", "case_counter" };

	dbt_delete_offices(su, prefix, tables, sizeof tables / sizeof tables[0]);
}

void
dbt_clear_queue(PGconn *su, const char *prefix)
{
	static const char *const tables[] = { "appointment", "ticket", "ticket_counter",
		"window_state", "queue_office_state", "queue_config" };

	dbt_delete_offices(su, prefix, tables, sizeof tables / sizeof tables[0]);
}

void
dbt_clock(struct db *db, const char *when)
{
	const char *p[] = { when };

	assert_int_equal(db_exec(db, "SELECT set_config('yc.test_now', $1, false)", 1, p), DB_OK);
}

void
dbt_clear_of_midnight(PGconn *su, int margin)
{
	long long left = dbt_query_ll(su, "SELECT ceil(extract(epoch FROM"
	    " date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') + interval '1 day'"
	    " - (now() AT TIME ZONE 'Asia/Shanghai')))::bigint", 0, NULL);

	if (left < margin)
		sleep((unsigned)left + 1);
}

void
dbt_make_id(char out[19], const char *birth, int seq)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	snprintf(out, 19, "360981%.8s%03d", birth, seq % 1000);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* The session id of a yc.login result, which must be "ok"; clears r. */
static long long
dbt_login_result(PGresult *r, const char *staff)
{
	long long id;

	if (strcmp(PQgetvalue(r, 0, 0), "ok") != 0)
		print_error("# login %s: %s\n", staff, PQgetvalue(r, 0, 0));
	assert_string_equal(PQgetvalue(r, 0, 0), "ok");
	id = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	return id;
}

#define DBT_LOGIN_SQL "SELECT result, session_id FROM yc.login($1, $2, $3::int, $4)"
#define DBT_LOGOUT_SQL "SELECT yc.logout($1::bigint, 'user')"

long long
dbt_login(PGconn *c, const char *staff, const char *password, int window, const char *client)
{
	char win[16];
	const char *p[] = { staff, password, window > 0 ? win : NULL, client };
	PGresult *r;

	snprintf(win, sizeof win, "%d", window);
	r = dbt_run(c, DBT_LOGIN_SQL, 4, p);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	return dbt_login_result(r, staff);
}

long long
dbt_login_db(struct db *db, const char *staff, const char *password, int window, const char *client)
{
	char win[16];
	const char *p[] = { staff, password, window > 0 ? win : NULL, client };
	enum db_status st;
	PGresult *r;

	snprintf(win, sizeof win, "%d", window);
	r = db_query(db, &st, DBT_LOGIN_SQL, 4, p);
	assert_int_equal(st, DB_OK);
	return dbt_login_result(r, staff);
}

void
dbt_logout(PGconn *c, long long session)
{
	char s[24];
	const char *p[] = { s };

	snprintf(s, sizeof s, "%lld", session);
	dbt_exec_ok(c, DBT_LOGOUT_SQL, 1, p);
}

void
dbt_logout_db(struct db *db, long long session)
{
	char s[24];
	const char *p[] = { s };

	snprintf(s, sizeof s, "%lld", session);
	assert_int_equal(db_exec(db, DBT_LOGOUT_SQL, 1, p), DB_OK);
}

long long
dbt_audit_mark(PGconn *su)
{
	return dbt_query_ll(su, "SELECT coalesce(max(audit_id), 0) FROM yc.audit_log", 0, NULL);
}

long long
dbt_audit_count(PGconn *su, long long mark, const char *office, const char *action, const char *object)
{
	char m[24];
	const char *p[] = { m, office, action, object };

	snprintf(m, sizeof m, "%lld", mark);
	return dbt_query_ll(su, "SELECT count(*) FROM yc.audit_log WHERE audit_id > $1::bigint"
	    " AND office_code = $2 AND action = $3 AND ($4::text IS NULL OR object = $4)", 4, p);
}

int
dbt_read_notifies(PGconn *c, int want, char *buf, size_t size)
{
	int n = 0;

	buf[0] = '\0';
	for (int i = 0; i < 100 && n < want; i++) {
		PGnotify *nt;

		PQconsumeInput(c);
		while ((nt = PQnotifies(c)) != NULL) {
			size_t len = strlen(buf);

			snprintf(buf + len, size - len, "%s %s\n", nt->relname, nt->extra);
			PQfreemem(nt);
			n++;
		}
		if (n < want)
			usleep(10000);
	}
	return n;
}
