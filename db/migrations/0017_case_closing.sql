-- 0017_case_closing: a case closed before 办结 (db/functions/closing.sql).
--
--   撤回     the citizen withdraws their own open case (waiting for 补正,
--            accepted or in progress, 容缺 included) at any window that
--            may see it; 《撤回申请确认书》 is printed.
--   终止办理 a supervisor ends an open case of which a deferred (容缺)
--            material is past its supply-by date, as the 承诺书 says
--            (如未能按期补交上述材料，本人同意经办机构终止办理本事项);
--            《终止办理告知书》 is printed.
--
-- Representation: such a case is status 'cancelled', which every query of
-- open cases and every partial index of 0001/0005/0007 already treats as
-- closed (the deadline board, the stage queues, the duplicate check, the
-- console's due list, the calendar's recomputation), with closed_as saying
-- which of the two it was, closed_at when and closed_reason why. finished_at
-- stays NULL: such a case is not 办结 (the daily report counts it apart).
-- Each issues a numbered notice of kind 'withdrawal' or 'termination'.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.service_case
    ADD COLUMN closed_as     text CHECK (closed_as IN ('withdrawn', 'terminated')),
    ADD COLUMN closed_at     timestamptz,
    ADD COLUMN closed_reason text CHECK (btrim(closed_reason) <> '' AND char_length(closed_reason) <= 500),
    ADD CONSTRAINT service_case_closed CHECK (
        (closed_as IS NULL) = (closed_at IS NULL)
        AND (closed_as IS NULL OR (status = 'cancelled' AND closed_reason IS NOT NULL)));

-- The cases of an office withdrawn or ended on a day (daily report).
CREATE INDEX service_case_closed_idx ON yc.service_case (office_code, closed_at)
    WHERE closed_at IS NOT NULL;

ALTER TABLE yc.notice DROP CONSTRAINT notice_kind_check;
ALTER TABLE yc.notice ADD CONSTRAINT notice_kind_check CHECK (kind IN (
    'supplement', 'deferred', 'rejection', 'receipt', 'commitment', 'completion',
    'withdrawal', 'termination'));

-- The daily report's case-type rows gain the withdrawn and ended cases of
-- the day (db/functions/reports.sql).
DROP FUNCTION IF EXISTS yc.report_session_types(bigint, text, date);
DROP FUNCTION IF EXISTS yc.report_daily_types(text, date);
