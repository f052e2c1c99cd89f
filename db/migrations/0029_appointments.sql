-- 0029_appointments: 预约办 and 电话办 (seed 000 item 14, seed 004). A
-- clerk (for a caller on the hotline, or at the guide desk) books a slot
-- of the office's day for one person and one 事项; the citizen gets a code
-- by SMS (yc.outbox) and on a printed slip, checks in at the kiosk by code
-- or ID number inside the slot's window, and an appointment nobody checked
-- in by the end of its slot is missed. Too many misses block booking for a
-- while. The functions are in db/functions/appoint.sql.
--
-- SLOTS are not stored: they follow from the office's opening hours of
-- the day (yc.hours_day: its sessions, noon service joining them; a day
-- the hall is closed has none) cut into appointment_slot_minutes; a slot
-- ends within its session.
--
-- CAPACITY per slot: the office's row of yc.appointment_capacity with
-- grp '*' (else the setting appointment_slot_capacity) for the slot as a
-- whole, and a row per 事项 group (the catalogue category, case_type
-- .category) limiting that group within it. Every appointment not
-- cancelled takes its place (a checked-in or missed one too).
--
-- Rows loaded before (the demo's slots, appointments booked elsewhere)
-- have no 事项, phone or booking clerk: channel 'web'.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.appointment DROP CONSTRAINT appointment_status_check;
ALTER TABLE yc.appointment
    ADD CONSTRAINT appointment_status_check
        CHECK (status IN ('booked', 'used', 'missed', 'cancelled')),
    ADD COLUMN case_type_code text,
    ADD COLUMN grp            text,
    ADD COLUMN phone          text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    ADD COLUMN channel        text NOT NULL DEFAULT 'web'
        CHECK (channel IN ('phone', 'desk', 'web')),
    ADD COLUMN booked_by      text REFERENCES yc.staff (staff_no),
    ADD COLUMN checked_in_at  timestamptz,
    ADD COLUMN closed_at      timestamptz,
    ADD COLUMN updated_at     timestamptz,
    -- a slot is shorter than a day: the functions count a slot's
    -- appointments on the index from a day before it
    ADD CONSTRAINT appointment_within_day CHECK (slot_end - slot_start < interval '1 day'),
    ADD CONSTRAINT appointment_booked_by_clerk CHECK (
        channel = 'web' OR (booked_by IS NOT NULL AND id_no IS NOT NULL AND case_type_code IS NOT NULL));
UPDATE yc.appointment SET closed_at = slot_end WHERE status = 'missed';
ALTER TABLE yc.appointment
    ADD CONSTRAINT appointment_closed CHECK ((status IN ('missed', 'cancelled')) = (closed_at IS NOT NULL));

-- At most one open appointment per person and 事项, in any office.
CREATE UNIQUE INDEX appointment_one_open_idx ON yc.appointment (id_no, case_type_code)
    WHERE status = 'booked' AND id_no IS NOT NULL AND case_type_code IS NOT NULL;
-- A person's appointments (misses, the kiosk's check-in by ID number).
CREATE INDEX appointment_person_idx ON yc.appointment (id_no, slot_end) WHERE id_no IS NOT NULL;

CREATE TABLE yc.appointment_capacity (
    office_code text NOT NULL REFERENCES yc.office (code),
    grp         text NOT NULL CHECK (btrim(grp) <> '' AND char_length(grp) <= 40),
    per_slot    int  NOT NULL CHECK (per_slot BETWEEN 0 AND 200),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text,
    PRIMARY KEY (office_code, grp)
);
COMMENT ON TABLE yc.appointment_capacity IS
    'appointments per slot of an office: grp ''*'' the slot as a whole, else one 事项 group (case_type.category)';
REVOKE ALL ON yc.appointment_capacity FROM PUBLIC;

-- Text messages about an appointment: yc.outbox rows with no case.
ALTER TABLE yc.outbox
    ALTER COLUMN case_no DROP NOT NULL,
    ADD COLUMN appointment_code text,
    ADD CONSTRAINT outbox_appointment_fk FOREIGN KEY (office_code, appointment_code)
        REFERENCES yc.appointment (office_code, code),
    ADD CONSTRAINT outbox_case_or_appointment CHECK (num_nonnulls(case_no, appointment_code) = 1);
ALTER TABLE yc.outbox DROP CONSTRAINT outbox_kind;
ALTER TABLE yc.outbox ADD CONSTRAINT outbox_kind CHECK (kind IN ('accepted', 'supplement', 'deferred',
    'deferred_reminder', 'finished_now', 'finished', 'terminated', 'withdrawn',
    'appointment_booked', 'appointment_changed', 'appointment_cancelled'));
ALTER TABLE yc.outbox ADD CONSTRAINT outbox_appointment_kind
    CHECK ((appointment_code IS NOT NULL) = (kind LIKE 'appointment\_%'));
ALTER TABLE yc.sms_template DROP CONSTRAINT sms_template_kind_check;
ALTER TABLE yc.sms_template ADD CONSTRAINT sms_template_kind_check CHECK (kind IN ('accepted',
    'supplement', 'deferred', 'deferred_reminder', 'finished_now', 'finished', 'terminated',
    'withdrawn', 'appointment_booked', 'appointment_changed', 'appointment_cancelled'));

INSERT INTO yc.setting AS s (key, value, description, value_type, min_value, max_value,
                             default_value, description_zh, sort_order) VALUES
    ('appointment_slot_minutes', '30', 'length of an appointment slot, minutes',
     'int', 10, 120, '30', '预约时段长度（分钟）', 200),
    ('appointment_slot_capacity', '4',
     'appointments per slot of an office without a capacity of its own',
     'int', 1, 200, '4', '每个预约时段可预约人数（机构可另设，并可按事项分组限额）', 210),
    ('appointment_lead_minutes', '60', 'bookings for a slot stop this many minutes before it begins',
     'int', 0, 1440, '60', '预约截止：时段开始前多少分钟停止预约', 220),
    ('appointment_days_ahead', '7', 'how many days ahead an appointment may be booked',
     'int', 1, 60, '7', '可提前预约的天数', 230),
    ('appointment_checkin_minutes', '30',
     'how many minutes before its slot an appointment may be checked in at the kiosk',
     'int', 0, 240, '30', '可提前签到的分钟数（时段开始前）', 240),
    ('appointment_miss_limit', '3', 'missed appointments within the miss window that block booking',
     'int', 1, 20, '3', '爽约几次后暂停预约', 250),
    ('appointment_miss_window_days', '30', 'days within which the missed appointments are counted',
     'int', 1, 365, '30', '爽约次数的统计天数', 260),
    ('appointment_block_days', '30', 'days booking stays blocked after too many missed appointments',
     'int', 1, 365, '30', '爽约过多后暂停预约的天数', 270)
ON CONFLICT (key) DO UPDATE
    SET value_type = EXCLUDED.value_type, min_value = EXCLUDED.min_value,
        max_value = EXCLUDED.max_value, default_value = EXCLUDED.default_value,
        description = EXCLUDED.description, description_zh = EXCLUDED.description_zh,
        sort_order = EXCLUDED.sort_order;
