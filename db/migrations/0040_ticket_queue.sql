-- 0040_ticket_queue: the waiting queue in a table of its own, so that a
-- call updates its tickets in place (issue 18).
--
-- WHERE THE TIME WENT (bench_queue on the bench cluster, pg_stat_statements
-- with track = all, 1 window, 3,000 calls): call-next 704 us a call, of
-- which 210 us the two UPDATEs of yc.ticket (the ticket finished, the one
-- called), more than anything else it runs; at 16 windows the same two
-- statements took 34 % of the time of call-next. No update of a ticket
-- could be a HOT update: its status was in the predicate of seven partial
-- indexes (the waiting queue, the transferred, the current of a window, the
-- held, the done), and last_called_at and finished_at keyed two of them, so
-- each update wrote a new entry in up to five indexes, two of them unique
-- ones checked against the heap, on index pages every window of the hall
-- wrote at once.
--
-- THE DESIGN NOW. No index of yc.ticket has a column a call changes: what
-- is left is its key, the number of the day (unique: the board shows it)
-- and the person. Its updates can be HOT (fillfactor 70 since 0034 leaves
-- them room on the page; three in four were at 16 windows, the others
-- found their page full), and a HOT update writes no index entry.
-- * yc.ticket_queue has a row for each ticket waiting or held, and only
--   those: the columns the calling order needs, copied. Call-next picks in
--   it and the call removes its row (a delete writes no index entry).
--   It is kept by a trigger on yc.ticket (yc.ticket_queue_sync,
--   db/functions/queue.sql), so whatever changes a ticket keeps it.
-- * The current ticket of a window is yc.window_state.current_ticket_id,
--   as it already was written (the window's row is locked first by every
--   operation of a window): one per window by construction, where
--   ticket_current_window_uq said it of the tickets.
-- * The calling board's latest calls, the estimated wait's latest
--   services, the rating prompt and the day report read the office's day
--   through ticket_office_code_day_number_key: bounded by one office's
--   tickets of one day.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE TABLE yc.ticket_queue (
    office_code text        NOT NULL,
    ticket_id   bigint      NOT NULL,
    day         date        NOT NULL,
    class       text        NOT NULL,
    issued_at   timestamptz NOT NULL,
    seq         int         NOT NULL,
    transfer_to int,
    slot_start  timestamptz,
    slot_end    timestamptz,
    -- the window a held ticket is held at; NULL while it waits
    held_window int,
    PRIMARY KEY (office_code, ticket_id),
    FOREIGN KEY (office_code, ticket_id) REFERENCES yc.ticket (office_code, ticket_id)
        ON DELETE CASCADE,
    CONSTRAINT ticket_queue_held_not_transferred CHECK (held_window IS NULL OR transfer_to IS NULL)
);
-- Call-next and the waiting counts: the queue of one office and day per
-- class in calling order (transferred and held tickets apart).
CREATE INDEX ticket_queue_order_idx ON yc.ticket_queue (office_code, day, class, issued_at, seq)
    WHERE transfer_to IS NULL AND held_window IS NULL;
-- Tickets transferred to a window.
CREATE INDEX ticket_queue_transfer_idx
    ON yc.ticket_queue (office_code, day, transfer_to, issued_at, ticket_id)
    WHERE transfer_to IS NOT NULL;
-- The tickets held at a window.
CREATE INDEX ticket_queue_held_idx ON yc.ticket_queue (office_code, held_window, issued_at, ticket_id)
    WHERE held_window IS NOT NULL;
REVOKE ALL ON yc.ticket_queue FROM PUBLIC;
-- Every call deletes the head of an office's queue, and each pick walks the
-- dead index entries before it until a vacuum removes them: vacuumed after
-- every few hundred calls, not after a fifth of the table.
ALTER TABLE yc.ticket_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500);

-- The province database (0035_replication) reads the waiting tickets and
-- the windows' current ones from these two now: published with the
-- tickets (a trigger does not fire for rows a subscription applies).
ALTER PUBLICATION yc_province ADD TABLE yc.ticket_queue, yc.window_state;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'yichuang_publisher') THEN
        GRANT SELECT ON yc.ticket_queue, yc.window_state TO yichuang_publisher;
    END IF;
END
$$;

INSERT INTO yc.ticket_queue (office_code, ticket_id, day, class, issued_at, seq, transfer_to,
                             slot_start, slot_end, held_window)
SELECT tk.office_code, tk.ticket_id, tk.day, tk.class, tk.issued_at, tk.seq, tk.transfer_to,
       tk.slot_start, tk.slot_end, CASE WHEN tk.status = 'held' THEN tk.window_no END
  FROM yc.ticket tk
 WHERE tk.status IN ('waiting', 'held');

-- A window whose current ticket is called or serving points at it (it
-- always did; said here for a database written by hand).
UPDATE yc.window_state ws
   SET state = 'serving', current_ticket_id = tk.ticket_id, pause_reason = NULL
  FROM yc.ticket tk
 WHERE tk.office_code = ws.office_code AND tk.window_no = ws.window_no
   AND tk.status IN ('called', 'serving')
   AND ws.current_ticket_id IS DISTINCT FROM tk.ticket_id;

DROP INDEX yc.ticket_waiting_idx;
DROP INDEX yc.ticket_queue_idx;
DROP INDEX yc.ticket_transfer_idx;
DROP INDEX yc.ticket_current_window_uq;
DROP INDEX yc.ticket_held_idx;
DROP INDEX yc.ticket_recent_call_idx;
DROP INDEX yc.ticket_done_idx;
