-- 0009_jurisdiction: what a signed-in clerk may see and change, enforced by
-- the database, and sessions that cannot be borrowed.
--
-- Every workstation, kiosk and board connects as the one role yichuang_app,
-- so the role alone says nothing about who is asking. Two rules close that:
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
--    of a superuser or of a role outside yichuang_app (the owner, an
--    administrator's role) are trusted with any session id: such a role
--    can read and write the tables anyway.
--
-- 2. Jurisdiction. A session sees the tickets of its own office, and the
--    cases of its office and the offices below it (a lower office's code
--    extends its parent's: the prefix rule; the city centre, 6 digits,
--    thus sees the whole city). Beyond that, 全市通办: a case waiting for
--    补正 (pending_supplement) is found and continued at any office of its
--    city, and an office that has worked on a case (an event of the case
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

-------------------------------------------------------------------------------
-- Session binding
-------------------------------------------------------------------------------

ALTER TABLE yc.staff_session ADD COLUMN token_hash bytea;  -- sha256 of the token yc.login returned

CREATE TABLE yc.session_binding (
    backend_pid   int         NOT NULL,
    backend_start timestamptz NOT NULL,
    session_id    bigint      NOT NULL REFERENCES yc.staff_session (session_id) ON DELETE CASCADE,
    bound_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (backend_pid, backend_start, session_id)
);
CREATE INDEX session_binding_session_idx ON yc.session_binding (session_id);
COMMENT ON TABLE yc.session_binding IS
    'which database connection (backend pid + start) may use which staff session';
REVOKE ALL ON yc.session_binding FROM PUBLIC;

-------------------------------------------------------------------------------
-- yc.login: the password check of 0002 (now yc.login_password, internal),
-- then the new session's token and its binding to this connection.
-- token: 64 hex characters (two random UUIDs, 244 random bits); only its
-- SHA-256 is stored. The client keeps it to call yc.session_resume after a
-- reconnect, and never shows or logs it.
-------------------------------------------------------------------------------

-------------------------------------------------------------------------------
-- yc.logout, yc.screen_lock, yc.screen_unlock: those of 0002 (renamed,
-- internal), for the connection bound to the session only. On another
-- connection an open session is left alone (audited as session_refused):
-- logout and lock are no-ops, unlock answers no_session.
-------------------------------------------------------------------------------

-------------------------------------------------------------------------------
-- yc.case_document: the document data of 0006 (now yc.case_document_data,
-- internal) for a case a session bound to this connection may see; NULL
-- (as for an unknown number) otherwise. A trusted connection (the
-- administrator's `yichuang print --case/--notice`) prints any case.
-------------------------------------------------------------------------------

-------------------------------------------------------------------------------
-- Row-level security on what the application role may SELECT directly: no
-- bound session, no row. (SECURITY DEFINER functions run as the tables'
-- owner, which row-level security does not restrict.)
-------------------------------------------------------------------------------
ALTER TABLE yc.ticket ENABLE ROW LEVEL SECURITY;
ALTER TABLE yc.service_case ENABLE ROW LEVEL SECURITY;
ALTER TABLE yc.case_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE yc.notice ENABLE ROW LEVEL SECURITY;
ALTER TABLE yc.case_material ENABLE ROW LEVEL SECURITY;
ALTER TABLE yc.case_stage ENABLE ROW LEVEL SECURITY;

-------------------------------------------------------------------------------
-- Sessions open before this migration have no token and no binding: they
-- are closed (the clerks sign in again).
-------------------------------------------------------------------------------
DO $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT ss.office_code, ss.session_id FROM yc.staff_session ss
              WHERE ss.ended_at IS NULL AND ss.token_hash IS NULL
              ORDER BY ss.session_id
    LOOP
        PERFORM yc.session_close(v.office_code, v.session_id, 'upgrade');
    END LOOP;
END
$$;

-------------------------------------------------------------------------------
-- Privileges
-------------------------------------------------------------------------------

