-- 0024_office_levels: a province's office tree by the administrative
-- division codes (GB/T 2260).
--
-- Until now an office was one of three fixed tiers and a 6-digit office
-- (the county-level city 丰城, called "city") was a root. Now every office
-- has one of five levels, fixed by the length of its code, and every office
-- but a province has the parent its code names:
--   province   2 digits  36            no parent
--   prefecture 4 digits  3609          its province (left 2)
--   county     6 digits  360981        its prefecture (left 4)
--   township   9 digits  360981001     its county (left 6)
--   village   12 digits  360981001001  its township (left 9)
-- A lower office's code still extends its parent's, so "an office and the
-- offices below it" stays a code prefix at any depth (jurisdiction, row-level
-- security, reports). The old tier word 'city' becomes 'county' everywhere:
-- offices, the levels that accept a case type, the level of each stage, and
-- the definitions stored with the catalogue.
--
-- Existing data keeps every row and every office code: each 6-digit office
-- becomes a county, and the prefecture and province above it are added when
-- missing (named after the division when it is one of Jiangxi's, else by its
-- code, for an administrator to rename); region_code takes the 6-digit form
-- of the division (36 → 360000, 3609 → 360900).
--
-- A stage's work office is the case's office code cut to the stage level's
-- length (2, 4, 6, 9, 12): a prefecture stage of a county case is worked by
-- the prefecture, a stage below the accepting office's level by that office.
--
-- 全市通办: a setting says how far a case waiting for 补正 may be continued:
-- tongban_scope = prefecture (default: any office of the same prefecture) or
-- county (a county-only deployment). A new setting type, choice, takes one
-- of the words in choices.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- Offices
-------------------------------------------------------------------------------
ALTER TABLE yc.office DROP CONSTRAINT office_tier_code;
ALTER TABLE yc.office DROP CONSTRAINT office_tier_check;
ALTER TABLE yc.office DROP CONSTRAINT office_region_code_check;

-- The divisions above every existing county, provinces first (each a
-- centre with a guide desk, said here: the trigger that defaults it comes
-- with the functions, after the migrations).
INSERT INTO yc.office (code, name, tier, parent_code, region_code, guide_desk)
SELECT d.code,
       coalesce(n.name || '医疗保障服务中心', '行政区划' || d.code),
       CASE length(d.code) WHEN 2 THEN 'province' ELSE 'prefecture' END,
       CASE length(d.code) WHEN 2 THEN NULL ELSE left(d.code, 2) END,
       rpad(d.code, 6, '0'), true
  FROM (SELECT DISTINCT left(o.code, k) AS code
          FROM yc.office o CROSS JOIN (VALUES (2), (4)) AS l(k)) d
  LEFT JOIN (VALUES ('36', '江西省'), ('3601', '南昌市'), ('3602', '景德镇市'),
                    ('3603', '萍乡市'), ('3604', '九江市'), ('3605', '新余市'),
                    ('3606', '鹰潭市'), ('3607', '赣州市'), ('3608', '吉安市'),
                    ('3609', '宜春市'), ('3610', '抚州市'), ('3611', '上饶市')) AS n(code, name)
         ON n.code = d.code
 WHERE NOT EXISTS (SELECT 1 FROM yc.office x WHERE x.code = d.code)
 ORDER BY length(d.code), d.code;

UPDATE yc.office SET tier = 'county', parent_code = left(code, 4) WHERE tier = 'city';

ALTER TABLE yc.office
    ADD CONSTRAINT office_tier_check
        CHECK (tier IN ('province', 'prefecture', 'county', 'township', 'village')),
    ADD CONSTRAINT office_region_code_check CHECK (region_code ~ '^[0-9]{6}$'),
    ADD CONSTRAINT office_tier_code CHECK (
        (tier = 'province'   AND code ~ '^[0-9]{2}$'  AND parent_code IS NULL)
     OR (tier = 'prefecture' AND code ~ '^[0-9]{4}$'  AND parent_code IS NOT DISTINCT FROM left(code, 2))
     OR (tier = 'county'     AND code ~ '^[0-9]{6}$'  AND parent_code IS NOT DISTINCT FROM left(code, 4))
     OR (tier = 'township'   AND code ~ '^[0-9]{9}$'  AND parent_code IS NOT DISTINCT FROM left(code, 6))
     OR (tier = 'village'    AND code ~ '^[0-9]{12}$' AND parent_code IS NOT DISTINCT FROM left(code, 9)));
-- Audit rows name the office acted at: any level's code now.
ALTER TABLE yc.audit_log DROP CONSTRAINT audit_log_office_code_check;
ALTER TABLE yc.audit_log ADD CONSTRAINT audit_log_office_code_check
    CHECK (office_code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}([0-9]{3}){0,2})$');

COMMENT ON TABLE yc.office IS
    'service offices by GB/T 2260 division: province, prefecture, county, township (乡镇/街道), village (村/社区)';
COMMENT ON COLUMN yc.office.tier IS
    'level: province (2 digits), prefecture (4), county (6), township (9), village (12)';

-------------------------------------------------------------------------------
-- The catalogue: the levels that accept a case type, and the stored
-- definitions (their stages' levels are read from the XML).
-------------------------------------------------------------------------------
ALTER TABLE yc.case_type DROP CONSTRAINT case_type_tiers_check;
ALTER TABLE yc.case_type DROP CONSTRAINT case_type_city_accepts;
-- A loaded version is immutable (trigger case_type_immutable): this one
-- rewrite of the level word is the migration's, not a change of content.
-- USER: on a fresh database the trigger does not exist yet.
ALTER TABLE yc.case_type DISABLE TRIGGER USER;
UPDATE yc.case_type
   SET tiers = array_replace(tiers, 'city', 'county'),
       definition = regexp_replace(
           regexp_replace(definition, '(<tiers>[^<]*)\mcity\M', '\1county'),
           'tier="city"', 'tier="county"', 'g');
ALTER TABLE yc.case_type ENABLE TRIGGER USER;
ALTER TABLE yc.case_type
    ADD CONSTRAINT case_type_tiers_check
        CHECK (tiers <@ ARRAY['province', 'prefecture', 'county', 'township', 'village']::text[]),
    ADD CONSTRAINT case_type_centre_accepts
        CHECK (tiers && ARRAY['province', 'prefecture', 'county']::text[]);

-------------------------------------------------------------------------------
-- Stages: the level of each, and the office that works it.
-------------------------------------------------------------------------------
ALTER TABLE yc.case_stage DROP CONSTRAINT case_stage_tier_check;
ALTER TABLE yc.case_stage DROP COLUMN work_office;	-- and case_stage_work_idx with it
UPDATE yc.case_stage SET tier = 'county' WHERE tier = 'city';
ALTER TABLE yc.case_stage
    ADD CONSTRAINT case_stage_tier_check
        CHECK (tier IN ('province', 'prefecture', 'county', 'township', 'village')),
    ADD COLUMN work_office text GENERATED ALWAYS AS (
        left(office_code, CASE tier WHEN 'province' THEN 2 WHEN 'prefecture' THEN 4
                                    WHEN 'county' THEN 6 WHEN 'township' THEN 9 ELSE 12 END)) STORED;
CREATE INDEX case_stage_work_idx ON yc.case_stage (work_office, due_date)
    WHERE started_at IS NOT NULL AND finished_at IS NULL;

-------------------------------------------------------------------------------
-- The actor: its county (the county-level centre of its office, or the
-- office itself above county level) and its 全市通办 scope.
-------------------------------------------------------------------------------
ALTER TYPE yc.case_actor RENAME ATTRIBUTE city TO county;
ALTER TYPE yc.case_actor ADD ATTRIBUTE scope text;

-------------------------------------------------------------------------------
-- Settings: a choice among words, and the 全市通办 scope.
-------------------------------------------------------------------------------
ALTER TABLE yc.setting DROP CONSTRAINT setting_value_type_check;
ALTER TABLE yc.setting
    ADD CONSTRAINT setting_value_type_check CHECK (value_type IN ('int', 'mmdd', 'choice')),
    ADD COLUMN choices text[],
    ADD CONSTRAINT setting_choices CHECK (
        (value_type = 'choice') = (choices IS NOT NULL AND cardinality(choices) >= 2));

INSERT INTO yc.setting AS s (key, value, description, value_type, choices, default_value,
                             description_zh, sort_order) VALUES
    ('tongban_scope', 'prefecture',
     'where a case waiting for 补正 may be continued (全市通办): any office of its prefecture, or of its county only',
     'choice', ARRAY['prefecture', 'county'], 'prefecture',
     '全市通办范围：待补正的案件可在同一设区市（prefecture）或同一县（county）的任一机构继续办理', 110)
ON CONFLICT (key) DO UPDATE
    SET value_type = EXCLUDED.value_type, choices = EXCLUDED.choices,
        default_value = EXCLUDED.default_value, description = EXCLUDED.description,
        description_zh = EXCLUDED.description_zh, sort_order = EXCLUDED.sort_order;

-- yc.setting_list and yc.setting_set return the choices.
DROP FUNCTION IF EXISTS yc.setting_list(bigint);
DROP FUNCTION IF EXISTS yc.setting_set(bigint, text, text, text);
