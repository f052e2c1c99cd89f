-- db/functions/proactive.sql: 生育津贴“免申即享”, the job that opens cases itself.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).
--
-- From the migration that introduced them (0032_proactive; seed 001 item
-- 23): the month after a 生育医疗费支付 case (002036007002) was finished,
-- the system itself opens the 生育津贴支付 case (002036007004) of the
-- person. `yichuang jobs run [--date D]` calls yc.proactive_run(D) as the
-- role yichuang_jobs, from cron or a systemd timer, as often as it likes:
--
-- * Due on day D: every source case finished (办结, Beijing day) in the
--   calendar month before D's month, paid out (no stage of it was closed
--   unworked at 办结: a negative result at 初审 skips 复核 and 拨付), and
--   not decided yet (yc.proactive_link). A case finished in December is
--   due from 1 January; a run in December leaves it. D is today or a day
--   before it (a run that missed a whole month is made up by a run with a
--   --date in that month); the cases are opened today either way.
-- * Decided once: the person's employee insurance (yc.insurance, scheme
--   employee) covering the delivery date (the source form's
--   delivery_date, else the day of 办结) with a unit name gives the 津贴
--   case (outcome opened); none gives no case (outcome no_insurance, an
--   audit row: the unit may still apply at a window); nor does one whose
--   津贴 case of the same delivery date exists (applied for at a window, or
--   opened for another source case of that delivery; not rejected or
--   withdrawn: outcome duplicate, an audit row).
--   Either way the source case is linked and never decided again.
-- * The case: at the nearest office at or above the source case's office
--   that offers the type (its <tiers>: a county centre for a township's
--   case); channel proactive, no clerk, no window; the latest version of
--   the type from the catalogue; the form from what is known (id_no,
--   unit_name, delivery_date and delivery_type of the source case when
--   the type has that option; the others empty); no materials (nothing is
--   asked of anybody); accepted today (yc.case_accept: today's number,
--   the promised date today + the type's limit in working days, stage 1
--   started, or, for a type without stages, waiting for 办结 in the
--   centre's queue: the reviewers' queue either way); event proactive_open
--   and audit row case_proactive_open with the source; the citizen's text
--   message (kind proactive: the case number, the promised date); the
--   announcement on the case's office and its work office.
-- * One run at a time: a transaction-level advisory lock, taken first, so
--   a concurrent run waits and then finds every source case decided; the
--   primary key of yc.proactive_link stops a second decision even so.
--   Each source case is decided in a block of its own: a refusal (office,
--   calendar, numbers) undoes that case alone and is reported; any other
--   error fails the run, and nothing of it is kept.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The type the job opens, and the type it opens it from.
CREATE OR REPLACE FUNCTION yc.proactive_type() RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT '002036007004'::text;
$$;

CREATE OR REPLACE FUNCTION yc.proactive_source_type() RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT '002036007002'::text;
$$;

-- The system acting at office p_office: no staff, no window.
CREATE OR REPLACE FUNCTION yc.proactive_actor(p_office text) RETURNS yc.case_actor
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor;
BEGIN
    SELECT o.code, o.tier INTO a.office_code, a.tier FROM yc.office o WHERE o.code = p_office;
    a.role := 'system';
    a.client := 'yichuang jobs run';
    a.county := left(a.office_code, 6);
    a.scope := yc.tongban_scope(a.office_code);
    RETURN a;
END
$$;

-- Midnight in Asia/Shanghai at the start of day d.
CREATE OR REPLACE FUNCTION yc.proactive_midnight(d date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT d::timestamp AT TIME ZONE 'Asia/Shanghai';
$$;

-- The source cases due on day p_day (see the top), oldest 办结 first.
CREATE OR REPLACE FUNCTION yc.proactive_due(p_day date) RETURNS SETOF yc.service_case
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT sc.* FROM yc.service_case sc
     WHERE sc.case_type_code = yc.proactive_source_type() AND sc.status = 'finished'
       AND sc.finished_at >= yc.proactive_midnight((date_trunc('month', p_day) - interval '1 month')::date)
       AND sc.finished_at < yc.proactive_midnight(date_trunc('month', p_day)::date)
       -- the marker yc.stage_close_all gives a stage never worked at 办结
       AND NOT EXISTS (SELECT 1 FROM yc.case_stage st
                        WHERE st.office_code = sc.office_code AND st.case_no = sc.case_no
                          AND st.note LIKE '未经此环节，%')
       AND NOT EXISTS (SELECT 1 FROM yc.proactive_link l
                        WHERE l.source_office = sc.office_code AND l.source_case = sc.case_no)
     ORDER BY sc.finished_at, sc.case_no;
$$;

-- A date written YYYY-MM-DD in a form, or NULL.
CREATE OR REPLACE FUNCTION yc.proactive_date(p_text text) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
BEGIN
    IF p_text ~ '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$' THEN
        RETURN btrim(p_text)::date;
    END IF;
    RETURN NULL;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
    RETURN NULL;
END
$$;

-- The unit of the person's employee insurance covering day p_on (the
-- latest such record with a unit name), or NULL.
CREATE OR REPLACE FUNCTION yc.proactive_unit(p_id text, p_on date) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT yc.case_trim(i.unit_name) FROM yc.insurance i
     WHERE i.id_no = p_id AND i.scheme = 'employee'
       AND i.since <= p_on AND (i.until IS NULL OR i.until >= p_on)
       AND yc.case_trim(i.unit_name) IS NOT NULL
     ORDER BY i.since DESC LIMIT 1;
$$;

-- The nearest office at or above p_office that offers a type of levels
-- p_tiers, or NULL.
CREATE OR REPLACE FUNCTION yc.proactive_office(p_office text, p_tiers text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT o.code FROM yc.office o
     WHERE o.code IN (SELECT left(p_office, k) FROM unnest(ARRAY[12, 9, 6, 4, 2]) k
                       WHERE k <= length(p_office))
       AND o.tier = ANY (p_tiers)
     ORDER BY length(o.code) DESC LIMIT 1;
$$;

-- The form of the 津贴 case (definition p_doc) from source case s: every
-- field of the definition, those known filled, the others ''.
CREATE OR REPLACE FUNCTION yc.proactive_form(p_doc xml, s yc.service_case, p_unit text,
                                             p_delivery date)
RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_object_agg(f.field_id, coalesce(CASE f.field_id
               WHEN 'id_no' THEN s.id_no
               WHEN 'unit_name' THEN p_unit
               WHEN 'delivery_date' THEN to_char(p_delivery, 'YYYY-MM-DD')
               WHEN 'delivery_type' THEN (
                   SELECT o.v FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
                          '/c:case-type/c:fields/c:field[@id = "delivery_type"]/c:option' PASSING p_doc
                          COLUMNS v text PATH '@value') o
                    WHERE o.v = btrim(s.form ->> 'delivery_type'))
               END, ''))
      FROM yc.case_def_fields(p_doc) f;
$$;

-- The person's 津贴 case for the delivery of day p_delivery that is not
-- rejected, withdrawn or a draft (of any channel), or NULL.
CREATE OR REPLACE FUNCTION yc.proactive_applied(p_id text, p_delivery date) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT sc.case_no FROM yc.service_case sc
     WHERE sc.id_no = p_id AND sc.case_type_code = yc.proactive_type()
       AND sc.status NOT IN ('draft', 'rejected', 'cancelled')
       AND yc.proactive_date(sc.form ->> 'delivery_date') = p_delivery
     ORDER BY sc.created_at LIMIT 1;
$$;

-- Records the decision on source case s for run day p_day.
CREATE OR REPLACE FUNCTION yc.proactive_link_add(s yc.service_case, p_outcome text, n yc.service_case,
                                                 p_day date)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    INSERT INTO yc.proactive_link (source_office, source_case, outcome, case_office, case_no,
                                   run_day, decided_at)
    VALUES (s.office_code, s.case_no, p_outcome, n.office_code, n.case_no, p_day, yc.now());
END
$$;

-- Records that source case s gets no 津贴 case (p_outcome no_insurance or
-- duplicate, with p_detail), audited as proactive_ || p_outcome.
CREATE OR REPLACE FUNCTION yc.proactive_decline(s yc.service_case, p_outcome text, p_day date,
                                                p_detail jsonb)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    PERFORM yc.proactive_link_add(s, p_outcome, NULL, p_day);
    PERFORM yc.audit_write(s.office_code, NULL, NULL, 'proactive_' || p_outcome,
        format('case:%s/%s', s.office_code, s.case_no), NULL,
        p_detail || jsonb_build_object('run_day', p_day, 'case_type', yc.proactive_type()),
        'yichuang jobs run');
END
$$;

-- Opens the 津贴 case of source case s today at office p_office for the
-- run of day p_day (see the top); returns it.
CREATE OR REPLACE FUNCTION yc.proactive_open(s yc.service_case, p_day date, p_office text,
                                             ct yc.case_type, p_unit text, p_delivery date)
RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    a       yc.case_actor := yc.proactive_actor(p_office);
    v_doc   xml := ct.definition::xml;
    v_today date := yc.case_today();
    n       yc.service_case%ROWTYPE;
    v_what  jsonb;
    v_work  text;
BEGIN
    INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no,
                                 status, channel, first_staff_no, window_no, form, created_at)
    VALUES (p_office, yc.case_next_number(p_office, v_today, 'case'), ct.code, ct.version, s.id_no,
            'draft', 'proactive', NULL, NULL, yc.proactive_form(v_doc, s, p_unit, p_delivery),
            yc.now())
    RETURNING * INTO n;
    PERFORM yc.case_accept(n, ct, v_doc, v_today);
    n := yc.stage_reread(n);
    PERFORM yc.proactive_link_add(s, 'opened', n, p_day);
    v_what := jsonb_build_object(
        'source_office', s.office_code, 'source_case', s.case_no, 'run_day', p_day,
        'unit_name', p_unit, 'delivery_date', p_delivery,
        'outbox_id', yc.outbox_citizen(n, 'proactive',
                         jsonb_build_object('promised', yc.doc_date(n.promised_date))));
    PERFORM yc.case_event_add(n.office_code, n.case_no, NULL, 'proactive_open', v_what);
    PERFORM yc.case_audit(a, 'case_proactive_open', n.office_code, n.case_no, NULL,
        yc.stage_snapshot(n) || v_what || jsonb_build_object(
            'case_type', n.case_type_code, 'version', n.case_type_version, 'channel', n.channel));
    v_work := yc.stage_work_office(n);
    PERFORM yc.case_notify(n.office_code, v_work, 'proactive_open', n.case_no, n.status);
    RETURN n;
END
$$;

-------------------------------------------------------------------------------
-- yc.proactive_run: the job's run for day p_day (NULL: today; the cases
-- finished in the month before it are due, and are opened today), in one
-- transaction under the job's advisory lock (see the top). One row per
-- source case decided or refused, in the order of 办结:
--   outcome       opened | no_insurance | duplicate (case_no: the 津贴
--                 case of that delivery) | no_office (no office at or above
--                 the source's offers the type) | unknown_type (the
--                 catalogue lacks it) | calendar (the promised date lies
--                 beyond the loaded calendar) | numbers_exhausted;
--                 only opened, no_insurance and duplicate are
--                 decided (linked), the others are tried again by the
--                 next run
--   source_case, id_masked   the source case and its person (masked)
--   case_no, office_code, unit_name, promised, provisional (the promised
--                 date lies in a provisional calendar year): the case opened
-- A day after today gives one row, outcome future, and does nothing.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.proactive_run(p_day date)
RETURNS TABLE(outcome text, source_case text, id_masked text, case_no text, office_code text,
              unit_name text, promised date, provisional boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_day  date := coalesce(p_day, yc.case_today());
    s      yc.service_case%ROWTYPE;
    n      yc.service_case%ROWTYPE;
    ct     yc.case_type%ROWTYPE;
    v_off  text;
    v_del  date;
    v_unit text;
BEGIN
    IF v_day > yc.case_today() THEN
        outcome := 'future';
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('yc.proactive_run'));
    SELECT t.* INTO ct FROM yc.case_type t WHERE t.code = yc.proactive_type()
     ORDER BY t.version DESC LIMIT 1;
    FOR s IN SELECT * FROM yc.proactive_due(v_day) LOOP
        outcome := NULL;
        source_case := s.case_no;
        id_masked := yc.doc_mask_idno(s.id_no);
        case_no := NULL;
        office_code := NULL;
        promised := NULL;
        provisional := NULL;
        v_del := coalesce(yc.proactive_date(s.form ->> 'delivery_date'), yc.queue_day(s.finished_at));
        unit_name := yc.proactive_unit(s.id_no, v_del);
        BEGIN
            IF ct.code IS NULL THEN
                PERFORM yc.case_refuse('unknown_type');
            END IF;
            v_off := yc.proactive_office(s.office_code, ct.tiers);
            IF v_off IS NULL THEN
                PERFORM yc.case_refuse('no_office');
            END IF;
            case_no := yc.proactive_applied(s.id_no, v_del);
            IF case_no IS NOT NULL THEN
                PERFORM yc.proactive_decline(s, 'duplicate', v_day,
                    jsonb_build_object('delivery_date', v_del, 'case_no', case_no));
                outcome := 'duplicate';
            ELSIF unit_name IS NULL THEN
                PERFORM yc.proactive_decline(s, 'no_insurance', v_day,
                    jsonb_build_object('delivery_date', v_del));
                outcome := 'no_insurance';
            ELSE
                n := yc.proactive_open(s, v_day, v_off, ct, unit_name, v_del);
                outcome := 'opened';
                case_no := n.case_no;
                office_code := n.office_code;
                promised := n.promised_date;
                provisional := yc.date_provisional(n.promised_date);
            END IF;
        EXCEPTION
            WHEN SQLSTATE 'YC010' THEN
                outcome := SQLERRM;
            WHEN SQLSTATE 'YC001' THEN
                outcome := 'calendar';
        END;
        RETURN NEXT;
    END LOOP;
END
$$;

-- Privileges: the helpers for nobody; the run for the job's role only.
REVOKE ALL ON FUNCTION yc.proactive_type() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_source_type() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_actor(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_midnight(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_due(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_date(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_unit(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_office(text, text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_form(xml, yc.service_case, text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_applied(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_decline(yc.service_case, text, date, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_link_add(yc.service_case, text, yc.service_case, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_open(yc.service_case, date, text, yc.case_type, text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.proactive_run(date) FROM PUBLIC, yichuang_app, yichuang_kiosk;
GRANT EXECUTE ON FUNCTION yc.proactive_run(date) TO yichuang_jobs;
