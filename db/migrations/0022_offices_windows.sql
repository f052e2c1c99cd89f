-- 0022_offices_windows: offices and windows kept by administrators.
--
-- An office gains its address and 咨询电话 (the documents print them:
-- yc.case_document_data and yc.closing_document_keys read them from the
-- office row) and an active flag (a deactivated office stays in the tree
-- for its history; nothing new is added below it). A window gains its
-- print channel, encoding and width: the workstation signed in at that
-- window prints there unless its command line says otherwise
-- (--printer, --print-encoding, --print-width). The channel takes the
-- values the workstation's --printer accepts (tui/util/printer.h):
-- file:PATH, lp, lp:QUEUE, passthrough; NULL is the default file
-- var/print/OFFICE-WINDOW.txt.
--
-- The functions that change them (db/functions/offices.sql) take an
-- administrator's session or, without one, the database owner's
-- connection, and keep an administrator to their own office and the
-- offices below it.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.office
    ADD COLUMN address text
        CHECK (address IS NULL OR (length(address) BETWEEN 1 AND 200 AND address !~ '[[:cntrl:]]'
                                   AND btrim(address) = address)),
    ADD COLUMN phone text
        CHECK (phone IS NULL OR (phone ~ '^[0-9]+(-[0-9]+)*$' AND length(phone) BETWEEN 5 AND 20)),
    ADD COLUMN active boolean NOT NULL DEFAULT true,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
COMMENT ON COLUMN yc.office.address IS 'the office''s address, printed on documents';
COMMENT ON COLUMN yc.office.phone IS 'the office''s 咨询电话, printed on documents';
COMMENT ON COLUMN yc.office.active IS
    'false: deactivated by an administrator (no offices or windows added below it)';

-- The offices of a jurisdiction (a code prefix) by an index range scan:
-- code >= prefix AND code < prefix || ':' in byte order (':' follows '9').
CREATE INDEX office_code_c_idx ON yc.office ((code COLLATE "C"));

ALTER TABLE yc.service_window
    ADD COLUMN print_channel text
        CHECK (print_channel IS NULL OR (length(print_channel) <= 250 AND print_channel ~
            '^(file:[^[:cntrl:]]+|lp|lp:[^-[:space:][:cntrl:]][^[:space:][:cntrl:]]*|passthrough)$')),
    ADD COLUMN print_encoding text CHECK (print_encoding IN ('utf-8', 'gb18030')),
    ADD COLUMN print_width int CHECK (print_width IN (40, 80));
COMMENT ON COLUMN yc.service_window.print_channel IS
    'where the window prints: file:PATH | lp | lp:QUEUE | passthrough; NULL: var/print/OFFICE-WINDOW.txt';
COMMENT ON COLUMN yc.service_window.print_encoding IS 'utf-8 | gb18030; NULL: UTF-8 (the terminal''s for passthrough)';
COMMENT ON COLUMN yc.service_window.print_width IS '80 or 40 columns; NULL: 80';
