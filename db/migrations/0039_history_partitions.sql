-- 0039_history_partitions: the history that only grows is partitioned by
-- month (issue 18; README "Partitioned history and retention").
--
-- yc.audit_log and yc.case_event gain a row with nearly every action and
-- lose none. Each becomes a table PARTITION BY RANGE (at), one partition
-- per calendar month in China (Asia/Shanghai: [the 1st 00:00 +08, the
-- next month's 1st 00:00 +08)), named TABLE_YYYYMM (yc.audit_log_202612),
-- and a DEFAULT partition (TABLE_default) for a row of a month that has
-- none yet. A query that says when (the audit of an office for a month,
-- the daily and monthly reports) reads only the partitions of those
-- months; dropping a month of audit rows is dropping a table, not
-- deleting rows from an append-only log (db/functions/history.sql, run
-- by `yichuang jobs run`, which also makes the months ahead and moves
-- what landed in the DEFAULT partition to its month).
--
-- * Every row, column, default, CHECK, foreign key, index and grant is
--   kept; audit_id keeps counting from where it was (its identity sequence
--   continues from the old one's value, or the largest id if that is
--   larger). The old tables are copied and dropped in this transaction,
--   so the migration takes as long as writing their rows once.
-- * A primary key of a partitioned table must contain the partition key:
--   audit_log's becomes (office_code, audit_id, at), case_event's
--   (office_code, case_no, seq, at). Nothing refers to either by a
--   foreign key or names the old key in ON CONFLICT (db/functions,
--   tui/store). audit_id stays unique because the identity sequence alone
--   gives it (only the owner may insert, and none overrides it). A case's
--   event numbers stay unique through the trigger case_event_seq_unique
--   (db/functions/core.sql: it locks the case row, which every writer of
--   events holds already, and refuses a taken seq with 23505 as the old
--   key did); the lookups by case (office_code, case_no ORDER BY seq) use
--   the new key's index in each partition.
-- * The triggers (audit_log append-only, case_event_seq_unique) and the
--   row-level security policy of case_event are db/functions' (core.sql,
--   history.sql, jurisdiction.sql), which this db migrate applies again
--   right after the migrations: their recorded checksum is forgotten here,
--   so they are applied whatever the files' text. Row-level security
--   itself is enabled here, so until then the application role reads no
--   event at all rather than every event.
-- * Partitions: every month the rows have, the current month and the
--   three after it, and the DEFAULT partition. No role but the owner has
--   any privilege on a partition: the application reads through the
--   parent, whose grants and policies apply.
-- * Logical replication: a table that was in a publication is added to
--   it again, and every publication holding one of these tables, and
--   yc_province in any case, publishes through the partition root
--   (publish_via_partition_root), so a subscriber sees yc.audit_log and
--   yc.case_event and never a month's partition (the province's own
--   partitions are its own). Neither table is in yc_province (0035) today.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The old tables step aside: their names, their indexes' and the
-- sequence's are taken by the new ones.
ALTER TABLE yc.audit_log RENAME TO audit_log_unpartitioned;
ALTER INDEX yc.audit_log_pkey RENAME TO audit_log_unpartitioned_pkey;
ALTER INDEX yc.audit_log_at_idx RENAME TO audit_log_unpartitioned_at_idx;
ALTER INDEX yc.audit_log_staff_idx RENAME TO audit_log_unpartitioned_staff_idx;
ALTER SEQUENCE yc.audit_log_audit_id_seq RENAME TO audit_log_unpartitioned_audit_id_seq;
ALTER TABLE yc.case_event RENAME TO case_event_unpartitioned;
ALTER INDEX yc.case_event_pkey RENAME TO case_event_unpartitioned_pkey;

-- Audit log: append-only, for everyone including the owner and superusers
-- (triggers in db/functions/core.sql and history.sql). office_code
-- '000000' marks actions with no office.
CREATE TABLE yc.audit_log (
    office_code text   NOT NULL,
    audit_id    bigint GENERATED ALWAYS AS IDENTITY,
    at          timestamptz NOT NULL DEFAULT now(),
    staff_no    text,
    window_no   int,
    action      text NOT NULL,
    object      text,
    before      jsonb,
    after       jsonb,
    client      text,
    CONSTRAINT audit_log_office_code_check
        CHECK (office_code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}([0-9]{3}){0,2})$'),
    CONSTRAINT audit_log_action_check CHECK (action ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT audit_log_pkey PRIMARY KEY (office_code, audit_id, at)
) PARTITION BY RANGE (at);
CREATE INDEX audit_log_at_idx ON yc.audit_log (office_code, at);
CREATE INDEX audit_log_staff_idx ON yc.audit_log (staff_no, at);

CREATE TABLE yc.case_event (
    office_code text NOT NULL,
    case_no     text NOT NULL,
    seq         int  NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    staff_no    text,
    kind        text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT case_event_seq_check CHECK (seq > 0),
    CONSTRAINT case_event_kind_check CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT case_event_pkey PRIMARY KEY (office_code, case_no, seq, at),
    CONSTRAINT case_event_office_code_case_no_fkey FOREIGN KEY (office_code, case_no)
        REFERENCES yc.service_case (office_code, case_no),
    CONSTRAINT case_event_staff_no_fkey FOREIGN KEY (staff_no) REFERENCES yc.staff (staff_no)
) PARTITION BY RANGE (at);

-- The partitions: the months of the rows, this month and three ahead, and
-- DEFAULT. Same names and bounds as yc.history_partition_make
-- (db/functions/history.sql), which is not there yet on a new database.
DO $$
DECLARE
    t text;
    m date;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_log', 'case_event'] LOOP
        FOR m IN EXECUTE format(
            'SELECT (date_trunc(''month'', e.at AT TIME ZONE ''Asia/Shanghai''))::date FROM yc.%I e
             UNION
             SELECT (date_trunc(''month'', now() AT TIME ZONE ''Asia/Shanghai'')
                     + make_interval(months => k))::date FROM generate_series(0, 3) k
             ORDER BY 1', t || '_unpartitioned') LOOP
            EXECUTE format('CREATE TABLE yc.%I PARTITION OF yc.%I FOR VALUES FROM (%L) TO (%L)',
                t || '_' || to_char(m, 'YYYYMM'), t,
                m::timestamp AT TIME ZONE 'Asia/Shanghai',
                (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai');
        END LOOP;
        EXECUTE format('CREATE TABLE yc.%I PARTITION OF yc.%I DEFAULT', t || '_default', t);
    END LOOP;
END
$$;

-- The rows, each into its month.
INSERT INTO yc.audit_log (office_code, audit_id, at, staff_no, window_no, action, object,
                          before, after, client)
OVERRIDING SYSTEM VALUE
SELECT office_code, audit_id, at, staff_no, window_no, action, object, before, after, client
  FROM yc.audit_log_unpartitioned;

INSERT INTO yc.case_event (office_code, case_no, seq, at, staff_no, kind, detail)
SELECT office_code, case_no, seq, at, staff_no, kind, detail
  FROM yc.case_event_unpartitioned;

-- audit_id goes on from the old sequence (or the largest id, if larger).
DO $$
DECLARE
    v_last   bigint;
    v_called boolean;
    v_max    bigint;
BEGIN
    SELECT s.last_value, s.is_called INTO v_last, v_called
      FROM yc.audit_log_unpartitioned_audit_id_seq s;
    SELECT max(u.audit_id) INTO v_max FROM yc.audit_log_unpartitioned u;
    IF v_max IS NOT NULL AND (v_max > v_last OR NOT v_called) THEN
        v_last := greatest(v_last, v_max);
        v_called := true;
    END IF;
    PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence('yc.audit_log', 'audit_id'),
                              v_last, v_called);
END
$$;

-- Grants, comments, row-level security and publications as the old
-- tables had them; then the old tables go.
DO $$
DECLARE
    t   text;
    g   record;
    p   record;
    v_old oid;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_log', 'case_event'] LOOP
        v_old := format('yc.%I', t || '_unpartitioned')::regclass;
        FOR g IN
            SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                        ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee,
                   a.privilege_type, a.is_grantable
              FROM pg_catalog.pg_class c, aclexplode(c.relacl) a
             WHERE c.oid = v_old AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('GRANT %s ON yc.%I TO %s%s', g.privilege_type, t, g.grantee,
                           CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
        IF pg_catalog.obj_description(v_old, 'pg_class') IS NOT NULL THEN
            EXECUTE format('COMMENT ON TABLE yc.%I IS %L', t,
                           pg_catalog.obj_description(v_old, 'pg_class'));
        END IF;
        IF (SELECT c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = v_old) THEN
            EXECUTE format('ALTER TABLE yc.%I ENABLE ROW LEVEL SECURITY', t);
        END IF;
        IF (SELECT c.relforcerowsecurity FROM pg_catalog.pg_class c WHERE c.oid = v_old) THEN
            EXECUTE format('ALTER TABLE yc.%I FORCE ROW LEVEL SECURITY', t);
        END IF;
        FOR p IN
            SELECT pub.pubname FROM pg_catalog.pg_publication_rel pr
              JOIN pg_catalog.pg_publication pub ON pub.oid = pr.prpubid
             WHERE pr.prrelid = v_old
        LOOP
            EXECUTE format('ALTER PUBLICATION %I DROP TABLE yc.%I', p.pubname, t || '_unpartitioned');
            EXECUTE format('ALTER PUBLICATION %I ADD TABLE yc.%I', p.pubname, t);
            EXECUTE format('ALTER PUBLICATION %I SET (publish_via_partition_root = true)', p.pubname);
        END LOOP;
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'yc_province') THEN
        ALTER PUBLICATION yc_province SET (publish_via_partition_root = true);
    END IF;
END
$$;

DROP TABLE yc.audit_log_unpartitioned;
DROP TABLE yc.case_event_unpartitioned;

-- The setting the retention reads: audit rows are kept that many months
-- (whole months: a month's partition goes once all of it is older). Never
-- fewer than 6: 网络安全法 第二十一条 has network logs kept at least six
-- months; the guard refuses a smaller value and the job keeps 6 even so.
INSERT INTO yc.setting AS s (key, value, description, value_type, min_value, max_value,
                             default_value, description_zh, sort_order) VALUES
    ('audit_retention_months', '36',
     'months the audit log is kept; older whole months are dropped by yichuang jobs run (at least 6: Cybersecurity Law art. 21)',
     'int', 6, 1200, '36',
     '审计日志保留月数（yichuang jobs run 删除更早的整月；不得少于6个月，网络安全法第二十一条）', 140)
ON CONFLICT (key) DO UPDATE
    SET value_type = EXCLUDED.value_type, min_value = EXCLUDED.min_value,
        max_value = EXCLUDED.max_value, default_value = EXCLUDED.default_value,
        description = EXCLUDED.description, description_zh = EXCLUDED.description_zh,
        sort_order = EXCLUDED.sort_order;

-- The triggers and the policy of the new tables are db/functions': apply
-- them again in this db migrate, whatever the files' checksum says.
DELETE FROM public.schema_migrations WHERE version = 'functions';
