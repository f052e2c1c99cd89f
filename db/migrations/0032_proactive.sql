-- 0032_proactive: 生育津贴“免申即享” (issue 17; seed 001 item 23: 生育医疗费
-- 结算（含手工（零星）报销）的次月，医保经办机构……主动核定生育津贴). A job,
-- `yichuang jobs run` (cron or a systemd timer), opens the 生育津贴支付
-- case (002036007004) itself, the month after a 生育医疗费支付 case
-- (002036007002) was finished (办结), for a person with employee
-- insurance; db/functions/proactive.sql says how.
--
-- * Channel 'proactive' (免申即享): a case the system opened without an
--   application. Like a self-service case (0030) it has no clerk:
--   first_staff_no is NULL for these two channels and for no other.
-- * yc.proactive_link: one row per source case the job decided on, the
--   link to the case it opened (outcome opened) or why it opened none
--   (no_insurance: no employee insurance covering the delivery;
--   duplicate: a 津贴 case of that delivery exists already, applied for
--   at a window or opened for another source case): a source case is decided once (its primary key), an opened
--   case comes from one source only (unique).
-- * Outbox kind 'proactive': the citizen is told the 津贴 is assessed
--   without an application (print_templates/sms/proactive.mustache).
-- * Role yichuang_jobs: the job's connection. It may execute the job's
--   function (granted by db/functions/proactive.sql) and nothing else. On
--   the private cluster `yichuang db up` gives it LOGIN; on a shared
--   server the DBA gives the job's login role membership in it.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'yichuang_jobs') THEN
        BEGIN
            CREATE ROLE yichuang_jobs NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN
            NULL;  -- created concurrently by another session
        END;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA yc TO yichuang_jobs;

ALTER TABLE yc.service_case DROP CONSTRAINT service_case_channel_check;
ALTER TABLE yc.service_case DROP CONSTRAINT service_case_first_staff;
ALTER TABLE yc.service_case
    ADD CONSTRAINT service_case_channel_check
        CHECK (channel IN ('window', 'proxy', 'mail', 'selfservice', 'proactive')),
    ADD CONSTRAINT service_case_first_staff
        CHECK ((first_staff_no IS NULL) = (channel IN ('selfservice', 'proactive')));

-- The finished cases of a type by when they were finished: the job's scan
-- of last month's 生育医疗费 cases.
CREATE INDEX service_case_type_finished_idx ON yc.service_case (case_type_code, finished_at)
    WHERE status = 'finished';

CREATE TABLE yc.proactive_link (
    source_office text NOT NULL,
    source_case   text NOT NULL,
    outcome       text NOT NULL CHECK (outcome IN ('opened', 'no_insurance', 'duplicate')),
    case_office   text,
    case_no       text,
    run_day       date NOT NULL,		-- the day the job ran for (its --date)
    decided_at    timestamptz NOT NULL,
    PRIMARY KEY (source_office, source_case),
    FOREIGN KEY (source_office, source_case) REFERENCES yc.service_case (office_code, case_no),
    FOREIGN KEY (case_office, case_no) REFERENCES yc.service_case (office_code, case_no),
    UNIQUE (case_office, case_no),
    CONSTRAINT proactive_link_case CHECK ((outcome = 'opened') = (case_no IS NOT NULL)
                                          AND (case_no IS NULL) = (case_office IS NULL))
);
COMMENT ON TABLE yc.proactive_link IS
    '免申即享: the 生育医疗费 case a 生育津贴 case was opened from (or why none was), one row per source case';
REVOKE ALL ON yc.proactive_link FROM PUBLIC;

ALTER TABLE yc.outbox DROP CONSTRAINT outbox_kind;
ALTER TABLE yc.outbox ADD CONSTRAINT outbox_kind CHECK (kind IN ('accepted', 'supplement', 'deferred',
    'deferred_reminder', 'finished_now', 'finished', 'terminated', 'withdrawn',
    'appointment_booked', 'appointment_changed', 'appointment_cancelled', 'proactive'));
ALTER TABLE yc.sms_template DROP CONSTRAINT sms_template_kind_check;
ALTER TABLE yc.sms_template ADD CONSTRAINT sms_template_kind_check CHECK (kind IN ('accepted',
    'supplement', 'deferred', 'deferred_reminder', 'finished_now', 'finished', 'terminated',
    'withdrawn', 'appointment_booked', 'appointment_changed', 'appointment_cancelled', 'proactive'));
