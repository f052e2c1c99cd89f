-- 0025_hall_offices: supervision at every level (issue 15). The console of
-- a supervisor shows the live hall of any office of the jurisdiction (the
-- supervisor's office or one below it), and a prefecture's or province's
-- supervisor lists the offices below with their figures (yc.hall_offices).
-- Tables do not change; the hall functions of db/functions/supervision.sql
-- take the office to show (p_office, NULL: the session's own office), so
-- their old signatures go here and the new ones are created with the
-- functions.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

DROP FUNCTION IF EXISTS yc.hall_windows(bigint);
DROP FUNCTION IF EXISTS yc.hall_queue(bigint);
DROP FUNCTION IF EXISTS yc.hall_hourly(bigint);
DROP FUNCTION IF EXISTS yc.hall_waits(bigint);
DROP FUNCTION IF EXISTS yc.hall_waiting(bigint, text, integer);
DROP FUNCTION IF EXISTS yc.hall_reroute(bigint, bigint, integer);
DROP FUNCTION IF EXISTS yc.hall_due(bigint, integer);
