-- 0027_roles: no client reaches beyond its role (issue 19).
--
-- * yichuang_kiosk: the role of the ticket kiosks and calling boards. It
--   may use the schema and execute the functions a kiosk and a board call
--   (granted by db/functions/queue.sql and hours.sql: yc.queue_issue,
--   yc.queue_counts, yc.queue_recent_calls, yc.hours_today), nothing else:
--   no table, no sign-in, no staff list. It is no member of yichuang_app
--   (the workstations' role), so it neither sees the workstations' queries
--   in pg_stat_activity nor may signal their backends. On the private
--   cluster `yichuang db up` creates it with LOGIN; on a shared server the
--   DBA gives the kiosks' login role membership in it.
-- * The signal functions (pg_cancel_backend, pg_terminate_backend) are
--   taken from PUBLIC in this database, so that no role of the application
--   ends another connection of the same role; members of pg_signal_backend
--   (and superusers) keep them. Only a superuser may change that: a
--   migration run by a non-superuser owner leaves it and says so (NOTICE);
--   the README's security section says what the DBA does instead.
-- * Sign-in failures are counted per source (yc.login_throttle, see
--   db/functions/auth.sql): a stranger at one terminal locks an account at
--   that terminal only; login_lock_sources sources locked at once lock the
--   account itself.
-- * yc.session_close gains the payload of the NOTIFY that tells the
--   replaced session's screen (db/functions/auth.sql).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'yichuang_kiosk') THEN
        BEGIN
            CREATE ROLE yichuang_kiosk NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN
            NULL;  -- created concurrently by another session
        END;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA yc TO yichuang_kiosk;

DO $$
DECLARE
    f regprocedure;
    m record;
BEGIN
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE NOTICE 'not a superuser: pg_cancel_backend and pg_terminate_backend stay executable by PUBLIC';
        RETURN;
    END IF;
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace
                AND p.proname IN ('pg_cancel_backend', 'pg_terminate_backend')
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO pg_signal_backend', f);
    END LOOP;
    -- neither application role may signal, or read, other roles' backends
    FOR m IN SELECT r.rolname AS member, g.rolname AS grp
               FROM pg_catalog.pg_auth_members am
               JOIN pg_catalog.pg_roles r ON r.oid = am.member
               JOIN pg_catalog.pg_roles g ON g.oid = am.roleid
              WHERE r.rolname IN ('yichuang_app', 'yichuang_kiosk')
                AND g.rolname IN ('pg_signal_backend', 'pg_read_all_stats', 'pg_monitor')
    LOOP
        EXECUTE format('REVOKE %I FROM %I', m.grp, m.member);
    END LOOP;
END
$$;

-- Sign-in failures per (account, source); rows go with the account.
CREATE TABLE yc.login_throttle (
    staff_no     text NOT NULL REFERENCES yc.staff (staff_no) ON DELETE CASCADE,
    source       text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 200),
    failures     int  NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_no, source)
);
REVOKE ALL ON yc.login_throttle FROM PUBLIC;

INSERT INTO yc.setting (key, value, description, value_type, min_value, max_value,
                        default_value, description_zh, sort_order) VALUES
    ('login_lock_sources', '3',
     'terminals locked out of one account at the same time before the whole account is locked',
     'int', 1, 20, '3', '同一账号在几个终端被锁定后锁定整个账号', 25)
ON CONFLICT (key) DO NOTHING;

-- yc.session_close(text, bigint, text) becomes (text, bigint, text, text).
DROP FUNCTION IF EXISTS yc.session_close(text, bigint, text);
