-- 0007_backoffice: the back office (前台一窗受理，后台分办联办快办). An
-- accepted case moves through the stages of its definition to 办结:
-- complete a stage (the next one starts), send it back (退回: to the
-- previous stage, or to the citizen for 补正), finish it (办结, with the
-- result and a notification in the outbox), extend its limit (延期,
-- supervisors), and hand the open cases of an absent clerk to another
-- (supervisors).
--
-- Conventions as in 0005: SECURITY DEFINER entry points with search_path =
-- yc, pg_temp and the session first; expected refusals come back as result
-- texts (raised inside as YC010 by yc.case_refuse, so a refusal found late
-- undoes every row written); a date beyond the loaded calendar (YC001) is
-- 'calendar'; every change writes a case event and an audit row with
-- before/after, and is announced with yc.case_notify on the case's office
-- channel, the actor's, and the channel of the office that works the case
-- next.
--
-- Who works what. Each stage has a work office (yc.case_stage.work_office,
-- derived from the case's office and the stage's tier): the city for a
-- city stage, the township for a township stage (a village case's parent
-- township), the village itself for a village stage. A stage whose tier is
-- below the tier of the office that accepted the case (the 乡镇初审 of a
-- 零星报销 accepted at the city centre) is worked by the accepting office
-- itself: the city centre does that 初审 (as its own city-only items, e.g.
-- 002036006003 市医保中心初审, do). Its stage row, planned due date and place
-- on the deadline board stay as 0005 made them at acceptance; nobody at a
-- township ever sees a city case. A case with no stage open (no stages in
-- its definition, or every stage completed) waits for 办结 at its city.
--   reviewer     the stages worked by its city, and 办结 of the city's cases
--   clerk        (township or village office only) the stages worked by its
--                own office; a city counter clerk works no stage
--   supervisor   the stages worked by its office and the offices below it;
--                at the city also 办结; and 延期 and reassignment
-- Whoever works a case's current stage (or its 办结) may complete it, send
-- it back, or finish it (办结 with a negative result at 初审 included).
-- A case outside the actor's jurisdiction (its office and the offices
-- below it) does not exist for these functions: 'not_found'; one inside it
-- at a stage the actor does not work: 'not_allowed'.
-- Stage days count in working days from the stage's start (the day itself
-- not counted): stage 1 from acceptance (as 0005 planned it), each later
-- stage from the day the previous one is completed, a stage taken up again
-- (退回, 补正) from that day. Completing the last stage leaves the case
-- in_progress with no current stage (stage_no NULL), waiting for 办结 in
-- the city's queue. The first stage work turns 'accepted' into
-- 'in_progress'.
--
-- 退回 to the citizen: the case waits as pending_supplement with a
-- numbered notice of kind 'supplement' whose body carries the reason
-- ({"returned": true, "reason": …, "stage_no": …, "stage_name": …,
-- "missing": []}: a reason-only notice; the materials seen stay seen).
-- The 补正 is the intake's (yc.case_intake with p_continue_case, outcome
-- accept, nothing new to tick): yc.case_accept, replaced below, takes an
-- already accepted case up again instead of accepting it anew. The working
-- days the citizen took (from the return to the 补正) do not count against
-- the limit (补正时间不计入办理时限): they add to suspended_days and the
-- promised date moves by as many; the open stage starts again that day.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------

ALTER TABLE yc.service_case
    ADD COLUMN result         text CHECK (btrim(result) <> '' AND char_length(result) <= 500),
    ADD COLUMN suspended_at   timestamptz,	-- returned to the citizen: since when
    ADD COLUMN suspended_days int NOT NULL DEFAULT 0 CHECK (suspended_days >= 0),
    ADD CONSTRAINT service_case_result CHECK (result IS NULL OR status = 'finished');
-- The city's cases waiting for 办结 (no stage open): the reviewers' queue.
CREATE INDEX service_case_finish_idx ON yc.service_case ((left(office_code, 6)), promised_date)
    WHERE status IN ('accepted', 'in_progress') AND stage_no IS NULL;

-- work_office: the office whose staff work the stage (see the top): the
-- case's office code cut to the length of the stage's tier (6 city, 9
-- township, 12 village), so never below the case's own office.
ALTER TABLE yc.case_stage
    ADD COLUMN work_office text GENERATED ALWAYS AS (
        left(office_code, CASE tier WHEN 'city' THEN 6 WHEN 'township' THEN 9 ELSE 12 END)) STORED,
    ADD COLUMN finished_by text REFERENCES yc.staff (staff_no),
    ADD COLUMN note        text CHECK (btrim(note) <> '' AND char_length(note) <= 500);
-- The open stage of each case by the office that works it, earliest due
-- first: the stage queues.
CREATE INDEX case_stage_work_idx ON yc.case_stage (work_office, due_date)
    WHERE started_at IS NOT NULL AND finished_at IS NULL;

-- Notifications to citizens written at 办结 (动账提醒 for reimbursements),
-- for an SMS or app sender that sets sent_at; the sender is not part of
-- this program. channel sms: recipient is a phone number; app: the
-- citizen's ID number (their account in the provincial app).
CREATE TABLE yc.outbox (
    office_code text   NOT NULL REFERENCES yc.office (code),
    outbox_id   bigint GENERATED ALWAYS AS IDENTITY,
    case_no     text   NOT NULL,
    channel     text   NOT NULL CHECK (channel IN ('sms', 'app')),
    recipient   text   NOT NULL CHECK (btrim(recipient) <> ''),
    body        text   NOT NULL CHECK (btrim(body) <> '' AND char_length(body) <= 1000),
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz,
    PRIMARY KEY (office_code, outbox_id),
    FOREIGN KEY (office_code, case_no) REFERENCES yc.service_case (office_code, case_no)
);
-- What the sender still has to send, oldest first.
CREATE INDEX outbox_unsent_idx ON yc.outbox (office_code, created_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_case_idx ON yc.outbox (office_code, case_no);

REVOKE ALL ON yc.outbox FROM PUBLIC;

-------------------------------------------------------------------------------
-- Privileges: the application calls the entry points; it neither reads
-- nor writes the outbox (the sender gets a role of its own).
-------------------------------------------------------------------------------

