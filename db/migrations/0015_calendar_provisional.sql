-- 0015_calendar_provisional: deadlines never stop at the year's end.
--
-- A year of yc.calendar_year is 'official' (the State Council's notice,
-- loaded from a file) or 'provisional': computed by the program from the
-- statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision) and the
-- table db/calendar/cn-statutory-dates.tsv (tui/model/holiday.c), with
-- 补假 for statutory days on a weekend and no invented 调休 Saturdays.
-- `yichuang db migrate` adds the provisional years of the table after the
-- last official one; a year past the table stays unloaded (YC001).
--
-- Official years come first: an official year after a provisional one, or
-- a provisional year before an official one, is refused (YC002), so the
-- provisional years are always the last ones. A date counted through a
-- provisional year therefore lies in one, and a date in a provisional year
-- was counted through it: yc.date_provisional(d) is that date's basis, the
-- one the screens mark (预计) and the documents state.
--
-- Loading the official file of a year that was provisional recomputes, in
-- the loader's transaction, every open case whose dates may have used it
-- (yc.calendar_recompute): the promised date from the case's own start
-- (yc.stage_promised: acceptance, limit, days waited for the citizen),
-- each open stage from its start (or the acceptance plan when not yet
-- started), each deferred material from acceptance. A date printed to the
-- citizen never moves later than printed: the promised date and the
-- supply-by dates become the earlier of the printed and the recomputed
-- date, and no open stage is due after the promised date. Each case whose
-- dates changed gets a case event 'calendar_adjust' and an audit row with
-- before and after, service_case.calendar_adjusted (the day), and a NOTIFY.
--
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

ALTER TABLE yc.calendar_year
    ADD COLUMN basis text NOT NULL DEFAULT 'official'
        CHECK (basis IN ('official', 'provisional'));

-- The day an official calendar moved the case's dates (deadline board).
ALTER TABLE yc.service_case ADD COLUMN calendar_adjusted date;

INSERT INTO yc.setting (key, value, description) VALUES
    ('calendar_warn_from', '11-01',
     'MM-DD from which administrators and supervisors are warned that next year''s official calendar is not loaded')
ON CONFLICT (key) DO NOTHING;

-- The deadline board (0005) with one more column: adjusted, the day an
-- official calendar moved the case's dates (NULL when it did not).
DROP FUNCTION IF EXISTS yc.case_deadlines(bigint, boolean, int);
