-- db/functions/reports.sql: the daily report.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0008_reports):
-- 0008_reports: the daily report of one office (日报), per clerk and per
-- case type, for `yichuang report daily` and the supervisor console.
--
-- SCOPE. A report covers exactly the office given, not the offices below
-- it: the hall's tickets and clerks are its own, and a case belongs to the
-- office that accepted it (a village case worked at the county stays the
-- village's). A township's figures with its villages are the sum of their
-- reports. The day is the Asia/Shanghai calendar day.
--
-- DEFINITIONS.
-- Per clerk (yc.report_daily_staff), tickets of the office issued that day
-- (yc.ticket.day) that ended served or no_show; a ticket belongs to the
-- clerk signed in at its window when it ended (the latest session of that
-- window started at or before finished_at and not ended before it; none:
-- staff_no NULL, "unidentified").
--   served, no_show   counts of tickets ending so
--   avg_wait_s        mean of called_at - issued_at over served tickets, in
--                     seconds (a 绿色通道 ticket sent straight to a window
--                     has no call: started_at instead)
--   avg_service_s     mean of finished_at - started_at over served tickets
--   grade1 … grade5   好差评 ratings given to the clerk that day at this
--                     office, 1 非常满意 … 5 非常不满意
-- The wait and service sums are returned too, so that totals are exact.
-- One extra row with is_total true sums the office.
--
-- Per case type (yc.report_daily_types), cases of the office:
--   accepted    accepted_at within the day (受理, including 即时办结 and
--               容缺受理, and cases accepted after a 补正)
--   immediate   of those, finished at the moment of acceptance (即时办结)
--   finished    finished_at within the day (办结, immediate ones included)
--   overdue     past the promised date during the day: finished that day
--               after the promised date, or still open at the end of the
--               day with the promised date before it (超期)
--   supplement  一次性告知书 issued that day (notice kind supplement)
--   deferred    容缺受理通知书 issued that day (notice kind deferred)
--   withdrawn   撤回 that day (closed_as withdrawn, closed_at within the
--               day; 0017_case_closing)
--   terminated  终止办理 that day (closed_as terminated, likewise)
-- Notices count with their case's office (where the notice row lives) and
-- the case's type. One extra row with is_total true sums the office.
--
-- Tickets issued and 延时服务 (outside the regular weekday hours):
-- yc.report_daily_tickets, with the opening hours in db/functions/hours.sql.
--
-- INDEXES. Every part of one office's day is an index range, however many
-- years of history the tables hold: tickets by (office_code, day, ...)
-- (the unique key of 0001), cases by acceptance and by finishing time,
-- notices and ratings by time, each after the office; the ticket's clerk by
-- (office_code, window_no, started_at) of the sessions; overdue cases by a
-- GiST index on (office_code, the span of days they are overdue);
-- withdrawn and ended cases by (office_code, closed_at) (0017).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Per clerk.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.report_daily_staff(p_office text, p_day date)
RETURNS TABLE(is_total boolean, staff_no text, staff_name text, served int, no_show int,
              avg_wait_s int, avg_service_s int, wait_s_sum bigint, service_s_sum bigint,
              grade1 int, grade2 int, grade3 int, grade4 int, grade5 int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    WITH bounds AS (
        SELECT p_day::timestamp AT TIME ZONE 'Asia/Shanghai' AS t0,
               (p_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS t1
    ), ev AS (
        SELECT ss.staff_no, t.status, NULL::smallint AS grade,
               CASE WHEN t.status = 'served'
                    THEN extract(epoch FROM coalesce(t.called_at, t.started_at) - t.issued_at) END AS wait_s,
               CASE WHEN t.status = 'served'
                    THEN extract(epoch FROM t.finished_at - t.started_at) END AS service_s
          FROM yc.ticket t
          LEFT JOIN LATERAL (
                SELECT s.staff_no FROM (
                    SELECT s1.staff_no, s1.ended_at FROM yc.staff_session s1
                     WHERE s1.office_code = t.office_code AND s1.window_no = t.window_no
                       AND s1.started_at <= t.finished_at
                     ORDER BY s1.started_at DESC LIMIT 1) s
                 WHERE s.ended_at IS NULL OR s.ended_at >= t.finished_at) ss ON true
         WHERE t.office_code = p_office AND t.day = p_day AND t.status IN ('served', 'no_show')
        UNION ALL
        SELECT r.staff_no, 'rating', r.grade, NULL, NULL
          FROM yc.rating r, bounds b
         WHERE r.office_code = p_office AND r.rated_at >= b.t0 AND r.rated_at < b.t1
    ), g AS (
        SELECT GROUPING(ev.staff_no) = 1 AS is_total, ev.staff_no,
               count(*) FILTER (WHERE ev.status = 'served')::int AS served,
               count(*) FILTER (WHERE ev.status = 'no_show')::int AS no_show,
               round(avg(ev.wait_s))::int AS avg_wait_s,
               round(avg(ev.service_s))::int AS avg_service_s,
               coalesce(round(sum(ev.wait_s)), 0)::bigint AS wait_s_sum,
               coalesce(round(sum(ev.service_s)), 0)::bigint AS service_s_sum,
               count(*) FILTER (WHERE ev.grade = 1)::int AS grade1,
               count(*) FILTER (WHERE ev.grade = 2)::int AS grade2,
               count(*) FILTER (WHERE ev.grade = 3)::int AS grade3,
               count(*) FILTER (WHERE ev.grade = 4)::int AS grade4,
               count(*) FILTER (WHERE ev.grade = 5)::int AS grade5
          FROM ev
         GROUP BY GROUPING SETS ((ev.staff_no), ())
    )
    SELECT g.is_total, g.staff_no, st.name, g.served, g.no_show, g.avg_wait_s, g.avg_service_s,
           g.wait_s_sum, g.service_s_sum, g.grade1, g.grade2, g.grade3, g.grade4, g.grade5
      FROM g LEFT JOIN yc.staff st ON st.staff_no = g.staff_no
     ORDER BY g.is_total, g.staff_no IS NULL, g.staff_no;
$$;

-------------------------------------------------------------------------------
-- Per case type.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.report_daily_types(p_office text, p_day date)
RETURNS TABLE(is_total boolean, case_type_code text, case_type_name text, accepted int,
              immediate int, finished int, overdue int, supplement int, deferred int,
              withdrawn int, terminated int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    WITH bounds AS (
        SELECT p_day::timestamp AT TIME ZONE 'Asia/Shanghai' AS t0,
               (p_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS t1
    ), ev AS (
        SELECT c.case_type_code AS code, 'accepted' AS what,
               c.status = 'finished' AND c.finished_at = c.accepted_at AS immediate
          FROM yc.service_case c, bounds b
         WHERE c.office_code = p_office AND c.accepted_at >= b.t0 AND c.accepted_at < b.t1
        UNION ALL
        SELECT c.case_type_code, 'finished', false
          FROM yc.service_case c, bounds b
         WHERE c.office_code = p_office AND c.finished_at >= b.t0 AND c.finished_at < b.t1
           AND c.status = 'finished'
        UNION ALL
        SELECT c.case_type_code, 'overdue', false
          FROM yc.service_case c
         WHERE c.office_code = p_office
           AND c.promised_date IS NOT NULL AND c.status IN ('accepted', 'in_progress', 'finished')
           AND (CASE WHEN c.finished_at IS NULL THEN daterange(c.promised_date, NULL, '(]')
                     WHEN (c.finished_at AT TIME ZONE 'Asia/Shanghai')::date <= c.promised_date THEN 'empty'::daterange
                     ELSE daterange(c.promised_date, (c.finished_at AT TIME ZONE 'Asia/Shanghai')::date, '(]') END)
               @> p_day
        UNION ALL
        SELECT c.case_type_code, n.kind, false
          FROM yc.notice n
          JOIN yc.service_case c ON c.office_code = n.office_code AND c.case_no = n.case_no,
               bounds b
         WHERE n.office_code = p_office AND n.issued_at >= b.t0 AND n.issued_at < b.t1
           AND n.kind IN ('supplement', 'deferred')
        UNION ALL
        SELECT c.case_type_code, c.closed_as, false
          FROM yc.service_case c, bounds b
         WHERE c.office_code = p_office AND c.closed_at >= b.t0 AND c.closed_at < b.t1
    ), g AS (
        SELECT GROUPING(ev.code) = 1 AS is_total, ev.code,
               count(*) FILTER (WHERE ev.what = 'accepted')::int AS accepted,
               count(*) FILTER (WHERE ev.what = 'accepted' AND ev.immediate)::int AS immediate,
               count(*) FILTER (WHERE ev.what = 'finished')::int AS finished,
               count(*) FILTER (WHERE ev.what = 'overdue')::int AS overdue,
               count(*) FILTER (WHERE ev.what = 'supplement')::int AS supplement,
               count(*) FILTER (WHERE ev.what = 'deferred')::int AS deferred,
               count(*) FILTER (WHERE ev.what = 'withdrawn')::int AS withdrawn,
               count(*) FILTER (WHERE ev.what = 'terminated')::int AS terminated
          FROM ev
         GROUP BY GROUPING SETS ((ev.code), ())
    )
    SELECT g.is_total, g.code,
           (SELECT ct.name FROM yc.case_type ct WHERE ct.code = g.code
             ORDER BY ct.version DESC LIMIT 1),
           g.accepted, g.immediate, g.finished, g.overdue, g.supplement, g.deferred,
           g.withdrawn, g.terminated
      FROM g
     ORDER BY g.is_total, g.code;
$$;

-- 0013_report_console: the daily report (0008) for the supervisor's
-- console, run as the supervisor's staff session on the shared
-- application role.
--
-- yc.report_daily_staff and yc.report_daily_types stay administrator-only
-- (per-clerk performance of any office). These two wrappers give the same
-- rows, with a leading result column, to a session that may see them:
--   role supervisor, and the office is the session's own or one below it
--   (yc.office_in_jurisdiction: a township supervisor reports on its
--   villages, a county centre's on every office of the county, a
--   prefecture's or the province's on every office below it).
-- result: ok (the rows of 0008, totals last) | no_session | not_allowed |
-- unknown_office (one row, other columns NULL).
-- Reading a report changes nothing, so nothing is audited.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- Why the session may not read the office's report (NULL: it may).
CREATE OR REPLACE FUNCTION yc.report_refusal(p_session bigint, p_office text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    ELSIF a.role IS DISTINCT FROM 'supervisor' THEN
        RETURN 'not_allowed';
    ELSIF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        RETURN 'unknown_office';
    ELSIF NOT yc.office_in_jurisdiction(a, p_office) THEN
        RETURN 'not_allowed';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION yc.report_session_staff(p_session bigint, p_office text, p_day date)
RETURNS TABLE(result text, is_total boolean, staff_no text, staff_name text, served int,
              no_show int, avg_wait_s int, avg_service_s int, grade1 int, grade2 int,
              grade3 int, grade4 int, grade5 int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    result := yc.report_refusal(p_session, p_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, r.is_total, r.staff_no, r.staff_name, r.served, r.no_show,
               r.avg_wait_s, r.avg_service_s, r.grade1, r.grade2, r.grade3, r.grade4, r.grade5
          FROM yc.report_daily_staff(p_office, p_day) r;
END
$$;

CREATE OR REPLACE FUNCTION yc.report_session_types(p_session bigint, p_office text, p_day date)
RETURNS TABLE(result text, is_total boolean, case_type_code text, case_type_name text,
              accepted int, immediate int, finished int, overdue int, supplement int,
              deferred int, withdrawn int, terminated int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    result := yc.report_refusal(p_session, p_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, r.is_total, r.case_type_code, r.case_type_name, r.accepted,
               r.immediate, r.finished, r.overdue, r.supplement, r.deferred, r.withdrawn,
               r.terminated
          FROM yc.report_daily_types(p_office, p_day) r;
END
$$;

-------------------------------------------------------------------------------
-- An office and the offices below it (issue 15).

-------------------------------------------------------------------------------
-- Per office over a span of days (report daily --with-below, report monthly).
-------------------------------------------------------------------------------
-- yc.report_offices(office, from, to, below): one row per office (the office
-- alone, or with below the office and every office below it,
-- yc.office_subtree, in tree order), then one row with is_total true that
-- sums them. The days from .. to inclusive, Asia/Shanghai. Per office:
--   issued          tickets issued on those days (yc.ticket.day, any outcome)
--   served, no_show tickets of those days ending so
--   avg_wait_s      mean wait of the served tickets (as report_daily_staff:
--                   called_at, or started_at without a call, - issued_at);
--                   NULL: none served. wait_s_sum: the sum, for exact totals
--   accepted        cases accepted on those days (受理, as report_daily_types)
--   finished        cases finished on those days (办结)
--   in_time         of those, finished on or before the promised date (the
--                   Asia/Shanghai day of finished_at <= promised_date; a case
--                   without a promised date, e.g. 即时办结, counts as in time)
--   rated           好差评 ratings given on those days at the office
--   rated_good      of those, 1 非常满意 or 2 满意
--   rated_bad       of those, 4 不满意 or 5 非常不满意
-- A case belongs to the office that accepted it, a ticket and a rating to
-- the office of its hall (as the daily report); the total is the plain sum
-- of the office rows (avg_wait_s of the total: wait_s_sum / served).
CREATE OR REPLACE FUNCTION yc.report_offices(p_office text, p_from date, p_to date, p_below boolean)
RETURNS TABLE(is_total boolean, office_code text, office_name text, depth int, issued int,
              served int, no_show int, avg_wait_s int, wait_s_sum bigint, accepted int,
              finished int, in_time int, rated int, rated_good int, rated_bad int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    WITH bounds AS (
        SELECT p_from::timestamp AT TIME ZONE 'Asia/Shanghai' AS t0,
               (p_to + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS t1
    ), offs AS (
        SELECT s.code, s.name, s.depth, row_number() OVER (ORDER BY s.code) AS ord
          FROM yc.office_subtree(p_office) s
         WHERE p_below OR s.code = p_office
    ), per AS (
        SELECT o.ord, o.code, o.name, o.depth, tk.issued, tk.served, tk.no_show, tk.wait_s,
               cs.accepted, cf.finished, cf.in_time, rt.rated, rt.good, rt.bad
          FROM offs o CROSS JOIN bounds b
          CROSS JOIN LATERAL (
                SELECT count(*)::int AS issued,
                       count(*) FILTER (WHERE t.status = 'served')::int AS served,
                       count(*) FILTER (WHERE t.status = 'no_show')::int AS no_show,
                       coalesce(round(sum(extract(epoch FROM coalesce(t.called_at, t.started_at) - t.issued_at))
                                FILTER (WHERE t.status = 'served')), 0)::bigint AS wait_s
                  FROM yc.ticket t
                 WHERE t.office_code = o.code AND t.day BETWEEN p_from AND p_to) tk
          CROSS JOIN LATERAL (
                SELECT count(*)::int AS accepted FROM yc.service_case c
                 WHERE c.office_code = o.code AND c.accepted_at >= b.t0 AND c.accepted_at < b.t1) cs
          CROSS JOIN LATERAL (
                SELECT count(*)::int AS finished,
                       count(*) FILTER (WHERE c.promised_date IS NULL
                           OR (c.finished_at AT TIME ZONE 'Asia/Shanghai')::date <= c.promised_date)::int AS in_time
                  FROM yc.service_case c
                 WHERE c.office_code = o.code AND c.finished_at >= b.t0 AND c.finished_at < b.t1
                   AND c.status = 'finished') cf
          CROSS JOIN LATERAL (
                SELECT count(*)::int AS rated,
                       count(*) FILTER (WHERE r.grade IN (1, 2))::int AS good,
                       count(*) FILTER (WHERE r.grade IN (4, 5))::int AS bad
                  FROM yc.rating r
                 WHERE r.office_code = o.code AND r.rated_at >= b.t0 AND r.rated_at < b.t1) rt
    )
    SELECT false, p.code, p.name, p.depth, p.issued, p.served, p.no_show,
           CASE WHEN p.served > 0 THEN round(p.wait_s::numeric / p.served)::int END, p.wait_s,
           p.accepted, p.finished, p.in_time, p.rated, p.good, p.bad
      FROM per p
    UNION ALL
    SELECT true, NULL, NULL, NULL, sum(p.issued)::int, sum(p.served)::int, sum(p.no_show)::int,
           CASE WHEN sum(p.served) > 0 THEN round(sum(p.wait_s)::numeric / sum(p.served))::int END,
           coalesce(sum(p.wait_s), 0)::bigint, sum(p.accepted)::int, sum(p.finished)::int,
           sum(p.in_time)::int, sum(p.rated)::int, sum(p.good)::int, sum(p.bad)::int
      FROM per p
     ORDER BY 1, 2;
$$;

-- The same for a staff session, with the rules of the daily report
-- (yc.report_refusal: a supervisor of the office or of an office above it).
-- result: ok | no_session | not_allowed | unknown_office (one row, other
-- columns NULL).
CREATE OR REPLACE FUNCTION yc.report_session_offices(p_session bigint, p_office text, p_from date,
    p_to date, p_below boolean)
RETURNS TABLE(result text, is_total boolean, office_code text, office_name text, depth int,
              issued int, served int, no_show int, avg_wait_s int, wait_s_sum bigint,
              accepted int, finished int, in_time int, rated int, rated_good int, rated_bad int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    result := yc.report_refusal(p_session, p_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, r.* FROM yc.report_offices(p_office, p_from, p_to, p_below) r;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.report_daily_staff(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_daily_types(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_refusal(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_session_staff(bigint, text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_session_types(bigint, text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_offices(text, date, date, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_session_offices(bigint, text, date, date, boolean) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.report_session_staff(bigint, text, date),
    yc.report_session_types(bigint, text, date),
    yc.report_session_offices(bigint, text, date, date, boolean)
  TO yichuang_app;
