-- One year of history of an office network, for the report benchmark
-- (bench/bench_report.c). Run as superuser on a throwaway cluster that has
-- the migrations, the demo offices and the catalogue (bench/run.sh):
--
--     psql -v ON_ERROR_STOP=1 -c "SET yc_bench.scale = '0.1'" -f bench/history.sql
--
-- or, as the benchmark does, after SET yc_bench.scale in the same session.
-- Scale 1 (the default, when the setting is missing) writes for the year
-- 2025, every day of it (365-day service):
--   the network  the city hall 360981 with 30 windows and 20 bench
--                townships 360981101 … 360981120 with 2 windows each, a clerk
--                per window signed in 08:00–18:00 every day;
--   tickets      3,300 a day at the city, 110 at each township: 2.0 M
--                (95 % served, 4 % no-show, 1 % cancelled; one in ten
--                priority), half of the served ones rated;
--   cases        1,650 a day at the city, 55 at each township: 1.0 M, of
--                every case type (20 % 即时办结, 5 % waiting for a 补正 with
--                a 一次性告知书, 2 % refused, 5 % 容缺 with their notice, the
--                rest finished in 1–14 days against a promise of 10, about
--                a quarter of them late, and the last month's still open).
-- Scale s multiplies the daily numbers (the network stays). Not idempotent:
-- run it once on a fresh cluster. Takes a few minutes at scale 1.

CREATE TEMP TABLE bench_param AS
SELECT coalesce(nullif(current_setting('yc_bench.scale', true), '')::numeric, 1) AS scale,
       date '2025-01-01' AS first_day, 365 AS days;

-- The history's months get their partitions first, as `yichuang jobs run`
-- would have made them while the year went by (db/functions/history.sql),
-- and the month after it, where the last cases' events go: without them
-- every row would land in the DEFAULT partitions.
SELECT count(*) FILTER (WHERE yc.history_partition_make(t, m::date)) AS partitions_made
  FROM bench_param p, unnest(yc.history_tables()) t,
       generate_series(p.first_day, p.first_day + p.days + 31, interval '1 month') m;

CREATE TEMP TABLE bench_office AS
SELECT '360981'::text AS code, 30 AS windows, greatest(1, round(3300 * p.scale))::int AS tickets,
       greatest(1, round(1650 * p.scale))::int AS cases
  FROM bench_param p
UNION ALL
SELECT '360981' || (100 + i)::text, 2, greatest(1, round(110 * p.scale))::int,
       greatest(1, round(55 * p.scale))::int
  FROM bench_param p, generate_series(1, 20) i;

INSERT INTO yc.office (code, name, tier, parent_code, region_code)
SELECT o.code, '压测街道医保所' || right(o.code, 3), 'township', '360981', '360981'
  FROM bench_office o WHERE o.code <> '360981'
ON CONFLICT (code) DO NOTHING;

INSERT INTO yc.service_window (office_code, window_no, label)
SELECT o.code, w, w || '号窗口'
  FROM bench_office o, generate_series(1, o.windows) w
ON CONFLICT DO NOTHING;

-- A clerk per window: b<office>_<window>. The hash is never used to sign in.
INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)
SELECT 'b' || o.code || '_' || w, '压测柜员' || right(o.code, 3) || '-' || w, 'clerk', o.code,
       '$2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234'
  FROM bench_office o, generate_series(1, o.windows) w
ON CONFLICT DO NOTHING;

INSERT INTO yc.staff_session (office_code, staff_no, window_no, started_at, ended_at, end_reason)
SELECT o.code, 'b' || o.code || '_' || w, w,
       (p.first_day + d)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '8 hours',
       (p.first_day + d)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '18 hours', 'logout'
  FROM bench_param p, bench_office o, generate_series(1, o.windows) w, generate_series(0, p.days - 1) d;

-- 50,000 citizens.
INSERT INTO yc.person (id_no, name)
SELECT '360981' || lpad(i::text, 12, '0'), '压测' || i
  FROM generate_series(1, 50000) i
ON CONFLICT DO NOTHING;

-- Tickets: issued evenly over 08:30–17:00, waits of 0–30 min, services of
-- 2–20 min (a hash of the number decides, so a rerun gives the same data).
CREATE TEMP TABLE bench_ticket AS
SELECT o.code, o.windows, p.first_day + d AS day, s AS seq,
       (p.first_day + d)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '8 hours 30 minutes'
           + (s - 1) * (interval '510 minutes' / o.tickets) AS issued_at,
       abs(hashint8(d * 100000 + s + o.windows * 7919)) AS h
  FROM bench_param p, bench_office o, generate_series(0, p.days - 1) d, generate_series(1, o.tickets) s;

INSERT INTO yc.ticket (office_code, day, class, seq, number, status, window_no, issued_at,
                       called_at, started_at, finished_at, last_called_at)
SELECT t.code, t.day, CASE WHEN t.seq % 10 = 0 THEN 'priority' ELSE 'normal' END, t.seq,
       yc.queue_number(CASE WHEN t.seq % 10 = 0 THEN 'priority' ELSE 'normal' END, t.seq),
       CASE WHEN t.h % 100 < 95 THEN 'served' WHEN t.h % 100 < 99 THEN 'no_show' ELSE 'cancelled' END,
       CASE WHEN t.h % 100 < 99 THEN 1 + t.seq % t.windows END,
       t.issued_at,
       CASE WHEN t.h % 100 < 99 THEN t.issued_at + (t.h % 1800) * interval '1 second' END,
       CASE WHEN t.h % 100 < 95 THEN t.issued_at + (t.h % 1800 + 30) * interval '1 second' END,
       CASE WHEN t.h % 100 < 95 THEN t.issued_at + (t.h % 1800 + 30 + 120 + (t.h / 100) % 1080) * interval '1 second'
            WHEN t.h % 100 < 99 THEN t.issued_at + (t.h % 1800 + 180) * interval '1 second'
            ELSE t.issued_at + interval '1 hour' END,
       CASE WHEN t.h % 100 < 99 THEN t.issued_at + (t.h % 1800) * interval '1 second' END
  FROM bench_ticket t;

-- Half of the served tickets rated, mostly 非常满意.
INSERT INTO yc.rating (office_code, ticket_id, staff_no, window_no, grade, rated_at)
SELECT t.office_code, t.ticket_id, 'b' || t.office_code || '_' || t.window_no, t.window_no,
       (ARRAY[1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 5])[1 + (t.ticket_id * 7) % 11],
       t.finished_at + interval '10 seconds'
  FROM yc.ticket t
 WHERE t.status = 'served' AND t.ticket_id % 2 = 0 AND t.office_code IN (SELECT code FROM bench_office);

-- Cases.
CREATE TEMP TABLE bench_type AS
SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, version
  FROM (SELECT DISTINCT ON (code) code, version FROM yc.case_type ORDER BY code, version DESC) c;

CREATE TEMP TABLE bench_case AS
SELECT o.code, o.windows, p.first_day + d AS day, s AS seq, p.first_day + p.days AS year_end,
       (p.first_day + d)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '8 hours 30 minutes'
           + (s - 1) * (interval '510 minutes' / o.cases) AS at,
       abs(hashint8(d * 100000 + s + o.windows * 104729)) AS h
  FROM bench_param p, bench_office o, generate_series(0, p.days - 1) d, generate_series(1, o.cases) s;

-- kind by h % 100: 0-19 immediate, 20-24 pending_supplement, 25-26 rejected,
-- 27-31 容缺 accepted, 32-99 accepted and worked; finished after 1–14 days
-- (promise 10) unless that is past the year's end.
INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no, status,
                             channel, first_staff_no, window_no, accepted_at, promised_date, finished_at,
                             reason, limit_days, created_at, updated_at)
SELECT c.code, c.code || to_char(c.day, 'YYYYMMDD') || lpad(c.seq::text, 4, '0'),
       ty.code, ty.version, '360981' || lpad((1 + c.h % 50000)::text, 12, '0'),
       CASE WHEN m < 20 THEN 'finished' WHEN m < 25 THEN 'pending_supplement' WHEN m < 27 THEN 'rejected'
            WHEN c.day + fin_days < c.year_end THEN 'finished' ELSE 'in_progress' END,
       'window', 'b' || c.code || '_' || (1 + c.seq % c.windows), 1 + c.seq % c.windows,
       CASE WHEN m < 20 OR m >= 27 THEN c.at END,
       CASE WHEN m >= 27 THEN c.day + 10 END,
       CASE WHEN m < 20 THEN c.at
            WHEN m >= 27 AND c.day + fin_days < c.year_end THEN c.at + fin_days * interval '1 day' END,
       CASE WHEN m BETWEEN 25 AND 26 THEN '不属于受理范围' END,
       CASE WHEN m < 20 THEN 0 WHEN m >= 27 THEN 10 END,
       c.at, c.at
  FROM (SELECT bc.*, bc.h % 100 AS m, 1 + (bc.h / 100) % 14 AS fin_days FROM bench_case bc) c
  JOIN bench_type ty ON ty.k = (c.h / 10000) % (SELECT count(*) FROM bench_type);

-- 一次性告知书 for the waiting ones, 容缺受理通知书 for the deferred ones.
INSERT INTO yc.notice (office_code, notice_no, case_no, kind, issued_at, staff_no)
SELECT c.code, 'N' || c.code || to_char(c.day, 'YYYYMMDD') || lpad(c.seq::text, 4, '0'),
       c.code || to_char(c.day, 'YYYYMMDD') || lpad(c.seq::text, 4, '0'),
       CASE WHEN c.h % 100 < 25 THEN 'supplement' ELSE 'deferred' END, c.at,
       'b' || c.code || '_' || (1 + c.seq % c.windows)
  FROM bench_case c
 WHERE c.h % 100 BETWEEN 20 AND 24 OR c.h % 100 BETWEEN 27 AND 31;

DROP TABLE bench_ticket, bench_case, bench_type, bench_office, bench_param;
ANALYZE yc.ticket;
ANALYZE yc.service_case;
ANALYZE yc.notice;
ANALYZE yc.rating;
ANALYZE yc.staff_session;
