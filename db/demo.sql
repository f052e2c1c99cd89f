-- Demo data for yichuang: part of the office tree of 江西省 (GB/T 2260
-- codes): 宜春市 with 丰城市 (its centre, two 街道 and a 社区 station) and
-- 高安市 (its centre and one 街道), 南昌市 with 东湖区 and 西湖区; their
-- windows and one account per role, all with the password Demo-1234, plus
-- a supervisor at 宜春市 and one at the province.
--
-- Run by the C program as superuser after the migrations, inside one
-- transaction, on every `make run`: it only adds what is missing and never
-- overwrites a row that exists (a changed password or setting stays).

INSERT INTO yc.office (code, name, tier, parent_code, region_code) VALUES
    ('36',           '江西省医疗保障服务中心',   'province',   NULL,        '360000'),
    ('3609',         '宜春市医疗保障服务中心',   'prefecture', '36',        '360900'),
    ('360981',       '丰城市医疗保障服务中心',   'county',     '3609',      '360981'),
    ('360981001',    '剑光街道医保所',           'township',   '360981',    '360981'),
    ('360981002',    '河洲街道医保所',           'township',   '360981',    '360981'),
    ('360981001001', '剑光街道某社区医保站',     'village',    '360981001', '360981'),
    ('360983',       '高安市医疗保障服务中心',   'county',     '3609',      '360983'),
    ('360983001',    '筠阳街道医保所',           'township',   '360983',    '360983'),
    ('3601',         '南昌市医疗保障服务中心',   'prefecture', '36',        '360100'),
    ('360102',       '东湖区医疗保障服务中心',   'county',     '3601',      '360102'),
    ('360103',       '西湖区医疗保障服务中心',   'county',     '3601',      '360103')
ON CONFLICT (code) DO NOTHING;

-- Their addresses and 咨询电话 (invented), printed on documents; only
-- where an office has neither yet, so an administrator's change stays.
UPDATE yc.office o SET address = d.address, phone = d.phone
  FROM (VALUES
        ('360981',       '丰城市剑光街道示例大道1号',   '0795-6200000'),
        ('360981001',    '丰城市剑光街道示例路8号',     '0795-6200001'),
        ('360981002',    '丰城市河洲街道示例路6号',     '0795-6200002'),
        ('360981001001', '剑光街道某社区服务中心一楼', '0795-6200003'),
        ('360983',       '高安市筠阳街道示例大道2号',   '0795-5200000'),
        ('360983001',    '高安市筠阳街道示例路3号',     '0795-5200001'),
        ('360102',       '南昌市东湖区示例路10号',      '0791-8600000'),
        ('360103',       '南昌市西湖区示例路20号',      '0791-8700000')
       ) AS d(code, address, phone)
 WHERE o.code = d.code AND o.address IS NULL AND o.phone IS NULL;

INSERT INTO yc.service_window (office_code, window_no, label, active)
SELECT o.office_code, n, n || '号窗口', true
  FROM (VALUES ('360981', 8), ('360981001', 2), ('360981002', 2), ('360981001001', 1),
               ('360983', 4), ('360983001', 1), ('360102', 4), ('360103', 4))
       AS o(office_code, windows),
       generate_series(1, o.windows) AS n
ON CONFLICT (office_code, window_no) DO NOTHING;

-- The hash is computed only for accounts that do not exist yet.
INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)
SELECT d.staff_no, d.name, d.role, d.office_code, yc.hash_password('Demo-1234')
  FROM (VALUES
        ('clerk1',   '欧阳娜娜', 'clerk',      '360981'),
        ('clerk2',   '王芳',     'clerk',      '360981'),
        ('town1',    '李建国',   'clerk',      '360981001'),
        ('village1', '刘秀英',   'clerk',      '360981001001'),
        ('review1',  '陈志强',   'reviewer',   '360981'),
        ('super1',   '周敏',     'supervisor', '360981'),
        ('guide1',   '吴静',     'guide',      '360981'),
        ('admin1',   '赵磊',     'admin',      '360981'),
        ('gaoan1',   '黄晓燕',   'clerk',      '360983'),
        ('donghu1',  '孙伟',     'clerk',      '360102'),
        ('ycsuper',  '邓文华',   'supervisor', '3609'),
        ('jxsuper',  '罗志明',   'supervisor', '36')
       ) AS d(staff_no, name, role, office_code)
 WHERE NOT EXISTS (SELECT 1 FROM yc.staff s WHERE s.staff_no = d.staff_no)
ON CONFLICT (staff_no) DO NOTHING;

INSERT INTO yc.demo_account (staff_no, sort)
SELECT d.staff_no, d.sort
  FROM (VALUES ('clerk1', 1), ('clerk2', 2), ('town1', 3), ('village1', 4),
               ('review1', 5), ('super1', 6), ('guide1', 7), ('admin1', 8),
               ('gaoan1', 9), ('donghu1', 10), ('ycsuper', 11), ('jxsuper', 12)
       ) AS d(staff_no, sort)
 WHERE EXISTS (SELECT 1 FROM yc.staff s WHERE s.staff_no = d.staff_no)
ON CONFLICT DO NOTHING;

INSERT INTO yc.setting (key, value, description)
VALUES ('demo', 'on', 'demo installation: the login screen lists the demo accounts')
ON CONFLICT (key) DO NOTHING;

-- The hall queue of 丰城's hall: its policy written out (the defaults:
-- credit 15 minutes, wait target 20 minutes, seniors from 60), and four
-- appointment slots for the day the demo is loaded, with codes MMDDHH
-- (e.g. 112209 for 22 November, 09:00-09:30). Each load adds that day's
-- slots once; earlier days' slots stay as they are.
INSERT INTO yc.queue_config (office_code, policy, ratio_n, credit_minutes, target_minutes, senior_age)
VALUES ('360981', 'credit', 3, 15, 20, 60)
ON CONFLICT (office_code) DO NOTHING;

INSERT INTO yc.appointment (office_code, code, slot_start, slot_end)
SELECT '360981', to_char(d.day, 'MMDD') || lpad(h::text, 2, '0'),
       (d.day + make_time(h, 0, 0)) AT TIME ZONE 'Asia/Shanghai',
       (d.day + make_time(h, 30, 0)) AT TIME ZONE 'Asia/Shanghai'
  FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS day) d,
       unnest(ARRAY[9, 10, 14, 15]) AS h
ON CONFLICT (office_code, code) DO NOTHING;

-- Opening hours (db/functions/hours.sql). 丰城's hall is open 365 days
-- (seed 000 item 14: 工作日中午和双休日、法定节假日提供延时服务): working days
-- 08:30-12:00 and 14:30-17:30 with noon service between, Saturdays and
-- Sundays 09:00-12:00 and 14:00-17:00, the days off of the calendar
-- 09:00-12:00 (值班). 剑光街道 opens on Saturday
-- mornings too; the other offices keep the default (working days
-- 08:30-12:00 and 14:30-17:30).
INSERT INTO yc.office_hours (office_code, dow, morning_open, morning_close, afternoon_open,
                             afternoon_close, noon, updated_by)
SELECT h.office_code, d.dow, h.mo::time, h.mc::time, h.ao::time, h.ac::time, h.noon, 'demo'
  FROM (VALUES ('360981',    1, 5, '08:30', '12:00', '14:30', '17:30', true),
               ('360981',    6, 7, '09:00', '12:00', '14:00', '17:00', false),
               ('360981',    8, 8, '09:00', '12:00', NULL,    NULL,    false),
               ('360981001', 6, 6, '09:00', '12:00', NULL,    NULL,    false))
       AS h(office_code, first, last, mo, mc, ao, ac, noon),
       generate_series(h.first, h.last) AS d(dow)
ON CONFLICT (office_code, dow) DO NOTHING;

-- Demo citizens (valid GB 11643 numbers of 丰城市 and 高安市; invented
-- people) and their insurance status as the provincial export would give
-- it, for the 参保凭证: one employee insured, one resident insured, one
-- resident whose insurance is suspended (停保).
INSERT INTO yc.person (id_no, name, sex, birth_date, phone) VALUES
    ('360981198503150023', '张丽',   'F', '1985-03-15', '13907950123'),
    ('360981199207080045', '李娜',   'F', '1992-07-08', '13979512345'),
    ('360983195604120017', '王建国', 'M', '1956-04-12', '13807056789')
ON CONFLICT (id_no) DO NOTHING;

INSERT INTO yc.insurance (id_no, scheme, status, since, until, unit_name, office_code) VALUES
    ('360981198503150023', 'employee', 'active',    '2008-07-01', NULL,         '丰城市示例机械制造有限公司', '360981'),
    ('360981199207080045', 'resident', 'active',    '2015-01-01', NULL,         NULL,                         '360981'),
    ('360983195604120017', 'resident', 'suspended', '2010-01-01', '2025-12-31', NULL,                         '360981')
ON CONFLICT (id_no, scheme) DO NOTHING;

-- Their insurance history as the provincial export gives it (`yichuang
-- insurance import`; the 参保 rules of db/functions/policy.sql): 张丽 an
-- employee throughout; 李娜 a resident every year, the fund paying nothing
-- in 2024 and 2025 (the 零报销 raise); 王建国 a resident until 2025, not
-- insured in 2026 (registering again: a waiting period).
INSERT INTO yc.insurance_year (id_no, year, scheme, insured, central, fund_paid, reward_used, source)
SELECT p.id_no, y, p.scheme, y <= p.last, y <= p.last AND p.scheme = 'resident',
       y <= p.last AND NOT (y = ANY (p.zero)), false, 'import'
  FROM (VALUES ('360981198503150023', 'employee', 2026, '{}'::int[]),
               ('360981199207080045', 'resident', 2026, '{2024,2025}'::int[]),
               ('360983195604120017', 'resident', 2025, '{}'::int[])) AS p(id_no, scheme, last, zero),
       generate_series(2021, 2026) AS y
ON CONFLICT (id_no, year, scheme) DO NOTHING;
