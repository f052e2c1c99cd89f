-- 0001_core: schema yc, the application role, offices, windows, staff,
-- catalogue, persons, tickets, cases, notices, sessions, settings, the
-- append-only audit log and the working-day calendar.
--
-- Applied by the C program as superuser inside a transaction it opens and
-- commits itself: no BEGIN/COMMIT here; one multi-statement simple query.
-- Every table whose rows belong to an office keeps office_code first in its
-- primary key, so that it can later be partitioned (or distributed) by office.

-- The application role. On a private cluster the C program creates it with
-- LOGIN before migrating; on a shared server it may not exist yet.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'yichuang_app') THEN
        BEGIN
            CREATE ROLE yichuang_app NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN
            NULL;  -- created concurrently by another session
        END;
    END IF;
END
$$;

CREATE SCHEMA yc;
REVOKE ALL ON SCHEMA yc FROM PUBLIC;
GRANT USAGE ON SCHEMA yc TO yichuang_app;

COMMENT ON SCHEMA yc IS '一窗 (yichuang) medical-insurance service hall workstation';

-------------------------------------------------------------------------------
-- Offices: three tiers. The code length fixes the tier (6 digits city,
-- 9 township, 12 village) and a lower office's code extends its parent's, so
-- the checks alone guarantee that a township's parent is a city and a
-- village's parent is a township.
-------------------------------------------------------------------------------
CREATE TABLE yc.office (
    code        text PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    tier        text NOT NULL CHECK (tier IN ('city', 'township', 'village')),
    parent_code text REFERENCES yc.office (code),
    region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT office_tier_code CHECK (
        (tier = 'city'     AND code ~ '^[0-9]{6}$'  AND parent_code IS NULL)
     OR (tier = 'township' AND code ~ '^[0-9]{9}$'  AND parent_code IS NOT DISTINCT FROM left(code, 6))
     OR (tier = 'village'  AND code ~ '^[0-9]{12}$' AND parent_code IS NOT DISTINCT FROM left(code, 9))
    )
);
CREATE INDEX office_parent_idx ON yc.office (parent_code);

COMMENT ON TABLE yc.office IS 'service offices: city centre, township (乡镇/街道) office, village (村/社区) station';

CREATE TABLE yc.service_window (
    office_code text NOT NULL REFERENCES yc.office (code),
    window_no   int  NOT NULL CHECK (window_no BETWEEN 1 AND 999),
    label       text NOT NULL CHECK (btrim(label) <> ''),
    active      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (office_code, window_no)
);

-------------------------------------------------------------------------------
-- Staff. Password hashes are bcrypt (pgcrypto crypt/gen_salt('bf', >= 10)).
-------------------------------------------------------------------------------
CREATE TABLE yc.staff (
    staff_no            text PRIMARY KEY CHECK (staff_no ~ '^[a-z0-9_]{3,32}$'),
    name                text NOT NULL CHECK (btrim(name) <> ''),
    role                text NOT NULL CHECK (role IN ('clerk', 'reviewer', 'supervisor', 'admin', 'guide')),
    office_code         text NOT NULL REFERENCES yc.office (code),
    password_hash       text NOT NULL
        CHECK (password_hash ~ '^\$2[ab]\$(1[0-9]|2[0-9]|3[01])\$[./A-Za-z0-9]{53}$'),
    failed_logins       int  NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until        timestamptz,
    active              boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_office_idx ON yc.staff (office_code);

-------------------------------------------------------------------------------
-- Catalogue of case types (事项), loaded from forms/*.xml by a later issue.
-------------------------------------------------------------------------------
CREATE TABLE yc.catalogue_version (
    version    int PRIMARY KEY CHECK (version > 0),
    loaded_at  timestamptz NOT NULL DEFAULT now(),
    loaded_by  text NOT NULL,
    file_count int NOT NULL CHECK (file_count >= 0)
);

CREATE TABLE yc.case_type (
    code       text NOT NULL CHECK (btrim(code) <> ''),
    version    int  NOT NULL CHECK (version > 0),
    name       text NOT NULL CHECK (btrim(name) <> ''),
    category   text,
    pinyin     text,
    tiers      text[] NOT NULL DEFAULT '{}'
        CHECK (tiers <@ ARRAY['city', 'township', 'village']::text[]),
    definition text NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, version)
);

-------------------------------------------------------------------------------
-- Persons (citizens), keyed by the 18-character GB 11643 citizen ID number.
-------------------------------------------------------------------------------
CREATE TABLE yc.person (
    id_no      text PRIMARY KEY CHECK (id_no ~ '^[0-9]{17}[0-9X]$'),
    name       text NOT NULL CHECK (btrim(name) <> ''),
    sex        text CHECK (sex IN ('M', 'F')),
    birth_date date,
    phone      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-------------------------------------------------------------------------------
-- Hall queue tickets.
-------------------------------------------------------------------------------
CREATE TABLE yc.ticket (
    office_code text   NOT NULL REFERENCES yc.office (code),
    ticket_id   bigint GENERATED ALWAYS AS IDENTITY,
    day         date   NOT NULL,
    class       text   NOT NULL CHECK (class IN ('normal', 'priority', 'green', 'appointment')),
    seq         int    NOT NULL CHECK (seq > 0),
    number      text   NOT NULL CHECK (number ~ '^[A-Z][0-9]{3,}$'),
    status      text   NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'called', 'serving', 'held', 'served', 'no_show', 'cancelled')),
    window_no   int,
    id_no       text REFERENCES yc.person (id_no),
    issued_at   timestamptz NOT NULL DEFAULT now(),
    called_at   timestamptz,
    started_at  timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (office_code, ticket_id),
    UNIQUE (office_code, day, class, seq),
    -- the calling board shows the number: never twice in one office and day
    UNIQUE (office_code, day, number),
    FOREIGN KEY (office_code, window_no) REFERENCES yc.service_window (office_code, window_no),
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
        AND (finished_at IS NULL OR finished_at >= issued_at))
);
-- The waiting queue of one office and day, in calling order per class.
CREATE INDEX ticket_waiting_idx ON yc.ticket (office_code, day, class, seq)
    WHERE status = 'waiting';
-- What each window is doing now.
CREATE INDEX ticket_active_window_idx ON yc.ticket (office_code, window_no)
    WHERE status IN ('called', 'serving', 'held');
CREATE INDEX ticket_person_idx ON yc.ticket (id_no) WHERE id_no IS NOT NULL;

-------------------------------------------------------------------------------
-- Cases (service_case: CASE is reserved).
-------------------------------------------------------------------------------
CREATE TABLE yc.service_case (
    office_code       text NOT NULL REFERENCES yc.office (code),
    case_no           text NOT NULL,
    case_type_code    text NOT NULL,
    case_type_version int  NOT NULL,
    id_no             text NOT NULL REFERENCES yc.person (id_no),
    status            text NOT NULL DEFAULT 'draft',
    channel           text NOT NULL DEFAULT 'window' CHECK (channel IN ('window', 'proxy', 'mail')),
    first_staff_no    text NOT NULL REFERENCES yc.staff (staff_no),
    window_no         int,
    accepted_at       timestamptz,
    promised_date     date,
    finished_at       timestamptz,
    form              jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_code, case_no),
    UNIQUE (case_no),
    FOREIGN KEY (case_type_code, case_type_version) REFERENCES yc.case_type (code, version),
    FOREIGN KEY (office_code, window_no) REFERENCES yc.service_window (office_code, window_no),
    -- office code + yyyymmdd + 4-digit sequence
    CONSTRAINT service_case_no_format CHECK (
        case_no ~ '^[0-9]+$'
        AND length(case_no) = length(office_code) + 12
        AND left(case_no, length(office_code)) = office_code),
    CONSTRAINT service_case_status CHECK (status IN (
        'draft', 'pending_supplement', 'accepted', 'in_progress',
        'finished', 'rejected', 'cancelled')),
    CONSTRAINT service_case_accepted CHECK (
        status NOT IN ('accepted', 'in_progress', 'finished') OR accepted_at IS NOT NULL),
    CONSTRAINT service_case_finished CHECK (status <> 'finished' OR finished_at IS NOT NULL),
    CONSTRAINT service_case_promise CHECK (
        promised_date IS NULL OR (accepted_at IS NOT NULL AND promised_date >= (accepted_at AT TIME ZONE 'Asia/Shanghai')::date))
);
CREATE INDEX service_case_open_idx ON yc.service_case (office_code, status, promised_date)
    WHERE status NOT IN ('finished', 'rejected', 'cancelled');
CREATE INDEX service_case_person_idx ON yc.service_case (id_no);
CREATE INDEX service_case_staff_idx ON yc.service_case (first_staff_no);

CREATE TABLE yc.case_event (
    office_code text NOT NULL,
    case_no     text NOT NULL,
    seq         int  NOT NULL CHECK (seq > 0),
    at          timestamptz NOT NULL DEFAULT now(),
    staff_no    text REFERENCES yc.staff (staff_no),
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (office_code, case_no, seq),
    FOREIGN KEY (office_code, case_no) REFERENCES yc.service_case (office_code, case_no)
);

CREATE TABLE yc.notice (
    office_code text NOT NULL,
    notice_no   text NOT NULL CHECK (btrim(notice_no) <> ''),
    case_no     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN (
        'supplement', 'deferred', 'rejection', 'receipt', 'commitment', 'completion')),
    issued_at   timestamptz NOT NULL DEFAULT now(),
    staff_no    text NOT NULL REFERENCES yc.staff (staff_no),
    body        jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (office_code, notice_no),
    FOREIGN KEY (office_code, case_no) REFERENCES yc.service_case (office_code, case_no)
);
CREATE INDEX notice_case_idx ON yc.notice (office_code, case_no);

-------------------------------------------------------------------------------
-- Staff sessions at windows.
-------------------------------------------------------------------------------
CREATE TABLE yc.staff_session (
    office_code text   NOT NULL REFERENCES yc.office (code),
    session_id  bigint GENERATED ALWAYS AS IDENTITY,
    staff_no    text   NOT NULL REFERENCES yc.staff (staff_no),
    window_no   int,
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    end_reason  text CHECK (end_reason ~ '^[a-z][a-z0-9_]{0,31}$'),
    client      text,
    PRIMARY KEY (office_code, session_id),
    FOREIGN KEY (office_code, window_no) REFERENCES yc.service_window (office_code, window_no),
    CONSTRAINT staff_session_end CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
    CONSTRAINT staff_session_order CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX staff_session_open_window_uq ON yc.staff_session (office_code, window_no)
    WHERE ended_at IS NULL AND window_no IS NOT NULL;
CREATE UNIQUE INDEX staff_session_open_staff_uq ON yc.staff_session (staff_no)
    WHERE ended_at IS NULL;
CREATE INDEX staff_session_id_idx ON yc.staff_session (session_id);

-------------------------------------------------------------------------------
-- Settings.
-------------------------------------------------------------------------------
CREATE TABLE yc.setting (
    key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    value       text NOT NULL,
    description text
);
INSERT INTO yc.setting (key, value, description) VALUES
    ('login_max_failures',   '5',  'failed password attempts before the account is locked'),
    ('login_lock_minutes',   '15', 'minutes an account stays locked after too many failures'),
    ('idle_lock_minutes',    '10', 'minutes of inactivity before the screen locks'),
    ('queue_target_minutes', '20', 'target waiting time in the hall queue, minutes'),
    ('senior_age',           '60', 'age from which a citizen gets a priority ticket')
ON CONFLICT (key) DO NOTHING;

-------------------------------------------------------------------------------
-- Audit log: append-only, for everyone including the owner and superusers.
-- office_code '000000' marks actions with no office (e.g. unknown login name).
-------------------------------------------------------------------------------
CREATE TABLE yc.audit_log (
    office_code text   NOT NULL CHECK (office_code ~ '^[0-9]{6}([0-9]{3}){0,2}$'),
    audit_id    bigint GENERATED ALWAYS AS IDENTITY,
    at          timestamptz NOT NULL DEFAULT now(),
    staff_no    text,
    window_no   int,
    action      text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*$'),
    object      text,
    before      jsonb,
    after       jsonb,
    client      text,
    PRIMARY KEY (office_code, audit_id)
);
CREATE INDEX audit_log_at_idx ON yc.audit_log (office_code, at);
CREATE INDEX audit_log_staff_idx ON yc.audit_log (staff_no, at);

-------------------------------------------------------------------------------
-- Working-day calendar. The C program loads db/calendar/*.tsv into these.
-------------------------------------------------------------------------------
CREATE TABLE yc.workday_adjustment (
    day  date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('off', 'work')),
    name text NOT NULL CHECK (btrim(name) <> ''),
    -- a make-up working day (调休上班) is always a Saturday or Sunday
    CONSTRAINT workday_adjustment_work_on_weekend
        CHECK (kind <> 'work' OR extract(isodow FROM day) IN (6, 7))
);

CREATE TABLE yc.calendar_year (
    year      int PRIMARY KEY CHECK (year BETWEEN 1949 AND 2200),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    source    text NOT NULL
);

-------------------------------------------------------------------------------
-- Privileges of the application role.
-------------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA yc FROM PUBLIC;

GRANT SELECT ON yc.office, yc.service_window, yc.setting,
                yc.case_type, yc.catalogue_version,
                yc.workday_adjustment, yc.calendar_year
    TO yichuang_app;
GRANT SELECT ON yc.ticket, yc.service_case, yc.case_event, yc.notice TO yichuang_app;
