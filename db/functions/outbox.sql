-- db/functions/outbox.sql: text messages to the citizen at every outcome, rendered from the templates.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).
--
-- From the migration that introduced them (0018_outbox_kinds): the
-- citizen is told at 受理 (the promised date), 一次性告知 (how many
-- materials are missing, the notice number), 容缺受理 (the supply-by date,
-- and a reminder three working days before it), 即时办结, 办结 (with the
-- 动账提醒 for items that pay to a bank card), 终止 and 撤回; 不予受理 gets
-- no message (the citizen holds the 不予受理通知书). Each text comes from
-- yc.sms_template, which `yichuang db migrate` loads from
-- print_templates/sms/<kind>.mustache after checking it (tui/model/sms.c);
-- each row of yc.outbox is written in the transaction of its outcome.
--
-- Nothing here is callable by the application: the outcomes' SECURITY
-- DEFINER entry points call these functions.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The message of kind p_kind with the variables of p_data (a JSON object:
-- strings, numbers, booleans) filled in, as the template language of
-- tui/model/sms.h has it: {{name}} is p_data's value as text ('' when
-- missing or null), control characters made spaces, a value longer than
-- the template's maximum for it cut to that maximum - 1 characters and
-- '…'; {{#name}} … {{/name}} is kept when p_data's value is neither
-- missing, null, false, "" nor []. Raises an error when the kind has no
-- template loaded (`yichuang db migrate` loads them).
CREATE OR REPLACE FUNCTION yc.sms_render(p_kind text, p_data jsonb) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    t      yc.sms_template%ROWTYPE;
    v_rest text;
    v_out  text := '';
    v_at   int;
    v_end  int;
    v_tag  text;
    v_skip boolean := false;
    v_val  jsonb;
    v_text text;
    v_max  int;
BEGIN
    SELECT st.* INTO t FROM yc.sms_template st WHERE st.kind = p_kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no text-message template of kind %', p_kind
            USING HINT = 'yichuang db migrate loads print_templates/sms/';
    END IF;
    v_rest := t.body;
    LOOP
        v_at := strpos(v_rest, '{{');
        v_end := CASE WHEN v_at > 0 THEN strpos(substr(v_rest, v_at + 2), '}}') ELSE 0 END;
        IF v_end = 0 THEN
            -- the rest is text (the loader let no unclosed tag through)
            IF NOT v_skip THEN
                v_out := v_out || v_rest;
            END IF;
            EXIT;
        END IF;
        IF NOT v_skip THEN
            v_out := v_out || left(v_rest, v_at - 1);
        END IF;
        v_tag := btrim(substr(v_rest, v_at + 2, v_end - 1), E' \t');
        v_rest := substr(v_rest, v_at + 2 + v_end + 1);
        IF left(v_tag, 1) = '#' THEN
            v_val := p_data -> btrim(substr(v_tag, 2), E' \t');
            v_skip := v_val IS NULL OR v_val IN ('null'::jsonb, 'false'::jsonb, '""'::jsonb, '[]'::jsonb);
        ELSIF left(v_tag, 1) = '/' THEN
            v_skip := false;
        ELSIF NOT v_skip THEN
            v_text := regexp_replace(coalesce(p_data ->> v_tag, ''), '[[:cntrl:]]+', ' ', 'g');
            v_max := (t.vars ->> v_tag)::int;
            IF v_max IS NOT NULL AND char_length(v_text) > v_max THEN
                v_text := left(v_text, v_max - 1) || '…';
            END IF;
            v_out := v_out || v_text;
        END IF;
    END LOOP;
    RETURN v_out;
END
$$;

-- The name of the case's item in text messages: the short name of its
-- definition (<name short="…">), else its name; `forms check` keeps it
-- within what the templates allow (tui/model/catalogue.h CAT_SMS_NAME_MAX).
CREATE OR REPLACE FUNCTION yc.outbox_item(c yc.service_case) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(yc.case_trim(x.short), t.name)
      FROM yc.case_type t,
           XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS x), '/x:case-type/x:name'
                    PASSING CAST(t.definition AS xml) COLUMNS short text PATH '@short') x
     WHERE t.code = c.case_type_code AND t.version = c.case_type_version;
$$;

-- Cancels the unsent messages of kind p_kind of case c (cancelled_at now:
-- the sender never sends them; nothing is deleted). Returns how many.
CREATE OR REPLACE FUNCTION yc.outbox_cancel(c yc.service_case, p_kind text) RETURNS int
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_n int;
BEGIN
    UPDATE yc.outbox o SET cancelled_at = yc.now()
     WHERE o.office_code = c.office_code AND o.case_no = c.case_no AND o.kind = p_kind
       AND o.sent_at IS NULL AND o.cancelled_at IS NULL;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

-------------------------------------------------------------------------------
-- yc.outbox_citizen: a text message to the citizen of case c.
--
-- c: the case as it stands (yc.service_case; office_code, case_no, id_no,
-- case type and form are used). p_kind: accepted | supplement | deferred
-- | deferred_reminder | finished_now | finished | terminated | withdrawn.
-- p_data: a JSON object with the kind's own variables (see
-- print_templates/README.md): promised (accepted, deferred), notice_no
-- and count (supplement, deferred), due (deferred, deferred_reminder),
-- result, card and pays (finished), reason (terminated, withdrawn: text,
-- cut to 30 characters); dates as the citizen reads them (yc.doc_date).
-- Every kind also has item (the item's SMS name), case_no and date
-- (today), which p_data may override. p_send_after: when the sender may
-- send it (NULL: now).
--
-- The recipient: by SMS to the person's phone on record, else to the
-- form's phone field, else by the app to the ID number. For finished,
-- terminated and withdrawn (the case closes) the case's unsent 容缺
-- reminder is cancelled first. Returns the outbox id. Raises an error
-- when the kind has no template loaded (as any other failure, the
-- outcome's transaction then fails).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.outbox_citizen(c yc.service_case, p_kind text,
                                             p_data jsonb DEFAULT '{}',
                                             p_send_after timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now   timestamptz := yc.now();
    v_phone text;
    v_body  text;
    v_id    bigint;
BEGIN
    IF jsonb_typeof(coalesce(p_data, '{}')) <> 'object' THEN
        RAISE EXCEPTION 'yc.outbox_citizen: p_data must be a JSON object';
    END IF;
    IF p_kind IN ('finished', 'terminated', 'withdrawn') THEN
        PERFORM yc.outbox_cancel(c, 'deferred_reminder');
    END IF;
    v_body := yc.sms_render(p_kind, jsonb_build_object(
        'item', yc.outbox_item(c), 'case_no', c.case_no,
        'date', yc.doc_date(yc.queue_day(v_now))) || coalesce(p_data, '{}'));
    v_phone := coalesce((SELECT yc.case_trim(pr.phone) FROM yc.person pr WHERE pr.id_no = c.id_no),
                        yc.case_trim(c.form ->> 'phone'));
    INSERT INTO yc.outbox (office_code, case_no, kind, channel, recipient, body, created_at,
                           send_after)
    VALUES (c.office_code, c.case_no, p_kind, CASE WHEN v_phone IS NULL THEN 'app' ELSE 'sms' END,
            coalesce(v_phone, c.id_no), v_body, v_now, coalesce(p_send_after, v_now))
    RETURNING outbox_id INTO v_id;
    RETURN v_id;
END
$$;

-- 09:00 in Asia/Shanghai on day d: when a reminder of that day may go.
CREATE OR REPLACE FUNCTION yc.outbox_morning(d date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT (d + time '09:00') AT TIME ZONE 'Asia/Shanghai';
$$;

-- The earliest supply-by date of the deferred (容缺) materials of a case
-- and how many checklist lines are deferred (an any-of group is one).
CREATE OR REPLACE FUNCTION yc.outbox_deferred(c yc.service_case, OUT due date, OUT lines int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT min(cm.due_date), count(DISTINCT coalesce(cm.group_id, cm.material_id))::int
      FROM yc.case_material cm
     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no AND cm.state = 'deferred';
$$;

-- The 容缺 reminder of a case planned again: the unsent one cancelled,
-- then, while the case is open with deferred materials, a new one for the
-- earliest supply-by date, to go at 09:00 on the working day three working
-- days before it, unless that time has passed (the 容缺 message itself
-- gave the date). Called at 容缺, when a deferred material is supplied,
-- and when the official calendar moves a supply-by date. Returns the
-- reminder's outbox id, or NULL when none is due.
CREATE OR REPLACE FUNCTION yc.outbox_remind(c yc.service_case) RETURNS bigint
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    d      record;
    v_open boolean;
    v_at   timestamptz;
BEGIN
    PERFORM yc.outbox_cancel(c, 'deferred_reminder');
    SELECT sc.status IN ('accepted', 'in_progress', 'pending_supplement') INTO v_open
      FROM yc.service_case sc
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    d := yc.outbox_deferred(c);
    IF NOT coalesce(v_open, false) OR d.due IS NULL THEN
        RETURN NULL;
    END IF;
    v_at := yc.outbox_morning(yc.add_workdays(d.due, -3));
    IF v_at <= yc.now() THEN
        RETURN NULL;
    END IF;
    RETURN yc.outbox_citizen(c, 'deferred_reminder',
        jsonb_build_object('due', yc.doc_date(d.due), 'count', d.lines), v_at);
END
$$;

-- The message of an intake's outcome (yc.case_intake: c as it stands after
-- it, p_outcome the outcome applied, p_notice_no its notice): accept →
-- accepted (the promised date), immediate → finished_now, supplement →
-- supplement (the missing checklist lines, the notice), defer → deferred
-- (the promised date, the earliest supply-by date, the deferred lines,
-- the notice) and its reminder (yc.outbox_remind); reject → none (an
-- unsent reminder is cancelled). Returns the outbox id, or NULL.
CREATE OR REPLACE FUNCTION yc.outbox_outcome(c yc.service_case, p_outcome text, p_notice_no text)
RETURNS bigint
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    d    record;
    v_id bigint;
BEGIN
    IF p_outcome = 'accept' THEN
        RETURN yc.outbox_citizen(c, 'accepted',
            jsonb_build_object('promised', yc.doc_date(c.promised_date)));
    ELSIF p_outcome = 'immediate' THEN
        RETURN yc.outbox_citizen(c, 'finished_now', '{}');
    ELSIF p_outcome = 'supplement' THEN
        RETURN yc.outbox_citizen(c, 'supplement', jsonb_build_object(
            'notice_no', p_notice_no,
            'count', (SELECT count(*) FROM yc.case_missing(c.office_code, c.case_no))));
    ELSIF p_outcome = 'defer' THEN
        d := yc.outbox_deferred(c);
        v_id := yc.outbox_citizen(c, 'deferred', jsonb_build_object(
            'notice_no', p_notice_no, 'promised', yc.doc_date(c.promised_date),
            'due', yc.doc_date(d.due), 'count', d.lines));
        PERFORM yc.outbox_remind(c);
        RETURN v_id;
    END IF;
    PERFORM yc.outbox_cancel(c, 'deferred_reminder');
    RETURN NULL;
END
$$;

-- Privileges: nobody but the owner; the outcomes' entry points call these.
REVOKE ALL ON FUNCTION yc.sms_render(text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_item(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_cancel(yc.service_case, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_citizen(yc.service_case, text, jsonb, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_morning(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_deferred(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_remind(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.outbox_outcome(yc.service_case, text, text) FROM PUBLIC, yichuang_app;
