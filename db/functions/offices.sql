-- db/functions/offices.sql: offices and windows kept by administrators (issue 14).
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).
--
-- WHO. Every function takes p_session: a staff session of role admin,
-- bound to this connection (yc.case_actor), or NULL for the database
-- owner: a trusted connection (yc.connection_trusted: a superuser or a
-- role outside yichuang_app), for the first set-up. An administrator
-- works on their own office and the offices below it
-- (yc.office_in_jurisdiction: the code prefix rule), the owner on every
-- office. Offices are added below the administrator's own office (their
-- codes extend it), renamed and given an address and 咨询电话 in the
-- jurisdiction, own office included, and deactivated strictly below it.
-- Windows are added, changed and deactivated in the jurisdiction, own
-- office included.
--
-- THE TREE is GB/T 2260's (0024_office_levels): 2 digits a province, 4 a
-- prefecture below the province of its first 2, 6 a county below the
-- prefecture of its first 4, 9 a township below the county of its first 6,
-- 12 a village below the township of its first 9.
--
-- RESULTS are short words, for the C side (tui/store/offices.c) to map to
-- messages, with a detail where the message needs one:
--   added | updated | unchanged | ok
--   no_session            p_session given but not open on this connection
--   not_allowed           not an administrator (nor the owner)
--   out_of_jurisdiction   the office is not the administrator's or below it
--   bad_code              not 2, 4, 6, 9 or 12 digits
--   bad_tier              not province | prefecture | county | township | village
--                                                           (detail: the code's tier)
--   tier_mismatch         the tier given is not the code's   (detail: the code's tier)
--   root_parent           a province given a parent
--   parent_required       no parent given below a province   (detail: the parent it must have)
--   bad_parent            the parent given is not the code's (detail: the parent it must have)
--   parent_tier           the parent given is an office of the code but not the
--                         one directly above it: its tier is not the next one up
--                                                           (detail: the parent it must have)
--   unknown_parent        the parent does not exist          (detail: the parent)
--   parent_inactive       the parent is deactivated          (detail: the parent)
--   bad_name              empty, over 60 characters or with control characters
--   bad_address           over 200 characters or with control characters
--   bad_phone             not digits with single hyphens, 5 to 20 characters
--   unknown_office, own_office (deactivating one's own office)
--   active_below          an active office below it          (detail: its code)
--   active_staff          active staff at it                 (detail: a staff number)
--   open_cases            open cases at it                   (detail: how many)
--   office_inactive       a window added to (or enabled at) a deactivated office
--   bad_window            a window number outside 1..999
--   bad_label             empty, over 20 characters or with control characters
--   bad_channel           not file:PATH | lp | lp:QUEUE | passthrough (the
--                         workstation's --printer; tui/util/printer.h)
--   bad_encoding          not utf-8 | gb18030
--   bad_width             not 80 | 40
--   unknown_window
--   in_use                someone is signed in at the window (detail: staff number)
--   open_tickets          tickets called, served, held at or transferred to it (detail: how many)
--   import only: duplicate (detail: the line the code came first),
--                parent_refused (the parent's own line was refused; detail: that line)
-- NULL arguments keep what is stored; '' clears an address, a phone, a
-- print channel or encoding, and a width of 0 clears the width.
--
-- AUDIT. Every change writes an audit row on the office changed, with the
-- row before and after: office_add, office_update, office_disable,
-- office_enable, window_add, window_update, window_disable, window_enable;
-- a whole import also office_import (on office 000000 for the owner).
-- The staff number of an owner's change is the login role (session_user).
-- NOTIFY. A change is announced on the queue channel (yc.queue_notify,
-- event "office" or "window") of the office and every office above it:
-- the workbenches of the administrators who may see it, the hall view and
-- the calling board refresh.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Who acts
-------------------------------------------------------------------------------

-- The administrator acting: the session's staff when its role is admin;
-- without a session (NULL) the database owner on a trusted connection,
-- with office_code '' (a prefix of every code), staff_no the login role
-- and role 'owner'. office_code NULL: nobody who may.
CREATE OR REPLACE FUNCTION yc.office_admin(p_session bigint) RETURNS yc.case_actor
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor;
BEGIN
    IF p_session IS NULL THEN
        IF yc.connection_trusted() THEN
            a.office_code := '';
            a.staff_no := session_user;
            a.role := 'owner';
            a.county := '';
            a.scope := '';
        END IF;
        RETURN a;
    END IF;
    a := yc.case_actor(p_session);
    IF a.role IS DISTINCT FROM 'admin' THEN
        a.office_code := NULL;
    END IF;
    RETURN a;
END
$$;

-- Why yc.office_admin gave nobody: no_session (a session id that is not
-- open on this connection) or not_allowed.
CREATE OR REPLACE FUNCTION yc.office_refusal(p_session bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN p_session IS NOT NULL AND (yc.case_actor(p_session)).office_code IS NULL
                THEN 'no_session' ELSE 'not_allowed' END;
$$;

-- Audits a change of an office or window by actor a.
CREATE OR REPLACE FUNCTION yc.office_audit(a yc.case_actor, p_office text, p_action text, p_object text,
                                           p_before jsonb, p_after jsonb) RETURNS void
LANGUAGE sql SET search_path = yc, pg_temp AS $$
    SELECT yc.audit_write(p_office, a.staff_no, a.window_no, p_action, p_object, p_before, p_after,
                          a.client);
$$;

-- Announces a change on the queue channel of the office and of every
-- office above it.
CREATE OR REPLACE FUNCTION yc.office_notify(p_office text, p_event text, p_window int) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    n int;
BEGIN
    FOREACH n IN ARRAY ARRAY[2, 4, 6, 9, 12] LOOP
        EXIT WHEN n > length(p_office);
        PERFORM yc.queue_notify(left(p_office, n), p_event, NULL, p_window);
    END LOOP;
END
$$;

-- The tier an office code has (NULL: not a code).
CREATE OR REPLACE FUNCTION yc.office_code_tier(p_code text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN p_code !~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' THEN NULL
                WHEN length(p_code) = 2 THEN 'province'
                WHEN length(p_code) = 4 THEN 'prefecture'
                WHEN length(p_code) = 6 THEN 'county'
                WHEN length(p_code) = 9 THEN 'township'
                ELSE 'village' END;
$$;

-- The code of the office directly above an office code's (NULL for a
-- province or a text that is not a code): the code cut to the next level
-- up.
CREATE OR REPLACE FUNCTION yc.office_code_parent(p_code text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE yc.office_code_tier(p_code)
                WHEN 'prefecture' THEN left(p_code, 2) WHEN 'county' THEN left(p_code, 4)
                WHEN 'township' THEN left(p_code, 6) WHEN 'village' THEN left(p_code, 9) END;
$$;

-- Whether a text may be stored as a name, label or address: not empty,
-- at most max characters, no control characters nor bidirectional
-- overrides (yc.text_safe).
CREATE OR REPLACE FUNCTION yc.office_text_ok(p_text text, p_max int) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT p_text IS NOT NULL AND p_text <> '' AND length(p_text) <= p_max
       AND yc.text_safe(p_text);
$$;

-------------------------------------------------------------------------------
-- Offices
-------------------------------------------------------------------------------

-- Checks and stores one office for actor a (who may act: the caller made
-- sure). p_parent NULL: the code's parent, unchecked; '' none. p_tier
-- NULL: the code's. p_name NULL keeps the stored name (a new office needs
-- one); p_address, p_phone NULL keep, '' clear. Results at the top.
CREATE OR REPLACE FUNCTION yc.office_apply(a yc.case_actor, p_code text, p_name text, p_parent text,
                                           p_tier text, p_address text, p_phone text,
                                           OUT result text, OUT detail text)
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_code   text := btrim(coalesce(p_code, ''));
    v_tier   text := yc.office_code_tier(btrim(coalesce(p_code, '')));
    v_parent text;
    v_given  text := btrim(p_parent);
    v_name   text := btrim(p_name);
    v_addr   text := btrim(p_address);
    v_phone  text := btrim(p_phone);
    v_up     yc.office%ROWTYPE;
    v_old    yc.office%ROWTYPE;
    v_new    yc.office%ROWTYPE;
BEGIN
    IF v_tier IS NULL THEN
        result := 'bad_code';
        RETURN;
    END IF;
    v_parent := yc.office_code_parent(v_code);
    IF p_tier IS NOT NULL
       AND btrim(p_tier) NOT IN ('province', 'prefecture', 'county', 'township', 'village') THEN
        result := 'bad_tier';
        detail := v_tier;
        RETURN;
    END IF;
    IF p_tier IS NOT NULL AND btrim(p_tier) <> v_tier THEN
        result := 'tier_mismatch';
        detail := v_tier;
        RETURN;
    END IF;
    IF NOT yc.office_in_jurisdiction(a, v_code) THEN
        result := 'out_of_jurisdiction';
        RETURN;
    END IF;
    IF v_given IS NOT NULL THEN
        IF v_parent IS NULL AND v_given <> '' THEN
            result := 'root_parent';
            RETURN;
        ELSIF v_parent IS NOT NULL AND v_given = '' THEN
            result := 'parent_required';
            detail := v_parent;
            RETURN;
        ELSIF v_parent IS NOT NULL AND v_given <> v_parent THEN
            result := CASE WHEN length(v_given) < length(v_code) AND yc.office_code_tier(v_given) IS NOT NULL
                                AND left(v_code, length(v_given)) = v_given
                           THEN 'parent_tier' ELSE 'bad_parent' END;
            detail := v_parent;
            RETURN;
        END IF;
    END IF;
    IF v_name IS NOT NULL AND NOT yc.office_text_ok(v_name, 60) THEN
        result := 'bad_name';
        RETURN;
    END IF;
    IF v_addr IS NOT NULL AND v_addr <> '' AND NOT yc.office_text_ok(v_addr, 200) THEN
        result := 'bad_address';
        RETURN;
    END IF;
    IF v_phone IS NOT NULL AND v_phone <> ''
       AND NOT (v_phone ~ '^[0-9]+(-[0-9]+)*$' AND length(v_phone) BETWEEN 5 AND 20) THEN
        result := 'bad_phone';
        RETURN;
    END IF;

    SELECT o.* INTO v_old FROM yc.office o WHERE o.code = v_code FOR UPDATE;
    IF v_old.code IS NULL THEN
        IF v_parent IS NOT NULL THEN
            -- FOR SHARE: the parent is not deactivated meanwhile
            SELECT o.* INTO v_up FROM yc.office o WHERE o.code = v_parent FOR SHARE;
            IF v_up.code IS NULL THEN
                result := 'unknown_parent';
                detail := v_parent;
                RETURN;
            ELSIF NOT v_up.active THEN
                result := 'parent_inactive';
                detail := v_parent;
                RETURN;
            END IF;
        END IF;
        IF v_name IS NULL THEN
            result := 'bad_name';
            RETURN;
        END IF;
        INSERT INTO yc.office (code, name, tier, parent_code, region_code, address, phone)
        VALUES (v_code, v_name, v_tier, v_parent, rpad(left(v_code, 6), 6, '0'), nullif(v_addr, ''),
                nullif(v_phone, ''))
        RETURNING * INTO v_new;
        PERFORM yc.office_audit(a, v_code, 'office_add', 'office:' || v_code, NULL, to_jsonb(v_new));
        PERFORM yc.office_notify(v_code, 'office', NULL);
        result := 'added';
        RETURN;
    END IF;

    v_new := v_old;
    v_new.name := coalesce(v_name, v_old.name);
    v_new.address := CASE WHEN v_addr IS NULL THEN v_old.address ELSE nullif(v_addr, '') END;
    v_new.phone := CASE WHEN v_phone IS NULL THEN v_old.phone ELSE nullif(v_phone, '') END;
    IF (v_new.name, v_new.address, v_new.phone) IS NOT DISTINCT FROM
       (v_old.name, v_old.address, v_old.phone) THEN
        result := 'unchanged';
        RETURN;
    END IF;
    UPDATE yc.office o
       SET name = v_new.name, address = v_new.address, phone = v_new.phone, updated_at = now()
     WHERE o.code = v_code
    RETURNING * INTO v_new;
    PERFORM yc.office_audit(a, v_code, 'office_update', 'office:' || v_code, to_jsonb(v_old),
                            to_jsonb(v_new));
    PERFORM yc.office_notify(v_code, 'office', NULL);
    result := 'updated';
END
$$;

-------------------------------------------------------------------------------
-- yc.office_save: adds an office, or changes the name, address and phone
-- of an existing one (its code, tier and parent never change). p_parent
-- and p_tier, when given, must be the code's (see the top); p_name NULL
-- keeps the stored name, p_address and p_phone NULL keep, '' clear.
-- result: added | updated | unchanged | (the refusals at the top)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.office_save(p_session bigint, p_code text, p_name text, p_parent text,
                                          p_tier text, p_address text, p_phone text)
RETURNS TABLE(result text, detail text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor := yc.office_admin(p_session);
BEGIN
    IF a.office_code IS NULL THEN
        result := yc.office_refusal(p_session);
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT x.result, x.detail INTO result, detail
      FROM yc.office_apply(a, p_code, p_name, p_parent, p_tier, p_address, p_phone) x;
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.office_set_active: deactivates (p_active false) an office strictly
-- below the administrator's own, or makes it active again. Deactivation
-- is refused while an office below it is active, staff of it are active
-- or it has open cases (whose stages it would leave unworked); activation
-- while its parent is deactivated.
-- result: ok | unchanged | unknown_office | out_of_jurisdiction | own_office
--         | active_below | active_staff | open_cases | parent_inactive
--         | no_session | not_allowed
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.office_set_active(p_session bigint, p_code text, p_active boolean)
RETURNS TABLE(result text, detail text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a     yc.case_actor := yc.office_admin(p_session);
    v_old yc.office%ROWTYPE;
    v_new yc.office%ROWTYPE;
    v_n   bigint;
BEGIN
    IF a.office_code IS NULL THEN
        result := yc.office_refusal(p_session);
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT o.* INTO v_old FROM yc.office o WHERE o.code = btrim(p_code) FOR UPDATE;
    IF v_old.code IS NULL THEN
        result := 'unknown_office';
    ELSIF NOT yc.office_in_jurisdiction(a, v_old.code) THEN
        result := 'out_of_jurisdiction';
    ELSIF v_old.code = a.office_code THEN
        result := 'own_office';
    ELSIF v_old.active = coalesce(p_active, false) THEN
        result := 'unchanged';
    ELSIF NOT coalesce(p_active, false) THEN
        SELECT min(o.code) INTO detail FROM yc.office o
         WHERE o.parent_code = v_old.code AND o.active;
        IF detail IS NOT NULL THEN
            result := 'active_below';
        ELSE
            SELECT min(s.staff_no) INTO detail FROM yc.staff s
             WHERE s.office_code = v_old.code AND s.active;
            IF detail IS NOT NULL THEN
                result := 'active_staff';
            ELSE
                SELECT count(*) INTO v_n FROM yc.service_case sc
                 WHERE sc.office_code = v_old.code
                   AND sc.status NOT IN ('finished', 'rejected', 'cancelled');
                IF v_n > 0 THEN
                    result := 'open_cases';
                    detail := v_n::text;
                END IF;
            END IF;
        END IF;
    ELSIF v_old.parent_code IS NOT NULL
          AND NOT (SELECT o.active FROM yc.office o WHERE o.code = v_old.parent_code) THEN
        result := 'parent_inactive';
        detail := v_old.parent_code;
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.office o SET active = p_active, updated_at = now()
     WHERE o.code = v_old.code
    RETURNING * INTO v_new;
    PERFORM yc.office_audit(a, v_old.code, CASE WHEN p_active THEN 'office_enable' ELSE 'office_disable' END,
                            'office:' || v_old.code, to_jsonb(v_old), to_jsonb(v_new));
    PERFORM yc.office_notify(v_old.code, 'office', NULL);
    result := 'ok';
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.office_import: a whole file of offices, all or nothing. p_rows is a
-- JSON array of {line, code, name, parent, tier[, address][, phone]}
-- (parent "" for a province; address and phone absent: kept for an existing
-- office, none for a new one; "" clears). Rows are applied parents first
-- (by code length, then line), each as yc.office_save would; a code
-- repeated in the file is refused on its later lines (duplicate), a row
-- that is right but whose parent's own row was refused is refused too
-- (parent_refused).
-- Returns one row per line: when any line was refused, only the refused
-- lines and nothing is stored (not even the audit rows); otherwise every
-- line with added | updated | unchanged, and an office_import audit row
-- with the counts. Refused as a whole (one row, line 0): no_session |
-- not_allowed | bad_input (p_rows not an array).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.office_import(p_session bigint, p_rows jsonb)
RETURNS TABLE(line int, code text, result text, detail text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a        yc.case_actor := yc.office_admin(p_session);
    r        record;
    v        record;
    v_code   text;
    v_parent text;
    v_first  jsonb := '{}';	-- code -> its first line
    v_failed jsonb := '{}';	-- code -> the line where it was refused
    v_out    jsonb := '[]';
    v_errors int := 0;
    v_res    text;
    v_det    text;
BEGIN
    IF a.office_code IS NULL THEN
        line := 0;
        result := yc.office_refusal(p_session);
        RETURN NEXT;
        RETURN;
    END IF;
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
        line := 0;
        result := 'bad_input';
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        FOR r IN
            SELECT coalesce((e ->> 'line')::int, 0) AS ln, btrim(coalesce(e ->> 'code', '')) AS cd,
                   e ->> 'name' AS nm, coalesce(e ->> 'parent', '') AS pa, coalesce(e ->> 'tier', '') AS ti,
                   e ->> 'address' AS ad, e ->> 'phone' AS ph
              FROM jsonb_array_elements(p_rows) e
             ORDER BY length(btrim(coalesce(e ->> 'code', ''))), coalesce((e ->> 'line')::int, 0)
        LOOP
            v_code := r.cd;
            v_parent := yc.office_code_parent(v_code);
            v_res := NULL;
            v_det := NULL;
            IF v_first ? v_code THEN
                v_res := 'duplicate';
                v_det := v_first ->> v_code;
            ELSE
                v_first := v_first || jsonb_build_object(v_code, r.ln);
                SELECT x.result, x.detail INTO v
                  FROM yc.office_apply(a, v_code, coalesce(r.nm, ''), r.pa, r.ti, r.ad, r.ph) x;
                v_res := v.result;
                v_det := v.detail;
                -- the parent is missing because its own line was refused
                IF v_res = 'unknown_parent' AND v_failed ? v_parent THEN
                    v_res := 'parent_refused';
                    v_det := v_failed ->> v_parent;
                END IF;
            END IF;
            IF v_res NOT IN ('added', 'updated', 'unchanged') THEN
                v_errors := v_errors + 1;
                IF v_res <> 'duplicate' AND NOT v_failed ? v_code THEN
                    v_failed := v_failed || jsonb_build_object(v_code, r.ln);
                END IF;
            END IF;
            v_out := v_out || jsonb_build_object('line', r.ln, 'code', v_code, 'result', v_res,
                                                 'detail', v_det);
        END LOOP;
        IF v_errors > 0 THEN
            RAISE EXCEPTION 'office_import refused' USING ERRCODE = 'YC022';
        END IF;
        PERFORM yc.office_audit(a, CASE WHEN a.office_code = '' THEN '000000' ELSE a.office_code END,
            'office_import', 'office_import', NULL,
            jsonb_build_object('rows', jsonb_array_length(v_out),
                'added', (SELECT count(*) FROM jsonb_array_elements(v_out) x WHERE x ->> 'result' = 'added'),
                'updated', (SELECT count(*) FROM jsonb_array_elements(v_out) x WHERE x ->> 'result' = 'updated'),
                'unchanged', (SELECT count(*) FROM jsonb_array_elements(v_out) x WHERE x ->> 'result' = 'unchanged')));
    EXCEPTION WHEN SQLSTATE 'YC022' THEN
        NULL;	-- every change of the block is undone; v_out stays
    END;
    RETURN QUERY
        SELECT (x ->> 'line')::int, x ->> 'code', x ->> 'result', x ->> 'detail'
          FROM jsonb_array_elements(v_out) x
         WHERE v_errors = 0 OR x ->> 'result' NOT IN ('added', 'updated', 'unchanged')
         ORDER BY (x ->> 'line')::int, x ->> 'code';
END
$$;

-------------------------------------------------------------------------------
-- yc.office_list: the offices of the administrator's jurisdiction (the
-- owner: all), in tree order (by code, bytewise: a parent before its
-- offices), with how many windows each has and how many are active. No
-- rows for anyone else. By the index office_code_c_idx and the windows'
-- primary key.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.office_list(p_session bigint)
RETURNS TABLE(code text, name text, tier text, parent_code text, address text, phone text,
              active boolean, windows int, windows_active int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a yc.case_actor := yc.office_admin(p_session);
BEGIN
    IF a.office_code IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT o.code, o.name, o.tier, o.parent_code, o.address, o.phone, o.active,
               w.n::int, w.n_active::int
          FROM yc.office o
          CROSS JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE sw.active) AS n_active
                                FROM yc.service_window sw WHERE sw.office_code = o.code) w
         WHERE (o.code COLLATE "C") >= a.office_code
           AND (o.code COLLATE "C") < a.office_code || ':'
         ORDER BY o.code COLLATE "C";
END
$$;

-------------------------------------------------------------------------------
-- Windows
-------------------------------------------------------------------------------

-- Whether a print channel may be stored (the CHECK of
-- yc.service_window.print_channel, 0022).
CREATE OR REPLACE FUNCTION yc.window_channel_ok(p_channel text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT p_channel IS NOT NULL AND length(p_channel) <= 250 AND p_channel ~
        '^(file:[^[:cntrl:]]+|lp|lp:[^-[:space:][:cntrl:]][^[:space:][:cntrl:]]*|passthrough)$';
$$;

-------------------------------------------------------------------------------
-- yc.window_save: adds window p_window to an office of the jurisdiction
-- (own office included; not to a deactivated office), or changes an
-- existing one. p_label NULL keeps the label ("N号窗口" for a new window);
-- p_channel, p_encoding NULL keep, '' clear (the default file; UTF-8);
-- p_width NULL keeps, 0 clears (80). A window's active flag is not
-- changed here (yc.window_set_active).
-- result: added | updated | unchanged | unknown_office | out_of_jurisdiction
--         | office_inactive | bad_window | bad_label | bad_channel
--         | bad_encoding | bad_width | no_session | not_allowed
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.window_save(p_session bigint, p_office text, p_window int, p_label text,
                                          p_channel text, p_encoding text, p_width int)
RETURNS TABLE(result text, detail text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a       yc.case_actor := yc.office_admin(p_session);
    v_off   yc.office%ROWTYPE;
    v_old   yc.service_window%ROWTYPE;
    v_new   yc.service_window%ROWTYPE;
    v_label text := btrim(p_label);
    v_ch    text := btrim(p_channel);
    v_enc   text := lower(btrim(p_encoding));
BEGIN
    IF a.office_code IS NULL THEN
        result := yc.office_refusal(p_session);
    ELSE
        SELECT o.* INTO v_off FROM yc.office o WHERE o.code = btrim(p_office) FOR SHARE;
        IF v_off.code IS NULL THEN
            result := 'unknown_office';
        ELSIF NOT yc.office_in_jurisdiction(a, v_off.code) THEN
            result := 'out_of_jurisdiction';
        ELSIF p_window IS NULL OR p_window NOT BETWEEN 1 AND 999 THEN
            result := 'bad_window';
        ELSIF v_label IS NOT NULL AND NOT yc.office_text_ok(v_label, 20) THEN
            result := 'bad_label';
        ELSIF v_ch IS NOT NULL AND v_ch <> '' AND NOT yc.window_channel_ok(v_ch) THEN
            result := 'bad_channel';
        ELSIF v_enc IS NOT NULL AND v_enc NOT IN ('', 'utf-8', 'gb18030') THEN
            result := 'bad_encoding';
        ELSIF p_width IS NOT NULL AND p_width NOT IN (0, 40, 80) THEN
            result := 'bad_width';
        END IF;
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT w.* INTO v_old FROM yc.service_window w
     WHERE w.office_code = v_off.code AND w.window_no = p_window FOR UPDATE;
    IF v_old.office_code IS NULL THEN
        IF NOT v_off.active THEN
            result := 'office_inactive';
            RETURN NEXT;
            RETURN;
        END IF;
        INSERT INTO yc.service_window (office_code, window_no, label, active, print_channel,
                                       print_encoding, print_width)
        VALUES (v_off.code, p_window, coalesce(v_label, p_window || '号窗口'), true,
                nullif(v_ch, ''), nullif(v_enc, ''), nullif(p_width, 0))
        RETURNING * INTO v_new;
        PERFORM yc.office_audit(a, v_off.code, 'window_add', format('window:%s/%s', v_off.code, p_window),
                                NULL, to_jsonb(v_new));
        PERFORM yc.office_notify(v_off.code, 'window', p_window);
        result := 'added';
        RETURN NEXT;
        RETURN;
    END IF;

    v_new := v_old;
    v_new.label := coalesce(v_label, v_old.label);
    v_new.print_channel := CASE WHEN v_ch IS NULL THEN v_old.print_channel ELSE nullif(v_ch, '') END;
    v_new.print_encoding := CASE WHEN v_enc IS NULL THEN v_old.print_encoding ELSE nullif(v_enc, '') END;
    v_new.print_width := CASE WHEN p_width IS NULL THEN v_old.print_width ELSE nullif(p_width, 0) END;
    IF to_jsonb(v_new) = to_jsonb(v_old) THEN
        result := 'unchanged';
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.service_window w
       SET label = v_new.label, print_channel = v_new.print_channel,
           print_encoding = v_new.print_encoding, print_width = v_new.print_width
     WHERE w.office_code = v_off.code AND w.window_no = p_window
    RETURNING * INTO v_new;
    PERFORM yc.office_audit(a, v_off.code, 'window_update', format('window:%s/%s', v_off.code, p_window),
                            to_jsonb(v_old), to_jsonb(v_new));
    PERFORM yc.office_notify(v_off.code, 'window', p_window);
    result := 'updated';
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.window_set_active: deactivates (p_active false) a window of the
-- jurisdiction, or makes it active again. A deactivated window takes no
-- sign-in (yc.login), no transfer and no 绿色通道 ticket. Deactivation is
-- refused while someone is signed in at it or a ticket is called, served
-- or held there, or transferred to it; activation at a deactivated office.
-- result: ok | unchanged | unknown_window | out_of_jurisdiction | in_use
--         | open_tickets | office_inactive | no_session | not_allowed
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.window_set_active(p_session bigint, p_office text, p_window int,
                                                p_active boolean)
RETURNS TABLE(result text, detail text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a     yc.case_actor := yc.office_admin(p_session);
    v_old yc.service_window%ROWTYPE;
    v_new yc.service_window%ROWTYPE;
    v_n   bigint;
BEGIN
    IF a.office_code IS NULL THEN
        result := yc.office_refusal(p_session);
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT w.* INTO v_old FROM yc.service_window w
     WHERE w.office_code = btrim(p_office) AND w.window_no = p_window FOR UPDATE;
    IF v_old.office_code IS NULL THEN
        result := 'unknown_window';
    ELSIF NOT yc.office_in_jurisdiction(a, v_old.office_code) THEN
        result := 'out_of_jurisdiction';
    ELSIF v_old.active = coalesce(p_active, false) THEN
        result := 'unchanged';
    ELSIF NOT coalesce(p_active, false) THEN
        SELECT ss.staff_no INTO detail FROM yc.staff_session ss
         WHERE ss.office_code = v_old.office_code AND ss.window_no = v_old.window_no
           AND ss.ended_at IS NULL;
        IF detail IS NOT NULL THEN
            result := 'in_use';
        ELSE
            -- its current ticket (its state row) and the tickets held at it
            -- or sent to it (yc.ticket_queue)
            SELECT (SELECT count(*) FROM yc.window_state ws
                      JOIN yc.ticket t ON t.office_code = ws.office_code
                                      AND t.ticket_id = ws.current_ticket_id
                                      AND t.day = ws.current_ticket_day
                     WHERE ws.office_code = v_old.office_code AND ws.window_no = v_old.window_no
                       AND t.window_no = v_old.window_no AND t.status IN ('called', 'serving'))
                 + (SELECT count(*) FROM yc.ticket_queue q
                     WHERE q.office_code = v_old.office_code
                       AND (q.held_window = v_old.window_no OR q.transfer_to = v_old.window_no))
              INTO v_n;
            IF v_n > 0 THEN
                result := 'open_tickets';
                detail := v_n::text;
            END IF;
        END IF;
    ELSIF NOT (SELECT o.active FROM yc.office o WHERE o.code = v_old.office_code) THEN
        result := 'office_inactive';
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.service_window w SET active = p_active
     WHERE w.office_code = v_old.office_code AND w.window_no = v_old.window_no
    RETURNING * INTO v_new;
    PERFORM yc.office_audit(a, v_old.office_code,
                            CASE WHEN p_active THEN 'window_enable' ELSE 'window_disable' END,
                            format('window:%s/%s', v_old.office_code, v_old.window_no),
                            to_jsonb(v_old), to_jsonb(v_new));
    PERFORM yc.office_notify(v_old.office_code, 'window', v_old.window_no);
    result := 'ok';
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.window_list: the windows of an office of the administrator's
-- jurisdiction (the owner: any office), by number, with their print
-- settings and who is signed in there now. No rows for anyone else.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.window_list(p_session bigint, p_office text)
RETURNS TABLE(window_no int, label text, active boolean, print_channel text, print_encoding text,
              print_width int, staff_no text, staff_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a yc.case_actor := yc.office_admin(p_session);
BEGIN
    IF a.office_code IS NULL OR NOT yc.office_in_jurisdiction(a, btrim(p_office)) THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT w.window_no, w.label, w.active, w.print_channel, w.print_encoding, w.print_width,
               ss.staff_no, st.name
          FROM yc.service_window w
          LEFT JOIN yc.staff_session ss
            ON ss.office_code = w.office_code AND ss.window_no = w.window_no AND ss.ended_at IS NULL
          LEFT JOIN yc.staff st ON st.staff_no = ss.staff_no
         WHERE w.office_code = btrim(p_office)
         ORDER BY w.window_no;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.office_admin(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_refusal(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_audit(yc.case_actor, text, text, text, jsonb, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_notify(text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_code_tier(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_code_parent(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_text_ok(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_apply(yc.case_actor, text, text, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_save(bigint, text, text, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_set_active(bigint, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_import(bigint, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_list(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_channel_ok(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_save(bigint, text, integer, text, text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_set_active(bigint, text, integer, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.window_list(bigint, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.office_save(bigint, text, text, text, text, text, text),
    yc.office_set_active(bigint, text, boolean),
    yc.office_import(bigint, jsonb),
    yc.office_list(bigint),
    yc.window_save(bigint, text, integer, text, text, text, integer),
    yc.window_set_active(bigint, text, integer, boolean),
    yc.window_list(bigint, text)
  TO yichuang_app;
