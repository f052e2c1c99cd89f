-- The 参保长效机制 of seed 003 (赣府厅发〔2024〕34号, 二(四)) and the
-- exceptions of seed 000 (items 1 and 2): when a resident's benefits
-- start, how long the waiting period is and what paying back gap years
-- changes, and the year's 大病保险 cap. Tables in
-- db/migrations/0031_insurance_policy.sql; every number is a setting
-- (policy_*), read by yc.policy_rules.
--
-- THE RULES, as yc.policy_compute applies them (seed 003's words quoted):
--
-- Years. A year counts from policy_from_year (自2025年起) and after the
-- birth year. A year is insured when the history has an insured row for
-- it in either scheme (moving between 职工 and 居民 is not a gap). A
-- registration on day D insures the year Y: the next year when D is on or
-- after the 集中参保期's start (policy_central_from) of D's year, else D's
-- year. It is inside the 集中参保期 when D is between its start and its
-- end (policy_central_until: a day before the start means the period runs
-- into Y itself).
--
-- Gap. The gap of the registration is the number of years not insured
-- right before Y; the total gap, every year not insured before Y.
--
-- Waiting period (设置参保后固定待遇等待期): none for a newborn (registered
-- within policy_newborn_days of birth: benefits from birth), for 困难人口
-- newly identified after the 集中参保期 (seed 000 item 1: 随时参保，随时
-- 享受待遇: from D), and for a registration inside the 集中参保期 without a
-- gap (from 1 January of Y). Otherwise a fixed period
-- (policy_wait_fixed_months, 3) and, after a gap of g years, a variable
-- period of g − 1 months (每多断保1年…增加变动待遇等待期1个月); each year
-- paid back (at this year's contribution, policy_contribution_yuan)
-- removes one month of the variable period; after a gap of
-- policy_wait_floor_gap_years (4) or more the two together are never less
-- than policy_wait_floor_months (6). The period runs from D or from 1
-- January of Y, whichever is later; benefits start the day it ends.
-- Paying back repairs only the waiting period: it changes neither the
-- gap nor the 大病 cap.
--
-- 大病保险 cap of Y: the prefecture's original cap (policy_serious_cap_yuan)
--   + policy_step_yuan for every insured year of a run of consecutive
--     insured years beyond its first policy_continuous_years (连续参保满4年
--     …之后每连续参保1年; a gap restarts the count and keeps what earlier
--     runs earned); Y itself is in the last run;
--   + policy_step_yuan for every earlier resident year without fund
--     reimbursement (零报销, 次年提高，累计计算) after the last year whose 大病
--     reimbursement used reward amounts (使用奖励额度后…清零);
--   the two together at most policy_raise_cap_percent of the original cap;
--   − policy_step_yuan for every year of total gap, at most
--     policy_cut_cap_percent of the original cap.
--
-- Employees (seed 000 item 2): a break in contributions of at most
-- policy_transfer_months because of a 转移接续, paid back at the new place:
-- no waiting period, benefits from the day after payment, the break's
-- benefits retroactive (yc.policy_transfer).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-------------------------------------------------------------------------------
-- The rules and the pure computation
-------------------------------------------------------------------------------

-- The policy_* settings as {name without the prefix: value} (integers as
-- numbers, days of the year as "MM-DD").
CREATE OR REPLACE FUNCTION yc.policy_rules() RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_object_agg(substr(s.key, 8),
               CASE WHEN s.value_type = 'int' THEN to_jsonb(btrim(s.value)::int) ELSE to_jsonb(s.value) END),
               '{}')
      FROM yc.setting s
     WHERE s.key LIKE 'policy\_%';
$$;

-- Day "MM-DD" of year y (29 February of a common year: 1 March).
CREATE OR REPLACE FUNCTION yc.policy_day(p_mmdd text, y int) RETURNS date
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT make_date(y, substr(p_mmdd, 1, 2)::int, 1) + (substr(p_mmdd, 4, 2)::int - 1);
$$;

-- The year a registration on p_on insures, and whether p_on is inside
-- that year's 集中参保期.
CREATE OR REPLACE FUNCTION yc.policy_year_of(p_on date, p_rules jsonb, OUT year int, OUT inside boolean)
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
DECLARE
    y      int := extract(year FROM p_on)::int;
    v_from date := yc.policy_day(p_rules ->> 'central_from', y);
    v_to   date := yc.policy_day(p_rules ->> 'central_until', y);
    v_wrap boolean := (p_rules ->> 'central_until') < (p_rules ->> 'central_from');
BEGIN
    IF p_on >= v_from THEN
        year := y + 1;
        inside := v_wrap OR p_on <= v_to;
    ELSE
        year := y;
        inside := v_wrap AND p_on <= v_to;
    END IF;
END
$$;

-- The waiting period's months after paying back p_n of a gap of p_gap
-- years (not exempt), and whether the floor raised it.
CREATE OR REPLACE FUNCTION yc.policy_wait(p_gap int, p_n int, p_rules jsonb,
                                          OUT variable int, OUT total int, OUT floored boolean)
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
BEGIN
    variable := greatest(greatest(p_gap - 1, 0) - p_n, 0);
    total := (p_rules ->> 'wait_fixed_months')::int + variable;
    floored := p_gap >= (p_rules ->> 'wait_floor_gap_years')::int
               AND total < (p_rules ->> 'wait_floor_months')::int;
    IF floored THEN
        total := (p_rules ->> 'wait_floor_months')::int;
    END IF;
END
$$;

-------------------------------------------------------------------------------
-- yc.policy_compute: the rules above for a resident born p_birth who
-- registers on p_on, with history p_years (a JSON array of {year, scheme,
-- insured, central, fund_paid, reward_used}), paying back p_payback gap
-- years; p_kind 'resident', or 'aid_late' for 困难人口 identified after the
-- 集中参保期 (seed 000 item 1). Pure: everything it reads is an argument.
-- Returns
--   year, inside_central, already (Y already insured: nothing to wait for),
--   exempt (null | newborn | aid_late | central: no waiting period, and why),
--   gap, gap_total, fixed, variable (before paying back), payback,
--   payback_max (the gap: no more may be paid back; 0 when exempt),
--   payback_over (p_payback > payback_max), variable_after, wait (months),
--   floored, from (the day the period runs from), start (benefits from),
--   contribution, payback_cost, options [{payback, wait, start, cost}] (0
--   to the gap, at most 10),
--   cap_base, streak (the run Y is in), raise_continuous, zero_years,
--   zero_cleared (the year a reward was used, or null), raise_zero,
--   raise (after the limit), raise_capped, cut (after the limit),
--   cut_capped, cap — all in yuan.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.policy_compute(p_birth date, p_on date, p_years jsonb, p_payback int,
                                             p_kind text, p_rules jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_from     int := (p_rules ->> 'from_year')::int;
    v_step     int := (p_rules ->> 'step_yuan')::int;
    v_base     int := (p_rules ->> 'serious_cap_yuan')::int;
    v_contrib  int := (p_rules ->> 'contribution_yuan')::int;
    v_cy       int := (p_rules ->> 'continuous_years')::int;
    v_year     int;
    v_inside   boolean;
    v_first    int;
    v_insured  int[];
    v_zero     int[];
    v_reward   int;
    v_gap      int := 0;
    v_total    int := 0;
    v_run      int := 0;
    v_cont     int := 0;
    v_zeros    int := 0;
    v_exempt   text;
    v_n        int := greatest(coalesce(p_payback, 0), 0);
    v_max      int := 0;
    v_fixed    int := 0;
    v_var      int := 0;
    w          record;
    v_wait     int := 0;
    v_var_after int := 0;
    v_floor    boolean := false;
    v_start    date;
    v_run_from date;
    v_opts     jsonb := '[]';
    v_raise    int;
    v_cut      int;
    v_already  boolean;
BEGIN
    SELECT yo.year, yo.inside INTO v_year, v_inside FROM yc.policy_year_of(p_on, p_rules) yo;
    v_first := greatest(v_from, extract(year FROM p_birth)::int + 1);
    SELECT coalesce(array_agg(DISTINCT (e ->> 'year')::int), '{}')
      INTO v_insured
      FROM jsonb_array_elements(coalesce(p_years, '[]')) e
     WHERE (e ->> 'insured')::boolean;
    SELECT coalesce(array_agg(DISTINCT (e ->> 'year')::int), '{}')
      INTO v_zero
      FROM jsonb_array_elements(coalesce(p_years, '[]')) e
     WHERE (e ->> 'insured')::boolean AND e ->> 'scheme' = 'resident'
       AND NOT coalesce((e ->> 'fund_paid')::boolean, false);
    SELECT max((e ->> 'year')::int) INTO v_reward
      FROM jsonb_array_elements(coalesce(p_years, '[]')) e
     WHERE coalesce((e ->> 'reward_used')::boolean, false) AND (e ->> 'year')::int < v_year;
    v_already := v_year = ANY (v_insured);

    -- the gap right before Y, and every year not insured before it
    FOR y IN REVERSE v_year - 1 .. v_first LOOP
        EXIT WHEN y = ANY (v_insured);
        v_gap := v_gap + 1;
    END LOOP;
    FOR y IN v_first .. v_year - 1 LOOP
        IF NOT y = ANY (v_insured) THEN
            v_total := v_total + 1;
        END IF;
    END LOOP;

    -- the waiting period
    IF v_already THEN
        v_start := make_date(v_year, 1, 1);
    ELSIF p_on - p_birth BETWEEN 0 AND (p_rules ->> 'newborn_days')::int THEN
        v_exempt := 'newborn';
        v_start := p_birth;
    ELSIF p_kind = 'aid_late' THEN
        v_exempt := 'aid_late';
        v_start := p_on;
    ELSIF v_gap = 0 AND v_inside THEN
        v_exempt := 'central';
        v_start := make_date(v_year, 1, 1);
    ELSE
        v_max := v_gap;
        v_fixed := (p_rules ->> 'wait_fixed_months')::int;
        v_var := greatest(v_gap - 1, 0);
        v_run_from := greatest(p_on, make_date(v_year, 1, 1));
        SELECT * INTO w FROM yc.policy_wait(v_gap, least(v_n, v_max), p_rules);
        v_wait := w.total;
        v_var_after := w.variable;
        v_floor := w.floored;
        v_start := (v_run_from + make_interval(months => v_wait))::date;
        FOR k IN 0 .. least(v_max, 10) LOOP
            SELECT * INTO w FROM yc.policy_wait(v_gap, k, p_rules);
            v_opts := v_opts || jsonb_build_object('payback', k, 'wait', w.total,
                'start', (v_run_from + make_interval(months => w.total))::date,
                'cost', k * v_contrib);
        END LOOP;
    END IF;

    -- the 大病 cap: runs of consecutive insured years up to Y (Y counted as insured)
    FOR y IN v_from .. v_year LOOP
        IF y = v_year OR y = ANY (v_insured) THEN
            v_run := v_run + 1;
        ELSE
            v_cont := v_cont + greatest(v_run - v_cy, 0);
            v_run := 0;
        END IF;
    END LOOP;
    v_cont := v_cont + greatest(v_run - v_cy, 0);
    SELECT count(*) INTO v_zeros
      FROM unnest(v_zero) z
     WHERE z >= v_from AND z < v_year AND (v_reward IS NULL OR z > v_reward);
    v_raise := least((v_cont + v_zeros) * v_step, v_base * (p_rules ->> 'raise_cap_percent')::int / 100);
    v_cut := least(v_total * v_step, v_base * (p_rules ->> 'cut_cap_percent')::int / 100);

    RETURN jsonb_build_object(
        'year', v_year, 'inside_central', v_inside, 'already', v_already, 'exempt', v_exempt,
        'gap', v_gap, 'gap_total', v_total, 'fixed', v_fixed, 'variable', v_var,
        'payback', least(v_n, v_max), 'payback_max', v_max, 'payback_over', v_n > v_max,
        'variable_after', v_var_after, 'wait', v_wait, 'floored', v_floor,
        'from', v_run_from, 'start', v_start,
        'contribution', v_contrib, 'payback_cost', least(v_n, v_max) * v_contrib, 'options', v_opts
    ) || jsonb_build_object(
        'cap_base', v_base, 'streak', v_run, 'raise_continuous', v_cont * v_step,
        'zero_years', v_zeros, 'zero_cleared', v_reward, 'raise_zero', v_zeros * v_step,
        'raise', v_raise, 'raise_capped', (v_cont + v_zeros) * v_step > v_raise,
        'cut', v_cut, 'cut_capped', v_total * v_step > v_cut,
        'cap', v_base + v_raise - v_cut);
END
$$;

-- An employee's break of p_months paid back on p_on after a 转移接续
-- (seed 000 item 2): {kind: transfer, months, eligible (at most
-- policy_transfer_months), start (the day after payment; null when not
-- eligible), retroactive}.
CREATE OR REPLACE FUNCTION yc.policy_transfer(p_on date, p_months int, p_rules jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT jsonb_build_object('kind', 'transfer', 'months', p_months, 'eligible', ok,
                              'start', CASE WHEN ok THEN p_on + 1 END, 'retroactive', ok)
      FROM (SELECT p_months BETWEEN 1 AND (p_rules ->> 'transfer_months')::int AS ok) x;
$$;

-------------------------------------------------------------------------------
-- A person's history and figures
-------------------------------------------------------------------------------

-- A person's history as yc.policy_compute reads it, oldest year first.
CREATE OR REPLACE FUNCTION yc.policy_years(p_id text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('year', y.year, 'scheme', y.scheme,
               'insured', y.insured, 'central', y.central, 'fund_paid', y.fund_paid,
               'reward_used', y.reward_used, 'source', y.source) ORDER BY y.year, y.scheme), '[]')
      FROM (SELECT * FROM yc.insurance_year i WHERE i.id_no = p_id
             ORDER BY i.year DESC LIMIT 200) y;
$$;

-- The figures of a resident for a registration on p_on (yc.policy_compute
-- on the stored history and the settings) with the history added as
-- "history". NULL for a number that is not a valid ID.
CREATE OR REPLACE FUNCTION yc.policy_of(p_id text, p_on date, p_payback int, p_kind text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v_birth date := yc.idno_birth(p_id);
    v_years jsonb;
BEGIN
    IF v_birth IS NULL OR v_birth > p_on THEN
        RETURN NULL;
    END IF;
    v_years := yc.policy_years(p_id);
    RETURN yc.policy_compute(v_birth, p_on, v_years, p_payback, p_kind, yc.policy_rules())
           || jsonb_build_object('kind', p_kind, 'history', v_years, 'on', p_on);
END
$$;

-- The answer of a choice field of a stored form (object or array form).
CREATE OR REPLACE FUNCTION yc.policy_answer(p_form jsonb, p_id text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE jsonb_typeof(p_form)
        WHEN 'object' THEN p_form ->> p_id
        WHEN 'array' THEN (SELECT a ->> 'value' FROM jsonb_array_elements(p_form) a
                            WHERE a ->> 'id' = p_id LIMIT 1)
        END;
$$;

-- The number of years (0 when none) of a payback answer "n<N>".
CREATE OR REPLACE FUNCTION yc.policy_payback(p_answer text) RETURNS int
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN p_answer ~ '^n[0-9]{1,2}$' THEN substr(p_answer, 2)::int ELSE 0 END;
$$;

-- Whether a form's answers make the registration one of 困难人口 identified
-- after the 集中参保期 (person_type aided, an aid category, aid_late yes).
CREATE OR REPLACE FUNCTION yc.policy_kind(p_form jsonb) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN yc.policy_answer(p_form, 'aid_late') = 'yes'
                 AND coalesce(yc.policy_answer(p_form, 'aid_category'), 'none') <> 'none'
                THEN 'aid_late' ELSE 'resident' END;
$$;

-- The policy rule of a case type's definition: <policy rule="resident"/>
-- (城乡居民参保登记) or rule="transfer" (职工医保转移接续中断缴费补缴); NULL.
CREATE OR REPLACE FUNCTION yc.policy_rule_of(p_doc xml) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT (xpath('/ct:case-type/ct:policy/@rule', p_doc,
                  ARRAY[ARRAY['ct', 'urn:yichuang:case-type:1']]))[1]::text;
$$;

-------------------------------------------------------------------------------
-- yc.policy_record: at a case's 即时办结 (inside yc.case_intake), for a case
-- type with a policy rule: the figures computed on the form's answers
-- (resident: payback n<N>, aid_category, aid_late; transfer: months m<N>)
-- stored on the case (service_case.policy, printed on its 办结回执); a
-- resident registration also records the year insured (insurance_year,
-- source window) and the person's active resident insurance (yc.insurance).
-- Refusals (YC010, undoing the case): payback_over (more years paid back
-- than the gap), already_insured (the year is insured already),
-- not_transfer (a break longer than policy_transfer_months).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.policy_record(a yc.case_actor, c yc.service_case, p_doc xml) RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_rule text := yc.policy_rule_of(p_doc);
    v_day  date := yc.queue_day(c.accepted_at);
    v_pol  jsonb;
BEGIN
    IF v_rule IS NULL OR c.status <> 'finished' THEN
        RETURN;
    END IF;
    IF v_rule = 'transfer' THEN
        v_pol := yc.policy_transfer(v_day,
            CASE WHEN yc.policy_answer(c.form, 'months') ~ '^m[0-9]{1,2}$'
                 THEN substr(yc.policy_answer(c.form, 'months'), 2)::int END,
            yc.policy_rules());
        IF NOT (v_pol ->> 'eligible')::boolean THEN
            PERFORM yc.case_refuse('not_transfer');
        END IF;
    ELSE
        v_pol := yc.policy_of(c.id_no, v_day, yc.policy_payback(yc.policy_answer(c.form, 'payback')),
                              yc.policy_kind(c.form));
        IF (v_pol ->> 'already')::boolean THEN
            PERFORM yc.case_refuse('already_insured');
        ELSIF (v_pol ->> 'payback_over')::boolean THEN
            PERFORM yc.case_refuse('payback_over');
        END IF;
        v_pol := v_pol - 'history' - 'options';
        INSERT INTO yc.insurance_year (id_no, year, scheme, insured, central, source)
        VALUES (c.id_no, (v_pol ->> 'year')::int, 'resident', true, (v_pol ->> 'inside_central')::boolean,
                'window')
        ON CONFLICT (id_no, year, scheme) DO UPDATE
            SET insured = true, central = EXCLUDED.central, source = 'window', loaded_at = now();
        INSERT INTO yc.insurance AS i (id_no, scheme, status, since, until, unit_name, office_code)
        VALUES (c.id_no, 'resident', 'active', (v_pol ->> 'start')::date, NULL, NULL, c.office_code)
        ON CONFLICT (id_no, scheme) DO UPDATE
            SET status = 'active', until = NULL,
                since = CASE WHEN i.status = 'active' THEN i.since ELSE EXCLUDED.since END;
    END IF;
    UPDATE yc.service_case sc SET policy = v_pol
     WHERE sc.office_code = c.office_code AND sc.case_no = c.case_no;
    PERFORM yc.audit_write(c.office_code, a.staff_no, a.window_no, 'policy_record', 'case:' || c.case_no,
        NULL, v_pol, a.client);
END
$$;

-------------------------------------------------------------------------------
-- yc.policy_preview: the figures for a person on the counter's panel and
-- the person key (any case, the case view): the history, the waiting
-- period and what paying back changes, the 大病 cap, for a registration
-- today (p_on NULL) or on p_on. p_payback: years the citizen would pay
-- back; p_aid_late: 困难人口 identified after the 集中参保期. Audited
-- (policy_view: the number). Clerks, supervisors, guides and reviewers.
-- {"refused": no_session | not_allowed | bad_id} or the figures
-- (yc.policy_compute's keys, history, rules: the numbers used).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.policy_preview(p_session bigint, p_id_no text, p_on date, p_payback int,
                                             p_aid_late boolean) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
DECLARE
    a    yc.case_actor := yc.case_actor(p_session);
    v_on date := coalesce(p_on, yc.case_today());
    v_id text := yc.case_idno(p_id_no, v_on);
    v    jsonb;
BEGIN
    IF a.office_code IS NULL THEN
        RETURN jsonb_build_object('refused', 'no_session');
    ELSIF a.role NOT IN ('clerk', 'supervisor', 'guide', 'reviewer') THEN
        RETURN jsonb_build_object('refused', 'not_allowed');
    ELSIF v_id IS NULL THEN
        RETURN jsonb_build_object('refused', 'bad_id');
    END IF;
    v := yc.policy_of(v_id, v_on, p_payback, CASE WHEN p_aid_late THEN 'aid_late' ELSE 'resident' END);
    PERFORM yc.audit_write(a.office_code, a.staff_no, a.window_no, 'policy_view', 'person:' || v_id,
        NULL, jsonb_build_object('year', v -> 'year', 'payback', p_payback), a.client);
    RETURN v || jsonb_build_object('rules', yc.policy_rules());
END
$$;

-------------------------------------------------------------------------------
-- yc.insurance_import: the provincial platform's export of insurance
-- history, all or nothing. p_rows: a JSON array of {line, id_no, year,
-- scheme (resident | employee), insured, central, fund_paid, reward_used}
-- (booleans). Each row replaces the stored one of its person, year and
-- scheme (source import). Returns one row per refused line (line, id_no,
-- result: bad_id | bad_year | bad_scheme | bad_facts (a year not insured
-- with a premium, reimbursement or reward; a reward without a
-- reimbursement; an employee row with a 集中参保期 or reward) | duplicate
-- (the same person, year and scheme on an earlier line: detail)) and
-- nothing stored; otherwise one row (line 0, result ok, detail
-- "added updated unchanged") and an insurance_import audit row with the
-- counts. Refused as a whole (line 0): no_session | not_allowed (an
-- administrator, or the owner) | bad_input.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.insurance_import(p_session bigint, p_rows jsonb)
RETURNS TABLE(line int, id_no text, result text, detail text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a       yc.case_actor := yc.office_admin(p_session);
    v_bad   int;
    v_add   int;
    v_upd   int;
    v_same  int;
BEGIN
    IF a.office_code IS NULL THEN
        line := 0;
        result := yc.office_refusal(p_session);
        RETURN NEXT;
        RETURN;
    END IF;
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
        line := 0;
        result := 'bad_input';
        RETURN NEXT;
        RETURN;
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS insurance_import_rows (
        line int, id_no text, year int, scheme text, insured boolean, central boolean,
        fund_paid boolean, reward_used boolean, why text, first_line int, state text) ON COMMIT DROP;
    TRUNCATE insurance_import_rows;
    INSERT INTO insurance_import_rows
    SELECT (e ->> 'line')::int, upper(btrim(e ->> 'id_no')),
           CASE WHEN e ->> 'year' ~ '^[0-9]{4}$' THEN (e ->> 'year')::int END,
           e ->> 'scheme', (e ->> 'insured')::boolean, coalesce((e ->> 'central')::boolean, false),
           coalesce((e ->> 'fund_paid')::boolean, false), coalesce((e ->> 'reward_used')::boolean, false)
      FROM jsonb_array_elements(p_rows) e;
    UPDATE insurance_import_rows r SET why = CASE
        WHEN yc.idno_birth(r.id_no) IS NULL THEN 'bad_id'
        WHEN r.year IS NULL OR r.year NOT BETWEEN 1998 AND 2200
             OR r.year < extract(year FROM yc.idno_birth(r.id_no)) THEN 'bad_year'
        WHEN r.scheme IS NULL OR r.scheme NOT IN ('resident', 'employee') THEN 'bad_scheme'
        WHEN r.insured IS NULL
             OR (NOT r.insured AND (r.central OR r.fund_paid OR r.reward_used))
             OR (r.reward_used AND NOT r.fund_paid)
             OR (r.scheme = 'employee' AND (r.central OR r.reward_used)) THEN 'bad_facts'
        END;
    UPDATE insurance_import_rows r SET why = 'duplicate', first_line = f.line
      FROM (SELECT DISTINCT ON (x.id_no, x.year, x.scheme) x.id_no, x.year, x.scheme, x.line
              FROM insurance_import_rows x ORDER BY x.id_no, x.year, x.scheme, x.line) f
     WHERE r.why IS NULL AND f.id_no = r.id_no AND f.year = r.year AND f.scheme = r.scheme
       AND r.line > f.line;
    SELECT count(*) INTO v_bad FROM insurance_import_rows r WHERE r.why IS NOT NULL;
    IF v_bad > 0 THEN
        RETURN QUERY SELECT r.line, r.id_no, r.why, r.first_line::text
                       FROM insurance_import_rows r WHERE r.why IS NOT NULL ORDER BY r.line;
        RETURN;
    END IF;
    -- what each row does to the stored one: added | updated | unchanged
    UPDATE insurance_import_rows r SET state = coalesce(
        (SELECT CASE WHEN (i.insured, i.central, i.fund_paid, i.reward_used, i.source)
                          IS DISTINCT FROM (r.insured, r.central, r.fund_paid, r.reward_used, 'import')
                     THEN 'updated' ELSE 'unchanged' END
           FROM yc.insurance_year i WHERE i.id_no = r.id_no AND i.year = r.year AND i.scheme = r.scheme),
        'added');
    SELECT count(*) FILTER (WHERE r.state = 'added'), count(*) FILTER (WHERE r.state = 'updated'),
           count(*) FILTER (WHERE r.state = 'unchanged')
      INTO v_add, v_upd, v_same
      FROM insurance_import_rows r;
    INSERT INTO yc.insurance_year (id_no, year, scheme, insured, central, fund_paid, reward_used, source)
    SELECT r.id_no, r.year, r.scheme, r.insured, r.central, r.fund_paid, r.reward_used, 'import'
      FROM insurance_import_rows r
     WHERE r.state <> 'unchanged'
    ON CONFLICT ON CONSTRAINT insurance_year_pkey DO UPDATE
        SET insured = EXCLUDED.insured, central = EXCLUDED.central, fund_paid = EXCLUDED.fund_paid,
            reward_used = EXCLUDED.reward_used, source = 'import', loaded_at = now();
    PERFORM yc.audit_write(CASE WHEN a.office_code = '' THEN '000000' ELSE a.office_code END, a.staff_no,
        a.window_no, 'insurance_import', 'insurance_year', NULL,
        jsonb_build_object('rows', v_add + v_upd + v_same, 'added', v_add, 'updated', v_upd,
                           'unchanged', v_same), a.client);
    line := 0;
    result := 'ok';
    detail := format('%s %s %s', v_add, v_upd, v_same);
    RETURN NEXT;
END
$$;

-------------------------------------------------------------------------------
-- Printed documents
-------------------------------------------------------------------------------

-- The keys of a policy result for the templates (receipt.mustache,
-- certificate.mustache, doc-policy.mustache): transfer, transfer_start;
-- year, start, wait, fixed, variable, gap, has_wait, newborn, aid_late,
-- central, has_payback, payback, payback_cost, floored, floor_months;
-- has_cap, cap, cap_base, has_raise, raise, has_cut, cut, gap_total.
CREATE OR REPLACE FUNCTION yc.policy_doc(p jsonb) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT CASE WHEN p ->> 'kind' = 'transfer' THEN jsonb_build_object(
               'transfer', true, 'transfer_start', yc.doc_date((p ->> 'start')::date), 'has_cap', false)
           ELSE jsonb_build_object(
               'transfer', false, 'year', p -> 'year', 'start', yc.doc_date((p ->> 'start')::date),
               'wait', p -> 'wait', 'fixed', p -> 'fixed', 'variable', p -> 'variable_after',
               'gap', p -> 'gap', 'has_wait', coalesce((p ->> 'wait')::int, 0) > 0,
               'newborn', p ->> 'exempt' = 'newborn', 'aid_late', p ->> 'exempt' = 'aid_late',
               'central', p ->> 'exempt' = 'central',
               'has_payback', coalesce((p ->> 'payback')::int, 0) > 0, 'payback', p -> 'payback',
               'payback_cost', p -> 'payback_cost', 'floored', coalesce((p ->> 'floored')::boolean, false),
               'floor_months', yc.setting_int('policy_wait_floor_months'),
               'has_cap', p ? 'cap', 'cap', p -> 'cap', 'cap_base', p -> 'cap_base',
               'has_raise', coalesce((p ->> 'raise')::int, 0) > 0, 'raise', p -> 'raise',
               'has_cut', coalesce((p ->> 'cut')::int, 0) > 0, 'cut', p -> 'cut',
               'gap_total', p -> 'gap_total')
           END;
$$;

-- The 参保凭证's keys (yc.policy_doc) for the calendar year of p_day: its
-- 大病 cap as the rules give it, and the history (history: [{line}]);
-- has_cap false unless the history has the person insured as a resident
-- that year;
-- nothing of a waiting period (has_wait false: the person is not
-- registering).
CREATE OR REPLACE FUNCTION yc.policy_doc_year(p_id text, p_day date) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = yc, pg_temp AS $$
DECLARE
    v jsonb := yc.policy_of(p_id, make_date(extract(year FROM p_day)::int, 1, 1), 0, 'resident');
BEGIN
    -- the 大病 cap is the resident scheme's: a person the history does not
    -- show as a resident insured that year has none to print
    IF v IS NULL OR (v ->> 'year')::int <> extract(year FROM p_day)::int
       OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'history') h
                       WHERE (h ->> 'year')::int = (v ->> 'year')::int AND h ->> 'scheme' = 'resident'
                         AND (h ->> 'insured')::boolean) THEN
        RETURN jsonb_build_object('has_cap', false, 'has_wait', false, 'transfer', false);
    END IF;
    RETURN yc.policy_doc(v) || jsonb_build_object('has_wait', false, 'newborn', false, 'aid_late', false,
        'central', false, 'has_payback', false, 'floored', false,
        'has_history', jsonb_array_length(v -> 'history') > 0,
        'history', (SELECT coalesce(jsonb_agg(jsonb_build_object('line', format('%s年 %s %s',
                        h ->> 'year', CASE h ->> 'scheme' WHEN 'employee' THEN '职工医保' ELSE '城乡居民医保' END,
                        CASE WHEN (h ->> 'insured')::boolean THEN '参保' ELSE '未参保' END))
                        ORDER BY (h ->> 'year')::int, h ->> 'scheme'), '[]')
                      FROM jsonb_array_elements(v -> 'history') h));
END
$$;

-- Privileges: nobody but the owner, except what the application calls.
REVOKE ALL ON FUNCTION yc.policy_rules() FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_day(text, int) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_year_of(date, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_wait(int, int, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_compute(date, date, jsonb, int, text, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_transfer(date, int, jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_years(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_of(text, date, int, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_answer(jsonb, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_payback(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_kind(jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_rule_of(xml) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_record(yc.case_actor, yc.service_case, xml) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_doc(jsonb) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_doc_year(text, date) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.policy_preview(bigint, text, date, int, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION yc.insurance_import(bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    yc.policy_preview(bigint, text, date, int, boolean),
    yc.insurance_import(bigint, jsonb)
TO yichuang_app;
