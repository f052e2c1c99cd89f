-- 0014_doc_dates: dates on printed documents as GB/T 9704 writes them,
-- without leading zeros in month and day: 2026年1月5日, not 2026年01月05日
-- (the client's docdata_date writes the same).
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

CREATE OR REPLACE FUNCTION yc.doc_date(p_day date) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(to_char(p_day, 'YYYY"年"FMMM"月"FMDD"日"'), '');
$$;
