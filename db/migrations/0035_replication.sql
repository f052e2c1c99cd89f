-- 0035_replication: the province database fed by logical replication
-- (issue 18; README "Databases").
--
-- * Publication yc_province: the rows the reports read that each office
--   produces — tickets, the window sessions, cases, notices, ratings,
--   appointments. Each table's primary key begins with office_code, so the
--   rows of different prefectures never collide in the province database;
--   that key is also each table's replica identity (UPDATE and DELETE
--   replicate). Reference data (offices, case types, calendar, settings)
--   is not published: the province database keeps its own, loaded as any
--   database is (db migrate, forms load, the office tree). Persons and
--   staff accounts (password hashes) stay in the prefecture.
--   Without wal_level = logical the publication exists and costs nothing;
--   without a subscription there is no slot and no WAL is kept for it.
-- * yichuang_publisher: SELECT on those tables, for the login role of the
--   province's subscriptions; that role also needs REPLICATION and, as the
--   tables have row-level security, BYPASSRLS (neither is inherited, so
--   the DBA gives them to the login role itself, see the README).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'yichuang_publisher') THEN
        BEGIN
            CREATE ROLE yichuang_publisher NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN
            NULL;  -- created concurrently by another session
        WHEN insufficient_privilege THEN
            RAISE NOTICE 'cannot create the role yichuang_publisher: the DBA creates it';
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'yichuang_publisher') THEN
        GRANT USAGE ON SCHEMA yc TO yichuang_publisher;
        GRANT SELECT ON yc.ticket, yc.staff_session, yc.service_case, yc.notice, yc.rating,
            yc.appointment TO yichuang_publisher;
    END IF;
END
$$;

CREATE PUBLICATION yc_province FOR TABLE yc.ticket, yc.staff_session, yc.service_case, yc.notice,
    yc.rating, yc.appointment;
