-- 0016_green_channel: 绿色通道 means no queue and no calling (seed 001,
-- item 20: 不用排队、叫号，导服台工作人员主动上前搀扶到窗口优先办理).
--
-- An office says whether it has a guide desk (导服台). Where it has one,
-- guides and supervisors issue green-channel tickets; where it has none
-- (townships, villages), any clerk signed in at one of its windows may too.
-- Existing city offices have one, townships and villages not; an office
-- inserted later without saying gets the same rule by its tier
-- (yc.office_guide_desk_default, db/functions/queue.sql).
--
-- yc.queue_issue takes the window the ticket goes to (db/functions/queue.sql):
-- a green ticket goes straight to that window, or the next free one.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.office ADD COLUMN guide_desk boolean;
UPDATE yc.office SET guide_desk = (tier = 'city');
ALTER TABLE yc.office ALTER COLUMN guide_desk SET NOT NULL;
COMMENT ON COLUMN yc.office.guide_desk IS
    'the office has a guide desk (导服台): green-channel tickets come from its guides '
    '(and supervisors); without one, any clerk at a window issues them';

-- yc.queue_issue gains p_window and the result columns placed, to_window.
DROP FUNCTION IF EXISTS yc.queue_issue(text, text, text, text, bigint, text);
