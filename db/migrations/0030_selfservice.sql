-- 0030_selfservice: the self-service terminal (自助服务终端, issue 16;
-- seed 001 item 13, seed 000 item 7). `yichuang kiosk --self-service`
-- connects as the kiosk role (yichuang_kiosk, 0027_roles) and calls only
-- the functions of db/functions/selfservice.sql, each taking the office and
-- the citizen's ID number and returning that person's rows alone.
--
-- * Channel 'selfservice' (自助): a case the citizen filed at a terminal,
--   accepted and finished by the system. It has no clerk: first_staff_no
--   is NULL for such a case and for no other (首问负责 stays with the clerk
--   everywhere else).
-- * 撤销 of a 备案 filed (at a terminal or a window): the finished case is
--   kept, with when and through which channel it was revoked; a revoked
--   备案 no longer counts as the person's open 备案.
-- * Settings: selfservice_idle_seconds, after which a terminal left alone
--   clears the person's data and returns to the ID prompt, and
--   selfservice_recent_days, how far back 查进度 lists finished cases.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.service_case DROP CONSTRAINT IF EXISTS service_case_channel_check;
ALTER TABLE yc.service_case
    ADD CONSTRAINT service_case_channel_check
        CHECK (channel IN ('window', 'proxy', 'mail', 'selfservice')),
    ALTER COLUMN first_staff_no DROP NOT NULL,
    ADD CONSTRAINT service_case_first_staff
        CHECK ((first_staff_no IS NULL) = (channel = 'selfservice')),
    ADD COLUMN revoked_at      timestamptz,
    ADD COLUMN revoked_channel text CHECK (revoked_channel IN ('window', 'selfservice')),
    ADD CONSTRAINT service_case_revoked
        CHECK ((revoked_at IS NULL) = (revoked_channel IS NULL)
               AND (revoked_at IS NULL OR status = 'finished'));

COMMENT ON COLUMN yc.service_case.revoked_at IS
    '撤销: when the finished 备案 of this case was revoked (NULL: in force)';

INSERT INTO yc.setting AS s (key, value, description, value_type, min_value, max_value,
                             default_value, description_zh, sort_order) VALUES
    ('selfservice_idle_seconds', '60',
     'seconds after which a self-service terminal left alone clears the person''s data and returns to the ID prompt',
     'int', 2, 600, '60', '自助服务终端无操作多少秒后清除个人信息并返回刷证界面', 130),
    ('selfservice_recent_days', '90',
     'days back the self-service terminal lists the person''s finished and closed cases (open cases always)',
     'int', 1, 366, '90', '自助查进度显示多少天内已办结或已关闭的办件（未办结的全部显示）', 131)
ON CONFLICT (key) DO NOTHING;
