-- db/functions/core.sql: touch and audit helpers, the staff view, the append-only triggers.
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
LANGUAGE sql SET search_path = yc, pg_temp AS $$
    INSERT INTO yc.audit_log (office_code, staff_no, window_no, action, object, before, after, client)
    VALUES (p_office_code, left(p_staff_no, 64), p_window_no, p_action, p_object,
            p_before, p_after, left(p_client, 200))
    RETURNING audit_id;
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

CREATE OR REPLACE TRIGGER queue_config_touch BEFORE UPDATE ON yc.queue_config
    FOR EACH ROW EXECUTE FUNCTION yc.touch_updated_at();

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
REVOKE ALL ON FUNCTION yc.audit_write(text, text, integer, text, text, jsonb, jsonb, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_subtree(text) FROM PUBLIC, yichuang_app;
