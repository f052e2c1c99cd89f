-- 0034_queue_speed: call-next at province scale (issue 18). The design
-- changes are in db/functions/queue.sql (yc.queue_take claims a ticket
-- with an advisory lock before locking its row; yc.queue_call_announce
-- notifies after the call's commit, coalesced per office); the table
-- keeps its columns and indexes.
--
-- A ticket is updated a few times in its day (called, serving, served),
-- never as a HOT update: its status is in the predicates of the partial
-- indexes. With every page filled at insert, each new version went to
-- whichever page had room, the same one for every window calling at
-- that moment (LWLock:BufferContent, a quarter of the backends' samples
-- at 64 windows); with room left on each page the new version stays on
-- the page of the old one. Measured on the bench cluster, 64 windows,
-- four alternating rounds of two: 883 calls/s on average at fillfactor
-- 100, 960 at 70. Pages written from now on; old days' pages stay as
-- they are.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.ticket SET (fillfactor = 70);

-- yc.queue_call_announce takes no session now (what to announce is left by
-- yc.queue_call_next in the connection's setting yc.queue_announce).
DROP FUNCTION IF EXISTS yc.queue_call_announce(bigint);
