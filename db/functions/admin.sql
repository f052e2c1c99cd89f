-- db/functions/admin.sql: administration of staff accounts (人员管理) and
-- the change of one's own password. Tables: 0001 (yc.staff), 0021
-- (must_change_password, yc.password_history, the policy settings); the
-- policy itself and the sign-in with a temporary or expired password are
-- in auth.sql.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).
--
-- Who may administer whom, enforced here as jurisdiction.sql does for
-- cases:
--   - an administrator's session (role admin, bound to this connection)
--     works on the staff of its own office and the offices below it, and
--     may give them only such an office: anything else is
--     out_of_jurisdiction. A township administrator thus never touches
--     the city's staff;
--   - a connection trusted by yc.connection_trusted (the database owner, a
--     superuser: the first set-up, `yichuang staff ...` without --as)
--     passes no session (NULL) and works on every office;
--   - an administrator cannot disable, demote, move or reset the password
--     of their own account (self): that is another administrator's
--     business, and one's own password is changed with yc.password_change;
--   - the last administrator of a centre cannot be removed (last_admin):
--     a centre is an office of county level or above (province,
--     prefecture, county: 0024_office_levels) with the offices below it;
--     its administrators are the active staff of role admin whose office is
--     the centre itself. An update or delete of yc.staff that leaves such a
--     centre, which had one, without any is refused by the trigger
--     staff_keep_last_admin, whoever runs it (the owner's own SQL
--     included). Administrators of a township or village are not counted:
--     their county's administrators are above them. A centre with no
--     administrator at all (before the first set-up) is not refused
--     anything.
-- Every change is audited (action staff_add, staff_edit, staff_disable,
-- staff_enable, staff_password_reset, staff_unlock; object staff:NO) with
-- the account before and after (name, role, office, active, lock,
-- must_change_password; never a password or a hash) and announced on the
-- channels yc_staff_CODE of the staff's office and of each office above it
-- (payload {"e":EVENT,"s":STAFFNO}), which the staff screens LISTEN on.
--
-- Results are short words: ok | no_session | not_allowed |
-- out_of_jurisdiction | not_found | exists | bad_staff_no | bad_name |
-- bad_role | unknown_office | bad_input | self | last_admin | unchanged |
-- not_locked, and for passwords the rules of auth.sql.

-- The actor of an administrative call: the session's (yc.case_actor; its
-- office_code NULL when the session is unknown, closed or not this
-- connection's), or for p_session NULL on a trusted connection the
-- database owner (role owner, office '' : every office; staff_no
-- db:ROLE for the audit).
CREATE OR REPLACE FUNCTION yc.admin_actor(p_session bigint) RETURNS yc.case_actor
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor;
BEGIN
    IF p_session IS NULL THEN
        IF yc.connection_trusted() THEN
            a.office_code := '';
            a.staff_no := 'db:' || session_user;
            a.role := 'owner';
            a.client := 'database owner ' || session_user;
        END IF;
        RETURN a;
    END IF;
    RETURN yc.case_actor(p_session);
END
$$;

-- Why the actor may not administer (NULL: it may): no_session (an unknown
-- or closed session; no session on an untrusted connection: not_allowed)
-- or not_allowed (not an administrator).
CREATE OR REPLACE FUNCTION yc.admin_refusal(a yc.case_actor, p_session bigint) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE
        WHEN a.office_code IS NULL AND p_session IS NULL THEN 'not_allowed'
        WHEN a.office_code IS NULL THEN 'no_session'
        WHEN a.role NOT IN ('admin', 'owner') THEN 'not_allowed'
    END;
$$;

-- Whether an office is the actor's or below it ('' : every office).
CREATE OR REPLACE FUNCTION yc.admin_reaches(a yc.case_actor, p_office text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT p_office IS NOT NULL AND a.office_code IS NOT NULL
       AND left(p_office, length(a.office_code)) = a.office_code;
$$;

-- What the audit log keeps of an account: never the hash.
CREATE OR REPLACE FUNCTION yc.staff_audit_row(s yc.staff) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN s.staff_no IS NOT NULL THEN jsonb_build_object(
        'name', s.name, 'role', s.role, 'office_code', s.office_code, 'active', s.active,
        'locked_until', s.locked_until, 'failed_logins', s.failed_logins,
        'must_change_password', s.must_change_password,
        'password_changed_at', s.password_changed_at) END;
$$;

-- Audits a change of an account and announces it (see the top of this file).
CREATE OR REPLACE FUNCTION yc.staff_record(a yc.case_actor, p_action text, p_before yc.staff,
                                           p_after yc.staff, p_extra jsonb)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    v_no     text := coalesce(p_after.staff_no, p_before.staff_no);
    v_office text := coalesce(p_before.office_code, p_after.office_code);
    v_code   text;
BEGIN
    PERFORM yc.audit_write(v_office, a.staff_no, a.window_no, p_action, 'staff:' || v_no,
        yc.staff_audit_row(p_before),
        yc.staff_audit_row(p_after) || coalesce(p_extra, '{}'::jsonb), a.client);
    FOR v_code IN
        SELECT DISTINCT left(o.code, n)
          FROM (SELECT p_before.office_code UNION SELECT p_after.office_code) o(code),
               unnest(ARRAY[2, 4, 6, 9, 12]) n
         WHERE o.code IS NOT NULL AND n <= length(o.code)
    LOOP
        PERFORM pg_catalog.pg_notify('yc_staff_' || v_code,
            jsonb_build_object('e', p_action, 's', v_no)::text);
    END LOOP;
END
$$;

-- Ends every open session of an account (reason for the audit).
CREATE OR REPLACE FUNCTION yc.staff_close_sessions(p_staff_no text, p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT ss.office_code, ss.session_id FROM yc.staff_session ss
              WHERE ss.staff_no = p_staff_no AND ss.ended_at IS NULL
              ORDER BY ss.session_id
    LOOP
        PERFORM yc.session_close(v.office_code, v.session_id, p_reason);
    END LOOP;
    PERFORM yc.session_unbind_closed(p_staff_no);
END
$$;

-- A staff name as stored (trimmed), NULL when it is not one: empty, over
-- 40 characters, or with control characters or bidirectional overrides
-- (yc.text_safe).
CREATE OR REPLACE FUNCTION yc.staff_name_ok(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN btrim(p_name) <> '' AND char_length(btrim(p_name)) <= 40
                 AND yc.text_safe(btrim(p_name)) THEN btrim(p_name) END;
$$;

CREATE OR REPLACE FUNCTION yc.staff_role_ok(p_role text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT p_role IN ('clerk', 'reviewer', 'supervisor', 'admin', 'guide');
$$;

-- The trigger that keeps the last administrator of a centre (see the top
-- of this file). The centre's office row is locked first, so that
-- two administrators disabling each other at the same moment are
-- serialised: the second sees the first's change and is refused.
CREATE OR REPLACE FUNCTION yc.staff_keep_last_admin() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF OLD.role <> 'admin' OR NOT OLD.active THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.role = 'admin' AND NEW.active
       AND NEW.office_code = OLD.office_code THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM yc.office o WHERE o.code = OLD.office_code
       AND o.tier IN ('province', 'prefecture', 'county')
        FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM yc.staff s
                    WHERE s.office_code = OLD.office_code AND s.role = 'admin' AND s.active) THEN
        RAISE EXCEPTION 'last_admin: % is the last administrator of office %',
            OLD.staff_no, OLD.office_code USING ERRCODE = 'YC021';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER staff_keep_last_admin AFTER UPDATE OF role, active, office_code OR DELETE ON yc.staff
    FOR EACH ROW EXECUTE FUNCTION yc.staff_keep_last_admin();

-------------------------------------------------------------------------------
-- yc.staff_list: the accounts the actor administers, by office and staff
-- number: of p_office and the offices below it (NULL: the actor's whole
-- jurisdiction), of role p_role (NULL: any), in state p_state (NULL or
-- all; active, disabled, locked, must_change: a temporary or expired
-- password), whose staff number or name contains p_text (NULL: any).
-- A refusal is one row with result no_session | not_allowed |
-- out_of_jurisdiction | unknown_office | bad_role | bad_input (a state
-- not listed) and the other columns NULL; otherwise each row has result
-- ok (no row: nobody matches). open_cases: the cases of which the staff
-- is 首问负责 still open; signed_in: a session is open.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_list(p_session bigint, p_office text, p_role text,
                                         p_state text, p_text text)
RETURNS TABLE(result text, staff_no text, name text, role text, office_code text,
              office_name text, active boolean, locked_until timestamptz,
              must_change_password boolean, password_expired boolean,
              password_changed_at timestamptz, open_cases int, signed_in boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a       yc.case_actor := yc.admin_actor(p_session);
    v_why   text := yc.admin_refusal(a, p_session);
    v_under text := coalesce(nullif(btrim(p_office), ''), a.office_code);
    v_state text := coalesce(nullif(btrim(p_state), ''), 'all');
    v_text  text := lower(nullif(btrim(p_text), ''));
BEGIN
    IF v_why IS NULL AND v_under <> '' AND NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = v_under) THEN
        v_why := 'unknown_office';
    ELSIF v_why IS NULL AND NOT yc.admin_reaches(a, v_under) THEN
        v_why := 'out_of_jurisdiction';
    ELSIF v_why IS NULL AND p_role IS NOT NULL AND NOT yc.staff_role_ok(p_role) THEN
        v_why := 'bad_role';
    ELSIF v_why IS NULL AND v_state NOT IN ('all', 'active', 'disabled', 'locked', 'must_change') THEN
        v_why := 'bad_input';
    END IF;
    IF v_why IS NOT NULL THEN
        result := v_why;
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT 'ok'::text, s.staff_no, s.name, s.role, s.office_code, o.name, s.active,
           yc.staff_locked_until(s.staff_no),
           s.must_change_password, yc.password_expired(s), s.password_changed_at,
           (SELECT count(*)::int FROM yc.service_case sc
             WHERE sc.first_staff_no = s.staff_no
               AND sc.status NOT IN ('finished', 'rejected', 'cancelled')),
           EXISTS (SELECT 1 FROM yc.staff_session ss
                    WHERE ss.staff_no = s.staff_no AND ss.ended_at IS NULL)
      FROM yc.staff s
      JOIN yc.office o ON o.code = s.office_code
     WHERE left(s.office_code, length(v_under)) = v_under
       AND (p_role IS NULL OR s.role = p_role)
       AND CASE v_state
             WHEN 'active' THEN s.active
             WHEN 'disabled' THEN NOT s.active
             WHEN 'locked' THEN yc.staff_locked_until(s.staff_no) IS NOT NULL
             WHEN 'must_change' THEN s.must_change_password OR yc.password_expired(s)
             ELSE true END
       AND (v_text IS NULL OR strpos(lower(s.staff_no), v_text) > 0
            OR strpos(lower(s.name), v_text) > 0)
     ORDER BY s.office_code, s.staff_no;
END
$$;

-------------------------------------------------------------------------------
-- yc.staff_add: a new account with a one-time temporary password, which
-- is returned once (and never stored in clear, nor audited); the user
-- must change it at the first sign-in.
-- result: ok | no_session | not_allowed | bad_staff_no (3-32 small letters,
-- digits, _) | bad_name | bad_role | unknown_office | out_of_jurisdiction |
-- exists
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_add(p_session bigint, p_staff_no text, p_name text,
                                        p_role text, p_office text)
RETURNS TABLE(result text, temporary_password text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a      yc.case_actor := yc.admin_actor(p_session);
    v_no   text := btrim(p_staff_no);
    v_name text := yc.staff_name_ok(p_name);
    v_temp text;
    s      yc.staff%ROWTYPE;
BEGIN
    result := coalesce(yc.admin_refusal(a, p_session), CASE
        WHEN v_no IS NULL OR v_no !~ '^[a-z0-9_]{3,32}$' THEN 'bad_staff_no'
        WHEN v_name IS NULL THEN 'bad_name'
        WHEN p_role IS NULL OR NOT yc.staff_role_ok(p_role) THEN 'bad_role'
        WHEN NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = btrim(p_office)) THEN 'unknown_office'
        WHEN NOT yc.admin_reaches(a, btrim(p_office)) THEN 'out_of_jurisdiction'
        WHEN EXISTS (SELECT 1 FROM yc.staff st WHERE st.staff_no = v_no) THEN 'exists'
        ELSE 'ok' END);
    IF result <> 'ok' THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_temp := yc.password_temporary();
    INSERT INTO yc.staff AS st (staff_no, name, role, office_code, password_hash,
                                must_change_password)
    VALUES (v_no, v_name, p_role, btrim(p_office), yc.hash_password(v_temp), true)
    ON CONFLICT (staff_no) DO NOTHING
    RETURNING st.* INTO s;
    IF s.staff_no IS NULL THEN	-- added by someone else meanwhile
        result := 'exists';
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM yc.staff_record(a, 'staff_add', NULL, s, NULL);
    temporary_password := v_temp;
    RETURN NEXT;
END
$$;

-- The account p_staff_no for a change by actor a, locked: *why says why
-- not (a refusal, not_found, out_of_jurisdiction), NULL when it may go on.
CREATE OR REPLACE FUNCTION yc.staff_take(a yc.case_actor, p_session bigint, p_staff_no text,
                                         OUT s yc.staff, OUT why text)
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
BEGIN
    why := yc.admin_refusal(a, p_session);
    IF why IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = btrim(p_staff_no) FOR NO KEY UPDATE;
    IF s.staff_no IS NULL THEN
        why := 'not_found';
    ELSIF NOT yc.admin_reaches(a, s.office_code) THEN
        why := 'out_of_jurisdiction';
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- yc.staff_edit: name, role and office of an account (NULL: unchanged).
-- A new role or office ends the account's open session (its screen would
-- be the old one's). The new office must be in the actor's jurisdiction
-- too.
-- result: ok | no_session | not_allowed | not_found | out_of_jurisdiction |
-- bad_name | bad_role | unknown_office | self (one's own role or office) |
-- last_admin | unchanged
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_edit(p_session bigint, p_staff_no text, p_name text,
                                         p_role text, p_office text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a        yc.case_actor := yc.admin_actor(p_session);
    t        record;
    s        yc.staff%ROWTYPE;
    n        yc.staff%ROWTYPE;
    v_name   text;
    v_role   text;
    v_office text;
BEGIN
    t := yc.staff_take(a, p_session, p_staff_no);
    IF t.why IS NOT NULL THEN
        RETURN t.why;
    END IF;
    s := t.s;
    v_name := CASE WHEN p_name IS NULL THEN s.name ELSE yc.staff_name_ok(p_name) END;
    v_role := coalesce(p_role, s.role);
    v_office := coalesce(btrim(p_office), s.office_code);
    IF v_name IS NULL THEN
        RETURN 'bad_name';
    ELSIF NOT yc.staff_role_ok(v_role) THEN
        RETURN 'bad_role';
    ELSIF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = v_office) THEN
        RETURN 'unknown_office';
    ELSIF NOT yc.admin_reaches(a, v_office) THEN
        RETURN 'out_of_jurisdiction';
    ELSIF s.staff_no = a.staff_no AND (v_role <> s.role OR v_office <> s.office_code) THEN
        RETURN 'self';
    ELSIF v_name = s.name AND v_role = s.role AND v_office = s.office_code THEN
        RETURN 'unchanged';
    END IF;
    BEGIN
        UPDATE yc.staff st SET name = v_name, role = v_role, office_code = v_office
         WHERE st.staff_no = s.staff_no
        RETURNING st.* INTO n;
    EXCEPTION WHEN SQLSTATE 'YC021' THEN
        RETURN 'last_admin';
    END;
    IF v_role <> s.role OR v_office <> s.office_code THEN
        PERFORM yc.staff_close_sessions(s.staff_no, 'staff_changed');
    END IF;
    PERFORM yc.staff_record(a, 'staff_edit', s, n, NULL);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.staff_set_active: disable (p_active false) or enable an account. A
-- disabled account cannot sign in (yc.login: disabled) and its open
-- session ends at once. open_cases: how many cases the staff is 首问负责
-- of that are still open (list them with yc.staff_open_cases; a
-- supervisor hands them to another clerk with yc.stage_reassign).
-- result: ok | no_session | not_allowed | not_found | out_of_jurisdiction |
-- self (disabling oneself) | last_admin | unchanged
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_set_active(p_session bigint, p_staff_no text, p_active boolean)
RETURNS TABLE(result text, open_cases int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor := yc.admin_actor(p_session);
    t record;
    s yc.staff%ROWTYPE;
    n yc.staff%ROWTYPE;
BEGIN
    t := yc.staff_take(a, p_session, p_staff_no);
    s := t.s;
    result := coalesce(t.why, CASE
        WHEN p_active IS NULL THEN 'bad_input'
        WHEN s.active = p_active THEN 'unchanged'
        WHEN NOT p_active AND s.staff_no = a.staff_no THEN 'self'
        ELSE 'ok' END);
    IF t.why IS NULL THEN
        SELECT count(*)::int INTO open_cases FROM yc.service_case sc
         WHERE sc.first_staff_no = s.staff_no
           AND sc.status NOT IN ('finished', 'rejected', 'cancelled');
    END IF;
    IF result <> 'ok' THEN
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        UPDATE yc.staff st SET active = p_active WHERE st.staff_no = s.staff_no
        RETURNING st.* INTO n;
    EXCEPTION WHEN SQLSTATE 'YC021' THEN
        result := 'last_admin';
        RETURN NEXT;
        RETURN;
    END;
    IF NOT p_active THEN
        PERFORM yc.staff_close_sessions(s.staff_no, 'disabled');
    END IF;
    PERFORM yc.staff_record(a, CASE WHEN p_active THEN 'staff_enable' ELSE 'staff_disable' END,
        s, n, jsonb_build_object('open_cases', open_cases));
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.staff_open_cases: the open cases of which the staff is 首问负责, at
-- offices of the actor's jurisdiction, most urgent first (for their
-- reassignment by a supervisor). No personal data.
-- A refusal is one row with result no_session | not_allowed | not_found |
-- out_of_jurisdiction and the other columns NULL; otherwise each row has
-- result ok.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_open_cases(p_session bigint, p_staff_no text)
RETURNS TABLE(result text, case_no text, office_code text, case_type_name text,
              status text, promised_date date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a     yc.case_actor := yc.admin_actor(p_session);
    s     yc.staff%ROWTYPE;
    v_why text := yc.admin_refusal(a, p_session);
BEGIN
    IF v_why IS NULL THEN
        SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = btrim(p_staff_no);
        v_why := CASE WHEN s.staff_no IS NULL THEN 'not_found'
                      WHEN NOT yc.admin_reaches(a, s.office_code) THEN 'out_of_jurisdiction' END;
    END IF;
    IF v_why IS NOT NULL THEN
        result := v_why;
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT 'ok'::text, sc.case_no, sc.office_code, ct.name, sc.status, sc.promised_date
      FROM yc.service_case sc
      JOIN yc.case_type ct ON ct.code = sc.case_type_code AND ct.version = sc.case_type_version
     WHERE sc.first_staff_no = s.staff_no
       AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
       AND yc.admin_reaches(a, sc.office_code)
     ORDER BY sc.promised_date NULLS LAST, sc.case_no;
END
$$;

-------------------------------------------------------------------------------
-- yc.staff_reset_password: a new one-time temporary password for a user
-- who forgot theirs, returned once (never stored in clear, nor audited);
-- the user must change it at the next sign-in. The account is unlocked
-- too (the failures forgotten) and its open session ends.
-- result: ok | no_session | not_allowed | not_found | out_of_jurisdiction |
-- self (one's own: yc.password_change)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_reset_password(p_session bigint, p_staff_no text)
RETURNS TABLE(result text, temporary_password text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a      yc.case_actor := yc.admin_actor(p_session);
    t      record;
    s      yc.staff%ROWTYPE;
    n      yc.staff%ROWTYPE;
    v_temp text;
BEGIN
    t := yc.staff_take(a, p_session, p_staff_no);
    s := t.s;
    result := coalesce(t.why, CASE WHEN s.staff_no = a.staff_no THEN 'self' ELSE 'ok' END);
    IF result <> 'ok' THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_temp := yc.password_temporary();
    PERFORM yc.password_store(s.staff_no, v_temp, true);
    UPDATE yc.staff st SET failed_logins = 0, locked_until = NULL
     WHERE st.staff_no = s.staff_no
    RETURNING st.* INTO n;
    DELETE FROM yc.login_throttle lt WHERE lt.staff_no = s.staff_no;
    PERFORM yc.staff_close_sessions(s.staff_no, 'password_reset');
    PERFORM yc.staff_record(a, 'staff_password_reset', s, n, NULL);
    temporary_password := v_temp;
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.staff_unlock: ends the lock of an account after too many failed
-- sign-ins (and forgets the failures), before login_lock_minutes pass:
-- the account's own lock and its locks at single terminals
-- (yc.login_throttle, 0027_roles); not_locked when there is neither.
-- result: ok | no_session | not_allowed | not_found | out_of_jurisdiction |
-- not_locked
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_unlock(p_session bigint, p_staff_no text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a yc.case_actor := yc.admin_actor(p_session);
    t record;
    s yc.staff%ROWTYPE;
    n yc.staff%ROWTYPE;
    v_sources int;
BEGIN
    t := yc.staff_take(a, p_session, p_staff_no);
    IF t.why IS NOT NULL THEN
        RETURN t.why;
    END IF;
    s := t.s;
    IF yc.staff_locked_until(s.staff_no) IS NULL THEN
        RETURN 'not_locked';
    END IF;
    UPDATE yc.staff st SET failed_logins = 0, locked_until = NULL
     WHERE st.staff_no = s.staff_no
    RETURNING st.* INTO n;
    WITH gone AS (DELETE FROM yc.login_throttle lt WHERE lt.staff_no = s.staff_no
                  RETURNING lt.locked_until > now() AS locked)
    SELECT count(*) FILTER (WHERE gone.locked) INTO v_sources FROM gone;
    PERFORM yc.staff_record(a, 'staff_unlock', s, n,
        CASE WHEN v_sources > 0 THEN jsonb_build_object('sources_unlocked', v_sources) END);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.password_change: the signed-in user changes their own password (any
-- role), giving the current one. A wrong current password counts as a
-- failed sign-in (password_change_failed; the account locks as at the
-- sign-in screen, and then the session ends: locked). The new password
-- must keep the policy (auth.sql): the broken rule is the result, audited
-- as password_change_refused. Stored: audited as password_changed (never
-- a password or a hash).
-- result: ok | no_session | bad_credentials | locked | too_short |
-- too_long | bad_characters | too_few_classes | contains_staff_no | reused
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.password_change(p_session bigint, p_password text, p_new_password text)
RETURNS TABLE(result text, locked_until timestamptz, failures_left int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    q        record := yc.queue_session(p_session);
    s        yc.staff%ROWTYPE;
    v_max    int := yc.setting_int('login_max_failures');
    v_failed int;
    v_until  timestamptz;
    v_broken text;
BEGIN
    IF NOT q.is_open THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = q.staff_no FOR NO KEY UPDATE;
    IF s.locked_until > now() OR NOT s.active THEN
        PERFORM yc.session_close(q.office_code, p_session, CASE WHEN s.active THEN 'locked' ELSE 'disabled' END);
        result := CASE WHEN s.active THEN 'locked' ELSE 'no_session' END;
        locked_until := s.locked_until;
        RETURN NEXT;
        RETURN;
    END IF;
    IF NOT yc.password_matches(p_password, s.password_hash) THEN
        SELECT f.failed, f.locked_until INTO v_failed, v_until
        FROM yc.password_failure(s.staff_no, q.window_no, 'password_change_failed',
                                 'bad_password', q.client) f;
        IF v_until IS NOT NULL THEN
            PERFORM yc.session_close(q.office_code, p_session, 'locked');
            result := 'locked';
            locked_until := v_until;
            failures_left := 0;
        ELSE
            result := 'bad_credentials';
            failures_left := greatest(v_max - v_failed, 0);
        END IF;
        RETURN NEXT;
        RETURN;
    END IF;
    v_broken := yc.password_rule_broken(s.staff_no, p_new_password);
    IF v_broken IS NOT NULL THEN
        PERFORM yc.audit_write(s.office_code, s.staff_no, q.window_no, 'password_change_refused',
            'staff:' || s.staff_no, NULL, jsonb_build_object('rule', v_broken, 'at', 'session'),
            q.client);
        result := v_broken;
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM yc.password_store(s.staff_no, p_new_password, false);
    UPDATE yc.staff st SET failed_logins = 0 WHERE st.staff_no = s.staff_no AND st.failed_logins <> 0;
    PERFORM yc.audit_write(s.office_code, s.staff_no, q.window_no, 'password_changed',
        'staff:' || s.staff_no,
        jsonb_build_object('password_changed_at', s.password_changed_at,
                           'temporary', s.must_change_password),
        jsonb_build_object('password_changed_at', now(), 'temporary', false, 'at', 'session'),
        q.client);
    result := 'ok';
    failures_left := v_max;
    RETURN NEXT;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.admin_actor(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.admin_refusal(yc.case_actor, bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.admin_reaches(yc.case_actor, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_audit_row(yc.staff) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_record(yc.case_actor, text, yc.staff, yc.staff, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_close_sessions(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_name_ok(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_role_ok(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_keep_last_admin() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_list(bigint, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_add(bigint, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_take(yc.case_actor, bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_edit(bigint, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_set_active(bigint, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_open_cases(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_reset_password(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_unlock(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_change(bigint, text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.staff_list(bigint, text, text, text, text),
    yc.staff_add(bigint, text, text, text, text),
    yc.staff_edit(bigint, text, text, text, text),
    yc.staff_set_active(bigint, text, boolean),
    yc.staff_open_cases(bigint, text),
    yc.staff_reset_password(bigint, text),
    yc.staff_unlock(bigint, text),
    yc.password_change(bigint, text, text)
  TO yichuang_app;
