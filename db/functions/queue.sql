-- db/functions/queue.sql: the hall queue: tickets, calling, windows.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- 0004_queue: the hall queue. Tickets issued at kiosks and guide desks,
-- called at windows, shown on the calling board.
--
-- Every function the application calls is SECURITY DEFINER with
-- search_path = yc, pg_temp, returns a result text ('ok' or why not) instead
-- of raising for expected refusals, writes an audit row for every state
-- change (yc.audit_write) and announces it with
--     pg_notify('yc_queue_' || office_code, '{"e":EVENT,"n":NUMBER,"w":WINDOW}')
-- (never a name or an ID number in a payload). All times come from yc.now(),
-- the day of a ticket is (yc.now() AT TIME ZONE 'Asia/Shanghai')::date.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.
--
-- ORDER OF CALLING (yc.queue_call_next), one transaction per call, the
-- window's state row locked, each candidate claimed by the first window to
-- take its advisory lock and then locked FOR UPDATE (yc.queue_take: two
-- windows never get the same ticket):
--   1. tickets transferred to this window: 绿色通道 tickets sent to it
--      first, then the others, oldest original issue time first;
--   2. 绿色通道 (green) tickets waiting for any window, oldest first;
--   3. appointment (预约) tickets whose slot has begun and not yet ended,
--      earliest slot first; before its slot an appointment ticket waits;
--      after its slot has ended it is a walk-in of the normal order, with
--      its own issue time;
--   4. walk-ins, priority (B) and normal (A, and late appointments), by the
--      office's policy (yc.queue_config; default credit 15).
-- A ticket sent back to the queue keeps its number and issue time, so it is
-- called before every later ticket of its kind. "Walk-in call" below means
-- a call decided in step 4.
--
-- 绿色通道 IS NOT CALLED (不用排队、叫号, seed 001 item 20): yc.queue_issue
-- puts a green ticket straight at the window the issuer chose, or at the
-- next free window, as its current ticket, without a call (no 'call'
-- event, no last_called_at: never on the board). Only when that window is
-- busy or paused, or no window is free, does it wait: for that window
-- (step 1), or for whichever window calls next (step 2).
--
-- GUARANTEES OF THE POLICIES (proved by tests/db/test_queue.c under a
-- controlled clock with a continuous stream of priority tickets):
--
--   strict    Priority tickets are always called before normal ones.
--             Guarantee for priority tickets only: a priority ticket is
--             called after the priority tickets issued before it.
--             NO BOUND for normal tickets: as long as priority tickets keep
--             arriving at least as fast as the windows call, a normal ticket
--             waits forever (the test shows it still waiting after two
--             hours of one priority ticket and one call per minute).
--
--   ratio N   After N consecutive walk-in calls that took a priority ticket
--             while a normal ticket was waiting, the next walk-in call takes
--             the oldest normal ticket (the count is kept per office under a
--             row lock, so it is exact with any number of windows).
--             Guarantee: a normal ticket at the head of the normal order is
--             called within N + 1 walk-in calls of the office; a normal
--             ticket with k normal tickets ahead of it within (k + 1)(N + 1).
--
--   credit M  A priority ticket counts as issued M minutes earlier than it
--             was; walk-ins are called in order of that time (ties: the one
--             really issued first). Guarantee: a normal ticket issued at t
--             is called before any priority ticket issued at t + M or later,
--             so it is called within A + P + 1 walk-in calls, where A is the
--             number of tickets ahead of it when issued (the "people ahead"
--             on its slip) and P the number of priority tickets issued
--             within the M minutes after it (t < issue < t + M). With at
--             most one priority ticket and at least one call per minute:
--             its wait is at most M minutes plus the A calls already owed
--             to the tickets ahead of it (wait <= M + A minutes).
--
--   The bounds count walk-in calls only: green tickets, appointments in
--   their slot, transfers to a window and tickets sent back to the queue
--   (which keep their original time) go first, and calls taking them come
--   on top of the bound. A paused window makes no calls.

-------------------------------------------------------------------------------
-- The clock. yc.now() is now(), except in a session whose SESSION user (not
-- the current user of a SECURITY DEFINER function) is a superuser and that
-- has set yc.test_now: then that time. The application role cannot fake it.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.now() RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_test text := current_setting('yc.test_now', true);
BEGIN
    IF v_test IS NOT NULL AND btrim(v_test) <> ''
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                    WHERE r.rolname = session_user AND r.rolsuper) THEN
        RETURN v_test::timestamptz;
    END IF;
    RETURN pg_catalog.now();
END
$$;

-------------------------------------------------------------------------------
-- An office inserted without saying whether it has a guide desk (导服台,
-- yc.office.guide_desk, 0016_green_channel) has one when it is a centre
-- (county level or above); townships and villages have none.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.office_guide_desk_default() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    NEW.guide_desk := coalesce(NEW.guide_desk, NEW.tier IN ('province', 'prefecture', 'county'));
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER office_guide_desk_default BEFORE INSERT OR UPDATE ON yc.office
    FOR EACH ROW EXECUTE FUNCTION yc.office_guide_desk_default();

-------------------------------------------------------------------------------
-- THE QUEUE TABLE (0040_ticket_queue). yc.ticket_queue has a row for a
-- ticket exactly while it is waiting or held, with the ticket's calling
-- columns as they are now; this trigger keeps it from every insert,
-- update and delete of yc.ticket (since 0041 in place of a foreign key,
-- which would lock every month's partition of the tickets at each issue;
-- only the owner may write yc.ticket_queue). An update that neither
-- starts from nor ends in waiting or held (a call's finish, a start, a
-- recall) does not fire it.
-- A WINDOW NEVER HAS TWO CURRENT TICKETS, whoever writes: its current
-- ticket is the one its state row names (yc.window_state.current_ticket_id),
-- and a ticket that becomes called or serving at a window whose state row
-- names another one still called or serving there is refused
-- (unique_violation), as ticket_current_window_uq refused it before 0040.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.ticket_queue_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_id  bigint;
    v_day date;
BEGIN
    IF NEW.status IN ('called', 'serving') THEN
        -- (the ticket read through yc.ticket_recent: yc.queue_ticket_current)
        SELECT ws.current_ticket_id, ws.current_ticket_day INTO v_id, v_day FROM yc.window_state ws
         WHERE ws.office_code = NEW.office_code AND ws.window_no = NEW.window_no;
        IF v_id <> NEW.ticket_id
           AND (yc.queue_ticket_current(NEW.office_code, v_id, v_day, NEW.window_no)).ticket_id
               IS NOT NULL THEN
            RAISE unique_violation USING MESSAGE = format(
                'window %s of office %s already has a current ticket', NEW.window_no,
                NEW.office_code);
        END IF;
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM yc.ticket_queue q
             WHERE q.office_code = OLD.office_code AND q.ticket_id = OLD.ticket_id;
        END IF;
    ELSIF NEW.status IN ('waiting', 'held') THEN
        INSERT INTO yc.ticket_queue AS q (office_code, ticket_id, day, class, issued_at, seq,
                                          transfer_to, slot_start, slot_end, held_window)
        VALUES (NEW.office_code, NEW.ticket_id, NEW.day, NEW.class, NEW.issued_at, NEW.seq,
                NEW.transfer_to, NEW.slot_start, NEW.slot_end,
                CASE WHEN NEW.status = 'held' THEN NEW.window_no END)
        ON CONFLICT (office_code, ticket_id) DO UPDATE
           SET day = EXCLUDED.day, class = EXCLUDED.class, issued_at = EXCLUDED.issued_at,
               seq = EXCLUDED.seq, transfer_to = EXCLUDED.transfer_to,
               slot_start = EXCLUDED.slot_start, slot_end = EXCLUDED.slot_end,
               held_window = EXCLUDED.held_window;
    ELSE
        DELETE FROM yc.ticket_queue q
         WHERE q.office_code = OLD.office_code AND q.ticket_id = OLD.ticket_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER ticket_queue_insert AFTER INSERT ON yc.ticket
    FOR EACH ROW WHEN (NEW.status IN ('waiting', 'held', 'called', 'serving'))
    EXECUTE FUNCTION yc.ticket_queue_sync();
CREATE OR REPLACE TRIGGER ticket_queue_delete AFTER DELETE ON yc.ticket
    FOR EACH ROW WHEN (OLD.status IN ('waiting', 'held'))
    EXECUTE FUNCTION yc.ticket_queue_sync();
CREATE OR REPLACE TRIGGER ticket_queue_update AFTER UPDATE ON yc.ticket
    FOR EACH ROW WHEN (OLD.status IN ('waiting', 'held') OR NEW.status IN ('waiting', 'held'))
    EXECUTE FUNCTION yc.ticket_queue_sync();

-------------------------------------------------------------------------------
-- Citizen ID numbers (GB 11643-1999): the birth date of a valid 18-character
-- number (17 digits and the ISO 7064 MOD 11-2 check character), else NULL.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.idno_birth(p_id text) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_w   int[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
    v_sum int := 0;
    v_y   int;
    v_m   int;
    v_d   int;
BEGIN
    IF p_id IS NULL OR p_id !~ '^[0-9]{17}[0-9X]$' THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..17 LOOP
        v_sum := v_sum + substr(p_id, i, 1)::int * v_w[i];
    END LOOP;
    IF substr('10X98765432', v_sum % 11 + 1, 1) <> substr(p_id, 18, 1) THEN
        RETURN NULL;
    END IF;
    v_y := substr(p_id, 7, 4)::int;
    v_m := substr(p_id, 11, 2)::int;
    v_d := substr(p_id, 13, 2)::int;
    IF v_y < 1900 OR v_m NOT BETWEEN 1 AND 12 OR v_d < 1
       OR v_d > extract(day FROM make_date(v_y, v_m, 1) + interval '1 month - 1 day') THEN
        RETURN NULL;
    END IF;
    RETURN make_date(v_y, v_m, v_d);
END
$$;

-------------------------------------------------------------------------------
-- Internal helpers (not granted). PL/pgSQL rather than SQL functions: their
-- plans are cached per connection, and call-next runs a dozen of them.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.queue_info(t yc.ticket) RETURNS yc.queue_ticket_info
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN ROW(t.ticket_id, t.number, t.class, t.status, t.window_no,
               extract(epoch FROM t.issued_at)::bigint,
               extract(epoch FROM t.called_at)::bigint,
               extract(epoch FROM t.started_at)::bigint,
               extract(epoch FROM t.finished_at)::bigint,
               t.recalls, t.has_id)::yc.queue_ticket_info;
END
$$;

-- An integer setting, or p_default when missing or not a number.
CREATE OR REPLACE FUNCTION yc.queue_setting(p_key text, p_default int) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN coalesce((SELECT btrim(s.value)::int FROM yc.setting s
                      WHERE s.key = p_key AND s.value ~ '^\s*[0-9]{1,6}\s*$'), p_default);
END
$$;

-- The configuration of an office, defaults filled in.
CREATE OR REPLACE FUNCTION yc.queue_conf(p_office text,
    OUT policy text, OUT ratio_n int, OUT credit_minutes int,
    OUT target_minutes int, OUT senior_age int)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    c yc.queue_config%ROWTYPE;
BEGIN
    SELECT q.* INTO c FROM yc.queue_config q WHERE q.office_code = p_office;
    policy := coalesce(c.policy, 'credit');
    ratio_n := coalesce(c.ratio_n, 3);
    credit_minutes := coalesce(c.credit_minutes, 15);
    target_minutes := coalesce(c.target_minutes, yc.queue_setting('queue_target_minutes', 20));
    senior_age := coalesce(c.senior_age, yc.queue_setting('senior_age', 60));
END
$$;

-- The day of a time: the calendar day in Asia/Shanghai.
CREATE OR REPLACE FUNCTION yc.queue_day(p_at timestamptz) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN (p_at AT TIME ZONE 'Asia/Shanghai')::date;
END
$$;

-- The ticket number: class letter and sequence, at least 3 digits (A001,
-- A999, A1000).
CREATE OR REPLACE FUNCTION yc.queue_number(p_class text, p_seq int) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
BEGIN
    RETURN CASE p_class WHEN 'normal' THEN 'A' WHEN 'priority' THEN 'B'
                        WHEN 'green' THEN 'G' WHEN 'appointment' THEN 'Y' END
        || CASE WHEN p_seq < 1000 THEN lpad(p_seq::text, 3, '0') ELSE p_seq::text END;
END
$$;

-- Announces an event on the office's channel: event, number, window only.
CREATE OR REPLACE FUNCTION yc.queue_notify(p_office text, p_event text, p_number text, p_window int)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('yc_queue_' || p_office,
        json_build_object('e', p_event, 'n', p_number, 'w', p_window)::text);
END
$$;

-- Audits a change of one ticket (the row yc.audit_write would write,
-- inserted here: call-next audits twice, and each nested call costs).
CREATE OR REPLACE FUNCTION yc.queue_audit(p_office text, p_staff text, p_window int, p_action text,
                               p_before yc.ticket, p_after yc.ticket, p_extra jsonb, p_client text)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    INSERT INTO yc.audit_log (office_code, staff_no, window_no, action, object, before, after, client)
    VALUES (p_office, left(p_staff, 64), p_window, p_action,
        'ticket:' || p_office || '/' || coalesce(p_after.ticket_id, p_before.ticket_id),
        CASE WHEN p_before.ticket_id IS NOT NULL THEN jsonb_build_object(
            'status', p_before.status, 'window_no', p_before.window_no,
            'transfer_to', p_before.transfer_to) END,
        jsonb_build_object('number', p_after.number, 'class', p_after.class,
            'status', p_after.status, 'window_no', p_after.window_no,
            'transfer_to', p_after.transfer_to, 'recalls', p_after.recalls)
          || coalesce(p_extra, '{}'::jsonb),
        left(p_client, 200));
END
$$;

-- The open session of a staff member: as in 0004, but a session the
-- connection may not use is reported closed (is_open false, no fields),
-- and that refusal is audited (yc.session_refused: session_refused, with
-- the function the client called). Through yc.case_actor every function
-- taking a session id comes here.
CREATE OR REPLACE FUNCTION yc.queue_session(p_session_id bigint,
    OUT is_open boolean, OUT office_code text, OUT window_no int, OUT staff_no text,
    OUT role text, OUT client text, OUT window_refusal text)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
BEGIN
    SELECT ss.office_code, ss.window_no, ss.staff_no, st.role, ss.client
      INTO office_code, window_no, staff_no, role, client
      FROM yc.staff_session ss JOIN yc.staff st ON st.staff_no = ss.staff_no
     WHERE ss.session_id = p_session_id AND ss.ended_at IS NULL;
    IF office_code IS NOT NULL AND NOT yc.session_bound(p_session_id) THEN
        PERFORM yc.session_refused(p_session_id, NULL);
        office_code := NULL;
        window_no := NULL;
        staff_no := NULL;
        role := NULL;
        client := NULL;
    END IF;
    is_open := office_code IS NOT NULL;
    -- Why an operation at a window is refused for this session (NULL: it is not).
    window_refusal := CASE WHEN NOT is_open THEN 'no_session'
                           WHEN window_no IS NULL THEN 'not_allowed' END;
END
$$;

-- The state row of a window, created when missing, locked FOR UPDATE: every
-- operation of one window is serialised on it.
CREATE OR REPLACE FUNCTION yc.queue_window_lock(p_office text, p_window int) RETURNS yc.window_state
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    w yc.window_state%ROWTYPE;
BEGIN
    SELECT ws.* INTO w FROM yc.window_state ws
     WHERE ws.office_code = p_office AND ws.window_no = p_window FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO yc.window_state (office_code, window_no, since)
        VALUES (p_office, p_window, yc.now())
        ON CONFLICT DO NOTHING;
        SELECT ws.* INTO w FROM yc.window_state ws
         WHERE ws.office_code = p_office AND ws.window_no = p_window FOR UPDATE;
    END IF;
    RETURN w;
END
$$;

-- THE STATEMENTS ON yc.ticket THAT A CALL RUNS go through yc.ticket_recent
-- (0041_ticket_partitions): yc.ticket is partitioned by month, and a
-- cached generic plan of a statement on it locks every month's partition
-- at each execution (PostgreSQL 15), whatever day it names, so a call
-- would cost more with every month of history; a plan made per execution
-- (plan_cache_mode force_custom_plan) prunes, but planning costs more
-- still (measured: README "Why call-next is as fast as it is"). The view
-- names its days as constants (yc.ticket_recent_range: the real clock's
-- month and the next, moved on by the job, db/functions/history.sql), so
-- a cached plan holds those two months' partitions only. A ticket of a day outside them (a test clock, a job
-- that has not run for months) is looked for in yc.ticket itself.

-- Whether day p_day is within yc.ticket_recent.
CREATE OR REPLACE FUNCTION yc.queue_recent(p_day date) RETURNS boolean
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce((SELECT p_day >= r.lo AND p_day < r.hi FROM yc.ticket_recent_range r WHERE r.one),
                    false);
$$;

-- The ticket (office, id, day) if it is still called or serving at window
-- p_window, locked; NULL fields when not.
CREATE OR REPLACE FUNCTION yc.queue_ticket_current(p_office text, p_id bigint, p_day date, p_window int)
RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    t yc.ticket%ROWTYPE;
BEGIN
    SELECT tk.* INTO t FROM yc.ticket_recent tk
     WHERE tk.office_code = p_office AND tk.ticket_id = p_id AND tk.day = p_day
       AND tk.window_no = p_window AND tk.status IN ('called', 'serving')
       FOR UPDATE;
    IF NOT FOUND AND NOT yc.queue_recent(p_day) THEN
        SELECT tk.* INTO t FROM yc.ticket tk
         WHERE tk.office_code = p_office AND tk.ticket_id = p_id AND tk.day = p_day
           AND tk.window_no = p_window AND tk.status IN ('called', 'serving')
           FOR UPDATE;
    END IF;
    RETURN t;
END
$$;

-- The ticket (office, id, day) if it still waits as it was found (sent to
-- p_to, or to none), locked; NULL fields when not.
CREATE OR REPLACE FUNCTION yc.queue_ticket_waiting(p_office text, p_id bigint, p_day date, p_to int)
RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    t yc.ticket%ROWTYPE;
BEGIN
    SELECT tk.* INTO t FROM yc.ticket_recent tk
     WHERE tk.office_code = p_office AND tk.ticket_id = p_id AND tk.day = p_day
       AND tk.status = 'waiting' AND tk.transfer_to IS NOT DISTINCT FROM p_to
       FOR UPDATE;
    IF NOT FOUND AND NOT yc.queue_recent(p_day) THEN
        SELECT tk.* INTO t FROM yc.ticket tk
         WHERE tk.office_code = p_office AND tk.ticket_id = p_id AND tk.day = p_day
           AND tk.status = 'waiting' AND tk.transfer_to IS NOT DISTINCT FROM p_to
           FOR UPDATE;
    END IF;
    RETURN t;
END
$$;

-- Ticket t (locked by the caller) served now at its window; the row after.
CREATE OR REPLACE FUNCTION yc.queue_ticket_served(t yc.ticket, p_now timestamptz) RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v yc.ticket%ROWTYPE;
BEGIN
    UPDATE yc.ticket_recent tk
       SET status = 'served',
           started_at = coalesce(tk.started_at, tk.called_at, greatest(p_now, tk.issued_at)),
           finished_at = greatest(p_now, tk.issued_at),
           transfer_to = NULL
     WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
    RETURNING tk.* INTO v;
    IF NOT FOUND THEN  -- a day outside yc.ticket_recent
        UPDATE yc.ticket tk
           SET status = 'served',
               started_at = coalesce(tk.started_at, tk.called_at, greatest(p_now, tk.issued_at)),
               finished_at = greatest(p_now, tk.issued_at),
               transfer_to = NULL
         WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
        RETURNING tk.* INTO v;
    END IF;
    RETURN v;
END
$$;

-- Ticket t (locked by the caller) called now to window p_window; the row
-- after.
CREATE OR REPLACE FUNCTION yc.queue_ticket_called(t yc.ticket, p_window int, p_now timestamptz)
RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v yc.ticket%ROWTYPE;
BEGIN
    UPDATE yc.ticket_recent tk
       SET status = 'called', window_no = p_window, transfer_to = NULL,
           called_at = coalesce(tk.called_at, greatest(p_now, tk.issued_at)),
           last_called_at = greatest(p_now, tk.issued_at)
     WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
    RETURNING tk.* INTO v;
    IF NOT FOUND THEN  -- a day outside yc.ticket_recent
        UPDATE yc.ticket tk
           SET status = 'called', window_no = p_window, transfer_to = NULL,
               called_at = coalesce(tk.called_at, greatest(p_now, tk.issued_at)),
               last_called_at = greatest(p_now, tk.issued_at)
         WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
        RETURNING tk.* INTO v;
    END IF;
    RETURN v;
END
$$;

-- The current ticket of a window (called or serving), locked; NULL fields
-- when none. The window's state row says which it is (current_ticket_id
-- and current_ticket_day: 0040, 0041); a ticket it still names that has
-- been closed since (yc.queue_cancel_stale) is none.
CREATE OR REPLACE FUNCTION yc.queue_current(p_office text, p_window int) RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    t     yc.ticket%ROWTYPE;
    v_id  bigint;
    v_day date;
BEGIN
    SELECT ws.current_ticket_id, ws.current_ticket_day INTO v_id, v_day FROM yc.window_state ws
     WHERE ws.office_code = p_office AND ws.window_no = p_window;
    IF v_id IS NOT NULL THEN
        t := yc.queue_ticket_current(p_office, v_id, v_day, p_window);
    END IF;
    RETURN t;
END
$$;

-- Sets the window's state after its current ticket changed: t, or none
-- when t is NULL (or has no ticket_id).
CREATE OR REPLACE FUNCTION yc.queue_window_set(p_office text, p_window int, t yc.ticket, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    UPDATE yc.window_state ws
       SET state = CASE WHEN t.ticket_id IS NULL THEN 'idle' ELSE 'serving' END,
           current_ticket_id = t.ticket_id, current_ticket_day = t.day,
           pause_reason = NULL, since = p_now
     WHERE ws.office_code = p_office AND ws.window_no = p_window;
END
$$;

-- Ends a ticket in a final state (served, no_show, cancelled); audited and
-- announced. Returns the finished row.
CREATE OR REPLACE FUNCTION yc.queue_close(t yc.ticket, p_status text, p_staff text, p_window int,
                               p_reason text, p_client text, p_now timestamptz)
RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v yc.ticket%ROWTYPE;
BEGIN
    UPDATE yc.ticket tk
       SET status = p_status,
           started_at = CASE WHEN p_status = 'served'
                             THEN coalesce(tk.started_at, tk.called_at, greatest(p_now, tk.issued_at))
                             ELSE tk.started_at END,
           finished_at = greatest(p_now, tk.issued_at),
           transfer_to = NULL
     WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
    RETURNING tk.* INTO v;
    PERFORM yc.queue_audit(t.office_code, p_staff, p_window,
        CASE p_status WHEN 'cancelled' THEN 'queue_cancel' ELSE 'queue_finish' END,
        t, v, jsonb_build_object('reason', p_reason), p_client);
    PERFORM yc.queue_notify(t.office_code,
        CASE p_status WHEN 'served' THEN 'finish' WHEN 'no_show' THEN 'no_show' ELSE 'cancel' END,
        v.number, v.window_no);
    RETURN v;
END
$$;

-- Cancels the tickets of an office still open from earlier days (the hall
-- has closed since). Skips rows locked by a window at this moment.
CREATE OR REPLACE FUNCTION yc.queue_cancel_stale(p_office text, p_day date, p_now timestamptz)
RETURNS int
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    t yc.ticket%ROWTYPE;
    n int := 0;
BEGIN
    -- Two loops, so that each reads only open tickets (never the office's
    -- history): those waiting or held (yc.ticket_queue), then those
    -- current at a window (yc.window_state).
    FOR t IN
        SELECT tk.* FROM yc.ticket_queue q
          JOIN yc.ticket tk ON tk.office_code = q.office_code AND tk.ticket_id = q.ticket_id
                           AND tk.day = q.day
         WHERE q.office_code = p_office AND q.day < p_day
           AND tk.status IN ('waiting', 'held')
         ORDER BY tk.ticket_id
           FOR UPDATE OF tk SKIP LOCKED
    LOOP
        PERFORM yc.queue_close(t, 'cancelled', NULL, t.window_no, 'day_closed', NULL, p_now);
        n := n + 1;
    END LOOP;
    FOR t IN
        SELECT tk.* FROM yc.window_state ws
          JOIN yc.ticket tk ON tk.office_code = ws.office_code AND tk.ticket_id = ws.current_ticket_id
                           AND tk.day = ws.current_ticket_day
         WHERE ws.office_code = p_office AND ws.current_ticket_day < p_day
           AND tk.status IN ('called', 'serving')
         ORDER BY tk.ticket_id
           FOR UPDATE OF tk SKIP LOCKED
    LOOP
        PERFORM yc.queue_close(t, 'cancelled', NULL, t.window_no, 'day_closed', NULL, p_now);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- What call-next may take, not locked, in one statement: whether a
-- ticket waits transferred to p_window, a green ticket for any window, an
-- appointment in its slot; and the heads of the walk-in order: the oldest
-- waiting priority ticket, and the oldest of normal tickets and of
-- appointments past their slot. (One statement rather than six: each
-- statement of a PL/pgSQL function has its own executor start and
-- snapshot, and call-next only takes what a probe found.)
CREATE OR REPLACE FUNCTION yc.queue_walkin_heads(p_office text, p_day date, p_now timestamptz,
    p_window int,
    OUT transfer boolean, OUT green boolean, OUT due boolean,
    OUT prio_at timestamptz, OUT norm_at timestamptz, OUT late_at timestamptz)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
BEGIN
    SELECT EXISTS (SELECT 1 FROM yc.ticket_queue q
                    WHERE q.office_code = p_office AND q.day = p_day
                      AND q.transfer_to = p_window),
           EXISTS (SELECT 1 FROM yc.ticket_queue q
                    WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'green'
                      AND q.transfer_to IS NULL AND q.held_window IS NULL),
           EXISTS (SELECT 1 FROM yc.ticket_queue q
                    WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'appointment'
                      AND q.transfer_to IS NULL AND q.held_window IS NULL
                      AND q.slot_start <= p_now AND q.slot_end > p_now),
           (SELECT q.issued_at FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'priority'
               AND q.transfer_to IS NULL AND q.held_window IS NULL
             ORDER BY q.issued_at, q.seq LIMIT 1),
           (SELECT q.issued_at FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'normal'
               AND q.transfer_to IS NULL AND q.held_window IS NULL
             ORDER BY q.issued_at, q.seq LIMIT 1),
           (SELECT q.issued_at FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'appointment'
               AND q.transfer_to IS NULL AND q.held_window IS NULL AND q.slot_end <= p_now
             ORDER BY q.issued_at, q.seq LIMIT 1)
      INTO transfer, green, due, prio_at, norm_at, late_at;
END
$$;

-- Takes (locks) the first ticket of one kind that no other transaction has
-- taken: 'transfer' (to p_window; green ones first), 'green' (waiting for
-- any window), 'due' (appointment in its slot), 'priority', 'normal',
-- 'late' (appointment past its slot).
--
-- HOW A TICKET IS TAKEN. Not with FOR UPDATE SKIP LOCKED on the scan, as
-- it was: in READ COMMITTED a row that another window called, and whose
-- call committed after this statement's snapshot, is followed to its new
-- version, LOCKED, and only then found not waiting any more; the lock
-- stays until this transaction ends, and the window that called it waits
-- for it at its next call (its current ticket). At 64 windows most
-- backends waited so (Lock:transactionid on ticket rows, 6.8 ms a call
-- for yc.queue_current, pg_stat_statements). Instead the scan claims a
-- ticket with a transaction-level advisory lock (keys hashtext
-- ('yc.queue_pick') and the ticket id; tried, never waited for; held
-- until the commit, so that two windows never take the same ticket), and then locks that one row FOR UPDATE in a
-- statement of its own: its snapshot is younger than the end of whoever
-- held the claim before, so a ticket called meanwhile is simply not
-- waiting there, nothing is locked, and the scan goes on.
CREATE OR REPLACE FUNCTION yc.queue_take(p_office text, p_day date, p_window int, p_kind text,
                              p_now timestamptz)
RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    t     yc.ticket%ROWTYPE;
    v_id  bigint;
    v_to  int;
    v_k   int := hashtext('yc.queue_pick') & 2147483647;
BEGIN
    FOR i IN 1..1000 LOOP
        IF p_kind = 'transfer' THEN
            -- a green ticket sent to this window before anything else
            SELECT q.ticket_id, q.transfer_to INTO v_id, v_to FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.transfer_to = p_window
               AND pg_catalog.pg_try_advisory_xact_lock(v_k, (q.ticket_id % 2147483647)::int)
             ORDER BY q.class = 'green' DESC, q.issued_at, q.ticket_id
             LIMIT 1;
        ELSIF p_kind = 'due' THEN
            SELECT q.ticket_id, q.transfer_to INTO v_id, v_to FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'appointment'
               AND q.transfer_to IS NULL AND q.held_window IS NULL
               -- (CASE: the claim only after the slot's test)
               AND CASE WHEN q.slot_start <= p_now AND q.slot_end > p_now
                        THEN pg_catalog.pg_try_advisory_xact_lock(v_k, (q.ticket_id % 2147483647)::int)
                        ELSE false END
             ORDER BY q.slot_start, q.issued_at, q.seq
             LIMIT 1;
        ELSIF p_kind = 'late' THEN
            SELECT q.ticket_id, q.transfer_to INTO v_id, v_to FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.class = 'appointment'
               AND q.transfer_to IS NULL AND q.held_window IS NULL
               AND CASE WHEN q.slot_end <= p_now
                        THEN pg_catalog.pg_try_advisory_xact_lock(v_k, (q.ticket_id % 2147483647)::int)
                        ELSE false END
             ORDER BY q.issued_at, q.seq
             LIMIT 1;
        ELSE  -- green, priority, normal
            SELECT q.ticket_id, q.transfer_to INTO v_id, v_to FROM yc.ticket_queue q
             WHERE q.office_code = p_office AND q.day = p_day AND q.class = p_kind
               AND q.transfer_to IS NULL AND q.held_window IS NULL
               AND pg_catalog.pg_try_advisory_xact_lock(v_k, (q.ticket_id % 2147483647)::int)
             ORDER BY q.issued_at, q.seq
             LIMIT 1;
        END IF;
        IF NOT FOUND THEN
            RETURN t;
        END IF;
        -- claimed: lock it, still waiting as it was found (else it was
        -- changed meanwhile by something that does not claim, and this
        -- statement's snapshot sees it so: scan again)
        t := yc.queue_ticket_waiting(p_office, v_id, p_day, v_to);
        IF t.ticket_id IS NOT NULL THEN
            RETURN t;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'queue_take: no ticket could be taken after 1000 tries';
END
$$;

-- Takes the first normal-order ticket: a normal ticket or an appointment
-- past its slot, whichever was issued first (norm_at, late_at: the heads).
CREATE OR REPLACE FUNCTION yc.queue_take_normal(p_office text, p_day date, p_now timestamptz,
                                     p_norm_at timestamptz, p_late_at timestamptz)
RETURNS yc.ticket
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    t yc.ticket%ROWTYPE;
BEGIN
    IF p_late_at IS NOT NULL AND (p_norm_at IS NULL OR p_late_at < p_norm_at) THEN
        t := yc.queue_take(p_office, p_day, NULL, 'late', p_now);
        IF t.ticket_id IS NULL THEN
            t := yc.queue_take(p_office, p_day, NULL, 'normal', p_now);
        END IF;
    ELSE
        t := yc.queue_take(p_office, p_day, NULL, 'normal', p_now);
        IF t.ticket_id IS NULL AND p_late_at IS NOT NULL THEN
            t := yc.queue_take(p_office, p_day, NULL, 'late', p_now);
        END IF;
    END IF;
    RETURN t;
END
$$;

-- Whether a window of an office has a clerk signed in (an open session of
-- a clerk at it).
CREATE OR REPLACE FUNCTION yc.queue_window_staffed(p_office text, p_window int) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
BEGIN
    -- staff_session_open_window_uq
    RETURN EXISTS (SELECT 1 FROM yc.staff_session ss JOIN yc.staff st ON st.staff_no = ss.staff_no
                    WHERE ss.office_code = p_office AND ss.window_no = p_window
                      AND ss.ended_at IS NULL AND st.role = 'clerk');
END
$$;

-- The free window of an office for a green ticket, its state row locked:
-- a clerk signed in, not paused, no current ticket; of those, the one idle
-- longest (since its last change of state or its clerk's sign-in,
-- whichever is later; ties: the lowest number). A window whose state row
-- another transaction holds at this moment (a call in progress) is
-- skipped. NULL when none is free.
CREATE OR REPLACE FUNCTION yc.queue_free_window(p_office text) RETURNS int
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_win int;
    w     yc.window_state%ROWTYPE;
BEGIN
    -- staff_session_open_window_uq, then per window its state row (pkey)
    FOR v_win IN
        SELECT ss.window_no
          FROM yc.staff_session ss
          JOIN yc.staff st ON st.staff_no = ss.staff_no AND st.role = 'clerk'
          JOIN yc.service_window sw
            ON sw.office_code = ss.office_code AND sw.window_no = ss.window_no AND sw.active
          LEFT JOIN yc.window_state ws
            ON ws.office_code = ss.office_code AND ws.window_no = ss.window_no
         WHERE ss.office_code = p_office AND ss.ended_at IS NULL AND ss.window_no IS NOT NULL
           AND coalesce(ws.state, 'idle') = 'idle'
         ORDER BY greatest(coalesce(ws.since, ss.started_at), ss.started_at), ss.window_no
    LOOP
        SELECT ws.* INTO w FROM yc.window_state ws
         WHERE ws.office_code = p_office AND ws.window_no = v_win
           FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            IF EXISTS (SELECT 1 FROM yc.window_state ws
                        WHERE ws.office_code = p_office AND ws.window_no = v_win) THEN
                CONTINUE;	-- busy in another transaction
            END IF;
            w := yc.queue_window_lock(p_office, v_win);
        END IF;
        -- again under the lock: it may have changed since the list was read
        IF w.state = 'idle' AND (yc.queue_current(p_office, v_win)).ticket_id IS NULL
           AND yc.queue_window_staffed(p_office, v_win) THEN
            RETURN v_win;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-------------------------------------------------------------------------------
-- yc.queue_issue: a new ticket.
--
-- p_window (NULL or 0: none) only for class green (any other class with a
-- window is an error). A 绿色通道 ticket is never called (不用排队、叫号);
-- placed says where it went, to_window which window:
--   'window'    it is the current ticket of to_window at once (status
--               called, as a call would leave it, but no call: no 'call'
--               event, no last_called_at, never on the board; audited as
--               'queue_place'): the window given when a clerk is signed in
--               there, it is not paused and has no current ticket; with no
--               window given, the free window (yc.queue_free_window);
--   'reserved'  the window given is busy or paused: the ticket waits for it
--               (transfer_to) and its next call-next takes it before
--               anything else;
--   'queue'     no window given and none free: it waits, and the next
--               window that calls takes it first (after what was
--               transferred to that window).
-- placed and to_window are NULL for the other classes.
-- Who issues green tickets: an open session of the office's guide or
-- supervisor, or of a supervisor of an office above it (the console shows
-- the hall of any office of the jurisdiction); where the office has no
-- guide desk (yc.office.guide_desk: townships, villages), also a clerk
-- signed in at one of its windows.
-- Every refusal of a green ticket is audited ('queue_issue_refused').
-- Outside the office's opening hours (yc.hours_at, db/functions/hours.sql)
-- every class but green is refused: result 'closed', opens_at the next
-- opening (epoch seconds; NULL when none is known), audited
-- ('queue_issue_refused', reason closed), nothing issued.
-- AN APPOINTMENT (db/functions/appoint.sql) is checked in by its code, or
-- with no code by the ID number (the person's appointment of today at the
-- office), from appointment_checkin_minutes before its slot until the
-- slot's end: earlier is result 'appointment_early' (opens_at when check-in
-- opens), at or after the end it is missed ('appointment_missed', recorded
-- and audited as queue_appointment_missed); an appointment of an earlier
-- day still booked is recorded as missed too (result bad_appointment).
-- result: ok | unknown_office (none, or deactivated) | closed | bad_id | bad_appointment |
--         appointment_early | appointment_missed |
--         not_allowed | no_session | bad_window (not an active window of
--         the office) | window_closed (no clerk signed in at that window)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.queue_issue(p_office text, p_class text, p_id_no text, p_appointment text,
                               p_session_id bigint, p_client text, p_window int)
RETURNS TABLE(result text, tk yc.queue_ticket_info, ahead int, est_wait_minutes int,
              office_name text, placed text, to_window int, opens_at bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    o        yc.office%ROWTYPE;
    c        record;
    s        record;
    h        record;
    a        yc.appointment%ROWTYPE;
    w        yc.window_state%ROWTYPE;
    t        yc.ticket%ROWTYPE;
    v        yc.ticket%ROWTYPE;
    v_now    timestamptz := yc.now();
    v_day    date;
    v_class  text := p_class;
    v_window int := nullif(p_window, 0);
    v_to     int;
    v_placed text;
    v_refuse text;
    v_code   text;
    v_id     text;
    v_birth  date;
    v_senior boolean := false;
    v_seq    int;
    v_staff  text;
    v_client text := left(p_client, 200);
    v_ahead  int;
    v_avg    double precision;
    v_open   int;
    v_k      int;
    v_p      int;
BEGIN
    v_day := yc.queue_day(v_now);
    SELECT ofc.* INTO o FROM yc.office ofc WHERE ofc.code = p_office;
    IF NOT FOUND OR NOT o.active THEN	-- a deactivated office takes no ticket
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    office_name := o.name;
    IF v_class IS NULL OR v_class NOT IN ('normal', 'priority', 'green', 'appointment') THEN
        RAISE EXCEPTION 'unknown ticket class %', p_class USING ERRCODE = '22023';
    END IF;
    IF v_window IS NOT NULL AND v_class <> 'green' THEN
        RAISE EXCEPTION 'a window is chosen only for a green-channel ticket' USING ERRCODE = '22023';
    END IF;
    c := yc.queue_conf(p_office);

    s := yc.queue_session(p_session_id);
    IF s.is_open THEN
        v_staff := s.staff_no;
        v_client := coalesce(v_client, s.client);
    END IF;

    -- Outside the opening hours (db/functions/hours.sql) the hall issues
    -- no ticket but a green one (staff on duty take the citizen to a
    -- window).
    IF v_class <> 'green' THEN
        h := yc.hours_at(p_office, v_now);
        IF h.state = 'closed' THEN
            PERFORM yc.audit_write(p_office, v_staff, NULL, 'queue_issue_refused',
                'office:' || p_office, NULL,
                jsonb_build_object('class', v_class, 'reason', 'closed', 'next_open', h.next_open),
                v_client);
            result := 'closed';
            opens_at := extract(epoch FROM h.next_open)::bigint;
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    -- The ID number: only its validity and the age matter here.
    v_id := nullif(upper(regexp_replace(coalesce(p_id_no, ''), '\s', '', 'g')), '');
    IF v_id IS NOT NULL THEN
        v_birth := yc.idno_birth(v_id);
        IF v_birth IS NULL OR v_birth > v_day THEN
            result := 'bad_id';
            RETURN NEXT;
            RETURN;
        END IF;
        v_senior := extract(year FROM age(v_day, v_birth)) >= c.senior_age;
    END IF;

    IF v_class = 'green' THEN
        IF p_session_id IS NOT NULL AND NOT s.is_open THEN
            result := 'no_session';
            RETURN NEXT;
            RETURN;
        ELSIF NOT s.is_open
              OR NOT ((s.office_code = p_office
                       AND (s.role IN ('guide', 'supervisor')
                            OR (NOT o.guide_desk AND s.role = 'clerk' AND s.window_no IS NOT NULL)))
                      -- a supervisor, from the console, at any office below too
                      OR (s.role = 'supervisor'
                          AND left(p_office, length(s.office_code)) = s.office_code)) THEN
            v_refuse := 'not_allowed';
        ELSIF v_window IS NOT NULL THEN
            IF NOT EXISTS (SELECT 1 FROM yc.service_window sw
                            WHERE sw.office_code = p_office AND sw.window_no = v_window
                              AND sw.active) THEN
                v_refuse := 'bad_window';
            ELSE
                -- serialised with everything that window does
                w := yc.queue_window_lock(p_office, v_window);
                IF NOT yc.queue_window_staffed(p_office, v_window) THEN
                    v_refuse := 'window_closed';
                ELSE
                    v_to := v_window;
                    v_placed := CASE WHEN w.state <> 'paused'
                                      AND (yc.queue_current(p_office, v_window)).ticket_id IS NULL
                                     THEN 'window' ELSE 'reserved' END;
                END IF;
            END IF;
        ELSE
            v_to := yc.queue_free_window(p_office);
            v_placed := CASE WHEN v_to IS NULL THEN 'queue' ELSE 'window' END;
        END IF;
        IF v_refuse IS NOT NULL THEN
            PERFORM yc.audit_write(p_office, v_staff, s.window_no, 'queue_issue_refused',
                'office:' || p_office, NULL,
                jsonb_build_object('class', 'green', 'reason', v_refuse, 'to_window', v_window),
                v_client);
            result := v_refuse;
            RETURN NEXT;
            RETURN;
        END IF;
    ELSIF v_class = 'appointment' THEN
        -- by its code, or (no code) by the person's appointment of today
        v_code := btrim(coalesce(p_appointment, ''));
        IF v_code = '' AND v_id IS NOT NULL THEN
            PERFORM yc.appoint_sweep(v_id, NULL, NULL, v_client);
            SELECT ap.* INTO a FROM yc.appointment ap
             WHERE ap.id_no = v_id AND ap.office_code = p_office
               AND ap.slot_end > (v_day::timestamp AT TIME ZONE 'Asia/Shanghai')
               AND ap.slot_start < ((v_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
               AND ap.status IN ('booked', 'missed')
             ORDER BY ap.status = 'booked' DESC, ap.slot_start LIMIT 1
               FOR UPDATE;
        ELSE
            SELECT ap.* INTO a FROM yc.appointment ap
             WHERE ap.office_code = p_office AND ap.code = v_code
               FOR UPDATE;
        END IF;
        IF FOUND AND a.status = 'booked' AND a.slot_end <= v_now THEN
            -- not checked in by the end of its slot: missed
            PERFORM yc.appoint_missed(a, v_staff, v_client);
            a.status := 'missed';
        END IF;
        IF FOUND AND a.status = 'missed' AND yc.queue_day(a.slot_start) = v_day
           AND (a.id_no IS NULL OR v_id IS NULL OR a.id_no = v_id) THEN
            v_refuse := 'appointment_missed';
        ELSIF NOT FOUND OR a.status <> 'booked'
           OR (a.id_no IS NOT NULL AND v_id IS NOT NULL AND a.id_no <> v_id)
           OR yc.queue_day(a.slot_start) <> v_day THEN
            v_refuse := 'bad_appointment';
        ELSIF v_now < a.slot_start - make_interval(mins => yc.setting_int('appointment_checkin_minutes')) THEN
            v_refuse := 'appointment_early';
            opens_at := extract(epoch FROM a.slot_start
                - make_interval(mins => yc.setting_int('appointment_checkin_minutes')))::bigint;
        END IF;
        IF v_refuse IS NOT NULL THEN
            result := v_refuse;
            RETURN NEXT;
            RETURN;
        END IF;
    ELSIF v_class = 'normal' AND v_senior THEN
        v_class := 'priority';
    END IF;

    INSERT INTO yc.ticket_counter AS tc (office_code, day, class, last_seq)
    VALUES (p_office, v_day, v_class, 1)
    ON CONFLICT (office_code, day, class) DO UPDATE SET last_seq = tc.last_seq + 1
    RETURNING tc.last_seq INTO v_seq;

    INSERT INTO yc.ticket (office_code, day, class, seq, number, status, id_no, issued_at,
                           has_id, appointment_code, slot_start, slot_end, transfer_to)
    VALUES (p_office, v_day, v_class, v_seq,
            yc.queue_number(v_class, v_seq),
            'waiting',
            (SELECT pr.id_no FROM yc.person pr WHERE pr.id_no = v_id),
            v_now, v_id IS NOT NULL,
            CASE WHEN v_class = 'appointment' THEN a.code END,
            CASE WHEN v_class = 'appointment' THEN a.slot_start END,
            CASE WHEN v_class = 'appointment' THEN a.slot_end END,
            CASE WHEN v_placed = 'reserved' THEN v_to END)
    RETURNING * INTO t;

    IF v_class = 'appointment' THEN
        UPDATE yc.appointment ap
           SET status = 'used', ticket_id = t.ticket_id, ticket_day = t.day, checked_in_at = v_now,
               updated_at = v_now
         WHERE ap.office_code = a.office_code AND ap.code = a.code;
    END IF;

    -- People ahead, by the calling order as it stands now.
    IF v_placed = 'window' THEN
        v_ahead := 0;
    ELSIF v_placed = 'reserved' THEN
        SELECT count(*) INTO v_ahead FROM yc.ticket_queue tk
         WHERE tk.office_code = p_office AND tk.day = v_day AND tk.held_window IS NULL
           AND tk.transfer_to = v_to AND tk.class = 'green' AND tk.ticket_id <> t.ticket_id;
    ELSE
        SELECT count(*) INTO v_ahead FROM yc.ticket_queue tk
         WHERE tk.office_code = p_office AND tk.day = v_day AND tk.held_window IS NULL
           AND tk.transfer_to IS NULL AND tk.class = 'green' AND tk.ticket_id <> t.ticket_id;
    END IF;
    IF v_class <> 'green' THEN
        SELECT v_ahead + count(*) INTO v_ahead FROM yc.ticket_queue tk
         WHERE tk.office_code = p_office AND tk.day = v_day AND tk.held_window IS NULL
           AND tk.transfer_to IS NULL AND tk.class = 'appointment' AND tk.ticket_id <> t.ticket_id
           AND tk.slot_end > v_now
           AND tk.slot_start <= CASE WHEN v_class = 'appointment' THEN t.slot_start ELSE v_now END;
    END IF;
    IF v_class = 'priority' THEN
        SELECT v_ahead + count(*) FILTER (WHERE tk.class = 'priority')
               + CASE WHEN c.policy = 'credit'
                      THEN count(*) FILTER (WHERE tk.class <> 'priority'
                          AND tk.issued_at <= v_now - make_interval(mins => c.credit_minutes))
                      ELSE 0 END
          INTO v_ahead FROM yc.ticket_queue tk
         WHERE tk.office_code = p_office AND tk.day = v_day AND tk.held_window IS NULL
           AND tk.transfer_to IS NULL AND tk.ticket_id <> t.ticket_id
           AND (tk.class IN ('priority', 'normal')
                OR (tk.class = 'appointment' AND tk.slot_end <= v_now));
    ELSIF v_class IN ('normal', 'appointment') AND (v_class = 'normal' OR t.slot_end <= v_now) THEN
        SELECT count(*) FILTER (WHERE tk.class <> 'priority'),
               count(*) FILTER (WHERE tk.class = 'priority')
          INTO v_k, v_p FROM yc.ticket_queue tk
         WHERE tk.office_code = p_office AND tk.day = v_day AND tk.held_window IS NULL
           AND tk.transfer_to IS NULL AND tk.ticket_id <> t.ticket_id
           AND (tk.class IN ('priority', 'normal')
                OR (tk.class = 'appointment' AND tk.slot_end <= v_now));
        v_ahead := v_ahead + v_k + CASE WHEN c.policy = 'ratio'
                                        THEN least(v_p, c.ratio_n * (v_k + 1)) ELSE v_p END;
    END IF;

    -- Estimated wait: people ahead x average service time of the office's
    -- latest (up to 100) services today, 5 minutes when none, divided by
    -- the windows with an open session.
    -- (through yc.ticket_recent, as a call reads its tickets)
    SELECT avg(extract(epoch FROM x.finished_at - x.started_at)) INTO v_avg
      FROM (SELECT tk.finished_at, tk.started_at FROM yc.ticket_recent tk
             WHERE tk.office_code = p_office AND tk.day = v_day AND tk.status = 'served'
             ORDER BY tk.finished_at DESC LIMIT 100) x;
    IF v_avg IS NULL AND NOT yc.queue_recent(v_day) THEN
        SELECT avg(extract(epoch FROM x.finished_at - x.started_at)) INTO v_avg
          FROM (SELECT tk.finished_at, tk.started_at FROM yc.ticket tk
                 WHERE tk.office_code = p_office AND tk.day = v_day AND tk.status = 'served'
                 ORDER BY tk.finished_at DESC LIMIT 100) x;
    END IF;
    SELECT count(*) INTO v_open FROM yc.staff_session ss
     WHERE ss.office_code = p_office AND ss.ended_at IS NULL AND ss.window_no IS NOT NULL;

    ahead := v_ahead;
    est_wait_minutes := ceil(v_ahead * coalesce(v_avg, 300) / 60.0 / greatest(v_open, 1))::int;

    PERFORM yc.queue_audit(p_office, v_staff, NULL, 'queue_issue', NULL, t,
        jsonb_build_object('ticket_id', t.ticket_id, 'requested', p_class, 'senior', v_senior,
                           'has_id', v_id IS NOT NULL, 'appointment', t.appointment_code,
                           'ahead', v_ahead, 'placed', v_placed, 'to_window', v_to,
                           'chosen_window', v_window),
        v_client);

    -- Straight to the window: its current ticket, as a call would leave it
    -- (called_at, the window's state), but nobody is called.
    IF v_placed = 'window' THEN
        UPDATE yc.ticket tk
           SET status = 'called', window_no = v_to, called_at = greatest(v_now, tk.issued_at)
         WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
        RETURNING tk.* INTO v;
        PERFORM yc.queue_window_set(p_office, v_to, v, v_now);
        PERFORM yc.queue_audit(p_office, v_staff, v_to, 'queue_place', t, v,
            jsonb_build_object('step', 'green', 'chosen', v_window IS NOT NULL,
                               'by_window', s.window_no),
            v_client);
        t := v;
    END IF;
    PERFORM yc.queue_notify(p_office, 'issue', t.number, v_to);

    IF v_seq = 1 THEN
        PERFORM yc.queue_cancel_stale(p_office, v_day, v_now);
    END IF;

    result := 'ok';
    tk := yc.queue_info(t);
    placed := v_placed;
    to_window := v_to;
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.queue_call_next: the window of a session calls its next ticket.
-- result: ok | empty | paused | no_session | not_allowed
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.queue_call_next(p_session_id bigint)
RETURNS TABLE(result text, tk yc.queue_ticket_info)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    s       record;
    c       record;
    h       record;
    w       yc.window_state%ROWTYPE;
    cur     yc.ticket%ROWTYPE;
    t       yc.ticket%ROWTYPE;
    v       yc.ticket%ROWTYPE;
    v_now   timestamptz := yc.now();
    v_day   date;
    v_step  text;
    v_prio  boolean;
    v_streak int := 0;
BEGIN
    v_day := yc.queue_day(v_now);
    s := yc.queue_session(p_session_id);
    IF NOT s.is_open THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    ELSIF s.window_no IS NULL THEN
        result := 'not_allowed';
        RETURN NEXT;
        RETURN;
    END IF;
    w := yc.queue_window_lock(s.office_code, s.window_no);
    IF w.state = 'paused' THEN
        result := 'paused';
        RETURN NEXT;
        RETURN;
    END IF;

    -- The ticket still at this window is done.
    -- (as yc.queue_close does, but not announced: yc.queue_call_announce
    -- announces the call after the commit)
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NOT NULL THEN
        v := yc.queue_ticket_served(cur, v_now);
        PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_finish', cur, v,
            '{"reason": "call_next"}'::jsonb, s.client);
        -- the window's state row is set once, below, after the pick
    END IF;

    c := yc.queue_conf(s.office_code);
    IF c.policy = 'ratio' THEN
        INSERT INTO yc.queue_office_state (office_code) VALUES (s.office_code)
        ON CONFLICT DO NOTHING;
        SELECT os.priority_streak INTO v_streak FROM yc.queue_office_state os
         WHERE os.office_code = s.office_code FOR UPDATE;
    END IF;

    -- what there is to take (unlocked probes, one statement); only a kind
    -- found is then taken, in the order of calling
    h := yc.queue_walkin_heads(s.office_code, v_day, v_now, s.window_no);
    IF h.transfer THEN
        t := yc.queue_take(s.office_code, v_day, s.window_no, 'transfer', v_now);
        v_step := CASE WHEN t.class = 'green' THEN 'green' ELSE 'transfer' END;
    END IF;
    IF t.ticket_id IS NULL AND h.green THEN
        v_step := 'green';
        t := yc.queue_take(s.office_code, v_day, NULL, 'green', v_now);
    END IF;
    IF t.ticket_id IS NULL AND h.due THEN
        v_step := 'appointment';
        t := yc.queue_take(s.office_code, v_day, NULL, 'due', v_now);
    END IF;
    IF t.ticket_id IS NULL THEN
        IF h.prio_at IS NULL AND h.norm_at IS NULL AND h.late_at IS NULL THEN
            v_prio := NULL;
        ELSIF h.norm_at IS NULL AND h.late_at IS NULL THEN
            v_prio := true;
        ELSIF h.prio_at IS NULL THEN
            v_prio := false;
        ELSIF c.policy = 'strict' THEN
            v_prio := true;
        ELSIF c.policy = 'ratio' THEN
            v_prio := v_streak < c.ratio_n;
        ELSE
            v_prio := h.prio_at - make_interval(mins => c.credit_minutes)
                      < least(h.norm_at, h.late_at);
        END IF;
        IF v_prio THEN
            v_step := 'priority';
            t := yc.queue_take(s.office_code, v_day, NULL, 'priority', v_now);
            IF t.ticket_id IS NULL THEN
                v_step := 'normal';
                t := yc.queue_take_normal(s.office_code, v_day, v_now, h.norm_at, h.late_at);
            END IF;
        ELSIF NOT v_prio THEN
            v_step := 'normal';
            t := yc.queue_take_normal(s.office_code, v_day, v_now, h.norm_at, h.late_at);
            IF t.ticket_id IS NULL THEN
                v_step := 'priority';
                t := yc.queue_take(s.office_code, v_day, NULL, 'priority', v_now);
            END IF;
        END IF;
        IF c.policy = 'ratio' AND t.ticket_id IS NOT NULL THEN
            -- Count priority calls made while a normal-order ticket waited.
            UPDATE yc.queue_office_state os
               SET priority_streak = CASE
                   WHEN v_step = 'priority' AND (h.norm_at IS NOT NULL OR h.late_at IS NOT NULL)
                   THEN os.priority_streak + 1 ELSE 0 END
             WHERE os.office_code = s.office_code;
        END IF;
    END IF;

    IF t.ticket_id IS NULL THEN
        result := 'empty';
        -- the ticket finished here, if any (the caller announces it)
        IF cur.ticket_id IS NOT NULL THEN
            PERFORM yc.queue_window_set(s.office_code, s.window_no, NULL::yc.ticket, v_now);
            PERFORM yc.queue_announce_later(s.office_code, 'finish', v.number, s.window_no);
            tk := yc.queue_info(v);
        END IF;
        RETURN NEXT;
        RETURN;
    END IF;

    -- the window's state first: the ticket's trigger then finds it the
    -- window's current one already (ticket_queue_sync)
    PERFORM yc.queue_window_set(s.office_code, s.window_no, t, v_now);
    v := yc.queue_ticket_called(t, s.window_no, v_now);
    PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_call', t, v,
        jsonb_build_object('step', v_step, 'policy', c.policy), s.client);
    PERFORM yc.queue_announce_later(s.office_code, 'call', v.number, v.window_no);
    result := 'ok';
    tk := yc.queue_info(v);
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.queue_call_announce: announces the call-next this connection made
-- last, on the office's channel, in a transaction of its own right after
-- the call's commit (queue_call_next in tui/store/queue.c sends both at
-- once, in libpq's pipeline mode: one round trip). One notification per
-- call: 'call' with the ticket called, or, when the call found the queue
-- empty after finishing the window's ticket, 'finish' with that ticket.
-- What to announce is left by yc.queue_call_next in the setting
-- yc.queue_announce of the connection (yc.queue_announce_later): set at
-- the session level, it survives the call's commit and is undone with a
-- rollback, so a call that failed or changed nothing announces nothing;
-- this function empties it.
--
-- Why not in the call's own transaction: PostgreSQL serialises the commits
-- of all transactions that NOTIFY, cluster-wide, on one lock held until
-- the commit record is flushed (async.c, PreCommit_Notify), so with
-- synchronous_commit on every notifying call waited for every other's WAL
-- flush; 93 % of the backends' time at 64 windows went to that lock. The
-- call itself still commits durably and in group commit; this
-- transaction writes nothing but the notification, so it commits with
-- synchronous_commit off (the lock is held for microseconds) unless the
-- caller's transaction has written something (then it is left as it is).
-- The notification never comes before the call is durable. If the caller
-- dies between the two, the board shows the call at the office's next
-- notification.
-- Announcements of one office coalesce: while another transaction is
-- announcing for the office (it holds the advisory lock
-- hashtext('yc_queue_announce_' || office) until after its commit), this
-- one sends nothing. That loses nothing a listener needs: every listener
-- re-reads on any notification of the channel, and the other's
-- notification is delivered after its commit, which comes after this
-- call's commit (the call committed before this transaction began), so
-- the re-read sees this call. Without that, the notification lock
-- (cluster-wide, one holder at a time) made a convoy of every window's
-- announcement: 82 % of the backends' time at 64 windows, even with the
-- flush out of it.
-- The setting is checked (an office code, call or finish, a ticket
-- number, a window number) before anything is sent: a connection can set
-- it, but it could call pg_notify as well.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.queue_announce_later(p_office text, p_event text, p_number text,
                                                   p_window int)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    PERFORM pg_catalog.set_config('yc.queue_announce',
        concat_ws('|', p_office, p_event, p_number, p_window), false);
END
$$;

CREATE OR REPLACE FUNCTION yc.queue_call_announce()
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    v text[] := string_to_array(current_setting('yc.queue_announce', true), '|');
BEGIN
    IF v IS NULL OR cardinality(v) <> 4 THEN
        RETURN;
    END IF;
    PERFORM pg_catalog.set_config('yc.queue_announce', '', false);
    IF v[1] !~ '^[0-9]{6}([0-9]{3}){0,2}$' OR v[2] NOT IN ('call', 'finish')
       OR v[3] !~ '^[A-Z][0-9]{3,}$' OR v[4] !~ '^[0-9]{1,6}$' THEN
        RETURN;
    END IF;
    IF pg_catalog.pg_current_xact_id_if_assigned() IS NULL THEN
        PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);
    END IF;
    IF pg_catalog.pg_try_advisory_xact_lock(hashtext('yc_queue_announce_' || v[1])) THEN
        PERFORM yc.queue_notify(v[1], v[2], v[3], v[4]::int);
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- Operations on the current ticket of a session's window. Each locks the
-- window's state row first.
-- result: ok | no_session | not_allowed | no_ticket (| not_called for no-show)
-------------------------------------------------------------------------------

-- Recall: the board shows the current ticket again.
CREATE OR REPLACE FUNCTION yc.queue_recall(p_session_id bigint)
RETURNS TABLE(result text, tk yc.queue_ticket_info)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    s     record;
    cur   yc.ticket%ROWTYPE;
    v     yc.ticket%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        result := s.window_refusal;
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM yc.queue_window_lock(s.office_code, s.window_no);
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NULL THEN
        result := 'no_ticket';
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.ticket tk
       SET recalls = tk.recalls + 1, last_called_at = greatest(v_now, tk.issued_at)
     WHERE tk.office_code = cur.office_code AND tk.ticket_id = cur.ticket_id AND tk.day = cur.day
    RETURNING tk.* INTO v;
    PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_recall', cur, v,
        NULL, s.client);
    PERFORM yc.queue_notify(s.office_code, 'recall', v.number, v.window_no);
    result := 'ok';
    tk := yc.queue_info(v);
    RETURN NEXT;
END
$$;

-- Start: the citizen is at the window; serving begins.
CREATE OR REPLACE FUNCTION yc.queue_start(p_session_id bigint)
RETURNS TABLE(result text, tk yc.queue_ticket_info)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    s     record;
    cur   yc.ticket%ROWTYPE;
    v     yc.ticket%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        result := s.window_refusal;
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM yc.queue_window_lock(s.office_code, s.window_no);
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NULL THEN
        result := 'no_ticket';
        RETURN NEXT;
        RETURN;
    END IF;
    IF cur.status = 'serving' THEN
        result := 'ok';
        tk := yc.queue_info(cur);
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.ticket tk
       SET status = 'serving', started_at = coalesce(tk.started_at, greatest(v_now, tk.issued_at))
     WHERE tk.office_code = cur.office_code AND tk.ticket_id = cur.ticket_id AND tk.day = cur.day
    RETURNING tk.* INTO v;
    PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_start', cur, v,
        NULL, s.client);
    PERFORM yc.queue_notify(s.office_code, 'start', v.number, v.window_no);
    result := 'ok';
    tk := yc.queue_info(v);
    RETURN NEXT;
END
$$;

-- Finish: served, or a no-show (only a called ticket that never started).
CREATE OR REPLACE FUNCTION yc.queue_finish(p_session_id bigint, p_served boolean)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    s     record;
    cur   yc.ticket%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        RETURN s.window_refusal;
    END IF;
    PERFORM yc.queue_window_lock(s.office_code, s.window_no);
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NULL THEN
        RETURN 'no_ticket';
    END IF;
    IF NOT coalesce(p_served, true) AND (cur.status <> 'called' OR cur.started_at IS NOT NULL) THEN
        RETURN 'not_called';
    END IF;
    PERFORM yc.queue_close(cur, CASE WHEN coalesce(p_served, true) THEN 'served' ELSE 'no_show' END,
        s.staff_no, s.window_no, NULL, s.client, v_now);
    PERFORM yc.queue_window_set(s.office_code, s.window_no, NULL::yc.ticket, v_now);
    RETURN 'ok';
END
$$;

-- Transfer the current ticket to another active window of the office
-- (yc.service_window.active; nobody need be signed in there yet: the ticket
-- waits for that window's next call), or back to the queue (p_to_window
-- NULL or 0), keeping its number and its original issue time.
-- result: ok | no_session | not_allowed | no_ticket | unknown_window
CREATE OR REPLACE FUNCTION yc.queue_transfer(p_session_id bigint, p_to_window int)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    s     record;
    cur   yc.ticket%ROWTYPE;
    v     yc.ticket%ROWTYPE;
    v_to  int := nullif(p_to_window, 0);
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        RETURN s.window_refusal;
    END IF;
    PERFORM yc.queue_window_lock(s.office_code, s.window_no);
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NULL THEN
        RETURN 'no_ticket';
    END IF;
    IF v_to IS NOT NULL AND (v_to = s.window_no OR NOT EXISTS (
            SELECT 1 FROM yc.service_window sw
             WHERE sw.office_code = s.office_code AND sw.window_no = v_to AND sw.active)) THEN
        RETURN 'unknown_window';
    END IF;
    UPDATE yc.ticket tk
       SET status = 'waiting', window_no = NULL, transfer_to = v_to
     WHERE tk.office_code = cur.office_code AND tk.ticket_id = cur.ticket_id AND tk.day = cur.day
    RETURNING tk.* INTO v;
    PERFORM yc.queue_window_set(s.office_code, s.window_no, NULL::yc.ticket, v_now);
    PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_transfer', cur, v,
        jsonb_build_object('to_window', v_to), s.client);
    PERFORM yc.queue_notify(s.office_code, 'transfer', v.number, v_to);
    RETURN 'ok';
END
$$;

-- Hold (挂起): the current ticket is put aside at this window.
CREATE OR REPLACE FUNCTION yc.queue_hold(p_session_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    s     record;
    cur   yc.ticket%ROWTYPE;
    v     yc.ticket%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        RETURN s.window_refusal;
    END IF;
    PERFORM yc.queue_window_lock(s.office_code, s.window_no);
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NULL THEN
        RETURN 'no_ticket';
    END IF;
    UPDATE yc.ticket tk SET status = 'held'
     WHERE tk.office_code = cur.office_code AND tk.ticket_id = cur.ticket_id AND tk.day = cur.day
    RETURNING tk.* INTO v;
    PERFORM yc.queue_window_set(s.office_code, s.window_no, NULL::yc.ticket, v_now);
    PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_hold', cur, v,
        NULL, s.client);
    PERFORM yc.queue_notify(s.office_code, 'hold', v.number, v.window_no);
    RETURN 'ok';
END
$$;

-- Calls back a ticket held at this window: it becomes current again.
-- result: ok | no_session | not_allowed | paused | busy | no_ticket
CREATE OR REPLACE FUNCTION yc.queue_resume_held(p_session_id bigint, p_ticket_id bigint)
RETURNS TABLE(result text, tk yc.queue_ticket_info)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    s     record;
    w     yc.window_state%ROWTYPE;
    cur   yc.ticket%ROWTYPE;
    t     yc.ticket%ROWTYPE;
    v     yc.ticket%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        result := s.window_refusal;
        RETURN NEXT;
        RETURN;
    END IF;
    w := yc.queue_window_lock(s.office_code, s.window_no);
    IF w.state = 'paused' THEN
        result := 'paused';
        RETURN NEXT;
        RETURN;
    END IF;
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NOT NULL THEN
        result := 'busy';
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT tk2.* INTO t FROM yc.ticket tk2
     WHERE tk2.office_code = s.office_code AND tk2.ticket_id = p_ticket_id
       AND tk2.window_no = s.window_no AND tk2.status = 'held'
       FOR UPDATE;
    IF NOT FOUND THEN
        result := 'no_ticket';
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.ticket tk2
       SET status = CASE WHEN tk2.started_at IS NULL THEN 'called' ELSE 'serving' END,
           last_called_at = greatest(v_now, tk2.issued_at)
     WHERE tk2.office_code = t.office_code AND tk2.ticket_id = t.ticket_id AND tk2.day = t.day
    RETURNING tk2.* INTO v;
    PERFORM yc.queue_window_set(s.office_code, s.window_no, v, v_now);
    PERFORM yc.queue_audit(s.office_code, s.staff_no, s.window_no, 'queue_resume_held', t, v,
        NULL, s.client);
    PERFORM yc.queue_notify(s.office_code, 'resume_held', v.number, v.window_no);
    result := 'ok';
    tk := yc.queue_info(v);
    RETURN NEXT;
END
$$;

-- Pause the window with a reason (refused while a ticket is current; a
-- reason with a control character or a bidirectional override, yc.text_safe:
-- bad_text).
-- result: ok | no_session | not_allowed | busy | bad_text
CREATE OR REPLACE FUNCTION yc.queue_pause(p_session_id bigint, p_reason text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    s        record;
    w        yc.window_state%ROWTYPE;
    cur      yc.ticket%ROWTYPE;
    v_reason text := nullif(btrim(left(p_reason, 60)), '');
    v_now    timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        RETURN s.window_refusal;
    ELSIF NOT yc.text_safe(v_reason) THEN
        RETURN 'bad_text';
    END IF;
    w := yc.queue_window_lock(s.office_code, s.window_no);
    cur := yc.queue_current(s.office_code, s.window_no);
    IF cur.ticket_id IS NOT NULL THEN
        RETURN 'busy';
    END IF;
    UPDATE yc.window_state ws
       SET state = 'paused', pause_reason = v_reason, current_ticket_id = NULL,
           since = CASE WHEN ws.state = 'paused' THEN ws.since ELSE v_now END
     WHERE ws.office_code = s.office_code AND ws.window_no = s.window_no;
    PERFORM yc.audit_write(s.office_code, s.staff_no, s.window_no, 'queue_pause',
        format('window:%s/%s', s.office_code, s.window_no),
        jsonb_build_object('state', w.state), jsonb_build_object('state', 'paused', 'reason', v_reason),
        s.client);
    PERFORM yc.queue_notify(s.office_code, 'pause', NULL, s.window_no);
    RETURN 'ok';
END
$$;

-- Resume a paused window (a window that is not paused: nothing to do).
CREATE OR REPLACE FUNCTION yc.queue_resume(p_session_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    s     record;
    w     yc.window_state%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        RETURN s.window_refusal;
    END IF;
    w := yc.queue_window_lock(s.office_code, s.window_no);
    IF w.state <> 'paused' THEN
        RETURN 'ok';
    END IF;
    PERFORM yc.queue_window_set(s.office_code, s.window_no, NULL::yc.ticket, v_now);
    PERFORM yc.audit_write(s.office_code, s.staff_no, s.window_no, 'queue_resume',
        format('window:%s/%s', s.office_code, s.window_no),
        jsonb_build_object('state', 'paused', 'reason', w.pause_reason),
        jsonb_build_object('state', 'idle'), s.client);
    PERFORM yc.queue_notify(s.office_code, 'resume', NULL, s.window_no);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- Reading: what a screen runs on refresh. Each query is an index range,
-- bounded by the waiting queue, one office's tickets of one day or a LIMIT.
-------------------------------------------------------------------------------

-- The window of a session: one 'window' row (paused, reason), then its
-- 'current' ticket if any, then up to 8 'held' tickets, oldest first.
-- result: ok | no_session | not_allowed
CREATE OR REPLACE FUNCTION yc.queue_window_state(p_session_id bigint)
RETURNS TABLE(result text, kind text, paused boolean, reason text, tk yc.queue_ticket_info)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    s   record;
    w   yc.window_state%ROWTYPE;
    t   yc.ticket%ROWTYPE;
BEGIN
    s := yc.queue_session(p_session_id);
    IF s.window_refusal IS NOT NULL THEN
        result := s.window_refusal;
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT ws.* INTO w FROM yc.window_state ws
     WHERE ws.office_code = s.office_code AND ws.window_no = s.window_no;
    result := 'ok';
    kind := 'window';
    paused := coalesce(w.state = 'paused', false);
    reason := w.pause_reason;
    RETURN NEXT;
    paused := NULL;
    reason := NULL;
    FOR t IN
        SELECT tk2.* FROM yc.ticket tk2
         WHERE tk2.office_code = s.office_code AND tk2.ticket_id = w.current_ticket_id
           AND tk2.day = w.current_ticket_day
           AND tk2.window_no = s.window_no AND tk2.status IN ('called', 'serving')
    LOOP
        kind := 'current';
        tk := yc.queue_info(t);
        RETURN NEXT;
    END LOOP;
    FOR t IN
        SELECT tk2.* FROM yc.ticket_queue q
          JOIN yc.ticket tk2 ON tk2.office_code = q.office_code AND tk2.ticket_id = q.ticket_id
                           AND tk2.day = q.day
         WHERE q.office_code = s.office_code AND q.held_window = s.window_no
           AND tk2.status = 'held'
         ORDER BY q.issued_at, q.ticket_id
         LIMIT 8
    LOOP
        kind := 'held';
        tk := yc.queue_info(t);
        RETURN NEXT;
    END LOOP;
END
$$;

-- Waiting tickets of an office today per class (four rows, in class order
-- normal, priority, green, appointment), with the longest wait.
-- result: ok | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.queue_counts(p_office text)
RETURNS TABLE(result text, class text, waiting int, longest_wait_seconds int,
              target_minutes int, office_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_name   text;
    v_now    timestamptz := yc.now();
    v_target int;
BEGIN
    SELECT ofc.name INTO v_name FROM yc.office ofc WHERE ofc.code = p_office;
    IF NOT FOUND THEN
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    v_target := (yc.queue_conf(p_office)).target_minutes;
    RETURN QUERY
        SELECT 'ok'::text, k.class, coalesce(x.n, 0)::int,
               coalesce(greatest(extract(epoch FROM v_now - x.oldest), 0), 0)::int,
               v_target, v_name
          FROM unnest(ARRAY['normal', 'priority', 'green', 'appointment']) WITH ORDINALITY
               AS k(class, ord)
          LEFT JOIN (SELECT q.class AS cls, count(*) AS n, min(q.issued_at) AS oldest
                       FROM yc.ticket_queue q
                      WHERE q.office_code = p_office AND q.day = yc.queue_day(v_now)
                        AND q.held_window IS NULL
                      GROUP BY q.class) x ON x.cls = k.class
         ORDER BY k.ord;
END
$$;

-- The latest calls of an office today, newest first: number and window
-- only; never a 绿色通道 ticket (不用排队、叫号: the guide brings the
-- citizen to the window). At most p_limit (1..50) rows. (The office's
-- tickets of the day, ticket_office_code_day_number_key: no index of a
-- ticket has a column a call changes, 0040_ticket_queue.)
-- result: ok (one row per call; no rows when none) | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.queue_recent_calls(p_office text, p_limit int)
RETURNS TABLE(result text, number text, window_no int, called_at bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_day date := yc.queue_day(yc.now());
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.office ofc WHERE ofc.code = p_office) THEN
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, tk.number, tk.window_no,
               extract(epoch FROM tk.last_called_at)::bigint
          FROM yc.ticket tk
         WHERE tk.office_code = p_office AND tk.day = v_day AND tk.last_called_at IS NOT NULL
           AND tk.class <> 'green'
         ORDER BY tk.last_called_at DESC
         LIMIT least(greatest(coalesce(p_limit, 10), 1), 50);
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.now() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.ticket_queue_sync() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.idno_birth(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_info(yc.ticket) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_setting(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_conf(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_day(timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_number(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_notify(text, text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_audit(text, text, integer, text, yc.ticket, yc.ticket, jsonb, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_session(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_window_lock(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_current(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_window_set(text, integer, yc.ticket, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_recent(date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_ticket_current(text, bigint, date, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_ticket_waiting(text, bigint, date, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_ticket_served(yc.ticket, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_ticket_called(yc.ticket, integer, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_close(yc.ticket, text, text, integer, text, text, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_cancel_stale(text, date, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_walkin_heads(text, date, timestamp with time zone, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_take(text, date, integer, text, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_take_normal(text, date, timestamp with time zone, timestamp with time zone, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.office_guide_desk_default() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_window_staffed(text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_free_window(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_issue(text, text, text, text, bigint, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_call_next(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_call_announce() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_announce_later(text, text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_recall(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_start(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_finish(bigint, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_transfer(bigint, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_hold(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_resume_held(bigint, bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_pause(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_resume(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_window_state(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_counts(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.queue_recent_calls(text, integer) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.queue_issue(text, text, text, text, bigint, text, integer),
    yc.queue_call_next(bigint),
    yc.queue_call_announce(),
    yc.queue_recall(bigint),
    yc.queue_start(bigint),
    yc.queue_finish(bigint, boolean),
    yc.queue_transfer(bigint, integer),
    yc.queue_hold(bigint),
    yc.queue_resume_held(bigint, bigint),
    yc.queue_pause(bigint, text),
    yc.queue_resume(bigint),
    yc.queue_window_state(bigint),
    yc.queue_counts(text),
    yc.queue_recent_calls(text, integer)
  TO yichuang_app;
-- The kiosks and boards (0027_roles): tickets and the board, nothing else.
GRANT EXECUTE ON FUNCTION
    yc.queue_issue(text, text, text, text, bigint, text, integer),
    yc.queue_counts(text),
    yc.queue_recent_calls(text, integer)
  TO yichuang_kiosk;
