-- db/functions/selfservice.sql: the self-service terminal (自助服务终端,
-- `yichuang kiosk --self-service`, issue 16; tables and settings in
-- 0030_selfservice). The terminal connects as the kiosk role
-- (yichuang_kiosk) and may call only the yc.selfsvc_* functions granted at
-- the end of this file. Each takes the office the terminal stands in and
-- the citizen's ID number (typed, or typed by the card reader) and returns
-- that person's rows only: no function takes a case number alone, none
-- lists anybody else's. The ID number is never returned whole.
--
-- A 承诺制 异地就医备案 (002036004005, 即时办结) filed at the terminal is
-- made by the same functions as an intake at a window (yc.case_new,
-- yc.case_conclude, yc.case_intake_record: event, audit row, announcement,
-- the citizen's text message) with an actor of role 'selfservice', no
-- staff and no window, and channel 'selfservice'. Results are texts as
-- elsewhere: ok | unknown_office | bad_id | not_found | ...
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The actor of a terminal at office p_office (NULL fields when the office
-- is unknown): role 'selfservice', no staff, no window.
CREATE OR REPLACE FUNCTION yc.selfsvc_actor(p_office text) RETURNS yc.case_actor
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor;
BEGIN
    SELECT o.code, o.tier INTO a.office_code, a.tier FROM yc.office o WHERE o.code = p_office;
    IF a.office_code IS NULL THEN
        RETURN a;
    END IF;
    a.role := 'selfservice';
    a.client := 'selfservice';
    a.county := left(a.office_code, 6);
    a.scope := yc.tongban_scope(a.office_code);
    RETURN a;
END
$$;

-- The registered person of ID number p_id (normalised, checked), or NULL.
CREATE OR REPLACE FUNCTION yc.selfsvc_id(p_id text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_id text := yc.case_idno(p_id, yc.case_today());
BEGIN
    IF v_id IS NULL OR NOT EXISTS (SELECT 1 FROM yc.person p WHERE p.id_no = v_id) THEN
        RETURN NULL;
    END IF;
    RETURN v_id;
END
$$;

-- The type code of the 承诺制 备案 the terminal files.
CREATE OR REPLACE FUNCTION yc.selfsvc_filing_type() RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT '002036004005'::text;
$$;

-- The person at the terminal: result ok | unknown_office | bad_id (not a
-- valid ID number) | not_found (no such person registered); on ok the
-- name masked as on the boards (first character, * for the rest, the last
-- kept for three or more), the ID number masked, and the terminal's idle
-- timeout (setting selfservice_idle_seconds).
CREATE OR REPLACE FUNCTION yc.selfsvc_person(p_office text, p_id text,
                                             OUT result text, OUT name_masked text,
                                             OUT id_masked text, OUT idle_seconds int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v_id   text;
    v_name text;
BEGIN
    idle_seconds := yc.setting_int('selfservice_idle_seconds');
    IF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        result := 'unknown_office';
        RETURN;
    END IF;
    IF yc.case_idno(p_id, yc.case_today()) IS NULL THEN
        result := 'bad_id';
        RETURN;
    END IF;
    v_id := yc.selfsvc_id(p_id);
    IF v_id IS NULL THEN
        result := 'not_found';
        RETURN;
    END IF;
    SELECT p.name INTO v_name FROM yc.person p WHERE p.id_no = v_id;
    result := 'ok';
    name_masked := CASE WHEN char_length(v_name) <= 2 THEN left(v_name, 1) || '*'
                        ELSE left(v_name, 1) || repeat('*', char_length(v_name) - 2) || right(v_name, 1) END;
    id_masked := yc.doc_mask_idno(v_id);
END
$$;

-- 查进度: the person's cases, open ones and those finished, rejected or
-- closed within selfservice_recent_days, newest first, at most 50; each
-- with the 事项's name, the stage (or the status), the acceptance date,
-- the promised date (承诺办结日期) and whether it is a 备案 in force that
-- the terminal can revoke. Nothing for an unknown office or person.
CREATE OR REPLACE FUNCTION yc.selfsvc_cases(p_office text, p_id text)
RETURNS TABLE(case_no text, type_name text, stage text, accepted date, promised date,
              finished date, revocable boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_id    text := yc.selfsvc_id(p_id);
    v_since date := yc.case_today() - yc.setting_int('selfservice_recent_days');
BEGIN
    IF v_id IS NULL OR NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT c.case_no, t.name,
           CASE WHEN c.revoked_at IS NOT NULL THEN '备案已撤销'
                WHEN c.status IN ('accepted', 'in_progress') AND st.name IS NOT NULL
                    THEN yc.closing_status_name(c) || '：' || st.name
                ELSE yc.closing_status_name(c) END,
           yc.queue_day(c.accepted_at), c.promised_date, yc.queue_day(c.finished_at),
           c.case_type_code = yc.selfsvc_filing_type() AND c.status = 'finished'
               AND c.revoked_at IS NULL
      FROM yc.service_case c
      JOIN yc.case_type t ON t.code = c.case_type_code AND t.version = c.case_type_version
      LEFT JOIN yc.case_stage st ON st.office_code = c.office_code AND st.case_no = c.case_no
                                AND st.stage_no = c.stage_no
     WHERE c.id_no = v_id
       AND c.status <> 'draft'
       AND (c.status NOT IN ('finished', 'rejected', 'cancelled')
            OR yc.queue_day(coalesce(c.finished_at, c.updated_at)) >= v_since
            OR (c.case_type_code = yc.selfsvc_filing_type() AND c.status = 'finished'
                AND c.revoked_at IS NULL))
     ORDER BY c.created_at DESC, c.case_no DESC
     LIMIT 50;
END
$$;

-- 参保信息查询: the data of the 参保凭证 (print_templates/certificate.mustache,
-- keys as yc.case_document_data's, with self_service true and no case) of
-- the person; {"refused": "no_insurance"} without an insurance record,
-- NULL for an unknown office or person. p_print: the citizen prints it
-- (audited as selfsvc_certificate).
CREATE OR REPLACE FUNCTION yc.selfsvc_insurance(p_office text, p_id text, p_print boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a     yc.case_actor := yc.selfsvc_actor(p_office);
    v_id  text := yc.selfsvc_id(p_id);
    v_ins jsonb;
    v_off yc.office%ROWTYPE;
BEGIN
    IF a.office_code IS NULL OR v_id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT o.* INTO v_off FROM yc.office o WHERE o.code = a.office_code;
    v_ins := yc.doc_insurance(v_id);
    IF jsonb_array_length(v_ins) = 0 THEN
        RETURN jsonb_build_object('refused', 'no_insurance');
    END IF;
    IF p_print THEN
        PERFORM yc.audit_write(a.office_code, NULL, NULL, 'selfsvc_certificate',
            'person:' || yc.doc_mask_idno(v_id), NULL,
            jsonb_build_object('schemes', jsonb_array_length(v_ins)), a.client);
    END IF;
    RETURN jsonb_build_object(
        'template', 'certificate', 'self_service', true,
        'office_code', v_off.code, 'office_name', v_off.name,
        'date', yc.doc_date(yc.doc_day(yc.now())),
        'case_no', '', 'notice_no', '', 'has_notice', false,
        'person_name', (SELECT p.name FROM yc.person p WHERE p.id_no = v_id),
        'id_masked', yc.doc_mask_idno(v_id),
        'clerk', '自助服务终端', 'has_window', false, 'window', '',
        'has_insurance', true, 'insurance', v_ins,
        'has_policy', true, 'policy', yc.policy_doc_year(v_id, yc.doc_day(yc.now())));
END
$$;

-- The data of a document of a 备案 case c for the terminal (template
-- filing-form or pledge): yc.case_document_data with the terminal in the
-- clerk's place.
CREATE OR REPLACE FUNCTION yc.selfsvc_doc(c yc.service_case, p_template text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN yc.case_document_data(c.case_no, p_template)
        || jsonb_build_object('clerk', '自助服务终端', 'has_window', false, 'window', '');
END
$$;

-- A document's data with every form field that holds a mobile phone
-- number shown as 138****0961 (for the screen).
CREATE OR REPLACE FUNCTION yc.selfsvc_mask_phone(d jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN jsonb_typeof(d -> 'fields') = 'array' THEN
        jsonb_set(d, '{fields}', coalesce((
            SELECT jsonb_agg(CASE WHEN btrim(f ->> 'value') ~ '^1[3-9][0-9]{9}$'
                                  THEN f || jsonb_build_object('value', left(btrim(f ->> 'value'), 3)
                                       || '****' || right(btrim(f ->> 'value'), 4))
                                  ELSE f END ORDER BY n)
              FROM jsonb_array_elements(d -> 'fields') WITH ORDINALITY AS x(f, n)), '[]'))
        ELSE d END;
$$;

-- 异地就医备案（承诺制）at the terminal. p_kind: a filing_type option of
-- the definition (retiree resident worker referral temporary); p_place:
-- the province or city of treatment (2-20 CJK characters); the start date
-- is today, the phone the registered one.
-- p_confirm false: the preview. The case is made and its 备案登记表
-- (filing-form) and 承诺书 (pledge) data read, then everything is rolled
-- back: the documents the citizen reads are those the confirmation will
-- print, without a case number (case_no ''), and nothing is kept.
-- p_confirm true: the case is filed, accepted and finished at once
-- (channel selfservice, no clerk; event intake_immediate, audit row
-- case_intake_immediate, announcement), and the documents' data returned.
-- result: ok | unknown_office | bad_id | not_found | bad_input (kind or
-- place) | no_phone (no phone registered: the form needs one) |
-- already_filed (a 备案 of the person in force: revoke it first) |
-- not_allowed (the item is not offered at the office's tier) |
-- unknown_type (the catalogue lacks the item) | calendar.
CREATE OR REPLACE FUNCTION yc.selfsvc_filing(p_office text, p_id text, p_kind text, p_place text,
                                             p_confirm boolean)
RETURNS TABLE(result text, case_no text, filing_form jsonb, pledge jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a       yc.case_actor := yc.selfsvc_actor(p_office);
    v_id    text := yc.selfsvc_id(p_id);
    v_place text := btrim(p_place);
    v_ver   int;
    v_phone text;
    v_today date := yc.case_today();
    c       yc.service_case%ROWTYPE;
    r       record;
    v_seen  text[] := ARRAY['credential', 'filing_form', 'pledge'];
BEGIN
    IF a.office_code IS NULL THEN
        result := 'unknown_office';
    ELSIF yc.case_idno(p_id, v_today) IS NULL THEN
        result := 'bad_id';
    ELSIF v_id IS NULL THEN
        result := 'not_found';
    ELSIF p_kind IS NULL OR p_kind NOT IN ('retiree', 'resident', 'worker', 'referral', 'temporary')
          OR v_place IS NULL OR v_place !~ '^[\u4e00-\u9fff]{2,20}$' THEN
        result := 'bad_input';
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT p.phone INTO v_phone FROM yc.person p WHERE p.id_no = v_id;
    SELECT max(t.version) INTO v_ver FROM yc.case_type t WHERE t.code = yc.selfsvc_filing_type();
    IF coalesce(btrim(v_phone), '') = '' THEN
        result := 'no_phone';
    ELSIF EXISTS (SELECT 1 FROM yc.service_case sc
                   WHERE sc.id_no = v_id AND sc.case_type_code = yc.selfsvc_filing_type()
                     AND sc.status = 'finished' AND sc.revoked_at IS NULL) THEN
        result := 'already_filed';
    ELSIF v_ver IS NULL THEN
        result := 'unknown_type';
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        c := yc.case_new(a, yc.selfsvc_filing_type(), v_ver, v_id, 'selfservice', NULL, NULL,
                         ARRAY['id_no', 'phone', 'filing_type', 'destination', 'start_date'],
                         ARRAY[v_id, btrim(v_phone), p_kind, v_place, v_today::text], NULL, v_seen);
        r := yc.case_conclude(a, c, 'accept', '{}', NULL);
        c := yc.case_intake_record(a, c, c.case_no, false, r.outcome, r.notice_no, NULL, v_seen,
                                   '{}');
        filing_form := yc.selfsvc_doc(c, 'filing-form');
        pledge := yc.selfsvc_doc(c, 'pledge');
        IF NOT p_confirm THEN
            RAISE EXCEPTION 'preview' USING ERRCODE = 'YC011';
        END IF;
        result := 'ok';
        case_no := c.case_no;
    EXCEPTION
        WHEN SQLSTATE 'YC011' THEN
            -- the preview: the values above survive the rollback; it is
            -- shown on a public screen, so the phone number is masked
            -- (the printed copy is the citizen's own and keeps it)
            result := 'ok';
            filing_form := yc.selfsvc_mask_phone(filing_form) || jsonb_build_object('case_no', '');
            pledge := yc.selfsvc_mask_phone(pledge) || jsonb_build_object('case_no', '');
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
            filing_form := NULL;
            pledge := NULL;
        WHEN SQLSTATE 'YC001' THEN
            result := 'calendar';
            filing_form := NULL;
            pledge := NULL;
    END;
    RETURN NEXT;
END
$$;

-- 撤销 of the person's 备案 p_case_no at the terminal: the finished,
-- unrevoked 备案 case of this person (not_found otherwise, whoever else's
-- it is; already_revoked when revoked before) is marked revoked now
-- through channel selfservice; event revoke, audit row case_revoke,
-- announcement. result ok | unknown_office | not_found | already_revoked.
CREATE OR REPLACE FUNCTION yc.selfsvc_revoke(p_office text, p_id text, p_case_no text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a    yc.case_actor := yc.selfsvc_actor(p_office);
    v_id text := yc.selfsvc_id(p_id);
    c    yc.service_case%ROWTYPE;
    v_at timestamptz := yc.now();
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'unknown_office';
    END IF;
    SELECT sc.* INTO c FROM yc.service_case sc
     WHERE sc.case_no = p_case_no AND sc.id_no = v_id
       AND sc.case_type_code = yc.selfsvc_filing_type() AND sc.status = 'finished'
       FOR UPDATE;
    IF c.case_no IS NULL THEN
        RETURN 'not_found';
    END IF;
    IF c.revoked_at IS NOT NULL THEN
        RETURN 'already_revoked';
    END IF;
    UPDATE yc.service_case sc SET revoked_at = v_at, revoked_channel = 'selfservice'
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    PERFORM yc.case_event_add(c.office_code, c.case_no, NULL, 'revoke',
        jsonb_build_object('office_code', a.office_code, 'channel', 'selfservice'));
    PERFORM yc.case_audit(a, 'case_revoke', c.office_code, c.case_no,
        jsonb_build_object('revoked', false),
        jsonb_build_object('revoked', true, 'at', v_at, 'channel', 'selfservice',
                           'case_type', c.case_type_code));
    PERFORM yc.case_notify(c.office_code, a.office_code, 'revoke', c.case_no, c.status);
    RETURN 'ok';
END
$$;

-- Privileges: the helpers for nobody; the terminal's calls for the kiosk
-- role only (not the workstations' role).
REVOKE ALL ON FUNCTION yc.selfsvc_actor(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_mask_phone(jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_id(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_filing_type() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_doc(yc.service_case, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_person(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_cases(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_insurance(text, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_filing(text, text, text, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.selfsvc_revoke(text, text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.selfsvc_person(text, text),
    yc.selfsvc_cases(text, text),
    yc.selfsvc_insurance(text, text, boolean),
    yc.selfsvc_filing(text, text, text, text, boolean),
    yc.selfsvc_revoke(text, text, text)
  TO yichuang_kiosk;
