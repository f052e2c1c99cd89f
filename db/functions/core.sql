-- db/functions/core.sql: touch and audit helpers, the staff view, the append-only triggers,
-- the characters no stored text may hold.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- Generic trigger: keep updated_at current.
CREATE OR REPLACE FUNCTION yc.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION yc.audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'YC002';
END
$$;

-- Internal helper used by the SECURITY DEFINER functions; not granted.
CREATE OR REPLACE FUNCTION yc.audit_write(p_office_code text, p_staff_no text, p_window_no int,
                               p_action text, p_object text, p_before jsonb,
                               p_after jsonb, p_client text)
RETURNS bigint
-- PL/pgSQL, not SQL: a SQL function with a SET clause is never inlined and
-- is planned again at every call (43 of its 62 microseconds per call in
-- call-next, pg_stat_statements); PL/pgSQL keeps the plan per connection.
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO yc.audit_log (office_code, staff_no, window_no, action, object, before, after, client)
    VALUES (p_office_code, left(p_staff_no, 64), p_window_no, p_action, p_object,
            p_before, p_after, left(p_client, 200))
    RETURNING audit_id INTO v_id;
    RETURN v_id;
END
$$;

-- The staff without the hash or the counters, for the owner's tools. No
-- application role reads it (0027_roles): a list of every staff number
-- is what a stranger needs to try them all; administrators list their
-- own offices' staff through yc.staff_list.
CREATE OR REPLACE VIEW yc.staff_public AS
    SELECT s.staff_no, s.name, s.role, s.office_code, s.active
    FROM yc.staff s;
REVOKE ALL ON yc.staff_public FROM PUBLIC, yichuang_app;

CREATE OR REPLACE TRIGGER person_touch BEFORE UPDATE ON yc.person
    FOR EACH ROW EXECUTE FUNCTION yc.touch_updated_at();

CREATE OR REPLACE TRIGGER service_case_touch BEFORE UPDATE ON yc.service_case
    FOR EACH ROW EXECUTE FUNCTION yc.touch_updated_at();

CREATE OR REPLACE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON yc.audit_log
    FOR EACH ROW EXECUTE FUNCTION yc.audit_log_refuse();

CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON yc.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION yc.audit_log_refuse();

-- Fire even with session_replication_role = replica (again after each
-- CREATE OR REPLACE, which leaves a trigger enabled for the origin only).
ALTER TABLE yc.audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete;
ALTER TABLE yc.audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;

-- A case's events are numbered 1, 2, ... once each (yc.case_event_add). The
-- primary key of the partitioned yc.case_event holds its partition key
-- (office_code, case_no, seq, at: migration 0039), so it no longer says
-- that alone: this trigger does. It takes the case row's lock (FOR NO KEY
-- UPDATE; every function that adds an event holds it already), which
-- orders two transactions adding to one case, and then refuses a number
-- the case has in any month with 23505, as the old key did.
CREATE OR REPLACE FUNCTION yc.case_event_seq_unique() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.office_code, NEW.case_no, NEW.seq)
                            IS NOT DISTINCT FROM (OLD.office_code, OLD.case_no, OLD.seq) THEN
        RETURN NEW;
    END IF;
    PERFORM 1 FROM yc.service_case c
      WHERE c.office_code = NEW.office_code AND c.case_no = NEW.case_no
        FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM yc.case_event e
                WHERE e.office_code = NEW.office_code AND e.case_no = NEW.case_no
                  AND e.seq = NEW.seq) THEN
        RAISE EXCEPTION 'duplicate key value violates unique constraint "case_event_seq_unique"'
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('Key (office_code, case_no, seq)=(%s, %s, %s) already exists.',
                                  NEW.office_code, NEW.case_no, NEW.seq);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER case_event_seq_unique BEFORE INSERT OR UPDATE OF office_code, case_no, seq
    ON yc.case_event FOR EACH ROW EXECUTE FUNCTION yc.case_event_seq_unique();

CREATE OR REPLACE TRIGGER queue_config_touch BEFORE UPDATE ON yc.queue_config
    FOR EACH ROW EXECUTE FUNCTION yc.touch_updated_at();

-------------------------------------------------------------------------------
-- THE ONE PLACE that says which characters no stored text may hold (issue
-- 19): the C0 controls, DEL and the C1 controls (ESC [ 4 i inside a name
-- would end a pass-through print, ESC [ 2 J clear the clerk's screen), the
-- bidirectional formatting characters (U+202E shows a name backwards) and
-- the line and paragraph separators: U+0001-U+001F, U+007F-U+009F, U+061C,
-- U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+2028, U+2029. The client
-- strips the same set from every printed document (tui/util/safetext.h),
-- which covers what was stored before the database refused it.
-- NULL is safe (nothing stored).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.text_safe(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = yc, pg_temp AS $$
    SELECT p_text IS NULL
        OR p_text !~ '[\x01-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]';
$$;

-- The same for every string and every key of a JSON value (a case's form).
CREATE OR REPLACE FUNCTION yc.jsonb_text_safe(p_json jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = yc, pg_temp AS $$
    SELECT p_json IS NULL
        OR (NOT EXISTS (SELECT 1 FROM jsonb_path_query(p_json, 'strict $.** ? (@.type() == "string")') v
                         WHERE NOT yc.text_safe(v #>> '{}'))
            AND NOT EXISTS (SELECT 1
                              FROM jsonb_path_query(p_json, 'strict $.** ? (@.type() == "object")') o,
                                   jsonb_object_keys(o) k
                             WHERE NOT yc.text_safe(k)));
$$;

-- Trigger: refuses a row whose text columns named in the trigger's
-- arguments hold a character yc.text_safe forbids (text or jsonb columns),
-- on INSERT, and on UPDATE when that column changes: a row stored before
-- the rule may still be updated in its other columns. Raises YC010
-- 'bad_text' (the functions that turn YC010 into their result text answer
-- bad_text; the column is in the detail).
CREATE OR REPLACE FUNCTION yc.text_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_new jsonb := to_jsonb(NEW);
    v_old jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    v_col text;
BEGIN
    FOREACH v_col IN ARRAY TG_ARGV LOOP
        CONTINUE WHEN v_old IS NOT NULL AND v_old -> v_col IS NOT DISTINCT FROM v_new -> v_col;
        IF NOT (CASE jsonb_typeof(v_new -> v_col)
                    WHEN 'string' THEN yc.text_safe(v_new ->> v_col)
                    WHEN 'object' THEN yc.jsonb_text_safe(v_new -> v_col)
                    WHEN 'array' THEN yc.jsonb_text_safe(v_new -> v_col)
                    ELSE true END) THEN
            RAISE EXCEPTION 'bad_text' USING ERRCODE = 'YC010',
                DETAIL = format('%s.%s holds a control character or a bidirectional override',
                                TG_TABLE_NAME, v_col);
        END IF;
    END LOOP;
    RETURN NEW;
END
$$;

-- Every text a person types that the database stores (names, form values,
-- reasons, notes, addresses, labels, holiday names), whoever writes it.
CREATE OR REPLACE TRIGGER person_text_guard BEFORE INSERT OR UPDATE ON yc.person
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('name', 'phone');
CREATE OR REPLACE TRIGGER service_case_text_guard BEFORE INSERT OR UPDATE ON yc.service_case
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('agent_name', 'form', 'reason', 'result', 'closed_reason');
CREATE OR REPLACE TRIGGER case_stage_text_guard BEFORE INSERT OR UPDATE ON yc.case_stage
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('note');
CREATE OR REPLACE TRIGGER case_mail_text_guard BEFORE INSERT OR UPDATE ON yc.case_mail
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('address', 'contents', 'tracking_no');
CREATE OR REPLACE TRIGGER handover_text_guard BEFORE INSERT OR UPDATE ON yc.handover
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('note');
CREATE OR REPLACE TRIGGER rating_text_guard BEFORE INSERT OR UPDATE ON yc.rating
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('follow_up');
CREATE OR REPLACE TRIGGER window_state_text_guard BEFORE INSERT OR UPDATE ON yc.window_state
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('pause_reason');
CREATE OR REPLACE TRIGGER office_text_guard BEFORE INSERT OR UPDATE ON yc.office
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('name', 'address', 'phone');
CREATE OR REPLACE TRIGGER service_window_text_guard BEFORE INSERT OR UPDATE ON yc.service_window
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('label');
CREATE OR REPLACE TRIGGER staff_text_guard BEFORE INSERT OR UPDATE ON yc.staff
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('name');
CREATE OR REPLACE TRIGGER office_hours_exception_text_guard BEFORE INSERT OR UPDATE ON yc.office_hours_exception
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('note');
CREATE OR REPLACE TRIGGER workday_adjustment_text_guard BEFORE INSERT OR UPDATE ON yc.workday_adjustment
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('name');
CREATE OR REPLACE TRIGGER insurance_text_guard BEFORE INSERT OR UPDATE ON yc.insurance
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('unit_name');

-------------------------------------------------------------------------------
-- THE ONE PLACE that says which offices are below an office: the office
-- itself and every office whose code starts with its code (a lower office's
-- code extends its parent's at every GB/T 2260 level, 0024_office_levels;
-- the rule of yc.office_in_jurisdiction), in tree order (by code: a
-- parent's code is a prefix of its children's, so each office comes before
-- the offices below it). depth 0 is the office itself, 1 the offices right
-- below it, and so on. A range scan of office_code_c_idx.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.office_subtree(p_office text)
RETURNS TABLE(code text, name text, depth int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT o.code, o.name,
           (SELECT count(*) FROM unnest(ARRAY[2, 4, 6, 9, 12]) k
             WHERE k > length(p_office) AND k < length(o.code))::int
             + CASE WHEN o.code = p_office THEN 0 ELSE 1 END
      FROM yc.office o
     WHERE p_office IS NOT NULL
       AND (o.code COLLATE "C") >= p_office AND (o.code COLLATE "C") < p_office || ':'
       AND left(o.code, length(p_office)) = p_office
     ORDER BY o.code COLLATE "C";
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.touch_updated_at() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.audit_log_refuse() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_event_seq_unique() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.audit_write(text, text, integer, text, text, jsonb, jsonb, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_subtree(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.text_safe(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.jsonb_text_safe(jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.text_guard() FROM PUBLIC, yichuang_app;
