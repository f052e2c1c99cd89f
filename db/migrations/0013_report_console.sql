-- 0013_report_console: the daily report (0008) for the supervisor's
-- console, run as the supervisor's staff session on the shared
-- application role.
--
-- yc.report_daily_staff and yc.report_daily_types stay administrator-only
-- (per-clerk performance of any office). These two wrappers give the same
-- rows, with a leading result column, to a session that may see them:
--   role supervisor, and the office is the session's own or one below it
--   (yc.office_in_jurisdiction: a township supervisor reports on its
--   villages, the city centre's on every office of the city).
-- result: ok (the rows of 0008, totals last) | no_session | not_allowed |
-- unknown_office (one row, other columns NULL).
-- Reading a report changes nothing, so nothing is audited.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- Why the session may not read the office's report (NULL: it may).
CREATE FUNCTION yc.report_refusal(p_session bigint, p_office text) RETURNS text
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

CREATE FUNCTION yc.report_session_staff(p_session bigint, p_office text, p_day date)
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

CREATE FUNCTION yc.report_session_types(p_session bigint, p_office text, p_day date)
RETURNS TABLE(result text, is_total boolean, case_type_code text, case_type_name text,
              accepted int, immediate int, finished int, overdue int, supplement int,
              deferred int)
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
               r.immediate, r.finished, r.overdue, r.supplement, r.deferred
          FROM yc.report_daily_types(p_office, p_day) r;
END
$$;

REVOKE ALL ON FUNCTION yc.report_refusal(bigint, text),
    yc.report_session_staff(bigint, text, date), yc.report_session_types(bigint, text, date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yc.report_session_staff(bigint, text, date),
    yc.report_session_types(bigint, text, date) TO yichuang_app;
