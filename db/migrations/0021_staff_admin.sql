-- 0021_staff_admin: administration of staff accounts and the password
-- policy (等保 2.0 level 3). The functions are in db/functions/admin.sql
-- (administration) and db/functions/auth.sql (the checks at sign-in).
--
--   must_change_password  set when an administrator adds the account or
--                         resets its password (a one-time temporary
--                         password): yc.login opens no session until the
--                         user has chosen a new one
--                         (yc.login_change_password). password_changed_at
--                         (0001) is when the current password was set; past
--                         the setting password_max_age_days it has expired
--                         and the same holds.
--   password_history      the hashes of the passwords the user chose, newest
--                         first, at most password_history of them kept: a
--                         new password may be neither the current one nor
--                         one of those. Temporary passwords are not kept.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.staff ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

CREATE TABLE yc.password_history (
    staff_no      text NOT NULL REFERENCES yc.staff (staff_no) ON DELETE CASCADE,
    history_id    bigint GENERATED ALWAYS AS IDENTITY,
    set_at        timestamptz NOT NULL DEFAULT now(),
    password_hash text NOT NULL
        CHECK (password_hash ~ '^\$2[ab]\$(1[0-9]|2[0-9]|3[01])\$[./A-Za-z0-9]{53}$'),
    PRIMARY KEY (staff_no, history_id)
);
COMMENT ON TABLE yc.password_history IS
    'hashes of the passwords each staff member chose, for the rule against reusing them';
REVOKE ALL ON yc.password_history FROM PUBLIC;

-- The password policy, as settings (the messages name the rule that failed).
INSERT INTO yc.setting (key, value, description) VALUES
    ('password_min_length',   '8',  'passwords have at least this many characters'),
    ('password_min_classes',  '3',  'passwords mix at least this many of: capital letters, small letters, digits, other characters'),
    ('password_history',      '5',  'a new password may not be one of this many last passwords'),
    ('password_max_age_days', '90', 'days after which a password must be changed at sign-in (0: never)')
ON CONFLICT (key) DO NOTHING;

