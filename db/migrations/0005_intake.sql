-- 0005_intake: one-window intake (综合柜员制). A clerk takes a case of any
-- type, checks its materials and ends in exactly one outcome: 受理,
-- 即时办结, 一次性告知 (待补正), 容缺受理 or 不予受理. The case keeps its
-- legal deadline in working days (yc.add_workdays, the official calendar).
--
-- Conventions as in 0004: SECURITY DEFINER functions with search_path =
-- yc, pg_temp; expected refusals come back as a result text, not as
-- errors; every state change is audited (yc.audit_write) and announced on
-- 'yc_case_' || office_code with no personal data in the payload; times
-- from yc.now(), days in Asia/Shanghai.
--
-- Numbers (unique city-wide because they embed the office code):
--   case   office_code || yyyymmdd || 4-digit sequence (per office and day)
--   notice 'N' || issuing office's code || yyyymmdd || 4-digit sequence
--          (per issuing office and day; a 补正 elsewhere numbers its notice
--          where it is issued, the notice row stays with the case's office)
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

-- Daily sequences of case and notice numbers, one row per office, day, kind.
CREATE TABLE yc.case_counter (
    office_code text NOT NULL REFERENCES yc.office (code),
    day         date NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('case', 'notice')),
    last_seq    int  NOT NULL CHECK (last_seq BETWEEN 0 AND 9999),
    PRIMARY KEY (office_code, day, kind)
);

ALTER TABLE yc.service_case
    ADD COLUMN ticket_id   bigint,		-- the ticket being served (same office), if any
    ADD COLUMN agent_id_no text CHECK (agent_id_no ~ '^[0-9]{17}[0-9X]$'),
    ADD COLUMN agent_name  text CHECK (btrim(agent_name) <> ''),
    ADD COLUMN reason      text CHECK (btrim(reason) <> ''),	-- 不予受理: why
    ADD COLUMN limit_days  int  CHECK (limit_days >= 0),	-- working days promised (0: 即时办结)
    ADD COLUMN stage_no    int  CHECK (stage_no > 0),	-- current stage, when it has stages
    ADD CONSTRAINT service_case_ticket
        FOREIGN KEY (office_code, ticket_id) REFERENCES yc.ticket (office_code, ticket_id),
    ADD CONSTRAINT service_case_agent
        CHECK ((agent_id_no IS NULL) = (agent_name IS NULL)),
    ADD CONSTRAINT service_case_rejected
        CHECK (status <> 'rejected' OR reason IS NOT NULL);
-- The clerk's own open cases (deadline board).
CREATE INDEX service_case_staff_open_idx ON yc.service_case (first_staff_no, promised_date)
    WHERE status NOT IN ('finished', 'rejected', 'cancelled');
-- Duplicate check: open cases of one person and type.
CREATE INDEX service_case_person_type_idx ON yc.service_case (id_no, case_type_code)
    WHERE status NOT IN ('finished', 'rejected', 'cancelled');

-- The materials of a case as checked at the window: one row per material of
-- the definition (any-of members share item_no and group_id; 委托办理 adds
-- the proxy materials); ord is the material's place in the definition
-- (document order, proxy materials last), the order of every checklist and
-- notice. Ids follow the definition schema (forms/case-type.rng). state:
--   seen        presented (and checked) at the window
--   missing     not presented; on the 一次性告知书 when noticed
--   deferred    容缺: to be supplied by due_date (never a key material)
--   supplied    a deferred or noticed material presented later
--   not_needed  an any-of alternative: another member of its group was seen
CREATE TABLE yc.case_material (
    office_code text NOT NULL,
    case_no     text NOT NULL,
    material_id text NOT NULL CHECK (material_id ~ '^[a-z][a-z0-9_-]{0,39}$'),
    ord         int  NOT NULL CHECK (ord > 0),
    item_no     int  NOT NULL CHECK (item_no > 0),
    group_id    text CHECK (group_id ~ '^[a-z][a-z0-9_-]{0,39}$'),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    form        text NOT NULL CHECK (form IN ('original', 'copy', 'shown')),
    key         boolean NOT NULL DEFAULT false,
    defer_days  int  NOT NULL DEFAULT 0 CHECK (defer_days >= 0),
    proxy       boolean NOT NULL DEFAULT false,
    state       text NOT NULL CHECK (state IN ('seen', 'missing', 'deferred', 'supplied', 'not_needed')),
    noticed     boolean NOT NULL DEFAULT false,
    due_date    date,
    seen_at     timestamptz,
    seen_by     text REFERENCES yc.staff (staff_no),
    PRIMARY KEY (office_code, case_no, material_id),
    FOREIGN KEY (office_code, case_no) REFERENCES yc.service_case (office_code, case_no),
    CONSTRAINT case_material_deferred
        CHECK (state <> 'deferred' OR (due_date IS NOT NULL AND NOT key AND defer_days > 0)),
    CONSTRAINT case_material_seen
        CHECK (state NOT IN ('seen', 'supplied') OR seen_at IS NOT NULL)
);
-- Deferred materials by supply date (deadline board).
CREATE INDEX case_material_due_idx ON yc.case_material (office_code, due_date)
    WHERE state = 'deferred';

-- The stages of an accepted case (from the definition), with planned due
-- dates counted in working days from acceptance, one after the other.
CREATE TABLE yc.case_stage (
    office_code text NOT NULL,
    case_no     text NOT NULL,
    stage_no    int  NOT NULL CHECK (stage_no > 0),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    tier        text NOT NULL CHECK (tier IN ('city', 'township', 'village')),
    days        int  NOT NULL CHECK (days > 0),
    due_date    date NOT NULL,
    started_at  timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (office_code, case_no, stage_no),
    FOREIGN KEY (office_code, case_no) REFERENCES yc.service_case (office_code, case_no),
    CONSTRAINT case_stage_order CHECK (finished_at IS NULL OR started_at IS NOT NULL)
);
CREATE INDEX case_stage_due_idx ON yc.case_stage (office_code, due_date)
    WHERE finished_at IS NULL;

-- Lookup of a notice by its number alone, from any office (全市通办).
CREATE UNIQUE INDEX notice_no_uq ON yc.notice (notice_no);

-- 好差评: one rating per service, 1 非常满意 … 5 非常不满意; 4 and 5 are
-- flagged for the supervisor's follow-up.
CREATE TABLE yc.rating (
    office_code text   NOT NULL REFERENCES yc.office (code),
    rating_id   bigint GENERATED ALWAYS AS IDENTITY,
    case_office text,
    case_no     text,
    ticket_id   bigint,
    staff_no    text   NOT NULL REFERENCES yc.staff (staff_no),
    window_no   int,
    grade       smallint NOT NULL CHECK (grade BETWEEN 1 AND 5),
    flagged     boolean GENERATED ALWAYS AS (grade >= 4) STORED,
    rated_at    timestamptz NOT NULL DEFAULT now(),
    handled_at  timestamptz,
    handled_by  text REFERENCES yc.staff (staff_no),
    follow_up   text,
    PRIMARY KEY (office_code, rating_id),
    FOREIGN KEY (case_office, case_no) REFERENCES yc.service_case (office_code, case_no),
    CONSTRAINT rating_handled CHECK ((handled_at IS NULL) = (handled_by IS NULL))
);
CREATE INDEX rating_flagged_idx ON yc.rating (office_code, rated_at) WHERE flagged AND handled_at IS NULL;

-- The clerk's unfinished intake, saved as the clerk types (the client's
-- own text format), offered back at the next sign-in at any window.
CREATE TABLE yc.intake_draft (
    staff_no    text PRIMARY KEY REFERENCES yc.staff (staff_no),
    office_code text NOT NULL REFERENCES yc.office (code),
    window_no   int,
    saved_at    timestamptz NOT NULL,
    body        text NOT NULL CHECK (octet_length(body) BETWEEN 1 AND 65536)
);

-- Insurance status of a person, printed on the 参保凭证 (即时办结). Filled by
-- the provincial system's export in production; demo rows in db/demo.sql.
CREATE TABLE yc.insurance (
    id_no       text NOT NULL REFERENCES yc.person (id_no),
    scheme      text NOT NULL CHECK (scheme IN ('employee', 'resident')),
    status      text NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
    since       date NOT NULL,
    until       date,
    unit_name   text,
    office_code text NOT NULL REFERENCES yc.office (code),
    PRIMARY KEY (id_no, scheme),
    CONSTRAINT insurance_period CHECK (until IS NULL OR until >= since)
);

REVOKE ALL ON yc.case_counter, yc.case_material, yc.case_stage, yc.rating, yc.intake_draft,
              yc.insurance FROM PUBLIC;

-------------------------------------------------------------------------------
-- Functions
-------------------------------------------------------------------------------
--
-- Helpers first (internal, never granted), then what the application calls.
-- Inside yc.case_intake every refusal is raised as SQLSTATE YC010 with the
-- result text as its message (yc.case_refuse) and caught by the function's
-- own block, so a refusal found after rows were written undoes them all,
-- numbers included; a date beyond the loaded calendar (YC001) is caught the
-- same way as 'calendar'. A case is recorded whole or not at all.
--
-- Who may do what (the session's role):
--   intake, 补正, supply       clerk, supervisor
--   office-wide deadlines      supervisor
--   everything else            any open session
-- Cases are found and continued in every office of the session's city
-- (全市通办: the first 6 digits of the office code); never in another city.

-- The signed-in staff member acting, with the tier and city of the office.
-- office_code NULL: the session is closed or unknown.
CREATE TYPE yc.case_actor AS (
    office_code text,
    window_no   int,
    staff_no    text,
    role        text,
    client      text,
    tier        text,
    city        text
);

-------------------------------------------------------------------------------
-- Privileges: the application calls the functions above; it writes no
-- intake table directly. It may read the material and stage rows of cases
-- as it reads yc.service_case and yc.notice (printed documents).
-------------------------------------------------------------------------------

GRANT SELECT ON yc.case_material, yc.case_stage TO yichuang_app;
