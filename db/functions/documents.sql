-- db/functions/documents.sql: the data of printed documents.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- 0006_documents: the data of the printed case documents (受理通知书,
-- 一次性告知书, 容缺受理通知书, 承诺书, 不予受理通知书, 办结回执, 参保凭证,
-- 办结通知), as one template-ready JSON value per document; the templates
-- are print_templates/<name>.mustache and `yichuang print --case/--notice`
-- renders them (tui/store/casedoc.c).
--
-- Read only: nothing here changes a case. Every ID number leaves the
-- server masked (first 6 and last 4 characters kept, as val_mask_idno in
-- tui/model/validate.c). Dates are printed the Chinese way
-- (2026年11月22日), days in Asia/Shanghai, today from yc.now().
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Helpers (not granted: used by yc.case_document only)
-------------------------------------------------------------------------------

-- '360981198001010018' -> '360981********0018'; 10 characters or fewer
-- all '*'; NULL -> ''.
CREATE OR REPLACE FUNCTION yc.doc_mask_idno(p_id text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE
        WHEN p_id IS NULL THEN ''
        WHEN char_length(btrim(p_id)) <= 10 THEN repeat('*', char_length(btrim(p_id)))
        ELSE left(btrim(p_id), 6) || repeat('*', char_length(btrim(p_id)) - 10) || right(btrim(p_id), 4)
    END;
$$;

-- 0014_doc_dates: dates on printed documents as GB/T 9704 writes them,
-- without leading zeros in month and day: 2026年1月5日, not 2026年01月05日
-- (the client's docdata_date writes the same).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.
CREATE OR REPLACE FUNCTION yc.doc_date(p_day date) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(to_char(p_day, 'YYYY"年"FMMM"月"FMDD"日"'), '');
$$;

-- The insurance rows of a person as the 参保凭证 prints them (key
-- insurance of certificate.mustache), by scheme; [] without any.
CREATE OR REPLACE FUNCTION yc.doc_insurance(p_id text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'scheme', CASE i.scheme WHEN 'employee' THEN '职工医保' ELSE '居民医保' END,
               'status', CASE i.status WHEN 'active' THEN '参保缴费'
                                       WHEN 'suspended' THEN '暂停' ELSE '终止' END,
               'since', yc.doc_date(i.since),
               'has_until', i.until IS NOT NULL, 'until', yc.doc_date(i.until),
               'has_unit', coalesce(btrim(i.unit_name), '') <> '',
               'unit', coalesce(i.unit_name, ''))
               ORDER BY i.scheme), '[]')
      FROM yc.insurance i
     WHERE i.id_no = p_id;
$$;

-- The day of a timestamp in the halls' time zone.
CREATE OR REPLACE FUNCTION yc.doc_day(p_at timestamptz) RETURNS date
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT (p_at AT TIME ZONE 'Asia/Shanghai')::date;
$$;

-- Names printed for the stored codes.
CREATE OR REPLACE FUNCTION yc.doc_form_name(p_form text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE p_form WHEN 'original' THEN '原件' WHEN 'copy' THEN '复印件'
                       WHEN 'shown' THEN '查看' ELSE coalesce(p_form, '') END;
$$;

CREATE OR REPLACE FUNCTION yc.doc_tier_name(p_tier text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE p_tier WHEN 'province' THEN '省级' WHEN 'prefecture' THEN '设区市级'
                       WHEN 'county' THEN '县级' WHEN 'township' THEN '乡镇（街道）'
                       WHEN 'village' THEN '村（社区）' ELSE coalesce(p_tier, '') END;
$$;

-- 0012_documents2: two more things the printed case documents say.
--
--   completion-notice  the 办结 result (service_case.result, 0007), when the
--                      case has one: has_result, result.
--   extension-notice   延期办理告知书, new: the data of a case whose limit a
--                      supervisor extended (yc.stage_extend, 0007), for the
--                      citizen's copy of the new promised date.
--
-- yc.case_document_data (0006, renamed by 0009; yc.case_document of 0009
-- still wraps it with the jurisdiction check) is replaced with the same
-- signature, checks and keys, plus:
--
--   extension-notice: allowed for a case of any item with a limit in working
--   days (whether or not its definition lists the document: the forms do
--   not) that has been extended, else not_applicable; a notice number is
--   not_applicable (the extension issues no notice). It describes the case's
--   latest extension: its event (yc.case_event kind 'extend': new limit,
--   reason, supervisor, day) and the audit row written with it
--   (yc.audit_log action 'case_extend': limit and promised date before and
--   after). Extra keys, present in this document's data only:
--     old_limit_days (int), new_limit_days (int)   working days
--     extension_reason                             the supervisor's reason
--     has_old_promised (bool), old_promised        the date promised before
--     new_promised                                 the date promised now
--     extended                                     the day of the extension
--     supervisor                                   the supervisor's name
--   completion-notice: extra keys has_result (bool), result ('' when none).
--
-- 0017_case_closing adds two documents listed in no definition, for every
-- case withdrawn or ended (a notice of kind 'withdrawal' or 'termination'
-- exists; else not_applicable): withdrawal-notice (撤回申请确认书) and
-- termination-notice (终止办理告知书), with the extra keys of
-- yc.closing_document_keys (db/functions/closing.sql); status names such a
-- case 已撤回 or 已终止办理.
-- 0030_selfservice adds filing-form (异地就医登记备案表), listed in no
-- definition, for a case filed at a self-service terminal (channel
-- selfservice: 办理方式 自助办理), once finished; no extra keys.
--   pledge: the 个人承诺书 of the 承诺制 path (洪医保发〔2022〕83号
--   第（七）项): allowed when the definition lists the document and the
--   pledge member of one of its any-of groups (<material pledge="true">)
--   was presented (state seen or supplied), else not_applicable; no
--   notice. Extra keys, present in this document's data only:
--     pledge_name                 the pledge's name in the definition
--     has_replaced (bool), replaced[] {no, name, form}
--                                 the other members of the groups whose
--                                 pledge was taken: the proofs it replaces
--
-- CREATE OR REPLACE keeps the function's owner and privileges (no PUBLIC,
-- no yichuang_app: only yc.case_document calls it).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.
CREATE OR REPLACE FUNCTION yc.case_document_data(p_key text, p_template text) RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v_case   yc.service_case%ROWTYPE;
    v_type   yc.case_type%ROWTYPE;
    v_notice yc.notice%ROWTYPE;
    v_office yc.office%ROWTYPE;
    v_kinds  text[];
    v_def    xml;
    v_docs   text[];
    v_has_n  boolean;
    v_supp   boolean;
    v_at     timestamptz;
    v_body_ids text[];
    v_ok     boolean;
    v_limit  text;
    v_clerk  text;
    v_window text;
    v_stages jsonb;
    v_recv   jsonb;
    v_miss   jsonb;
    v_defer  jsonb;
    v_title  text;
    v_fields jsonb;
    v_ins    jsonb;
    v_phone  text;
    v_ev     yc.case_event%ROWTYPE;
    v_before jsonb;
    v_after  jsonb;
    v_ext    jsonb := '{}';
    v_pledge text[];
BEGIN
    v_kinds := CASE p_template
        WHEN 'acceptance-notice' THEN '{}'::text[]
        WHEN 'supplement-notice' THEN ARRAY['supplement']
        WHEN 'deferred-notice'   THEN ARRAY['deferred']
        WHEN 'commitment'        THEN ARRAY['commitment', 'deferred']
        WHEN 'rejection-notice'  THEN ARRAY['rejection']
        WHEN 'receipt'           THEN ARRAY['receipt']
        WHEN 'certificate'       THEN ARRAY['receipt']
        WHEN 'completion-notice' THEN ARRAY['completion']
        WHEN 'extension-notice'  THEN '{}'::text[]
        WHEN 'withdrawal-notice' THEN ARRAY['withdrawal']
        WHEN 'termination-notice' THEN ARRAY['termination']
        WHEN 'pledge'            THEN '{}'::text[]
        WHEN 'filing-form'       THEN '{}'::text[]
    END;
    IF v_kinds IS NULL THEN
        RETURN jsonb_build_object('refused', 'unknown_template');
    END IF;

    IF p_key ~ '^N[0-9]{18}([0-9]{3}){0,2}$' THEN
        SELECT nt.* INTO v_notice FROM yc.notice nt WHERE nt.notice_no = p_key;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        SELECT sc.* INTO v_case FROM yc.service_case sc
         WHERE sc.office_code = v_notice.office_code AND sc.case_no = v_notice.case_no;
        IF NOT (v_notice.kind = ANY (v_kinds)) THEN
            RETURN jsonb_build_object('refused', 'not_applicable');
        END IF;
    ELSIF p_key ~ '^[0-9]{18}([0-9]{3}){0,2}$' THEN
        SELECT sc.* INTO v_case FROM yc.service_case sc WHERE sc.case_no = p_key;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        SELECT nt.* INTO v_notice FROM yc.notice nt
         WHERE nt.office_code = v_case.office_code AND nt.case_no = v_case.case_no
           AND nt.kind = ANY (v_kinds)
         ORDER BY nt.issued_at DESC, nt.notice_no DESC
         LIMIT 1;
    ELSE
        RETURN NULL;
    END IF;
    v_has_n := v_notice.notice_no IS NOT NULL;
    v_supp := coalesce(v_notice.kind = 'supplement', false);
    -- The moment the document describes: its notice's, else now.
    v_at := CASE WHEN v_has_n THEN v_notice.issued_at ELSE 'infinity'::timestamptz END;

    SELECT ct.* INTO v_type FROM yc.case_type ct
     WHERE ct.code = v_case.case_type_code AND ct.version = v_case.case_type_version;
    v_def := v_type.definition::xml;
    -- the limit of the case's path (when= of <limit> on its form's answers)
    SELECT l.kind, l.days, l.special_days, l.months
      INTO v_type.limit_kind, v_type.limit_days, v_type.special_days, v_type.limit_months
      FROM yc.case_def_limit(v_type, v_def, v_case.form) l;
    -- the templates the definition prints, and the title it gives this one
    -- (seed 002: 《基本医疗保险医疗费用零星报销受理单》), if any
    SELECT coalesce(array_agg(d.template), '{}'),
           max(nullif(btrim(d.title), '')) FILTER (WHERE d.template = p_template)
      INTO v_docs, v_title
      FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                    '/ct:case-type/ct:documents/ct:document' PASSING v_def
                    COLUMNS template text PATH '@template', title text PATH '@title') d;

    -- 延期: the case's latest extension (its event; the audit row written
    -- with it has the limit and promised date before and after).
    IF p_template = 'extension-notice' THEN
        SELECT ev.* INTO v_ev FROM yc.case_event ev
         WHERE ev.office_code = v_case.office_code AND ev.case_no = v_case.case_no
           AND ev.kind = 'extend'
         ORDER BY ev.seq DESC
         LIMIT 1;
        IF v_ev.seq IS NOT NULL AND v_ev.staff_no IS NOT NULL THEN
            SELECT al.before, al.after INTO v_before, v_after FROM yc.audit_log al
             WHERE al.staff_no = v_ev.staff_no AND al.action = 'case_extend'
               AND al.object = format('case:%s/%s', v_case.office_code, v_case.case_no)
             ORDER BY al.audit_id DESC
             LIMIT 1;
        END IF;
    END IF;

    -- 承诺制: the pledge members of the definition the case took
    IF p_template = 'pledge' THEN
        SELECT coalesce(array_agg(cm.material_id ORDER BY cm.ord), '{}') INTO v_pledge
          FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                        '/ct:case-type/ct:materials/ct:any-of/ct:material[@pledge = "true" or @pledge = "1"]'
                        PASSING v_def COLUMNS id text PATH '@id') x
          JOIN yc.case_material cm
            ON cm.office_code = v_case.office_code AND cm.case_no = v_case.case_no
           AND cm.material_id = x.id AND cm.group_id IS NOT NULL
         WHERE cm.state IN ('seen', 'supplied');
    END IF;

    v_ok := (p_template = ANY (v_docs)
             -- no definition lists it: every item with a limit in working days
             OR (p_template = 'extension-notice' AND v_type.limit_kind = 'workdays')
             -- nor these two: every case withdrawn or ended (db/functions/closing.sql)
             OR p_template IN ('withdrawal-notice', 'termination-notice')
             -- the 异地就医登记备案表 a self-service terminal generates (0030)
             OR (p_template = 'filing-form' AND v_case.channel = 'selfservice'))
        AND CASE p_template
        WHEN 'acceptance-notice' THEN v_case.accepted_at IS NOT NULL
        WHEN 'supplement-notice' THEN v_has_n
        WHEN 'deferred-notice' THEN v_has_n OR EXISTS (
            SELECT 1 FROM yc.case_material cm
             WHERE cm.office_code = v_case.office_code AND cm.case_no = v_case.case_no
               AND cm.due_date IS NOT NULL)
        WHEN 'commitment' THEN v_has_n OR EXISTS (
            SELECT 1 FROM yc.case_material cm
             WHERE cm.office_code = v_case.office_code AND cm.case_no = v_case.case_no
               AND cm.due_date IS NOT NULL)
        WHEN 'rejection-notice' THEN v_has_n OR v_case.status = 'rejected'
        WHEN 'extension-notice' THEN v_ev.seq IS NOT NULL
        WHEN 'withdrawal-notice' THEN v_has_n
        WHEN 'termination-notice' THEN v_has_n
        WHEN 'pledge' THEN cardinality(v_pledge) > 0
        ELSE v_has_n OR v_case.status = 'finished'
    END;
    IF NOT v_ok THEN
        RETURN jsonb_build_object('refused', 'not_applicable');
    END IF;

    -- The materials a notice lists, as yc.case_notice stored them: the
    -- supplement notice's "missing", the deferred notice's "deferred"
    -- ([{"id": …}, …]). NULL: work them out from the material rows.
    IF jsonb_typeof(v_notice.body -> CASE WHEN v_supp THEN 'missing' ELSE 'deferred' END) = 'array' THEN
        SELECT array_agg(e ->> 'id') INTO v_body_ids
          FROM jsonb_array_elements(v_notice.body -> CASE WHEN v_supp THEN 'missing' ELSE 'deferred' END) e;
        v_body_ids := coalesce(v_body_ids, '{}');
    END IF;
    -- A notice states the office that issued it (全市通办: maybe not the case's).
    IF v_has_n AND v_notice.body ? 'issued_by' THEN
        SELECT o.* INTO v_office FROM yc.office o WHERE o.code = v_notice.body ->> 'issued_by';
    END IF;
    IF v_office.code IS NULL THEN
        SELECT o.* INTO v_office FROM yc.office o WHERE o.code = v_case.office_code;
    END IF;

    v_limit := CASE v_type.limit_kind
        WHEN 'workdays' THEN v_type.limit_days || '个工作日'
            || coalesce('（特殊情况不超过' || v_type.special_days || '个工作日）', '')
        WHEN 'months' THEN v_type.limit_months || '个月'
        ELSE '即时办结'
    END;
    SELECT s.name INTO v_clerk FROM yc.staff s WHERE s.staff_no = v_case.first_staff_no;
    SELECT w.label INTO v_window FROM yc.service_window w
     WHERE w.office_code = v_case.office_code AND w.window_no = v_case.window_no;
    IF v_case.window_no IS NOT NULL THEN
        v_window := coalesce(v_window, v_case.window_no || '号窗口');
    END IF;
    v_phone := to_jsonb(v_office) ->> 'phone';

    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'no', st.stage_no, 'name', st.name, 'tier', yc.doc_tier_name(st.tier),
               'days', st.days, 'due', yc.doc_date(st.due_date)) ORDER BY st.stage_no), '[]')
      INTO v_stages
      FROM yc.case_stage st
     WHERE st.office_code = v_case.office_code AND st.case_no = v_case.case_no;

    -- Materials, one item per item_no (an any-of group is one item), in
    -- the definition's order. missing: on this supplement notice (the body's
    -- list, else noticed and not seen by the time it was issued), for other
    -- documents missing now; deferred: 容缺, outstanding or (with a notice)
    -- supplied since; received: presented and in neither list.
    WITH notes AS (
        SELECT x.ord, x.id, coalesce(x.note, '') AS note
          FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                        '//ct:material' PASSING v_def
                        COLUMNS ord FOR ORDINALITY, id text PATH '@id', note text PATH '@note') x
    ), gnotes AS (
        SELECT x.id, coalesce(x.note, '') AS note
          FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                        '//ct:any-of' PASSING v_def
                        COLUMNS id text PATH '@id', note text PATH '@note') x
    ), mat AS (
        SELECT cm.item_no, cm.group_id, cm.material_id, cm.name, cm.form, cm.state,
               cm.noticed, cm.due_date, cm.defer_days, cm.seen_at,
               coalesce(n.note, '') AS note, coalesce(n.ord, 0) AS ord
          FROM yc.case_material cm
          LEFT JOIN notes n ON n.id = cm.material_id
         WHERE cm.office_code = v_case.office_code AND cm.case_no = v_case.case_no
    ), item AS (
        SELECT m.item_no, max(m.group_id) AS group_id,
               CASE WHEN v_supp AND v_body_ids IS NOT NULL THEN bool_or(m.material_id = ANY (v_body_ids))
                    WHEN v_supp THEN NOT bool_or(m.seen_at IS NOT NULL AND m.seen_at <= v_at)
                                     AND (bool_or(m.noticed) OR bool_and(m.state = 'missing'))
                    ELSE bool_and(m.state = 'missing') END AS missing,
               CASE WHEN v_has_n AND NOT v_supp AND v_body_ids IS NOT NULL
                    THEN bool_or(m.material_id = ANY (v_body_ids))
                    ELSE coalesce(bool_or(m.due_date IS NOT NULL AND (m.state = 'deferred'
                              OR (m.state = 'supplied' AND m.seen_at > v_at))), false) END AS deferred,
               bool_or(m.state IN ('seen', 'supplied')) AS seen
          FROM mat m
         GROUP BY m.item_no
    ), listed AS (
        SELECT i.item_no, i.group_id, i.missing,
               i.deferred AND NOT (v_supp AND i.missing) AS deferred,
               i.seen AND NOT (v_supp AND i.missing) AND NOT i.deferred AS received
          FROM item i
    )
    SELECT
        coalesce((SELECT jsonb_agg(jsonb_build_object('no', r.rn, 'name', r.names, 'form', r.forms)
                                   ORDER BY r.rn)
                    FROM (SELECT row_number() OVER (ORDER BY l.item_no) AS rn,
                                 string_agg(m.name, '；' ORDER BY m.ord) AS names,
                                 string_agg(DISTINCT yc.doc_form_name(m.form), '、') AS forms
                            FROM listed l
                            JOIN mat m ON m.item_no = l.item_no AND m.state IN ('seen', 'supplied')
                           WHERE l.received
                           GROUP BY l.item_no) r), '[]'),
        coalesce((SELECT jsonb_agg(jsonb_build_object(
                      'no', r.rn, 'any_of', r.group_id IS NOT NULL,
                      'name', CASE WHEN r.group_id IS NULL THEN r.m_name ELSE '' END,
                      'form', CASE WHEN r.group_id IS NULL THEN yc.doc_form_name(r.m_form) ELSE '' END,
                      'note', r.note, 'has_note', r.note <> '',
                      'options', CASE WHEN r.group_id IS NULL THEN '[]'::jsonb ELSE (
                          SELECT jsonb_agg(jsonb_build_object(
                                     'letter', chr(96 + o.k::int), 'name', o.name,
                                     'form', yc.doc_form_name(o.form),
                                     'note', o.note, 'has_note', o.note <> '') ORDER BY o.k)
                            FROM (SELECT m.name, m.form, m.note,
                                         row_number() OVER (ORDER BY m.ord, m.material_id) AS k
                                    FROM mat m WHERE m.item_no = r.item_no) o) END)
                      ORDER BY r.rn)
                    FROM (SELECT row_number() OVER (ORDER BY l.item_no) AS rn, l.item_no, l.group_id,
                                 m1.name AS m_name, m1.form AS m_form,
                                 CASE WHEN l.group_id IS NULL THEN coalesce(m1.note, '')
                                      ELSE coalesce(g.note, '') END AS note
                            FROM listed l
                            LEFT JOIN LATERAL (SELECT m.name, m.form, m.note FROM mat m
                                                WHERE m.item_no = l.item_no
                                                ORDER BY m.ord, m.material_id LIMIT 1) m1 ON true
                            LEFT JOIN gnotes g ON g.id = l.group_id
                           WHERE l.missing) r), '[]'),
        coalesce((SELECT jsonb_agg(jsonb_build_object(
                      'no', r.rn, 'name', r.names, 'form', r.forms, 'due', yc.doc_date(r.due),
                      'days', r.days) ORDER BY r.rn)
                    FROM (SELECT row_number() OVER (ORDER BY l.item_no) AS rn,
                                 -- a group by all its alternatives: any of them will do
                                 string_agg(m.name, '或' ORDER BY m.ord) AS names,
                                 string_agg(DISTINCT yc.doc_form_name(m.form), '、') AS forms,
                                 min(m.due_date) AS due,
                                 max(m.defer_days) FILTER (WHERE m.due_date IS NOT NULL) AS days
                            FROM listed l
                            JOIN mat m ON m.item_no = l.item_no
                           WHERE l.deferred
                           GROUP BY l.item_no) r), '[]')
      INTO v_recv, v_miss, v_defer;

    -- The form: stored as {"id": "value", …} (or [{"id":…, "value":…}, …]).
    WITH defs AS (
        SELECT x.ord, x.id, x.label, x.type
          FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                        '/ct:case-type/ct:fields/ct:field' PASSING v_def
                        COLUMNS ord FOR ORDINALITY, id text PATH '@id', label text PATH '@label',
                                type text PATH '@type') x
    ), opts AS (
        SELECT x.field, x.value, x.label
          FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS ct),
                        '/ct:case-type/ct:fields/ct:field/ct:option' PASSING v_def
                        COLUMNS field text PATH '../@id', value text PATH '@value',
                                label text PATH '.') x
    ), vals AS (
        SELECT e.key AS id, e.value
          FROM jsonb_each_text(CASE WHEN jsonb_typeof(v_case.form) = 'object'
                                    THEN v_case.form ELSE '{}'::jsonb END) e
        UNION ALL
        SELECT a ->> 'id', a ->> 'value'
          FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v_case.form) = 'array'
                                         THEN v_case.form ELSE '[]'::jsonb END) a
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'label', coalesce(nullif(d.label, ''), v.id),
               'value', CASE
                   WHEN d.type IN ('idno', 'bankcard') OR btrim(v.value) ~ '^[0-9]{17}[0-9Xx]$'
                       THEN yc.doc_mask_idno(v.value)
                   WHEN d.type = 'choice' THEN coalesce(
                       (SELECT o.label FROM opts o WHERE o.field = v.id AND o.value = v.value), v.value)
                   ELSE v.value END)
               ORDER BY d.ord NULLS LAST, v.id), '[]')
      INTO v_fields
      FROM vals v
      LEFT JOIN defs d ON d.id = v.id
     WHERE v.id IS NOT NULL AND btrim(coalesce(v.value, '')) <> '';

    v_ins := yc.doc_insurance(v_case.id_no);

    IF p_template = 'certificate' AND jsonb_array_length(v_ins) = 0 THEN
        RETURN jsonb_build_object('refused', 'no_insurance');
    END IF;
    IF p_template = 'extension-notice' THEN
        v_ext := jsonb_build_object(
            'old_limit_days', coalesce((v_before ->> 'limit_days')::int,
                (SELECT (e.detail ->> 'limit_days')::int FROM yc.case_event e
                  WHERE e.office_code = v_case.office_code AND e.case_no = v_case.case_no
                    AND e.kind = 'extend' AND e.seq < v_ev.seq
                  ORDER BY e.seq DESC LIMIT 1),
                v_type.limit_days),
            'new_limit_days', coalesce((v_ev.detail ->> 'limit_days')::int,
                (v_after ->> 'limit_days')::int, v_case.limit_days),
            'extension_reason', coalesce(v_ev.detail ->> 'reason', v_after -> 'event' ->> 'reason', ''),
            'has_old_promised', v_before ->> 'promised' IS NOT NULL,
            'old_promised', yc.doc_date((v_before ->> 'promised')::date),
            'new_promised', yc.doc_date(coalesce((v_after ->> 'promised')::date, v_case.promised_date)),
            'extended', yc.doc_date(yc.doc_day(v_ev.at)),
            'supervisor', coalesce((SELECT s.name FROM yc.staff s WHERE s.staff_no = v_ev.staff_no), ''));
    ELSIF p_template = 'pledge' THEN
        SELECT jsonb_build_object(
                   'pledge_name', coalesce((SELECT cm.name FROM yc.case_material cm
                                             WHERE cm.office_code = v_case.office_code
                                               AND cm.case_no = v_case.case_no
                                               AND cm.material_id = v_pledge[1]), ''),
                   'has_replaced', count(*) > 0,
                   'replaced', coalesce(jsonb_agg(jsonb_build_object(
                       'no', r.rn, 'name', r.name, 'form', yc.doc_form_name(r.form)) ORDER BY r.rn), '[]'))
          INTO v_ext
          FROM (SELECT row_number() OVER (ORDER BY o.ord) AS rn, o.name, o.form
                  FROM yc.case_material p
                  JOIN yc.case_material o
                    ON o.office_code = p.office_code AND o.case_no = p.case_no
                   AND o.group_id = p.group_id AND o.material_id <> ALL (v_pledge)
                 WHERE p.office_code = v_case.office_code AND p.case_no = v_case.case_no
                   AND p.material_id = ANY (v_pledge)) r;
    ELSIF p_template = 'completion-notice' THEN
        v_ext := jsonb_build_object(
            'has_result', v_case.result IS NOT NULL,
            'result', coalesce(v_case.result, ''));
    ELSIF p_template IN ('withdrawal-notice', 'termination-notice') THEN
        v_ext := yc.closing_document_keys(v_case, v_notice);
    END IF;

    RETURN jsonb_build_object(
        'template', p_template,
        'office_code', v_office.code,
        'office_name', v_office.name,
        'date', yc.doc_date(yc.doc_day(yc.now())),
        'case_no', v_case.case_no,
        'notice_no', coalesce(v_notice.notice_no, ''),
        'has_notice', v_has_n,
        'notice_date', yc.doc_date(yc.doc_day(v_notice.issued_at)),
        'type_code', v_type.code,
        'type_name', v_type.name,
        'limit', v_limit,
        'immediate', v_type.limit_kind = 'immediate',
        'status', yc.closing_status_name(v_case),
        'person_name', (SELECT p.name FROM yc.person p WHERE p.id_no = v_case.id_no),
        'id_masked', yc.doc_mask_idno(v_case.id_no),
        'has_agent', v_case.agent_name IS NOT NULL,
        'agent_name', coalesce(v_case.agent_name, ''),
        'agent_id_masked', yc.doc_mask_idno(v_case.agent_id_no),
        'channel', yc.case_channel_name(v_case.channel)
    ) || jsonb_build_object(
        -- 邮寄办: where the documents go back and the package that came last
        'has_mail', v_case.channel = 'mail' AND yc.mail_address(v_case) IS NOT NULL,
        'mail_address', coalesce(yc.mail_address(v_case), ''),
        'mail_in', coalesce((SELECT m.tracking_no FROM yc.case_mail m
                              WHERE m.office_code = v_case.office_code AND m.case_no = v_case.case_no
                                AND m.direction = 'in' ORDER BY m.seq DESC LIMIT 1), '')
    ) || jsonb_build_object(
        'clerk', coalesce(v_clerk, ''),
        'has_window', v_window IS NOT NULL,
        'window', coalesce(v_window, ''),
        'has_accepted', v_case.accepted_at IS NOT NULL,
        'accepted', yc.doc_date(yc.doc_day(v_case.accepted_at)),
        'has_title', v_title IS NOT NULL, 'title', coalesce(v_title, ''),
        'has_promised', v_case.promised_date IS NOT NULL,
        'promised', yc.doc_date(v_case.promised_date),
        'has_finished', v_case.finished_at IS NOT NULL,
        'finished', yc.doc_date(yc.doc_day(v_case.finished_at)),
        'has_stages', jsonb_array_length(v_stages) > 0,
        'stages', v_stages,
        'has_received', jsonb_array_length(v_recv) > 0,
        'received', v_recv,
        'has_missing', jsonb_array_length(v_miss) > 0,
        'missing_count', jsonb_array_length(v_miss),
        'missing', v_miss,
        'has_deferred', jsonb_array_length(v_defer) > 0,
        'deferred', v_defer,
        'has_fields', jsonb_array_length(v_fields) > 0,
        'fields', v_fields
    ) || jsonb_build_object(
        'has_reason', v_case.reason IS NOT NULL,
        'reason', coalesce(v_case.reason, ''),
        'has_insurance', jsonb_array_length(v_ins) > 0,
        'insurance', v_ins,
        -- what the 参保 rules told the citizen (the 办结回执 of a registration),
        -- or this year's 大病 cap and history (the 参保凭证)
        'has_policy', v_case.policy IS NOT NULL OR p_template = 'certificate',
        'policy', CASE WHEN v_case.policy IS NOT NULL THEN yc.policy_doc(v_case.policy)
                       WHEN p_template = 'certificate' THEN yc.policy_doc_year(v_case.id_no, yc.doc_day(yc.now()))
                       ELSE '{}' END,
        'progress', CASE WHEN coalesce(btrim(v_phone), '') <> ''
            THEN '办理进度可拨打咨询电话' || btrim(v_phone) || '查询，或凭办件编号、身份证号到全市任一医保经办窗口查询。'
            ELSE '办理进度可凭办件编号或身份证号到全市任一医保经办窗口查询。' END
    ) || v_ext;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.doc_mask_idno(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.doc_date(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.doc_day(timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.doc_insurance(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.doc_form_name(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.doc_tier_name(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_document_data(text, text) FROM PUBLIC, yichuang_app;
