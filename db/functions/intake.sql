-- db/functions/intake.sql: one-window intake: persons, cases, materials, the deadline board, ratings, drafts.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0005_intake):
-- 0005_intake: one-window intake (综合柜员制). A clerk takes a case of any
-- type, checks its materials and ends in exactly one outcome: 受理,
-- 即时办结, 一次性告知 (待补正), 容缺受理 or 不予受理. The case keeps its
-- legal deadline in working days (yc.add_workdays, the official calendar).
--
-- Conventions as in 0004: SECURITY DEFINER functions with search_path =
-- yc, pg_temp; expected refusals come back as a result text, not as
-- errors; every state change is audited (yc.audit_write) and announced on
-- 'yc_case_' || office_code with no personal data in the payload; times
-- from yc.now(), days in Asia/Shanghai.
--
-- Numbers (unique everywhere because they embed the office code):
--   case   office_code || yyyymmdd || 4-digit sequence (per office and day)
--   notice 'N' || issuing office's code || yyyymmdd || 4-digit sequence
--          (per issuing office and day; a 补正 elsewhere numbers its notice
--          where it is issued, the notice row stays with the case's office)
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE OR REPLACE FUNCTION yc.case_actor(p_session bigint) RETURNS yc.case_actor
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    s record;
    a yc.case_actor;
BEGIN
    s := yc.queue_session(p_session);
    IF NOT s.is_open THEN
        RETURN a;
    END IF;
    a.office_code := s.office_code;
    a.window_no := s.window_no;
    a.staff_no := s.staff_no;
    a.role := s.role;
    a.client := s.client;
    a.county := left(s.office_code, 6);
    a.scope := yc.tongban_scope(s.office_code);
    SELECT o.tier INTO a.tier FROM yc.office o WHERE o.code = s.office_code;
    RETURN a;
END
$$;

-- Refuses the operation in progress: raises YC010 carrying the result text.
CREATE OR REPLACE FUNCTION yc.case_refuse(p_result text) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', p_result USING ERRCODE = 'YC010';
END
$$;

-- The day of now in Asia/Shanghai.
CREATE OR REPLACE FUNCTION yc.case_today() RETURNS date
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN yc.queue_day(yc.now());
END
$$;

-- A text without surrounding white space (ideographic spaces included),
-- NULL when nothing is left.
CREATE OR REPLACE FUNCTION yc.case_trim(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT nullif(regexp_replace(p_text, '^[\s\u3000]+|[\s\u3000]+$', '', 'g'), '');
$$;

-- The Chinese name of a case's channel (办理方式), as the case view and
-- the documents show it.
CREATE OR REPLACE FUNCTION yc.case_channel_name(p_channel text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE p_channel WHEN 'proxy' THEN '帮办代办' WHEN 'mail' THEN '邮寄办'
                          WHEN 'selfservice' THEN '自助办理' WHEN 'proactive' THEN '免申即享'
                          ELSE '窗口办理' END;
$$;

-- An ID number as typed, spaces removed and x upper-cased, when it is a
-- valid GB 11643 number (check character, a real birth date not after
-- p_today); else NULL.
CREATE OR REPLACE FUNCTION yc.case_idno(p_id text, p_today date) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_id    text := upper(regexp_replace(coalesce(p_id, ''), '\s', '', 'g'));
    v_birth date := yc.idno_birth(v_id);
BEGIN
    IF v_birth IS NULL OR v_birth > p_today THEN
        RETURN NULL;
    END IF;
    RETURN v_id;
END
$$;

-- The case of a number as the session may see it (yc.case_visible), else
-- NULL fields. p_lock: FOR UPDATE (visibility checked again once locked:
-- a 补正 elsewhere may have just moved it on).
CREATE OR REPLACE FUNCTION yc.case_get(a yc.case_actor, p_case_no text, p_lock boolean)
RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    c yc.service_case%ROWTYPE;
BEGIN
    SELECT sc.* INTO c FROM yc.service_case sc
     WHERE sc.case_no = btrim(p_case_no)
       AND left(sc.office_code, length(a.scope)) = a.scope;
    IF NOT yc.case_visible(a, c) THEN
        RETURN NULL;
    END IF;
    IF p_lock THEN
        SELECT sc.* INTO c FROM yc.service_case sc
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no FOR UPDATE;
        IF NOT yc.case_visible(a, c) THEN
            RETURN NULL;
        END IF;
    END IF;
    RETURN c;
END
$$;

-------------------------------------------------------------------------------
-- The stored definition (case_type.definition, namespace
-- urn:yichuang:case-type:1) read with XPath (XMLTABLE, xpath_exists);
-- never what the client says.
-------------------------------------------------------------------------------

-- Whether a condition of the definition (when="…", forms/case-type.rng and
-- tui/model/cond.h) holds for the answers of a form: atoms field=value,
-- field!=value, field in (v1 v2 …), joined by and / or ("and" binds
-- tighter). An unanswered field is ''. NULL or blank: true. A condition
-- that does not parse (never one that passed forms check) is bad_input.
CREATE OR REPLACE FUNCTION yc.case_when(p_cond text, p_form jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
DECLARE
    t     text[];
    n     int;
    i     int := 1;
    j     int;
    v     text;
    r     boolean;
    v_all boolean := true;
    v_any boolean := false;
BEGIN
    IF p_cond IS NULL OR btrim(p_cond) = '' THEN
        RETURN true;
    END IF;
    SELECT array_agg(m[1] ORDER BY o) INTO t
      FROM regexp_matches(p_cond, '([a-z][a-z0-9_-]*|!=|[^[:space:]])', 'g') WITH ORDINALITY x(m, o);
    n := cardinality(t);
    LOOP
        IF i + 2 > n OR t[i] !~ '^[a-z]' THEN
            PERFORM yc.case_refuse('bad_input');
        END IF;
        v := coalesce(btrim(p_form ->> t[i]), '');
        IF t[i + 1] IN ('=', '!=') THEN
            r := (v = t[i + 2]) = (t[i + 1] = '=');
            i := i + 3;
        ELSIF t[i + 1] = 'in' AND t[i + 2] = '(' THEN
            r := false;
            j := i + 3;
            WHILE j <= n AND t[j] <> ')' LOOP
                r := r OR v = t[j];
                j := j + 1;
            END LOOP;
            IF j > n OR j = i + 3 THEN
                PERFORM yc.case_refuse('bad_input');
            END IF;
            i := j + 1;
        ELSE
            PERFORM yc.case_refuse('bad_input');
        END IF;
        v_all := v_all AND r;
        EXIT WHEN i > n;
        IF t[i] = 'or' THEN
            v_any := v_any OR v_all;
            v_all := true;
        ELSIF t[i] <> 'and' THEN
            PERFORM yc.case_refuse('bad_input');
        END IF;
        i := i + 1;
    END LOOP;
    RETURN v_any OR v_all;
END
$$;

-- The materials of a definition that apply to the answers p_form (their
-- when= and their any-of group's), in document order: one row per
-- material, item_no its checklist line counting only the lines that apply
-- (members of an any-of group share the line and carry the group's id),
-- then, when p_proxy, the proxy materials that apply, each on a line of
-- its own after the items.
CREATE OR REPLACE FUNCTION yc.case_def_materials(p_doc xml, p_proxy boolean, p_form jsonb)
RETURNS TABLE(material_id text, ord int, item_no int, group_id text, name text, form text,
              key boolean, defer_days int, proxy boolean)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    WITH items AS (
        SELECT m.*, dense_rank() OVER (ORDER BY m.line) AS line_no,
               row_number() OVER (ORDER BY m.ord) AS seq FROM XMLTABLE(
            XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
            '/c:case-type/c:materials//c:material' PASSING p_doc
            COLUMNS ord FOR ORDINALITY,
                    material_id text PATH '@id',
                    group_id text PATH 'parent::c:any-of/@id',
                    line int PATH 'count(ancestor-or-self::*[parent::c:materials]/preceding-sibling::*) + 1',
                    name text PATH 'normalize-space(.)',
                    form text PATH '@form',
                    key text PATH '@key',
                    defer_days int PATH '@defer-days',
                    m_when text PATH '@when',
                    g_when text PATH 'parent::c:any-of/@when') m
         WHERE yc.case_when(m.m_when, p_form) AND yc.case_when(m.g_when, p_form)
    ), extra AS (
        SELECT m.*, row_number() OVER (ORDER BY m.ord) AS line_no FROM XMLTABLE(
            XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
            '/c:case-type/c:proxy/c:material' PASSING p_doc
            COLUMNS ord FOR ORDINALITY,
                    material_id text PATH '@id',
                    name text PATH 'normalize-space(.)',
                    form text PATH '@form',
                    key text PATH '@key',
                    defer_days int PATH '@defer-days',
                    m_when text PATH '@when') m
         WHERE p_proxy AND yc.case_when(m.m_when, p_form)
    )
    SELECT i.material_id, i.seq::int, i.line_no::int, i.group_id, i.name, i.form,
           coalesce(i.key IN ('true', '1'), false), coalesce(i.defer_days, 0), false
      FROM items i
    UNION ALL
    SELECT e.material_id, (SELECT count(*) FROM items)::int + e.line_no::int,
           (SELECT coalesce(max(i.line_no), 0) FROM items i)::int + e.line_no::int, NULL, e.name, e.form,
           coalesce(e.key IN ('true', '1'), false), coalesce(e.defer_days, 0), true
      FROM extra e;
$$;

-- The stages of a definition that apply to the answers p_form, in order,
-- numbered 1, 2, … among themselves.
CREATE OR REPLACE FUNCTION yc.case_def_stages(p_doc xml, p_form jsonb)
RETURNS TABLE(stage_no int, name text, tier text, days int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT (row_number() OVER (ORDER BY s.ord))::int, s.name, s.tier, s.days
      FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
                    '/c:case-type/c:stages/c:stage' PASSING p_doc
                    COLUMNS ord FOR ORDINALITY,
                            name text PATH 'normalize-space(.)',
                            tier text PATH '@tier',
                            days int PATH '@days',
                            s_when text PATH '@when') s
     WHERE yc.case_when(s.s_when, p_form);
$$;

-- The limit of a case of type ct (p_doc its definition) with the answers
-- p_form: the first <limit> with a when= that holds, else the default (the
-- <limit> without when=, which the type's row keeps: limit_kind,
-- limit_days, special_days, limit_months). kind immediate | workdays |
-- months.
CREATE OR REPLACE FUNCTION yc.case_def_limit(ct yc.case_type, p_doc xml, p_form jsonb,
                                  OUT kind text, OUT days int, OUT special_days int, OUT months int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT x.kind, x.days, x.special_days, x.months
      FROM (SELECT l.kind, l.days, l.special_days, l.months, l.ord::int AS ord
              FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
                            '/c:case-type/c:limit[@when]' PASSING p_doc
                            COLUMNS ord FOR ORDINALITY,
                                    kind text PATH '@kind',
                                    days int PATH '@days',
                                    special_days int PATH '@special-days',
                                    months int PATH '@months',
                                    l_when text PATH '@when') l
             WHERE yc.case_when(l.l_when, p_form)
            UNION ALL
            SELECT ct.limit_kind, ct.limit_days, ct.special_days, ct.limit_months, 2147483647) x
     ORDER BY x.ord
     LIMIT 1;
$$;

-- The form fields of a definition, in order.
CREATE OR REPLACE FUNCTION yc.case_def_fields(p_doc xml)
RETURNS TABLE(field_id text, ord int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT f.field_id, f.ord::int
      FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
                    '/c:case-type/c:fields/c:field' PASSING p_doc
                    COLUMNS ord FOR ORDINALITY, field_id text PATH '@id') f;
$$;

-- The required form fields of a definition (required="true"), in order.
CREATE OR REPLACE FUNCTION yc.case_def_required(p_doc xml)
RETURNS TABLE(field_id text)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT f.field_id
      FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
                    '/c:case-type/c:fields/c:field[@required = "true" or @required = "1"]' PASSING p_doc
                    COLUMNS ord FOR ORDINALITY, field_id text PATH '@id') f
     ORDER BY f.ord;
$$;

-- Whether a definition allows 委托办理 (proxy allowed="true").
CREATE OR REPLACE FUNCTION yc.case_def_proxy(p_doc xml) RETURNS boolean
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT xpath_exists('/c:case-type/c:proxy[@allowed = "true" or @allowed = "1"]', p_doc,
                        ARRAY[ARRAY['c', 'urn:yichuang:case-type:1']]);
$$;

-------------------------------------------------------------------------------
-- Numbers, events, notices, audit, announcements.
-------------------------------------------------------------------------------

-- The next case ('case') or notice ('notice') number of an office and day.
-- The upsert locks the counter row until commit, so concurrent intakes of
-- one office take consecutive numbers; a refused intake rolls its number
-- back. Refuses numbers_exhausted after 9999.
CREATE OR REPLACE FUNCTION yc.case_next_number(p_office text, p_day date, p_kind text) RETURNS text
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_seq int;
BEGIN
    INSERT INTO yc.case_counter AS cc (office_code, day, kind, last_seq)
    VALUES (p_office, p_day, p_kind, 1)
    ON CONFLICT (office_code, day, kind) DO UPDATE SET last_seq = cc.last_seq + 1
     WHERE cc.last_seq < 9999
    RETURNING cc.last_seq INTO v_seq;
    IF v_seq IS NULL THEN
        PERFORM yc.case_refuse('numbers_exhausted');
    END IF;
    RETURN CASE p_kind WHEN 'notice' THEN 'N' ELSE '' END
        || p_office || to_char(p_day, 'YYYYMMDD') || lpad(v_seq::text, 4, '0');
END
$$;

-- Appends an event to a case (the case row is locked by the caller).
CREATE OR REPLACE FUNCTION yc.case_event_add(p_office text, p_case text, p_staff text, p_kind text,
                                  p_detail jsonb)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    INSERT INTO yc.case_event (office_code, case_no, seq, at, staff_no, kind, detail)
    SELECT p_office, p_case, coalesce(max(e.seq), 0) + 1, yc.now(), p_staff, p_kind,
           coalesce(p_detail, '{}'::jsonb)
      FROM yc.case_event e
     WHERE e.office_code = p_office AND e.case_no = p_case;
END
$$;

-- Audits a change of a case by the actor (at the actor's office and window).
CREATE OR REPLACE FUNCTION yc.case_audit(a yc.case_actor, p_action text, p_office text, p_case text,
                              p_before jsonb, p_after jsonb)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, p_action,
        format('case:%s/%s', p_office, p_case), p_before, p_after, a.client);
END
$$;

-- Announces a change of a case on its office's channel, and on the actor's
-- when that is another office: event, case number and status only.
CREATE OR REPLACE FUNCTION yc.case_notify(p_office text, p_actor_office text, p_event text, p_case text,
                               p_status text)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_payload text := json_build_object('e', p_event, 'c', p_case, 's', p_status)::text;
BEGIN
    PERFORM pg_catalog.pg_notify('yc_case_' || p_office, v_payload);
    IF p_actor_office IS DISTINCT FROM p_office THEN
        PERFORM pg_catalog.pg_notify('yc_case_' || p_actor_office, v_payload);
    END IF;
END
$$;

-- The material rows of a case in a given state as a JSON list (notice
-- bodies).
CREATE OR REPLACE FUNCTION yc.case_material_list(p_office text, p_case text, p_state text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', cm.material_id, 'item_no', cm.item_no, 'group_id', cm.group_id,
               'name', cm.name, 'form', cm.form, 'proxy', cm.proxy, 'due', cm.due_date)
             ORDER BY cm.ord), '[]'::jsonb)
      FROM yc.case_material cm
     WHERE cm.office_code = p_office AND cm.case_no = p_case AND cm.state = p_state;
$$;

-- The ids of the material rows of a case in a given state (audit rows).
CREATE OR REPLACE FUNCTION yc.case_material_ids(p_office text, p_case text, p_state text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(cm.material_id ORDER BY cm.ord), '[]'::jsonb)
      FROM yc.case_material cm
     WHERE cm.office_code = p_office AND cm.case_no = p_case AND cm.state = p_state;
$$;

-- Issues a numbered notice of a case: numbered by the actor's office, stored
-- with the case's office. Returns its number.
CREATE OR REPLACE FUNCTION yc.case_notice(a yc.case_actor, c yc.service_case, p_kind text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_no text := yc.case_next_number(a.office_code, yc.case_today(), 'notice');
BEGIN
    INSERT INTO yc.notice (office_code, notice_no, case_no, kind, issued_at, staff_no, body)
    VALUES (c.office_code, v_no, c.case_no, p_kind, yc.now(), a.staff_no,
            p_body || jsonb_build_object('issued_by', a.office_code, 'window_no', a.window_no));
    RETURN v_no;
END
$$;

-------------------------------------------------------------------------------
-- Materials of a case.
-------------------------------------------------------------------------------

-- Members of an any-of group still missing when another member was seen,
-- supplied or deferred become not_needed.
CREATE OR REPLACE FUNCTION yc.case_group_settle(p_office text, p_case text) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    UPDATE yc.case_material cm SET state = 'not_needed'
     WHERE cm.office_code = p_office AND cm.case_no = p_case
       AND cm.state = 'missing' AND cm.group_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM yc.case_material o
                    WHERE o.office_code = cm.office_code AND o.case_no = cm.case_no
                      AND o.group_id = cm.group_id
                      AND o.state IN ('seen', 'supplied', 'deferred'));
END
$$;

-- The checklist lines of a case still missing: a single material, or an
-- any-of group all of whose members are missing. can_defer: every
-- material of the line is neither key nor without defer days.
CREATE OR REPLACE FUNCTION yc.case_missing(p_office text, p_case text)
RETURNS TABLE(line text, can_defer boolean)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(cm.group_id, cm.material_id),
           bool_and(NOT cm.key AND cm.defer_days > 0)
      FROM yc.case_material cm
     WHERE cm.office_code = p_office AND cm.case_no = p_case
     GROUP BY coalesce(cm.group_id, cm.material_id)
    HAVING bool_and(cm.state = 'missing');
$$;

-- Whether every id of p_ids is a material of the case.
CREATE OR REPLACE FUNCTION yc.case_ids_known(p_office text, p_case text, p_ids text[]) RETURNS boolean
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM unnest(p_ids) u(id)
         WHERE u.id IS NULL OR NOT EXISTS (
               SELECT 1 FROM yc.case_material cm
                WHERE cm.office_code = p_office AND cm.case_no = p_case
                  AND cm.material_id = u.id));
$$;

-- The materials of a new case from its definition, those that apply to
-- its form (when=): seen when in p_seen, else missing (then settled by
-- group). Refuses bad_input when p_seen names a material the case does not
-- have (one of another path among them).
CREATE OR REPLACE FUNCTION yc.case_materials_init(a yc.case_actor, c yc.service_case, p_doc xml,
                                       p_proxy boolean, p_seen text[])
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now timestamptz := yc.now();
BEGIN
    INSERT INTO yc.case_material (office_code, case_no, material_id, ord, item_no, group_id, name,
                                  form, key, defer_days, proxy, state, seen_at, seen_by)
    SELECT c.office_code, c.case_no, m.material_id, m.ord, m.item_no, m.group_id, m.name,
           m.form, m.key, m.defer_days, m.proxy,
           CASE WHEN m.material_id = ANY (p_seen) THEN 'seen' ELSE 'missing' END,
           CASE WHEN m.material_id = ANY (p_seen) THEN v_now END,
           CASE WHEN m.material_id = ANY (p_seen) THEN a.staff_no END
      FROM yc.case_def_materials(p_doc, p_proxy, c.form) m;
    IF NOT yc.case_ids_known(c.office_code, c.case_no, p_seen) THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    PERFORM yc.case_group_settle(c.office_code, c.case_no);
END
$$;

-- 补正: the materials presented now (p_seen) become supplied. Each must be
-- on the case's notice (missing and noticed; bad_input when unknown,
-- not_on_notice otherwise); one already seen or supplied stays as it was.
CREATE OR REPLACE FUNCTION yc.case_materials_supply(a yc.case_actor, c yc.service_case, p_seen text[])
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF NOT yc.case_ids_known(c.office_code, c.case_no, p_seen) THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    IF EXISTS (SELECT 1 FROM yc.case_material cm
                WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
                  AND cm.material_id = ANY (p_seen)
                  AND cm.state NOT IN ('seen', 'supplied')
                  AND NOT (cm.state = 'missing' AND cm.noticed)) THEN
        PERFORM yc.case_refuse('not_on_notice');
    END IF;
    UPDATE yc.case_material cm
       SET state = 'supplied', seen_at = yc.now(), seen_by = a.staff_no
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
       AND cm.material_id = ANY (p_seen) AND cm.state = 'missing';
    PERFORM yc.case_group_settle(c.office_code, c.case_no);
END
$$;

-- 容缺: the materials named in p_deferred (each missing; bad_input
-- otherwise) are deferred, due p_today + their defer days in working days.
-- Every missing line must be deferrable (not_deferrable) and named
-- (incomplete).
CREATE OR REPLACE FUNCTION yc.case_materials_defer(c yc.service_case, p_deferred text[], p_today date)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM yc.case_missing(c.office_code, c.case_no) m WHERE NOT m.can_defer) THEN
        PERFORM yc.case_refuse('not_deferrable');
    END IF;
    IF NOT yc.case_ids_known(c.office_code, c.case_no, p_deferred)
       OR EXISTS (SELECT 1 FROM yc.case_material cm
                   WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
                     AND cm.material_id = ANY (p_deferred) AND cm.state <> 'missing') THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    UPDATE yc.case_material cm
       SET state = 'deferred', due_date = yc.add_workdays(p_today, cm.defer_days)
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
       AND cm.material_id = ANY (p_deferred);
    PERFORM yc.case_group_settle(c.office_code, c.case_no);
    IF EXISTS (SELECT 1 FROM yc.case_missing(c.office_code, c.case_no)) THEN
        PERFORM yc.case_refuse('incomplete');
    END IF;
END
$$;

-- 受理 (0005, unchanged for a new case): accepted now, the promised date
-- from the case's limit (yc.case_def_limit of its form: the path its
-- answers take) counted from p_today (not itself counted):
-- workdays → yc.add_workdays(p_today, limit_days); months → p_today +
-- limit_months months. The definition's stages of the path follow one another: stage
-- k is due limit-days of stages 1..k working days after p_today; stage 1
-- starts now. A case accepted before (returned to the citizen by the back
-- office and now continued at a window) is taken up again instead
-- (yc.stage_resume).
CREATE OR REPLACE FUNCTION yc.case_accept(c yc.service_case, ct yc.case_type, p_doc xml,
                                          p_today date)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now      timestamptz := yc.now();
    v_promised date;
    v_stages   int;
    lim        record;
BEGIN
    SELECT l.* INTO lim FROM yc.case_def_limit(ct, p_doc, c.form) l;
    IF c.accepted_at IS NOT NULL THEN
        PERFORM yc.stage_resume(c, ct, p_today);
        RETURN;
    END IF;
    v_promised := CASE lim.kind
        WHEN 'workdays' THEN yc.add_workdays(p_today, lim.days)
        WHEN 'months' THEN (p_today + make_interval(months => lim.months))::date
        ELSE p_today END;
    INSERT INTO yc.case_stage (office_code, case_no, stage_no, name, tier, days, due_date, started_at)
    SELECT c.office_code, c.case_no, s.stage_no, s.name, s.tier, s.days,
           yc.add_workdays(p_today, (sum(s.days) OVER (ORDER BY s.stage_no))::int),
           CASE WHEN s.stage_no = 1 THEN v_now END
      FROM yc.case_def_stages(p_doc, c.form) s;
    GET DIAGNOSTICS v_stages = ROW_COUNT;
    UPDATE yc.service_case sc
       SET status = 'accepted', accepted_at = v_now, promised_date = v_promised,
           limit_days = CASE lim.kind WHEN 'workdays' THEN lim.days
                                      WHEN 'immediate' THEN 0 END,
           stage_no = CASE WHEN v_stages > 0 THEN 1 END
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
END
$$;

-- Applies the outcome to a case whose materials are recorded, and refuses
-- what the outcome does not allow (see yc.case_intake). outcome: the one
-- applied (受理 of a 即时办结 item finishes it: 'immediate').
CREATE OR REPLACE FUNCTION yc.case_conclude(a yc.case_actor, c yc.service_case, p_outcome text,
                                 p_deferred text[], p_reason text,
                                 OUT outcome text, OUT notice_no text)
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    ct        yc.case_type%ROWTYPE;
    v_doc     xml;
    v_today   date := yc.case_today();
    v_now     timestamptz := yc.now();
    v_reason  text := yc.case_trim(p_reason);
    v_missing int;
    v_kind    text;
BEGIN
    SELECT t.* INTO ct FROM yc.case_type t
     WHERE t.code = c.case_type_code AND t.version = c.case_type_version;
    v_doc := ct.definition::xml;
    -- the limit of the path the form's answers take (when= of <limit>)
    v_kind := (yc.case_def_limit(ct, v_doc, c.form)).kind;
    outcome := CASE WHEN p_outcome = 'accept' AND v_kind = 'immediate'
                    THEN 'immediate' ELSE p_outcome END;
    IF outcome = 'reject' AND v_reason IS NULL THEN
        PERFORM yc.case_refuse('reason_needed');
    ELSIF outcome = 'reject' AND EXISTS (
           SELECT 1 FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS x),
                                  '/x:case-type/x:refusals/x:forbid' PASSING v_doc
                                  COLUMNS phrase text PATH 'normalize-space(.)') f
            WHERE f.phrase <> '' AND strpos(v_reason, f.phrase) > 0) THEN
        -- a reason the definition forbids (seed 000 item 17: never late filing)
        PERFORM yc.case_refuse('reason_forbidden');
    ELSIF char_length(v_reason) > 500 THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    IF cardinality(p_deferred) > 0 AND outcome <> 'defer' THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    IF outcome = 'immediate' AND v_kind <> 'immediate' THEN
        PERFORM yc.case_refuse('not_immediate');
    END IF;
    -- a 参保凭证 is issued only of a record: never one that says there is none
    IF outcome = 'immediate'
       AND xpath_exists('/c:case-type/c:documents/c:document[@template = "certificate"]', v_doc,
                        ARRAY[ARRAY['c', 'urn:yichuang:case-type:1']])
       AND NOT EXISTS (SELECT 1 FROM yc.insurance i WHERE i.id_no = c.id_no) THEN
        PERFORM yc.case_refuse('no_insurance');
    END IF;
    -- what is accepted carries its whole form (the client checks the
    -- values; the database that none required is empty)
    IF outcome IN ('accept', 'immediate', 'defer') AND EXISTS (
           SELECT 1 FROM yc.case_def_required(v_doc) r
            WHERE yc.case_trim(c.form ->> r.field_id) IS NULL) THEN
        PERFORM yc.case_refuse('form_incomplete');
    END IF;
    SELECT count(*) INTO v_missing FROM yc.case_missing(c.office_code, c.case_no);

    IF outcome IN ('accept', 'immediate') AND v_missing > 0 THEN
        PERFORM yc.case_refuse('incomplete');
    ELSIF outcome IN ('supplement', 'defer') AND v_missing = 0 THEN
        PERFORM yc.case_refuse('nothing_missing');
    END IF;

    IF outcome = 'accept' THEN
        PERFORM yc.case_accept(c, ct, v_doc, v_today);
    ELSIF outcome = 'immediate' THEN
        UPDATE yc.service_case sc
           SET status = 'finished', accepted_at = v_now, finished_at = v_now,
               promised_date = v_today, limit_days = 0
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    ELSIF outcome = 'supplement' THEN
        UPDATE yc.case_material cm SET noticed = true
         WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no AND cm.state = 'missing';
        UPDATE yc.service_case sc SET status = 'pending_supplement'
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
        notice_no := yc.case_notice(a, c, 'supplement', jsonb_build_object(
            'missing', yc.case_material_list(c.office_code, c.case_no, 'missing')));
    ELSIF outcome = 'defer' THEN
        IF v_kind = 'immediate' THEN
            PERFORM yc.case_refuse('not_deferrable');
        END IF;
        PERFORM yc.case_materials_defer(c, p_deferred, v_today);
        PERFORM yc.case_accept(c, ct, v_doc, v_today);
        notice_no := yc.case_notice(a, c, 'deferred', jsonb_build_object(
            'deferred', yc.case_material_list(c.office_code, c.case_no, 'deferred')));
    ELSE  -- reject
        UPDATE yc.service_case sc SET status = 'rejected', reason = v_reason
         WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
        notice_no := yc.case_notice(a, c, 'rejection', jsonb_build_object('reason', v_reason));
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- A new case, or the 补正 of a waiting one, up to its outcome.
-------------------------------------------------------------------------------

-- The form as JSON from parallel arrays: ids unique, each a field of the
-- definition, values NULL read as ''. Refuses bad_input otherwise.
CREATE OR REPLACE FUNCTION yc.case_form_json(p_doc xml, p_ids text[], p_values text[]) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_ids  text[] := coalesce(p_ids, '{}');
    v_vals text[] := coalesce(p_values, '{}');
    v_form jsonb;
BEGIN
    IF cardinality(v_ids) <> cardinality(v_vals)
       OR (SELECT count(DISTINCT u.id) FROM unnest(v_ids) u(id)) <> cardinality(v_ids)
       OR EXISTS (SELECT 1 FROM unnest(v_ids) u(id)
                   WHERE u.id IS NULL
                      OR u.id NOT IN (SELECT f.field_id FROM yc.case_def_fields(p_doc) f)) THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    SELECT coalesce(jsonb_object_agg(u.id, coalesce(u.val, '')), '{}'::jsonb) INTO v_form
      FROM unnest(v_ids, v_vals) u(id, val);
    IF octet_length(v_form::text) > 65536 THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    RETURN v_form;
END
$$;

-- The agent of 委托办理 (both or neither; NULL or blank is none): the ID
-- number normalised. Refuses bad_input (one without the other, a name
-- over 40 characters, a definition without proxy) or bad_id.
CREATE OR REPLACE FUNCTION yc.case_agent(p_doc xml, p_id text, p_name text, p_today date,
                              OUT agent_id text, OUT agent_name text)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
BEGIN
    agent_name := yc.case_trim(p_name);
    IF yc.case_trim(p_id) IS NULL AND agent_name IS NULL THEN
        RETURN;
    END IF;
    IF yc.case_trim(p_id) IS NULL OR agent_name IS NULL OR char_length(agent_name) > 40
       OR NOT yc.case_def_proxy(p_doc) THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    agent_id := yc.case_idno(p_id, p_today);
    IF agent_id IS NULL THEN
        PERFORM yc.case_refuse('bad_id');
    END IF;
END
$$;

-- Opens a new case at the actor's office: type offered at its tier, the
-- applicant registered, the agent, the form and the materials checked and
-- recorded. The case is left 'draft' for yc.case_conclude.
CREATE OR REPLACE FUNCTION yc.case_new(a yc.case_actor, p_type_code text, p_version int, p_id_no text,
                            p_channel text, p_agent_id_no text, p_agent_name text,
                            p_field_ids text[], p_field_values text[], p_ticket_id bigint,
                            p_seen text[])
RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    ct      yc.case_type%ROWTYPE;
    c       yc.service_case%ROWTYPE;
    ag      record;
    v_doc   xml;
    v_today date := yc.case_today();
    v_id    text;
    v_form  jsonb;
BEGIN
    SELECT t.* INTO ct FROM yc.case_type t WHERE t.code = p_type_code AND t.version = p_version;
    IF NOT FOUND THEN
        PERFORM yc.case_refuse('unknown_type');
    END IF;
    IF NOT a.tier = ANY (ct.tiers) THEN
        PERFORM yc.case_refuse('not_allowed');
    END IF;
    -- selfservice: only a self-service terminal's actor (no staff), and it only
    IF p_channel IS NULL OR p_channel NOT IN ('window', 'proxy', 'mail', 'selfservice')
       OR (p_channel = 'selfservice') <> (a.role = 'selfservice' AND a.staff_no IS NULL) THEN
        PERFORM yc.case_refuse('bad_input');
    END IF;
    v_id := yc.case_idno(p_id_no, v_today);
    IF v_id IS NULL THEN
        PERFORM yc.case_refuse('bad_id');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM yc.person pr WHERE pr.id_no = v_id) THEN
        PERFORM yc.case_refuse('not_found');
    END IF;
    v_doc := ct.definition::xml;
    ag := yc.case_agent(v_doc, p_agent_id_no, p_agent_name, v_today);
    v_form := yc.case_form_json(v_doc, p_field_ids, p_field_values);

    INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no,
                                 status, channel, first_staff_no, window_no, form, created_at,
                                 ticket_id, ticket_day, agent_id_no, agent_name)
    VALUES (a.office_code, yc.case_next_number(a.office_code, v_today, 'case'), ct.code,
            ct.version, v_id, 'draft', p_channel, a.staff_no, a.window_no, v_form, yc.now(),
            p_ticket_id,
            (SELECT tk.day FROM yc.ticket tk
              WHERE tk.office_code = a.office_code AND tk.ticket_id = p_ticket_id),
            ag.agent_id, ag.agent_name)
    RETURNING * INTO c;
    PERFORM yc.case_materials_init(a, c, v_doc, ag.agent_id IS NOT NULL, p_seen);
    RETURN c;
END
$$;

-- Takes up a case waiting for 补正 (any office of the actor's 全市通办
-- scope, yc.tongban_scope; its office and
-- first clerk stay): locked, 'pending_supplement' (not_pending), its type
-- offered at the actor's tier (not_allowed); the materials presented now
-- recorded. A case of the scope that another office has just taken up
-- (accepted there, so no longer visible here) is not_pending too, not
-- not_found: the clerk is told who did it (yc.case_last_change).
CREATE OR REPLACE FUNCTION yc.case_resume(a yc.case_actor, p_case_no text, p_seen text[])
RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    c yc.service_case%ROWTYPE;
BEGIN
    c := yc.case_get(a, p_case_no, true);
    IF c.case_no IS NULL THEN
        PERFORM yc.case_refuse(CASE WHEN EXISTS (
            SELECT 1 FROM yc.service_case sc
              JOIN yc.notice n ON n.office_code = sc.office_code AND n.case_no = sc.case_no
                              AND n.kind = 'supplement'
             WHERE sc.case_no = btrim(p_case_no)
               AND left(sc.office_code, length(a.scope)) = a.scope) THEN 'not_pending'
            ELSE 'not_found' END);
    END IF;
    IF c.status <> 'pending_supplement' THEN
        PERFORM yc.case_refuse('not_pending');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM yc.case_type t
                    WHERE t.code = c.case_type_code AND t.version = c.case_type_version
                      AND a.tier = ANY (t.tiers)) THEN
        PERFORM yc.case_refuse('not_allowed');
    END IF;
    PERFORM yc.case_materials_supply(a, c, p_seen);
    RETURN c;
END
$$;

-- The event, audit row and announcement of an intake that succeeded, and
-- the citizen's text message of its outcome (yc.outbox_outcome).
CREATE OR REPLACE FUNCTION yc.case_intake_record(a yc.case_actor, p_before yc.service_case,
                                      p_case_no text, p_continued boolean, p_outcome text,
                                      p_notice_no text, p_ticket_id bigint, p_seen text[],
                                      p_deferred text[])
RETURNS yc.service_case
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    c      yc.service_case%ROWTYPE;
    v_kind text := CASE WHEN p_continued THEN 'continue_' ELSE 'intake_' END || p_outcome;
    v_what jsonb;
BEGIN
    SELECT sc.* INTO c FROM yc.service_case sc WHERE sc.case_no = p_case_no;
    v_what := jsonb_build_object(
        'office_code', a.office_code, 'window_no', a.window_no, 'ticket_id', p_ticket_id,
        'notice_no', p_notice_no, 'seen', to_jsonb(p_seen), 'deferred', to_jsonb(p_deferred),
        'outbox_id', yc.outbox_outcome(c, p_outcome, p_notice_no));
    PERFORM yc.case_event_add(c.office_code, c.case_no, a.staff_no, v_kind, v_what);
    PERFORM yc.case_audit(a, 'case_' || v_kind, c.office_code, c.case_no,
        CASE WHEN p_continued THEN jsonb_build_object('status', p_before.status) END,
        v_what || jsonb_build_object(
            'status', c.status, 'case_type', c.case_type_code, 'version', c.case_type_version,
            'channel', c.channel, 'agent', c.agent_id_no IS NOT NULL,
            'promised', c.promised_date, 'reason', c.reason,
            'missing', yc.case_material_ids(c.office_code, c.case_no, 'missing')));
    PERFORM yc.case_notify(c.office_code, a.office_code, v_kind, c.case_no, c.status);
    RETURN c;
END
$$;

-------------------------------------------------------------------------------
-- yc.case_intake: the end of an intake at the window, in one transaction.
--
-- A new case (p_continue_case NULL) of type (p_type_code, p_version),
-- offered at the tier of the session's office, for a registered person;
-- channel window | proxy | mail; an agent (委托办理: both ID and name, only
-- when the definition allows proxy) adds the proxy materials; the form as
-- parallel arrays of field ids of the definition and values; the ticket
-- being served at this office (NULL or 0: none). The materials come from
-- the stored definition, those of the path the form's answers take
-- (when=; so do the limit and the stages): seen when in p_seen, not_needed when another
-- member of its any-of group was seen, deferred (容缺), else missing.
--
-- 补正 (p_continue_case = the case number): a case of the scope waiting with
-- a notice; p_seen are the materials presented now, each on the notice;
-- type, person, channel, agent and form are those stored (arguments
-- ignored; a form sent completes the stored one, but answers that would
-- take the case down another conditional path, with other materials, are
-- bad_input). The case keeps its office and first clerk; the continuing
-- office, window and clerk are in the event and the audit row.
--
-- Outcomes, applied to the materials as they now stand:
--   accept      nothing missing (incomplete): 'accepted', promised date,
--               stages. For a 即时办结 item it finishes the case as
--               'immediate' does (the applied outcome is 'immediate').
--   immediate   only for a 即时办结 item (not_immediate); nothing missing
--               (incomplete): 'finished' now.
--   supplement  something missing (nothing_missing): 'pending_supplement',
--               a numbered 一次性告知书 listing every missing material (on
--               a second 补正: what is still missing).
--   defer       something missing (nothing_missing), each missing line
--               deferrable (not_deferrable; never for a 即时办结 item) and
--               named in p_deferred by one of its materials (incomplete):
--               'accepted' as for accept, the named materials due their
--               defer days after today, a numbered 容缺受理通知书 (the
--               承诺书 carries the same number).
--   reject      with a reason (reason_needed): 'rejected', a numbered
--               不予受理通知书.
-- p_deferred with another outcome, unknown material or field ids, a bad
-- channel or outcome, a ticket of another office, mail details for a case
-- not taken by mail: bad_input.
--
-- 邮寄办 (channel mail): p_mail_address, where the documents go back, and
-- p_mail_tracking, the waybill of the package that brought the application
-- (both needed for a new case: mail_needed; bad_tracking, address_needed
-- as yc.mail_add); at a 补正 of a mail case the waybill of the package with
-- the materials, when given (db/functions/mail.sql).
--
-- result: ok | no_session | not_allowed | bad_input | bad_id | not_found
--         | unknown_type | incomplete | nothing_missing | not_deferrable
--         | not_on_notice | not_immediate | not_pending | reason_needed
--         | numbers_exhausted | calendar | form_incomplete (受理, 即时办结 or
--         容缺 while a required field of the form is empty; at a 补正 the
--         form sent, when sent, replaces the stored one first) | no_insurance
--         (即时办结 of an item that prints a 参保凭证 for a person with no
--         insurance record) | reason_forbidden (不予受理 for a reason that
--         contains a phrase the definition forbids: <refusals><forbid>)
--         | mail_needed | bad_tracking | address_needed
--         | payback_over | already_insured | not_transfer (the 参保 rules of
--         a type with a <policy> rule, yc.policy_record)
-- On ok: the case number, the notice number (NULL when none), the status,
-- the acceptance date and the promised date (NULL when none).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.case_intake(p_session bigint, p_continue_case text, p_type_code text,
                               p_version int, p_id_no text, p_channel text,
                               p_agent_id_no text, p_agent_name text,
                               p_field_ids text[], p_field_values text[], p_ticket_id bigint,
                               p_seen text[], p_deferred text[], p_outcome text, p_reason text,
                               p_mail_address text, p_mail_tracking text)
RETURNS TABLE(result text, case_no text, notice_no text, status text, accepted date,
              promised date)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    c        yc.service_case%ROWTYPE;
    r        record;
    v_ticket bigint := nullif(p_ticket_id, 0);
    v_seen   text[] := coalesce(p_seen, '{}');
    v_defer  text[] := coalesce(p_deferred, '{}');
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
        IF p_outcome IS NULL OR p_outcome NOT IN ('accept', 'immediate', 'supplement', 'defer', 'reject')
           OR (v_ticket IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM yc.ticket tk
                 WHERE tk.office_code = a.office_code AND tk.ticket_id = v_ticket)) THEN
            PERFORM yc.case_refuse('bad_input');
        END IF;
        IF p_continue_case IS NULL THEN
            c := yc.case_new(a, p_type_code, p_version, p_id_no, p_channel, p_agent_id_no,
                             p_agent_name, p_field_ids, p_field_values, v_ticket, v_seen);
        ELSE
            c := yc.case_resume(a, p_continue_case, v_seen);
            -- the form as the clerk sees it now (when sent): completed at the 补正
            IF cardinality(p_field_ids) > 0 THEN
                UPDATE yc.service_case sc
                   SET form = yc.case_form_json((SELECT t.definition::xml FROM yc.case_type t
                                                  WHERE t.code = c.case_type_code
                                                    AND t.version = c.case_type_version),
                                                p_field_ids, p_field_values)
                 WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no
                RETURNING sc.* INTO c;
                -- answers that would take another path (other materials, when=)
                -- are not changed at a 补正: the notice listed what this one needs
                IF EXISTS (
                    (SELECT m.material_id
                       FROM yc.case_type t,
                            yc.case_def_materials(t.definition::xml, c.agent_id_no IS NOT NULL, c.form) m
                      WHERE t.code = c.case_type_code AND t.version = c.case_type_version
                     EXCEPT
                     SELECT cm.material_id FROM yc.case_material cm
                      WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no)
                    UNION ALL
                    (SELECT cm.material_id FROM yc.case_material cm
                      WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
                     EXCEPT
                     SELECT m.material_id
                       FROM yc.case_type t,
                            yc.case_def_materials(t.definition::xml, c.agent_id_no IS NOT NULL, c.form) m
                      WHERE t.code = c.case_type_code AND t.version = c.case_type_version)) THEN
                    PERFORM yc.case_refuse('bad_input');
                END IF;
            END IF;
        END IF;
        r := yc.case_conclude(a, c, p_outcome, v_defer, p_reason);
        c := yc.case_intake_record(a, c, c.case_no, p_continue_case IS NOT NULL, r.outcome,
                                   r.notice_no, v_ticket, v_seen, v_defer);
        PERFORM yc.mail_intake(a, c, p_continue_case IS NOT NULL, p_mail_address, p_mail_tracking);
        PERFORM yc.policy_record(a, c, (SELECT t.definition::xml FROM yc.case_type t
                                         WHERE t.code = c.case_type_code
                                           AND t.version = c.case_type_version));
        result := 'ok';
        case_no := c.case_no;
        notice_no := r.notice_no;
        status := c.status;
        accepted := yc.queue_day(c.accepted_at);
        promised := c.promised_date;
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
        WHEN SQLSTATE 'YC001' THEN
            result := 'calendar';
    END;
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- Persons.
-------------------------------------------------------------------------------

-- Who registers, changes and looks up persons of the register: the roles
-- that take cases at the counter (clerks, supervisors), whose intake needs
-- the citizen's name and phone; a guide, reviewer or administrator has no
-- business rewriting the phone the 办结 text message goes to.
CREATE OR REPLACE FUNCTION yc.person_role_ok(a yc.case_actor) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(a.role IN ('clerk', 'supervisor'), false);
$$;

-- yc.person_find: a person of the register by ID number (as typed: spaces
-- and a lower-case x allowed; id_no is the number as registered). Every
-- lookup of a valid number by a role that may make it is audited
-- (person_find: the number, whether found); a refused role is audited as
-- person_find_refused.
-- result: ok | no_session | not_allowed | bad_id | not_found
CREATE OR REPLACE FUNCTION yc.person_find(p_session bigint, p_id_no text)
RETURNS TABLE(result text, id_no text, name text, phone text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a    yc.case_actor := yc.case_actor(p_session);
    v_id text := yc.case_idno(p_id_no, yc.case_today());
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
    ELSIF NOT yc.person_role_ok(a) THEN
        PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'person_find_refused',
            CASE WHEN v_id IS NOT NULL THEN 'person:' || v_id END, NULL,
            jsonb_build_object('reason', 'not_allowed', 'role', a.role), a.client);
        result := 'not_allowed';
    ELSIF v_id IS NULL THEN
        result := 'bad_id';
    ELSE
        SELECT 'ok', pr.id_no, pr.name, pr.phone INTO result, id_no, name, phone
          FROM yc.person pr WHERE pr.id_no = v_id;
        result := coalesce(result, 'not_found');
        PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'person_find',
            'person:' || v_id, NULL, jsonb_build_object('found', result = 'ok'), a.client);
    END IF;
    RETURN NEXT;
END
$$;

-- yc.person_register: registers a person or updates the name (and the
-- phone, when one is given: NULL or blank keeps the known one) of a known
-- one; sex and birth date come from the ID number. Audited when something
-- changed. Name: 1 to 40 characters; phone: digits, +, -, spaces,
-- parentheses, at most 30; a name with a control character or a
-- bidirectional override (yc.text_safe) is bad_text. Only the roles that
-- take cases (yc.person_role_ok): any other is refused (not_allowed,
-- audited as person_register_refused) with nothing changed.
-- result: ok | no_session | not_allowed | bad_id | bad_input | bad_text
CREATE OR REPLACE FUNCTION yc.person_register(p_session bigint, p_id_no text, p_name text, p_phone text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a       yc.case_actor := yc.case_actor(p_session);
    v_id    text := yc.case_idno(p_id_no, yc.case_today());
    v_name  text := yc.case_trim(p_name);
    v_phone text := yc.case_trim(p_phone);
    v_old   yc.person%ROWTYPE;
    v_new   yc.person%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    ELSIF NOT yc.person_role_ok(a) THEN
        PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'person_register_refused',
            CASE WHEN v_id IS NOT NULL THEN 'person:' || v_id END, NULL,
            jsonb_build_object('reason', 'not_allowed', 'role', a.role), a.client);
        RETURN 'not_allowed';
    ELSIF v_id IS NULL THEN
        RETURN 'bad_id';
    ELSIF v_name IS NULL OR char_length(v_name) > 40
          OR v_phone !~ '^[0-9+() -]{1,30}$' THEN
        RETURN 'bad_input';
    ELSIF NOT yc.text_safe(v_name) THEN
        RETURN 'bad_text';
    END IF;
    SELECT pr.* INTO v_old FROM yc.person pr WHERE pr.id_no = v_id FOR UPDATE;
    INSERT INTO yc.person AS pr (id_no, name, sex, birth_date, phone)
    VALUES (v_id, v_name,
            CASE WHEN substr(v_id, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END,
            yc.idno_birth(v_id), v_phone)
    ON CONFLICT (id_no) DO UPDATE
       SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, pr.phone)
     WHERE (pr.name, pr.phone) IS DISTINCT FROM (EXCLUDED.name, coalesce(EXCLUDED.phone, pr.phone))
    RETURNING pr.* INTO v_new;
    IF v_new.id_no IS NOT NULL THEN
        PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no,
            CASE WHEN v_old.id_no IS NULL THEN 'person_register' ELSE 'person_update' END,
            'person:' || v_id,
            CASE WHEN v_old.id_no IS NOT NULL THEN
                jsonb_build_object('name', v_old.name, 'phone', v_old.phone) END,
            jsonb_build_object('name', v_new.name, 'phone', v_new.phone), a.client);
    END IF;
    RETURN 'ok';
END
$$;

-- yc.case_lookup: as in 0005, limited to the cases the session may see;
-- the key may also be the waybill number of a package of the case (邮寄办).
CREATE OR REPLACE FUNCTION yc.case_lookup(p_session bigint, p_key text)
RETURNS TABLE(result text, office_code text, office_name text, case_no text, type_code text,
              version int, type_name text, id_no text, person_name text, status text,
              notice_no text, created date, promised date, channel text,
              agent_id_no text, agent_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a     yc.case_actor := yc.case_actor(p_session);
    v_key text := upper(regexp_replace(coalesce(p_key, ''), '\s', '', 'g'));
    v_num text;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_key !~ '^N?[0-9]{6,40}X?$' AND yc.mail_tracking(v_key) IS NULL THEN
        result := 'bad_input';
        RETURN NEXT;
        RETURN;
    END IF;
    v_num := ltrim(v_key, 'N');
    RETURN QUERY
        SELECT 'ok'::text, c.office_code, o.name, c.case_no, c.case_type_code,
               c.case_type_version, t.name, c.id_no, pr.name, c.status, n.notice_no,
               yc.queue_day(c.created_at), c.promised_date, c.channel,
               c.agent_id_no, c.agent_name
          FROM (SELECT sc.office_code, sc.case_no FROM yc.service_case sc
                 WHERE sc.case_no = v_num
                UNION
                SELECT nt.office_code, nt.case_no FROM yc.notice nt
                 WHERE nt.notice_no = 'N' || v_num
                UNION
                SELECT sc.office_code, sc.case_no FROM yc.service_case sc
                 WHERE sc.id_no = v_key
                UNION
                SELECT m.office_code, m.case_no FROM yc.case_mail m
                 WHERE m.tracking_no = yc.mail_tracking(v_key)) hit
          JOIN yc.service_case c ON c.office_code = hit.office_code AND c.case_no = hit.case_no
          JOIN yc.office o ON o.code = c.office_code
          JOIN yc.case_type t ON t.code = c.case_type_code AND t.version = c.case_type_version
          JOIN yc.person pr ON pr.id_no = c.id_no
          LEFT JOIN LATERAL (SELECT nt.notice_no FROM yc.notice nt
                              WHERE nt.office_code = c.office_code AND nt.case_no = c.case_no
                              ORDER BY nt.issued_at DESC, nt.notice_no DESC LIMIT 1) n ON true
         WHERE left(c.office_code, length(a.scope)) = a.scope
           AND yc.case_visible(a, c)
         ORDER BY c.created_at DESC, c.case_no DESC
         LIMIT 20;
    IF NOT FOUND THEN
        result := 'not_found';
        RETURN NEXT;
    END IF;
END
$$;

-- yc.case_open_same: as in 0005, among the cases the session may see.
CREATE OR REPLACE FUNCTION yc.case_open_same(p_session bigint, p_id_no text, p_type_code text)
RETURNS TABLE(result text, case_no text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a    yc.case_actor := yc.case_actor(p_session);
    v_id text := yc.case_idno(p_id_no, yc.case_today());
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
    ELSIF v_id IS NULL THEN
        result := 'bad_id';
    ELSE
        SELECT 'ok', sc.case_no INTO result, case_no
          FROM yc.service_case sc
         WHERE sc.id_no = v_id AND sc.case_type_code = p_type_code
           AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
           AND left(sc.office_code, length(a.scope)) = a.scope
           AND yc.case_visible(a, sc)
         ORDER BY sc.created_at DESC
         LIMIT 1;
        result := coalesce(result, 'not_found');
    END IF;
    RETURN NEXT;
END
$$;

-- yc.case_materials: the material rows of a case in checklist order.
-- result: ok (one row per material) | no_session | not_found (one row)
CREATE OR REPLACE FUNCTION yc.case_materials(p_session bigint, p_case_no text)
RETURNS TABLE(result text, material_id text, item_no int, group_id text, name text, form text,
              key boolean, proxy boolean, noticed boolean, defer_days int, state text,
              due date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
    c yc.service_case%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    c := yc.case_get(a, p_case_no, false);
    IF c.case_no IS NULL THEN
        result := 'not_found';
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, cm.material_id, cm.item_no, cm.group_id, cm.name, cm.form, cm.key,
               cm.proxy, cm.noticed, cm.defer_days, cm.state, cm.due_date
          FROM yc.case_material cm
         WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
         ORDER BY cm.ord;
END
$$;

-- The fields of a definition whose values identify a person or an
-- account (type bankcard, idno): the ones masked for a role that does not
-- need them, as the documents mask them (yc.doc_mask_idno).
CREATE OR REPLACE FUNCTION yc.case_def_secret_fields(p_doc xml)
RETURNS TABLE(field_id text)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT f.field_id
      FROM XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS c),
                    '/c:case-type/c:fields/c:field[@type = "bankcard" or @type = "idno"]' PASSING p_doc
                    COLUMNS field_id text PATH '@id') f;
$$;

-- yc.case_form: the stored form of a case as (field id, value) rows, in
-- the order of the definition's fields. Its one use is the 补正 at the
-- counter, which completes the stored form and sends it back whole: the
-- roles that take cases (clerks, supervisors) get every value as stored;
-- any other role gets bank cards and ID numbers masked (first 6 and last
-- 4 characters kept, as on the documents).
-- result: ok (one row per field; none when the form is empty) | no_session
--         | not_found (one row)
CREATE OR REPLACE FUNCTION yc.case_form(p_session bigint, p_case_no text)
RETURNS TABLE(result text, field_id text, value text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
    c yc.service_case%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    c := yc.case_get(a, p_case_no, false);
    IF c.case_no IS NULL THEN
        result := 'not_found';
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        WITH def AS (
            SELECT t.definition::xml AS doc FROM yc.case_type t
             WHERE t.code = c.case_type_code AND t.version = c.case_type_version
        )
        SELECT 'ok'::text, f.key,
               CASE WHEN NOT yc.person_role_ok(a)
                         AND f.key IN (SELECT x.field_id FROM def, yc.case_def_secret_fields(def.doc) x)
                    THEN yc.doc_mask_idno(f.value) ELSE f.value END
          FROM jsonb_each_text(c.form) f
          LEFT JOIN yc.case_def_fields((SELECT def.doc FROM def)) d
            ON d.field_id = f.key
         ORDER BY d.ord NULLS LAST, f.key;
END
$$;

-------------------------------------------------------------------------------
-- After acceptance.
-------------------------------------------------------------------------------

-- yc.case_supply: a deferred material presented (容缺 补齐): supplied now.
-- Another member of its any-of group may be presented instead of the one
-- deferred: it is supplied and the deferred one is no longer needed. The
-- case must be accepted or in progress (not_pending); the material must be
-- deferred or that alternative (not_pending). Audited and announced.
-- result: ok | no_session | not_allowed | not_found | bad_input | not_pending
CREATE OR REPLACE FUNCTION yc.case_supply(p_session bigint, p_case_no text, p_material_id text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a  yc.case_actor := yc.case_actor(p_session);
    c  yc.service_case%ROWTYPE;
    m  yc.case_material%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    ELSIF a.role NOT IN ('clerk', 'supervisor') THEN
        RETURN 'not_allowed';
    END IF;
    c := yc.case_get(a, p_case_no, true);
    IF c.case_no IS NULL THEN
        RETURN 'not_found';
    END IF;
    SELECT cm.* INTO m FROM yc.case_material cm
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
       AND cm.material_id = p_material_id;
    IF NOT FOUND THEN
        RETURN 'bad_input';
    END IF;
    IF c.status NOT IN ('accepted', 'in_progress')
       OR NOT (m.state = 'deferred'
               OR (m.state = 'not_needed' AND EXISTS (
                     SELECT 1 FROM yc.case_material o
                      WHERE o.office_code = m.office_code AND o.case_no = m.case_no
                        AND o.group_id = m.group_id AND o.state = 'deferred'))) THEN
        RETURN 'not_pending';
    END IF;
    UPDATE yc.case_material cm
       SET state = 'supplied', seen_at = yc.now(), seen_by = a.staff_no, due_date = NULL
     WHERE cm.office_code = m.office_code AND cm.case_no = m.case_no
       AND cm.material_id = m.material_id;
    UPDATE yc.case_material cm SET state = 'not_needed', due_date = NULL
     WHERE cm.office_code = m.office_code AND cm.case_no = m.case_no
       AND cm.group_id = m.group_id AND cm.state = 'deferred';
    -- the 容缺 reminder: cancelled, or planned for what is still deferred
    PERFORM yc.outbox_remind(c);
    PERFORM yc.case_event_add(c.office_code, c.case_no, a.staff_no, 'material_supplied',
        jsonb_build_object('material_id', m.material_id, 'office_code', a.office_code,
                           'window_no', a.window_no));
    PERFORM yc.case_audit(a, 'case_supply', c.office_code, c.case_no,
        jsonb_build_object('material_id', m.material_id, 'state', m.state, 'due', m.due_date),
        jsonb_build_object('material_id', m.material_id, 'state', 'supplied'));
    PERFORM yc.case_notify(c.office_code, a.office_code, 'material_supplied', c.case_no, c.status);
    RETURN 'ok';
END
$$;

-- The due dates of a set of open cases, at most p_limit, earliest first:
-- each case's promised date, its current stage's due date, each deferred
-- material not yet supplied. The clerk's cases (p_staff) through
-- service_case_staff_open_idx and the primary keys; an office's
-- (p_office) through service_case_open_idx, case_stage_due_idx and
-- case_material_due_idx.
CREATE OR REPLACE FUNCTION yc.case_due_rows(p_staff text, p_office text, p_limit int)
RETURNS TABLE(office_code text, case_no text, kind text, label text, material_id text, due date,
              limit_days int)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF p_staff IS NOT NULL THEN
        RETURN QUERY
        WITH mine AS (
            SELECT sc.office_code, sc.case_no, sc.promised_date, sc.limit_days, sc.stage_no
              FROM yc.service_case sc
             WHERE sc.first_staff_no = p_staff
               AND sc.status NOT IN ('finished', 'rejected', 'cancelled'))
        SELECT * FROM (
            (SELECT m.office_code, m.case_no, 'case'::text, ''::text, NULL::text, m.promised_date, m.limit_days
               FROM mine m WHERE m.promised_date IS NOT NULL
              ORDER BY m.promised_date LIMIT p_limit)
            UNION ALL
            (SELECT m.office_code, m.case_no, 'stage', st.name, NULL, st.due_date, st.days
               FROM mine m JOIN yc.case_stage st
                 ON st.office_code = m.office_code AND st.case_no = m.case_no
                AND st.stage_no = m.stage_no AND st.finished_at IS NULL
              ORDER BY st.due_date LIMIT p_limit)
            UNION ALL
            (SELECT m.office_code, m.case_no, 'material', cm.name, cm.material_id, cm.due_date,
                    cm.defer_days
               FROM mine m JOIN yc.case_material cm
                 ON cm.office_code = m.office_code AND cm.case_no = m.case_no
                AND cm.state = 'deferred'
              ORDER BY cm.due_date LIMIT p_limit)) x;
    ELSE
        RETURN QUERY
        SELECT * FROM (
            (SELECT sc.office_code, sc.case_no, 'case'::text, ''::text, NULL::text, sc.promised_date,
                    sc.limit_days
               FROM yc.service_case sc
              WHERE sc.office_code = p_office
                AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
                AND sc.promised_date IS NOT NULL
              ORDER BY sc.promised_date LIMIT p_limit)
            UNION ALL
            (SELECT st.office_code, st.case_no, 'stage', st.name, NULL, st.due_date, st.days
               FROM yc.case_stage st
               JOIN yc.service_case sc ON sc.office_code = st.office_code AND sc.case_no = st.case_no
              WHERE st.office_code = p_office AND st.finished_at IS NULL
                AND st.stage_no = sc.stage_no
                AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
              ORDER BY st.due_date LIMIT p_limit)
            UNION ALL
            (SELECT cm.office_code, cm.case_no, 'material', cm.name, cm.material_id, cm.due_date,
                    cm.defer_days
               FROM yc.case_material cm
               JOIN yc.service_case sc ON sc.office_code = cm.office_code AND sc.case_no = cm.case_no
              WHERE cm.office_code = p_office AND cm.state = 'deferred'
                AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
              ORDER BY cm.due_date LIMIT p_limit)) x;
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- 好差评 and drafts.
-------------------------------------------------------------------------------

-- yc.rating_record: the citizen's grade (1 非常满意 … 5 非常不满意) of the
-- service just given at the session's window: for a case it may see
-- and/or a ticket of the session's office (at least one). Audited; a grade
-- of 4 or 5 is flagged for the supervisor and announced.
-- result: ok | no_session | bad_input | not_found
CREATE OR REPLACE FUNCTION yc.rating_record(p_session bigint, p_case_no text, p_ticket_id bigint,
                                 p_grade int)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    c        yc.service_case%ROWTYPE;
    v_ticket bigint := nullif(p_ticket_id, 0);
    v_case   text := yc.case_trim(p_case_no);
    v_id     bigint;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    ELSIF p_grade IS NULL OR p_grade NOT BETWEEN 1 AND 5 OR (v_ticket IS NULL AND v_case IS NULL) THEN
        RETURN 'bad_input';
    END IF;
    IF v_case IS NOT NULL THEN
        c := yc.case_get(a, v_case, false);
        IF c.case_no IS NULL THEN
            RETURN 'not_found';
        END IF;
    END IF;
    IF v_ticket IS NOT NULL AND NOT EXISTS (SELECT 1 FROM yc.ticket tk
            WHERE tk.office_code = a.office_code AND tk.ticket_id = v_ticket) THEN
        RETURN 'not_found';
    END IF;
    INSERT INTO yc.rating (office_code, case_office, case_no, ticket_id, staff_no, window_no,
                           grade, rated_at)
    VALUES (a.office_code, c.office_code, c.case_no, v_ticket, a.staff_no, a.window_no,
            p_grade, yc.now())
    RETURNING rating_id INTO v_id;
    PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'rating_record',
        format('rating:%s/%s', a.office_code, v_id), NULL,
        jsonb_build_object('grade', p_grade, 'case_no', c.case_no, 'ticket_id', v_ticket),
        a.client);
    IF p_grade >= 4 THEN
        PERFORM yc.case_notify(a.office_code, a.office_code, 'rating_flagged', c.case_no, NULL);
    END IF;
    RETURN 'ok';
END
$$;

-- The window screen (窗口屏 / 评价器, `yichuang window-screen`), connected as
-- the kiosk role with no session: what the citizen at window p_window of
-- office p_office may see, and the rating of the service just given there.
-- The service to rate is the window's ticket served last (status 'served',
-- with or without a case), for at most yc.window_rate_seconds() after it
-- finished, while it has no rating (from the screen or the clerk's prompt).

-- A window screen is connected while its connection holds the session
-- advisory lock yc.window_screen_key of its window (taken by
-- yc.window_screen_state, released by the server when the connection
-- ends): the clerk's own rating prompt is then left out
-- (yc.window_screen_present).

-- The advisory lock keys of a window's screen (both non-negative).
CREATE OR REPLACE FUNCTION yc.window_screen_key(p_office text, p_window int, OUT k1 int, OUT k2 int)
LANGUAGE sql IMMUTABLE AS $$
    SELECT hashtext('yc.window_screen') & 2147483647,
           hashtext(p_office || '/' || p_window::text) & 2147483647
$$;

-- How long after a service the window screen may still rate it (seconds).
CREATE OR REPLACE FUNCTION yc.window_rate_seconds() RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT 300 $$;

-- The window's ticket that the screen may rate now (NULL: none).
CREATE OR REPLACE FUNCTION yc.window_rate_ticket(p_office text, p_window int)
RETURNS yc.ticket
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    t yc.ticket%ROWTYPE;
BEGIN
    SELECT tk.* INTO t FROM yc.ticket tk
     WHERE tk.office_code = p_office AND tk.window_no = p_window
       AND tk.day = yc.queue_day(yc.now()) AND tk.status = 'served'
     ORDER BY tk.finished_at DESC, tk.ticket_id DESC LIMIT 1;
    IF t.ticket_id IS NULL
       OR t.finished_at < yc.now() - make_interval(secs => yc.window_rate_seconds())
       OR EXISTS (SELECT 1 FROM yc.rating r
                   WHERE r.office_code = p_office AND r.ticket_id = t.ticket_id) THEN
        RETURN NULL;
    END IF;
    RETURN t;
END
$$;

-- yc.window_screen_state: the public state of one window: state (idle |
-- serving | paused), the signed-in clerk's staff number and name (NULL when
-- nobody is signed in there), the number of the ticket being served, and
-- the number of the service the citizen may rate now (NULL: none). Nothing
-- else: no ID number, no case.
-- result: ok (one row) | unknown_window (one row)
CREATE OR REPLACE FUNCTION yc.window_screen_state(p_office text, p_window int)
RETURNS TABLE(result text, state text, staff_no text, staff_name text, serving text,
              to_rate text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    w yc.window_state%ROWTYPE;
    t yc.ticket;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.service_window sw
                    WHERE sw.office_code = p_office AND sw.window_no = p_window) THEN
        result := 'unknown_window';
        RETURN NEXT;
        RETURN;
    END IF;
    -- this connection is the window's screen from now on (once per connection)
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l, yc.window_screen_key(p_office, p_window) k
                    WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid()
                      AND l.classid = k.k1::oid AND l.objid = k.k2::oid AND l.objsubid = 2) THEN
        PERFORM pg_catalog.pg_try_advisory_lock(k.k1, k.k2)
           FROM yc.window_screen_key(p_office, p_window) k;
    END IF;
    SELECT ws.* INTO w FROM yc.window_state ws
     WHERE ws.office_code = p_office AND ws.window_no = p_window;
    result := 'ok';
    state := coalesce(w.state, 'idle');
    SELECT s.staff_no, st.name INTO staff_no, staff_name
      FROM yc.staff_session s JOIN yc.staff st ON st.staff_no = s.staff_no
     WHERE s.office_code = p_office AND s.window_no = p_window AND s.ended_at IS NULL;
    SELECT tk.number INTO serving FROM yc.ticket tk
     WHERE tk.office_code = p_office AND tk.ticket_id = w.current_ticket_id
       AND tk.day = w.current_ticket_day;
    t := yc.window_rate_ticket(p_office, p_window);
    to_rate := t.number;
    RETURN NEXT;
END
$$;

-- yc.window_screen_rate: the citizen's grade (1 非常满意 … 5 非常不满意),
-- keyed on the window screen, of the window's last service
-- (yc.window_rate_ticket): recorded as yc.rating_record records the
-- clerk's prompt, for the ticket, its case (the latest case opened for the
-- ticket, if any) and the clerk whose session at the window was open when
-- it finished. Audited ('rating_record', client 'window-screen'); 4 and 5
-- flagged and announced; the window's channel told ('rated').
-- result: ok | unknown_window | bad_input | nothing_to_rate (no service,
-- already rated, or finished more than yc.window_rate_seconds() ago)
CREATE OR REPLACE FUNCTION yc.window_screen_rate(p_office text, p_window int, p_grade int)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    t      yc.ticket;
    v_case yc.service_case%ROWTYPE;
    v_staff text;
    v_id   bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.service_window sw
                    WHERE sw.office_code = p_office AND sw.window_no = p_window) THEN
        RETURN 'unknown_window';
    ELSIF p_grade IS NULL OR p_grade NOT BETWEEN 1 AND 5 THEN
        RETURN 'bad_input';
    END IF;
    -- one rating per service even when two screens key at once
    PERFORM 1 FROM yc.service_window sw
      WHERE sw.office_code = p_office AND sw.window_no = p_window FOR UPDATE;
    t := yc.window_rate_ticket(p_office, p_window);
    IF t.ticket_id IS NULL THEN
        RETURN 'nothing_to_rate';
    END IF;
    SELECT s.staff_no INTO v_staff FROM yc.staff_session s
     WHERE s.office_code = p_office AND s.window_no = p_window
       AND s.started_at <= t.finished_at AND (s.ended_at IS NULL OR s.ended_at >= t.finished_at)
     ORDER BY s.started_at DESC LIMIT 1;
    IF v_staff IS NULL THEN
        RETURN 'nothing_to_rate';
    END IF;
    SELECT sc.* INTO v_case FROM yc.service_case sc
     WHERE sc.office_code = p_office AND sc.ticket_id = t.ticket_id
     ORDER BY sc.case_no DESC LIMIT 1;
    INSERT INTO yc.rating (office_code, case_office, case_no, ticket_id, staff_no, window_no,
                           grade, rated_at)
    VALUES (p_office, v_case.office_code, v_case.case_no, t.ticket_id, v_staff, p_window,
            p_grade, yc.now())
    RETURNING rating_id INTO v_id;
    PERFORM yc.audit_write(p_office, v_staff, p_window, 'rating_record',
        format('rating:%s/%s', p_office, v_id), NULL,
        jsonb_build_object('grade', p_grade, 'case_no', v_case.case_no, 'ticket_id', t.ticket_id,
                           'via', 'window_screen'),
        'window-screen');
    IF p_grade >= 4 THEN
        PERFORM yc.case_notify(p_office, p_office, 'rating_flagged', v_case.case_no, NULL);
    END IF;
    PERFORM yc.queue_notify(p_office, 'rated', t.number, p_window);
    RETURN 'ok';
END
$$;

-- yc.window_screen_present: whether a window screen is connected at the
-- session's window (it then asks the citizen for the rating after the
-- service, and the clerk's prompt is left out). false without a session
-- or a window.
CREATE OR REPLACE FUNCTION yc.window_screen_present(p_session bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
BEGIN
    IF a.office_code IS NULL OR a.window_no IS NULL THEN
        RETURN false;
    END IF;
    RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_locks l, yc.window_screen_key(a.office_code, a.window_no) k
                    WHERE l.locktype = 'advisory' AND l.granted
                      AND l.classid = k.k1::oid AND l.objid = k.k2::oid AND l.objsubid = 2);
END
$$;

-- yc.draft_save: the session's clerk's draft (1 to 65536 bytes), replacing
-- the previous one. Not audited: it is the clerk's typing, saved as it goes.
-- result: ok | no_session | bad_input
CREATE OR REPLACE FUNCTION yc.draft_save(p_session bigint, p_body text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    ELSIF p_body IS NULL OR octet_length(p_body) NOT BETWEEN 1 AND 65536 THEN
        RETURN 'bad_input';
    END IF;
    INSERT INTO yc.intake_draft AS d (staff_no, office_code, window_no, saved_at, body)
    VALUES (a.staff_no, a.office_code, a.window_no, yc.now(), p_body)
    ON CONFLICT (staff_no) DO UPDATE
       SET office_code = EXCLUDED.office_code, window_no = EXCLUDED.window_no,
           saved_at = EXCLUDED.saved_at, body = EXCLUDED.body;
    RETURN 'ok';
END
$$;

-- Deletes every draft (of any clerk) saved more than draft_expire_days
-- days ago (setting, default 30; 0028_hardening): a draft may hold a bank
-- card number and a phone, and nobody took it up again. One audit row per
-- draft (who, when it was saved; never its body). Returns how many.
CREATE OR REPLACE FUNCTION yc.draft_expire() RETURNS int
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    d record;
    n int := 0;
BEGIN
    FOR d IN
        DELETE FROM yc.intake_draft x
         WHERE x.saved_at < yc.now() - make_interval(days => coalesce(yc.setting_int('draft_expire_days'), 30))
        RETURNING x.staff_no, x.office_code, x.window_no, x.saved_at
    LOOP
        PERFORM yc.audit_write(d.office_code, d.staff_no, d.window_no, 'draft_expired',
            'intake_draft:' || d.staff_no, jsonb_build_object('saved_at', d.saved_at), NULL, NULL);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- yc.draft_get: the draft of the session's clerk, saved at any window;
-- saved_at as Unix seconds. Expired drafts (yc.draft_expire) are deleted
-- first, everybody's: a sign-in anywhere sweeps them.
-- result: ok | no_session | not_found
CREATE OR REPLACE FUNCTION yc.draft_get(p_session bigint)
RETURNS TABLE(result text, saved_at bigint, body text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
    ELSE
        PERFORM yc.draft_expire();
        SELECT 'ok', extract(epoch FROM d.saved_at)::bigint, d.body INTO result, saved_at, body
          FROM yc.intake_draft d WHERE d.staff_no = a.staff_no;
        result := coalesce(result, 'not_found');
    END IF;
    RETURN NEXT;
END
$$;

-- yc.draft_clear: removes the session's clerk's draft (none: nothing to do).
-- result: ok | no_session
CREATE OR REPLACE FUNCTION yc.draft_clear(p_session bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    END IF;
    DELETE FROM yc.intake_draft d WHERE d.staff_no = a.staff_no;
    RETURN 'ok';
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.case_actor(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_refuse(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_today() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_trim(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_channel_name(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_idno(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_get(yc.case_actor, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_when(text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_materials(xml, boolean, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_stages(xml, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_limit(yc.case_type, xml, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_fields(xml) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_required(xml) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_proxy(xml) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_next_number(text, date, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_event_add(text, text, text, text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_audit(yc.case_actor, text, text, text, jsonb, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_notify(text, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_material_list(text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_material_ids(text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_notice(yc.case_actor, yc.service_case, text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_group_settle(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_missing(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_ids_known(text, text, text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_materials_init(yc.case_actor, yc.service_case, xml, boolean, text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_materials_supply(yc.case_actor, yc.service_case, text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_materials_defer(yc.service_case, text[], date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_accept(yc.service_case, yc.case_type, xml, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_conclude(yc.case_actor, yc.service_case, text, text[], text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_form_json(xml, text[], text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_agent(xml, text, text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_new(yc.case_actor, text, integer, text, text, text, text, text[], text[], bigint, text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_resume(yc.case_actor, text, text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_intake_record(yc.case_actor, yc.service_case, text, boolean, text, text, bigint, text[], text[]) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_intake(bigint, text, text, integer, text, text, text, text, text[], text[], bigint, text[], text[], text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.person_find(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.person_register(bigint, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_lookup(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_open_same(bigint, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_materials(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_form(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.person_role_ok(yc.case_actor) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_def_secret_fields(xml) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_supply(bigint, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_due_rows(text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.rating_record(bigint, text, bigint, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_screen_key(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_screen_present(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_rate_seconds() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_rate_ticket(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_screen_state(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_screen_rate(text, integer, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.draft_save(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.draft_get(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.draft_expire() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.draft_clear(bigint) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.case_intake(bigint, text, text, integer, text, text, text, text, text[], text[], bigint, text[], text[], text, text, text, text),
    yc.person_find(bigint, text),
    yc.person_register(bigint, text, text, text),
    yc.case_lookup(bigint, text),
    yc.case_open_same(bigint, text, text),
    yc.case_materials(bigint, text),
    yc.case_form(bigint, text),
    yc.case_supply(bigint, text, text),
    yc.rating_record(bigint, text, bigint, integer),
    yc.window_screen_present(bigint),
    yc.draft_save(bigint, text),
    yc.draft_get(bigint),
    yc.draft_clear(bigint)
  TO yichuang_app;
-- The window screens (kiosk role, 0027_roles): their window's state and rating.
GRANT EXECUTE ON FUNCTION
    yc.window_screen_state(text, integer),
    yc.window_screen_rate(text, integer, integer)
  TO yichuang_kiosk;
