-- 0004_queue: the hall queue's tables (numbering, windows, appointments,
-- per-office configuration); the functions, with the calling order and
-- its guarantees, are in db/functions/queue.sql.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Per-office configuration. No row: credit 15, target and senior age from
-- the settings queue_target_minutes and senior_age (20 and 60).
-------------------------------------------------------------------------------
CREATE TABLE yc.queue_config (
    office_code    text PRIMARY KEY REFERENCES yc.office (code),
    policy         text NOT NULL DEFAULT 'credit' CHECK (policy IN ('strict', 'ratio', 'credit')),
    ratio_n        int  NOT NULL DEFAULT 3  CHECK (ratio_n BETWEEN 1 AND 100),
    credit_minutes int  NOT NULL DEFAULT 15 CHECK (credit_minutes BETWEEN 0 AND 600),
    target_minutes int  CHECK (target_minutes BETWEEN 1 AND 600),   -- NULL: the setting
    senior_age     int  CHECK (senior_age BETWEEN 40 AND 120),      -- NULL: the setting
    updated_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE yc.queue_config IS
    'hall queue policy per office: strict | ratio N | credit M minutes (default credit 15)';

-- Runtime state per office: consecutive priority walk-in calls (ratio).
CREATE TABLE yc.queue_office_state (
    office_code     text PRIMARY KEY REFERENCES yc.office (code),
    priority_streak int  NOT NULL DEFAULT 0 CHECK (priority_streak >= 0)
);

-- Ticket numbers: one counter row per office, day and class.
CREATE TABLE yc.ticket_counter (
    office_code text NOT NULL REFERENCES yc.office (code),
    day         date NOT NULL,
    class       text NOT NULL CHECK (class IN ('normal', 'priority', 'green', 'appointment')),
    last_seq    int  NOT NULL CHECK (last_seq > 0),
    PRIMARY KEY (office_code, day, class)
);

-- Appointment slots (预约), booked elsewhere (web, phone) or by an administrator.
CREATE TABLE yc.appointment (
    office_code text NOT NULL REFERENCES yc.office (code),
    code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{1,32}$'),
    slot_start  timestamptz NOT NULL,
    slot_end    timestamptz NOT NULL,
    id_no       text CHECK (id_no ~ '^[0-9]{17}[0-9X]$'),
    status      text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'used', 'missed')),
    ticket_id   bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_code, code),
    FOREIGN KEY (office_code, ticket_id) REFERENCES yc.ticket (office_code, ticket_id),
    CONSTRAINT appointment_slot CHECK (slot_end > slot_start),
    CONSTRAINT appointment_used CHECK ((status = 'used') = (ticket_id IS NOT NULL))
);
CREATE INDEX appointment_slot_idx ON yc.appointment (office_code, slot_start);

-- What each window is doing: idle, serving (a current ticket) or paused.
CREATE TABLE yc.window_state (
    office_code       text NOT NULL,
    window_no         int  NOT NULL,
    state             text NOT NULL DEFAULT 'idle' CHECK (state IN ('idle', 'serving', 'paused')),
    pause_reason      text,
    current_ticket_id bigint,
    since             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_code, window_no),
    FOREIGN KEY (office_code, window_no) REFERENCES yc.service_window (office_code, window_no),
    CONSTRAINT window_state_current CHECK ((state = 'serving') = (current_ticket_id IS NOT NULL)),
    CONSTRAINT window_state_reason CHECK (state = 'paused' OR pause_reason IS NULL)
);

-------------------------------------------------------------------------------
-- Tickets: what the queue adds to yc.ticket.
-------------------------------------------------------------------------------
ALTER TABLE yc.ticket
    ADD COLUMN has_id           boolean NOT NULL DEFAULT false,
    ADD COLUMN recalls          int     NOT NULL DEFAULT 0 CHECK (recalls >= 0),
    ADD COLUMN last_called_at   timestamptz,
    ADD COLUMN transfer_to      int,
    ADD COLUMN appointment_code text,
    ADD COLUMN slot_start       timestamptz,
    ADD COLUMN slot_end         timestamptz,
    ADD CONSTRAINT ticket_transfer_window
        FOREIGN KEY (office_code, transfer_to) REFERENCES yc.service_window (office_code, window_no),
    ADD CONSTRAINT ticket_transfer_waiting CHECK (transfer_to IS NULL OR status = 'waiting'),
    ADD CONSTRAINT ticket_appointment_slot CHECK (
        class <> 'appointment'
        OR (appointment_code IS NOT NULL AND slot_start IS NOT NULL AND slot_end IS NOT NULL));

-- A window never has two current tickets.
CREATE UNIQUE INDEX ticket_current_window_uq ON yc.ticket (office_code, window_no)
    WHERE status IN ('called', 'serving');
-- Call-next and the waiting counts: the waiting queue of one office and day
-- per class in calling order (transferred tickets apart).
CREATE INDEX ticket_queue_idx ON yc.ticket (office_code, day, class, issued_at, seq)
    WHERE status = 'waiting' AND transfer_to IS NULL;
-- Tickets transferred to a window.
CREATE INDEX ticket_transfer_idx ON yc.ticket (office_code, day, transfer_to, issued_at, ticket_id)
    WHERE status = 'waiting' AND transfer_to IS NOT NULL;
-- The calling board: latest calls of the day.
CREATE INDEX ticket_recent_call_idx ON yc.ticket (office_code, day, last_called_at DESC)
    WHERE last_called_at IS NOT NULL;
-- The estimated wait: latest services of the day.
CREATE INDEX ticket_served_idx ON yc.ticket (office_code, day, finished_at DESC)
    WHERE status = 'served';

-- The ticket as the client sees it (times as Unix seconds; no ID number).
CREATE TYPE yc.queue_ticket_info AS (
    ticket_id   bigint,
    number      text,
    class       text,
    status      text,
    window_no   int,
    issued_at   bigint,
    called_at   bigint,
    started_at  bigint,
    finished_at bigint,
    recalls     int,
    has_id      boolean
);

-------------------------------------------------------------------------------
-- Sessions are looked up by id alone: one index entry per id.
-------------------------------------------------------------------------------
CREATE UNIQUE INDEX staff_session_session_id_uq ON yc.staff_session (session_id);
DROP INDEX yc.staff_session_id_idx;  -- the same column, now covered by the unique index

-------------------------------------------------------------------------------
-- Privileges: the application calls the functions; it has no direct write
-- access to any queue table (SELECT on yc.ticket comes from 0001).
-------------------------------------------------------------------------------
REVOKE ALL ON yc.queue_config, yc.queue_office_state, yc.ticket_counter, yc.appointment,
              yc.window_state FROM PUBLIC;
