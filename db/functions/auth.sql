-- db/functions/auth.sql: sign-in, sessions, screen lock, demo accounts.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- The password wrappers call pgcrypto (installed by 0002_auth, or already
-- present in any schema on a shared server) schema-qualified, so they do
-- not depend on anyone's search_path.
DO $$
DECLARE
    v_schema text;
BEGIN
    SELECT n.nspname INTO v_schema
    FROM pg_catalog.pg_extension e
    JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pgcrypto';

    -- A new bcrypt hash (cost 10) of a password.
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION yc.hash_password(p_password text) RETURNS text
        LANGUAGE sql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS
        'SELECT %1$I.crypt(p_password, %1$I.gen_salt(''bf'', 10))'
    $f$, v_schema);

    -- Does the password match the stored hash?
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION yc.password_matches(p_password text, p_hash text) RETURNS boolean
        LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS
        'SELECT p_password IS NOT NULL AND p_hash IS NOT NULL
                AND %1$I.crypt(p_password, p_hash) = p_hash'
    $f$, v_schema);

    -- HMAC-SHA-256 of a text under a key, hex (the read passes of
    -- yc.session_read_pass).
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION yc.hmac_hex(p_text text, p_key bytea) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS
        'SELECT encode(%1$I.hmac(convert_to(p_text, ''UTF8''), p_key, ''sha256''), ''hex'')'
    $f$, v_schema);
END
$$;

-- An integer setting; raises if missing or not an integer.
CREATE OR REPLACE FUNCTION yc.setting_int(p_key text) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v_value text;
BEGIN
    SELECT s.value INTO v_value FROM yc.setting s WHERE s.key = p_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown setting %', p_key USING ERRCODE = 'YC003';
    END IF;
    IF v_value !~ '^\s*-?[0-9]{1,9}\s*$' THEN
        RAISE EXCEPTION 'setting % is not an integer: %', p_key, v_value USING ERRCODE = 'YC003';
    END IF;
    RETURN v_value::int;
END
$$;

-- Close one open session; audited, and announced to the screen that has
-- it: NOTIFY on 'yc_session_' || session id with the payload p_notice
-- (NULL: p_reason), which the workstation LISTENs to (tui/ui/app.c) and
-- answers by signing out at once, saying why. Internal.
-- The end is the clock's time (clock_timestamp, never before the start),
-- not the transaction's: a session opened by a sign-in that committed
-- while this transaction waited for its locks started after this
-- transaction did, and ending it at now() would end it before it began.
CREATE OR REPLACE FUNCTION yc.session_close(p_office_code text, p_session_id bigint, p_reason text,
                                            p_notice text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v yc.staff_session%ROWTYPE;
BEGIN
    UPDATE yc.staff_session ss
       SET ended_at = greatest(clock_timestamp(), ss.started_at), end_reason = p_reason
     WHERE ss.office_code = p_office_code AND ss.session_id = p_session_id
       AND ss.ended_at IS NULL
    RETURNING ss.* INTO v;
    IF FOUND THEN
        PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no,
            CASE p_reason WHEN 'replaced' THEN 'session_replaced' ELSE 'session_closed' END,
            format('staff_session:%s/%s', v.office_code, v.session_id),
            jsonb_build_object('started_at', v.started_at, 'client', v.client),
            jsonb_build_object('ended_at', v.ended_at, 'end_reason', v.end_reason),
            v.client);
        PERFORM pg_catalog.pg_notify('yc_session_' || v.session_id, coalesce(p_notice, p_reason));
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- Sign-in throttling per source (0027_roles). A wrong password at the
-- sign-in counts against the account at one source: the login role, the
-- client's address as the server sees it ('local' for a Unix socket) and
-- the terminal the workstation names (its host and tty, or the SSH peer).
-- login_max_failures of them lock the account at that source for
-- login_lock_minutes; the clerk at another terminal still signs in, so a
-- stranger at one terminal cannot lock every account for everyone. When
-- login_lock_sources sources are locked out of one account at once (a
-- guessing attack from many places), the whole account is locked, as
-- before (yc.staff.locked_until: an administrator unlocks it, or the time
-- runs out). Wrong passwords of a signed-in user (the lock screen, one's
-- own password change) lock the account itself (yc.password_failure).
-------------------------------------------------------------------------------

-- The source of a sign-in on this connection, p_client as the client
-- names itself.
CREATE OR REPLACE FUNCTION yc.login_source(p_client text) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT left(format('%s@%s %s', session_user,
                       coalesce(host(inet_client_addr()), 'local'),
                       coalesce(nullif(btrim(left(p_client, 120)), ''), '-')), 200);
$$;

-- Until when the account is locked for anyone (the account's own lock) or
-- at some source (the latest of those); NULL when it is not locked.
CREATE OR REPLACE FUNCTION yc.staff_locked_until(p_staff_no text) RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT greatest(
        (SELECT s.locked_until FROM yc.staff s WHERE s.staff_no = p_staff_no AND s.locked_until > now()),
        (SELECT max(t.locked_until) FROM yc.login_throttle t
          WHERE t.staff_no = p_staff_no AND t.locked_until > now()));
$$;

-- Counts a wrong sign-in password of staff p_staff_no (row locked by the
-- caller) at p_source (yc.staff.failed_logins counts only the failures
-- of a signed-in user: yc.password_failure). Returns the failures counted
-- at that source, or 0
-- when the source has just been locked out (locked_until set: the
-- source's lock, or the account's when login_lock_sources sources are now
-- locked). Audits the failure (login_failed) and each lock
-- (account_locked, with its scope: source or account).
CREATE OR REPLACE FUNCTION yc.login_throttle_failure(p_staff_no text, p_source text, p_window int,
                                                     p_client text,
                                                     OUT failed int, OUT locked_until timestamptz)
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_max     int := yc.setting_int('login_max_failures');
    v_mins    int := yc.setting_int('login_lock_minutes');
    v_sources int := yc.setting_int('login_lock_sources');
    v_office  text;
    v_locked  int;
BEGIN
    SELECT s.office_code INTO v_office FROM yc.staff s WHERE s.staff_no = p_staff_no;
    -- what an earlier, expired lock of the source left is forgotten
    INSERT INTO yc.login_throttle AS t (staff_no, source, failures)
    VALUES (p_staff_no, p_source, 1)
    ON CONFLICT (staff_no, source) DO UPDATE
       SET failures = CASE WHEN t.locked_until IS NOT NULL THEN 1 ELSE t.failures + 1 END,
           locked_until = NULL, updated_at = now()
    RETURNING t.failures INTO failed;
    PERFORM yc.audit_write(v_office, p_staff_no, p_window, 'login_failed',
        'staff:' || p_staff_no, NULL,
        jsonb_build_object('reason', 'bad_password', 'failed_logins', failed, 'source', p_source),
        p_client);
    locked_until := NULL;
    IF failed < v_max THEN
        RETURN;
    END IF;
    UPDATE yc.login_throttle t
       SET failures = 0, locked_until = now() + make_interval(mins => v_mins)
     WHERE t.staff_no = p_staff_no AND t.source = p_source
    RETURNING t.locked_until INTO locked_until;
    PERFORM yc.audit_write(v_office, p_staff_no, p_window, 'account_locked',
        'staff:' || p_staff_no, NULL,
        jsonb_build_object('scope', 'source', 'source', p_source, 'locked_until', locked_until,
                           'failures', failed, 'lock_minutes', v_mins),
        p_client);
    failed := 0;
    SELECT count(*) INTO v_locked FROM yc.login_throttle t
     WHERE t.staff_no = p_staff_no AND t.locked_until > now();
    IF v_locked >= v_sources THEN
        UPDATE yc.staff s SET locked_until = now() + make_interval(mins => v_mins)
         WHERE s.staff_no = p_staff_no;
        PERFORM yc.audit_write(v_office, p_staff_no, p_window, 'account_locked',
            'staff:' || p_staff_no, NULL,
            jsonb_build_object('scope', 'account', 'sources', v_locked, 'locked_until', locked_until,
                               'lock_minutes', v_mins),
            p_client);
    END IF;
END
$$;

-- Count one wrong password of a staff member (row already locked by the
-- caller). Returns the new failed_logins, or 0 when the account has just
-- been locked; then locked_until is set. Audits the failure as action
-- p_action and, on lock, account_locked.
CREATE OR REPLACE FUNCTION yc.password_failure(p_staff_no text, p_window int, p_action text,
                                    p_reason text, p_client text,
                                    OUT failed int, OUT locked_until timestamptz)
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_max  int := yc.setting_int('login_max_failures');
    v_mins int := yc.setting_int('login_lock_minutes');
    v_office text;
BEGIN
    UPDATE yc.staff s
       SET failed_logins = s.failed_logins + 1
     WHERE s.staff_no = p_staff_no
    RETURNING s.failed_logins, s.office_code INTO failed, v_office;

    PERFORM yc.audit_write(v_office, p_staff_no, p_window, p_action,
        'staff:' || p_staff_no, NULL,
        jsonb_build_object('reason', p_reason, 'failed_logins', failed), p_client);

    IF failed >= v_max THEN
        UPDATE yc.staff s
           SET failed_logins = 0,
               locked_until = now() + make_interval(mins => v_mins)
         WHERE s.staff_no = p_staff_no
        RETURNING s.locked_until INTO locked_until;
        PERFORM yc.audit_write(v_office, p_staff_no, p_window, 'account_locked',
            'staff:' || p_staff_no, NULL,
            jsonb_build_object('locked_until', locked_until, 'failures', failed,
                               'lock_minutes', v_mins),
            p_client);
        failed := 0;
    ELSE
        locked_until := NULL;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION yc.demo_accounts()
RETURNS TABLE(staff_no text, name text, role text, office_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    SELECT s.staff_no, s.name, s.role, o.name
      FROM yc.demo_account d
      JOIN yc.staff s ON s.staff_no = d.staff_no
      JOIN yc.office o ON o.code = s.office_code
     WHERE EXISTS (SELECT 1 FROM yc.setting st WHERE st.key = 'demo' AND st.value = 'on')
     ORDER BY d.sort, s.staff_no;
$$;

-------------------------------------------------------------------------------
-- The password policy (等保 2.0 level 3), from the settings of 0021:
--   password_min_length    at least this many characters (8)
--   password_min_classes   at least this many of four classes: capital
--                          letters A-Z, small letters a-z, digits 0-9, any
--                          other character (3)
--   password_history       not the current password, nor one of this many
--                          passwords the user chose last (5)
--   password_max_age_days  a password older than this must be changed at
--                          the next sign-in; 0: never (90)
-- and always: not containing the staff number (in any case), no control
-- characters, at most 72 bytes (what bcrypt reads).
-------------------------------------------------------------------------------

-- The policy, for the screens and commands that phrase its rules.
CREATE OR REPLACE FUNCTION yc.password_policy(OUT min_length int, OUT min_classes int,
                                              OUT history int, OUT max_age_days int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    SELECT yc.setting_int('password_min_length'), yc.setting_int('password_min_classes'),
           yc.setting_int('password_history'), yc.setting_int('password_max_age_days');
$$;

-- Whether the staff member's password has expired (password_max_age_days).
CREATE OR REPLACE FUNCTION yc.password_expired(s yc.staff) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_days int := yc.setting_int('password_max_age_days');
BEGIN
    RETURN v_days > 0 AND s.password_changed_at < now() - make_interval(days => v_days);
END
$$;

-- The first rule of the policy that p_new breaks for staff p_staff_no,
-- NULL when it keeps them all:
--   too_short | too_long | bad_characters | too_few_classes |
--   contains_staff_no | reused
CREATE OR REPLACE FUNCTION yc.password_rule_broken(p_staff_no text, p_new text) RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    v_min     int := yc.setting_int('password_min_length');
    v_classes int := yc.setting_int('password_min_classes');
    v_history int := yc.setting_int('password_history');
    v_hash    text;
BEGIN
    IF p_new IS NULL OR char_length(p_new) < v_min THEN
        RETURN 'too_short';
    END IF;
    IF octet_length(p_new) > 72 THEN
        RETURN 'too_long';
    END IF;
    IF p_new ~ '[[:cntrl:]]' THEN
        RETURN 'bad_characters';
    END IF;
    IF (p_new ~ '[A-Z]')::int + (p_new ~ '[a-z]')::int + (p_new ~ '[0-9]')::int
       + (p_new ~ '[^A-Za-z0-9]')::int < v_classes THEN
        RETURN 'too_few_classes';
    END IF;
    IF strpos(lower(p_new), lower(p_staff_no)) > 0 THEN
        RETURN 'contains_staff_no';
    END IF;
    SELECT s.password_hash INTO v_hash FROM yc.staff s WHERE s.staff_no = p_staff_no;
    IF yc.password_matches(p_new, v_hash) THEN
        RETURN 'reused';
    END IF;
    IF EXISTS (SELECT 1
                 FROM (SELECT h.password_hash FROM yc.password_history h
                        WHERE h.staff_no = p_staff_no
                        ORDER BY h.history_id DESC
                        LIMIT greatest(v_history, 0)) last
                WHERE yc.password_matches(p_new, last.password_hash)) THEN
        RETURN 'reused';
    END IF;
    RETURN NULL;
END
$$;

-- Stores a new password of staff p_staff_no (row locked by the caller):
-- its hash, when it was set, and whether it is temporary (to be changed at
-- the next sign-in). A password the user chose joins the history, of
-- which the newest password_history (at least 1) are kept. Audits nothing:
-- the callers do, without the password.
CREATE OR REPLACE FUNCTION yc.password_store(p_staff_no text, p_password text, p_temporary boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    v_hash text := yc.hash_password(p_password);
BEGIN
    UPDATE yc.staff s
       SET password_hash = v_hash, password_changed_at = now(),
           must_change_password = p_temporary
     WHERE s.staff_no = p_staff_no;
    IF NOT p_temporary THEN
        INSERT INTO yc.password_history (staff_no, password_hash) VALUES (p_staff_no, v_hash);
        DELETE FROM yc.password_history h
         WHERE h.staff_no = p_staff_no
           AND h.history_id NOT IN (SELECT k.history_id FROM yc.password_history k
                                     WHERE k.staff_no = p_staff_no
                                     ORDER BY k.history_id DESC
                                     LIMIT greatest(yc.setting_int('password_history'), 1));
    END IF;
END
$$;

-- A new temporary password: 10 characters (or password_min_length, if
-- more) of capital and small letters and digits without the ones easily
-- misread (I O l 0 1), at least one of each, from the server's strong
-- random source (gen_random_uuid). Shown once, never stored in clear.
CREATE OR REPLACE FUNCTION yc.password_temporary() RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    c_chars constant text := 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    v_len   int := greatest(10, yc.setting_int('password_min_length'));
    v       text;
    v_bytes bytea;
    v_byte  int;
BEGIN
    LOOP
        v := '';
        WHILE char_length(v) < v_len LOOP
            v_bytes := uuid_send(gen_random_uuid());
            FOR i IN 0..15 LOOP
                CONTINUE WHEN i IN (6, 8);	-- the version and variant bits
                v_byte := get_byte(v_bytes, i);
                CONTINUE WHEN v_byte >= 228;	-- 4 × 57: no bias
                v := v || substr(c_chars, v_byte % 57 + 1, 1);
                EXIT WHEN char_length(v) >= v_len;
            END LOOP;
        END LOOP;
        EXIT WHEN v ~ '[A-Z]' AND v ~ '[a-z]' AND v ~ '[0-9]';
    END LOOP;
    RETURN v;
END
$$;

-------------------------------------------------------------------------------
-- yc.login
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.login_password(p_staff_no text, p_password text, p_window int, p_client text)
RETURNS TABLE(result text, session_id bigint, staff_no text, staff_name text, role text,
              office_code text, office_name text, office_tier text, window_no int,
              locked_until timestamptz, failures_left int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    s        yc.staff%ROWTYPE;
    o        yc.office%ROWTYPE;
    v_max    int := yc.setting_int('login_max_failures');
    v_failed int;
    v_until  timestamptz;
    v_old    record;
    v_sid    bigint;
    v_client text := left(p_client, 200);
    v_source text := yc.login_source(p_client);
    v_src    yc.login_throttle%ROWTYPE;
BEGIN
    SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = p_staff_no
        FOR NO KEY UPDATE;

    IF NOT FOUND THEN
        -- Same work as for a known account, so timing does not tell. What
        -- was typed is not kept: people type their password into the
        -- staff field (a marker instead, no staff number).
        PERFORM yc.hash_password(coalesce(p_password, ''));
        PERFORM yc.audit_write('000000', NULL, p_window, 'login_failed', 'staff:?', NULL,
            jsonb_build_object('reason', 'unknown_staff', 'source', v_source), v_client);
        result := 'bad_credentials';
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT ofc.* INTO o FROM yc.office ofc WHERE ofc.code = s.office_code;
    SELECT t.* INTO v_src FROM yc.login_throttle t
     WHERE t.staff_no = s.staff_no AND t.source = v_source;

    IF s.locked_until > now() OR v_src.locked_until > now() THEN
        locked_until := CASE WHEN s.locked_until > now() THEN s.locked_until ELSE v_src.locked_until END;
        PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'login_refused_locked',
            'staff:' || s.staff_no, NULL,
            jsonb_build_object('locked_until', locked_until,
                               'scope', CASE WHEN s.locked_until > now() THEN 'account' ELSE 'source' END,
                               'source', v_source), v_client);
        result := 'locked';
        failures_left := 0;
        RETURN NEXT;
        RETURN;
    END IF;

    IF NOT yc.password_matches(p_password, s.password_hash) THEN
        SELECT f.failed, f.locked_until INTO v_failed, v_until
        FROM yc.login_throttle_failure(s.staff_no, v_source, p_window, v_client) f;
        IF v_until IS NOT NULL THEN
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

    -- The password is right: from here on, the answers may be specific.
    staff_no := s.staff_no;
    office_code := s.office_code;
    staff_name := s.name;
    role := s.role;
    office_name := o.name;
    office_tier := o.tier;

    IF NOT s.active THEN
        PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'login_refused_disabled',
            'staff:' || s.staff_no, NULL, NULL, v_client);
        result := 'disabled';
        RETURN NEXT;
        RETURN;
    END IF;

    IF p_window IS NULL AND s.role = 'clerk' THEN
        PERFORM yc.audit_write(s.office_code, s.staff_no, NULL, 'login_failed',
            'staff:' || s.staff_no, NULL,
            jsonb_build_object('reason', 'window_required'), v_client);
        result := 'window_required';
        RETURN NEXT;
        RETURN;
    END IF;

    IF p_window IS NOT NULL THEN
        -- Lock the window row: two logins at one window are serialised.
        PERFORM 1 FROM yc.service_window w
         WHERE w.office_code = s.office_code AND w.window_no = p_window AND w.active
           FOR NO KEY UPDATE;
        IF NOT FOUND THEN
            PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'login_failed',
                'staff:' || s.staff_no, NULL,
                jsonb_build_object('reason', 'unknown_window', 'window_no', p_window),
                v_client);
            result := 'unknown_window';
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    -- A temporary password (an administrator added the account or reset
    -- it) or an expired one opens no session: the user chooses a new one
    -- first (yc.login_change_password). The password was right: the
    -- failures are forgotten as at a sign-in.
    IF s.must_change_password OR yc.password_expired(s) THEN
        UPDATE yc.staff st SET failed_logins = 0 WHERE st.staff_no = s.staff_no
           AND st.failed_logins <> 0;
        DELETE FROM yc.login_throttle t WHERE t.staff_no = s.staff_no AND t.source = v_source;
        result := CASE WHEN s.must_change_password THEN 'password_reset' ELSE 'password_expired' END;
        PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'login_password_change',
            'staff:' || s.staff_no, NULL,
            jsonb_build_object('reason', result, 'password_changed_at', s.password_changed_at),
            v_client);
        RETURN NEXT;
        RETURN;
    END IF;

    -- Close what this login replaces: the staff's own open session anywhere
    -- (its screen is told: replaced_self), and whoever is still logged in
    -- at this window (replaced_window). Sign-ins of one staff member are
    -- serialised on the staff row, sign-ins at one window on the window
    -- row (both locked above); the replaced session ends, and the new one
    -- starts, at the clock's time after those locks (yc.session_close):
    -- never before a session that committed while this one waited.
    FOR v_old IN
        SELECT ss.office_code AS o_code, ss.session_id AS sid, ss.staff_no = s.staff_no AS own
          FROM yc.staff_session ss
         WHERE ss.ended_at IS NULL
           AND (ss.staff_no = s.staff_no
                OR (p_window IS NOT NULL AND ss.office_code = s.office_code
                    AND ss.window_no = p_window))
         ORDER BY ss.session_id
    LOOP
        PERFORM yc.session_close(v_old.o_code, v_old.sid, 'replaced',
                                 CASE WHEN v_old.own THEN 'replaced_self' ELSE 'replaced_window' END);
    END LOOP;

    INSERT INTO yc.staff_session (office_code, staff_no, window_no, client, started_at)
    VALUES (s.office_code, s.staff_no, p_window, v_client, clock_timestamp())
    RETURNING session_id INTO v_sid;

    UPDATE yc.staff st SET failed_logins = 0, locked_until = NULL
     WHERE st.staff_no = s.staff_no;
    -- this source's failures are forgotten (and expired locks elsewhere)
    DELETE FROM yc.login_throttle t
     WHERE t.staff_no = s.staff_no
       AND (t.source = v_source OR t.locked_until <= now()
            OR (t.locked_until IS NULL
                AND t.updated_at < now() - make_interval(mins => yc.setting_int('login_lock_minutes'))));

    PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'login',
        format('staff_session:%s/%s', s.office_code, v_sid),
        CASE WHEN coalesce(v_src.failures, 0) > 0 OR s.failed_logins > 0 THEN
            jsonb_build_object('failed_logins', greatest(coalesce(v_src.failures, 0), s.failed_logins)) END,
        jsonb_build_object('session_id', v_sid, 'window_no', p_window), v_client);

    result := 'ok';
    session_id := v_sid;
    window_no := p_window;
    failures_left := v_max;
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.login_change_password: the sign-in of a user whose password is
-- temporary or expired (yc.login answered password_reset or
-- password_expired and opened no session), with the new password chosen
-- on the sign-in screen. The sign-in with the current password is
-- checked again by yc.login (failures counted, lockout, disabled, window);
-- any answer but password_reset / password_expired is returned as it is.
-- Then the new password must keep the policy: the broken rule is the
-- result (too_short | too_long | bad_characters | too_few_classes |
-- contains_staff_no | reused), audited as password_change_refused, and
-- nothing changes. Otherwise it is stored (audited as password_changed:
-- when the old one was set, whether it was temporary; never a password or
-- a hash) and the session is opened by yc.login with it: the same row as
-- yc.login (result ok, the session and its token).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.login_change_password(p_staff_no text, p_password text,
                                                    p_new_password text, p_window int, p_client text)
RETURNS TABLE(result text, session_id bigint, staff_no text, staff_name text, role text,
              office_code text, office_name text, office_tier text, window_no int,
              locked_until timestamptz, failures_left int, token text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r        record;
    s        yc.staff%ROWTYPE;
    v_broken text;
    v_client text := left(p_client, 200);
BEGIN
    SELECT l.* INTO r FROM yc.login(p_staff_no, p_password, p_window, p_client) l;
    IF r.result NOT IN ('password_reset', 'password_expired') THEN
        RETURN QUERY SELECT r.result, r.session_id, r.staff_no, r.staff_name, r.role,
            r.office_code, r.office_name, r.office_tier, r.window_no, r.locked_until,
            r.failures_left, r.token;
        RETURN;
    END IF;
    SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = p_staff_no FOR NO KEY UPDATE;
    v_broken := yc.password_rule_broken(s.staff_no, p_new_password);
    IF v_broken IS NOT NULL THEN
        PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'password_change_refused',
            'staff:' || s.staff_no, NULL,
            jsonb_build_object('rule', v_broken, 'at', 'sign_in'), v_client);
        RETURN QUERY SELECT v_broken, NULL::bigint, s.staff_no, s.name, s.role, s.office_code,
            r.office_name, r.office_tier, NULL::int, NULL::timestamptz, NULL::int, NULL::text;
        RETURN;
    END IF;
    PERFORM yc.password_store(s.staff_no, p_new_password, false);
    PERFORM yc.audit_write(s.office_code, s.staff_no, p_window, 'password_changed',
        'staff:' || s.staff_no,
        jsonb_build_object('password_changed_at', s.password_changed_at,
                           'temporary', s.must_change_password),
        jsonb_build_object('password_changed_at', now(), 'temporary', false,
                           'at', 'sign_in', 'reason', r.result),
        v_client);
    RETURN QUERY SELECT l.* FROM yc.login(p_staff_no, p_new_password, p_window, p_client) l;
END
$$;

-------------------------------------------------------------------------------
-- yc.logout: close a session; unknown or already closed: no-op.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.logout_session(p_session_id bigint, p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v yc.staff_session%ROWTYPE;
    v_reason text := coalesce(nullif(btrim(p_reason), ''), 'user');
BEGIN
    IF v_reason !~ '^[a-z][a-z0-9_]{0,31}$' THEN
        v_reason := 'other';
    END IF;
    UPDATE yc.staff_session ss
       SET ended_at = greatest(clock_timestamp(), ss.started_at), end_reason = v_reason
     WHERE ss.session_id = p_session_id AND ss.ended_at IS NULL
    RETURNING ss.* INTO v;
    IF FOUND THEN
        PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'logout',
            format('staff_session:%s/%s', v.office_code, v.session_id), NULL,
            jsonb_build_object('end_reason', v_reason, 'started_at', v.started_at),
            v.client);
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- yc.screen_lock: the workstation locked itself after idling.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.screen_lock_session(p_session_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v yc.staff_session%ROWTYPE;
BEGIN
    SELECT ss.* INTO v FROM yc.staff_session ss
     WHERE ss.session_id = p_session_id AND ss.ended_at IS NULL;
    IF FOUND THEN
        PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'screen_lock',
            format('staff_session:%s/%s', v.office_code, v.session_id), NULL,
            jsonb_build_object('idle_lock_minutes', yc.setting_int('idle_lock_minutes')),
            v.client);
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- yc.screen_unlock: the session's staff types the password again.
-- result: ok | bad_credentials | locked | disabled | no_session
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.screen_unlock_session(p_session_id bigint, p_password text)
RETURNS TABLE(result text, locked_until timestamptz, failures_left int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v        yc.staff_session%ROWTYPE;
    s        yc.staff%ROWTYPE;
    v_max    int := yc.setting_int('login_max_failures');
    v_failed int;
    v_until  timestamptz;
BEGIN
    SELECT ss.* INTO v FROM yc.staff_session ss
     WHERE ss.session_id = p_session_id AND ss.ended_at IS NULL
       FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM yc.audit_write('000000', NULL, NULL, 'screen_unlock_failed',
            format('staff_session:%s', p_session_id), NULL,
            jsonb_build_object('reason', 'no_session'), NULL);
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = v.staff_no
        FOR NO KEY UPDATE;

    IF s.locked_until > now() THEN
        PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'screen_unlock_failed',
            format('staff_session:%s/%s', v.office_code, v.session_id), NULL,
            jsonb_build_object('reason', 'locked', 'locked_until', s.locked_until), v.client);
        PERFORM yc.session_close(v.office_code, v.session_id, 'locked');
        result := 'locked';
        locked_until := s.locked_until;
        failures_left := 0;
        RETURN NEXT;
        RETURN;
    END IF;

    IF NOT yc.password_matches(p_password, s.password_hash) THEN
        SELECT f.failed, f.locked_until INTO v_failed, v_until
        FROM yc.password_failure(s.staff_no, v.window_no, 'screen_unlock_failed',
                                 'bad_password', v.client) f;
        IF v_until IS NOT NULL THEN
            PERFORM yc.session_close(v.office_code, v.session_id, 'locked');
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

    IF NOT s.active THEN
        PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'screen_unlock_failed',
            format('staff_session:%s/%s', v.office_code, v.session_id), NULL,
            jsonb_build_object('reason', 'disabled'), v.client);
        PERFORM yc.session_close(v.office_code, v.session_id, 'disabled');
        result := 'disabled';
        RETURN NEXT;
        RETURN;
    END IF;

    UPDATE yc.staff st SET failed_logins = 0, locked_until = NULL
     WHERE st.staff_no = s.staff_no;
    PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'screen_unlock',
        format('staff_session:%s/%s', v.office_code, v.session_id), NULL, NULL, v.client);
    result := 'ok';
    failures_left := v_max;
    RETURN NEXT;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.hash_password(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hmac_hex(text, bytea) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_matches(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.setting_int(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_close(text, bigint, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.login_source(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.staff_locked_until(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.login_throttle_failure(text, text, integer, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_failure(text, integer, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.demo_accounts() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_policy() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_expired(yc.staff) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_rule_broken(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_store(text, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.password_temporary() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.login_password(text, text, integer, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.login_change_password(text, text, text, integer, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.logout_session(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.screen_lock_session(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.screen_unlock_session(bigint, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.setting_int(text),
    yc.demo_accounts(),
    yc.password_policy(),
    yc.login_change_password(text, text, text, integer, text)
  TO yichuang_app;
