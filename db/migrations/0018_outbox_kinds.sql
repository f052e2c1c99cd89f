-- 0018_outbox_kinds: the citizen is told at every outcome, not only at 办结
-- (issue 13): 受理, 即时办结, 一次性告知, 容缺受理 and its reminder, 办结,
-- 终止 and 撤回, each text from a template of print_templates/sms/ that
-- `yichuang db migrate` checks (tui/model/sms.c: known tags and
-- variables, at most 70 characters at the longest) and loads into
-- yc.sms_template; the server renders it into yc.outbox in the transaction
-- of the outcome (db/functions/outbox.sql).
--
-- The sender (not part of this program) reads, in order,
--     SELECT ... FROM yc.outbox
--      WHERE sent_at IS NULL AND cancelled_at IS NULL AND send_after <= now()
--      ORDER BY send_after, office_code, outbox_id
-- (outbox_unsent_idx), and sets sent_at with the same two conditions in
-- its UPDATE, so that a message cancelled meanwhile is never sent. A
-- message is sent or cancelled, never both. The 容缺 reminder is written
-- at 容缺 with send_after the morning of the working day three working
-- days before the earliest supply-by date; it is cancelled (cancelled_at,
-- never deleted) when the deferred materials are supplied or the case
-- closes first.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.outbox
    ADD COLUMN kind         text,
    ADD COLUMN send_after   timestamptz,
    ADD COLUMN cancelled_at timestamptz;
-- what 0007 wrote was the 办结 message, to go at once
UPDATE yc.outbox SET kind = 'finished', send_after = created_at;
ALTER TABLE yc.outbox
    ALTER COLUMN kind SET NOT NULL,
    ALTER COLUMN send_after SET NOT NULL,
    ADD CONSTRAINT outbox_kind CHECK (kind IN ('accepted', 'supplement', 'deferred',
        'deferred_reminder', 'finished_now', 'finished', 'terminated', 'withdrawn')),
    ADD CONSTRAINT outbox_sent_or_cancelled CHECK (sent_at IS NULL OR cancelled_at IS NULL);

-- What the sender still has to send, by when it may go.
DROP INDEX yc.outbox_unsent_idx;
CREATE INDEX outbox_unsent_idx ON yc.outbox (send_after, office_code, outbox_id)
    WHERE sent_at IS NULL AND cancelled_at IS NULL;
-- What a case still has unsent, by kind: cancelling its reminder.
CREATE INDEX outbox_case_unsent_idx ON yc.outbox (office_code, case_no, kind)
    WHERE sent_at IS NULL AND cancelled_at IS NULL;

-- The text-message templates as `db migrate` loaded them: kind (the file
-- print_templates/sms/<kind>.mustache), the message template (the file's
-- one line), the maximum length in characters of each variable of the
-- kind (what the renderer cuts a longer value to), the longest message it
-- can give, the checksum (sha256, hex) of the file's text.
CREATE TABLE yc.sms_template (
    kind      text PRIMARY KEY CHECK (kind IN ('accepted', 'supplement', 'deferred',
                  'deferred_reminder', 'finished_now', 'finished', 'terminated', 'withdrawn')),
    body      text NOT NULL CHECK (body LIKE '【医保】%' AND char_length(body) <= 1000),
    vars      jsonb NOT NULL CHECK (jsonb_typeof(vars) = 'object'),
    longest   int NOT NULL CHECK (longest BETWEEN 1 AND 70),
    checksum  text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    loaded_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON yc.sms_template FROM PUBLIC;
