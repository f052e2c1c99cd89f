-- 0031_insurance_policy: the 参保长效机制 of seed 003 (赣府厅发〔2024〕34号,
-- 二(四)) and the exceptions of seed 000 (items 1 and 2), computed for a
-- person at the window (db/functions/policy.sql).
--
-- yc.insurance_year holds a person's insurance history as the provincial
-- platform exports it (`yichuang insurance import FILE`): per year and
-- scheme whether the person was insured, whether the resident premium was
-- paid inside the 集中参保期, whether the fund reimbursed anything that
-- year, and whether a 大病保险 reimbursement used reward amounts. A year
-- without a row is a year not insured. A 城乡居民参保登记 finished at the
-- window adds its year (source 'window') until the next export replaces it.
--
-- No FK to yc.person: the export covers everyone of the prefecture, not
-- only the people who came to a counter.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE TABLE yc.insurance_year (
    id_no       text    NOT NULL CHECK (id_no ~ '^[0-9]{17}[0-9X]$'),
    year        int     NOT NULL CHECK (year BETWEEN 1998 AND 2200),
    scheme      text    NOT NULL CHECK (scheme IN ('employee', 'resident')),
    insured     boolean NOT NULL,
    central     boolean NOT NULL DEFAULT false,
    fund_paid   boolean NOT NULL DEFAULT false,
    reward_used boolean NOT NULL DEFAULT false,
    source      text    NOT NULL CHECK (source IN ('import', 'window')),
    loaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id_no, year, scheme),
    -- a year not insured has no premium, no reimbursement and no reward
    CONSTRAINT insurance_year_facts CHECK (insured OR NOT (central OR fund_paid OR reward_used)),
    -- a reward is used by a reimbursement
    CONSTRAINT insurance_year_reward CHECK (NOT reward_used OR fund_paid),
    -- the 集中参保期 and the 大病 reward are the resident scheme's
    CONSTRAINT insurance_year_resident CHECK (scheme = 'resident' OR NOT (central OR reward_used))
);
COMMENT ON TABLE yc.insurance_year IS
    'a person''s insurance history per year and scheme (the provincial export; 参保长效机制 of seed 003)';
REVOKE ALL ON yc.insurance_year FROM PUBLIC;

-- What the registration told the citizen (yc.policy_compute's result),
-- printed on its 办结回执.
ALTER TABLE yc.service_case
    ADD COLUMN policy jsonb CHECK (policy IS NULL OR jsonb_typeof(policy) = 'object');

INSERT INTO yc.setting AS s (key, value, description, value_type, min_value, max_value,
                             default_value, description_zh, sort_order) VALUES
    ('policy_from_year', '2025', 'first year the 参保长效机制 counts (seed 003: from 2025)',
     'int', 2000, 2100, '2025', '参保激励约束机制起算年度', 400),
    ('policy_serious_cap_yuan', '400000', 'the prefecture''s original 大病保险 cap, yuan',
     'int', 10000, 10000000, '400000', '本统筹地区大病保险原封顶线（元）', 410),
    ('policy_contribution_yuan', '400', 'this year''s individual resident contribution, yuan',
     'int', 1, 100000, '400', '当年城乡居民医保个人缴费标准（元/年）', 420),
    ('policy_step_yuan', '3000',
     'yuan by which each year of continuous insurance, zero reimbursement or gap moves the 大病 cap',
     'int', 0, 100000, '3000', '每年提高或降低的大病保险最高支付限额（元）', 430),
    ('policy_continuous_years', '4', 'years of continuous insurance before the increase starts',
     'int', 1, 30, '4', '连续参保满多少年后开始提高大病限额', 440),
    ('policy_raise_cap_percent', '20', 'increases of the 大病 cap together at most this percent of it',
     'int', 0, 100, '20', '大病限额累计提高不超过原封顶线的百分比', 450),
    ('policy_cut_cap_percent', '20', 'gap reductions of the 大病 cap together at most this percent of it',
     'int', 0, 100, '20', '大病限额累计降低不超过原封顶线的百分比', 460),
    ('policy_wait_fixed_months', '3',
     'fixed waiting period outside the 集中参保期 or after a gap, months',
     'int', 0, 24, '3', '固定待遇等待期（月）', 470),
    ('policy_wait_floor_months', '6', 'least total waiting period after a long gap, months',
     'int', 0, 36, '6', '长期断保修复后等待期合计不少于（月）', 480),
    ('policy_wait_floor_gap_years', '4', 'a gap of this many years or more has the floor',
     'int', 1, 50, '4', '连续断保多少年及以上适用等待期下限', 490),
    ('policy_central_from', '09-01', 'the 集中参保期 for a year begins on this day of the year before',
     'mmdd', NULL, NULL, '09-01', '集中参保期开始（上一年的月-日）', 500),
    ('policy_central_until', '12-31',
     'the 集中参保期 ends on this day (of the year before, or of the year itself when earlier than its start)',
     'mmdd', NULL, NULL, '12-31', '集中参保期结束（月-日；早于开始日期的为参保当年）', 510),
    ('policy_newborn_days', '90', 'a child registered within this many days of birth is a newborn',
     'int', 0, 366, '90', '出生多少天内参保视为新生儿（不设等待期）', 520),
    ('policy_transfer_months', '3',
     'an employee''s break in contributions of at most this many months may be paid back without waiting',
     'int', 0, 12, '3', '职工医保转移接续中断缴费补缴不设等待期的月数上限', 530)
ON CONFLICT (key) DO UPDATE
    SET value_type = EXCLUDED.value_type, min_value = EXCLUDED.min_value,
        max_value = EXCLUDED.max_value, default_value = EXCLUDED.default_value,
        description = EXCLUDED.description, description_zh = EXCLUDED.description_zh,
        sort_order = EXCLUDED.sort_order;
