-- db/functions/backoffice.sql: stage work: complete, return, finish, extend, reassign.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0007_backoffice):
-- 0007_backoffice: the back office (前台一窗受理，后台分办联办快办). An
-- accepted case moves through the stages of its definition to 办结:
-- complete a stage (the next one starts), send it back (退回: to the
-- previous stage, or to the citizen for 补正), finish it (办结, with the
-- result and a notification in the outbox), extend its limit (延期,
-- supervisors), and hand the open cases of an absent clerk to another
-- (supervisors).
--
-- Conventions as in 0005: SECURITY DEFINER entry points with search_path =
-- yc, pg_temp and the session first; expected refusals come back as result
-- texts (raised inside as YC010 by yc.case_refuse, so a refusal found late
-- undoes every row written); a date beyond the loaded calendar (YC001) is
-- 'calendar'; every change writes a case event and an audit row with
-- before/after, and is announced with yc.case_notify on the case's office
-- channel, the actor's, and the channel of the office that works the case
-- next.
--
-- Who works what. Each stage has a work office (yc.case_stage.work_office,
-- derived from the case's office and the stage's level, 0024_office_levels):
-- the case's office code cut to the level's length, so the prefecture for a
-- prefecture stage (a prefecture may run the 复核 for its counties), the
-- county for a county stage, the township for a township stage (a village
-- case's parent township), the village itself for a village stage. A stage
-- whose level is below the level of the office that accepted the case (the
-- 乡镇初审 of a 零星报销 accepted at the county centre) is worked by the
-- accepting office itself: the county centre does that 初审 (as its own
-- county-only items, e.g. 002036006003 市医保中心初审, do). Its stage row,
-- planned due date and place on the deadline board stay as 0005 made them
-- at acceptance; nobody at a township ever sees a county case. A case with
-- no stage open (no stages in its definition, or every stage completed)
-- waits for 办结 at its centre: its county (the first 6 digits of its
-- office), or its own office when that is above county level.
--   reviewer     the stages worked by its centre (its office, or the county
--                of a lower one), and 办结 of the centre's cases
--   clerk        (township or village office only) the stages worked by its
--                own office; a county counter clerk works no stage
--   supervisor   the stages worked by its office and the offices below it
--                at any depth; at each centre among them also 办结; and 延期
--                and reassignment
-- Whoever works a case's current stage (or its 办结) may complete it, send
-- it back, or finish it (办结 with a negative result at 初审 included).
-- A case outside the actor's jurisdiction (its office and the offices
-- below it) does not exist for these functions: 'not_found'; one inside it
-- at a stage the actor does not work: 'not_allowed'.
-- Stage days count in working days from the stage's start (the day itself
-- not counted): stage 1 from acceptance (as 0005 planned it), each later
-- stage from the day the previous one is completed, a stage taken up again
-- (退回, 补正) from that day. Completing the last stage leaves the case
-- in_progress with no current stage (stage_no NULL), waiting for 办结 in
-- its centre's queue. The first stage work turns 'accepted' into
-- 'in_progress'.
--
-- 退回 to the citizen: the case waits as pending_supplement with a
-- numbered notice of kind 'supplement' whose body carries the reason
-- ({"returned": true, "reason": …, "stage_no": …, "stage_name": …,
-- "missing": []}: a reason-only notice; the materials seen stay seen).
-- The 补正 is the intake's (yc.case_intake with p_continue_case, outcome
-- accept, nothing new to tick): yc.case_accept, replaced below, takes an
-- already accepted case up again instead of accepting it anew. The working
-- days the citizen took (from the return to the 补正) do not count against
-- the limit (补正时间不计入办理时限): they add to suspended_days and the
-- promised date moves by as many; the open stage starts again that day.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Helpers (internal, never granted)
-------------------------------------------------------------------------------

-- The offices whose stages the actor works (see the top): reviewer its
-- centre (its office at county level or above, else its county); clerk of
-- a township or village office that office; supervisor its office and the
-- offices below it at any depth (yc.office_subtree);
-- nobody else.
CREATE OR REPLACE FUNCTION yc.stage_offices(a yc.case_actor) RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT a.county WHERE a.role = 'reviewer'
    UNION ALL
    SELECT a.office_code WHERE a.role = 'clerk' AND a.tier IN ('township', 'village')
    UNION ALL
    SELECT b.code FROM yc.office_subtree(a.office_code) b WHERE a.role = 'supervisor';
$$;

-- Whether the actor works what the office p_work works.
CREATE OR REPLACE FUNCTION yc.stage_may_work(a yc.case_actor, p_work text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM yc.stage_offices(a) o WHERE o = p_work);
$$;

-- The open stage of a case (started, not finished), NULL fields when none.
CREATE OR REPLACE FUNCTION yc.stage_current(c yc.service_case) RETURNS yc.case_stage
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT st.* FROM yc.case_stage st
     WHERE st.office_code = c.office_code AND st.case_no = c.case_no
       AND st.stage_no = c.stage_no AND st.started_at IS NOT NULL AND st.finished_at IS NULL;
$$;

-- The office that works a case now: its open stage's, else (waiting for
-- 办结) its centre: its county, or its office when above county level.
CREATE OR REPLACE FUNCTION yc.stage_work_office(c yc.service_case) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce((yc.stage_current(c)).work_office, left(c.office_code, 6));
$$;

-- The state of a case as audited before and after a change.
CREATE OR REPLACE FUNCTION yc.stage_snapshot(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object(
        'status', c.status, 'stage_no', c.stage_no, 'stage_due', (yc.stage_current(c)).due_date,
        'limit_days', c.limit_days, 'promised', c.promised_date,
        'suspended_days', c.suspended_days, 'first_staff_no', c.first_staff_no,
        'result', c.result);
$$;

-- The case row as it is now.
CREATE OR REPLACE FUNCTION yc.stage_reread(c yc.service_case) RETURNS yc.service_case
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT sc.* FROM yc.service_case sc
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
$$;

-- The event, audit row and announcements of a change of case c (p_before:
-- its snapshot before): the event p_kind with p_detail (plus the actor's
-- office and window), the audit action 'case_' || p_kind, the
-- announcement on the case's, the actor's and (when it changed) the new
-- work office's channels.
CREATE OR REPLACE FUNCTION yc.stage_record(a yc.case_actor, c yc.service_case, p_before jsonb, p_kind text,
                                p_detail jsonb)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    n      yc.service_case%ROWTYPE := yc.stage_reread(c);
    v_work text := yc.stage_work_office(n);
    v_what jsonb := coalesce(p_detail, '{}') || jsonb_build_object(
        'office_code', a.office_code, 'window_no', a.window_no);
BEGIN
    PERFORM yc.case_event_add(n.office_code, n.case_no, a.staff_no, p_kind, v_what);
    PERFORM yc.case_audit(a, 'case_' || p_kind, n.office_code, n.case_no, p_before,
                          yc.stage_snapshot(n) || jsonb_build_object('event', v_what));
    PERFORM yc.case_notify(n.office_code, a.office_code, p_kind, n.case_no, n.status);
    IF n.status IN ('accepted', 'in_progress') AND v_work NOT IN (n.office_code, a.office_code) THEN
        PERFORM yc.case_notify(v_work, v_work, p_kind, n.case_no, n.status);
    END IF;
END
$$;

-- Whether a case (as yc.case_get found it: NULL fields when not) lies in
-- the actor's jurisdiction: its office is the actor's or one below it (a
-- centre reaches every office below it). Outside it a case does not exist
-- for the back office ('not_found'), as 0009_jurisdiction makes every case
-- function see it; inside it, a stage the actor does not work is
-- 'not_allowed'.
CREATE OR REPLACE FUNCTION yc.stage_in_reach(a yc.case_actor, c yc.service_case) RETURNS boolean
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT c.case_no IS NOT NULL
           AND left(c.office_code, length(a.office_code)) = a.office_code;
$$;

-- The case an actor works now, locked FOR UPDATE. Refuses (YC010):
-- not_allowed when the actor works no stage at all; not_found outside the
-- actor's jurisdiction (yc.stage_in_reach); not_pending unless accepted or in progress, or when
-- p_stage_no is given and the case is no longer there (0: waiting for
-- 办结) — a stale screen or a key pressed twice; not_allowed when its
-- current stage (or its 办结) is not worked by the actor.
CREATE OR REPLACE FUNCTION yc.stage_take(a yc.case_actor, p_case_no text, p_stage_no int)
RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    c yc.service_case%ROWTYPE;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.stage_offices(a)) THEN
        PERFORM yc.case_refuse('not_allowed');
    END IF;
    c := yc.case_get(a, p_case_no, true);
    IF NOT yc.stage_in_reach(a, c) THEN
        PERFORM yc.case_refuse('not_found');
    ELSIF c.status NOT IN ('accepted', 'in_progress')
          OR (p_stage_no IS NOT NULL AND coalesce(c.stage_no, 0) <> p_stage_no) THEN
        PERFORM yc.case_refuse('not_pending');
    ELSIF NOT yc.stage_may_work(a, yc.stage_work_office(c)) THEN
        PERFORM yc.case_refuse('not_allowed');
    END IF;
    RETURN c;
END
$$;

-- A text argument (reason, note, result): trimmed, at most 500 characters
-- (bad_input), no control character nor bidirectional override (bad_text,
-- yc.text_safe); NULL or blank refused with p_missing unless p_missing is
-- NULL (optional text).
CREATE OR REPLACE FUNCTION yc.stage_text(p_text text, p_missing text) RETURNS text
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_text text := yc.case_trim(p_text);
BEGIN
    IF v_text IS NULL AND p_missing IS NOT NULL THEN
        PERFORM yc.case_refuse(p_missing);
    ELSIF char_length(v_text) > 500 THEN
        PERFORM yc.case_refuse('bad_input');
    ELSIF NOT yc.text_safe(v_text) THEN
        PERFORM yc.case_refuse('bad_text');
    END IF;
    RETURN v_text;
END
$$;

-- Starts (or starts again) stage p_stage_no of a case today: started now,
-- due its days in working days after p_today, not finished.
CREATE OR REPLACE FUNCTION yc.stage_start(c yc.service_case, p_stage_no int, p_today date)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    UPDATE yc.case_stage st
       SET started_at = yc.now(), due_date = yc.add_workdays(p_today, st.days),
           finished_at = NULL, finished_by = NULL, note = NULL
     WHERE st.office_code = c.office_code AND st.case_no = c.case_no AND st.stage_no = p_stage_no;
END
$$;

-- The promised date of an accepted case with a limit of p_limit working
-- days (months for a months item, from its type's limit on the path of the
-- case's form: yc.case_def_limit), counted from the day of acceptance,
-- moved by the working days the case waited for the citizen.
CREATE OR REPLACE FUNCTION yc.stage_promised(c yc.service_case, ct yc.case_type, p_limit int) RETURNS date
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_day  date := yc.queue_day(c.accepted_at);
    v_base date;
    lim    record;
BEGIN
    SELECT l.* INTO lim FROM yc.case_def_limit(ct, ct.definition::xml, c.form) l;
    v_base := CASE lim.kind
        WHEN 'workdays' THEN yc.add_workdays(v_day, p_limit)
        WHEN 'months' THEN (v_day + make_interval(months => lim.months))::date
        ELSE v_day END;
    RETURN yc.add_workdays(v_base, c.suspended_days);
END
$$;

-- 补正 of a case the back office returned to the citizen (see the top):
-- in progress again, the working days waited added to suspended_days and
-- the promised date, its open stage started again today.
CREATE OR REPLACE FUNCTION yc.stage_resume(c yc.service_case, ct yc.case_type, p_today date)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF c.suspended_at IS NOT NULL THEN
        c.suspended_days := c.suspended_days
            + greatest(yc.workdays_between(yc.queue_day(c.suspended_at), p_today), 0);
    END IF;
    UPDATE yc.service_case sc
       SET status = 'in_progress', suspended_at = NULL, suspended_days = c.suspended_days,
           promised_date = yc.stage_promised(c, ct, c.limit_days)
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    IF c.stage_no IS NOT NULL THEN
        PERFORM yc.stage_start(c, c.stage_no, p_today);
    END IF;
END
$$;

-- The notification of a finished case (c as finished) in the outbox
-- (yc.outbox_citizen: the template finished, to the citizen's phone or
-- app): the result and, for an item that pays to a bank card (a bankcard
-- field: reimbursements), the 动账提醒 (card: 尾号 and the card number's
-- last 4 digits, else 登记). Returns its id.
CREATE OR REPLACE FUNCTION yc.stage_outbox(c yc.service_case) RETURNS bigint
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_card text := regexp_replace(coalesce(c.form ->> 'bank_card', ''), '\D', '', 'g');
    v_pays boolean;
BEGIN
    SELECT xpath_exists('/c:case-type/c:fields/c:field[@type = "bankcard"]', t.definition::xml,
                        ARRAY[ARRAY['c', 'urn:yichuang:case-type:1']]) INTO v_pays
      FROM yc.case_type t
     WHERE t.code = c.case_type_code AND t.version = c.case_type_version;
    RETURN yc.outbox_citizen(c, 'finished', jsonb_build_object(
        'date', yc.doc_date(yc.queue_day(c.finished_at)), 'result', c.result,
        'pays', coalesce(v_pays, false),
        'card', CASE WHEN length(v_card) >= 4 THEN '尾号' || right(v_card, 4) ELSE '登记' END));
END
$$;

-- Closes every open stage of a case at 办结 (one never started is marked
-- so); returns the numbers of those never started.
CREATE OR REPLACE FUNCTION yc.stage_close_all(a yc.case_actor, c yc.service_case) RETURNS int[]
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now     timestamptz := yc.now();
    v_skipped int[];
BEGIN
    WITH closed AS (
        UPDATE yc.case_stage st
           SET started_at = coalesce(st.started_at, v_now), finished_at = v_now,
               finished_by = a.staff_no,
               note = CASE WHEN st.started_at IS NULL THEN '未经此环节，办结时关闭' ELSE st.note END
         WHERE st.office_code = c.office_code AND st.case_no = c.case_no AND st.finished_at IS NULL
        RETURNING st.stage_no, st.note)
    SELECT coalesce(array_agg(cl.stage_no ORDER BY cl.stage_no), '{}') INTO v_skipped
      FROM closed cl WHERE cl.note = '未经此环节，办结时关闭';
    RETURN v_skipped;
END
$$;

-- The cases waiting at the stages (and the 办结) the actor works, earliest
-- due first, at most p_limit, without the working days remaining: per work
-- office the first p_limit open stages by due date (case_stage_work_idx),
-- and for each centre (an office of county level or above) among them the
-- first p_limit of its cases waiting for 办结 by promised date
-- (service_case_finish_idx); a case waiting for the
-- citizen (pending_supplement) is not in the queue.
CREATE OR REPLACE FUNCTION yc.stage_queue_rows(a yc.case_actor, p_limit int)
RETURNS TABLE(office_code text, case_no text, stage_no int, stage_name text, tier text,
              started date, due date, days int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT x.* FROM (
        SELECT q.* FROM yc.stage_offices(a) w(office)
         CROSS JOIN LATERAL (
            SELECT st.office_code, st.case_no, st.stage_no, st.name AS stage_name, st.tier,
                   yc.queue_day(st.started_at) AS started, st.due_date AS due, st.days
              FROM yc.case_stage st
              JOIN yc.service_case sc ON sc.office_code = st.office_code AND sc.case_no = st.case_no
             WHERE st.work_office = w.office AND st.started_at IS NOT NULL
               AND st.finished_at IS NULL AND sc.status IN ('accepted', 'in_progress')
             ORDER BY st.due_date, st.case_no
             LIMIT p_limit) q
        UNION ALL
        SELECT f.* FROM yc.stage_offices(a) w(office)
         CROSS JOIN LATERAL (
            SELECT sc.office_code, sc.case_no, 0, '待办结', 'county',
                   yc.queue_day(coalesce((SELECT max(st.finished_at) FROM yc.case_stage st
                                           WHERE st.office_code = sc.office_code
                                             AND st.case_no = sc.case_no), sc.accepted_at)),
                   sc.promised_date, sc.limit_days
              FROM yc.service_case sc
             WHERE length(w.office) <= 6 AND left(sc.office_code, 6) = w.office
               AND sc.status IN ('accepted', 'in_progress') AND sc.stage_no IS NULL
             ORDER BY sc.promised_date, sc.case_no
             LIMIT p_limit) f) x
     ORDER BY x.due, x.case_no
     LIMIT p_limit;
$$;

-------------------------------------------------------------------------------
-- The case view (yc.stage_case): its parts as JSON. Texts and dates absent
-- are "" (dates 'YYYY-MM-DD', times 'YYYY-MM-DD HH24:MI' in Beijing),
-- numbers absent null; codes come with their Chinese names (*_name) for
-- the screen, which may translate the codes itself instead.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.stage_day_text(p_at timestamptz) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(to_char(yc.queue_day(p_at), 'YYYY-MM-DD'), '');
$$;

CREATE OR REPLACE FUNCTION yc.stage_time_text(p_at timestamptz) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(to_char(p_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '');
$$;

CREATE OR REPLACE FUNCTION yc.stage_status_name(p_status text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE p_status
        WHEN 'draft' THEN '草稿' WHEN 'pending_supplement' THEN '待补正'
        WHEN 'accepted' THEN '已受理' WHEN 'in_progress' THEN '办理中'
        WHEN 'finished' THEN '已办结' WHEN 'rejected' THEN '不予受理'
        WHEN 'cancelled' THEN '已撤销' ELSE coalesce(p_status, '') END;
$$;

-- case {…}: see yc.stage_case.
CREATE OR REPLACE FUNCTION yc.stage_case_head(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object(
        'office_code', c.office_code, 'office_name', o.name, 'case_no', c.case_no,
        'type_code', c.case_type_code, 'version', c.case_type_version, 'type_name', t.name,
        'limit', c.limit_days, 'suspended_days', c.suspended_days,
        'status', c.status, 'status_name', yc.closing_status_name(c),
        'person_name', pr.name, 'id_no', c.id_no, 'phone', coalesce(pr.phone, ''),
        'channel', c.channel,
        'channel_name', yc.case_channel_name(c.channel),
        'agent_name', coalesce(c.agent_name, ''),
        -- a case filed at a self-service terminal (0030) or opened by the
        -- system (免申即享, 0032) has no clerk
        'clerk', CASE c.channel WHEN 'selfservice' THEN '自助服务终端'
                                WHEN 'proactive' THEN '系统（免申即享）' ELSE coalesce(s.name, '') END,
        'clerk_no', c.first_staff_no,
        'window', coalesce(w.label, ''))
     || jsonb_build_object(
        'accepted', yc.stage_day_text(c.accepted_at),
        'promised', coalesce(to_char(c.promised_date, 'YYYY-MM-DD'), ''),
        'finished', yc.stage_day_text(c.finished_at),
        'result', coalesce(c.result, ''), 'reason', coalesce(c.reason, ''),
        'stage_no', c.stage_no)
     || yc.closing_case_keys(c)
      FROM yc.office o
      JOIN yc.case_type t ON t.code = c.case_type_code AND t.version = c.case_type_version
      JOIN yc.person pr ON pr.id_no = c.id_no
      LEFT JOIN yc.staff s ON s.staff_no = c.first_staff_no
      LEFT JOIN yc.service_window w ON w.office_code = c.office_code AND w.window_no = c.window_no
     WHERE o.code = c.office_code;
$$;

-- form [{id, label, value}] in the definition's order, labels and choice
-- texts from the stored definition (the back office sees the values
-- unmasked: it pays to the bank card).
CREATE OR REPLACE FUNCTION yc.stage_case_form(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    WITH def AS (
        SELECT t.definition::xml AS doc FROM yc.case_type t
         WHERE t.code = c.case_type_code AND t.version = c.case_type_version
    ), fields AS (
        SELECT x.* FROM def, XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                   '/ct:case-type/ct:fields/ct:field' PASSING def.doc
                   COLUMNS ord FOR ORDINALITY, id text PATH '@id', label text PATH '@label') x
    ), opts AS (
        SELECT x.* FROM def, XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                   '/ct:case-type/ct:fields/ct:field/ct:option' PASSING def.doc
                   COLUMNS field text PATH '../@id', value text PATH '@value',
                           label text PATH '.') x
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', v.key, 'label', coalesce(nullif(f.label, ''), v.key),
               'value', coalesce((SELECT o.label FROM opts o
                                   WHERE o.field = v.key AND o.value = v.value), v.value))
               ORDER BY f.ord NULLS LAST, v.key), '[]')
      FROM jsonb_each_text(CASE WHEN jsonb_typeof(c.form) = 'object' THEN c.form
                                ELSE '{}'::jsonb END) v
      LEFT JOIN fields f ON f.id = v.key;
$$;

-- The form as yc.stage_case_form gives it, for the case view of a role
-- that neither takes cases nor works stages (a guide, an administrator):
-- bank cards and ID numbers masked as on the documents.
CREATE OR REPLACE FUNCTION yc.stage_case_form_masked(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(CASE WHEN e.v ->> 'id' IN (
                                        SELECT x.field_id
                                          FROM yc.case_type t, yc.case_def_secret_fields(t.definition::xml) x
                                         WHERE t.code = c.case_type_code AND t.version = c.case_type_version)
                                   THEN jsonb_set(e.v, '{value}', to_jsonb(yc.doc_mask_idno(e.v ->> 'value')))
                                   ELSE e.v END ORDER BY e.n), '[]')
      FROM jsonb_array_elements(yc.stage_case_form(c)) WITH ORDINALITY e(v, n);
$$;

-- materials [{no, id, name, form, form_name, state, state_name, due}].
CREATE OR REPLACE FUNCTION yc.stage_case_materials(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'no', cm.item_no, 'id', cm.material_id, 'name', cm.name,
               'form', cm.form, 'form_name', yc.doc_form_name(cm.form),
               'state', cm.state,
               'state_name', CASE cm.state WHEN 'seen' THEN '已收' WHEN 'missing' THEN '缺'
                                           WHEN 'deferred' THEN '容缺' WHEN 'supplied' THEN '已补'
                                           ELSE '无需' END,
               'due', coalesce(to_char(cm.due_date, 'YYYY-MM-DD'), ''))
               ORDER BY cm.ord), '[]')
      FROM yc.case_material cm
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no;
$$;

-- notices [{notice_no, kind, issued, reason}] oldest first (notice_case_idx).
CREATE OR REPLACE FUNCTION yc.stage_case_notices(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'notice_no', nt.notice_no, 'kind', nt.kind,
               'issued', yc.stage_time_text(nt.issued_at),
               'reason', coalesce(nt.body ->> 'reason', ''))
               ORDER BY nt.issued_at, nt.notice_no), '[]')
      FROM yc.notice nt
     WHERE nt.office_code = c.office_code AND nt.case_no = c.case_no;
$$;

-- stages [{no, name, tier, tier_name, days, started, due, finished, by, note}].
CREATE OR REPLACE FUNCTION yc.stage_case_stages(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'no', st.stage_no, 'name', st.name, 'tier', st.tier,
               'tier_name', yc.doc_tier_name(st.tier), 'days', st.days,
               'started', yc.stage_day_text(st.started_at),
               'due', to_char(st.due_date, 'YYYY-MM-DD'),
               'finished', yc.stage_day_text(st.finished_at),
               'by', coalesce(s.name, ''), 'note', coalesce(st.note, ''))
               ORDER BY st.stage_no), '[]')
      FROM yc.case_stage st
      LEFT JOIN yc.staff s ON s.staff_no = st.finished_by
     WHERE st.office_code = c.office_code AND st.case_no = c.case_no;
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
        WHEN p_kind = 'proactive_open' THEN
            '免申即享：依生育医疗费办件' || coalesce(d ->> 'source_case', '') || '主动受理'
            || coalesce('（用人单位' || (d ->> 'unit_name') || '）', '')
        WHEN p_kind = 'extend' THEN
            '延期至' || coalesce(d ->> 'limit_days', '') || '个工作日：' || coalesce(d ->> 'reason', '')
        WHEN p_kind IN ('withdraw', 'terminate') THEN yc.closing_event_text(p_kind, d)
        WHEN p_kind = 'reassign' THEN
            '首问负责人由' || coalesce(d ->> 'from_name', '') || '改为' || coalesce(d ->> 'to_name', '')
        WHEN p_kind IN ('mail_in', 'mail_out') THEN
            CASE p_kind WHEN 'mail_in' THEN '收到邮寄' ELSE '邮寄送达' END
            || coalesce(d ->> 'contents', '') || '（运单号' || coalesce(d ->> 'tracking_no', '') || '）'
        WHEN p_kind = 'calendar_adjust' THEN
            '按' || coalesce(d ->> 'year', '') || '年正式工作日日历调整期限'
            || CASE WHEN d -> 'before' ->> 'promised' IS DISTINCT FROM d -> 'after' ->> 'promised'
                    THEN '：承诺办结日期' || coalesce(d -> 'before' ->> 'promised', '') || '改为'
                         || coalesce(d -> 'after' ->> 'promised', '')
                    ELSE '' END
        ELSE p_kind END;
$$;

-- events [{at, staff, staff_no, kind, text}] oldest first, at most 500
-- (the primary key); the audit log holds the same with before/after.
CREATE OR REPLACE FUNCTION yc.stage_case_events(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'at', yc.stage_time_text(e.at), 'staff', coalesce(s.name, ''),
               'staff_no', coalesce(e.staff_no, ''), 'kind', e.kind,
               'text', yc.stage_event_text(e.kind, e.detail))
               ORDER BY e.seq), '[]')
      FROM (SELECT ev.* FROM yc.case_event ev
             WHERE ev.office_code = c.office_code AND ev.case_no = c.case_no
             ORDER BY ev.seq LIMIT 500) e
      LEFT JOIN yc.staff s ON s.staff_no = e.staff_no;
$$;

-------------------------------------------------------------------------------
-- Entry points
-------------------------------------------------------------------------------

-- yc.stage_queue: the cases waiting at the stages the session works (see
-- the top), earliest due first, at most p_limit (1 to 200, default 50):
-- the stage (stage_no 0 and stage_name '待办结' for a case waiting for
-- 办结 at its centre: started when its last stage was completed or when it
-- was accepted, due its promised date, days its limit), its tier, start
-- and due date, the working days from today to the due date (negative:
-- overdue), the case's promised date.
-- result: ok (one row per case; none when nothing waits) | no_session
--         | not_allowed (the session works no stage) | calendar (one row)
CREATE OR REPLACE FUNCTION yc.stage_queue(p_session bigint, p_limit int)
RETURNS TABLE(result text, office_code text, case_no text, type_name text, person_name text,
              stage_no int, nstages int, stage_name text, tier text, started date, due date,
              remaining int, days int, promised date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a       yc.case_actor := yc.case_actor(p_session);
    v_limit int := least(greatest(coalesce(p_limit, 50), 1), 200);
    v_today date := yc.case_today();
    v_first date;
    v_last  date;
BEGIN
    IF a.office_code IS NULL OR NOT EXISTS (SELECT 1 FROM yc.stage_offices(a)) THEN
        result := CASE WHEN a.office_code IS NULL THEN 'no_session' ELSE 'not_allowed' END;
        RETURN NEXT;
        RETURN;
    END IF;
    -- before the first row: every year from today to the due dates loaded
    SELECT least(min(r.due), v_today), greatest(max(r.due), v_today) INTO v_first, v_last
      FROM yc.stage_queue_rows(a, v_limit) r;
    PERFORM yc.calendar_check(v_first, v_last);
    RETURN QUERY
        SELECT 'ok'::text, r.office_code, r.case_no, t.name, pr.name, r.stage_no,
               (SELECT count(*)::int FROM yc.case_stage st
                 WHERE st.office_code = r.office_code AND st.case_no = r.case_no),
               r.stage_name, r.tier, r.started, r.due, yc.workdays_between(v_today, r.due),
               r.days, sc.promised_date
          FROM yc.stage_queue_rows(a, v_limit) r
          JOIN yc.service_case sc ON sc.office_code = r.office_code AND sc.case_no = r.case_no
          JOIN yc.case_type t ON t.code = sc.case_type_code AND t.version = sc.case_type_version
          JOIN yc.person pr ON pr.id_no = sc.id_no
         ORDER BY r.due, r.case_no;
EXCEPTION
    WHEN SQLSTATE 'YC001' THEN
        result := 'calendar';
        RETURN NEXT;
END
$$;

-- yc.stage_case: everything about one case for the back-office view, as
-- one JSON object: case {office_code, office_name, case_no, type_code,
-- version, type_name, limit (working days, with any extension; null for a
-- months item), suspended_days, status, status_name, person_name, id_no,
-- phone, channel, channel_name, agent_name, clerk, clerk_no, window,
-- accepted, promised, finished, result, reason, stage_no (null: none
-- open), and closed_as, closed, closed_reason, overdue_deferred of
-- yc.closing_case_keys}, form, materials, notices, stages, events (see
-- the helpers above); for clerks, supervisors and reviewers also policy
-- (what the 参保 rules told the citizen: service_case.policy) and
-- insurance (the person's history, yc.policy_years). Any case the session may see (yc.case_get: of its
-- office and the offices below it; 全市通办, a case waiting for 补正
-- anywhere in the actor's scope (setting tongban_scope) and one the office worked
-- on, so that it may be withdrawn and its documents printed again there).
-- The form's bank cards and ID numbers are masked for a role that neither
-- takes cases nor works stages (guide, admin: yc.stage_case_form_masked).
-- result: ok | no_session | not_found (also outside the jurisdiction)
CREATE OR REPLACE FUNCTION yc.stage_case(p_session bigint, p_case_no text)
RETURNS TABLE(result text, body jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
    c yc.service_case%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    c := yc.case_get(a, yc.case_trim(p_case_no), false);
    IF c.case_no IS NULL THEN
        result := 'not_found';
    ELSE
        result := 'ok';
        body := jsonb_build_object(
            'case', yc.stage_case_head(c),
            'form', CASE WHEN a.role IN ('clerk', 'supervisor', 'reviewer') THEN yc.stage_case_form(c)
                         ELSE yc.stage_case_form_masked(c) END,
            'materials', yc.stage_case_materials(c), 'notices', yc.stage_case_notices(c),
            'stages', yc.stage_case_stages(c), 'events', yc.stage_case_events(c),
            'mail', yc.mail_rows(c))
            || CASE WHEN a.role IN ('clerk', 'supervisor', 'reviewer') THEN jsonb_build_object(
                   'policy', c.policy, 'insurance', yc.policy_years(c.id_no)) ELSE '{}' END;
    END IF;
    RETURN NEXT;
END
$$;

-- yc.case_last_change: what last happened to a case, for the clerk whose
-- action came too late and changed nothing (issue 19: a second F2 on a
-- stage already completed, a colleague who was faster, the loser of two
-- 补正 of one case at once): the latest event of the case, who did it
-- (name, staff number, that staff member's office) and when (Beijing
-- time, YYYY-MM-DD HH:MI), and its history line (yc.stage_event_text).
-- Any case the session may see (yc.case_get), and a case of its 全市通办
-- scope that waited for 补正 (a supplement notice): the loser of a 补正
-- may no longer see a case another office has just accepted. Nothing of
-- the citizen is returned.
-- result: ok | no_session | not_found
CREATE OR REPLACE FUNCTION yc.case_last_change(p_session bigint, p_case_no text)
RETURNS TABLE(result text, staff_no text, staff_name text, office_name text, at text, what text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a    yc.case_actor := yc.case_actor(p_session);
    c    yc.service_case%ROWTYPE;
    v_no text := yc.case_trim(p_case_no);
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    c := yc.case_get(a, v_no, false);
    IF c.case_no IS NULL THEN
        SELECT sc.* INTO c FROM yc.service_case sc
         WHERE sc.case_no = v_no AND left(sc.office_code, length(a.scope)) = a.scope
           AND EXISTS (SELECT 1 FROM yc.notice n
                        WHERE n.office_code = sc.office_code AND n.case_no = sc.case_no
                          AND n.kind = 'supplement');
    END IF;
    result := 'not_found';
    IF c.case_no IS NOT NULL THEN
        SELECT 'ok', e.staff_no, coalesce(s.name, e.staff_no), coalesce(o.name, ''),
               yc.stage_time_text(e.at), yc.stage_event_text(e.kind, e.detail)
          INTO result, staff_no, staff_name, office_name, at, what
          FROM yc.case_event e
          LEFT JOIN yc.staff s ON s.staff_no = e.staff_no
          LEFT JOIN yc.office o ON o.code = s.office_code
         WHERE e.office_code = c.office_code AND e.case_no = c.case_no
         ORDER BY e.seq DESC
         LIMIT 1;
        result := coalesce(result, 'not_found');
    END IF;
    RETURN NEXT;
END
$$;

-- yc.stage_complete: the current stage of a case is done (with an
-- optional note, at most 500 characters): finished now by the session's
-- staff; the next stage starts today, due its days in working days after
-- today; after the last stage the case waits for 办结 at its centre
-- (stage_no NULL). The case is in_progress. p_stage_no (optional): the
-- stage the worker saw; the call is refused as not_pending when the case
-- is no longer there.
-- result: ok | no_session | not_allowed | not_found | not_pending (not
--         accepted or in progress, or no stage open: waiting for 办结)
--         | bad_input | calendar
-- No money on an incomplete file: the last stage (拨付, where a case pays)
-- is not completed, nor a case finished, while a 容缺 material is still
-- outstanding (deferred_missing).
CREATE OR REPLACE FUNCTION yc.stage_deferred_check(c yc.service_case) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM yc.case_material cm
                WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
                  AND cm.state = 'deferred') THEN
        PERFORM yc.case_refuse('deferred_missing');
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION yc.stage_complete(p_session bigint, p_case_no text, p_note text,
                                  p_stage_no int DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a      yc.case_actor := yc.case_actor(p_session);
    c      yc.service_case%ROWTYPE;
    cur    yc.case_stage%ROWTYPE;
    nxt    yc.case_stage%ROWTYPE;
    v_note text;
    v_before jsonb;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    END IF;
    BEGIN
        v_note := yc.stage_text(p_note, NULL);
        c := yc.stage_take(a, p_case_no, p_stage_no);
        v_before := yc.stage_snapshot(c);
        cur := yc.stage_current(c);
        IF cur.stage_no IS NULL THEN
            PERFORM yc.case_refuse('not_pending');
        END IF;
        UPDATE yc.case_stage st SET finished_at = yc.now(), finished_by = a.staff_no, note = v_note
         WHERE st.office_code = c.office_code AND st.case_no = c.case_no
           AND st.stage_no = cur.stage_no;
        SELECT st.* INTO nxt FROM yc.case_stage st
         WHERE st.office_code = c.office_code AND st.case_no = c.case_no
           AND st.stage_no = cur.stage_no + 1;
        IF nxt.stage_no IS NULL THEN
            PERFORM yc.stage_deferred_check(c);
        END IF;
        IF nxt.stage_no IS NOT NULL THEN
            PERFORM yc.stage_start(c, nxt.stage_no, yc.case_today());
        END IF;
        UPDATE yc.service_case sc SET status = 'in_progress', stage_no = nxt.stage_no
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
        PERFORM yc.stage_record(a, c, v_before, 'stage_complete', jsonb_build_object(
            'stage_no', cur.stage_no, 'stage_name', cur.name, 'note', v_note,
            'next', nxt.stage_no, 'next_name', nxt.name));
        RETURN 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            RETURN SQLERRM;
        WHEN SQLSTATE 'YC001' THEN
            RETURN 'calendar';
    END;
END
$$;

-- 退回 to the previous stage: the current stage is reset (not started),
-- the previous one starts again today (due from today); a case waiting for
-- 办结 goes back to its last stage. From the first stage, or for a case
-- without stages: not_allowed.
CREATE OR REPLACE FUNCTION yc.stage_back(a yc.case_actor, c yc.service_case, p_reason text) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    cur      yc.case_stage%ROWTYPE := yc.stage_current(c);
    prev     yc.case_stage%ROWTYPE;
    v_before jsonb := yc.stage_snapshot(c);
BEGIN
    SELECT st.* INTO prev FROM yc.case_stage st
     WHERE st.office_code = c.office_code AND st.case_no = c.case_no
       AND st.stage_no < coalesce(cur.stage_no, 2147483647)
     ORDER BY st.stage_no DESC LIMIT 1;
    IF prev.stage_no IS NULL THEN
        PERFORM yc.case_refuse('not_allowed');
    END IF;
    UPDATE yc.case_stage st SET started_at = NULL, finished_at = NULL, finished_by = NULL, note = NULL
     WHERE st.office_code = c.office_code AND st.case_no = c.case_no AND st.stage_no = cur.stage_no;
    PERFORM yc.stage_start(c, prev.stage_no, yc.case_today());
    UPDATE yc.service_case sc SET status = 'in_progress', stage_no = prev.stage_no
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    PERFORM yc.stage_record(a, c, v_before, 'stage_return', jsonb_build_object(
        'stage_no', cur.stage_no, 'stage_name', cur.name, 'to', prev.stage_no,
        'to_name', prev.name, 'reason', p_reason));
END
$$;

-- 退回 to the citizen: pending_supplement since now, with a numbered
-- reason-only notice of kind 'supplement' (see the top). Returns its number.
CREATE OR REPLACE FUNCTION yc.stage_to_citizen(a yc.case_actor, c yc.service_case, p_reason text) RETURNS text
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    cur      yc.case_stage%ROWTYPE := yc.stage_current(c);
    v_before jsonb := yc.stage_snapshot(c);
    v_no     text;
BEGIN
    v_no := yc.case_notice(a, c, 'supplement', jsonb_build_object(
        'returned', true, 'reason', p_reason, 'stage_no', cur.stage_no,
        'stage_name', coalesce(cur.name, ''), 'missing', '[]'::jsonb));
    UPDATE yc.service_case sc SET status = 'pending_supplement', suspended_at = yc.now()
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    PERFORM yc.stage_record(a, c, v_before, 'stage_return_citizen', jsonb_build_object(
        'stage_no', cur.stage_no, 'stage_name', cur.name, 'reason', p_reason,
        'notice_no', v_no));
    RETURN v_no;
END
$$;

-- yc.stage_return: 退回 with a reason (1 to 500 characters:
-- reason_needed, bad_input), by whoever may work the case now: to the
-- previous stage (p_to_citizen false; see yc.stage_back), or to the
-- citizen for 补正 (see yc.stage_to_citizen; the notice number comes
-- back). p_stage_no as for yc.stage_complete.
-- result: ok | no_session | not_allowed | not_found | not_pending
--         | reason_needed | bad_input | numbers_exhausted | calendar
CREATE OR REPLACE FUNCTION yc.stage_return(p_session bigint, p_case_no text, p_to_citizen boolean,
                                p_reason text, p_stage_no int DEFAULT NULL)
RETURNS TABLE(result text, notice_no text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    c        yc.service_case%ROWTYPE;
    v_reason text;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        IF p_to_citizen IS NULL THEN
            PERFORM yc.case_refuse('bad_input');
        END IF;
        v_reason := yc.stage_text(p_reason, 'reason_needed');
        c := yc.stage_take(a, p_case_no, p_stage_no);
        IF p_to_citizen THEN
            notice_no := yc.stage_to_citizen(a, c, v_reason);
        ELSE
            PERFORM yc.stage_back(a, c, v_reason);
        END IF;
        result := 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
            notice_no := NULL;
        WHEN SQLSTATE 'YC001' THEN
            result := 'calendar';
            notice_no := NULL;
    END;
    RETURN NEXT;
END
$$;

-- yc.stage_finish: 办结 with the result (1 to 500 characters:
-- reason_needed, bad_input), by whoever may work the case now (its open
-- stage, or its 办结 at its centre): finished now, every open stage closed,
-- the notification written to yc.outbox (yc.stage_outbox). p_stage_no as
-- for yc.stage_complete (0: the case is waiting for 办结).
-- result: ok | no_session | not_allowed | not_found | not_pending
--         | reason_needed | bad_input | deferred_missing (a 容缺 material
--         not yet supplied; also for completing the last stage)
CREATE OR REPLACE FUNCTION yc.stage_finish(p_session bigint, p_case_no text, p_result text,
                                p_stage_no int DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    c        yc.service_case%ROWTYPE;
    f        yc.service_case%ROWTYPE;
    v_result text;
    v_closed int[];
    v_before jsonb;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    END IF;
    BEGIN
        v_result := yc.stage_text(p_result, 'reason_needed');
        c := yc.stage_take(a, p_case_no, p_stage_no);
        PERFORM yc.stage_deferred_check(c);
        v_before := yc.stage_snapshot(c);
        v_closed := yc.stage_close_all(a, c);
        UPDATE yc.service_case sc
           SET status = 'finished', finished_at = yc.now(), result = v_result, stage_no = NULL
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no
        RETURNING sc.* INTO f;
        PERFORM yc.stage_record(a, c, v_before, 'finish', jsonb_build_object(
            'result', v_result, 'stage_no', c.stage_no, 'skipped', to_jsonb(v_closed),
            'outbox_id', yc.stage_outbox(f)));
        RETURN 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            RETURN SQLERRM;
    END;
END
$$;

-- yc.stage_extend: 延期 (特殊情况), supervisors only, for an open case
-- (accepted, in progress or waiting for 补正: else not_pending) of their
-- office or an office below it (else not_found): the limit becomes p_limit_days working
-- days, longer than the case's limit now and at most the special limit of
-- its definition (else not_allowed, also for a type without one); with a
-- reason (reason_needed; at most 500 characters). The promised date is
-- counted again from the day of acceptance (plus the days waited for the
-- citizen) and comes back for the citizen's copy.
-- result: ok | no_session | not_allowed | not_found | not_pending
--         | reason_needed | bad_input | calendar
CREATE OR REPLACE FUNCTION yc.stage_extend(p_session bigint, p_case_no text, p_limit_days int, p_reason text)
RETURNS TABLE(result text, promised date)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    c        yc.service_case%ROWTYPE;
    ct       yc.case_type%ROWTYPE;
    lim      record;
    v_reason text;
    v_before jsonb;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        IF a.role <> 'supervisor' THEN
            PERFORM yc.case_refuse('not_allowed');
        ELSIF p_limit_days IS NULL OR p_limit_days <= 0 THEN
            PERFORM yc.case_refuse('bad_input');
        END IF;
        v_reason := yc.stage_text(p_reason, 'reason_needed');
        c := yc.case_get(a, p_case_no, true);
        IF NOT yc.stage_in_reach(a, c) THEN
            PERFORM yc.case_refuse('not_found');
        ELSIF c.status NOT IN ('accepted', 'in_progress', 'pending_supplement')
              OR c.accepted_at IS NULL THEN
            PERFORM yc.case_refuse('not_pending');
        END IF;
        SELECT t.* INTO ct FROM yc.case_type t
         WHERE t.code = c.case_type_code AND t.version = c.case_type_version;
        SELECT l.* INTO lim FROM yc.case_def_limit(ct, ct.definition::xml, c.form) l;
        IF lim.kind IS DISTINCT FROM 'workdays' OR lim.special_days IS NULL
           OR p_limit_days <= c.limit_days OR p_limit_days > lim.special_days THEN
            PERFORM yc.case_refuse('not_allowed');
        END IF;
        v_before := yc.stage_snapshot(c);
        promised := yc.stage_promised(c, ct, p_limit_days);
        UPDATE yc.service_case sc SET limit_days = p_limit_days, promised_date = promised
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
        PERFORM yc.stage_record(a, c, v_before, 'extend', jsonb_build_object(
            'limit_days', p_limit_days, 'reason', v_reason));
        result := 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
            promised := NULL;
        WHEN SQLSTATE 'YC001' THEN
            result := 'calendar';
            promised := NULL;
    END;
    RETURN NEXT;
END
$$;

-- yc.stage_reassign: supervisors only (not_allowed). The open cases
-- (首问负责: first_staff_no; not finished, rejected or cancelled) of staff
-- p_from_staff at the supervisor's office and the offices below it go to
-- p_to_staff, an active clerk of that office or one below it (not_allowed
-- otherwise); unknown staff: not_found; the same staff twice or a blank
-- one: bad_input. Each case moved gets its event and audit row
-- (before/after) and is announced on its office's channel; moved says how
-- many (0 when the clerk had none).
-- result: ok | no_session | not_allowed | not_found | bad_input
CREATE OR REPLACE FUNCTION yc.stage_reassign(p_session bigint, p_from_staff text, p_to_staff text)
RETURNS TABLE(result text, moved int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a      yc.case_actor := yc.case_actor(p_session);
    v_from yc.staff%ROWTYPE;
    v_to   yc.staff%ROWTYPE;
    v_len  int := length(a.office_code);
    m      record;
BEGIN
    moved := 0;
    SELECT s.* INTO v_from FROM yc.staff s WHERE s.staff_no = btrim(p_from_staff);
    SELECT s.* INTO v_to FROM yc.staff s WHERE s.staff_no = btrim(p_to_staff);
    result := CASE
        WHEN a.office_code IS NULL THEN 'no_session'
        WHEN a.role <> 'supervisor' THEN 'not_allowed'
        WHEN yc.case_trim(p_from_staff) IS NULL OR yc.case_trim(p_to_staff) IS NULL
             OR btrim(p_from_staff) = btrim(p_to_staff) THEN 'bad_input'
        WHEN v_from.staff_no IS NULL OR v_to.staff_no IS NULL THEN 'not_found'
        WHEN NOT v_to.active OR v_to.role <> 'clerk'
             OR left(v_to.office_code, v_len) <> a.office_code THEN 'not_allowed'
        ELSE 'ok' END;
    IF result <> 'ok' THEN
        RETURN NEXT;
        RETURN;
    END IF;
    -- service_case_staff_open_idx
    FOR m IN UPDATE yc.service_case sc SET first_staff_no = v_to.staff_no
              WHERE sc.first_staff_no = v_from.staff_no
                AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
                AND left(sc.office_code, v_len) = a.office_code
             RETURNING sc.office_code, sc.case_no, sc.status
    LOOP
        PERFORM yc.case_event_add(m.office_code, m.case_no, a.staff_no, 'reassign',
            jsonb_build_object('from', v_from.staff_no, 'from_name', v_from.name,
                               'to', v_to.staff_no, 'to_name', v_to.name,
                               'office_code', a.office_code, 'window_no', a.window_no));
        PERFORM yc.case_audit(a, 'case_reassign', m.office_code, m.case_no,
            jsonb_build_object('first_staff_no', v_from.staff_no),
            jsonb_build_object('first_staff_no', v_to.staff_no));
        PERFORM yc.case_notify(m.office_code, a.office_code, 'reassign', m.case_no, m.status);
        moved := moved + 1;
    END LOOP;
    RETURN NEXT;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.stage_offices(yc.case_actor) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_may_work(yc.case_actor, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_current(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_work_office(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_snapshot(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_reread(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_record(yc.case_actor, yc.service_case, jsonb, text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_in_reach(yc.case_actor, yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_take(yc.case_actor, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_text(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_start(yc.service_case, integer, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_promised(yc.service_case, yc.case_type, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_resume(yc.service_case, yc.case_type, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_outbox(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_close_all(yc.case_actor, yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_queue_rows(yc.case_actor, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_day_text(timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_time_text(timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_status_name(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_head(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_form(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_form_masked(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_materials(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_notices(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_stages(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_event_text(text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case_events(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_queue(bigint, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_case(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_last_change(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_deferred_check(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_complete(bigint, text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_back(yc.case_actor, yc.service_case, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_to_citizen(yc.case_actor, yc.service_case, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_return(bigint, text, boolean, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_finish(bigint, text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_extend(bigint, text, integer, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.stage_reassign(bigint, text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.stage_queue(bigint, integer),
    yc.stage_case(bigint, text),
    yc.case_last_change(bigint, text),
    yc.stage_complete(bigint, text, text, integer),
    yc.stage_return(bigint, text, boolean, text, integer),
    yc.stage_finish(bigint, text, text, integer),
    yc.stage_extend(bigint, text, integer, text),
    yc.stage_reassign(bigint, text, text)
  TO yichuang_app;
