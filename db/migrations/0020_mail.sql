-- 0020_mail: 邮寄办 keeps what came and what went by post. A case taken by
-- mail records the address the citizen wants its documents sent back to
-- and the tracking number of the package that brought the application; a
-- 补正 by mail adds the package that brought the materials; every document
-- mailed back (一次性告知书, 办结通知书, …) is recorded with its tracking
-- number and what it held. Rows are only added (a wrong one is corrected
-- by another), through yc.case_intake and yc.case_mail_out
-- (db/functions/mail.sql); the application has no direct access.

CREATE TABLE yc.case_mail (
    office_code text NOT NULL,
    case_no     text NOT NULL,
    seq         int  NOT NULL CHECK (seq > 0),
    direction   text NOT NULL CHECK (direction IN ('in', 'out')),
    address     text NOT NULL CHECK (length(btrim(address)) BETWEEN 5 AND 200),
    tracking_no text NOT NULL CHECK (tracking_no ~ '^[A-Z0-9]{8,30}$'),
    contents    text NOT NULL CHECK (length(btrim(contents)) BETWEEN 1 AND 200),
    at          timestamptz NOT NULL DEFAULT now(),
    staff_no    text NOT NULL REFERENCES yc.staff (staff_no),
    PRIMARY KEY (office_code, case_no, seq),
    FOREIGN KEY (office_code, case_no) REFERENCES yc.service_case (office_code, case_no)
);
-- A clerk holding a package finds its case by the number on it.
CREATE INDEX case_mail_tracking_idx ON yc.case_mail (tracking_no);
REVOKE ALL ON yc.case_mail FROM PUBLIC;

-- yc.case_intake takes the mail address and tracking number.
DROP FUNCTION IF EXISTS yc.case_intake(bigint, text, text, integer, text, text, text, text, text[],
                                       text[], bigint, text[], text[], text, text);
