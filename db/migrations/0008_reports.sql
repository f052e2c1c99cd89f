-- 0008_reports: the daily report of one office (日报), per clerk and per
-- case type, for `yichuang report daily` and the supervisor console.
--
-- SCOPE. A report covers exactly the office given, not the offices below
-- it: the hall's tickets and clerks are its own, and a case belongs to the
-- office that accepted it (a village case worked at the city stays the
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
-- Notices count with their case's office (where the notice row lives) and
-- the case's type. One extra row with is_total true sums the office.
--
-- INDEXES. Every part of one office's day is an index range, however many
-- years of history the tables hold: tickets by (office_code, day, ...)
-- (the unique key of 0001), cases by acceptance and by finishing time,
-- notices and ratings by time, each after the office; the ticket's clerk by
-- (office_code, window_no, started_at) of the sessions; overdue cases by a
-- GiST index on (office_code, the span of days they are overdue).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- btree_gist gives text its GiST operator class (trusted since
-- PostgreSQL 13: the schema's owner may create it).
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public;

-- The days on which a case is overdue: after its promised date, up to and
-- including the day it was finished (open: without end); empty when it was
-- finished on time. Written out in the index and in yc.report_daily_types
-- alike (no function: the planner matches an index expression only when
-- it can inline the function, which depends on the caller's privileges):
--   CASE WHEN finished_at IS NULL THEN daterange(promised_date, NULL, '(]')
--        WHEN (finished_at AT TIME ZONE 'Asia/Shanghai')::date <= promised_date THEN 'empty'
--        ELSE daterange(promised_date, (finished_at AT TIME ZONE 'Asia/Shanghai')::date, '(]') END

CREATE INDEX ticket_report_idx ON yc.ticket (office_code, day)
    WHERE status IN ('served', 'no_show');
CREATE INDEX staff_session_window_idx ON yc.staff_session (office_code, window_no, started_at);
CREATE INDEX service_case_accepted_idx ON yc.service_case (office_code, accepted_at)
    WHERE accepted_at IS NOT NULL;
CREATE INDEX service_case_finished_idx ON yc.service_case (office_code, finished_at)
    WHERE finished_at IS NOT NULL;
CREATE INDEX service_case_overdue_idx ON yc.service_case
    USING gist (office_code,
        (CASE WHEN finished_at IS NULL THEN daterange(promised_date, NULL, '(]')
                WHEN (finished_at AT TIME ZONE 'Asia/Shanghai')::date <= promised_date THEN 'empty'::daterange
                ELSE daterange(promised_date, (finished_at AT TIME ZONE 'Asia/Shanghai')::date, '(]') END))
    WHERE promised_date IS NOT NULL AND status IN ('accepted', 'in_progress', 'finished');
CREATE INDEX notice_issued_idx ON yc.notice (office_code, issued_at);
CREATE INDEX rating_rated_idx ON yc.rating (office_code, rated_at);

-------------------------------------------------------------------------------
-- Per clerk.
-------------------------------------------------------------------------------
CREATE FUNCTION yc.report_daily_staff(p_office text, p_day date)
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
CREATE FUNCTION yc.report_daily_types(p_office text, p_day date)
RETURNS TABLE(is_total boolean, case_type_code text, case_type_name text, accepted int,
              immediate int, finished int, overdue int, supplement int, deferred int)
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
    ), g AS (
        SELECT GROUPING(ev.code) = 1 AS is_total, ev.code,
               count(*) FILTER (WHERE ev.what = 'accepted')::int AS accepted,
               count(*) FILTER (WHERE ev.what = 'accepted' AND ev.immediate)::int AS immediate,
               count(*) FILTER (WHERE ev.what = 'finished')::int AS finished,
               count(*) FILTER (WHERE ev.what = 'overdue')::int AS overdue,
               count(*) FILTER (WHERE ev.what = 'supplement')::int AS supplement,
               count(*) FILTER (WHERE ev.what = 'deferred')::int AS deferred
          FROM ev
         GROUP BY GROUPING SETS ((ev.code), ())
    )
    SELECT g.is_total, g.code,
           (SELECT ct.name FROM yc.case_type ct WHERE ct.code = g.code
             ORDER BY ct.version DESC LIMIT 1),
           g.accepted, g.immediate, g.finished, g.overdue, g.supplement, g.deferred
      FROM g
     ORDER BY g.is_total, g.code;
$$;

-- Per-clerk performance of any office: administrators only (the report
-- command connects as the administrator); the application role, which
-- every window shares, may not run them.
REVOKE ALL ON FUNCTION yc.report_daily_staff(text, date), yc.report_daily_types(text, date)
    FROM PUBLIC;
