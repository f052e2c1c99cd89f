-- bench/floor/floor.sql: the floor of call-next (benchmarks only, never the
-- product). What a call must write to keep the guarantees of issue 18 (the
-- ticket called and the one finished, an audit row for each, the window's
-- state), in the cheapest design we know, loaded by bench_queue into a
-- database of its own (yc_bench_floor) and timed like call-next and pgmq:
--   * waiting tickets in a narrow table of their own (floor.waiting), taken
--     by a DELETE ... FOR UPDATE SKIP LOCKED as pgmq pops;
--   * tickets with only the two indexes nothing can do without (the key,
--     the number of the day) and no column of an index ever updated, so
--     both updates are HOT;
--   * the window's current ticket in its state row;
--   * one statement, its plan kept (PL/pgSQL), for the whole call.
-- No policy, no session check, no constraint beyond the keys, no NOTIFY:
-- less than call-next does. If this is slower than pgmq's pop, so is any
-- call-next with those guarantees on the same machine.

CREATE SCHEMA floor;
CREATE TABLE floor.ticket (
    office_code    text NOT NULL,
    ticket_id      bigint GENERATED ALWAYS AS IDENTITY,
    day            date NOT NULL,
    class          text NOT NULL,
    seq            int  NOT NULL,
    number         text NOT NULL,
    status         text NOT NULL DEFAULT 'waiting',
    window_no      int,
    issued_at      timestamptz NOT NULL,
    called_at      timestamptz,
    started_at     timestamptz,
    finished_at    timestamptz,
    last_called_at timestamptz,
    PRIMARY KEY (office_code, ticket_id),
    UNIQUE (office_code, day, number)
) WITH (fillfactor = 70);
CREATE TABLE floor.waiting (
    office_code text NOT NULL,
    day         date NOT NULL,
    class       text NOT NULL,
    issued_at   timestamptz NOT NULL,
    seq         int NOT NULL,
    ticket_id   bigint NOT NULL,
    PRIMARY KEY (office_code, ticket_id)
);
CREATE INDEX waiting_order ON floor.waiting (office_code, day, class, issued_at, seq);
CREATE TABLE floor.audit_log (
    office_code text NOT NULL,
    audit_id    bigint GENERATED ALWAYS AS IDENTITY,
    at          timestamptz NOT NULL DEFAULT now(),
    staff_no    text,
    window_no   int,
    action      text NOT NULL,
    object      text,
    after       jsonb,
    PRIMARY KEY (office_code, audit_id)
);
CREATE TABLE floor.window_state (
    office_code       text NOT NULL,
    window_no         int NOT NULL,
    state             text NOT NULL DEFAULT 'idle',
    current_ticket_id bigint,
    since             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_code, window_no)
) WITH (fillfactor = 50);

-- n waiting tickets and windows 1..w, all else emptied.
CREATE FUNCTION floor.fill(n int, w int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE floor.ticket, floor.waiting, floor.audit_log, floor.window_state;
    INSERT INTO floor.ticket (office_code, day, class, seq, number, issued_at)
    SELECT 'floor', current_date, 'normal', i, 'A' || i, now() - make_interval(secs => n - i)
      FROM generate_series(1, n) i;
    INSERT INTO floor.waiting SELECT office_code, day, class, issued_at, seq, ticket_id FROM floor.ticket;
    INSERT INTO floor.window_state (office_code, window_no) SELECT 'floor', x FROM generate_series(1, w) x;
    ANALYZE floor.ticket;
    ANALYZE floor.waiting;
END
$$;

-- A call at window p_window: the number called, NULL when none waits.
CREATE FUNCTION floor.call(p_window int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    WITH ws AS (
        SELECT current_ticket_id FROM floor.window_state
         WHERE office_code = 'floor' AND window_no = p_window FOR UPDATE),
    cur AS (
        UPDATE floor.ticket t SET status = 'served', finished_at = now(),
               started_at = coalesce(t.started_at, t.called_at)
          FROM ws WHERE t.office_code = 'floor' AND t.ticket_id = ws.current_ticket_id
        RETURNING t.ticket_id),
    nxt AS (
        DELETE FROM floor.waiting q
         USING (SELECT ticket_id FROM floor.waiting
                 WHERE office_code = 'floor' AND day = current_date AND class = 'normal'
                 ORDER BY issued_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED) n
         WHERE q.office_code = 'floor' AND q.ticket_id = n.ticket_id
        RETURNING q.ticket_id),
    called AS (
        UPDATE floor.ticket t SET status = 'called', window_no = p_window, called_at = now(),
               last_called_at = now()
          FROM nxt WHERE t.office_code = 'floor' AND t.ticket_id = nxt.ticket_id
        RETURNING t.ticket_id, t.number),
    aud AS (
        INSERT INTO floor.audit_log (office_code, staff_no, window_no, action, object, after)
        SELECT 'floor', 'bench', p_window, 'queue_finish', 'ticket:floor/' || ticket_id,
               '{"status": "served"}'::jsonb FROM cur
        UNION ALL
        SELECT 'floor', 'bench', p_window, 'queue_call', 'ticket:floor/' || ticket_id,
               '{"status": "called"}'::jsonb FROM called),
    st AS (
        UPDATE floor.window_state SET state = 'serving', since = now(),
               current_ticket_id = (SELECT ticket_id FROM called)
         WHERE office_code = 'floor' AND window_no = p_window)
    SELECT number INTO v FROM called;
    RETURN v;
END
$$;
