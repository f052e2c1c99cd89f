-- 0002_auth: pgcrypto and the demo account list; the password hashing,
-- sign-in, sign-out and screen lock functions are in db/functions/auth.sql.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- pgcrypto may already be installed (in any schema) on a shared server; if
-- not, install it in public (db/functions/auth.sql wraps it).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = 'pgcrypto') THEN
        CREATE EXTENSION pgcrypto SCHEMA public;
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- Demo accounts, listed on the login screen of a demo installation only.
-------------------------------------------------------------------------------
CREATE TABLE yc.demo_account (
    staff_no text PRIMARY KEY REFERENCES yc.staff (staff_no) ON DELETE CASCADE,
    sort     int  NOT NULL UNIQUE
);

-------------------------------------------------------------------------------
-- Privileges.
-------------------------------------------------------------------------------
REVOKE ALL ON yc.demo_account FROM PUBLIC;
