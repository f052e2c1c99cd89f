-- 0028_hardening: issue 19, the parts of this migration.
--
-- HOLIDAY NAMES are bounded: at most 40 characters (the calendar file's
-- reader refuses a longer one with its line, tui/model/calendar.h). NOT
-- VALID: a row loaded before is left as it is; every new or changed row
-- is checked. Control characters in them (and in every other text a
-- person types) are refused by the triggers of db/functions/core.sql
-- (yc.text_guard), which need no change of a table.
--
-- DRAFTS EXPIRE: an intake draft (yc.intake_draft, and the workstation's
-- local copy var/drafts/STAFF.draft) may hold a bank card number and a
-- phone; one nobody took up again for draft_expire_days days (default 30)
-- is deleted, with an audit row (yc.draft_get, db/functions/intake.sql;
-- the workstation removes its local copies likewise). The index serves
-- that sweep.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.workday_adjustment
    ADD CONSTRAINT workday_adjustment_name_length CHECK (char_length(name) <= 40) NOT VALID;

CREATE INDEX intake_draft_saved_idx ON yc.intake_draft (saved_at);

INSERT INTO yc.setting AS s (key, value, description, value_type, min_value, max_value,
                             default_value, description_zh, sort_order) VALUES
    ('draft_expire_days', '30',
     'days after which an intake draft nobody took up again is deleted (it may hold a bank card number)',
     'int', 1, 365, '30', '未完成受理草稿的保存天数（草稿可能含银行卡号，逾期自动删除）', 120)
ON CONFLICT (key) DO UPDATE
    SET value_type = EXCLUDED.value_type, min_value = EXCLUDED.min_value,
        max_value = EXCLUDED.max_value, default_value = EXCLUDED.default_value,
        description = EXCLUDED.description, description_zh = EXCLUDED.description_zh,
        sort_order = EXCLUDED.sort_order;
