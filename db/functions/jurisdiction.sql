-- db/functions/jurisdiction.sql: who sees what: session binding, visibility, row-level security policies.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0009_jurisdiction):
-- 0009_jurisdiction: what a signed-in clerk may see and change, enforced by
-- the database, and sessions that cannot be borrowed.
--
-- Every workstation connects as the one role yichuang_app (since
-- 0027_roles the kiosks and boards as yichuang_kiosk, which may issue
-- tickets and read the board only), so the role alone says nothing about
-- who is asking. Two rules close that:
--
-- 1. A staff session is bound to the database connection that opened it.
--    yc.login records the connection (backend pid + backend start time: a
--    pid is reused, the pair never) in yc.session_binding and returns a
--    random secret token, of which staff_session keeps only the SHA-256.
--    yc.queue_session (and through it yc.case_actor, hence every function
--    taking p_session, those of later migrations included) and yc.logout,
--    yc.screen_lock, yc.screen_unlock accept a session id only on the
--    connection bound to it: on any other connection of the application
--    role the session is unknown ('no_session'). After a reconnect the
--    client binds its new connection with yc.session_resume(id, token)
--    (tui/store/auth.c arranges that through db_on_connect). Connections
--    of a superuser or of a role outside yichuang_app and yichuang_kiosk
--    (the owner, an administrator's role) are trusted with any session
--    id: such a role can read and write the tables anyway. A refused id
--    of an open session is audited (session_refused, with the function
--    called: yc.queue_session does it for every function taking one).
--
-- 2. Jurisdiction. A session sees the tickets of its own office, and the
--    cases of its office and the offices below it (a lower office's code
--    extends its parent's at every level: the prefix rule; a county
--    centre, 6 digits, thus sees the whole county, a prefecture (4) its
--    counties, the province (2) everything, 0024_office_levels). Beyond
--    that, 全市通办: a case waiting for 补正 (pending_supplement) is found
--    and continued at any office of its scope (yc.tongban_scope: the same
--    prefecture, or with the setting county the same county), and an
--    office of that scope that has worked on a case (an event of the case
--    names that office or one below it, e.g. the 补正 it took) keeps seeing
--    it, to print its documents and record its rating (yc.case_visible).
--    The functions apply it through yc.case_get, yc.case_lookup,
--    yc.case_open_same and yc.case_document; direct SELECTs of the
--    application role on tickets and case rows go through row-level
--    security policies keyed on the sessions bound to the connection (no
--    session: no row). Kiosk and board functions by office code
--    (yc.queue_issue, yc.queue_counts, yc.queue_recent_calls) return no
--    personal data and are unchanged.
--
-- For later migrations: take the actor with yc.case_actor(p_session), fetch
-- a case with yc.case_get (or test yc.case_visible), and list offices with
-- yc.office_in_jurisdiction; never read yc.staff_session for a session id
-- directly. A CREATE OR REPLACE of yc.login, yc.logout, yc.screen_lock,
-- yc.screen_unlock, yc.case_document, yc.queue_session or yc.case_get must
-- keep the checks made here.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The start time of this connection's backend.
-- (PL/pgSQL, as the two below: a SQL function with a SET clause is planned
-- again at every call, and every queue operation comes here.)
CREATE OR REPLACE FUNCTION yc.backend_start() RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN (SELECT a.backend_start
              FROM pg_catalog.pg_stat_get_activity(pg_catalog.pg_backend_pid()) a);
END
$$;

-- Whether this connection is trusted with any session id: its login role
-- (session_user, not the owner of a SECURITY DEFINER function) is a
-- superuser or a member of neither application role (yichuang_app, the
-- workstations; yichuang_kiosk, the kiosks and boards, 0027_roles).
CREATE OR REPLACE FUNCTION yc.connection_trusted() RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN (SELECT coalesce(bool_or(r.rolsuper
                                    OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                                                    WHERE g.rolname IN ('yichuang_app', 'yichuang_kiosk')
                                                      AND pg_catalog.pg_has_role(r.oid, g.oid, 'MEMBER'))),
                            false)
              FROM pg_catalog.pg_roles r
             WHERE r.rolname = session_user);
END
$$;

-- READ PASSES (0038_read_pass; README "Databases"). A pass is
-- "SESSION.UNTIL.MAC": the session id, the Unix time it expires and
-- HMAC-SHA-256 of "SESSION.UNTIL" under yc.read_pass_key. The primary
-- gives one to a connection bound to the session (yc.session_read_pass,
-- audited); on a hot standby a connection that has set it
-- (set_config('yc.read_pass', PASS, false)) may use the session for what
-- a standby can do, reading, until it expires or the session ends. The
-- setting can be set by anyone; only the key's owner can sign.
CREATE OR REPLACE FUNCTION yc.read_pass_sign(p_session bigint, p_until bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN p_session || '.' || p_until || '.'
        || yc.hmac_hex(p_session || '.' || p_until, (SELECT k.key FROM yc.read_pass_key k));
END
$$;

-- Whether this connection has set a valid pass for the session.
CREATE OR REPLACE FUNCTION yc.read_pass_valid(p_session bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_pass text := current_setting('yc.read_pass', true);
    v      text[] := string_to_array(v_pass, '.');
BEGIN
    IF v IS NULL OR cardinality(v) <> 3 OR v[1] !~ '^[0-9]{1,18}$' OR v[2] !~ '^[0-9]{1,12}$' THEN
        RETURN false;
    END IF;
    RETURN v[1]::bigint = p_session AND v[2]::bigint > extract(epoch FROM yc.now())
        AND yc.read_pass_sign(p_session, v[2]::bigint) = v_pass;
END
$$;

-- Whether this connection may use the session: trusted, or bound to it;
-- on a hot standby, with a valid read pass for it.
CREATE OR REPLACE FUNCTION yc.session_bound(p_session bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    IF yc.connection_trusted() THEN
        RETURN true;
    END IF;
    IF pg_catalog.pg_is_in_recovery() THEN
        RETURN yc.read_pass_valid(p_session);
    END IF;
    RETURN EXISTS (SELECT 1 FROM yc.session_binding b
                    WHERE b.backend_pid = pg_catalog.pg_backend_pid()
                      AND b.backend_start = yc.backend_start()
                      AND b.session_id = p_session);
END
$$;

-- Binds the session to this connection (and to no other), and drops what
-- a dead backend with this pid left behind.
CREATE OR REPLACE FUNCTION yc.session_bind(p_session bigint) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    v_pid   int := pg_catalog.pg_backend_pid();
    v_start timestamptz := yc.backend_start();
BEGIN
    DELETE FROM yc.session_binding b
     WHERE (b.backend_pid = v_pid AND b.backend_start <> v_start)
        OR (b.session_id = p_session AND NOT (b.backend_pid = v_pid AND b.backend_start = v_start));
    INSERT INTO yc.session_binding (backend_pid, backend_start, session_id)
    VALUES (v_pid, v_start, p_session)
    ON CONFLICT DO NOTHING;
END
$$;

-- Audits a session id presented on a connection it is not bound to (only
-- for an open session: an unknown id stays a silent no-op), once per
-- transaction and session: what was called (p_call; NULL: the outermost
-- yc function of the call stack, the one the client called), by which
-- backend and login role from where.
CREATE OR REPLACE FUNCTION yc.session_refused(p_session bigint, p_call text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
DECLARE
    v       yc.staff_session%ROWTYPE;
    v_call  text := p_call;
    v_stack text;
BEGIN
    SELECT ss.* INTO v FROM yc.staff_session ss
     WHERE ss.session_id = p_session AND ss.ended_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF pg_catalog.pg_is_in_recovery() THEN
        -- a standby writes nothing: its server log keeps the refusal
        RAISE LOG 'yichuang: session %/% refused on a standby (no valid read pass), backend %',
            v.office_code, v.session_id, pg_catalog.pg_backend_pid();
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM yc.audit_log l
                WHERE l.office_code = v.office_code AND l.at = now()
                  AND l.action = 'session_refused'
                  AND l.object = format('staff_session:%s/%s', v.office_code, v.session_id)
                  AND l.after ->> 'backend_pid' = pg_catalog.pg_backend_pid()::text) THEN
        RETURN;
    END IF;
    IF v_call IS NULL THEN
        GET DIAGNOSTICS v_stack = PG_CONTEXT;
        SELECT m[1] INTO v_call
          FROM regexp_matches(v_stack, 'function (?:yc\.)?([a-z_][a-z0-9_]*)\(', 'g') WITH ORDINALITY x(m, n)
         ORDER BY x.n DESC LIMIT 1;
    END IF;
    PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'session_refused',
        format('staff_session:%s/%s', v.office_code, v.session_id), NULL,
        jsonb_build_object('call', v_call, 'reason', 'other_connection',
                           'backend_pid', pg_catalog.pg_backend_pid(),
                           'source', yc.login_source(NULL)),
        NULL);
END
$$;

-- yc.session_check: whether a session is still open for this connection
-- (a workstation asks when its session's channel announces an end, and
-- after a reconnect): open | ended (closed, unknown, or not this
-- connection's: a borrowed id is audited as for any other call).
CREATE OR REPLACE FUNCTION yc.session_check(p_session bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.staff_session ss
                    WHERE ss.session_id = p_session AND ss.ended_at IS NULL) THEN
        RETURN 'ended';
    END IF;
    IF NOT yc.session_bound(p_session) THEN
        PERFORM yc.session_refused(p_session, 'session_check');
        RETURN 'ended';
    END IF;
    RETURN 'open';
END
$$;

-- A read pass for the session (see READ PASSES above), valid for the
-- setting read_pass_seconds (300; 30..3600); audited (read_pass). Only on
-- the primary, for a connection bound to the session.
-- result: ok | no_session
CREATE OR REPLACE FUNCTION yc.session_read_pass(p_session bigint)
RETURNS TABLE(result text, pass text, valid_seconds int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    s       record := yc.queue_session(p_session);
    v_secs  int := least(greatest(yc.queue_setting('read_pass_seconds', 300), 30), 3600);
    v_until bigint := extract(epoch FROM yc.now())::bigint + v_secs;
BEGIN
    IF NOT s.is_open THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM yc.audit_write(s.office_code, s.staff_no, s.window_no, 'read_pass',
        format('staff_session:%s/%s', s.office_code, p_session),
        NULL, jsonb_build_object('until', v_until), s.client);
    result := 'ok';
    pass := yc.read_pass_sign(p_session, v_until);
    valid_seconds := v_secs;
    RETURN NEXT;
END
$$;

-- Closed sessions of a staff member keep no binding.
CREATE OR REPLACE FUNCTION yc.session_unbind_closed(p_staff_no text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = yc, pg_temp AS $$
BEGIN
    DELETE FROM yc.session_binding b
     USING yc.staff_session ss
     WHERE ss.session_id = b.session_id AND ss.staff_no = p_staff_no
       AND ss.ended_at IS NOT NULL;
END
$$;

CREATE OR REPLACE FUNCTION yc.login(p_staff_no text, p_password text, p_window int, p_client text)
RETURNS TABLE(result text, session_id bigint, staff_no text, staff_name text, role text,
              office_code text, office_name text, office_tier text, window_no int,
              locked_until timestamptz, failures_left int, token text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    r       record;
    v_token text;
BEGIN
    SELECT l.* INTO r FROM yc.login_password(p_staff_no, p_password, p_window, p_client) l;
    result := r.result;
    session_id := r.session_id;
    staff_no := r.staff_no;
    staff_name := r.staff_name;
    role := r.role;
    office_code := r.office_code;
    office_name := r.office_name;
    office_tier := r.office_tier;
    window_no := r.window_no;
    locked_until := r.locked_until;
    failures_left := r.failures_left;
    IF r.result = 'ok' THEN
        v_token := replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
        UPDATE yc.staff_session ss
           SET token_hash = sha256(convert_to(v_token, 'UTF8'))
         WHERE ss.session_id = r.session_id;
        PERFORM yc.session_unbind_closed(r.staff_no);
        PERFORM yc.session_bind(r.session_id);
        token := v_token;
    END IF;
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.session_resume: binds this connection to a session opened on an
-- earlier one (the client reconnected), given the token yc.login returned.
-- Refused (no_session, audited as session_resume_failed) when the session
-- is unknown or closed, the token is wrong, or the account has been
-- disabled or locked since. Audited as session_resume.
-- result: ok | no_session
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.session_resume(p_session bigint, p_token text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v       yc.staff_session%ROWTYPE;
    s       yc.staff%ROWTYPE;
    v_why   text;
BEGIN
    SELECT ss.* INTO v FROM yc.staff_session ss
     WHERE ss.session_id = p_session AND ss.ended_at IS NULL
       FOR UPDATE;
    IF NOT FOUND THEN
        v_why := 'no_session';
    ELSIF v.token_hash IS NULL OR p_token IS NULL
          OR sha256(convert_to(p_token, 'UTF8')) <> v.token_hash THEN
        v_why := 'bad_token';
    ELSE
        SELECT st.* INTO s FROM yc.staff st WHERE st.staff_no = v.staff_no;
        IF NOT s.active THEN
            v_why := 'disabled';
        ELSIF s.locked_until > now() THEN
            v_why := 'locked';
        END IF;
    END IF;
    IF v_why IS NOT NULL THEN
        PERFORM yc.audit_write(coalesce(v.office_code, '000000'), v.staff_no, v.window_no,
            'session_resume_failed',
            CASE WHEN v.session_id IS NULL THEN format('staff_session:%s', p_session)
                 ELSE format('staff_session:%s/%s', v.office_code, v.session_id) END,
            NULL, jsonb_build_object('reason', v_why), v.client);
        RETURN 'no_session';
    END IF;
    PERFORM yc.session_bind(v.session_id);
    PERFORM yc.audit_write(v.office_code, v.staff_no, v.window_no, 'session_resume',
        format('staff_session:%s/%s', v.office_code, v.session_id), NULL,
        jsonb_build_object('backend_pid', pg_catalog.pg_backend_pid()), v.client);
    RETURN 'ok';
END
$$;

CREATE OR REPLACE FUNCTION yc.logout(p_session_id bigint, p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
BEGIN
    IF NOT yc.session_bound(p_session_id) THEN
        PERFORM yc.session_refused(p_session_id, 'logout');
        RETURN;
    END IF;
    PERFORM yc.logout_session(p_session_id, p_reason);
    DELETE FROM yc.session_binding b WHERE b.session_id = p_session_id;
END
$$;

CREATE OR REPLACE FUNCTION yc.screen_lock(p_session_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
BEGIN
    IF NOT yc.session_bound(p_session_id) THEN
        PERFORM yc.session_refused(p_session_id, 'screen_lock');
        RETURN;
    END IF;
    PERFORM yc.screen_lock_session(p_session_id);
END
$$;

CREATE OR REPLACE FUNCTION yc.screen_unlock(p_session_id bigint, p_password text)
RETURNS TABLE(result text, locked_until timestamptz, failures_left int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
BEGIN
    IF NOT yc.session_bound(p_session_id) THEN
        PERFORM yc.session_refused(p_session_id, 'screen_unlock');
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY SELECT u.result, u.locked_until, u.failures_left
                   FROM yc.screen_unlock_session(p_session_id, p_password) u;
END
$$;

-------------------------------------------------------------------------------
-- Jurisdiction
-------------------------------------------------------------------------------

-- Whether an office is the actor's or below it (at any depth: the prefix
-- rule).
CREATE OR REPLACE FUNCTION yc.office_in_jurisdiction(a yc.case_actor, p_office text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT a.office_code IS NOT NULL AND p_office IS NOT NULL
       AND left(p_office, length(a.office_code)) = a.office_code;
$$;

-- The 全市通办 scope of an office: the code prefix of the offices where a
-- case of its scope waiting for 补正 may be continued (seed 001 item 22):
-- its prefecture (the first 4 digits) by default, its county (6) under the
-- setting tongban_scope = county; an office above that level is its own
-- scope (its jurisdiction covers it anyway).
CREATE OR REPLACE FUNCTION yc.tongban_scope(p_office text) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT left(p_office,
                CASE (SELECT s.value FROM yc.setting s WHERE s.key = 'tongban_scope')
                     WHEN 'county' THEN 6 ELSE 4 END);
$$;

-- Whether the actor may see (and, as the functions allow, work on) a case:
-- of the actor's jurisdiction; or waiting for 补正 in the actor's 全市通办
-- scope; or of that scope and worked on by an office of the actor's
-- jurisdiction (an event of the case names it: intake, 补正, supply). The
-- events are read by the case's primary key.
CREATE OR REPLACE FUNCTION yc.case_visible(a yc.case_actor, c yc.service_case) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    IF a.office_code IS NULL OR c.case_no IS NULL THEN
        RETURN false;
    END IF;
    IF yc.office_in_jurisdiction(a, c.office_code) THEN
        RETURN true;
    END IF;
    IF a.scope IS NULL OR left(c.office_code, length(a.scope)) <> a.scope THEN
        RETURN false;
    END IF;
    IF c.status = 'pending_supplement' THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT 1 FROM yc.case_event e
                    WHERE e.office_code = c.office_code AND e.case_no = c.case_no
                      AND yc.office_in_jurisdiction(a, e.detail ->> 'office_code'));
END
$$;

-- The offices of the open sessions bound to this connection (row-level
-- security; granted: it tells a connection only about itself).
CREATE OR REPLACE FUNCTION yc.connection_offices() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT ss.office_code), '{}')
      FROM yc.session_binding b
      JOIN yc.staff_session ss ON ss.session_id = b.session_id AND ss.ended_at IS NULL
     WHERE b.backend_pid = pg_catalog.pg_backend_pid()
       AND b.backend_start = yc.backend_start();
$$;

-- Whether a session bound to this connection may see the case.
CREATE OR REPLACE FUNCTION yc.case_visible_here(c yc.service_case) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM yc.session_binding b
          JOIN yc.staff_session ss ON ss.session_id = b.session_id AND ss.ended_at IS NULL
         WHERE b.backend_pid = pg_catalog.pg_backend_pid()
           AND b.backend_start = yc.backend_start()
           AND yc.case_visible(yc.case_actor(b.session_id), c));
END
$$;

-- The documents say when their dates are provisional: yc.case_document
-- (0009) with two more keys for the case behind p_key, when it has data:
--   calendar_provisional (bool)  the promised date (when counted in working
--                                days: not a limit in months), an open
--                                stage's or a deferred material's due date
--                                is in a provisional year
--   calendar_years               those years, e.g. "2027" ("2027、2028")
CREATE OR REPLACE FUNCTION yc.case_document(p_key text, p_template text) RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    c       yc.service_case%ROWTYPE;
    v_data  jsonb;
    v_years text;
BEGIN
    IF left(p_key, 1) = 'N' THEN
        SELECT sc.* INTO c FROM yc.notice nt
          JOIN yc.service_case sc ON sc.office_code = nt.office_code AND sc.case_no = nt.case_no
         WHERE nt.notice_no = p_key;
    ELSE
        SELECT sc.* INTO c FROM yc.service_case sc WHERE sc.case_no = p_key;
    END IF;
    IF NOT yc.connection_trusted() AND (c.case_no IS NULL OR NOT yc.case_visible_here(c)) THEN
        RETURN NULL;
    END IF;
    v_data := yc.case_document_data(p_key, p_template);
    IF v_data IS NULL OR v_data ? 'refused' OR c.case_no IS NULL THEN
        RETURN v_data;
    END IF;
    SELECT string_agg(y::text, '、' ORDER BY y) INTO v_years
      FROM (SELECT DISTINCT extract(year FROM d.due)::int AS y
              FROM (SELECT c.promised_date AS due	-- counted in working days
                     WHERE coalesce(c.limit_days, 0) > 0 OR c.suspended_days > 0
                    UNION ALL
                    SELECT st.due_date FROM yc.case_stage st
                     WHERE st.office_code = c.office_code AND st.case_no = c.case_no
                       AND st.finished_at IS NULL
                    UNION ALL
                    SELECT cm.due_date FROM yc.case_material cm
                     WHERE cm.office_code = c.office_code AND cm.case_no = c.case_no
                       AND cm.state = 'deferred') d
             WHERE d.due IS NOT NULL AND yc.date_provisional(d.due)) ys;
    RETURN v_data || jsonb_build_object('calendar_provisional', v_years IS NOT NULL,
                                        'calendar_years', coalesce(v_years, ''));
END
$$;

-- Tickets: the session's own office.
DROP POLICY IF EXISTS ticket_own_office ON yc.ticket;
CREATE POLICY ticket_own_office ON yc.ticket FOR SELECT TO yichuang_app
    USING (office_code IN (SELECT j.code FROM unnest(yc.connection_offices()) j(code)));

-- Cases and their rows: the session's office and the offices below it.
DROP POLICY IF EXISTS service_case_jurisdiction ON yc.service_case;
CREATE POLICY service_case_jurisdiction ON yc.service_case FOR SELECT TO yichuang_app
    USING (EXISTS (SELECT 1 FROM unnest((SELECT yc.connection_offices())) j(code)
                    WHERE left(office_code, length(j.code)) = j.code));

DROP POLICY IF EXISTS case_event_jurisdiction ON yc.case_event;
CREATE POLICY case_event_jurisdiction ON yc.case_event FOR SELECT TO yichuang_app
    USING (EXISTS (SELECT 1 FROM unnest((SELECT yc.connection_offices())) j(code)
                    WHERE left(office_code, length(j.code)) = j.code));

DROP POLICY IF EXISTS notice_jurisdiction ON yc.notice;
CREATE POLICY notice_jurisdiction ON yc.notice FOR SELECT TO yichuang_app
    USING (EXISTS (SELECT 1 FROM unnest((SELECT yc.connection_offices())) j(code)
                    WHERE left(office_code, length(j.code)) = j.code));

DROP POLICY IF EXISTS case_material_jurisdiction ON yc.case_material;
CREATE POLICY case_material_jurisdiction ON yc.case_material FOR SELECT TO yichuang_app
    USING (EXISTS (SELECT 1 FROM unnest((SELECT yc.connection_offices())) j(code)
                    WHERE left(office_code, length(j.code)) = j.code));

DROP POLICY IF EXISTS case_stage_jurisdiction ON yc.case_stage;
CREATE POLICY case_stage_jurisdiction ON yc.case_stage FOR SELECT TO yichuang_app
    USING (EXISTS (SELECT 1 FROM unnest((SELECT yc.connection_offices())) j(code)
                    WHERE left(office_code, length(j.code)) = j.code));

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.backend_start() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.connection_trusted() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_bound(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_bind(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_refused(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_unbind_closed(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_check(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_read_pass(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.read_pass_sign(bigint, bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.read_pass_valid(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.login(text, text, integer, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.session_resume(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.logout(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.screen_lock(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.screen_unlock(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_in_jurisdiction(yc.case_actor, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.tongban_scope(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_visible(yc.case_actor, yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.connection_offices() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_visible_here(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_document(text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.login(text, text, integer, text),
    yc.session_resume(bigint, text),
    yc.session_check(bigint),
    yc.session_read_pass(bigint),
    yc.logout(bigint, text),
    yc.screen_lock(bigint),
    yc.screen_unlock(bigint, text),
    yc.connection_offices(),
    yc.case_document(text, text)
  TO yichuang_app;
