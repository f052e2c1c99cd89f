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

-- Per-clerk performance of any office: administrators only (the report
-- command connects as the administrator); the application role, which
-- every window shares, may not run them.

