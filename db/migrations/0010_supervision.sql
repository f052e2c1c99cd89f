-- 0010_supervision: the shift supervisor's console (值班长) and the
-- end-of-shift handover note of a window.
--
-- Conventions as in 0004/0005: SECURITY DEFINER functions with search_path
-- = yc, pg_temp taking the caller's staff session (yc.case_actor, which
-- honours the connection binding of 0009); expected refusals come back as
-- a result text, never as errors; every change is audited (yc.audit_write)
-- and announced; times from yc.now(), days in Asia/Shanghai.
--
-- Who may call what:
--   hall_*, rating_*     role supervisor ('not_allowed' for any other role)
--   handover_*           any open session at a window ('not_allowed'
--                        without a window)
-- A closed or unknown session is 'no_session' everywhere.
--
-- What a refresh of the console costs (each bounded by one office and one
-- day, each read by an index):
--   hall_windows   the office's windows (service_window pkey), per window
--                  its open session (staff_session_open_window_uq), its
--                  state row (window_state pkey) and its current ticket
--                  (ticket_current_window_uq)
--   hall_queue     today's tickets of the office (ticket unique
--                  (office_code, day, class, seq))
--   hall_hourly, hall_waits   the same range
-- Flagged ratings come from rating_flagged_idx, one index range per office
-- of the jurisdiction.
--
-- SERVICE LEVEL (hall_queue): of today's tickets of a class, those called
-- within the office's target (yc.queue_conf: target_minutes) over those
-- that can no longer change their verdict: every ticket called today plus
-- every ticket still waiting longer than the target. A ticket waiting
-- less than the target counts for nothing yet; a ticket cancelled or
-- returned uncalled is left out. level_base = 0: no level yet.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Handover notes: one row per note; the newest of a window is shown to the
-- next clerk who signs in there.
-------------------------------------------------------------------------------
CREATE TABLE yc.handover (
    office_code text   NOT NULL,
    handover_id bigint GENERATED ALWAYS AS IDENTITY,
    window_no   int    NOT NULL,
    written_at  timestamptz NOT NULL,
    staff_no    text   NOT NULL REFERENCES yc.staff (staff_no),
    note        text   NOT NULL CHECK (btrim(note) <> '' AND char_length(note) <= 1000),
    PRIMARY KEY (office_code, handover_id),
    FOREIGN KEY (office_code, window_no) REFERENCES yc.service_window (office_code, window_no)
);
CREATE INDEX handover_window_idx ON yc.handover (office_code, window_no, written_at DESC);
COMMENT ON TABLE yc.handover IS 'end-of-shift handover notes per window (交接班)';
REVOKE ALL ON yc.handover FROM PUBLIC;

-------------------------------------------------------------------------------
-- Privileges: the application calls the entry points; it neither reads nor
-- writes yc.handover directly.
-------------------------------------------------------------------------------

