-- db/functions/appoint.sql: appointments (预约办, 电话办).
-- Every function here is defined once, in its current form; `yichuang db migrate`
-- applies db/functions/ in the order of db/functions/ORDER, in one transaction,
-- whenever any file changed (tables live in db/migrations/).
--
-- From the migration that introduced them (0029_appointments):
--
-- SLOTS of an office's day (yc.appoint_slots) follow from its opening hours
-- (yc.hours_day, db/functions/hours.sql): each session cut into slots of
-- appointment_slot_minutes from its opening, the last one ending at the
-- session's closing (it may be shorter); with noon service the day is one
-- session from the morning's opening to the afternoon's closing. A day the
-- hall is closed (a holiday of the calendar, a closure) has no slot. All
-- times are Beijing time.
--
-- A SLOT'S PLACES: its capacity (the office's row '*' of
-- yc.appointment_capacity, else the setting appointment_slot_capacity) and,
-- when the office has a row for the 事项's group (the catalogue category),
-- that group's own limit inside the slot. Every appointment not cancelled
-- whose time overlaps the slot takes a place (checked in or missed too).
--
-- BOOKING (yc.appoint_book), by a clerk, guide or supervisor of the office
-- (or of an office above it): for a caller on the hotline (channel phone,
-- 电话办) or at the guide desk (desk). Refused: a slot that is not one of
-- the day's (no_slot), one beginning within appointment_lead_minutes or
-- past (too_late), a day more than appointment_days_ahead ahead
-- (too_far), a full slot (full) or group (group_full), a second open
-- appointment of the person for the 事项 in any office (duplicate: the
-- existing one is returned), a person with appointment_miss_limit misses
-- within appointment_miss_window_days (blocked, until the last of them +
-- appointment_block_days). The code is 8 random digits, unique in the
-- office. Bookings of one office are serialised (an advisory lock), so
-- two windows never overbook a slot.
--
-- MISSES: an appointment still booked at the end of its slot is missed.
-- The person's are recorded (status missed, closed_at the slot's end,
-- audited) whenever the person books or checks in, and the office's when
-- its hall list is read; the block counts them either way.
--
-- CHANGES (yc.appoint_move, yc.appoint_cancel) by the same staff, of a
-- booked appointment not yet begun. Every booking, change and
-- cancellation is audited, announced on the office's queue channel
-- ({"e":"appointment"}: consoles read again) and sent to the citizen's
-- phone through yc.outbox (templates appointment_booked, _changed,
-- _cancelled of print_templates/sms/).
--
-- CHECK-IN is at the kiosk, in yc.queue_issue (db/functions/queue.sql).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE OR REPLACE TRIGGER appointment_capacity_text_guard
    BEFORE INSERT OR UPDATE ON yc.appointment_capacity
    FOR EACH ROW EXECUTE FUNCTION yc.text_guard('grp');

-- A slot of the day as the citizen reads it: 12月5日09:00-09:30.
CREATE OR REPLACE FUNCTION yc.appoint_label(p_start timestamptz, p_end timestamptz) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT to_char(p_start AT TIME ZONE 'Asia/Shanghai', 'FMMM"月"FMDD"日"HH24:MI') || '-'
           || to_char(p_end AT TIME ZONE 'Asia/Shanghai', 'HH24:MI');
$$;

-- The slots of an office on a day (see the top), in order.
CREATE OR REPLACE FUNCTION yc.appoint_slots(p_office text, p_day date)
RETURNS TABLE(slot_start timestamptz, slot_end timestamptz)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    d     record;
    v_len interval := make_interval(mins => yc.setting_int('appointment_slot_minutes'));
    v_s   time[];
    v_e   time[];
    v_t   timestamp;
    v_end timestamp;
BEGIN
    d := yc.hours_day(p_office, p_day);
    IF d.noon AND d.morning_open IS NOT NULL AND d.afternoon_close IS NOT NULL THEN
        v_s := ARRAY[d.morning_open];
        v_e := ARRAY[d.afternoon_close];
    ELSE
        v_s := ARRAY[d.morning_open, d.afternoon_open];
        v_e := ARRAY[d.morning_close, d.afternoon_close];
    END IF;
    FOR i IN 1..coalesce(array_length(v_s, 1), 0) LOOP
        CONTINUE WHEN v_s[i] IS NULL OR v_e[i] IS NULL OR v_e[i] <= v_s[i];
        v_t := p_day + v_s[i];
        v_end := p_day + v_e[i];
        WHILE v_t < v_end LOOP
            slot_start := v_t AT TIME ZONE 'Asia/Shanghai';
            slot_end := least(v_t + v_len, v_end) AT TIME ZONE 'Asia/Shanghai';
            RETURN NEXT;
            v_t := v_t + v_len;
        END LOOP;
    END LOOP;
END
$$;

-- Places of a slot of the office: the whole slot and one 事项 group (NULL:
-- the group has no limit of its own).
CREATE OR REPLACE FUNCTION yc.appoint_capacity(p_office text, p_grp text,
    OUT per_slot int, OUT per_group int)
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce((SELECT c.per_slot FROM yc.appointment_capacity c
                      WHERE c.office_code = p_office AND c.grp = '*'),
                    yc.setting_int('appointment_slot_capacity')),
           (SELECT c.per_slot FROM yc.appointment_capacity c
             WHERE c.office_code = p_office AND c.grp = p_grp AND p_grp <> '*');
$$;

-- The staff of a session who may book at p_office: refusal NULL, or
-- no_session | not_allowed (not a clerk, guide or supervisor; an office
-- outside the session's).
CREATE OR REPLACE FUNCTION yc.appoint_actor(p_session bigint, p_office text,
    OUT refusal text, OUT staff_no text, OUT office_code text, OUT window_no int,
    OUT client text)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    s record;
BEGIN
    s := yc.queue_session(p_session);
    IF NOT s.is_open THEN
        refusal := 'no_session';
        RETURN;
    END IF;
    staff_no := s.staff_no;
    office_code := s.office_code;
    window_no := s.window_no;
    client := s.client;
    IF s.role NOT IN ('clerk', 'guide', 'supervisor') OR p_office IS NULL
       OR left(p_office, length(s.office_code)) <> s.office_code
       OR NOT EXISTS (SELECT 1 FROM yc.office o WHERE o.code = p_office AND o.active) THEN
        refusal := 'not_allowed';
    END IF;
END
$$;

-- The 事项 (its latest version) when the office may take it, else NULL.
CREATE OR REPLACE FUNCTION yc.appoint_item(p_office text, p_type text) RETURNS yc.case_type
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT t.* FROM yc.case_type t JOIN yc.office o ON o.code = p_office
     WHERE t.code = btrim(p_type) AND o.tier = ANY (t.tiers)
     ORDER BY t.version DESC LIMIT 1;
$$;

-- Records appointment a (booked, its slot ended) as missed: closed at the
-- slot's end, audited as queue_appointment_missed (p_staff: who was there,
-- or NULL).
CREATE OR REPLACE FUNCTION yc.appoint_missed(a yc.appointment, p_staff text, p_client text)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
BEGIN
    UPDATE yc.appointment ap SET status = 'missed', closed_at = ap.slot_end, updated_at = yc.now()
     WHERE ap.office_code = a.office_code AND ap.code = a.code;
    PERFORM yc.audit_write(a.office_code, p_staff, NULL, 'queue_appointment_missed',
        format('appointment:%s/%s', a.office_code, a.code),
        jsonb_build_object('status', 'booked'),
        jsonb_build_object('status', 'missed', 'slot_start', a.slot_start), p_client);
END
$$;

-- Records the misses of a person (p_id) or of an office's day (p_office,
-- p_day): booked appointments whose slot ended by now. Returns how many.
CREATE OR REPLACE FUNCTION yc.appoint_sweep(p_id text, p_office text, p_day date, p_client text)
RETURNS int
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now timestamptz := yc.now();
    a     yc.appointment%ROWTYPE;
    n     int := 0;
BEGIN
    FOR a IN
        SELECT ap.* FROM yc.appointment ap
         WHERE ap.status = 'booked' AND ap.slot_end <= v_now
           AND ((p_id IS NOT NULL AND ap.id_no = p_id)
                OR (p_id IS NULL AND ap.office_code = p_office
                    AND ap.slot_start >= (p_day::timestamp AT TIME ZONE 'Asia/Shanghai')
                    AND ap.slot_start < ((p_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')))
           FOR UPDATE
    LOOP
        PERFORM yc.appoint_missed(a, NULL, p_client);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- Until when the person may not book (NULL: may): appointment_miss_limit
-- misses within the last appointment_miss_window_days block booking for
-- appointment_block_days from the last of them. A booked appointment whose
-- slot has ended counts as missed even before it is recorded.
CREATE OR REPLACE FUNCTION yc.appoint_blocked_until(p_id text) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_now   timestamptz := yc.now();
    v_limit int := yc.setting_int('appointment_miss_limit');
    v_last  timestamptz;
    v_n     int;
BEGIN
    SELECT count(*), max(ap.slot_end) INTO v_n, v_last FROM yc.appointment ap
     WHERE ap.id_no = p_id AND ap.slot_end <= v_now
       AND ap.slot_end > v_now - make_interval(days => yc.setting_int('appointment_miss_window_days'))
       AND ap.status IN ('missed', 'booked');
    IF v_n < v_limit THEN
        RETURN NULL;
    END IF;
    v_last := v_last + make_interval(days => yc.setting_int('appointment_block_days'));
    RETURN CASE WHEN v_last > v_now THEN v_last END;
END
$$;

-- A citizen's text message about appointment a (kind appointment_booked,
-- _changed or _cancelled) into yc.outbox, to the phone given at booking.
CREATE OR REPLACE FUNCTION yc.appoint_sms(a yc.appointment, p_kind text) RETURNS bigint
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_now  timestamptz := yc.now();
    v_item text;
    v_id   bigint;
BEGIN
    IF a.phone IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(yc.case_trim(x.short), t.name) INTO v_item
      FROM yc.case_type t,
           XMLTABLE(XMLNAMESPACES('urn:yichuang:case-type:1' AS x), '/x:case-type/x:name'
                    PASSING CAST(t.definition AS xml) COLUMNS short text PATH '@short') x
     WHERE t.code = a.case_type_code ORDER BY t.version DESC LIMIT 1;
    INSERT INTO yc.outbox (office_code, appointment_code, kind, channel, recipient, body,
                           created_at, send_after)
    VALUES (a.office_code, a.code, p_kind, 'sms', a.phone,
            yc.sms_render(p_kind, jsonb_build_object(
                'item', coalesce(v_item, ''), 'case_no', '', 'code', a.code,
                'slot', yc.appoint_label(a.slot_start, a.slot_end),
                'date', yc.doc_date(yc.queue_day(v_now)))),
            v_now, v_now)
    RETURNING outbox_id INTO v_id;
    RETURN v_id;
END
$$;

-- Today in the halls' time zone by the server's clock: the booking screen
-- counts its days from it.
CREATE OR REPLACE FUNCTION yc.appoint_today() RETURNS date
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    SELECT yc.queue_day(yc.now());
$$;

-------------------------------------------------------------------------------
-- The slots of a day for one 事项, as the booking screen lists them.
-- state: open | full | group_full | closed (begins within the lead time,
-- or past). One row per slot with result 'ok'; one row with the refusal
-- otherwise: no_session | not_allowed | unknown_item (not taken at the
-- office) | too_far (past, or beyond appointment_days_ahead) | closed (the
-- hall has no slot that day).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.appoint_day(p_session bigint, p_office text, p_day date, p_type text)
RETURNS TABLE(result text, slot_start bigint, slot_end bigint, label text, capacity int,
              booked int, group_capacity int, group_booked int, state text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a      record;
    ct     yc.case_type;
    cap    record;
    v_now  timestamptz := yc.now();
    v_lead timestamptz;
    v_any  boolean := false;
BEGIN
    a := yc.appoint_actor(p_session, p_office);
    ct := yc.appoint_item(p_office, p_type);
    result := coalesce(a.refusal, CASE WHEN ct.code IS NULL THEN 'unknown_item' END,
        CASE WHEN p_day IS NULL OR p_day < yc.queue_day(v_now)
                  OR p_day > yc.queue_day(v_now) + yc.setting_int('appointment_days_ahead')
             THEN 'too_far' END);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    cap := yc.appoint_capacity(p_office, coalesce(ct.category, ''));
    v_lead := v_now + make_interval(mins => yc.setting_int('appointment_lead_minutes'));
    FOR slot_start, slot_end, label, booked, group_booked IN
        SELECT extract(epoch FROM s.slot_start)::bigint, extract(epoch FROM s.slot_end)::bigint,
               yc.appoint_label(s.slot_start, s.slot_end),
               count(ap.code)::int,
               count(ap.code) FILTER (WHERE ap.grp = ct.category)::int
          FROM yc.appoint_slots(p_office, p_day) s
          LEFT JOIN yc.appointment ap
            ON ap.office_code = p_office AND ap.status <> 'cancelled'
           AND ap.slot_start < s.slot_end AND ap.slot_end > s.slot_start
           AND ap.slot_start > s.slot_start - interval '1 day'	-- bounded on the index
         GROUP BY s.slot_start, s.slot_end ORDER BY s.slot_start
    LOOP
        v_any := true;
        result := 'ok';
        capacity := cap.per_slot;
        group_capacity := cap.per_group;
        state := CASE WHEN to_timestamp(slot_start) < v_lead THEN 'closed'
                      WHEN booked >= capacity THEN 'full'
                      WHEN group_capacity IS NOT NULL AND group_booked >= group_capacity
                          THEN 'group_full'
                      ELSE 'open' END;
        RETURN NEXT;
    END LOOP;
    IF NOT v_any THEN
        result := 'closed';
        slot_start := NULL;
        slot_end := NULL;
        label := NULL;
        booked := NULL;
        group_booked := NULL;
        RETURN NEXT;
    END IF;
END
$$;

-- The slot of the office beginning at p_slot (epoch seconds) as a booking
-- or a move takes it: refusal NULL and the slot, else too_far (a past day,
-- or beyond appointment_days_ahead) | no_slot (not one of the day's) |
-- too_late (begins within appointment_lead_minutes).
CREATE OR REPLACE FUNCTION yc.appoint_slot_at(p_office text, p_slot bigint,
    OUT refusal text, OUT slot_start timestamptz, OUT slot_end timestamptz)
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    v_now timestamptz := yc.now();
    v_day date := yc.queue_day(to_timestamp(p_slot));
BEGIN
    SELECT x.slot_start, x.slot_end INTO slot_start, slot_end FROM yc.appoint_slots(p_office, v_day) x
     WHERE extract(epoch FROM x.slot_start)::bigint = p_slot;
    IF p_slot IS NULL OR v_day < yc.queue_day(v_now)
       OR v_day > yc.queue_day(v_now) + yc.setting_int('appointment_days_ahead') THEN
        refusal := 'too_far';
    ELSIF slot_start IS NULL THEN
        refusal := 'no_slot';
    ELSIF slot_start < v_now + make_interval(mins => yc.setting_int('appointment_lead_minutes')) THEN
        refusal := 'too_late';
    END IF;
END
$$;

-- Whether the slot [p_start, p_end) of the office has no place left for
-- an appointment of group p_grp: full | group_full, NULL when it has one.
-- p_except: an appointment not to count (the one being moved).
CREATE OR REPLACE FUNCTION yc.appoint_full(p_office text, p_start timestamptz, p_end timestamptz,
    p_grp text, p_except text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    cap record := yc.appoint_capacity(p_office, coalesce(p_grp, ''));
    v_n int;
    v_g int;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE x.grp = p_grp) INTO v_n, v_g
      FROM yc.appointment x
     WHERE x.office_code = p_office AND x.status <> 'cancelled'
       AND x.code IS DISTINCT FROM p_except
       AND x.slot_start < p_end AND x.slot_end > p_start
       AND x.slot_start > p_start - interval '1 day';	-- bounded on the index
    RETURN CASE WHEN v_n >= cap.per_slot THEN 'full'
                WHEN cap.per_group IS NOT NULL AND v_g >= cap.per_group THEN 'group_full' END;
END
$$;

-------------------------------------------------------------------------------
-- Books an appointment (see the top). p_slot: the slot's start, epoch
-- seconds. p_channel: phone | desk.
-- result: ok | no_session | not_allowed | bad_id | bad_phone |
--         unknown_item | bad_input (channel) | too_far | no_slot |
--         too_late | full | group_full | duplicate (code, slot of the open
--         one) | blocked (blocked_until)
-- code, slot_start, slot_end (epoch), label: the appointment booked (or
-- the open one, duplicate).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.appoint_book(p_session bigint, p_office text, p_id_no text,
    p_phone text, p_type text, p_slot bigint, p_channel text, p_client text)
RETURNS TABLE(result text, code text, slot_start bigint, slot_end bigint, label text,
              blocked_until bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a       record;
    ct      yc.case_type;
    s       record;
    ap      yc.appointment%ROWTYPE;
    v_now   timestamptz := yc.now();
    v_id    text := upper(regexp_replace(coalesce(p_id_no, ''), '\s', '', 'g'));
    v_phone text := regexp_replace(coalesce(p_phone, ''), '[\s-]', '', 'g');
    v_until timestamptz;
    v_code  text;
    v_client text;
BEGIN
    a := yc.appoint_actor(p_session, p_office);
    result := a.refusal;
    IF result IS NULL AND (p_channel IS NULL OR p_channel NOT IN ('phone', 'desk')) THEN
        result := 'bad_input';
    END IF;
    IF result IS NULL AND (yc.idno_birth(v_id) IS NULL OR yc.idno_birth(v_id) > yc.queue_day(v_now)) THEN
        result := 'bad_id';
    END IF;
    IF result IS NULL AND v_phone !~ '^1[3-9][0-9]{9}$' THEN
        result := 'bad_phone';
    END IF;
    IF result IS NULL THEN
        ct := yc.appoint_item(p_office, p_type);
        IF ct.code IS NULL THEN
            result := 'unknown_item';
        END IF;
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    v_client := coalesce(left(p_client, 200), a.client);

    -- one office's bookings at a time: the counts below stay true
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('yc_appoint_' || p_office));
    PERFORM yc.appoint_sweep(v_id, NULL, NULL, v_client);

    s := yc.appoint_slot_at(p_office, p_slot);
    result := s.refusal;
    IF result IS NULL THEN
        SELECT ap2.* INTO ap FROM yc.appointment ap2
         WHERE ap2.id_no = v_id AND ap2.case_type_code = ct.code AND ap2.status = 'booked';
        IF FOUND THEN
            result := 'duplicate';
            code := ap.code;
            slot_start := extract(epoch FROM ap.slot_start)::bigint;
            slot_end := extract(epoch FROM ap.slot_end)::bigint;
            label := yc.appoint_label(ap.slot_start, ap.slot_end);
        END IF;
    END IF;
    IF result IS NULL THEN
        v_until := yc.appoint_blocked_until(v_id);
        IF v_until IS NOT NULL THEN
            result := 'blocked';
            blocked_until := extract(epoch FROM v_until)::bigint;
        END IF;
    END IF;
    IF result IS NULL THEN
        result := yc.appoint_full(p_office, s.slot_start, s.slot_end, ct.category, NULL);
    END IF;
    IF result IS NOT NULL THEN
        PERFORM yc.audit_write(p_office, a.staff_no, a.window_no, 'appointment_refused',
            'office:' || p_office, NULL,
            jsonb_build_object('reason', result, 'case_type', ct.code, 'slot_start', p_slot,
                               'channel', p_channel),
            v_client);
        RETURN NEXT;
        RETURN;
    END IF;

    LOOP
        v_code := lpad((floor(random() * 100000000))::bigint::text, 8, '0');
        EXIT WHEN NOT EXISTS (SELECT 1 FROM yc.appointment x
                               WHERE x.office_code = p_office AND x.code = v_code);
    END LOOP;
    INSERT INTO yc.appointment (office_code, code, slot_start, slot_end, id_no, status,
                                created_at, case_type_code, grp, phone, channel, booked_by)
    VALUES (p_office, v_code, s.slot_start, s.slot_end, v_id, 'booked', v_now, ct.code,
            ct.category, v_phone, p_channel, a.staff_no)
    RETURNING * INTO ap;
    PERFORM yc.audit_write(p_office, a.staff_no, a.window_no, 'appointment_book',
        format('appointment:%s/%s', p_office, ap.code), NULL,
        jsonb_build_object('case_type', ct.code, 'slot_start', ap.slot_start,
                           'slot_end', ap.slot_end, 'channel', p_channel,
                           'id_no', yc.doc_mask_idno(v_id)),
        v_client);
    PERFORM yc.appoint_sms(ap, 'appointment_booked');
    PERFORM yc.queue_notify(p_office, 'appointment', NULL, NULL);
    result := 'ok';
    code := ap.code;
    slot_start := extract(epoch FROM ap.slot_start)::bigint;
    slot_end := extract(epoch FROM ap.slot_end)::bigint;
    label := yc.appoint_label(ap.slot_start, ap.slot_end);
    RETURN NEXT;
END
$$;

-- A booked appointment of the office by code for a change, locked; NULL
-- code when there is none to change (not booked, or begun).
CREATE OR REPLACE FUNCTION yc.appoint_open(p_office text, p_code text) RETURNS yc.appointment
LANGUAGE sql SET search_path = yc, pg_temp AS $$
    SELECT ap.* FROM yc.appointment ap
     WHERE ap.office_code = p_office AND ap.code = btrim(p_code) AND ap.status = 'booked'
       AND ap.slot_start > yc.now() AND ap.channel <> 'web'
       FOR UPDATE;
$$;

-------------------------------------------------------------------------------
-- Moves a booked appointment to another slot of the same or another day,
-- as appoint_book checks a slot (full and group_full not counting the
-- appointment itself). result: ok | no_session | not_allowed | not_found
-- (no booked appointment of the office with that code not yet begun) |
-- too_far | no_slot | too_late | full | group_full.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.appoint_move(p_session bigint, p_office text, p_code text,
    p_slot bigint, p_client text)
RETURNS TABLE(result text, slot_start bigint, slot_end bigint, label text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a     record;
    s     record;
    ap    yc.appointment%ROWTYPE;
    nw    yc.appointment%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    a := yc.appoint_actor(p_session, p_office);
    result := a.refusal;
    IF result IS NULL THEN
        PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('yc_appoint_' || p_office));
        ap := yc.appoint_open(p_office, p_code);
        IF ap.code IS NULL THEN
            result := 'not_found';
        END IF;
    END IF;
    IF result IS NULL THEN
        s := yc.appoint_slot_at(p_office, p_slot);
        result := coalesce(s.refusal,
                           yc.appoint_full(p_office, s.slot_start, s.slot_end, ap.grp, ap.code));
    END IF;
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    UPDATE yc.appointment x SET slot_start = s.slot_start, slot_end = s.slot_end, updated_at = v_now
     WHERE x.office_code = ap.office_code AND x.code = ap.code
    RETURNING x.* INTO nw;
    PERFORM yc.audit_write(p_office, a.staff_no, a.window_no, 'appointment_move',
        format('appointment:%s/%s', p_office, ap.code),
        jsonb_build_object('slot_start', ap.slot_start, 'slot_end', ap.slot_end),
        jsonb_build_object('slot_start', nw.slot_start, 'slot_end', nw.slot_end),
        coalesce(left(p_client, 200), a.client));
    PERFORM yc.appoint_sms(nw, 'appointment_changed');
    PERFORM yc.queue_notify(p_office, 'appointment', NULL, NULL);
    result := 'ok';
    slot_start := extract(epoch FROM nw.slot_start)::bigint;
    slot_end := extract(epoch FROM nw.slot_end)::bigint;
    label := yc.appoint_label(nw.slot_start, nw.slot_end);
    RETURN NEXT;
END
$$;

-- Cancels a booked appointment not yet begun. result: ok | no_session |
-- not_allowed | not_found.
CREATE OR REPLACE FUNCTION yc.appoint_cancel(p_session bigint, p_office text, p_code text,
    p_client text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a     record;
    ap    yc.appointment%ROWTYPE;
    nw    yc.appointment%ROWTYPE;
    v_now timestamptz := yc.now();
BEGIN
    a := yc.appoint_actor(p_session, p_office);
    IF a.refusal IS NOT NULL THEN
        RETURN a.refusal;
    END IF;
    ap := yc.appoint_open(p_office, p_code);
    IF ap.code IS NULL THEN
        RETURN 'not_found';
    END IF;
    UPDATE yc.appointment x SET status = 'cancelled', closed_at = v_now, updated_at = v_now
     WHERE x.office_code = ap.office_code AND x.code = ap.code
    RETURNING x.* INTO nw;
    PERFORM yc.audit_write(p_office, a.staff_no, a.window_no, 'appointment_cancel',
        format('appointment:%s/%s', p_office, ap.code),
        jsonb_build_object('status', 'booked'), jsonb_build_object('status', 'cancelled'),
        coalesce(left(p_client, 200), a.client));
    PERFORM yc.appoint_sms(nw, 'appointment_cancelled');
    PERFORM yc.queue_notify(p_office, 'appointment', NULL, NULL);
    RETURN 'ok';
END
$$;

-------------------------------------------------------------------------------
-- A person's appointments at the office, or the one with that code: p_query
-- is an ID number or a code. Newest first, at most 20; the ID number
-- masked. result: ok | no_session | not_allowed | bad_query (one row), no
-- row when nothing matches.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.appoint_find(p_session bigint, p_office text, p_query text)
RETURNS TABLE(result text, code text, slot_start bigint, slot_end bigint, label text,
              id_masked text, phone_masked text, case_type text, item text, status text,
              channel text, changeable boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a   record;
    v_q text := upper(regexp_replace(coalesce(p_query, ''), '\s', '', 'g'));
BEGIN
    a := yc.appoint_actor(p_session, p_office);
    result := coalesce(a.refusal, CASE WHEN v_q !~ '^([0-9]{17}[0-9X]|[A-Z0-9-]{1,32})$'
                                       THEN 'bad_query' END);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_q ~ '^[0-9]{17}[0-9X]$' THEN
        PERFORM yc.appoint_sweep(v_q, NULL, NULL, a.client);
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, ap.code, extract(epoch FROM ap.slot_start)::bigint,
               extract(epoch FROM ap.slot_end)::bigint, yc.appoint_label(ap.slot_start, ap.slot_end),
               yc.doc_mask_idno(ap.id_no),
               CASE WHEN ap.phone IS NOT NULL THEN left(ap.phone, 3) || '****' || right(ap.phone, 4) END,
               ap.case_type_code,
               (SELECT t.name FROM yc.case_type t WHERE t.code = ap.case_type_code
                 ORDER BY t.version DESC LIMIT 1),
               ap.status, ap.channel,
               ap.status = 'booked' AND ap.slot_start > yc.now() AND ap.channel <> 'web'
          FROM yc.appointment ap
         WHERE ap.office_code = p_office AND (ap.id_no = v_q OR ap.code = v_q)
         ORDER BY ap.slot_start DESC LIMIT 20;
END
$$;

-------------------------------------------------------------------------------
-- Today's appointments of an office per slot, for the console: the day's
-- slots and any other slot appointments were booked in (loaded ones), with
-- booked (still to come), checked in, missed and cancelled counts. Misses
-- of the day are recorded first. result: ok | no_session | not_allowed
-- (a supervisor of the office or above, as the console) | unknown_office.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.hall_appointments(p_session bigint, p_office text)
RETURNS TABLE(result text, slot_start bigint, slot_end bigint, label text, capacity int,
              booked int, checked_in int, missed int, cancelled int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_day date := yc.queue_day(yc.now());
BEGIN
    result := yc.report_refusal(p_session, p_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    PERFORM yc.appoint_sweep(NULL, p_office, v_day, NULL);
    RETURN QUERY
        WITH sl AS (
            SELECT s.slot_start, s.slot_end FROM yc.appoint_slots(p_office, v_day) s
            UNION
            SELECT ap.slot_start, ap.slot_end FROM yc.appointment ap
             WHERE ap.office_code = p_office
               AND ap.slot_start >= (v_day::timestamp AT TIME ZONE 'Asia/Shanghai')
               AND ap.slot_start < ((v_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
        )
        SELECT 'ok'::text, extract(epoch FROM sl.slot_start)::bigint,
               extract(epoch FROM sl.slot_end)::bigint,
               to_char(sl.slot_start AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') || '-'
                   || to_char(sl.slot_end AT TIME ZONE 'Asia/Shanghai', 'HH24:MI'),
               (yc.appoint_capacity(p_office, '*')).per_slot,
               count(ap.code) FILTER (WHERE ap.status = 'booked')::int,
               count(ap.code) FILTER (WHERE ap.status = 'used')::int,
               count(ap.code) FILTER (WHERE ap.status = 'missed')::int,
               count(ap.code) FILTER (WHERE ap.status = 'cancelled')::int
          FROM sl LEFT JOIN yc.appointment ap
            ON ap.office_code = p_office AND ap.slot_start = sl.slot_start
           AND ap.slot_end = sl.slot_end
         GROUP BY sl.slot_start, sl.slot_end ORDER BY sl.slot_start LIMIT 64;
END
$$;

-------------------------------------------------------------------------------
-- The daily report's appointments of an office and day (by the slot's
-- day): booked in all (not cancelled), checked in, missed, cancelled, and
-- booked by phone (电话办). Misses of a past slot count as missed before
-- they are recorded. One row. Administrators' (as yc.report_daily_tickets);
-- the console reads it through yc.report_session_appointments.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.report_daily_appointments(p_office text, p_day date)
RETURNS TABLE(booked int, checked_in int, missed int, cancelled int, by_phone int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    SELECT count(*) FILTER (WHERE ap.status <> 'cancelled')::int,
           count(*) FILTER (WHERE ap.status = 'used')::int,
           count(*) FILTER (WHERE ap.status = 'missed'
                            OR (ap.status = 'booked' AND ap.slot_end <= yc.now()))::int,
           count(*) FILTER (WHERE ap.status = 'cancelled')::int,
           count(*) FILTER (WHERE ap.channel = 'phone' AND ap.status <> 'cancelled')::int
      FROM yc.appointment ap
     WHERE ap.office_code = p_office
       AND ap.slot_start >= (p_day::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND ap.slot_start < ((p_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai');
$$;

-- result: ok | no_session | not_allowed | unknown_office (one row)
CREATE OR REPLACE FUNCTION yc.report_session_appointments(p_session bigint, p_office text, p_day date)
RETURNS TABLE(result text, booked int, checked_in int, missed int, cancelled int, by_phone int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_column
BEGIN
    result := yc.report_refusal(p_session, p_office);
    IF result IS NOT NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'ok'::text, r.booked, r.checked_in, r.missed, r.cancelled, r.by_phone
          FROM yc.report_daily_appointments(p_office, p_day) r;
END
$$;

-------------------------------------------------------------------------------
-- The places of an office's slots, set by an administrator of the office
-- or above (or the owner's own connection, p_session NULL; yc.hours_actor):
-- p_grp '*' the slot as a whole, else a 事项 group (catalogue category);
-- p_per_slot NULL removes the office's row (the setting, or no limit of
-- its own for a group). Audited. result: ok | no_session | not_allowed |
-- unknown_office | bad_input (a group no catalogue item has, a number
-- outside 0..200).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.appoint_capacity_set(p_session bigint, p_office text, p_grp text,
    p_per_slot int, p_client text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a     record;
    v_grp text := btrim(coalesce(p_grp, '*'));
    v_old int;
BEGIN
    a := yc.hours_actor(p_session, p_office);
    IF a.refusal IS NOT NULL THEN
        RETURN a.refusal;
    END IF;
    IF (v_grp <> '*' AND NOT EXISTS (SELECT 1 FROM yc.case_type t WHERE t.category = v_grp))
       OR (p_per_slot IS NOT NULL AND p_per_slot NOT BETWEEN 0 AND 200) THEN
        RETURN 'bad_input';
    END IF;
    SELECT c.per_slot INTO v_old FROM yc.appointment_capacity c
     WHERE c.office_code = p_office AND c.grp = v_grp FOR UPDATE;
    IF p_per_slot IS NULL THEN
        DELETE FROM yc.appointment_capacity c WHERE c.office_code = p_office AND c.grp = v_grp;
    ELSE
        INSERT INTO yc.appointment_capacity AS c (office_code, grp, per_slot, updated_at, updated_by)
        VALUES (p_office, v_grp, p_per_slot, yc.now(), a.staff_no)
        ON CONFLICT (office_code, grp) DO UPDATE
            SET per_slot = EXCLUDED.per_slot, updated_at = EXCLUDED.updated_at,
                updated_by = EXCLUDED.updated_by;
    END IF;
    PERFORM yc.audit_write(p_office, a.staff_no, NULL, 'appointment_capacity_set',
        format('appointment_capacity:%s/%s', p_office, v_grp),
        CASE WHEN v_old IS NOT NULL THEN jsonb_build_object('per_slot', v_old) END,
        CASE WHEN p_per_slot IS NOT NULL THEN jsonb_build_object('per_slot', p_per_slot) END,
        coalesce(left(p_client, 200), a.client));
    PERFORM yc.queue_notify(p_office, 'appointment', NULL, NULL);
    RETURN 'ok';
END
$$;

-- The places of an office's slots: the slot as a whole ('*': the office's
-- row, else the setting, from_setting) and the groups with a limit.
CREATE OR REPLACE FUNCTION yc.appoint_capacity_list(p_office text)
RETURNS TABLE(grp text, per_slot int, from_setting boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
    SELECT '*', (yc.appoint_capacity(p_office, '*')).per_slot,
           NOT EXISTS (SELECT 1 FROM yc.appointment_capacity c
                        WHERE c.office_code = p_office AND c.grp = '*')
    UNION ALL
    SELECT * FROM (SELECT c.grp, c.per_slot, false FROM yc.appointment_capacity c
                    WHERE c.office_code = p_office AND c.grp <> '*' ORDER BY c.grp) g;
$$;

REVOKE ALL ON FUNCTION yc.appoint_label(timestamptz, timestamptz) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_slots(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_capacity(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_actor(bigint, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_item(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_missed(yc.appointment, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_sweep(text, text, date, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_blocked_until(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_sms(yc.appointment, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_open(text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_slot_at(text, bigint) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_full(text, timestamptz, timestamptz, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.appoint_today() FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_day(bigint, text, date, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_book(bigint, text, text, text, text, bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_move(bigint, text, text, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_cancel(bigint, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_find(bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.hall_appointments(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.report_daily_appointments(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.report_session_appointments(bigint, text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_capacity_set(bigint, text, text, integer, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.appoint_capacity_list(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    yc.appoint_capacity_set(bigint, text, text, integer, text),
    yc.appoint_capacity_list(text),
    yc.appoint_today(),
    yc.appoint_day(bigint, text, date, text),
    yc.appoint_book(bigint, text, text, text, text, bigint, text, text),
    yc.appoint_move(bigint, text, text, bigint, text),
    yc.appoint_cancel(bigint, text, text, text),
    yc.appoint_find(bigint, text, text),
    yc.hall_appointments(bigint, text),
    yc.report_session_appointments(bigint, text, date)
  TO yichuang_app;
