-- 0023_opening_hours: the opening hours of each office (延时错时, 365 天
-- "不打烊": seed 000 item 14, seed 002 二、1) as data, and the known
-- settings with their type, range, default and Chinese description.
-- The functions (which day follows which schedule, the next opening, the
-- kiosk's refusal, the changes by administrators) are in
-- db/functions/hours.sql.
--
-- A WEEKLY SCHEDULE per office: one row per day of the week (ISO 1 Monday
-- … 7 Sunday) and row 8 for the days off of the working-day calendar
-- (法定节假日 and the days off around them). A day has a morning session,
-- an afternoon session (each optional; one session alone is the morning
-- one) and, between them, noon service (午间延时服务: the hall stays open
-- from the morning's opening to the afternoon's closing). No sessions: the
-- hall is closed that day. A missing row is the default
-- (yc.hours_default: working days 08:30-12:00 and 14:30-17:30, weekends
-- and holidays closed; a missing holiday row follows the office's Sunday).
--
-- DATED EXCEPTIONS per office and day: a holiday duty day (春节值班), a
-- closure (停电检修), other hours; a note says why.
--
-- Times are Asia/Shanghai wall-clock times, whole minutes, 00:00 to 24:00.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE TABLE yc.office_hours (
    office_code     text     NOT NULL REFERENCES yc.office (code),
    dow             smallint NOT NULL CHECK (dow BETWEEN 1 AND 8),
    morning_open    time,
    morning_close   time,
    afternoon_open  time,
    afternoon_close time,
    noon            boolean  NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text,
    PRIMARY KEY (office_code, dow),
    CONSTRAINT office_hours_sessions CHECK (
        (morning_open IS NULL) = (morning_close IS NULL)
        AND (afternoon_open IS NULL) = (afternoon_close IS NULL)
        AND (afternoon_open IS NULL OR morning_open IS NOT NULL)
        AND (morning_open IS NULL OR morning_open < morning_close)
        AND (afternoon_open IS NULL OR (morning_close <= afternoon_open AND afternoon_open < afternoon_close))
        AND (NOT noon OR afternoon_open IS NOT NULL)
        AND coalesce(extract(second FROM morning_open), 0) + coalesce(extract(second FROM morning_close), 0)
            + coalesce(extract(second FROM afternoon_open), 0) + coalesce(extract(second FROM afternoon_close), 0) = 0)
);
COMMENT ON TABLE yc.office_hours IS
    'weekly opening hours per office: dow 1 Monday … 7 Sunday, 8 the days off of the calendar (节假日); no row: yc.hours_default';

CREATE TABLE yc.office_hours_exception (
    office_code     text NOT NULL REFERENCES yc.office (code),
    day             date NOT NULL,
    morning_open    time,
    morning_close   time,
    afternoon_open  time,
    afternoon_close time,
    noon            boolean NOT NULL DEFAULT false,
    note            text NOT NULL CHECK (btrim(note) <> '' AND length(note) <= 40),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text,
    PRIMARY KEY (office_code, day),
    CONSTRAINT office_hours_exception_sessions CHECK (
        (morning_open IS NULL) = (morning_close IS NULL)
        AND (afternoon_open IS NULL) = (afternoon_close IS NULL)
        AND (afternoon_open IS NULL OR morning_open IS NOT NULL)
        AND (morning_open IS NULL OR morning_open < morning_close)
        AND (afternoon_open IS NULL OR (morning_close <= afternoon_open AND afternoon_open < afternoon_close))
        AND (NOT noon OR afternoon_open IS NOT NULL)
        AND coalesce(extract(second FROM morning_open), 0) + coalesce(extract(second FROM morning_close), 0)
            + coalesce(extract(second FROM afternoon_open), 0) + coalesce(extract(second FROM afternoon_close), 0) = 0)
);
COMMENT ON TABLE yc.office_hours_exception IS
    'opening hours of one office on one date, instead of its weekly schedule (a holiday duty day, a closure)';

-- Opening hours are public (the kiosk and the board show them); they are
-- changed only through the functions of db/functions/hours.sql.
GRANT SELECT ON yc.office_hours, yc.office_hours_exception TO yichuang_app;

-------------------------------------------------------------------------------
-- Known settings. A setting with a value_type is known: its value is
-- checked against the type and the range whenever it is written (the
-- trigger setting_guard, db/functions/hours.sql), `yichuang setting show`
-- lists it with its default and description, and administrators change
-- it with `yichuang setting set` or F6 on the workbench (yc.setting_set,
-- audited). Types: int (min_value … max_value), mmdd (a day of the year,
-- MM-DD). A setting without a type (demo) is internal.
-------------------------------------------------------------------------------
ALTER TABLE yc.setting
    ADD COLUMN value_type     text CHECK (value_type IN ('int', 'mmdd')),
    ADD COLUMN min_value      int,
    ADD COLUMN max_value      int,
    ADD COLUMN default_value  text,
    ADD COLUMN description_zh text,
    ADD COLUMN sort_order     int,
    ADD COLUMN updated_at     timestamptz,
    ADD CONSTRAINT setting_known CHECK (
        value_type IS NULL OR (default_value IS NOT NULL AND description_zh IS NOT NULL
                               AND description IS NOT NULL)),
    ADD CONSTRAINT setting_int_range CHECK (
        value_type IS DISTINCT FROM 'int'
        OR (min_value IS NOT NULL AND max_value IS NOT NULL AND min_value <= max_value));

-- The password policy keys are read by the staff functions (password
-- changes and expiry): names and ranges agreed with them.
INSERT INTO yc.setting AS s (key, value, description, value_type, min_value, max_value,
                             default_value, description_zh, sort_order) VALUES
    ('idle_lock_minutes',    '10', 'minutes of inactivity before the screen locks',
     'int', 1, 120, '10', '工作站无操作多少分钟后自动锁屏', 10),
    ('login_max_failures',   '5',  'failed password attempts before the account is locked',
     'int', 3, 20, '5', '连续输错密码多少次后锁定账号', 20),
    ('login_lock_minutes',   '15', 'minutes an account stays locked after too many failures',
     'int', 1, 1440, '15', '账号锁定多少分钟', 30),
    ('password_min_length',  '8',  'minimum length of a password',
     'int', 8, 64, '8', '密码最短长度', 40),
    ('password_min_classes',     '3',  'character classes a password needs (of upper case, lower case, digits, symbols)',
     'int', 1, 4, '3', '密码须包含的字符种类数（大写字母、小写字母、数字、符号）', 50),
    ('password_history',     '5',  'earlier passwords a new password may not repeat (0: no check)',
     'int', 0, 24, '5', '新密码不得与前几次密码相同（0 不检查）', 60),
    ('password_max_age_days', '90', 'days after which a password must be changed (0: never)',
     'int', 0, 365, '90', '密码有效期（天，0 为永不过期）', 70),
    ('queue_target_minutes', '20', 'target waiting time in the hall queue, minutes',
     'int', 1, 600, '20', '排队等候目标时长（分钟，超过标红；机构可另设）', 80),
    ('senior_age',           '60', 'age from which a citizen gets a priority ticket',
     'int', 40, 120, '60', '优先取号的老年人年龄（机构可另设）', 90),
    ('calendar_warn_from',   '11-01',
     'MM-DD from which administrators and supervisors are warned that next year''s official calendar is not loaded',
     'mmdd', NULL, NULL, '11-01', '每年从几月几日起提醒加载下一年度正式工作日历（月-日）', 100)
ON CONFLICT (key) DO UPDATE
    SET value_type = EXCLUDED.value_type, min_value = EXCLUDED.min_value,
        max_value = EXCLUDED.max_value, default_value = EXCLUDED.default_value,
        description = EXCLUDED.description, description_zh = EXCLUDED.description_zh,
        sort_order = EXCLUDED.sort_order;

-- yc.queue_issue refuses a ticket outside the opening hours: its result
-- gains the next opening (opens_at), db/functions/queue.sql.
DROP FUNCTION IF EXISTS yc.queue_issue(text, text, text, text, bigint, text, integer);
