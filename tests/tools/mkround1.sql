-- Round-1 activity for tests/fixtures/round1.sql, run by tests/tools/mkround1.sh
-- with psql as the superuser on a database of commit 818dccb (migrations
-- 0001-0014) after its `db migrate`, `db demo` and `forms load`. Only that
-- version's own SQL functions are called, as its workstation and kiosk call
-- them (tui/store/*.c of that commit), on the test clock yc.test_now (a
-- superuser's session may set it) of Monday 16 to Wednesday 18 November 2026:
--   tickets at the kiosk (A, a senior's B), the guide desk (绿色通道 G) and at
--     the township: called, served, a no-show, one held, one still waiting;
--   cases: 产前检查费支付 accepted at the city and worked through its three
--     stages to 办结; 参保凭证 即时办结 rated 5 (差评) and followed up by the
--     supervisor; 门诊费用报销 with a 一次性告知书 (left 待补正); the same
--     with the 慢性病证 deferred (容缺, supplied later); 缴费基数申报 refused
--     (不予受理); a township case at the city's 复核; a township 告知书
--     continued at the city (全市通办); a village 帮办代办 case sent back to
--     the citizen from the city's stage (补正);
--   好差评 ratings, a draft, a handover note, a paused and screen-locked
--     window, a failed sign-in, open and closed sessions; audit rows of all.
-- Each call's result is checked: the script stops at the first surprise.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
-- p_got must be p_want, else the script stops
CREATE FUNCTION pg_temp.must(p_what text, p_got text, p_want text DEFAULT 'ok') RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    IF p_got IS DISTINCT FROM p_want THEN
        RAISE EXCEPTION '%: got %, want %', p_what, p_got, p_want;
    END IF;
    RETURN p_got;
END $$;

-- Monday 16 November 2026, morning at the city hall -----------------------
SELECT set_config('yc.test_now', '2026-11-16 08:55+08', false);
SELECT session_id AS s_guide FROM yc.login('guide1', 'Demo-1234', NULL, 'mkround1') \gset
SELECT session_id AS s_c1 FROM yc.login('clerk1', 'Demo-1234', 1, 'mkround1') \gset
SELECT session_id AS s_c2 FROM yc.login('clerk2', 'Demo-1234', 2, 'mkround1') \gset
SELECT session_id AS s_sup FROM yc.login('super1', 'Demo-1234', NULL, 'mkround1') \gset
SELECT pg_temp.must('failed sign-in', (SELECT result FROM yc.login('clerk2', 'wrong-one', 3, 'mkround1')), 'bad_credentials');

SELECT set_config('yc.test_now', '2026-11-16 09:00+08', false);
-- the kiosk: five ordinary tickets (A) and one for a senior (B)
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', NULL, NULL, NULL, 'kiosk-1')));
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', '360981198503150023', NULL, NULL, 'kiosk-1')));
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', '360981199207080045', NULL, NULL, 'kiosk-1')));
SELECT pg_temp.must('kiosk B', (SELECT result FROM yc.queue_issue('360981', 'normal', '360983195604120017', NULL, NULL, 'kiosk-1')));
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', NULL, NULL, NULL, 'kiosk-1')));
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', NULL, NULL, NULL, 'kiosk-1')));
-- the guide desk: a 绿色通道 ticket
SELECT pg_temp.must('green', (SELECT result FROM yc.queue_issue('360981', 'green', '360983195604120017', NULL, :s_guide, NULL)));

-- clerk1 calls the first ticket (the 绿色通道 one) and accepts 产前检查费支付
-- (three stages, all worked at the city for a city case)
SELECT set_config('yc.test_now', '2026-11-16 09:05+08', false);
SELECT result AS r, (tk).ticket_id AS t1 FROM yc.queue_call_next(:s_c1) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_c1)));
SELECT pg_temp.must('register', yc.person_register(:s_c1, '360981198811110015', '周建华', '13607951111'));
SELECT result AS r, case_no AS case_birth FROM yc.case_intake(:s_c1, NULL, '002036007001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036007001'), '360981198811110015', 'window',
    NULL, NULL, ARRAY['id_no', 'phone', 'amount', 'exam_date', 'hospital', 'bank_card'],
    ARRAY['360981198811110015', '13607951111', '1,280.00', '2026-11-02', '丰城市人民医院', '6217001234567890123'],
    :t1, ARRAY['credential', 'invoice', 'bill', 'discharge', 'application'], NULL, 'accept', NULL) \gset
SELECT pg_temp.must('accept', :'r');
SELECT pg_temp.must('rating', yc.rating_record(:s_c1, :'case_birth', :t1, 1));
SELECT pg_temp.must('finish', yc.queue_finish(:s_c1, true));

-- clerk2 calls the senior's ticket and issues a 一次性告知书: the case waits
-- as 待补正
SELECT set_config('yc.test_now', '2026-11-16 09:12+08', false);
SELECT result AS r, (tk).ticket_id AS t2 FROM yc.queue_call_next(:s_c2) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_c2)));
SELECT result AS r, case_no AS case_notice, notice_no AS notice1 FROM yc.case_intake(:s_c2, NULL, '002036006001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036006001'), '360981199207080045', 'window',
    NULL, NULL, ARRAY['id_no', 'phone', 'amount'], ARRAY['360981199207080045', '13979512345', '356.40'],
    :t2, ARRAY['credential', 'invoice'], NULL, 'supplement', NULL) \gset
SELECT pg_temp.must('supplement', :'r');
SELECT pg_temp.must('rating', yc.rating_record(:s_c2, :'case_notice', :t2, 2));
SELECT pg_temp.must('finish', yc.queue_finish(:s_c2, true));

-- clerk1: the next citizen wants a 参保凭证, finished at once, rates it 5
SELECT set_config('yc.test_now', '2026-11-16 09:20+08', false);
SELECT result AS r, (tk).ticket_id AS t3 FROM yc.queue_call_next(:s_c1) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_c1)));
SELECT result AS r, case_no AS case_cert FROM yc.case_intake(:s_c1, NULL, '002036003001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036003001'), '360981198503150023', 'window',
    NULL, NULL, ARRAY['id_no', 'insurance'], ARRAY['360981198503150023', 'employee'],
    :t3, ARRAY['credential'], NULL, 'immediate', NULL) \gset
SELECT pg_temp.must('immediate', :'r');
SELECT pg_temp.must('rating', yc.rating_record(:s_c1, :'case_cert', :t3, 5));
SELECT pg_temp.must('finish', yc.queue_finish(:s_c1, true));

-- clerk2: 门诊费用报销 with the 慢性病证 deferred (容缺受理)
SELECT set_config('yc.test_now', '2026-11-16 09:31+08', false);
SELECT result AS r, (tk).ticket_id AS t4 FROM yc.queue_call_next(:s_c2) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_c2)));
SELECT pg_temp.must('register', yc.person_register(:s_c2, '360981197001010034', '黄国平', '13879501234'));
SELECT result AS r, case_no AS case_defer FROM yc.case_intake(:s_c2, NULL, '002036006001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036006001'), '360981197001010034', 'window',
    NULL, NULL, ARRAY['id_no', 'phone', 'amount', 'visit_date', 'bank_card', 'reason'],
    ARRAY['360981197001010034', '13879501234', '2,045.10', '2026-10-28', '6228480123456789012', 'offsite'],
    :t4, ARRAY['credential', 'invoice', 'bill'], ARRAY['chronic_cert'], 'defer', NULL) \gset
SELECT pg_temp.must('defer', :'r');
SELECT pg_temp.must('finish', yc.queue_finish(:s_c2, true));

-- clerk1: a no-show, then a unit's 缴费基数申报 refused (不予受理)
SELECT set_config('yc.test_now', '2026-11-16 09:40+08', false);
SELECT result AS r FROM yc.queue_call_next(:s_c1) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('no-show', yc.queue_finish(:s_c1, false));
SELECT result AS r, (tk).ticket_id AS t5 FROM yc.queue_call_next(:s_c1) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_c1)));
SELECT result AS r, case_no AS case_reject FROM yc.case_intake(:s_c1, NULL, '002036012001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036012001'), '360981198503150023', 'window',
    NULL, NULL, ARRAY['unit_name', 'year'], ARRAY['丰城市示例机械制造有限公司', '2026'],
    :t5, ARRAY['agent_id'], NULL, 'reject', '申报年度的缴费基数申报期已结束') \gset
SELECT pg_temp.must('reject', :'r');
SELECT pg_temp.must('finish', yc.queue_finish(:s_c1, true));
-- one ticket is held, one still waits (until Wednesday)
SELECT result AS r FROM yc.queue_call_next(:s_c2) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('hold', yc.queue_hold(:s_c2));
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', NULL, NULL, NULL, 'kiosk-1')));
-- clerk1 keeps an unfinished intake as a draft and pauses the window
SELECT pg_temp.must('draft', yc.draft_save(:s_c1, '{"type":"002036006001","id_no":"360981199207080045","seen":["credential"]}'));
SELECT pg_temp.must('pause', yc.queue_pause(:s_c1, '午休'));
SELECT yc.screen_lock(:s_c1);

-- the township: its own tickets and a case with stages at 初审
SELECT set_config('yc.test_now', '2026-11-16 10:00+08', false);
SELECT session_id AS s_town FROM yc.login('town1', 'Demo-1234', 1, 'mkround1') \gset
SELECT pg_temp.must('town A', (SELECT result FROM yc.queue_issue('360981001', 'normal', NULL, NULL, NULL, 'kiosk-t')));
SELECT pg_temp.must('town A', (SELECT result FROM yc.queue_issue('360981001', 'normal', NULL, NULL, NULL, 'kiosk-t')));
SELECT result AS r, (tk).ticket_id AS t6 FROM yc.queue_call_next(:s_town) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_town)));
SELECT pg_temp.must('register', yc.person_register(:s_town, '360981196505050019', '罗水生', '13979500001'));
SELECT result AS r, case_no AS case_town FROM yc.case_intake(:s_town, NULL, '002036006001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036006001'), '360981196505050019', 'window',
    NULL, NULL, ARRAY['id_no', 'phone', 'amount', 'visit_date', 'bank_card', 'reason'],
    ARRAY['360981196505050019', '13979500001', '812.00', '2026-11-03', '6217009876543210987', 'system'],
    :t6, ARRAY['credential', 'invoice', 'bill', 'chronic_cert'], NULL, 'accept', NULL) \gset
SELECT pg_temp.must('accept', :'r');
SELECT pg_temp.must('rating', yc.rating_record(:s_town, :'case_town', :t6, 1));
SELECT pg_temp.must('finish', yc.queue_finish(:s_town, true));
-- the next citizen at the township lacks materials: a 一次性告知书 of the
-- township, continued at the city on Wednesday (全市通办)
SELECT result AS r, (tk).ticket_id AS t7 FROM yc.queue_call_next(:s_town) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_town)));
SELECT result AS r, case_no AS case_tongban FROM yc.case_intake(:s_town, NULL, '002036007001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036007001'), '360981198503150023', 'window',
    NULL, NULL, ARRAY['id_no', 'phone', 'amount', 'exam_date', 'hospital'],
    ARRAY['360981198503150023', '13907950123', '460.00', '2026-11-09', '丰城市妇幼保健院'],
    :t7, ARRAY['credential', 'invoice'], NULL, 'supplement', NULL) \gset
SELECT pg_temp.must('supplement', :'r');
SELECT pg_temp.must('finish', yc.queue_finish(:s_town, true));

-- the village: 帮办代办 of a 门诊费用报销, forwarded to its township
SELECT session_id AS s_vil FROM yc.login('village1', 'Demo-1234', 1, 'mkround1') \gset
SELECT result AS r, case_no AS case_village FROM yc.case_intake(:s_vil, NULL, '002036006001',
    (SELECT max(version) FROM yc.case_type WHERE code = '002036006001'), '360981199207080045', 'proxy',
    NULL, NULL, ARRAY['id_no', 'phone', 'amount', 'visit_date', 'bank_card', 'reason'],
    ARRAY['360981199207080045', '13979512345', '95.50', '2026-11-10', '6217001111222233334', 'other'],
    NULL, ARRAY['credential', 'invoice', 'bill', 'chronic_cert'], NULL, 'accept', NULL) \gset
SELECT pg_temp.must('accept', :'r');

-- Tuesday: 初审 of the township's two cases by the township, of the city's
-- by the city's reviewer
SELECT set_config('yc.test_now', '2026-11-17 09:30+08', false);
SELECT session_id AS s_rev FROM yc.login('review1', 'Demo-1234', NULL, 'mkround1') \gset
SELECT pg_temp.must('初审', yc.stage_complete(:s_rev, :'case_birth', '材料齐全', 1));
SELECT pg_temp.must('初审', yc.stage_complete(:s_town, :'case_town', '材料齐全', 1));
SELECT pg_temp.must('初审', yc.stage_complete(:s_town, :'case_village', '初审通过', 1));
-- the deferred 慢性病证 arrives
SELECT pg_temp.must('supply', yc.case_supply(:s_c2, :'case_defer', 'chronic_cert'));
-- the supervisor follows up the 差评; clerk2 leaves a handover note at window 2
SELECT pg_temp.must('follow-up', yc.rating_follow_up(:s_sup, '360981',
    (SELECT rating_id FROM yc.rating WHERE case_no = :'case_cert'), '已电话回访，系等候时间较长'));
SELECT pg_temp.must('handover', yc.handover_write(:s_c2, '2号窗口打印机缺纸，已报修'));
SELECT yc.logout(:s_c2, 'user');

-- Wednesday: the city's 复核; 张丽 brings the rest of the township's notice
-- to the city hall (全市通办)
SELECT set_config('yc.test_now', '2026-11-18 10:00+08', false);
SELECT pg_temp.must('复核', yc.stage_complete(:s_rev, :'case_birth', '复核通过', 2));
SELECT set_config('yc.test_now', '2026-11-18 14:10+08', false);
SELECT pg_temp.must('kiosk A', (SELECT result FROM yc.queue_issue('360981', 'normal', '360981198503150023', NULL, NULL, 'kiosk-1')));
SELECT pg_temp.must('unlock', (SELECT result FROM yc.screen_unlock(:s_c1, 'Demo-1234')));
SELECT pg_temp.must('resume', yc.queue_resume(:s_c1));
SELECT result AS r, (tk).ticket_id AS t8 FROM yc.queue_call_next(:s_c1) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('start', (SELECT result FROM yc.queue_start(:s_c1)));
SELECT result AS r FROM yc.case_intake(:s_c1, :'case_tongban', NULL, NULL, NULL, 'window',
    NULL, NULL, NULL, NULL,
    :t8, ARRAY['bill', 'diagnosis', 'application'], NULL, 'accept', NULL) \gset
SELECT pg_temp.must('补正', :'r');
SELECT pg_temp.must('finish', yc.queue_finish(:s_c1, true));
SELECT yc.screen_lock(:s_c1);

-- Thursday: 拨付 and 办结 of the city's case; the city's 复核 sends the
-- village's case back to the citizen for 补正
SELECT set_config('yc.test_now', '2026-11-19 15:00+08', false);
SELECT pg_temp.must('拨付', yc.stage_complete(:s_rev, :'case_birth', '已拨付', 3));
SELECT pg_temp.must('办结', yc.stage_finish(:s_rev, :'case_birth', '准予支付 1,280.00 元', NULL));
SELECT result AS r FROM yc.stage_return(:s_rev, :'case_village', true, '费用清单缺医院盖章', 2) \gset
SELECT pg_temp.must('return', :'r');
-- the township's queue at the end: one ticket held, one waiting (the
-- city's Monday tickets left over were cancelled by Wednesday's first)
SELECT pg_temp.must('town A', (SELECT result FROM yc.queue_issue('360981001', 'normal', NULL, NULL, NULL, 'kiosk-t')));
SELECT pg_temp.must('town A', (SELECT result FROM yc.queue_issue('360981001', 'normal', '360981196505050019', NULL, NULL, 'kiosk-t')));
SELECT result AS r FROM yc.queue_call_next(:s_town) \gset
SELECT pg_temp.must('call', :'r');
SELECT pg_temp.must('hold', yc.queue_hold(:s_town));

SELECT yc.logout(:s_rev, 'user');
SELECT yc.logout(:s_vil, 'user');
SELECT yc.logout(:s_guide, 'user');
-- clerk1 (screen locked, a draft kept), town1 and super1 stay signed in
