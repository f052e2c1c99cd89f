-- db/functions/mail.sql: 邮寄办, what came and what went by post (table
-- yc.case_mail, db/migrations/0020_mail.sql).
--
-- A tracking number is kept as printed on the waybill without spaces and
-- hyphens, upper case: 8 to 30 letters and digits (顺丰 SF…, EMS …CN, 京东
-- JD…, 圆通 YT…). An address is 5 to 200 characters. Rows are only added;
-- each addition is a case event, an audit row and an announcement.
-- No BEGIN/COMMIT: the C program wraps this file in its own transaction.

-- The tracking number as stored, or NULL when it is not one.
CREATE OR REPLACE FUNCTION yc.mail_tracking(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = yc, pg_temp AS $$
    SELECT t FROM (SELECT upper(regexp_replace(coalesce(p_text, ''), '[\s-]', '', 'g')) AS t) x
     WHERE t ~ '^[A-Z0-9]{8,30}$';
$$;

-- The address the case's documents go back to: the latest one recorded.
CREATE OR REPLACE FUNCTION yc.mail_address(c yc.service_case) RETURNS text
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT m.address FROM yc.case_mail m
     WHERE m.office_code = c.office_code AND m.case_no = c.case_no
     ORDER BY m.seq DESC LIMIT 1;
$$;

-- Adds a row (the address NULL or blank: the latest recorded) and its
-- event 'mail_in' / 'mail_out', audit row and announcement. Refuses
-- (yc.case_refuse) bad_tracking and address_needed (no address given nor
-- recorded, or one outside 5..200 characters).
CREATE OR REPLACE FUNCTION yc.mail_add(a yc.case_actor, c yc.service_case, p_direction text,
                                       p_address text, p_tracking text, p_contents text)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_track   text := yc.mail_tracking(p_tracking);
    v_address text := coalesce(yc.case_trim(p_address), yc.mail_address(c));
    v_row     yc.case_mail%ROWTYPE;
BEGIN
    IF v_track IS NULL THEN
        PERFORM yc.case_refuse('bad_tracking');
    ELSIF v_address IS NULL OR length(v_address) NOT BETWEEN 5 AND 200 THEN
        PERFORM yc.case_refuse('address_needed');
    END IF;
    INSERT INTO yc.case_mail (office_code, case_no, seq, direction, address, tracking_no,
                              contents, at, staff_no)
    SELECT c.office_code, c.case_no, coalesce(max(m.seq), 0) + 1, p_direction, v_address,
           v_track, left(coalesce(yc.case_trim(p_contents),
                                  CASE p_direction WHEN 'in' THEN '申请材料' ELSE '办理文书' END), 200),
           yc.now(), a.staff_no
      FROM yc.case_mail m
     WHERE m.office_code = c.office_code AND m.case_no = c.case_no
    RETURNING * INTO v_row;
    PERFORM yc.case_event_add(c.office_code, c.case_no, a.staff_no, 'mail_' || p_direction,
        jsonb_build_object('tracking_no', v_row.tracking_no, 'contents', v_row.contents,
                           'office_code', a.office_code));
    PERFORM yc.case_audit(a, 'case_mail_' || p_direction, c.office_code, c.case_no, NULL,
        to_jsonb(v_row) - 'office_code' - 'case_no');
    PERFORM yc.case_notify(c.office_code, a.office_code, 'mail_' || p_direction, c.case_no, c.status);
END
$$;

-- What came by post with an intake (yc.case_intake, after its outcome): a
-- new case by mail needs the return address and the tracking number of
-- the package (mail_needed when either is blank); a 补正 of a case taken
-- by mail records a package when its tracking number is given (the
-- address then defaults to the one recorded). Mail details for a case
-- that is not taken by mail: bad_input.
CREATE OR REPLACE FUNCTION yc.mail_intake(a yc.case_actor, c yc.service_case, p_continued boolean,
                                          p_address text, p_tracking text)
RETURNS void
LANGUAGE plpgsql SET search_path = yc, pg_temp AS $$
DECLARE
    v_address  text := yc.case_trim(p_address);
    v_tracking text := yc.case_trim(p_tracking);
BEGIN
    IF c.channel <> 'mail' THEN
        IF v_address IS NOT NULL OR v_tracking IS NOT NULL THEN
            PERFORM yc.case_refuse('bad_input');
        END IF;
        RETURN;
    END IF;
    IF NOT p_continued AND (v_address IS NULL OR v_tracking IS NULL) THEN
        PERFORM yc.case_refuse('mail_needed');
    END IF;
    IF v_tracking IS NOT NULL THEN
        PERFORM yc.mail_add(a, c, 'in', v_address, v_tracking,
                            CASE WHEN p_continued THEN '补正材料' ELSE '申请材料' END);
    END IF;
END
$$;

-- The mail of a case for the case view: [{direction, day, address,
-- tracking_no, contents, staff}] oldest first.
CREATE OR REPLACE FUNCTION yc.mail_rows(c yc.service_case) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = yc, pg_temp AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'direction', m.direction, 'day', to_char(yc.queue_day(m.at), 'YYYY-MM-DD'),
               'address', m.address, 'tracking_no', m.tracking_no, 'contents', m.contents,
               'staff', coalesce(s.name, m.staff_no)) ORDER BY m.seq), '[]'::jsonb)
      FROM yc.case_mail m
      LEFT JOIN yc.staff s ON s.staff_no = m.staff_no
     WHERE m.office_code = c.office_code AND m.case_no = c.case_no;
$$;

-------------------------------------------------------------------------------
-- yc.case_mail_out: documents of a case mailed to the citizen — the
-- tracking number, what the package holds (default 办理文书) and the
-- address (NULL or blank: the latest recorded). Clerks, reviewers and
-- supervisors who can see the case (yc.case_get, as the case view); any
-- case, so a citizen who came in person may have the result posted.
-- result: ok | no_session | not_allowed | not_found | bad_tracking
--         | address_needed
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION yc.case_mail_out(p_session bigint, p_case_no text, p_tracking text,
                                            p_contents text, p_address text)
RETURNS TABLE(result text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = yc, pg_temp AS $$
#variable_conflict use_variable
DECLARE
    a yc.case_actor := yc.case_actor(p_session);
    c yc.service_case%ROWTYPE;
BEGIN
    IF a.office_code IS NULL THEN
        result := 'no_session';
        RETURN NEXT;
        RETURN;
    END IF;
    BEGIN
        IF a.role NOT IN ('clerk', 'reviewer', 'supervisor') THEN
            PERFORM yc.case_refuse('not_allowed');
        END IF;
        c := yc.case_get(a, yc.case_trim(p_case_no), true);
        IF c.case_no IS NULL THEN
            PERFORM yc.case_refuse('not_found');
        END IF;
        PERFORM yc.mail_add(a, c, 'out', p_address, p_tracking, p_contents);
        result := 'ok';
    EXCEPTION
        WHEN SQLSTATE 'YC010' THEN
            result := SQLERRM;
    END;
    RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION yc.mail_tracking(text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.mail_address(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.mail_add(yc.case_actor, yc.service_case, text, text, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.mail_intake(yc.case_actor, yc.service_case, boolean, text, text) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.mail_rows(yc.service_case) FROM PUBLIC, yichuang_app;
REVOKE ALL ON FUNCTION yc.case_mail_out(bigint, text, text, text, text) FROM PUBLIC, yichuang_app;
GRANT EXECUTE ON FUNCTION yc.case_mail_out(bigint, text, text, text, text) TO yichuang_app;
