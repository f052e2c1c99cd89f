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

ALTER TABLE yc.calendar_year
    ADD COLUMN basis text NOT NULL DEFAULT 'official'
        CHECK (basis IN ('official', 'provisional'));

CREATE FUNCTION yc.calendar_year_order() RETURNS trigger
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
CREATE TRIGGER calendar_year_order BEFORE INSERT OR UPDATE ON yc.calendar_year
    FOR EACH ROW EXECUTE FUNCTION yc.calendar_year_order();

-- The day an official calendar moved the case's dates (deadline board).
ALTER TABLE yc.service_case ADD COLUMN calendar_adjusted date;

INSERT INTO yc.setting (key, value, description) VALUES
    ('calendar_warn_from', '11-01',
     'MM-DD from which administrators and supervisors are warned that next year''s official calendar is not loaded')
ON CONFLICT (key) DO NOTHING;

-- Is d in a provisional year (its deadlines counted by the statutory
-- rules, not the State Council's notice)?
CREATE FUNCTION yc.date_provisional(d date) RETURNS boolean
LANGUAGE sql STABLE STRICT SET search_path = yc, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM yc.calendar_year cy
                    WHERE cy.year = extract(year FROM d)::int AND cy.basis = 'provisional');
$$;

-- The year whose official calendar is missing and wanted now: this year
-- when it is not official; from the day calendar_warn_from (MM-DD, default
-- 11-01, also when the setting is not of that form) next year when it is
-- not official; else NULL.
CREATE FUNCTION yc.calendar_missing() RETURNS int
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
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
CREATE FUNCTION yc.calendar_case_dates(p_office text, p_case text) RETURNS jsonb
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
CREATE FUNCTION yc.calendar_recompute(p_year int) RETURNS int
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
        IF ct.limit_kind <> 'immediate' AND c.promised_date IS NOT NULL THEN
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
            v_n := v_n + 1;
        END IF;
    END LOOP;
    RETURN v_n;
END
$$;

-- The history line of a case event (0007), with the calendar's adjustment.
CREATE OR REPLACE FUNCTION yc.stage_event_text(p_kind text, d jsonb) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE
        WHEN p_kind ~ '^(intake|continue)_' THEN
            CASE WHEN p_kind LIKE 'continue_%' THEN '补正后' ELSE '' END
            || CASE regexp_replace(p_kind, '^(intake|continue)_', '')
                   WHEN 'accept' THEN '受理' WHEN 'immediate' THEN '即时办结'
                   WHEN 'supplement' THEN '一次性告知' WHEN 'defer' THEN '容缺受理'
                   WHEN 'reject' THEN '不予受理' ELSE p_kind END
            || coalesce('（告知书' || (d ->> 'notice_no') || '）', '')
        WHEN p_kind = 'material_supplied' THEN '容缺材料补齐'
        WHEN p_kind = 'stage_complete' THEN
            '完成“' || coalesce(d ->> 'stage_name', '') || '”'
            || coalesce('：' || (d ->> 'note'), '')
            || CASE WHEN d ->> 'next_name' IS NULL THEN '，待办结'
                    ELSE '，转“' || (d ->> 'next_name') || '”' END
        WHEN p_kind = 'stage_return' THEN
            '退回“' || coalesce(d ->> 'to_name', '') || '”：' || coalesce(d ->> 'reason', '')
        WHEN p_kind = 'stage_return_citizen' THEN
            '退回申请人补正：' || coalesce(d ->> 'reason', '')
            || coalesce('（告知书' || (d ->> 'notice_no') || '）', '')
        WHEN p_kind = 'finish' THEN '办结：' || coalesce(d ->> 'result', '')
        WHEN p_kind = 'extend' THEN
            '延期至' || coalesce(d ->> 'limit_days', '') || '个工作日：' || coalesce(d ->> 'reason', '')
        WHEN p_kind = 'reassign' THEN
            '首问负责人由' || coalesce(d ->> 'from_name', '') || '改为' || coalesce(d ->> 'to_name', '')
        WHEN p_kind = 'calendar_adjust' THEN
            '按' || coalesce(d ->> 'year', '') || '年正式工作日日历调整期限'
            || CASE WHEN d -> 'before' ->> 'promised' IS DISTINCT FROM d -> 'after' ->> 'promised'
                    THEN '：承诺办结日期' || coalesce(d -> 'before' ->> 'promised', '') || '改为'
                         || coalesce(d -> 'after' ->> 'promised', '')
                    ELSE '' END
        ELSE p_kind END;
$$;

-- The documents say when their dates are provisional: yc.case_document
-- (0009) with two more keys for the case behind p_key, when it has data:
--   calendar_provisional (bool)  the promised date (when counted in working
--                                days: not a limit in months), an open
--                                stage's or a deferred material's due date
--                                is in a provisional year
--   calendar_years               those years, e.g. "2027" ("2027、2028")
CREATE OR REPLACE FUNCTION yc.case_document(p_key text, p_template text) RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    c       yc.service_case%ROWTYPE;
    v_data  jsonb;
    v_years text;
BEGIN
    IF left(p_key, 1) = 'N' THEN
        SELECT sc.* INTO c FROM yc.notice nt
          JOIN yc.service_case sc ON sc.office_code = nt.office_code AND sc.case_no = nt.case_no
         WHERE nt.notice_no = p_key;
    ELSE
        SELECT sc.* INTO c FROM yc.service_case sc WHERE sc.case_no = p_key;
    END IF;
    IF NOT yc.connection_trusted() AND (c.case_no IS NULL OR NOT yc.case_visible_here(c)) THEN
        RETURN NULL;
    END IF;
    v_data := yc.case_document_data(p_key, p_template);
    IF v_data IS NULL OR v_data ? 'refused' OR c.case_no IS NULL THEN
        RETURN v_data;
    END IF;
    SELECT string_agg(y::text, '、' ORDER BY y) INTO v_years
      FROM (SELECT DISTINCT extract(year FROM d.due)::int AS y
              FROM (SELECT c.promised_date AS due	-- counted in working days
                     WHERE coalesce(c.limit_days, 0) > 0 OR c.suspended_days > 0
                    UNION ALL
                    SELECT st.due_date FROM yc.case_stage st
                     WHERE st.office_code = c.office_code AND st.case_no = c.case_no
                       AND st.finished_at IS NULL
                    UNION ALL
                    SELECT cm.due_date FROM yc.case_material cm
                     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
                       AND cm.state = 'deferred') d
             WHERE d.due IS NOT NULL AND yc.date_provisional(d.due)) ys;
    RETURN v_data || jsonb_build_object('calendar_provisional', v_years IS NOT NULL,
                                        'calendar_years', coalesce(v_years, ''));
END
$$;

-- The deadline board (0005) with one more column: adjusted, the day an
-- official calendar moved the case's dates (NULL when it did not).
DROP FUNCTION yc.case_deadlines(bigint, boolean, int);
CREATE FUNCTION yc.case_deadlines(p_session bigint, p_office_wide boolean, p_limit int)
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

REVOKE ALL ON FUNCTION yc.calendar_year_order(), yc.date_provisional(date), yc.calendar_missing(),
    yc.calendar_case_dates(text, text), yc.calendar_recompute(int),
    yc.case_deadlines(bigint, boolean, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yc.date_provisional(date), yc.calendar_missing(),
    yc.case_deadlines(bigint, boolean, int) TO yichuang_app;
