-- db/functions/closing.sql: a case closed before 办结: 撤回 (withdrawal) and 终止办理 (termination).
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0017_case_closing):
-- Two ways an open case (waiting for 补正, accepted or in progress, 容缺
-- included) ends without 办结:
--
--   撤回 (yc.case_withdraw)   the citizen withdraws their own case, at any
--        window that may see it (yc.case_get: the office's jurisdiction,
--        全市通办 for a case waiting for 补正, an office that worked on it);
--        clerks and supervisors (the roles that take cases); the reason is
--        the citizen's, optional (default 申请人主动申请撤回). Notice kind
--        'withdrawal', printed as 《撤回申请确认书》 (withdrawal-notice).
--   终止办理 (yc.case_terminate)   supervisors only, for a case of their
--        office or an office below it of which a deferred (容缺) material is
--        past its supply-by date (due_date before today, yc.case_today()):
--        the 承诺书 signed at 容缺受理 says 如未能按期补交上述材料，本人同意
--        经办机构终止办理本事项. The reason is optional (default
--        申请人未在承诺期限内补交容缺材料). Notice kind 'termination', its
--        body listing the overdue materials with their dates, the
--        容缺受理通知书 and the day of the 承诺书, printed as
--        《终止办理告知书》 (termination-notice).
--
-- Either, in one transaction (yc.closing_close): the case becomes
-- 'cancelled' with closed_as 'withdrawn' or 'terminated', closed_at now and
-- closed_reason; every stage not yet finished is closed now by the actor
-- (its note says why; one never started is marked so); the outstanding
-- deferred materials are no longer asked for (state 'missing', their date
-- kept); the notice is numbered by the actor's office and stored with the
-- case; an event 'withdraw' or 'terminate' (naming the actor's office, so
-- that office keeps seeing the case to print again); an audit row
-- 'case_withdraw' / 'case_terminate' with before and after; NOTIFY on the
-- case's office, the actor's, and the office that worked its open stage.
-- finished_at stays NULL: the daily report counts these cases apart.
-- The citizen gets a text message (yc.outbox_citizen, kinds withdrawn and
-- terminated) in the same transaction.
--
-- result: ok | no_session | not_allowed (a role that does not take cases;
--         termination: not a supervisor, or a case outside the
--         supervisor's office and the offices below it) | not_found (no
--         such case, or one the session may not see) | closed (finished,
--         not accepted, withdrawn or ended already) | not_pending (a case
--         that is not open otherwise: a draft) | not_overdue (termination
--         without a deferred material past its date) | bad_input (a reason
--         over 500 characters) | numbers_exhausted
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Helpers (internal, never granted)
-------------------------------------------------------------------------------

-- The status of a case as screens and documents name it: 已撤回 and
-- 已终止办理 for a closed one, 已办结（备案已撤销） for a 备案 revoked
-- (0030_selfservice), else its status's name.
CREATE OR REPLACE FUNCTION yc.closing_status_name(c yc.service_case) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN c.revoked_at IS NOT NULL THEN '已办结（备案已撤销）'  -- 0030
                ELSE CASE c.closed_as WHEN 'withdrawn' THEN '已撤回' WHEN 'terminated' THEN '已终止办理'
                          ELSE yc.stage_status_name(c.status) END END;
$$;

-- The deferred materials of an open case past their supply-by date (due
-- before p_today), in checklist order; none for a closed case. Read by
-- the case's primary key.
CREATE OR REPLACE FUNCTION yc.closing_overdue(c yc.service_case, p_today date)
RETURNS SETOF yc.case_material
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT cm.* FROM yc.case_material cm
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
       AND cm.state = 'deferred' AND cm.due_date < p_today
       AND c.status IN ('pending_supplement', 'accepted', 'in_progress')
     ORDER BY cm.ord;
$$;

-- What the case view (yc.stage_case_head) says of closing: closed_as
-- ('' | withdrawn | terminated), closed (YYYY-MM-DD, '' when open),
-- closed_reason, overdue_deferred (how many deferred materials are past
-- their date: a supervisor may end the case when > 0).
CREATE OR REPLACE FUNCTION yc.closing_case_keys(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object(
        'closed_as', coalesce(c.closed_as, ''),
        'closed', yc.stage_day_text(c.closed_at),
        'closed_reason', coalesce(c.closed_reason, ''),
        'overdue_deferred', (SELECT count(*)::int FROM yc.closing_overdue(c, yc.case_today())));
$$;

-- The history line of a closing event (yc.stage_event_text).
CREATE OR REPLACE FUNCTION yc.closing_event_text(p_kind text, d jsonb) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE p_kind
        WHEN 'withdraw' THEN '申请人撤回申请：' || coalesce(d ->> 'reason', '')
            || coalesce('（撤回申请确认书' || (d ->> 'notice_no') || '）', '')
        WHEN 'terminate' THEN '容缺材料逾期未补交，终止办理：' || coalesce(d ->> 'reason', '')
            || coalesce('（终止办理告知书' || (d ->> 'notice_no') || '）', '')
        ELSE p_kind END;
$$;

-- The state of a case as audited before and after closing.
CREATE OR REPLACE FUNCTION yc.closing_snapshot(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT yc.stage_snapshot(c) || jsonb_build_object(
        'closed_as', c.closed_as, 'closed_at', c.closed_at, 'closed_reason', c.closed_reason,
        'deferred', yc.case_material_ids(c.office_code, c.case_no, 'deferred'),
        'open_stages', (SELECT coalesce(jsonb_agg(st.stage_no ORDER BY st.stage_no), '[]')
                          FROM yc.case_stage st
                         WHERE st.office_code = c.office_code AND st.case_no = c.case_no
                           AND st.finished_at IS NULL));
$$;

-- The open case p_case_no as the actor may see it, locked FOR UPDATE.
-- Refuses (YC010) not_found, closed, not_pending (see the top).
CREATE OR REPLACE FUNCTION yc.closing_take(a yc.case_actor, p_case_no text) RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    c yc.service_case%ROWTYPE;
BEGIN
    c := yc.case_get(a, yc.case_trim(p_case_no), true);
    IF c.case_no IS NULL THEN
        PERFORM yc.case_refuse('not_found');
    ELSIF c.status IN ('finished', 'rejected', 'cancelled') THEN
        PERFORM yc.case_refuse('closed');
    ELSIF c.status NOT IN ('pending_supplement', 'accepted', 'in_progress') THEN
        PERFORM yc.case_refuse('not_pending');
    END IF;
    RETURN c;
END
$$;

-- Closes the open case c (locked) as p_as ('withdrawn' | 'terminated')
-- with the reason, issuing a notice of kind p_kind whose body is p_body
-- plus the reason (see the top). Returns the notice's number.
CREATE OR REPLACE FUNCTION yc.closing_close(a yc.case_actor, c yc.service_case, p_as text, p_kind text,
                                 p_reason text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now    timestamptz := yc.now();
    v_event  text := CASE p_as WHEN 'withdrawn' THEN 'withdraw' ELSE 'terminate' END;
    v_before jsonb := yc.closing_snapshot(c);
    -- the office working the case's open stage (or its 办结) hears of it too
    v_work   text := CASE WHEN c.status IN ('accepted', 'in_progress') THEN yc.stage_work_office(c) END;
    v_why    text := CASE p_as WHEN 'withdrawn' THEN '申请人撤回时关闭' ELSE '终止办理时关闭' END;
    v_mats   jsonb := yc.case_material_ids(c.office_code, c.case_no, 'deferred');
    v_stages int[];
    v_no     text;
    v_what   jsonb;
    n        yc.service_case%ROWTYPE;
BEGIN
    WITH closed AS (
        UPDATE yc.case_stage st
           SET started_at = coalesce(st.started_at, v_now), finished_at = v_now,
               finished_by = a.staff_no,
               note = CASE WHEN st.started_at IS NULL THEN '未经此环节，' ELSE '未办完，' END || v_why
         WHERE st.office_code = c.office_code AND st.case_no = c.case_no AND st.finished_at IS NULL
        RETURNING st.stage_no)
    SELECT coalesce(array_agg(cl.stage_no ORDER BY cl.stage_no), '{}') INTO v_stages FROM closed cl;
    -- no longer asked for: not presented, the date it was due kept
    UPDATE yc.case_material cm SET state = 'missing'
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no AND cm.state = 'deferred';
    v_no := yc.case_notice(a, c, p_kind, coalesce(p_body, '{}') || jsonb_build_object(
        'reason', p_reason, 'status_before', c.status));
    UPDATE yc.service_case sc
       SET status = 'cancelled', closed_as = p_as, closed_at = v_now, closed_reason = p_reason,
           stage_no = NULL
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no
    RETURNING sc.* INTO n;
    v_what := jsonb_build_object(
        'reason', p_reason, 'notice_no', v_no, 'status_before', c.status, 'stage_no', c.stage_no,
        'stages_closed', to_jsonb(v_stages), 'deferred_cancelled', v_mats,
        'office_code', a.office_code, 'window_no', a.window_no);
    PERFORM yc.case_event_add(c.office_code, c.case_no, a.staff_no, v_event, v_what);
    -- the citizen is told (print_templates/sms/withdrawn|terminated); an
    -- unsent 容缺 reminder is cancelled by the same call
    PERFORM yc.outbox_citizen(n, p_as,
                              jsonb_build_object('reason', p_reason));
    PERFORM yc.case_audit(a, 'case_' || v_event, c.office_code, c.case_no, v_before,
                          yc.closing_snapshot(n) || jsonb_build_object('event', v_what));
    PERFORM yc.case_notify(c.office_code, a.office_code, v_event, c.case_no, n.status);
    IF v_work IS NOT NULL AND v_work NOT IN (c.office_code, a.office_code) THEN
        PERFORM yc.case_notify(v_work, v_work, v_event, c.case_no, n.status);
    END IF;
    RETURN v_no;
END
$$;

-- The data a withdrawal-notice or termination-notice prints beyond the
-- common keys of yc.case_document_data (its caller), for case c and its
-- notice nt of kind 'withdrawal' or 'termination':
--   closing_reason                 the reason stored with the notice
--   closed_by                      who recorded it
--   has_applied, applied           the day the case was registered
--   has_address, address, has_phone, phone
--                                  the issuing office's (the notice's
--                                  issued_by), when the office has them
--   termination only:
--   overdue[] {no, name, form, due}, overdue_count
--                                  each deferred material past its date at
--                                  the termination (an any-of group by all
--                                  its alternatives, joined by 或)
--   has_deferred_notice, deferred_notice_no, deferred_notice_date
--                                  the 容缺受理通知书
--   has_commitment, commitment_date
--                                  the day the 承诺书 was signed (issued
--                                  with the 容缺受理通知书)
CREATE OR REPLACE FUNCTION yc.closing_document_keys(c yc.service_case, nt yc.notice) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object(
        'closing_reason', coalesce(nt.body ->> 'reason', c.closed_reason, ''),
        'closed_by', coalesce((SELECT s.name FROM yc.staff s WHERE s.staff_no = nt.staff_no), ''),
        'has_applied', c.created_at IS NOT NULL,
        'applied', yc.doc_date(yc.doc_day(c.created_at)),
        'has_address', coalesce(btrim(o.j ->> 'address'), '') <> '',
        'address', coalesce(btrim(o.j ->> 'address'), ''),
        'has_phone', coalesce(btrim(o.j ->> 'phone'), '') <> '',
        'phone', coalesce(btrim(o.j ->> 'phone'), ''))
    || CASE WHEN nt.kind = 'termination' THEN jsonb_build_object(
        'overdue', coalesce((SELECT jsonb_agg(jsonb_build_object(
                       'no', o.k, 'name', o.e ->> 'name',
                       'form', yc.doc_form_name(o.e ->> 'form'),
                       'due', yc.doc_date((o.e ->> 'due')::date)) ORDER BY o.k)
                     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(nt.body -> 'overdue') = 'array'
                                                    THEN nt.body -> 'overdue' ELSE '[]' END)
                          WITH ORDINALITY o(e, k)), '[]'),
        'overdue_count', CASE WHEN jsonb_typeof(nt.body -> 'overdue') = 'array'
                              THEN jsonb_array_length(nt.body -> 'overdue') ELSE 0 END,
        'has_deferred_notice', nt.body ->> 'deferred_notice_no' IS NOT NULL,
        'deferred_notice_no', coalesce(nt.body ->> 'deferred_notice_no', ''),
        'deferred_notice_date', yc.doc_date(yc.doc_day((nt.body ->> 'deferred_notice_at')::timestamptz)),
        'has_commitment', nt.body ->> 'commitment_at' IS NOT NULL,
        'commitment_date', yc.doc_date(yc.doc_day((nt.body ->> 'commitment_at')::timestamptz)))
       ELSE '{}'::jsonb END
      -- the office row as JSON: address and phone are read when it has them
      FROM (SELECT (SELECT to_jsonb(x) FROM yc.office x
                     WHERE x.code = coalesce(nt.body ->> 'issued_by', c.office_code)) AS j) o;
$$;

-------------------------------------------------------------------------------
-- Entry points
-------------------------------------------------------------------------------

-- yc.case_withdraw: 撤回 of an open case at the citizen's request (see
-- the top); p_reason optional (NULL or blank: 申请人主动申请撤回; at most
-- 500 characters). notice_no: the 撤回申请确认书's number.
-- result: ok | no_session | not_allowed | not_found | closed | not_pending
--         | bad_input | numbers_exhausted
CREATE OR REPLACE FUNCTION yc.case_withdraw(p_session bigint, p_case_no text, p_reason text)
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
        IF a.role NOT IN ('clerk', 'supervisor') THEN
            PERFORM yc.case_refuse('not_allowed');
        END IF;
        v_reason := coalesce(yc.stage_text(p_reason, NULL), '申请人主动申请撤回');
        c := yc.closing_take(a, p_case_no);
        notice_no := yc.closing_close(a, c, 'withdrawn', 'withdrawal', v_reason, '{}');
        result := 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
            notice_no := NULL;
    END;
    RETURN NEXT;
END
$$;

-- yc.case_terminate: 终止办理 by a supervisor of an open case of the
-- supervisor's office or one below it with a deferred material past its
-- date (see the top); p_reason optional (default 申请人未在承诺期限内补交
-- 容缺材料; at most 500 characters). notice_no: the 终止办理告知书's number.
-- The notice's body: overdue [{id, item_no, name, form, due}] (each item
-- once, an any-of group by all its alternatives), deferred_notice_no and
-- deferred_notice_at (the latest 容缺受理通知书), commitment_at (the
-- 承诺书: signed with it).
-- result: ok | no_session | not_allowed | not_found | closed | not_pending
--         | not_overdue | bad_input | numbers_exhausted
CREATE OR REPLACE FUNCTION yc.case_terminate(p_session bigint, p_case_no text, p_reason text)
RETURNS TABLE(result text, notice_no text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a         yc.case_actor := yc.case_actor(p_session);
    c         yc.service_case%ROWTYPE;
    d         yc.notice%ROWTYPE;
    v_reason  text;
    v_overdue jsonb;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        IF a.role <> 'supervisor' THEN
            PERFORM yc.case_refuse('not_allowed');
        END IF;
        v_reason := coalesce(yc.stage_text(p_reason, NULL), '申请人未在承诺期限内补交容缺材料');
        c := yc.closing_take(a, p_case_no);
        IF NOT yc.office_in_jurisdiction(a, c.office_code) THEN
            PERFORM yc.case_refuse('not_allowed');
        END IF;
        SELECT jsonb_agg(jsonb_build_object(
                   'id', o.material_id, 'item_no', o.item_no,
                   'name', (SELECT string_agg(m.name, '或' ORDER BY m.ord) FROM yc.case_material m
                             WHERE m.office_code = c.office_code AND m.case_no = c.case_no
                               AND m.item_no = o.item_no),
                   'form', o.form, 'due', o.due_date) ORDER BY o.ord)
          INTO v_overdue
          FROM yc.closing_overdue(c, yc.case_today()) o;
        IF v_overdue IS NULL THEN
            PERFORM yc.case_refuse('not_overdue');
        END IF;
        SELECT nt.* INTO d FROM yc.notice nt
         WHERE nt.office_code = c.office_code AND nt.case_no = c.case_no AND nt.kind = 'deferred'
         ORDER BY nt.issued_at DESC, nt.notice_no DESC
         LIMIT 1;
        notice_no := yc.closing_close(a, c, 'terminated', 'termination', v_reason,
            jsonb_build_object('overdue', v_overdue)
            || jsonb_strip_nulls(jsonb_build_object(
                'deferred_notice_no', d.notice_no, 'deferred_notice_at', d.issued_at,
                'commitment_at', d.issued_at)));
        result := 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
            notice_no := NULL;
    END;
    RETURN NEXT;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.closing_status_name(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_overdue(yc.service_case, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_case_keys(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_event_text(text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_snapshot(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_take(yc.case_actor, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_close(yc.case_actor, yc.service_case, text, text, text, jsonb)
    FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.closing_document_keys(yc.service_case, yc.notice) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_withdraw(bigint, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_terminate(bigint, text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.case_withdraw(bigint, text, text),
    yc.case_terminate(bigint, text, text)
  TO yichuang_app;
