-- db/functions/calendar.sql: working days: the calendar, deadlines, provisional years and their recompute.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0015_calendar_provisional):
-- 0015_calendar_provisional: deadlines never stop at the year's end.
--
-- A year of yc.calendar_year is 'official' (the State Council's notice,
-- loaded from a file) or 'provisional': computed by the program from the
-- statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision) and the
-- table db/calendar/cn-statutory-dates.tsv (tui/model/holiday.c), with
-- 补假 for statutory days on a weekend and no invented 调休 Saturdays.
-- `yichuang db migrate` adds the provisional years of the table after the
-- last official one; a year past the table stays unloaded (YC001).
--
-- Official years come first: an official year after a provisional one, or
-- a provisional year before an official one, is refused (YC002), so the
-- provisional years are always the last ones. A date counted through a
-- provisional year therefore lies in one, and a date in a provisional year
-- was counted through it: yc.date_provisional(d) is that date's basis, the
-- one the screens mark (预计) and the documents state.
--
-- Loading the official file of a year that was provisional recomputes, in
-- the loader's transaction, every open case whose dates may have used it
-- (yc.calendar_recompute): the promised date from the case's own start
-- (yc.stage_promised: acceptance, limit, days waited for the citizen),
-- each open stage from its start (or the acceptance plan when not yet
-- started), each deferred material from acceptance. A date printed to the
-- citizen never moves later than printed: the promised date and the
-- supply-by dates become the earlier of the printed and the recomputed
-- date, and no open stage is due after the promised date. Each case whose
-- dates changed gets a case event 'calendar_adjust' and an audit row with
-- before and after, service_case.calendar_adjusted (the day), and a NOTIFY.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- Is d a working day? Raises YC001 when d's year is not loaded.
CREATE OR REPLACE FUNCTION yc.is_workday(d date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT SET search_path = yc, pg_temp AS $$
DECLARE
    v_kind text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.calendar_year c
                   WHERE c.year = extract(year FROM d)::int) THEN
        RAISE EXCEPTION 'date beyond loaded calendar'
            USING ERRCODE = 'YC001',
                  DETAIL = format('no official calendar loaded for %s (year %s)', d, extract(year FROM d));
    END IF;
    SELECT w.kind INTO v_kind FROM yc.workday_adjustment w WHERE w.day = d;
    IF v_kind = 'off' THEN
        RETURN false;
    ELSIF v_kind = 'work' THEN
        RETURN true;
    END IF;
    RETURN extract(isodow FROM d) < 6;
END
$$;

-- The n-th working day after d (the day d itself is not counted); n = 0
-- returns d; a negative n counts backwards.
CREATE OR REPLACE FUNCTION yc.add_workdays(d date, n int) RETURNS date
LANGUAGE plpgsql STABLE STRICT SET search_path = yc, pg_temp AS $$
DECLARE
    v_day  date := d;
    v_step int  := CASE WHEN n < 0 THEN -1 ELSE 1 END;
    v_left int  := abs(n);
BEGIN
    WHILE v_left > 0 LOOP
        v_day := v_day + v_step;
        IF yc.is_workday(v_day) THEN
            v_left := v_left - 1;
        END IF;
    END LOOP;
    RETURN v_day;
END
$$;

-------------------------------------------------------------------------------
-- Deadlines.
-------------------------------------------------------------------------------

-- Raises YC001 (as yc.is_workday does) unless the calendar of every year
-- from p_lo to p_hi is loaded.
CREATE OR REPLACE FUNCTION yc.calendar_check(p_lo date, p_hi date) RETURNS void
LANGUAGE plpgsql STABLE STRICT SET search_path = yc, pg_temp AS $$
DECLARE
    v_first int := extract(year FROM p_lo)::int;
    v_last  int := extract(year FROM p_hi)::int;
BEGIN
    IF (SELECT count(*) FROM yc.calendar_year cy WHERE cy.year BETWEEN v_first AND v_last)
       < v_last - v_first + 1 THEN
        RAISE EXCEPTION 'date beyond loaded calendar'
            USING ERRCODE = 'YC001',
                  DETAIL = format('no official calendar loaded for a year from %s to %s', p_lo, p_hi);
    END IF;
END
$$;

-- Working days from a to b: for b >= a the working days in (a, b] (so
-- yc.add_workdays(a, n) = b gives n when b is a working day); for b < a
-- minus the working days in [b, a) (a due date passed counts itself: due
-- on Friday, today Saturday is -1). Raises YC001 when a year between is
-- not loaded.
CREATE OR REPLACE FUNCTION yc.workdays_between(a date, b date) RETURNS int
LANGUAGE plpgsql STABLE STRICT SET search_path = yc, pg_temp AS $$
DECLARE
    v_lo date := CASE WHEN b >= a THEN a + 1 ELSE b END;
    v_hi date := CASE WHEN b >= a THEN b ELSE a - 1 END;
    v_n  int;
BEGIN
    PERFORM yc.calendar_check(least(a, b), greatest(a, b));
    SELECT count(*) INTO v_n
      FROM generate_series(v_lo, v_hi, interval '1 day') g(d)
      LEFT JOIN yc.workday_adjustment w ON w.day = g.d::date
     WHERE coalesce(w.kind = 'work', extract(isodow FROM g.d) < 6);
    RETURN CASE WHEN b >= a THEN v_n ELSE -v_n END;
END
$$;

CREATE OR REPLACE FUNCTION yc.calendar_year_order() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF NEW.basis = 'official' AND EXISTS (
           SELECT 1 FROM yc.calendar_year cy
            WHERE cy.year < NEW.year AND cy.basis = 'provisional') THEN
        RAISE EXCEPTION 'official calendar out of order'
            USING ERRCODE = 'YC002',
                  DETAIL = format('an earlier year than %s is still provisional: load it first', NEW.year);
    ELSIF NEW.basis = 'provisional' AND EXISTS (
           SELECT 1 FROM yc.calendar_year cy
            WHERE cy.year > NEW.year AND cy.basis = 'official') THEN
        RAISE EXCEPTION 'provisional calendar before an official year'
            USING ERRCODE = 'YC002',
                  DETAIL = format('a later year than %s is official', NEW.year);
    END IF;
    RETURN NEW;
END
$$;

-- Is d in a provisional year (its deadlines counted by the statutory
-- rules, not the State Council's notice)?
CREATE OR REPLACE FUNCTION yc.date_provisional(d date) RETURNS boolean
LANGUAGE sql STABLE STRICT SET search_path = yc, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM yc.calendar_year cy
                    WHERE cy.year = extract(year FROM d)::int AND cy.basis = 'provisional');
$$;

-- The year whose official calendar is missing and wanted now: this year
-- when it is not official; from the day calendar_warn_from (MM-DD, default
-- 11-01, also when the setting is not of that form) next year when it is
-- not official; else NULL.
CREATE OR REPLACE FUNCTION yc.calendar_missing() RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v_today date := yc.queue_day(yc.now());
    v_year  int  := extract(year FROM v_today)::int;
    v_from  text := (SELECT s.value FROM yc.setting s WHERE s.key = 'calendar_warn_from');
BEGIN
    IF v_from IS NULL OR v_from !~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN
        v_from := '11-01';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM yc.calendar_year cy WHERE cy.year = v_year AND cy.basis = 'official') THEN
        RETURN v_year;
    END IF;
    IF to_char(v_today, 'MM-DD') >= v_from
       AND NOT EXISTS (SELECT 1 FROM yc.calendar_year cy
                        WHERE cy.year = v_year + 1 AND cy.basis = 'official') THEN
        RETURN v_year + 1;
    END IF;
    RETURN NULL;
END
$$;

-- The dates of a case an official calendar may move: the promised date,
-- the due date of each open stage, each deferred material's.
CREATE OR REPLACE FUNCTION yc.calendar_case_dates(p_office text, p_case text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object(
        'promised', sc.promised_date,
        'stages', (SELECT coalesce(jsonb_object_agg(st.stage_no::text, st.due_date), '{}'::jsonb)
                     FROM yc.case_stage st
                    WHERE st.office_code = sc.office_code AND st.case_no = sc.case_no
                      AND st.finished_at IS NULL),
        'materials', (SELECT coalesce(jsonb_object_agg(cm.material_id, cm.due_date), '{}'::jsonb)
                        FROM yc.case_material cm
                       WHERE cm.office_code = sc.office_code AND cm.case_no = sc.case_no
                         AND cm.state = 'deferred'))
      FROM yc.service_case sc
     WHERE sc.office_code = p_office AND sc.case_no = p_case;
$$;

-- Recomputes the open cases whose dates may have been counted through
-- p_year, after its official calendar replaced the provisional one (see
-- the top). Returns how many cases had a date changed.
CREATE OR REPLACE FUNCTION yc.calendar_recompute(p_year int) RETURNS int
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_from   date := make_date(p_year, 1, 1);
    v_to     date := make_date(p_year + 1, 1, 1);
    c        yc.service_case%ROWTYPE;
    ct       yc.case_type%ROWTYPE;
    v_day    date;
    v_prom   date;
    v_before jsonb;
    v_after  jsonb;
    v_n      int := 0;
BEGIN
    FOR c IN
        SELECT sc.* FROM yc.service_case sc
         WHERE sc.status IN ('accepted', 'in_progress', 'pending_supplement')
           AND sc.accepted_at IS NOT NULL
           AND yc.queue_day(sc.accepted_at) < v_to
           AND (sc.promised_date >= v_from
                OR EXISTS (SELECT 1 FROM yc.case_stage st
                            WHERE st.office_code = sc.office_code AND st.case_no = sc.case_no
                              AND st.finished_at IS NULL AND st.due_date >= v_from)
                OR EXISTS (SELECT 1 FROM yc.case_material cm
                            WHERE cm.office_code = sc.office_code AND cm.case_no = sc.case_no
                              AND cm.state = 'deferred' AND cm.due_date >= v_from))
         ORDER BY sc.office_code, sc.case_no
         FOR UPDATE
    LOOP
        v_before := yc.calendar_case_dates(c.office_code, c.case_no);
        v_day := yc.queue_day(c.accepted_at);
        SELECT t.* INTO ct FROM yc.case_type t
         WHERE t.code = c.case_type_code AND t.version = c.case_type_version;
        v_prom := c.promised_date;
        IF (yc.case_def_limit(ct, ct.definition::xml, c.form)).kind <> 'immediate'
           AND c.promised_date IS NOT NULL THEN
            v_prom := least(c.promised_date, yc.stage_promised(c, ct, c.limit_days));
        END IF;
        UPDATE yc.case_stage st
           SET due_date = least(v_prom, CASE WHEN st.started_at IS NOT NULL
                                             THEN yc.add_workdays(yc.queue_day(st.started_at), st.days)
                                             ELSE yc.add_workdays(v_day, p.planned) END)
          FROM (SELECT s.stage_no, (sum(s.days) OVER (ORDER BY s.stage_no))::int AS planned
                  FROM yc.case_stage s
                 WHERE s.office_code = c.office_code AND s.case_no = c.case_no) p
         WHERE st.office_code = c.office_code AND st.case_no = c.case_no
           AND st.stage_no = p.stage_no AND st.finished_at IS NULL;
        UPDATE yc.case_material cm
           SET due_date = least(cm.due_date, yc.add_workdays(v_day, cm.defer_days))
         WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no AND cm.state = 'deferred';
        UPDATE yc.service_case sc SET promised_date = v_prom
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
        v_after := yc.calendar_case_dates(c.office_code, c.case_no);
        IF v_after IS DISTINCT FROM v_before THEN
            UPDATE yc.service_case sc SET calendar_adjusted = yc.queue_day(yc.now())
             WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
            PERFORM yc.case_event_add(c.office_code, c.case_no, NULL, 'calendar_adjust',
                jsonb_build_object('year', p_year, 'before', v_before, 'after', v_after));
            PERFORM yc.audit_write(c.office_code, current_user, NULL, 'case_calendar_adjust',
                format('case:%s/%s', c.office_code, c.case_no), v_before, v_after, 'calendar load');
            PERFORM yc.case_notify(c.office_code, c.office_code, 'calendar', c.case_no, c.status);
            -- a supply-by date moved: its 容缺 reminder with it
            IF v_after -> 'materials' IS DISTINCT FROM v_before -> 'materials' THEN
                PERFORM yc.outbox_remind(c);
            END IF;
            v_n := v_n + 1;
        END IF;
    END LOOP;
    RETURN v_n;
END
$$;

CREATE OR REPLACE FUNCTION yc.case_deadlines(p_session bigint, p_office_wide boolean, p_limit int)
RETURNS TABLE(result text, case_no text, type_name text, person_name text, staff_no text,
              status text, kind text, label text, material_id text, due date, remaining int,
              limit_days int, adjusted date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a       yc.case_actor := yc.case_actor(p_session);
    v_limit int := least(greatest(coalesce(p_limit, 50), 1), 200);
    v_today date := yc.case_today();
    v_wide  boolean := coalesce(p_office_wide, false);
    v_staff text;
    v_first date;
    v_last  date;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    ELSIF v_wide AND a.role <> 'supervisor' THEN
        result := 'not_allowed';
        RETURN NEXT;
        RETURN;
    END IF;
    v_staff := CASE WHEN NOT v_wide THEN a.staff_no END;
    -- before the first row: every year from today to the due dates loaded
    SELECT least(min(r.due), v_today), greatest(max(r.due), v_today) INTO v_first, v_last
      FROM yc.case_due_rows(v_staff, a.office_code, v_limit) r;
    PERFORM yc.calendar_check(v_first, v_last);
    -- working days left grow with the due date: the earliest p_limit due
    -- dates are the most urgent
    RETURN QUERY
        SELECT 'ok'::text, d.case_no, t.name, pr.name, sc.first_staff_no, sc.status, d.kind,
               d.label, d.material_id, d.due, yc.workdays_between(v_today, d.due), d.limit_days,
               sc.calendar_adjusted
          FROM (SELECT r.* FROM yc.case_due_rows(v_staff, a.office_code, v_limit) r
                 ORDER BY r.due, r.case_no, r.kind LIMIT v_limit) d
          JOIN yc.service_case sc ON sc.office_code = d.office_code AND sc.case_no = d.case_no
          JOIN yc.case_type t ON t.code = sc.case_type_code AND t.version = sc.case_type_version
          JOIN yc.person pr ON pr.id_no = sc.id_no
         ORDER BY 11, d.due, d.case_no, d.kind;
EXCEPTION
    WHEN SQLSTATE 'YC001' THEN
        result := 'calendar';
        RETURN NEXT;
END
$$;

CREATE OR REPLACE TRIGGER calendar_year_order BEFORE INSERT OR UPDATE ON yc.calendar_year
    FOR EACH ROW EXECUTE FUNCTION yc.calendar_year_order();

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.is_workday(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.add_workdays(date, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.calendar_check(date, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.workdays_between(date, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.calendar_year_order() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.date_provisional(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.calendar_missing() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.calendar_case_dates(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.calendar_recompute(integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_deadlines(bigint, boolean, integer) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.is_workday(date),
    yc.add_workdays(date, integer),
    yc.calendar_check(date, date),
    yc.workdays_between(date, date),
    yc.date_provisional(date),
    yc.calendar_missing(),
    yc.case_deadlines(bigint, boolean, integer)
  TO yichuang_app;
