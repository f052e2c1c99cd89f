-- db/functions/history.sql: the monthly partitions of the history that
-- only grows (yc.audit_log, yc.case_event: migration 0039; yc.ticket:
-- 0041) and the retention of the audit log.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).
--
-- `yichuang jobs run [--date D]` calls yc.history_run(D) as the role
-- yichuang_jobs, in a transaction of its own (after yc.proactive_run's):
--
-- * A partition is one calendar month in China: yc.TABLE_YYYYMM holds
--   [the 1st 00:00 Asia/Shanghai, the next 1st 00:00) of at (audit_log,
--   case_event) or [the 1st, the next 1st) of day (ticket, whose day is
--   the day in China already); yc.TABLE_default holds the rows of a month
--   that had no partition when they came.
-- * Ahead: the month of D and the yc.history_ahead() (3) after it get
--   their partitions, and the month of now (where the run's own audit rows
--   go), so that rows always find their month while the job runs at
--   least once a quarter. Every month is made before the run writes any
--   audit row (a month cannot be made while DEFAULT holds rows of it). Rows in a DEFAULT partition (the job did not
--   run for months, or a test clock wrote in another year) are moved to
--   partitions of their months: the DEFAULT partition is detached, a new
--   empty one attached, the months created, the rows inserted again
--   through the parent (audit ids kept) and the old one dropped; one
--   audit row (history_default_move) per table says how many. A
--   partition of yc.ticket cannot be detached while rows refer to it
--   (cases, appointments, the queue), nor its rows deleted and inserted
--   again (PostgreSQL looks for the key again in that partition only):
--   they are copied aside, deleted and inserted through the parent (ids
--   kept) in replica mode, where no trigger or foreign key fires, so every
--   row is back as it was, under its month, and everything that referred
--   to it finds it. Only a superuser may set replica mode: when the owner
--   is none (a shared server), the tickets stay in DEFAULT and their
--   months get no partition (action kept, with how many; they are still
--   found, without pruning).
-- * Retention: an audit partition goes (DROP TABLE) once its whole month
--   is older than audit_retention_months (default 36) before D, i.e. its
--   upper bound is at or before D's midnight that many months earlier;
--   every row younger than that is kept, an older one at most a month
--   longer. Never fewer than 6 months (网络安全法 第二十一条): the setting
--   refuses a smaller value, and should one be stored anyway (the owner
--   writing the table), the run keeps 6 and says so (retention_clamped);
--   nor does the cutoff ever fall within the last 6 months of the real
--   clock (a run on a test clock years ahead keeps today's rows).
--   Each drop writes an audit row (audit_partition_drop: the partition,
--   its bounds, rows and first and last audit id; the months kept, the
--   cutoff) in the same transaction. Case events and tickets are never
--   dropped: a case's history is part of the case's record, and cases
--   and the reports of past months refer to the tickets.
-- * Every partition created writes an audit row (history_partition_create).
-- * yc.ticket_recent, the view a call reads its tickets through, is moved
--   on to the months around the real clock's (yc.history_recent).
-- * One run at a time (a transaction-level advisory lock, waited for);
--   DDL waits at most 10 s for a table lock (lock_timeout) so that a long
--   report holding yc.audit_log never queues every audited action behind
--   the job: the run then fails, nothing of it is kept, and the next run
--   does it (the months ahead leave three months to spare). On a day with
--   nothing to create, move or drop the run takes no lock stronger than a
--   read's.
-- * A day after today (yc.case_today, the test clock for a superuser)
--   gives one row, action future, and does nothing.
-- The trailing DO block gives the migration's audit partitions their
-- TRUNCATE guard (yc.audit_log_refuse did not exist when they were made).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The partitioned history tables, in the order the run treats them.
CREATE OR REPLACE FUNCTION yc.history_tables() RETURNS text[]
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT ARRAY['audit_log', 'case_event', 'ticket']::text[];
$$;

-- Whether the run may move tickets out of DEFAULT: it replays them in
-- replica mode, which only a superuser may set (the owner is one in the
-- product's own cluster; on a shared server it may not be).
CREATE OR REPLACE FUNCTION yc.history_replay_allowed() RETURNS boolean
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false);
$$;

-- The month (its 1st) of a row of yc.p_table, as an expression of the
-- row's alias e: what its partition key falls in.
CREATE OR REPLACE FUNCTION yc.history_month_of(p_table text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE p_table WHEN 'ticket' THEN 'date_trunc(''month'', e.day)::date'
                        ELSE '(date_trunc(''month'', e.at AT TIME ZONE ''Asia/Shanghai''))::date' END;
$$;

-- Months ahead of the day's month that get a partition.
CREATE OR REPLACE FUNCTION yc.history_ahead() RETURNS int
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT 3;
$$;

-- The start of month m (any day of it) in China.
CREATE OR REPLACE FUNCTION yc.history_month_start(m date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT date_trunc('month', m::timestamp) AT TIME ZONE 'Asia/Shanghai';
$$;

-- The month partitions of yc.p_table (not DEFAULT), with their bounds,
-- oldest first. A partition whose bounds are not a plain FROM ... TO of
-- timestamps (MINVALUE, MAXVALUE) is left out: the run never drops it.
-- (Only for the tables partitioned on at: a ticket's bounds are dates.)
CREATE OR REPLACE FUNCTION yc.history_partitions(p_table text)
RETURNS TABLE(part text, lower_at timestamptz, upper_at timestamptz)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT b.relname, b.m[1]::timestamptz, b.m[2]::timestamptz
      FROM (SELECT c.relname,
                   regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                                '^FOR VALUES FROM \(''([^'']+)''\) TO \(''([^'']+)''\)$') AS m
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = format('yc.%I', p_table)::regclass) b
     WHERE b.m IS NOT NULL
     ORDER BY 2;
$$;

-- The append-only guard of a partition of yc.audit_log: row triggers are
-- the parent's (cloned to every partition), a TRUNCATE trigger is not, so
-- each partition gets its own (fired even in replica mode).
CREATE OR REPLACE FUNCTION yc.history_guard(p_part text) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    EXECUTE format('CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON yc.%I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION yc.audit_log_refuse()', p_part);
    EXECUTE format('ALTER TABLE yc.%I ENABLE ALWAYS TRIGGER audit_log_no_truncate', p_part);
END
$$;

-- Creates the partition of yc.p_table for the month of m unless the
-- table has one of that name; true when it did (the caller audits it).
-- Raises when another partition overlaps the month, or when the DEFAULT
-- partition holds rows of it (yc.history_run sets those aside first).
CREATE OR REPLACE FUNCTION yc.history_partition_make(p_table text, m date)
RETURNS boolean
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_part text := p_table || '_' || to_char(m, 'YYYYMM');
BEGIN
    IF to_regclass(format('yc.%I', v_part)) IS NOT NULL THEN
        RETURN false;
    END IF;
    IF p_table = 'ticket' THEN
        -- fillfactor as 0034 set it: room on the page for HOT updates
        EXECUTE format('CREATE TABLE yc.%I PARTITION OF yc.ticket FOR VALUES FROM (%L) TO (%L) '
                       'WITH (fillfactor = 70)', v_part, date_trunc('month', m::timestamp)::date,
                       (date_trunc('month', m::timestamp) + interval '1 month')::date);
    ELSE
        EXECUTE format('CREATE TABLE yc.%I PARTITION OF yc.%I FOR VALUES FROM (%L) TO (%L)',
                       v_part, p_table, yc.history_month_start(m),
                       yc.history_month_start((date_trunc('month', m::timestamp) + interval '1 month')::date));
    END IF;
    IF p_table = 'audit_log' THEN
        PERFORM yc.history_guard(v_part);
    END IF;
    RETURN true;
END
$$;

-- Moves yc.ticket_recent (0041_ticket_partitions) to the real clock's
-- month and the next: a call finds today's tickets through it until the
-- next month has ended (the job runs daily; later, the calls read
-- yc.ticket itself, correct and slower). Two months and not more: a
-- cached plan through the view locks each of their partitions. Nothing when it
-- is there already; else the view is made again with the new constants
-- (the cached plans through it are made again once) and audited
-- (history_ticket_recent). By the real clock and not the run's day: the
-- hall calls now, and a run for a day in the past (a test's) must not
-- move it away from today.
CREATE OR REPLACE FUNCTION yc.history_recent() RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_m  date := date_trunc('month', pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::date;
    v_lo date := v_m;
    v_hi date := (v_m + interval '2 months')::date;
    r    yc.ticket_recent_range%ROWTYPE;
BEGIN
    SELECT * INTO r FROM yc.ticket_recent_range FOR UPDATE;
    IF r.lo = v_lo AND r.hi = v_hi THEN
        RETURN;
    END IF;
    EXECUTE format('CREATE OR REPLACE VIEW yc.ticket_recent AS SELECT * FROM yc.ticket '
                   'WHERE day >= %L::date AND day < %L::date', v_lo, v_hi);
    INSERT INTO yc.ticket_recent_range AS x (lo, hi) VALUES (v_lo, v_hi)
    ON CONFLICT (one) DO UPDATE SET lo = EXCLUDED.lo, hi = EXCLUDED.hi;
    PERFORM yc.audit_write('000000', NULL, NULL, 'history_ticket_recent', 'yc.ticket_recent',
        jsonb_build_object('from', r.lo, 'to', r.hi), jsonb_build_object('from', v_lo, 'to', v_hi),
        'yichuang jobs run');
END
$$;

-------------------------------------------------------------------------------
-- yc.history_run: the history step of the job for day p_day (NULL: today),
-- in one transaction (see the top). One row per thing done, in order:
--   action   created (a month's partition of tbl: part, month_of) |
--            moved (n_rows rows of tbl's DEFAULT partition into their
--            months) | kept (n_rows tickets stay in DEFAULT: the owner
--            may not replay them; their months were not made) | dropped (an audit partition past retention: part,
--            month_of, n_rows) | retention_clamped (the stored setting,
--            n_rows, is below 6: keep_months kept instead) | future
--            (p_day is after today: nothing done, no other row)
-- and last a row with action done: keep_months the months of audit log
-- kept, month_of the cutoff's day (partitions ending at or before its
-- midnight in China were dropped).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.history_run(p_day date)
RETURNS TABLE(action text, tbl text, part text, month_of date, n_rows bigint, keep_months int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_day     date := coalesce(p_day, yc.case_today());
    v_client  text := 'yichuang jobs run';
    v_set     int;
    v_keep    int;
    v_cutoff  timestamptz;
    v_months  date[];
    v_made    date[];
    v_month   date;
    v_n       bigint;
    v_first   bigint;
    v_last    bigint;
    v_moving  boolean;
    v_kept    boolean;
    v_held    date[];
    t         text;
    p         record;
BEGIN
    IF v_day > yc.case_today() THEN
        action := 'future';
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('yc.history_run'));
    PERFORM pg_catalog.set_config('lock_timeout', '10s', true);

    v_set := yc.queue_setting('audit_retention_months', 36);
    v_keep := greatest(v_set, 6);
    IF v_set < 6 THEN
        action := 'retention_clamped';
        n_rows := v_set;
        keep_months := v_keep;
        RETURN NEXT;
    END IF;

    FOREACH t IN ARRAY yc.history_tables() LOOP
        -- The months: the day's and those ahead, the month of now (where
        -- this run's own audit rows go), and those of the rows in DEFAULT,
        -- which is set aside first (a month cannot be created while
        -- DEFAULT holds rows of it). Every month is made before anything
        -- is written, the audit rows of this very run included.
        SELECT array_agg(DISTINCT m ORDER BY m) INTO v_months
          FROM (SELECT (date_trunc('month', v_day::timestamp) + make_interval(months => k))::date
                  FROM generate_series(0, yc.history_ahead()) k
                UNION ALL
                SELECT (date_trunc('month', pg_catalog.now() AT TIME ZONE 'Asia/Shanghai'))::date) x(m);
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM yc.%I)', t || '_default') INTO STRICT v_moving;
        v_kept := false;
        IF v_moving AND t = 'ticket' AND NOT yc.history_replay_allowed() THEN
            -- they stay, and their months get no partition
            v_kept := true;
            v_moving := false;
            SELECT count(*), array_agg(DISTINCT date_trunc('month', e.day)::date)
              INTO v_n, v_held FROM yc.ticket_default e;
            SELECT coalesce(array_agg(m ORDER BY m), '{}') INTO v_months
              FROM unnest(v_months) m WHERE m <> ALL (v_held);
        ELSIF v_moving AND t = 'ticket' THEN
            -- set aside and deleted, then inserted again as they were, in
            -- replica mode: no trigger or foreign key fires either time
            -- (the queue's rows and the keys of cases and appointments
            -- stay as they are and find the same rows again)
            CREATE TABLE yc.ticket_moving AS SELECT * FROM yc.ticket_default;
            PERFORM pg_catalog.set_config('session_replication_role', 'replica', true);
            DELETE FROM yc.ticket_default;
        ELSIF v_moving THEN
            EXECUTE format('ALTER TABLE yc.%I DETACH PARTITION yc.%I', t, t || '_default');
            EXECUTE format('ALTER TABLE yc.%I RENAME TO %I', t || '_default', t || '_moving');
            EXECUTE format('CREATE TABLE yc.%I PARTITION OF yc.%I DEFAULT', t || '_default', t);
            IF t = 'audit_log' THEN
                PERFORM yc.history_guard(t || '_default');
            END IF;
        END IF;
        IF v_moving THEN
            EXECUTE format('SELECT array_agg(DISTINCT m ORDER BY m) FROM (SELECT m FROM unnest($1) m
                              UNION ALL SELECT %s FROM yc.%I e) x', yc.history_month_of(t), t || '_moving')
                INTO STRICT v_months USING v_months;
        END IF;
        v_made := '{}';
        FOREACH v_month IN ARRAY v_months LOOP
            IF yc.history_partition_make(t, v_month) THEN
                v_made := v_made || v_month;
            END IF;
        END LOOP;
        IF v_moving THEN
            -- a partition has its parent's columns in its parent's order;
            -- audit ids are kept
            EXECUTE format('INSERT INTO yc.%I OVERRIDING SYSTEM VALUE SELECT * FROM yc.%I',
                           t, t || '_moving');
            GET DIAGNOSTICS v_n = ROW_COUNT;
            PERFORM pg_catalog.set_config('session_replication_role', 'origin', true);
            EXECUTE format('DROP TABLE yc.%I', t || '_moving');
        END IF;

        tbl := t;
        n_rows := NULL;
        FOREACH v_month IN ARRAY v_made LOOP
            part := t || '_' || to_char(v_month, 'YYYYMM');
            PERFORM yc.audit_write('000000', NULL, NULL, 'history_partition_create', 'yc.' || part,
                NULL, jsonb_build_object('table', 'yc.' || t, 'from', yc.history_month_start(v_month),
                    'to', yc.history_month_start((v_month + interval '1 month')::date), 'day', v_day),
                v_client);
            action := 'created';
            month_of := v_month;
            RETURN NEXT;
        END LOOP;
        IF v_moving THEN
            PERFORM yc.audit_write('000000', NULL, NULL, 'history_default_move', 'yc.' || t, NULL,
                jsonb_build_object('rows', v_n, 'day', v_day), v_client);
            action := 'moved';
            part := t || '_default';
            month_of := NULL;
            n_rows := v_n;
            RETURN NEXT;
        ELSIF v_kept THEN
            action := 'kept';
            part := t || '_default';
            month_of := NULL;
            n_rows := v_n;
            RETURN NEXT;
        END IF;
    END LOOP;

    -- the months a call reads through yc.ticket_recent, all made by now
    PERFORM yc.history_recent();

    -- Retention: whole audit months older than v_keep months before the
    -- day, and never any of the last 6 months by the real clock (a run on
    -- a test clock years ahead leaves today's rows alone).
    v_cutoff := least((v_day - make_interval(months => v_keep))::timestamp AT TIME ZONE 'Asia/Shanghai',
                      pg_catalog.now() - interval '6 months');
    tbl := 'audit_log';
    FOR p IN SELECT * FROM yc.history_partitions('audit_log') h WHERE h.upper_at <= v_cutoff LOOP
        EXECUTE format('SELECT count(*), min(a.audit_id), max(a.audit_id) FROM yc.%I a', p.part)
            INTO STRICT v_n, v_first, v_last;
        EXECUTE format('DROP TABLE yc.%I', p.part);
        PERFORM yc.audit_write('000000', NULL, NULL, 'audit_partition_drop', 'yc.' || p.part,
            jsonb_build_object('from', p.lower_at, 'to', p.upper_at, 'rows', v_n,
                               'first_audit_id', v_first, 'last_audit_id', v_last),
            jsonb_build_object('retention_months', v_keep, 'setting', v_set, 'cutoff', v_cutoff,
                               'day', v_day, 'by', session_user),
            v_client);
        action := 'dropped';
        part := p.part;
        month_of := (p.lower_at AT TIME ZONE 'Asia/Shanghai')::date;
        n_rows := v_n;
        RETURN NEXT;
    END LOOP;

    action := 'done';
    tbl := NULL;
    part := NULL;
    month_of := (v_cutoff AT TIME ZONE 'Asia/Shanghai')::date;
    n_rows := NULL;
    keep_months := v_keep;
    RETURN NEXT;
END
$$;

-- Every partition of the audit log has its TRUNCATE guard (the
-- migration's partitions are made before yc.audit_log_refuse exists).
DO $$
DECLARE
    v_part text;
BEGIN
    FOR v_part IN SELECT c.relname FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'yc.audit_log'::regclass LOOP
        PERFORM yc.history_guard(v_part);
    END LOOP;
END
$$;

-- Privileges: the helpers for nobody; the run for the job's role only.
REVOKE ALL ON FUNCTION yc.history_tables() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_ahead() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_month_of(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_replay_allowed() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_recent() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_month_start(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_partitions(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_guard(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_partition_make(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.history_run(date) FROM PUBLIC, yichuang_app, yichuang_kiosk;
GRANT EXECUTE ON FUNCTION yc.history_run(date) TO yichuang_jobs;
