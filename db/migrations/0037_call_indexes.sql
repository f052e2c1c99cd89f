-- 0037_call_indexes: fewer index entries written per call-next (issue 18).
--
-- A ticket's status is in the predicates of its partial indexes, so no
-- update of a ticket is a HOT update: every call writes a new version of
-- two tickets (the one finished, the one called), and each new version an
-- entry in every index whose predicate it satisfies, unique ones with a
-- uniqueness check that reads the heap. Twelve indexes made that twelve
-- entries and six checks per call. Measured on the bench cluster
-- (bench_queue, 8,000 calls a round, two rounds each): 1,595 calls/s at
-- 16 windows and 1,340 at 64 before, 1,880 and 1,580 with the changes below.
--
-- * UNIQUE (office_code, day, class, seq) goes: the number is the class
--   letter and the sequence (yc.queue_number), now a CHECK, so the unique
--   number of the day (which stays: the board shows it) is the same
--   guarantee. Two entries and two checks fewer per call.
-- * ticket_served_idx and ticket_report_idx (served / served or no-show
--   tickets of an office's day) become one, ticket_done_idx: the estimated
--   wait and the rating prompt read the served ones through it (the
--   no-shows of a day are few). One entry fewer per call.
-- * ticket_active_window_idx (called, serving or held tickets by window)
--   becomes ticket_held_idx (held ones only): called and serving tickets
--   by window are ticket_current_window_uq's. One entry fewer per call.
--
-- yc.queue_walkin_heads takes the window and returns the probes of
-- transferred, green and due tickets as well (db/functions/queue.sql).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

DROP FUNCTION IF EXISTS yc.queue_walkin_heads(text, date, timestamptz);

ALTER TABLE yc.ticket ADD CONSTRAINT ticket_number_of_seq CHECK (number =
    CASE class WHEN 'normal' THEN 'A' WHEN 'priority' THEN 'B' WHEN 'green' THEN 'G' ELSE 'Y' END
    || CASE WHEN seq < 1000 THEN lpad(seq::text, 3, '0') ELSE seq::text END);
ALTER TABLE yc.ticket DROP CONSTRAINT ticket_office_code_day_class_seq_key;

CREATE INDEX ticket_done_idx ON yc.ticket (office_code, day, finished_at DESC)
    WHERE status IN ('served', 'no_show');
DROP INDEX yc.ticket_served_idx;
DROP INDEX yc.ticket_report_idx;

CREATE INDEX ticket_held_idx ON yc.ticket (office_code, window_no) WHERE status = 'held';
DROP INDEX yc.ticket_active_window_idx;
