-- db/functions/supervision.sql: the supervisor console and handover notes.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0010_supervision):
-- 0010_supervision: the shift supervisor's console (值班长) and the
-- end-of-shift handover note of a window.
--
-- Conventions as in 0004/0005: SECURITY DEFINER functions with search_path
-- = yc, pg_temp taking the caller's staff session (yc.case_actor, which
-- honours the connection binding of 0009); expected refusals come back as
-- a result text, never as errors; every change is audited (yc.audit_write)
-- and announced; times from yc.now(), days in Asia/Shanghai.
--
-- Who may call what:
--   hall_*, rating_*     role supervisor ('not_allowed' for any other role)
--   handover_*           any open session at a window ('not_allowed'
--                        without a window)
-- A closed or unknown session is 'no_session' everywhere.
--
-- WHICH HALL (0025_hall_offices): hall_windows, hall_queue, hall_hourly,
-- hall_waits, hall_waiting, hall_reroute and hall_due take the office to
-- show, p_office: NULL (or '') is the session's own office; any other
-- office must be the supervisor's office or below it (yc.office_in_
-- jurisdiction: its code starts with the supervisor's), else the result is
-- 'out_of_jurisdiction'; a code of the jurisdiction that names no office
-- is 'unknown_office'. A supervisor of a prefecture or a province thus
-- watches the live hall of any county, township or village below it, and
-- re-routes its tickets (audited under the ticket's office, with the
-- supervisor's staff number). yc.hall_offices lists the offices of the
-- jurisdiction with their figures, for the console to pick one.
--
-- What a refresh of the console costs (each bounded by one office and one
-- day, each read by an index):
--   hall_windows   the office's windows (service_window pkey), per window
--                  its open session (staff_session_open_window_uq), its
--                  state row (window_state pkey) and its current ticket
--                  (the ticket pkey, from the state row's current_ticket_id)
--   hall_queue     today's tickets of the office (ticket unique
--                  (office_code, day, number))
--   hall_hourly, hall_waits   the same range
--   hall_offices   at most p_limit offices of the jurisdiction, in tree
--                  order (office_code_c_idx, one range), per office: its
--                  windows (service_window pkey) with their open sessions
--                  (staff_session_open_window_uq), today's waiting tickets
--                  (yc.ticket_queue), today's served ones (today's
--                  tickets of the office), and its urgent due dates as
--                  hall_due reads them, at most 100 of each kind
-- Flagged ratings come from rating_flagged_idx, one index range per office
-- of the jurisdiction.
--
-- SERVICE LEVEL (hall_queue): of today's tickets of a class, those called
-- within the office's target (yc.queue_conf: target_minutes) over those
-- that can no longer change their verdict: every ticket called today plus
-- every ticket still waiting longer than the target. A ticket waiting
-- less than the target counts for nothing yet; a ticket cancelled or
-- returned uncalled is left out. level_base = 0: no level yet.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- A clerk signing in or out at a window changes the hall: announced on the
-- office's queue channel like any change of a window ('session', the
-- window; nothing personal), so the console follows without polling.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.staff_session_announce() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    IF NEW.window_no IS NOT NULL
       AND (TG_OP = 'INSERT' OR (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL)) THEN
        PERFORM yc.queue_notify(NEW.office_code, 'session', NULL, NEW.window_no);
    END IF;
    RETURN NULL;
END
$$;

-------------------------------------------------------------------------------
-- Helpers (internal, not granted)
-------------------------------------------------------------------------------

-- Why a supervisor-only call is refused for the actor (NULL: it is not).
CREATE OR REPLACE FUNCTION yc.hall_refusal(a yc.case_actor) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN a.office_code IS NULL THEN 'no_session'
                WHEN a.role IS DISTINCT FROM 'supervisor' THEN 'not_allowed' END;
$$;

-- The office a hall function shows (see WHICH HALL above): p_office
-- trimmed, or the actor's own office when it is NULL or empty.
CREATE OR REPLACE FUNCTION yc.hall_office(a yc.case_actor, p_office text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(nullif(btrim(p_office), ''), a.office_code);
$$;

-- Why showing office p_office (as yc.hall_office gave it) is refused for
-- the actor (NULL: it is not): no_session | not_allowed |
-- out_of_jurisdiction | unknown_office.
CREATE OR REPLACE FUNCTION yc.hall_office_refusal(a yc.case_actor, p_office text) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(yc.hall_refusal(a),
                    CASE WHEN NOT yc.office_in_jurisdiction(a, p_office) THEN 'out_of_jurisdiction'
                         WHEN NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office)
                              THEN 'unknown_office' END);
$$;

-------------------------------------------------------------------------------
-- yc.hall_windows: every active window of the office shown (p_office, see
-- WHICH HALL above), in window order: its clerk (the open session at that window; none: logged
-- out), its state, its current ticket and since when (Unix seconds: the
-- service start when serving, the call when called, the pause when paused).
-- state: serving | called | idle | paused | logged_out
-- result: ok (one row per window) | no_session | not_allowed |
--         out_of_jurisdiction | unknown_office (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_windows(p_session bigint, p_office text)
RETURNS TABLE(result text, window_no int, label text, staff_no text, staff_name text,
              state text, pause_reason text, ticket_number text, ticket_class text,
              since bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    v_office text := yc.hall_office(a, p_office);
BEGIN
    result := yc.hall_office_refusal(a, v_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, sw.window_no, sw.label, ss.staff_no, st.name,
               CASE WHEN ss.staff_no IS NULL THEN 'logged_out'
                    WHEN tk.status = 'serving' THEN 'serving'
                    WHEN tk.status = 'called' THEN 'called'
                    WHEN ws.state = 'paused' THEN 'paused'
                    ELSE 'idle' END,
               CASE WHEN ws.state = 'paused' THEN ws.pause_reason END,
               tk.number, tk.class,
               extract(epoch FROM CASE WHEN tk.status = 'serving' THEN tk.started_at
                                       WHEN tk.status = 'called' THEN tk.called_at
                                       WHEN ws.state = 'paused' THEN ws.since END)::bigint
          FROM yc.service_window sw
          LEFT JOIN yc.staff_session ss
                 ON ss.office_code = sw.office_code AND ss.window_no = sw.window_no
                AND ss.ended_at IS NULL
          LEFT JOIN yc.staff st ON st.staff_no = ss.staff_no
          LEFT JOIN yc.window_state ws
                 ON ws.office_code = sw.office_code AND ws.window_no = sw.window_no
          LEFT JOIN yc.ticket tk
                 ON tk.office_code = sw.office_code AND tk.ticket_id = ws.current_ticket_id
                AND tk.day = ws.current_ticket_day AND tk.window_no = sw.window_no AND tk.status IN ('called', 'serving')
         WHERE sw.office_code = v_office AND sw.active
         ORDER BY sw.window_no;
END
$$;

-------------------------------------------------------------------------------
-- yc.hall_queue: the queue of the office shown (p_office) per class (normal, priority, green,
-- appointment, in that order): waiting now, the longest wait in seconds,
-- and today's service level as two counts (see the top of this file):
-- level_within of level_base were called within target_minutes.
-- result: ok (four rows) | no_session | not_allowed | out_of_jurisdiction |
--         unknown_office (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_queue(p_session bigint, p_office text)
RETURNS TABLE(result text, class text, waiting int, longest_wait_seconds int,
              level_within int, level_base int, target_minutes int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    v_office text := yc.hall_office(a, p_office);
    v_now    timestamptz := yc.now();
    v_target int;
    v_limit  interval;
BEGIN
    result := yc.hall_office_refusal(a, v_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_target := (yc.queue_conf(v_office)).target_minutes;
    v_limit := make_interval(mins => v_target);
    RETURN QUERY
        SELECT 'ok'::text, k.class,
               coalesce(x.waiting, 0)::int,
               coalesce(greatest(extract(epoch FROM v_now - x.oldest), 0), 0)::int,
               coalesce(x.within, 0)::int, coalesce(x.base, 0)::int, v_target
          FROM unnest(ARRAY['normal', 'priority', 'green', 'appointment']) WITH ORDINALITY
               AS k(class, ord)
          LEFT JOIN (SELECT tk.class AS cls,
                            count(*) FILTER (WHERE tk.status = 'waiting') AS waiting,
                            min(tk.issued_at) FILTER (WHERE tk.status = 'waiting') AS oldest,
                            count(*) FILTER (WHERE tk.called_at IS NOT NULL
                                             AND tk.called_at - tk.issued_at <= v_limit) AS within,
                            count(*) FILTER (WHERE tk.called_at IS NOT NULL
                                             OR (tk.status = 'waiting'
                                                 AND v_now - tk.issued_at > v_limit)) AS base
                       FROM yc.ticket tk
                      WHERE tk.office_code = v_office AND tk.day = yc.queue_day(v_now)
                      GROUP BY tk.class) x ON x.cls = k.class
         ORDER BY k.ord;
END
$$;

-------------------------------------------------------------------------------
-- yc.hall_hourly: tickets issued today at the office shown (p_office) per
-- hour (0..23, 24 rows, hours in Asia/Shanghai).
-- result: ok (24 rows) | no_session | not_allowed | out_of_jurisdiction |
--         unknown_office (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_hourly(p_session bigint, p_office text)
RETURNS TABLE(result text, hour int, issued int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    v_office text := yc.hall_office(a, p_office);
BEGIN
    result := yc.hall_office_refusal(a, v_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, h.h, coalesce(x.n, 0)::int
          FROM generate_series(0, 23) h(h)
          LEFT JOIN (SELECT extract(hour FROM tk.issued_at AT TIME ZONE 'Asia/Shanghai')::int AS hh,
                            count(*) AS n
                       FROM yc.ticket tk
                      WHERE tk.office_code = v_office AND tk.day = yc.queue_day(yc.now())
                      GROUP BY 1) x ON x.hh = h.h
         ORDER BY h.h;
END
$$;

-------------------------------------------------------------------------------
-- yc.hall_waits: the waits (issued → first call) of the tickets called
-- today at the office shown (p_office), in buckets of minutes: [0,5) [5,10) [10,15) [15,20) [20,30)
-- [30,45) [45,60) [60,∞): bucket 0..7, lower bound lo_minutes.
-- result: ok (8 rows) | no_session | not_allowed | out_of_jurisdiction |
--         unknown_office (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_waits(p_session bigint, p_office text)
RETURNS TABLE(result text, bucket int, lo_minutes int, tickets int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    v_office text := yc.hall_office(a, p_office);
    v_lows   int[] := ARRAY[0, 5, 10, 15, 20, 30, 45, 60];
BEGIN
    result := yc.hall_office_refusal(a, v_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, b.i - 1, v_lows[b.i], coalesce(x.n, 0)::int
          FROM generate_series(1, 8) b(i)
          LEFT JOIN (SELECT width_bucket(extract(epoch FROM tk.called_at - tk.issued_at) / 60.0,
                                         v_lows::float8[]) AS wb,
                            count(*) AS n
                       FROM yc.ticket tk
                      WHERE tk.office_code = v_office AND tk.day = yc.queue_day(yc.now())
                        AND tk.called_at IS NOT NULL
                      GROUP BY 1) x ON x.wb = b.i
         ORDER BY b.i;
END
$$;

-------------------------------------------------------------------------------
-- yc.hall_waiting: the waiting tickets of the office shown (p_office)
-- today, oldest first, at most p_limit (1..200); with p_number only that
-- ticket. transfer_to: the window it was sent to (NULL: in the queue).
-- result: ok (a row per ticket; no rows when none) | no_session |
-- not_allowed | out_of_jurisdiction | unknown_office (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_waiting(p_session bigint, p_office text, p_number text,
                                           p_limit int)
RETURNS TABLE(result text, ticket_id bigint, number text, class text, issued_at bigint,
              transfer_to int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    v_office text := yc.hall_office(a, p_office);
    v_day    date := yc.queue_day(yc.now());
    v_number text := upper(yc.case_trim(p_number));
BEGIN
    result := yc.hall_office_refusal(a, v_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_number IS NOT NULL THEN
        -- unique (office_code, day, number)
        RETURN QUERY
            SELECT 'ok'::text, tk.ticket_id, tk.number, tk.class,
                   extract(epoch FROM tk.issued_at)::bigint, tk.transfer_to
              FROM yc.ticket tk
             WHERE tk.office_code = v_office AND tk.day = v_day AND tk.number = v_number
               AND tk.status = 'waiting';
        RETURN;
    END IF;
    -- yc.ticket_queue (0040_ticket_queue)
    RETURN QUERY
        SELECT 'ok'::text, tk.ticket_id, tk.number, tk.class,
               extract(epoch FROM tk.issued_at)::bigint, tk.transfer_to
          FROM yc.ticket_queue q
          JOIN yc.ticket tk ON tk.office_code = q.office_code AND tk.ticket_id = q.ticket_id
                           AND tk.day = q.day
         WHERE q.office_code = v_office AND q.day = v_day AND q.held_window IS NULL
           AND tk.status = 'waiting'
         ORDER BY q.issued_at, q.ticket_id
         LIMIT least(greatest(coalesce(p_limit, 50), 1), 200);
END
$$;

-------------------------------------------------------------------------------
-- yc.hall_reroute: sends a waiting ticket of the office shown (p_office;
-- of today) to a window of that office, which calls it before anything
-- else (as yc.queue_transfer does for a window's current ticket); p_window
-- NULL or 0 puts it back into the queue in its original place. Audited
-- ('queue_reroute', before/after, under the ticket's office with the
-- supervisor's staff number and office) and announced on the ticket
-- office's queue channel ('reroute').
-- result: ok | no_session | not_allowed | out_of_jurisdiction |
--         unknown_office | not_found | not_waiting | unknown_window
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_reroute(p_session bigint, p_office text, p_ticket_id bigint,
                                           p_window int)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a        yc.case_actor := yc.case_actor(p_session);
    v_office text := yc.hall_office(a, p_office);
    v_refuse text := yc.hall_office_refusal(a, v_office);
    t        yc.ticket%ROWTYPE;
    v        yc.ticket%ROWTYPE;
    v_to     int := nullif(p_window, 0);
BEGIN
    IF v_refuse IS NOT NULL THEN
        RETURN v_refuse;
    END IF;
    SELECT tk.* INTO t FROM yc.ticket tk
     WHERE tk.office_code = v_office AND tk.ticket_id = p_ticket_id
       AND tk.day = yc.queue_day(yc.now())
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'not_found';
    ELSIF t.status <> 'waiting' THEN
        RETURN 'not_waiting';
    END IF;
    IF v_to IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM yc.service_window sw
             WHERE sw.office_code = v_office AND sw.window_no = v_to AND sw.active) THEN
        RETURN 'unknown_window';
    END IF;
    UPDATE yc.ticket tk SET transfer_to = v_to
     WHERE tk.office_code = t.office_code AND tk.ticket_id = t.ticket_id AND tk.day = t.day
    RETURNING tk.* INTO v;
    -- the supervisor's own window only counts in the supervisor's own office
    PERFORM yc.queue_audit(v_office, a.staff_no,
        CASE WHEN v_office = a.office_code THEN a.window_no END, 'queue_reroute', t, v,
        jsonb_build_object('to_window', v_to, 'by', 'supervisor',
                           'supervisor_office', a.office_code), a.client);
    PERFORM yc.queue_notify(v_office, 'reroute', v.number, v_to);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.rating_flagged: the 差评 (grade 4 or 5) not yet followed up, of the
-- supervisor's office and the offices below it, oldest first, at most
-- p_limit (1..200). rated_at as Unix seconds; case and ticket when known.
-- result: ok (a row per rating; no rows when none) | no_session |
-- not_allowed (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.rating_flagged(p_session bigint, p_limit int)
RETURNS TABLE(result text, office_code text, rating_id bigint, office_name text,
              rated_at bigint, grade int, staff_no text, staff_name text, window_no int,
              case_no text, type_name text, ticket_number text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
BEGIN
    result := yc.hall_refusal(a);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    -- rating_flagged_idx, one range per office of the jurisdiction
    RETURN QUERY
        SELECT 'ok'::text, r.office_code, r.rating_id, o.name,
               extract(epoch FROM r.rated_at)::bigint, r.grade::int, r.staff_no, st.name,
               r.window_no, r.case_no,
               (SELECT ct.name FROM yc.service_case sc
                  JOIN yc.case_type ct ON ct.code = sc.case_type_code
                                      AND ct.version = sc.case_type_version
                 WHERE sc.office_code = r.case_office AND sc.case_no = r.case_no),
               (SELECT tk.number FROM yc.ticket tk
                 WHERE tk.office_code = r.office_code AND tk.ticket_id = r.ticket_id)
          FROM yc.office o
          JOIN yc.rating r ON r.office_code = o.code AND r.flagged AND r.handled_at IS NULL
          JOIN yc.staff st ON st.staff_no = r.staff_no
         WHERE left(o.code, length(a.office_code)) = a.office_code
         ORDER BY r.rated_at, r.rating_id
         LIMIT least(greatest(coalesce(p_limit, 50), 1), 200);
END
$$;

-------------------------------------------------------------------------------
-- yc.rating_follow_up: the supervisor's follow-up of a 差评 of the office
-- or an office below it: the note (1..500 characters) is written and the
-- rating marked handled (handled_at, handled_by). Audited
-- ('rating_follow_up') and announced on the rating office's case channel.
-- result: ok | no_session | not_allowed | not_found (no such rating, not
-- flagged, or outside the jurisdiction) | handled (already followed up) |
-- bad_input (an empty or too long note) | bad_text (a control character or
-- a bidirectional override in it, yc.text_safe)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.rating_follow_up(p_session bigint, p_office text, p_rating_id bigint,
                                    p_note text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a      yc.case_actor := yc.case_actor(p_session);
    r      yc.rating%ROWTYPE;
    v_note text := yc.case_trim(p_note);
    v_now  timestamptz := yc.now();
BEGIN
    IF yc.hall_refusal(a) IS NOT NULL THEN
        RETURN yc.hall_refusal(a);
    END IF;
    IF v_note IS NULL OR char_length(v_note) > 500 THEN
        RETURN 'bad_input';
    ELSIF NOT yc.text_safe(v_note) THEN
        RETURN 'bad_text';
    END IF;
    IF NOT yc.office_in_jurisdiction(a, p_office) THEN
        RETURN 'not_found';
    END IF;
    SELECT rt.* INTO r FROM yc.rating rt
     WHERE rt.office_code = p_office AND rt.rating_id = p_rating_id
       FOR UPDATE;
    IF NOT FOUND OR NOT r.flagged THEN
        RETURN 'not_found';
    ELSIF r.handled_at IS NOT NULL THEN
        RETURN 'handled';
    END IF;
    UPDATE yc.rating rt
       SET handled_at = v_now, handled_by = a.staff_no, follow_up = v_note
     WHERE rt.office_code = r.office_code AND rt.rating_id = r.rating_id;
    PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'rating_follow_up',
        format('rating:%s/%s', r.office_code, r.rating_id),
        jsonb_build_object('handled_at', NULL, 'follow_up', r.follow_up),
        jsonb_build_object('handled_at', v_now, 'handled_by', a.staff_no, 'follow_up', v_note,
                           'grade', r.grade, 'staff_no', r.staff_no),
        a.client);
    PERFORM yc.case_notify(r.office_code, a.office_code, 'rating_handled', r.case_no, NULL);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.handover_write: the end-of-shift note (1..1000 characters) of the
-- session's window, by any staff signed in at a window. Audited
-- ('handover_write').
-- result: ok | no_session | not_allowed (no window) | bad_input | bad_text
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.handover_write(p_session bigint, p_note text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a      yc.case_actor := yc.case_actor(p_session);
    v_note text := yc.case_trim(p_note);
    v_id   bigint;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN 'no_session';
    ELSIF a.window_no IS NULL THEN
        RETURN 'not_allowed';
    ELSIF v_note IS NULL OR char_length(v_note) > 1000 THEN
        RETURN 'bad_input';
    ELSIF NOT yc.text_safe(v_note) THEN
        RETURN 'bad_text';
    END IF;
    INSERT INTO yc.handover (office_code, window_no, written_at, staff_no, note)
    VALUES (a.office_code, a.window_no, yc.now(), a.staff_no, v_note)
    RETURNING handover_id INTO v_id;
    PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'handover_write',
        format('handover:%s/%s', a.office_code, v_id), NULL,
        jsonb_build_object('window_no', a.window_no, 'note', v_note), a.client);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.handover_latest: the newest handover note of the session's window of
-- the last 7 days, when someone else wrote it (the clerk's own note, being
-- the newest, means nothing new to read). written_at as Unix seconds.
-- result: ok | no_session | not_allowed (no window) | not_found (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.handover_latest(p_session bigint)
RETURNS TABLE(result text, written_at bigint, staff_no text, staff_name text, note text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
    h yc.handover%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
    ELSIF a.window_no IS NULL THEN
        result := 'not_allowed';
    ELSE
        -- handover_window_idx
        SELECT hv.* INTO h FROM yc.handover hv
         WHERE hv.office_code = a.office_code AND hv.window_no = a.window_no
           AND hv.written_at > yc.now() - interval '7 days'
         ORDER BY hv.written_at DESC, hv.handover_id DESC
         LIMIT 1;
        IF NOT FOUND OR h.staff_no = a.staff_no THEN
            result := 'not_found';
        ELSE
            result := 'ok';
            written_at := extract(epoch FROM h.written_at)::bigint;
            staff_no := h.staff_no;
            staff_name := (SELECT st.name FROM yc.staff st WHERE st.staff_no = h.staff_no);
            note := h.note;
        END IF;
    END IF;
    RETURN NEXT;
END
$$;

-- 0011_hall_due: the near-due and overdue cases of the office shown and of
-- the offices below it, for the console (值班长: 临期与超期).
--
-- Conventions as in 0010: SECURITY DEFINER, search_path = yc, pg_temp,
-- the caller's staff session through yc.case_actor (connection binding of
-- 0009), refusals as a result text. Read only; nothing audited.
--
-- What a call costs: the offices of the subtree (an office-code prefix,
-- yc.office_subtree: office_code_c_idx) are read from the office table,
-- then per office (yc.hall_due_dates) one range of each of the partial
-- indexes of the deadline board, bounded above by the horizon (below) and
-- ordered by due date, at most p_limit rows each:
--   cases      service_case_open_idx (office_code, status, promised_date),
--              one range per open status
--   stages     case_stage_due_idx (office_code, due_date), the case by its
--              primary key
--   materials  case_material_due_idx (office_code, due_date), likewise
-- The working days left are counted for the returned rows only.
--
-- URGENT: overdue (due before today), or at most 3 working days left, or
-- at most 20 % of the limit (the case's limit_days, the stage's days, the
-- material's defer_days) left. The horizon of the index ranges is 20
-- working days from today (20 % of a 100-day limit): a limit above 100
-- working days is shown from its last 20 working days.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- yc.hall_due_dates (internal, not granted): the urgent due dates (see
-- above) of the open cases of one office, at most p_limit of each kind
-- (the case's promise: per open status), each kind earliest first, in no
-- particular order overall. p_three is today + 3 working days, p_horizon
-- today + 20, p_left[i] the working days left for a due date of
-- p_today + i - 1 (i = 1 .. up to the horizon).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_due_dates(p_office text, p_today date, p_three date,
                                             p_horizon date, p_left int[], p_limit int)
RETURNS TABLE(case_no text, kind text, label text, due date, limit_days int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT x.case_no, 'case'::text, ''::text, x.promised_date, x.limit_days
      FROM unnest(ARRAY['draft', 'pending_supplement', 'accepted', 'in_progress']) s(status)
      CROSS JOIN LATERAL (
            SELECT sc.case_no, sc.promised_date, sc.limit_days
              FROM yc.service_case sc
             WHERE sc.office_code = p_office AND sc.status = s.status
               -- the predicate of service_case_open_idx, spelled out: the
               -- planner cannot infer it from s.status
               AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
               AND sc.promised_date <= p_horizon
               AND (sc.promised_date <= p_three
                    OR p_left[sc.promised_date - p_today + 1] <= 0.2 * coalesce(sc.limit_days, 0))
             ORDER BY sc.promised_date LIMIT p_limit) x
    UNION ALL
    SELECT x.case_no, 'stage', x.name, x.due_date, x.days
      FROM (SELECT st.case_no, st.name, st.due_date, st.days
              FROM yc.case_stage st
              JOIN yc.service_case sc ON sc.office_code = st.office_code AND sc.case_no = st.case_no
             WHERE st.office_code = p_office AND st.finished_at IS NULL
               AND st.due_date <= p_horizon
               AND (st.due_date <= p_three
                    OR p_left[st.due_date - p_today + 1] <= 0.2 * st.days)
               AND st.stage_no = sc.stage_no
               AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
             ORDER BY st.due_date LIMIT p_limit) x
    UNION ALL
    SELECT x.case_no, 'material', x.name, x.due_date, x.defer_days
      FROM (SELECT cm.case_no, cm.name, cm.due_date, cm.defer_days
              FROM yc.case_material cm
              JOIN yc.service_case sc ON sc.office_code = cm.office_code AND sc.case_no = cm.case_no
             WHERE cm.office_code = p_office AND cm.state = 'deferred'
               AND cm.due_date <= p_horizon
               AND (cm.due_date <= p_three
                    OR p_left[cm.due_date - p_today + 1] <= 0.2 * cm.defer_days)
               AND sc.status NOT IN ('finished', 'rejected', 'cancelled')
             ORDER BY cm.due_date LIMIT p_limit) x;
$$;

-------------------------------------------------------------------------------
-- yc.hall_due: the urgent due dates (see above) of the open cases of the
-- office shown (p_office, see WHICH HALL at the top; NULL: the
-- supervisor's own) and the offices below it, most urgent first (fewest
-- working days left, then earliest due date), at most p_limit (1..200,
-- default 50). kind case | stage | material; label the stage or material
-- name ('' for the case's promise); remaining in working days (negative:
-- overdue); limit_days the limit the 20 % rule reads; office_name names
-- the office of each case.
-- result: ok (a row per due date; none when nothing is urgent) |
--         no_session | not_allowed | out_of_jurisdiction | unknown_office |
--         calendar (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_due(p_session bigint, p_office text, p_limit int)
RETURNS TABLE(result text, office_code text, office_name text, case_no text, type_name text,
              person_name text, kind text, label text, due date, remaining int, limit_days int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a         yc.case_actor := yc.case_actor(p_session);
    v_office  text := yc.hall_office(a, p_office);
    v_limit   int := least(greatest(coalesce(p_limit, 50), 1), 200);
    v_today   date := yc.case_today();
    v_horizon date;
    v_three   date;
    v_left    int[];	-- working days left for a due date of today + i - 1
BEGIN
    result := yc.hall_office_refusal(a, v_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_three := yc.add_workdays(v_today, 3);
    v_horizon := yc.add_workdays(v_today, 20);
    SELECT array_agg(yc.workdays_between(v_today, g.d::date) ORDER BY g.d) INTO v_left
      FROM generate_series(v_today, v_horizon, interval '1 day') g(d);
    RETURN QUERY
    WITH jur AS (
        SELECT j.code, j.name FROM yc.office_subtree(v_office) j),
    cand AS (
        SELECT j.code AS office_code, x.case_no, x.kind, x.label, x.due, x.limit_days
          FROM jur j
          CROSS JOIN LATERAL yc.hall_due_dates(j.code, v_today, v_three, v_horizon, v_left,
                                               v_limit) x),
    top AS (
        -- working days left grow with the due date: the earliest are the
        -- most urgent
        SELECT r.* FROM cand r ORDER BY r.due, r.office_code, r.case_no, r.kind, r.label
         LIMIT v_limit)
    SELECT 'ok'::text, t.office_code, j.name, t.case_no, ct.name, pr.name, t.kind, t.label, t.due,
           CASE WHEN t.due >= v_today THEN v_left[t.due - v_today + 1]
                ELSE yc.workdays_between(v_today, t.due) END,
           t.limit_days
      FROM top t
      JOIN jur j ON j.code = t.office_code
      JOIN yc.service_case sc ON sc.office_code = t.office_code AND sc.case_no = t.case_no
      JOIN yc.case_type ct ON ct.code = sc.case_type_code AND ct.version = sc.case_type_version
      JOIN yc.person pr ON pr.id_no = sc.id_no
     ORDER BY 10, t.due, t.office_code, t.case_no, t.kind, t.label;
EXCEPTION
    WHEN SQLSTATE 'YC001' THEN
        result := 'calendar';
        office_code := NULL;
        RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- yc.hall_offices: the offices of the supervisor's jurisdiction (the own
-- office and every office below it), in tree order (a parent before the
-- offices below it; depth 0 the own office, 1 right below it, …), at most
-- p_limit (1..500, default 100), each with its hall now:
--   windows_active   its active windows (0: no hall to show)
--   windows_open     of those, the ones a clerk is signed in at
--   waiting          tickets waiting today; longest_wait_seconds the
--                    oldest of them (0 when none), target_minutes the
--                    office's target (yc.queue_conf)
--   served_today     tickets served today
--   overdue          open cases with an overdue due date (the case's
--                    promise, its stage or a 容缺 material; the rule of
--                    hall_due), near_due the other urgent ones; counted
--                    from at most 100 due dates of each kind per office:
--                    due_more says that many were read and the counts
--                    may be higher (shown as "N+")
-- Only the figures of the office itself: a county's row does not add its
-- townships' (they have rows of their own).
-- result: ok (a row per office) | no_session | not_allowed | calendar
--         (one row)
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_offices(p_session bigint, p_limit int)
RETURNS TABLE(result text, code text, name text, tier text, depth int, windows_active int,
              windows_open int, waiting int, longest_wait_seconds int, target_minutes int,
              served_today int, overdue int, near_due int, due_more boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a         yc.case_actor := yc.case_actor(p_session);
    v_limit   int := least(greatest(coalesce(p_limit, 100), 1), 500);
    v_cap     int := 100;	-- due dates read per kind and office
    v_now     timestamptz := yc.now();
    v_day     date := yc.queue_day(v_now);
    v_today   date := yc.case_today();
    v_horizon date;
    v_three   date;
    v_left    int[];
BEGIN
    result := yc.hall_refusal(a);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_three := yc.add_workdays(v_today, 3);
    v_horizon := yc.add_workdays(v_today, 20);
    SELECT array_agg(yc.workdays_between(v_today, g.d::date) ORDER BY g.d) INTO v_left
      FROM generate_series(v_today, v_horizon, interval '1 day') g(d);
    RETURN QUERY
        SELECT 'ok'::text, s.code, s.name, o.tier, s.depth,
               w.n_active::int, w.n_open::int, q.n::int,
               coalesce(greatest(extract(epoch FROM v_now - q.oldest), 0), 0)::int,
               (yc.queue_conf(s.code)).target_minutes,
               sv.n::int, d.overdue::int, d.near::int, d.more
          FROM (SELECT t.code, t.name, t.depth FROM yc.office_subtree(a.office_code) t
                 LIMIT v_limit) s
          JOIN yc.office o ON o.code = s.code
          CROSS JOIN LATERAL (
                SELECT count(*) AS n_active, count(ss.session_id) AS n_open
                  FROM yc.service_window sw
                  LEFT JOIN yc.staff_session ss
                         ON ss.office_code = sw.office_code AND ss.window_no = sw.window_no
                        AND ss.ended_at IS NULL
                 WHERE sw.office_code = s.code AND sw.active) w
          CROSS JOIN LATERAL (
                -- ticket_queue_order_idx, ticket_queue_transfer_idx
                SELECT count(*) AS n, min(tq.issued_at) AS oldest
                  FROM yc.ticket_queue tq
                 WHERE tq.office_code = s.code AND tq.day = v_day AND tq.held_window IS NULL) q
          CROSS JOIN LATERAL (
                -- the office's tickets of the day (ticket_office_code_day_number_key)
                SELECT count(*) AS n
                  FROM yc.ticket tk
                 WHERE tk.office_code = s.code AND tk.day = v_day AND tk.status = 'served') sv
          CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE u.first_due < v_today) AS overdue,
                       count(*) FILTER (WHERE u.first_due >= v_today) AS near,
                       coalesce(sum(u.dates), 0) >= v_cap AS more
                  FROM (SELECT x.case_no, min(x.due) AS first_due, count(*) AS dates
                          FROM yc.hall_due_dates(s.code, v_today, v_three, v_horizon, v_left,
                                                 v_cap) x
                         GROUP BY x.case_no) u) d
         ORDER BY s.code COLLATE "C";
EXCEPTION
    WHEN SQLSTATE 'YC001' THEN
        result := 'calendar';
        code := NULL;
        RETURN NEXT;
END
$$;

CREATE OR REPLACE TRIGGER staff_session_announce AFTER INSERT OR UPDATE OF ended_at ON yc.staff_session
    FOR EACH ROW EXECUTE FUNCTION yc.staff_session_announce();

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.staff_session_announce() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_refusal(yc.case_actor) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_office(yc.case_actor, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_office_refusal(yc.case_actor, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_windows(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_queue(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_hourly(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_waits(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_waiting(bigint, text, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_reroute(bigint, text, bigint, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.rating_flagged(bigint, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.rating_follow_up(bigint, text, bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.handover_write(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.handover_latest(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_due_dates(text, date, date, date, integer[], integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_due(bigint, text, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hall_offices(bigint, integer) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.hall_windows(bigint, text),
    yc.hall_queue(bigint, text),
    yc.hall_hourly(bigint, text),
    yc.hall_waits(bigint, text),
    yc.hall_waiting(bigint, text, text, integer),
    yc.hall_reroute(bigint, text, bigint, integer),
    yc.rating_flagged(bigint, integer),
    yc.rating_follow_up(bigint, text, bigint, text),
    yc.handover_write(bigint, text),
    yc.handover_latest(bigint),
    yc.hall_due(bigint, text, integer),
    yc.hall_offices(bigint, integer)
  TO yichuang_app;
