-- 0003_catalogue: what the window needs of each loaded 事项 definition to
-- list and search it without parsing XML, and the immutability of loaded
-- catalogue versions: a case keeps the version it was accepted under, so a
-- loaded version is never changed or removed.

ALTER TABLE yc.case_type
    ADD COLUMN revision        int     NOT NULL DEFAULT 1 CHECK (revision > 0),
    ADD COLUMN local           boolean NOT NULL DEFAULT false,
    ADD COLUMN category_pinyin text    NOT NULL DEFAULT '' CHECK (category_pinyin ~ '^[a-z]*$'),
    ADD COLUMN limit_kind      text    NOT NULL DEFAULT 'immediate'
        CHECK (limit_kind IN ('immediate', 'workdays', 'months')),
    ADD COLUMN limit_days      int CHECK (limit_days > 0),
    ADD COLUMN special_days    int CHECK (special_days > 0),
    ADD COLUMN limit_months    int CHECK (limit_months > 0),
    ADD CONSTRAINT case_type_code_format CHECK (code ~ '^[0-9]{12}$'),
    ADD CONSTRAINT case_type_pinyin_format CHECK (pinyin ~ '^[a-z]+$'),
    ADD CONSTRAINT case_type_city_accepts CHECK ('city' = ANY (tiers)),
    ADD CONSTRAINT case_type_limit CHECK (
        (limit_kind = 'immediate' AND limit_days IS NULL AND special_days IS NULL AND limit_months IS NULL)
     OR (limit_kind = 'workdays' AND limit_days IS NOT NULL AND limit_months IS NULL
         AND (special_days IS NULL OR special_days > limit_days))
     OR (limit_kind = 'months' AND limit_months IS NOT NULL AND limit_days IS NULL AND special_days IS NULL)),
    ADD CONSTRAINT case_type_catalogue_version
        FOREIGN KEY (version) REFERENCES yc.catalogue_version (version);

-- The window lists the latest version: one index range.
CREATE INDEX case_type_version_idx ON yc.case_type (version, code);
