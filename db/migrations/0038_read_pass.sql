-- 0038_read_pass: the supervisor's console reads from a hot standby
-- (issue 18). A standby can neither check that a session is bound to the
-- connection presenting it (the binding, yc.session_binding, names a
-- backend of the primary) nor audit a refusal. So the primary hands a
-- bound connection a read pass -- the session id and an expiry, signed
-- with HMAC-SHA-256 under this key -- which the client sets on its standby
-- connection (setting yc.read_pass); the standby's yc.session_bound
-- accepts the session while the pass is valid and the session open
-- (db/functions/jurisdiction.sql). The key reaches standbys with
-- everything else (physical replication); it is not in the province's
-- publication (0035), and no application role reads it.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE TABLE yc.read_pass_key (
    id  int   PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    key bytea NOT NULL CHECK (octet_length(key) >= 30)
);
REVOKE ALL ON yc.read_pass_key FROM PUBLIC, yichuang_app, yichuang_kiosk;
-- 244 random bits (two version-4 UUIDs, pg_strong_random)
INSERT INTO yc.read_pass_key (key)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

INSERT INTO yc.setting (key, value, description) VALUES
    ('read_pass_seconds', '300', 'seconds a read pass for a hot standby stays valid (30..3600)')
ON CONFLICT (key) DO NOTHING;
