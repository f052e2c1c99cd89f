-- 0011_hall_due: the near-due and overdue cases of the supervisor's office
-- and of the offices below it, for the console (值班长: 临期与超期).
--
-- Conventions as in 0010: SECURITY DEFINER, search_path = yc, pg_temp,
-- the caller's staff session through yc.case_actor (connection binding of
-- 0009), refusals as a result text. Read only; nothing audited.
--
-- What a call costs: the offices of the jurisdiction (an office-code
-- prefix) are read from the office table, then per office one range of
-- each of the partial indexes of the deadline board, bounded above by the
-- horizon (below) and ordered by due date, at most p_limit rows each:
--   cases      service_case_open_idx (office_code, status, promised_date),
--              one range per open status
--   stages     case_stage_due_idx (office_code, due_date), the case by its
--              primary key
--   materials  case_material_due_idx (office_code, due_date), likewise
-- The working days left are counted for the returned rows only.
--
-- URGENT: overdue (due before today), or at most 3 working days left, or
-- at most 20 % of the limit (the case's limit_days, the stage's days, the
-- material's defer_days) left. The horizon of the index ranges is 20
-- working days from today (20 % of a 100-day limit): a limit above 100
-- working days is shown from its last 20 working days.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- yc.hall_due: the urgent due dates (see above) of the open cases of the
-- supervisor's office and the offices below it, most urgent first (fewest
-- working days left, then earliest due date), at most p_limit (1..200,
-- default 50). kind case | stage | material; label the stage or material
-- name ('' for the case's promise); remaining in working days (negative:
-- overdue); limit_days the limit the 20 % rule reads.
-- result: ok (a row per due date; none when nothing is urgent) |
--         no_session | not_allowed | calendar (one row)
-------------------------------------------------------------------------------
CREATE FUNCTION yc.hall_due(p_session bigint, p_limit int)
RETURNS TABLE(result text, office_code text, office_name text, case_no text, type_name text,
              person_name text, kind text, label text, due date, remaining int, limit_days int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a         yc.case_actor := yc.case_actor(p_session);
    v_limit   int := least(greatest(coalesce(p_limit, 50), 1), 200);
    v_today   date := yc.case_today();
    v_horizon date;
    v_three   date;
    v_left    int[];	-- working days left for a due date of today + i - 1
    v_first   date;
BEGIN
    result := yc.hall_refusal(a);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_three := yc.add_workdays(v_today, 3);
    v_horizon := yc.add_workdays(v_today, 20);
    SELECT array_agg(yc.workdays_between(v_today, g.d::date) ORDER BY g.d) INTO v_left
      FROM generate_series(v_today, v_horizon, interval '1 day') g(d);
    RETURN QUERY
    WITH jur AS (
        -- the office pkey, one range: codes are digits, so p || 'a' bounds
        -- every code that starts with p
        SELECT o.code, o.name FROM yc.office o
         WHERE o.code >= a.office_code AND o.code < a.office_code || 'a'
           AND left(o.code, length(a.office_code)) = a.office_code),
    cand AS (
        SELECT j.code AS office_code, x.case_no, 'case'::text AS kind, ''::text AS label,
               x.promised_date AS due, x.limit_days
          FROM jur j
          CROSS JOIN unnest(ARRAY['draft', 'pending_supplement', 'accepted', 'in_progress']) s(status)
          CROSS JOIN LATERAL (
                SELECT sc.case_no, sc.promised_date, sc.limit_days
                  FROM yc.service_case sc
                 WHERE sc.office_code = j.code AND sc.status = s.status
                   -- the predicate of service_case_open_idx, spelled out:
                   -- the planner cannot infer it from s.status
                   AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
                   AND sc.promised_date <= v_horizon
                   AND (sc.promised_date <= v_three
                        OR v_left[sc.promised_date - v_today + 1] <= 0.2 * coalesce(sc.limit_days, 0))
                 ORDER BY sc.promised_date LIMIT v_limit) x
        UNION ALL
        SELECT j.code, x.case_no, 'stage', x.name, x.due_date, x.days
          FROM jur j
          CROSS JOIN LATERAL (
                SELECT st.case_no, st.name, st.due_date, st.days
                  FROM yc.case_stage st
                  JOIN yc.service_case sc ON sc.office_code = st.office_code AND sc.case_no = st.case_no
                 WHERE st.office_code = j.code AND st.finished_at IS NULL
                   AND st.due_date <= v_horizon
                   AND (st.due_date <= v_three
                        OR v_left[st.due_date - v_today + 1] <= 0.2 * st.days)
                   AND st.stage_no = sc.stage_no
                   AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
                 ORDER BY st.due_date LIMIT v_limit) x
        UNION ALL
        SELECT j.code, x.case_no, 'material', x.name, x.due_date, x.defer_days
          FROM jur j
          CROSS JOIN LATERAL (
                SELECT cm.case_no, cm.name, cm.due_date, cm.defer_days
                  FROM yc.case_material cm
                  JOIN yc.service_case sc ON sc.office_code = cm.office_code AND sc.case_no = cm.case_no
                 WHERE cm.office_code = j.code AND cm.state = 'deferred'
                   AND cm.due_date <= v_horizon
                   AND (cm.due_date <= v_three
                        OR v_left[cm.due_date - v_today + 1] <= 0.2 * cm.defer_days)
                   AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
                 ORDER BY cm.due_date LIMIT v_limit) x),
    top AS (
        -- working days left grow with the due date: the earliest are the
        -- most urgent
        SELECT r.* FROM cand r ORDER BY r.due, r.office_code, r.case_no, r.kind, r.label
         LIMIT v_limit)
    SELECT 'ok'::text, t.office_code, j.name, t.case_no, ct.name, pr.name, t.kind, t.label, t.due,
           CASE WHEN t.due >= v_today THEN v_left[t.due - v_today + 1]
                ELSE yc.workdays_between(v_today, t.due) END,
           t.limit_days
      FROM top t
      JOIN jur j ON j.code = t.office_code
      JOIN yc.service_case sc ON sc.office_code = t.office_code AND sc.case_no = t.case_no
      JOIN yc.case_type ct ON ct.code = sc.case_type_code AND ct.version = sc.case_type_version
      JOIN yc.person pr ON pr.id_no = sc.id_no
     ORDER BY 10, t.due, t.office_code, t.case_no, t.kind, t.label;
EXCEPTION
    WHEN SQLSTATE 'YC001' THEN
        result := 'calendar';
        office_code := NULL;
        RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION yc.hall_due(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yc.hall_due(bigint, int) TO yichuang_app;
