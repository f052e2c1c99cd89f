-- 0041_ticket_partitions: tickets partitioned by month, as the audit log
-- and the case events are since 0039 (issue 18; README "Partitioned
-- history and retention").
--
-- A hall issues a ticket for every visit and keeps it: yc.ticket only
-- grows. It becomes a table PARTITION BY RANGE (day), one partition per
-- calendar month (the ticket's day is already the day in China), named
-- yc.ticket_YYYYMM, FROM the 1st TO the next month's 1st, and a DEFAULT
-- partition (yc.ticket_default) for a ticket of a month that has none
-- yet. `yichuang jobs run` makes the months ahead and moves what landed in
-- DEFAULT (db/functions/history.sql). Tickets are never dropped: cases
-- and ratings refer to them, and the reports of any past month read them.
--
-- * Every row, column (in its order), default, CHECK, foreign key, index,
--   trigger, policy and grant is kept; ticket_id keeps counting from where
--   it was. fillfactor 70 (0034) is each partition's: a partitioned table
--   has no storage of its own.
-- * A primary key of a partitioned table must contain the partition key:
--   ticket_pkey becomes (office_code, ticket_id, day). ticket_id stays
--   unique because its identity sequence alone gives it (GENERATED
--   ALWAYS; only the owner could override it). A lookup by (office_code,
--   ticket_id) still finds the ticket through that key's index in each
--   partition; the queue's own statements say the day as well, and a
--   call's go through yc.ticket_recent (the months around today, below),
--   so that their cached plans hold a few partitions and not every month.
-- * A foreign key to a partitioned table names its whole key: the rows
--   that refer to a ticket carry its day. yc.ticket_queue has it already
--   (day; kept by a trigger, not a foreign key, below); yc.service_case
--   and yc.appointment get ticket_day, set with
--   ticket_id (both or neither, by a CHECK: a key with a NULL column is
--   not checked at all); yc.window_state gets current_ticket_day with
--   current_ticket_id (window_state_current says both or neither). The
--   job moving tickets out of DEFAULT replays them in replica mode, where
--   these keys are not checked (db/functions/history.sql): deferring them
--   would not do, PostgreSQL looks for a deleted key again in its
--   partition only.
-- * The functions taking or returning the old table's row type are dropped
--   here: db/functions defines them again (this db migrate applies it
--   right after the migrations, whatever its checksum says), as it does
--   the triggers of yc.ticket (queue.sql) and its policy (jurisdiction.sql).
--   Row-level security is enabled here, so until then the application
--   reads no ticket rather than every ticket.
-- * Logical replication: yc.ticket is in yc_province again, published
--   through the partition root (0039 set publish_via_partition_root). A
--   province database subscribed before this migration must refresh its
--   subscriptions after it (README "Databases": ALTER SUBSCRIPTION ...
--   REFRESH PUBLICATION WITH (copy_data = false)), since its own
--   yc.ticket is a new table too.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- What refers to the old table by its key or its row type goes first.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.conname, c.conrelid::regclass AS rel FROM pg_catalog.pg_constraint c
              WHERE c.confrelid = 'yc.ticket'::regclass AND c.contype = 'f' LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.rel, r.conname);
    END LOOP;
    FOR r IN SELECT d.objid::regprocedure AS fn FROM pg_catalog.pg_depend d
              WHERE d.refclassid = 'pg_catalog.pg_type'::regclass
                AND d.refobjid = 'yc.ticket'::regtype
                AND d.classid = 'pg_catalog.pg_proc'::regclass LOOP
        EXECUTE format('DROP FUNCTION %s', r.fn);
    END LOOP;
END
$$;

-- The window's state is set from the ticket row now (its id and day).
DROP FUNCTION IF EXISTS yc.queue_window_set(text, integer, bigint, timestamp with time zone);

-- The old table steps aside: its name, its constraints' and indexes' and
-- its sequence's are taken by the new one.
ALTER TABLE yc.ticket RENAME TO ticket_unpartitioned;
ALTER TABLE yc.ticket_unpartitioned RENAME CONSTRAINT ticket_pkey TO ticket_unpartitioned_pkey;
ALTER TABLE yc.ticket_unpartitioned
    RENAME CONSTRAINT ticket_office_code_day_number_key TO ticket_unpartitioned_number_key;
ALTER INDEX yc.ticket_person_idx RENAME TO ticket_unpartitioned_person_idx;
ALTER SEQUENCE yc.ticket_ticket_id_seq RENAME TO ticket_unpartitioned_ticket_id_seq;

CREATE TABLE yc.ticket (
    office_code    text   NOT NULL,
    ticket_id      bigint GENERATED ALWAYS AS IDENTITY,
    day            date   NOT NULL,
    class          text   NOT NULL,
    seq            int    NOT NULL,
    number         text   NOT NULL,
    status         text   NOT NULL DEFAULT 'waiting',
    window_no      int,
    id_no          text,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    called_at      timestamptz,
    started_at     timestamptz,
    finished_at    timestamptz,
    has_id         boolean NOT NULL DEFAULT false,
    recalls        int     NOT NULL DEFAULT 0,
    last_called_at timestamptz,
    transfer_to    int,
    appointment_code text,
    slot_start     timestamptz,
    slot_end       timestamptz,
    CONSTRAINT ticket_pkey PRIMARY KEY (office_code, ticket_id, day),
    -- the calling board shows the number: never twice in one office and day
    CONSTRAINT ticket_office_code_day_number_key UNIQUE (office_code, day, number),
    CONSTRAINT ticket_office_code_fkey FOREIGN KEY (office_code) REFERENCES yc.office (code),
    CONSTRAINT ticket_id_no_fkey FOREIGN KEY (id_no) REFERENCES yc.person (id_no),
    CONSTRAINT ticket_office_code_window_no_fkey FOREIGN KEY (office_code, window_no)
        REFERENCES yc.service_window (office_code, window_no),
    CONSTRAINT ticket_transfer_window FOREIGN KEY (office_code, transfer_to)
        REFERENCES yc.service_window (office_code, window_no),
    CONSTRAINT ticket_class_check
        CHECK (class IN ('normal', 'priority', 'green', 'appointment')),
    CONSTRAINT ticket_seq_check CHECK (seq > 0),
    CONSTRAINT ticket_number_check CHECK (number ~ '^[A-Z][0-9]{3,}$'),
    CONSTRAINT ticket_number_of_seq CHECK (number =
        CASE class WHEN 'normal' THEN 'A' WHEN 'priority' THEN 'B' WHEN 'green' THEN 'G' ELSE 'Y' END
        || CASE WHEN seq < 1000 THEN lpad(seq::text, 3, '0') ELSE seq::text END),
    CONSTRAINT ticket_status_check
        CHECK (status IN ('waiting', 'called', 'serving', 'held', 'served', 'no_show', 'cancelled')),
    CONSTRAINT ticket_recalls_check CHECK (recalls >= 0),
    CONSTRAINT ticket_open_not_finished
        CHECK (status NOT IN ('waiting', 'called', 'serving', 'held') OR finished_at IS NULL),
    CONSTRAINT ticket_closed_finished
        CHECK (status NOT IN ('served', 'no_show', 'cancelled') OR finished_at IS NOT NULL),
    CONSTRAINT ticket_called_at_window
        CHECK (status <> 'called' OR (called_at IS NOT NULL AND window_no IS NOT NULL)),
    -- a green-channel ticket may go to a window without being called
    CONSTRAINT ticket_serving_at_window
        CHECK (status NOT IN ('serving', 'served') OR (started_at IS NOT NULL AND window_no IS NOT NULL)),
    CONSTRAINT ticket_times_order CHECK (
        (called_at IS NULL OR called_at >= issued_at)
        AND (started_at IS NULL OR started_at >= issued_at)
        AND (finished_at IS NULL OR finished_at >= issued_at)),
    CONSTRAINT ticket_transfer_waiting CHECK (transfer_to IS NULL OR status = 'waiting'),
    CONSTRAINT ticket_appointment_slot CHECK (
        class <> 'appointment'
        OR (appointment_code IS NOT NULL AND slot_start IS NOT NULL AND slot_end IS NOT NULL))
) PARTITION BY RANGE (day);
CREATE INDEX ticket_person_idx ON yc.ticket (id_no) WHERE id_no IS NOT NULL;

-- The partitions: the months of the tickets, this month and three ahead,
-- and DEFAULT. Same names, bounds and storage as yc.history_partition_make
-- (db/functions/history.sql).
DO $$
DECLARE
    m date;
BEGIN
    FOR m IN SELECT date_trunc('month', t.day)::date FROM yc.ticket_unpartitioned t
             UNION
             SELECT (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')
                     + make_interval(months => k))::date FROM generate_series(0, 3) k
             ORDER BY 1 LOOP
        EXECUTE format('CREATE TABLE yc.%I PARTITION OF yc.ticket FOR VALUES FROM (%L) TO (%L) '
                       'WITH (fillfactor = 70)',
                       'ticket_' || to_char(m, 'YYYYMM'), m, (m + interval '1 month')::date);
    END LOOP;
    CREATE TABLE yc.ticket_default PARTITION OF yc.ticket DEFAULT WITH (fillfactor = 70);
END
$$;

INSERT INTO yc.ticket OVERRIDING SYSTEM VALUE SELECT * FROM yc.ticket_unpartitioned;

-- ticket_id goes on from the old sequence (or the largest id, if larger).
DO $$
DECLARE
    v_last   bigint;
    v_called boolean;
    v_max    bigint;
BEGIN
    SELECT s.last_value, s.is_called INTO v_last, v_called
      FROM yc.ticket_unpartitioned_ticket_id_seq s;
    SELECT max(u.ticket_id) INTO v_max FROM yc.ticket_unpartitioned u;
    IF v_max IS NOT NULL AND (v_max > v_last OR NOT v_called) THEN
        v_last := greatest(v_last, v_max);
        v_called := true;
    END IF;
    PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence('yc.ticket', 'ticket_id'),
                              v_last, v_called);
END
$$;

-- The rows that refer to a ticket carry its day.
ALTER TABLE yc.service_case ADD COLUMN ticket_day date;
UPDATE yc.service_case sc SET ticket_day = t.day
  FROM yc.ticket t WHERE t.office_code = sc.office_code AND t.ticket_id = sc.ticket_id;
ALTER TABLE yc.service_case
    ADD CONSTRAINT service_case_ticket FOREIGN KEY (office_code, ticket_id, ticket_day)
        REFERENCES yc.ticket (office_code, ticket_id, day),
    ADD CONSTRAINT service_case_ticket_day CHECK ((ticket_id IS NULL) = (ticket_day IS NULL));

ALTER TABLE yc.appointment ADD COLUMN ticket_day date;
UPDATE yc.appointment ap SET ticket_day = t.day
  FROM yc.ticket t WHERE t.office_code = ap.office_code AND t.ticket_id = ap.ticket_id;
ALTER TABLE yc.appointment
    ADD CONSTRAINT appointment_ticket FOREIGN KEY (office_code, ticket_id, ticket_day)
        REFERENCES yc.ticket (office_code, ticket_id, day),
    ADD CONSTRAINT appointment_ticket_day CHECK ((ticket_id IS NULL) = (ticket_day IS NULL));

-- The queue table keeps no foreign key to the tickets: PostgreSQL checks
-- a key to a partitioned table with a cached plan on its parent, which
-- locks every month's partition for each ticket issued (measured: issuing
-- a third slower with 17 months). Its rows are the trigger's
-- (yc.ticket_queue_sync, db/functions/queue.sql: it writes them from the
-- ticket's own row, and deletes them with the ticket), and no role but
-- the owner may write the table.

-- A window's current ticket by its whole key. A state row naming a ticket
-- that is not there (none could be written so; a row from before any
-- check) is left serving nothing.
ALTER TABLE yc.window_state ADD COLUMN current_ticket_day date;
UPDATE yc.window_state ws SET current_ticket_day = t.day
  FROM yc.ticket t WHERE t.office_code = ws.office_code AND t.ticket_id = ws.current_ticket_id;
UPDATE yc.window_state ws SET state = 'idle', current_ticket_id = NULL
 WHERE ws.current_ticket_id IS NOT NULL AND ws.current_ticket_day IS NULL;
ALTER TABLE yc.window_state DROP CONSTRAINT window_state_current;
ALTER TABLE yc.window_state ADD CONSTRAINT window_state_current
    CHECK ((state = 'serving') = (current_ticket_id IS NOT NULL)
           AND (current_ticket_id IS NULL) = (current_ticket_day IS NULL));

-- Grants, comment, row-level security and publications as the old table
-- had them; then the old table goes.
DO $$
DECLARE
    g     record;
    p     record;
    v_old oid := 'yc.ticket_unpartitioned'::regclass;
BEGIN
    FOR g IN
        SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                    ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee,
               a.privilege_type, a.is_grantable
          FROM pg_catalog.pg_class c, aclexplode(c.relacl) a
         WHERE c.oid = v_old AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('GRANT %s ON yc.ticket TO %s%s', g.privilege_type, g.grantee,
                       CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
    IF pg_catalog.obj_description(v_old, 'pg_class') IS NOT NULL THEN
        EXECUTE format('COMMENT ON TABLE yc.ticket IS %L', pg_catalog.obj_description(v_old, 'pg_class'));
    END IF;
    ALTER TABLE yc.ticket ENABLE ROW LEVEL SECURITY;
    FOR p IN
        SELECT pub.pubname FROM pg_catalog.pg_publication_rel pr
          JOIN pg_catalog.pg_publication pub ON pub.oid = pr.prpubid
         WHERE pr.prrelid = v_old
    LOOP
        EXECUTE format('ALTER PUBLICATION %I DROP TABLE yc.ticket_unpartitioned', p.pubname);
        EXECUTE format('ALTER PUBLICATION %I ADD TABLE yc.ticket', p.pubname);
        EXECUTE format('ALTER PUBLICATION %I SET (publish_via_partition_root = true)', p.pubname);
    END LOOP;
END
$$;

DROP TABLE yc.ticket_unpartitioned;

-- The months a call reads its tickets in, as constants in a view, so that
-- a cached plan through it holds their partitions only (a generic plan on
-- yc.ticket holds every month's: db/functions/queue.sql, "THE STATEMENTS
-- ON yc.ticket THAT A CALL RUNS"). One row: [lo, hi), the real clock's
-- month and the next (today is within them until the job, which runs
-- daily, moves them on: yc.history_recent, db/functions/history.sql).
-- For the owner's functions only.
CREATE TABLE yc.ticket_recent_range (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    lo  date NOT NULL,
    hi  date NOT NULL,
    CONSTRAINT ticket_recent_range_order CHECK (lo < hi)
);
REVOKE ALL ON yc.ticket_recent_range FROM PUBLIC;
INSERT INTO yc.ticket_recent_range (lo, hi)
SELECT m, (m + interval '2 months')::date
  FROM (SELECT date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date AS m) x;
DO $$
DECLARE
    r yc.ticket_recent_range%ROWTYPE;
BEGIN
    SELECT * INTO r FROM yc.ticket_recent_range;
    EXECUTE format('CREATE VIEW yc.ticket_recent AS SELECT * FROM yc.ticket WHERE day >= %L::date AND day < %L::date',
                   r.lo, r.hi);
END
$$;
REVOKE ALL ON yc.ticket_recent FROM PUBLIC;

-- The queue's functions, triggers and policy are db/functions': apply
-- them again in this db migrate, whatever the files' checksum says.
DELETE FROM public.schema_migrations WHERE version = 'functions';
