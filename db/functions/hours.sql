-- db/functions/hours.sql: opening hours (延时错时, 365 天"不打烊") and the known settings.
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).

-- From the migration that introduced them (0023_opening_hours):
--
-- WHICH HOURS A DAY HAS (yc.hours_day), for one office and one date:
--   1. a dated exception of the office (yc.office_hours_exception: a
--      holiday duty day, a closure, other hours) decides, whatever the day;
--   2. a day off of the working-day calendar (yc.workday_adjustment
--      'off': the statutory holidays and the days off around them, a
--      Saturday or Sunday inside them included) follows the office's
--      holiday row (dow 8); an office without one follows its Sunday row,
--      and without that the default (closed);
--   3. a make-up working day (调休上班, 'work' on a Saturday or Sunday)
--      follows the office's Monday row (a working day's hours);
--   4. any other day its weekday's row (1 Monday … 7 Sunday).
--   A missing row is the default, yc.hours_default: working days
--   08:30-12:00 and 14:30-17:30 (Beijing time), Saturday, Sunday and the
--   days off closed. A year the calendar does not hold (past the statutory
--   table) is taken by its weekdays.
--   A day's sessions: the morning one, the afternoon one (each may be
--   missing; a single session is the morning one) and, with noon service
--   (午间延时服务), the time between them: the hall is then open from the
--   morning's opening to the afternoon's closing.
--
-- THE HALL'S STATE at an instant (yc.hours_at): open (in a session),
-- noon (between the sessions of a day with noon service: open, 午间延时服务)
-- or closed, with the next opening when closed (looked for over the next
-- 400 days: NULL when the office does not open in that time).
--
-- TICKETS. yc.queue_issue (db/functions/queue.sql) refuses a kiosk ticket
-- (normal, priority, appointment) while the hall is closed: result
-- 'closed' with the next opening, audited as queue_issue_refused, nothing
-- issued. A 绿色通道 ticket is issued by staff who are there (the guide
-- desk, a supervisor, a clerk at a window) and goes to a staffed window:
-- it is not refused outside the hours. Calling, serving and finishing are
-- never refused: the windows serve who is still waiting after closing.
--
-- 延时服务 in the daily report (yc.report_daily_tickets): a ticket issued
-- on a day that is not a working day of the calendar, or on a working day
-- outside the regular weekday hours (those of yc.hours_default: 08:30-12:00,
-- 14:30-17:30), whatever the office's own schedule: noon service, weekend
-- and holiday service, earlier opening and later closing all count.
--
-- CHANGES (yc.hours_set_days, yc.hours_clear_days, yc.hours_set_exception,
-- yc.hours_drop_exception) are made by an administrator's session for the
-- session's office or an office below it (yc.office_in_jurisdiction), or,
-- with p_session NULL, by the database owner's own connection (the first
-- set-up; yc.connection_trusted); each is audited with before and after and
-- announced on the office's queue channel ({"e":"hours"}: boards and
-- consoles read again) and on yc_hours_<office> (the kiosks listen there).
-- An exception for a day already past cannot be set or removed.
--
-- KNOWN SETTINGS (yc.setting with a value_type): the trigger setting_guard
-- refuses a value of the wrong type or out of range from anyone;
-- yc.setting_list shows them to administrators, yc.setting_set changes one
-- (audited, before and after). Settings hold for the whole database:
-- administrators of a centre (an office of county level or above,
-- 0024_office_levels) may change them, other administrators may only read them; the owner's own
-- connection may do both.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Days and hours.
-------------------------------------------------------------------------------

-- The default hours of a day of the week (1 Monday … 7 Sunday, 8 a day off
-- of the calendar), for an office without its own row. On a working day
-- they are also the regular weekday hours of the daily report.
CREATE OR REPLACE FUNCTION yc.hours_default(p_dow int,
    OUT morning_open time, OUT morning_close time, OUT afternoon_open time,
    OUT afternoon_close time, OUT noon boolean)
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
BEGIN
    noon := false;
    IF p_dow BETWEEN 1 AND 5 THEN
        morning_open := '08:30';
        morning_close := '12:00';
        afternoon_open := '14:30';
        afternoon_close := '17:30';
    END IF;
END
$$;

-- The hours of an office on a day (see the top):
--   kind    workday | makeup (调休上班) | weekend | holiday (a day off of the calendar)
--   label   the calendar's name of the day (春节, 国庆节调休), or the exception's note
--   source  exception | office (its row for the day) | sunday (a day off
--           of an office without a holiday row: its Sunday row) | default
CREATE OR REPLACE FUNCTION yc.hours_day(p_office text, p_day date,
    OUT kind text, OUT label text, OUT source text,
    OUT morning_open time, OUT morning_close time, OUT afternoon_open time,
    OUT afternoon_close time, OUT noon boolean)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_adj  text;
    v_name text;
    v_dow  int := extract(isodow FROM p_day)::int;
    e      yc.office_hours_exception%ROWTYPE;
    h      yc.office_hours%ROWTYPE;
    d      record;
BEGIN
    SELECT w.kind, w.name INTO v_adj, v_name FROM yc.workday_adjustment w WHERE w.day = p_day;
    kind := CASE WHEN v_adj = 'off' THEN 'holiday' WHEN v_adj = 'work' THEN 'makeup'
                 WHEN v_dow >= 6 THEN 'weekend' ELSE 'workday' END;
    label := v_name;
    SELECT x.* INTO e FROM yc.office_hours_exception x
     WHERE x.office_code = p_office AND x.day = p_day;
    IF FOUND THEN
        source := 'exception';
        label := e.note;
        morning_open := e.morning_open;
        morning_close := e.morning_close;
        afternoon_open := e.afternoon_open;
        afternoon_close := e.afternoon_close;
        noon := e.noon;
        RETURN;
    END IF;
    v_dow := CASE kind WHEN 'holiday' THEN 8 WHEN 'makeup' THEN 1 ELSE v_dow END;
    SELECT oh.* INTO h FROM yc.office_hours oh WHERE oh.office_code = p_office AND oh.dow = v_dow;
    IF FOUND THEN
        source := 'office';
    ELSIF v_dow = 8 THEN
        SELECT oh.* INTO h FROM yc.office_hours oh WHERE oh.office_code = p_office AND oh.dow = 7;
        IF FOUND THEN
            source := 'sunday';
        END IF;
    END IF;
    IF source IS NULL THEN
        d := yc.hours_default(v_dow);
        source := 'default';
        morning_open := d.morning_open;
        morning_close := d.morning_close;
        afternoon_open := d.afternoon_open;
        afternoon_close := d.afternoon_close;
        noon := d.noon;
    ELSE
        morning_open := h.morning_open;
        morning_close := h.morning_close;
        afternoon_open := h.afternoon_open;
        afternoon_close := h.afternoon_close;
        noon := h.noon;
    END IF;
END
$$;

-- The state of an office's hall at p_at (see the top): state open | noon |
-- closed; the day (Asia/Shanghai) and its hours (yc.hours_day); next_open
-- when closed (NULL: not within 400 days; NULL too while open);
-- changes_at: when the state changes next, or the next midnight when that
-- is sooner (today's hours change then).
CREATE OR REPLACE FUNCTION yc.hours_at(p_office text, p_at timestamptz,
    OUT state text, OUT day date, OUT kind text, OUT label text, OUT source text,
    OUT morning_open time, OUT morning_close time, OUT afternoon_open time,
    OUT afternoon_close time, OUT noon boolean, OUT next_open timestamptz,
    OUT changes_at timestamptz)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_local timestamp := p_at AT TIME ZONE 'Asia/Shanghai';
    v_t     time := v_local::time;
    v_next  timestamp;
    v_day   date;
    d       record;
BEGIN
    day := v_local::date;
    d := yc.hours_day(p_office, day);
    kind := d.kind;
    label := d.label;
    source := d.source;
    morning_open := d.morning_open;
    morning_close := d.morning_close;
    afternoon_open := d.afternoon_open;
    afternoon_close := d.afternoon_close;
    noon := d.noon;
    IF morning_open IS NOT NULL AND v_t >= morning_open AND v_t < morning_close THEN
        state := 'open';
        v_next := day + morning_close;
    ELSIF noon AND v_t >= morning_close AND v_t < afternoon_open THEN
        state := 'noon';
        v_next := day + afternoon_open;
    ELSIF afternoon_open IS NOT NULL AND v_t >= afternoon_open AND v_t < afternoon_close THEN
        state := 'open';
        v_next := day + afternoon_close;
    ELSE
        state := 'closed';
        IF morning_open IS NOT NULL AND v_t < morning_open THEN
            v_next := day + morning_open;
        ELSIF afternoon_open IS NOT NULL AND v_t < afternoon_open THEN
            v_next := day + afternoon_open;
        ELSE
            FOR i IN 1..400 LOOP
                v_day := day + i;
                d := yc.hours_day(p_office, v_day);
                IF d.morning_open IS NOT NULL THEN
                    v_next := v_day + d.morning_open;
                    EXIT;
                END IF;
            END LOOP;
        END IF;
        next_open := v_next AT TIME ZONE 'Asia/Shanghai';
    END IF;
    changes_at := least(v_next, (day + 1)::timestamp) AT TIME ZONE 'Asia/Shanghai';
END
$$;

-- A day's hours for the audit trail.
CREATE OR REPLACE FUNCTION yc.hours_json(p_mo time, p_mc time, p_ao time, p_ac time, p_noon boolean)
RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object('morning', CASE WHEN p_mo IS NOT NULL
                                              THEN to_char(p_mo, 'HH24:MI') || '-' || to_char(p_mc, 'HH24:MI') END,
                              'afternoon', CASE WHEN p_ao IS NOT NULL
                                                THEN to_char(p_ao, 'HH24:MI') || '-' || to_char(p_ac, 'HH24:MI') END,
                              'noon', coalesce(p_noon, false));
$$;

-- A time as the screens show it: HH:MM (24:00 for the end of the day).
CREATE OR REPLACE FUNCTION yc.hours_hhmm(p time) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT to_char(p, 'HH24:MI');
$$;

-------------------------------------------------------------------------------
-- For the kiosk, the board, the console and the administrators' screens:
-- opening hours are public (no session, nothing personal).
-------------------------------------------------------------------------------

-- Today's hours of an office and the state of its hall now. changes_in:
-- seconds until the state (or the day) changes, for the screens' timer;
-- next_open and server_now: epoch seconds (next_open NULL while open, or
-- when the office does not open within 400 days).
-- result: ok | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.hours_today(p_office text)
RETURNS TABLE(result text, day date, kind text, label text, source text,
              morning_open text, morning_close text, afternoon_open text, afternoon_close text,
              noon boolean, state text, next_open bigint, changes_in int, server_now bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_now timestamptz := yc.now();
    h     record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    h := yc.hours_at(p_office, v_now);
    result := 'ok';
    day := h.day;
    kind := h.kind;
    label := h.label;
    source := h.source;
    morning_open := yc.hours_hhmm(h.morning_open);
    morning_close := yc.hours_hhmm(h.morning_close);
    afternoon_open := yc.hours_hhmm(h.afternoon_open);
    afternoon_close := yc.hours_hhmm(h.afternoon_close);
    noon := h.noon;
    state := h.state;
    next_open := extract(epoch FROM h.next_open)::bigint;
    changes_in := greatest(ceil(extract(epoch FROM h.changes_at - v_now)), 1)::int;
    server_now := extract(epoch FROM v_now)::bigint;
    RETURN NEXT;
END
$$;

-- The weekly schedule of an office as it applies: eight rows, dow 1
-- Monday … 7 Sunday, 8 the days off of the calendar; source office (its
-- own row) | default | sunday (dow 8 of an office without a holiday row).
-- result: ok | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.hours_week(p_office text)
RETURNS TABLE(result text, dow int, source text, morning_open text, morning_close text,
              afternoon_open text, afternoon_close text, noon boolean, updated_by text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    h yc.office_hours%ROWTYPE;
    d record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    result := 'ok';
    FOR i IN 1..8 LOOP
        dow := i;
        SELECT oh.* INTO h FROM yc.office_hours oh WHERE oh.office_code = p_office AND oh.dow = i;
        IF FOUND THEN
            source := 'office';
        ELSIF i = 8 THEN
            SELECT oh.* INTO h FROM yc.office_hours oh WHERE oh.office_code = p_office AND oh.dow = 7;
            source := CASE WHEN FOUND THEN 'sunday' END;
        ELSE
            source := NULL;
        END IF;
        IF source IS NULL THEN
            d := yc.hours_default(i);
            source := 'default';
            morning_open := yc.hours_hhmm(d.morning_open);
            morning_close := yc.hours_hhmm(d.morning_close);
            afternoon_open := yc.hours_hhmm(d.afternoon_open);
            afternoon_close := yc.hours_hhmm(d.afternoon_close);
            noon := d.noon;
            updated_by := NULL;
        ELSE
            morning_open := yc.hours_hhmm(h.morning_open);
            morning_close := yc.hours_hhmm(h.morning_close);
            afternoon_open := yc.hours_hhmm(h.afternoon_open);
            afternoon_close := yc.hours_hhmm(h.afternoon_close);
            noon := h.noon;
            updated_by := h.updated_by;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- The dated exceptions of an office from p_from on (at most 100, by day),
-- with what the calendar makes of each day (kind, holiday: as in
-- yc.hours_day without the exception).
-- result: ok (one row per exception; none: no rows) | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.hours_exceptions(p_office text, p_from date)
RETURNS TABLE(result text, day date, kind text, holiday text, morning_open text,
              morning_close text, afternoon_open text, afternoon_close text, noon boolean,
              note text, updated_by text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, x.day,
               CASE w.kind WHEN 'off' THEN 'holiday' WHEN 'work' THEN 'makeup'
                           ELSE CASE WHEN extract(isodow FROM x.day) >= 6 THEN 'weekend' ELSE 'workday' END END,
               w.name,
               yc.hours_hhmm(x.morning_open), yc.hours_hhmm(x.morning_close),
               yc.hours_hhmm(x.afternoon_open), yc.hours_hhmm(x.afternoon_close),
               x.noon, x.note, x.updated_by
          FROM yc.office_hours_exception x
          LEFT JOIN yc.workday_adjustment w ON w.day = x.day
         WHERE x.office_code = p_office AND x.day >= coalesce(p_from, '-infinity'::date)
         ORDER BY x.day
         LIMIT 100;
END
$$;

-- The hours of an office on p_days days from p_from (1..62), each as
-- yc.hours_day gives it.
-- result: ok (one row per day) | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.hours_days(p_office text, p_from date, p_days int)
RETURNS TABLE(result text, day date, kind text, label text, source text, morning_open text,
              morning_close text, afternoon_open text, afternoon_close text, noon boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    d record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        result := 'unknown_office';
        RETURN NEXT;
        RETURN;
    END IF;
    result := 'ok';
    FOR i IN 0..least(greatest(coalesce(p_days, 7), 1), 62) - 1 LOOP
        day := coalesce(p_from, yc.queue_day(yc.now())) + i;
        d := yc.hours_day(p_office, day);
        kind := d.kind;
        label := d.label;
        source := d.source;
        morning_open := yc.hours_hhmm(d.morning_open);
        morning_close := yc.hours_hhmm(d.morning_close);
        afternoon_open := yc.hours_hhmm(d.afternoon_open);
        afternoon_close := yc.hours_hhmm(d.afternoon_close);
        noon := d.noon;
        RETURN NEXT;
    END LOOP;
END
$$;

-------------------------------------------------------------------------------
-- Changes.
-------------------------------------------------------------------------------

-- Who may change the hours of p_office: refusal NULL when allowed (else
-- no_session | not_allowed | unknown_office), and who it is for the audit
-- row. p_session NULL: the connection must be the owner's own (trusted).
CREATE OR REPLACE FUNCTION yc.hours_actor(p_session bigint, p_office text,
    OUT refusal text, OUT staff_no text, OUT client text)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor;
BEGIN
    IF p_session IS NULL THEN
        IF NOT yc.connection_trusted() THEN
            refusal := 'no_session';
            RETURN;
        END IF;
        staff_no := session_user;
    ELSE
        a := yc.case_actor(p_session);
        IF a.office_code IS NULL THEN
            refusal := 'no_session';
            RETURN;
        ELSIF a.role IS DISTINCT FROM 'admin' THEN
            refusal := 'not_allowed';
            RETURN;
        END IF;
        staff_no := a.staff_no;
        client := a.client;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office) THEN
        refusal := 'unknown_office';
    ELSIF p_session IS NOT NULL AND NOT yc.office_in_jurisdiction(a, p_office) THEN
        refusal := 'not_allowed';
    END IF;
END
$$;

-- Checks a day's sessions given as text (HH:MM, 00:00 to 24:00; NULL: no
-- such session): refusal NULL and the times, a lone afternoon session
-- taken as the morning one; else bad_time (not a time, or a session with
-- one end only) | bad_order (a session ending before it begins, the
-- afternoon before the morning's end) | bad_noon (noon service without
-- two sessions).
CREATE OR REPLACE FUNCTION yc.hours_check(p_mo text, p_mc text, p_ao text, p_ac text, p_noon boolean,
    OUT refusal text, OUT mo time, OUT mc time, OUT ao time, OUT ac time)
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_in text[] := ARRAY[nullif(btrim(p_mo), ''), nullif(btrim(p_mc), ''),
                         nullif(btrim(p_ao), ''), nullif(btrim(p_ac), '')];
    v_t  time[] := ARRAY[NULL, NULL, NULL, NULL]::time[];
BEGIN
    FOR i IN 1..4 LOOP
        IF v_in[i] IS NOT NULL THEN
            IF v_in[i] !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND v_in[i] <> '24:00' THEN
                refusal := 'bad_time';
                RETURN;
            END IF;
            v_t[i] := v_in[i]::time;
        END IF;
    END LOOP;
    IF (v_t[1] IS NULL) <> (v_t[2] IS NULL) OR (v_t[3] IS NULL) <> (v_t[4] IS NULL) THEN
        refusal := 'bad_time';
        RETURN;
    END IF;
    IF v_t[1] IS NULL THEN
        v_t[1] := v_t[3];
        v_t[2] := v_t[4];
        v_t[3] := NULL;
        v_t[4] := NULL;
    END IF;
    IF (v_t[1] IS NOT NULL AND v_t[1] >= v_t[2])
       OR (v_t[3] IS NOT NULL AND (v_t[3] < v_t[2] OR v_t[3] >= v_t[4])) THEN
        refusal := 'bad_order';
        RETURN;
    END IF;
    IF coalesce(p_noon, false) AND v_t[3] IS NULL THEN
        refusal := 'bad_noon';
        RETURN;
    END IF;
    mo := v_t[1];
    mc := v_t[2];
    ao := v_t[3];
    ac := v_t[4];
END
$$;

-- Announces a change of an office's hours.
CREATE OR REPLACE FUNCTION yc.hours_notify(p_office text) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    PERFORM yc.queue_notify(p_office, 'hours', NULL, NULL);
    PERFORM pg_catalog.pg_notify('yc_hours_' || p_office, '{"e":"hours"}');
END
$$;

-------------------------------------------------------------------------------
-- yc.hours_set_days: the same hours for days of the week of an office
-- (p_days: 1 Monday … 7 Sunday, 8 the days off of the calendar), all or
-- none. All four times NULL: closed on those days. Audited per day
-- (hours_set, before: the hours that applied, "default" when the office
-- had no row).
-- result: ok | no_session | not_allowed | unknown_office | bad_day |
--         bad_time | bad_order | bad_noon
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hours_set_days(p_session bigint, p_office text, p_days int[],
    p_mo text, p_mc text, p_ao text, p_ac text, p_noon boolean, p_client text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a      record := yc.hours_actor(p_session, p_office);
    c      record;
    h      yc.office_hours%ROWTYPE;
    d      record;
    v_dow  int;
    v_was  jsonb;
BEGIN
    IF a.refusal IS NOT NULL THEN
        RETURN a.refusal;
    END IF;
    IF p_days IS NULL OR cardinality(p_days) = 0
       OR EXISTS (SELECT 1 FROM unnest(p_days) x(n) WHERE x.n IS NULL OR x.n NOT BETWEEN 1 AND 8) THEN
        RETURN 'bad_day';
    END IF;
    c := yc.hours_check(p_mo, p_mc, p_ao, p_ac, p_noon);
    IF c.refusal IS NOT NULL THEN
        RETURN c.refusal;
    END IF;
    FOR v_dow IN SELECT DISTINCT x.n FROM unnest(p_days) x(n) ORDER BY 1 LOOP
        SELECT oh.* INTO h FROM yc.office_hours oh
         WHERE oh.office_code = p_office AND oh.dow = v_dow FOR UPDATE;
        IF FOUND THEN
            v_was := yc.hours_json(h.morning_open, h.morning_close, h.afternoon_open,
                                   h.afternoon_close, h.noon);
        ELSE
            d := yc.hours_default(v_dow);
            v_was := yc.hours_json(d.morning_open, d.morning_close, d.afternoon_open,
                                   d.afternoon_close, d.noon) || '{"default": true}';
        END IF;
        INSERT INTO yc.office_hours AS oh (office_code, dow, morning_open, morning_close,
                                           afternoon_open, afternoon_close, noon, updated_at, updated_by)
        VALUES (p_office, v_dow, c.mo, c.mc, c.ao, c.ac, coalesce(p_noon, false), now(), a.staff_no)
        ON CONFLICT (office_code, dow) DO UPDATE
           SET morning_open = EXCLUDED.morning_open, morning_close = EXCLUDED.morning_close,
               afternoon_open = EXCLUDED.afternoon_open, afternoon_close = EXCLUDED.afternoon_close,
               noon = EXCLUDED.noon, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
        PERFORM yc.audit_write(p_office, a.staff_no, NULL, 'hours_set',
            format('office_hours:%s/%s', p_office, v_dow), v_was,
            yc.hours_json(c.mo, c.mc, c.ao, c.ac, coalesce(p_noon, false)),
            coalesce(left(p_client, 200), a.client));
    END LOOP;
    PERFORM yc.hours_notify(p_office);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.hours_clear_days: days of the week of an office back to the default
-- (their rows removed; audited as hours_default for each day that had one).
-- result: ok | no_session | not_allowed | unknown_office | bad_day
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hours_clear_days(p_session bigint, p_office text, p_days int[],
    p_client text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a record := yc.hours_actor(p_session, p_office);
    h yc.office_hours%ROWTYPE;
    d record;
BEGIN
    IF a.refusal IS NOT NULL THEN
        RETURN a.refusal;
    END IF;
    IF p_days IS NULL OR cardinality(p_days) = 0
       OR EXISTS (SELECT 1 FROM unnest(p_days) x(n) WHERE x.n IS NULL OR x.n NOT BETWEEN 1 AND 8) THEN
        RETURN 'bad_day';
    END IF;
    FOR h IN
        DELETE FROM yc.office_hours oh
         WHERE oh.office_code = p_office AND oh.dow = ANY (p_days)
        RETURNING oh.*
    LOOP
        d := yc.hours_default(h.dow);
        PERFORM yc.audit_write(p_office, a.staff_no, NULL, 'hours_default',
            format('office_hours:%s/%s', p_office, h.dow),
            yc.hours_json(h.morning_open, h.morning_close, h.afternoon_open, h.afternoon_close, h.noon),
            yc.hours_json(d.morning_open, d.morning_close, d.afternoon_open, d.afternoon_close, d.noon)
              || '{"default": true}',
            coalesce(left(p_client, 200), a.client));
    END LOOP;
    PERFORM yc.hours_notify(p_office);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.hours_set_exception: the hours of an office on one date, today or
-- later, with a note (1 to 40 characters: 春节值班, 停电检修); all times
-- NULL: closed that day. Replaces an exception of that day. Audited
-- (hours_exception_set, before: the exception it replaced or the hours the
-- day had).
-- result: ok | no_session | not_allowed | unknown_office | bad_day (no
--         date) | past_day | bad_time | bad_order | bad_noon | bad_note
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hours_set_exception(p_session bigint, p_office text, p_day date,
    p_mo text, p_mc text, p_ao text, p_ac text, p_noon boolean, p_note text, p_client text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a      record := yc.hours_actor(p_session, p_office);
    c      record;
    d      record;
    v_note text := btrim(regexp_replace(coalesce(p_note, ''), '[[:cntrl:]]', ' ', 'g'));
    v_was  jsonb;
BEGIN
    IF a.refusal IS NOT NULL THEN
        RETURN a.refusal;
    END IF;
    IF p_day IS NULL THEN
        RETURN 'bad_day';
    ELSIF p_day < yc.queue_day(yc.now()) THEN
        RETURN 'past_day';
    END IF;
    c := yc.hours_check(p_mo, p_mc, p_ao, p_ac, p_noon);
    IF c.refusal IS NOT NULL THEN
        RETURN c.refusal;
    END IF;
    IF v_note = '' OR length(v_note) > 40 OR NOT yc.text_safe(v_note) THEN
        RETURN 'bad_note';
    END IF;
    PERFORM 1 FROM yc.office_hours_exception x
     WHERE x.office_code = p_office AND x.day = p_day FOR UPDATE;
    d := yc.hours_day(p_office, p_day);
    v_was := yc.hours_json(d.morning_open, d.morning_close, d.afternoon_open, d.afternoon_close, d.noon)
             || jsonb_build_object('source', d.source, 'label', d.label);
    INSERT INTO yc.office_hours_exception AS x (office_code, day, morning_open, morning_close,
                                                afternoon_open, afternoon_close, noon, note,
                                                updated_at, updated_by)
    VALUES (p_office, p_day, c.mo, c.mc, c.ao, c.ac, coalesce(p_noon, false), v_note, now(), a.staff_no)
    ON CONFLICT (office_code, day) DO UPDATE
       SET morning_open = EXCLUDED.morning_open, morning_close = EXCLUDED.morning_close,
           afternoon_open = EXCLUDED.afternoon_open, afternoon_close = EXCLUDED.afternoon_close,
           noon = EXCLUDED.noon, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at,
           updated_by = EXCLUDED.updated_by;
    PERFORM yc.audit_write(p_office, a.staff_no, NULL, 'hours_exception_set',
        format('office_hours_exception:%s/%s', p_office, p_day), v_was,
        yc.hours_json(c.mo, c.mc, c.ao, c.ac, coalesce(p_noon, false))
          || jsonb_build_object('note', v_note),
        coalesce(left(p_client, 200), a.client));
    PERFORM yc.hours_notify(p_office);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- yc.hours_drop_exception: removes the exception of an office on a date
-- (today or later); the day follows the weekly schedule again. Audited
-- (hours_exception_drop).
-- result: ok | no_session | not_allowed | unknown_office | bad_day |
--         past_day | not_found
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hours_drop_exception(p_session bigint, p_office text, p_day date,
    p_client text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a record := yc.hours_actor(p_session, p_office);
    x yc.office_hours_exception%ROWTYPE;
    d record;
BEGIN
    IF a.refusal IS NOT NULL THEN
        RETURN a.refusal;
    END IF;
    IF p_day IS NULL THEN
        RETURN 'bad_day';
    ELSIF p_day < yc.queue_day(yc.now()) THEN
        RETURN 'past_day';
    END IF;
    DELETE FROM yc.office_hours_exception e
     WHERE e.office_code = p_office AND e.day = p_day
    RETURNING e.* INTO x;
    IF NOT FOUND THEN
        RETURN 'not_found';
    END IF;
    d := yc.hours_day(p_office, p_day);
    PERFORM yc.audit_write(p_office, a.staff_no, NULL, 'hours_exception_drop',
        format('office_hours_exception:%s/%s', p_office, p_day),
        yc.hours_json(x.morning_open, x.morning_close, x.afternoon_open, x.afternoon_close, x.noon)
          || jsonb_build_object('note', x.note),
        yc.hours_json(d.morning_open, d.morning_close, d.afternoon_open, d.afternoon_close, d.noon)
          || jsonb_build_object('source', d.source),
        coalesce(left(p_client, 200), a.client));
    PERFORM yc.hours_notify(p_office);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- The daily report: tickets and 延时服务.
-------------------------------------------------------------------------------

-- Tickets of the office issued on p_day (every class and outcome) and,
-- of those, how many outside the regular weekday hours (see the top):
-- extended (延时服务, all of them), noon (on a working day between the
-- regular morning's end and afternoon's start), offday (on a day that is
-- not a working day of the calendar). One row. Administrators' (as
-- yc.report_daily_staff); the console reads it through
-- yc.report_session_tickets.
CREATE OR REPLACE FUNCTION yc.report_daily_tickets(p_office text, p_day date)
RETURNS TABLE(issued int, extended int, noon int, offday int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    WITH reg AS (
        SELECT d.* FROM yc.hours_default(1) d
    ), wd AS (
        SELECT coalesce((SELECT w.kind = 'work' FROM yc.workday_adjustment w WHERE w.day = p_day),
                        extract(isodow FROM p_day) < 6) AS work
    ), t AS (
        SELECT (tk.issued_at AT TIME ZONE 'Asia/Shanghai')::time AS at
          FROM yc.ticket tk
         WHERE tk.office_code = p_office AND tk.day = p_day
    )
    SELECT count(t.at)::int,
           count(t.at) FILTER (WHERE NOT wd.work
               OR NOT ((t.at >= reg.morning_open AND t.at < reg.morning_close)
                       OR (t.at >= reg.afternoon_open AND t.at < reg.afternoon_close)))::int,
           count(t.at) FILTER (WHERE wd.work AND t.at >= reg.morning_close
                                AND t.at < reg.afternoon_open)::int,
           count(t.at) FILTER (WHERE NOT wd.work)::int
      FROM reg CROSS JOIN wd LEFT JOIN t ON true;
$$;

-- The same for a supervisor's session (as yc.report_session_staff,
-- db/functions/reports.sql).
-- result: ok | no_session | not_allowed | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.report_session_tickets(p_session bigint, p_office text, p_day date)
RETURNS TABLE(result text, issued int, extended int, noon int, offday int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    result := yc.report_refusal(p_session, p_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, r.issued, r.extended, r.noon, r.offday
          FROM yc.report_daily_tickets(p_office, p_day) r;
END
$$;

-------------------------------------------------------------------------------
-- Known settings.
-------------------------------------------------------------------------------

-- Why p_value is not a value of the known setting s (NULL: it is, or s is
-- not a known setting): bad_value (not of its type: an integer, MM-DD, or
-- one of the words of choices) | out_of_range (an integer outside
-- min_value..max_value, a day that no year has).
CREATE OR REPLACE FUNCTION yc.setting_invalid(s yc.setting, p_value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_m int;
    v_d int;
BEGIN
    IF s.value_type IS NULL THEN
        RETURN NULL;
    ELSIF p_value IS NULL THEN
        RETURN 'bad_value';
    ELSIF s.value_type = 'int' THEN
        IF p_value !~ '^-?[0-9]{1,9}$' THEN
            RETURN 'bad_value';
        ELSIF p_value::int NOT BETWEEN s.min_value AND s.max_value THEN
            RETURN 'out_of_range';
        END IF;
    ELSIF s.value_type = 'choice' THEN
        IF NOT p_value = ANY (s.choices) THEN
            RETURN 'bad_value';
        END IF;
    ELSIF s.value_type = 'mmdd' THEN
        IF p_value !~ '^[0-9]{2}-[0-9]{2}$' THEN
            RETURN 'bad_value';
        END IF;
        v_m := substr(p_value, 1, 2)::int;
        v_d := substr(p_value, 4, 2)::int;
        IF v_m NOT BETWEEN 1 AND 12 OR v_d < 1
           OR v_d > extract(day FROM make_date(2000, v_m, 1) + interval '1 month - 1 day') THEN
            RETURN 'out_of_range';
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- No known setting takes a value it may not have, whoever writes it.
CREATE OR REPLACE FUNCTION yc.setting_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_why text := coalesce(yc.setting_invalid(NEW, NEW.value), yc.setting_invalid(NEW, NEW.default_value));
BEGIN
    IF v_why IS NOT NULL THEN
        RAISE EXCEPTION 'setting %: not a valid value (%)', NEW.key, v_why
            USING ERRCODE = '23514',
                  DETAIL = format('value %s, default %s, type %s, range %s..%s', NEW.value,
                                  NEW.default_value, NEW.value_type, NEW.min_value, NEW.max_value);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER setting_guard BEFORE INSERT OR UPDATE ON yc.setting
    FOR EACH ROW EXECUTE FUNCTION yc.setting_guard();

-- Who may read (p_change false) or change the settings: refusal NULL when
-- allowed (else no_session | not_allowed), the actor for the audit row.
-- Reading: any administrator; changing: an administrator of a centre
-- (county level or above: the settings hold for the whole database); p_session NULL: the
-- owner's own connection, both.
CREATE OR REPLACE FUNCTION yc.setting_actor(p_session bigint, p_change boolean,
    OUT refusal text, OUT office_code text, OUT staff_no text, OUT client text)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor;
BEGIN
    IF p_session IS NULL THEN
        IF NOT yc.connection_trusted() THEN
            refusal := 'no_session';
            RETURN;
        END IF;
        office_code := '000000';
        staff_no := session_user;
        RETURN;
    END IF;
    a := yc.case_actor(p_session);
    IF a.office_code IS NULL THEN
        refusal := 'no_session';
    ELSIF a.role IS DISTINCT FROM 'admin'
          OR (p_change AND a.tier NOT IN ('province', 'prefecture', 'county')) THEN
        refusal := 'not_allowed';
    ELSE
        office_code := a.office_code;
        staff_no := a.staff_no;
        client := a.client;
    END IF;
END
$$;

-- The known settings, in their order: value, default, type and range,
-- descriptions, and whether this actor may change them.
-- result: ok (one row per setting) | no_session | not_allowed (one row)
CREATE OR REPLACE FUNCTION yc.setting_list(p_session bigint)
RETURNS TABLE(result text, key text, value text, default_value text, value_type text,
              min_value int, max_value int, description text, description_zh text,
              may_change boolean, choices text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a record := yc.setting_actor(p_session, false);
BEGIN
    IF a.refusal IS NOT NULL THEN
        result := a.refusal;
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, s.key, s.value, s.default_value, s.value_type, s.min_value,
               s.max_value, s.description, s.description_zh,
               (yc.setting_actor(p_session, true)).refusal IS NULL, s.choices
          FROM yc.setting s
         WHERE s.value_type IS NOT NULL
         ORDER BY s.sort_order NULLS LAST, s.key;
END
$$;

-------------------------------------------------------------------------------
-- yc.setting_set: changes a known setting (an integer is stored as its
-- plain digits: " 010" becomes 10). Audited as setting_set with before and
-- after. One row: the setting's key, its value before and after, type and
-- range (for the message of a refusal; NULL for an unknown key).
-- result: ok | unchanged (the value it has: nothing written) | no_session
--         | not_allowed | unknown_setting | bad_value | out_of_range
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.setting_set(p_session bigint, p_key text, p_value text, p_client text)
RETURNS TABLE(result text, key text, old_value text, new_value text, value_type text,
              min_value int, max_value int, choices text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a     record := yc.setting_actor(p_session, true);
    s     yc.setting%ROWTYPE;
    v_new text := btrim(coalesce(p_value, ''));
BEGIN
    key := p_key;
    IF a.refusal IS NOT NULL THEN
        result := a.refusal;
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT st.* INTO s FROM yc.setting st WHERE st.key = p_key FOR UPDATE;
    IF NOT FOUND OR s.value_type IS NULL THEN
        result := 'unknown_setting';
        RETURN NEXT;
        RETURN;
    END IF;
    old_value := s.value;
    value_type := s.value_type;
    min_value := s.min_value;
    max_value := s.max_value;
    choices := s.choices;
    result := yc.setting_invalid(s, v_new);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    IF s.value_type = 'int' THEN
        v_new := v_new::int::text;
    END IF;
    new_value := v_new;
    IF v_new = s.value THEN
        result := 'unchanged';
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.setting st SET value = v_new, updated_at = now() WHERE st.key = p_key;
    PERFORM yc.audit_write(a.office_code, a.staff_no, NULL, 'setting_set', 'setting:' || p_key,
        jsonb_build_object('value', s.value), jsonb_build_object('value', v_new),
        coalesce(left(p_client, 200), a.client));
    result := 'ok';
    RETURN NEXT;
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.hours_default(integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_day(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_at(text, timestamp with time zone) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_json(time, time, time, time, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_hhmm(time) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_today(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_week(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_exceptions(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_days(text, date, integer) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_actor(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_check(text, text, text, text, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_notify(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_set_days(bigint, text, integer[], text, text, text, text, boolean, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_clear_days(bigint, text, integer[], text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_set_exception(bigint, text, date, text, text, text, text, boolean, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.hours_drop_exception(bigint, text, date, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_daily_tickets(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_session_tickets(bigint, text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.setting_invalid(yc.setting, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.setting_guard() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.setting_actor(bigint, boolean) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.setting_list(bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.setting_set(bigint, text, text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION
    yc.hours_today(text),
    yc.hours_week(text),
    yc.hours_exceptions(text, date),
    yc.hours_days(text, date, integer),
    yc.hours_set_days(bigint, text, integer[], text, text, text, text, boolean, text),
    yc.hours_clear_days(bigint, text, integer[], text),
    yc.hours_set_exception(bigint, text, date, text, text, text, text, boolean, text, text),
    yc.hours_drop_exception(bigint, text, date, text),
    yc.report_session_tickets(bigint, text, date),
    yc.setting_list(bigint),
    yc.setting_set(bigint, text, text, text)
  TO yichuang_app;
-- The kiosks and boards (0027_roles) show today's hours.
GRANT EXECUTE ON FUNCTION yc.hours_today(text) TO yichuang_kiosk;
