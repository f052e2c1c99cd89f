#!/bin/sh
# `yichuang report daily` against a hand-computed fixture: one office of its
# own (360981095, created here and removed at the end), one day
# (2024-03-05, Asia/Shanghai), tickets, sessions, ratings, cases and
# notices written as superuser with known times; every figure of the text
# and CSV reports compared with the values worked out below (the tickets
# issued outside the regular weekday hours, 延时服务, included). Also: the CSV
# starts with the UTF-8 BOM, the GB18030 CSV decodes back to the same
# records, and bad requests are refused with the right status. TAP output.
# Usage: tests/report.sh BUILD   (the database: the private cluster of
# $YICHUANG_VAR, as tests/run.sh sets it up)
set -u
export LC_ALL=C.UTF-8
Y="$(pwd)/$1/yichuang"
ADMIN="host=${YICHUANG_VAR:-$(pwd)/var}/run dbname=yichuang user=postgres"
T=$(mktemp -d /tmp/yc-report.XXXXXX)
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
O=360981095
forget() {
	sql "DELETE FROM yc.rating WHERE office_code = '$O';
	     DELETE FROM yc.notice WHERE office_code = '$O';
	     DELETE FROM yc.service_case WHERE office_code = '$O';
	     DELETE FROM yc.appointment WHERE office_code = '$O';
	     DELETE FROM yc.ticket WHERE office_code = '$O';
	     DELETE FROM yc.staff_session WHERE office_code = '$O';
	     DELETE FROM yc.staff WHERE office_code = '$O';
	     DELETE FROM yc.service_window WHERE office_code = '$O';
	     DELETE FROM yc.office WHERE code = '$O';" >/dev/null
}
# The prefecture 3699 with a county of two townships and a second county
# of one township, for the per-office reports (below).
C=369901
C2=369902
forget_tree() {
	sql "DELETE FROM yc.rating WHERE office_code LIKE '3699%';
	     DELETE FROM yc.service_case WHERE office_code LIKE '3699%';
	     DELETE FROM yc.ticket WHERE office_code LIKE '3699%';
	     DELETE FROM yc.staff WHERE office_code LIKE '3699%';
	     DELETE FROM yc.service_window WHERE office_code LIKE '3699%';
	     DELETE FROM yc.office WHERE code LIKE '3699%' AND tier = 'township';
	     DELETE FROM yc.office WHERE code LIKE '3699%' AND tier = 'county';
	     DELETE FROM yc.office WHERE code = '3699';" >/dev/null
}
trap 'forget; forget_tree; rm -rf "$T"' EXIT
forget
forget_tree

# The fixture. Times are Asia/Shanghai (+08).
#
# Sessions: rpt_a (张三) at window 1 08:30-12:00; rpt_b (李四) at window 1
# from 13:30 (still signed in) and at window 2 08:30-12:00; rpt_c (王五)
# only rated.
# Tickets of the day (wait = called - issued, or started - issued without a
# call; service = finished - started; served ones only):
#   A001 w1 served  09:00 09:05:00 09:06 09:16:00  rpt_a  wait 300 service 600
#   A002 w1 served  09:10 09:20:00 09:21 09:26:30  rpt_a  wait 600 service 330
#   A003 w1 no-show 09:15 09:30:00  -    09:33:00  rpt_a
#   A004 w2 served  09:00 09:01:40 09:02 09:22:00  rpt_b  wait 100 service 1200
#   G001 w1 served  14:00   -      14:02 14:12:00  rpt_b  wait 120 service 600
#   A005 w2 served  12:10 12:15:00 12:16 12:30:00  nobody signed in at w2: unidentified,
#                                                  wait 300 service 840
#   A006 cancelled, A007 waiting, A008 cancelled, A009 waiting, and a ticket of
#   2024-03-04 served at w1: not counted
# rpt_a  served 2, no-show 1, wait 450 (7分30秒), service 465 (7分45秒)
# rpt_b  served 2, no-show 0, wait 110 (1分50秒), service 900 (15分00秒)
# unidentified served 1, wait 300 (5分00秒), service 840 (14分00秒)
# total  served 5, no-show 1, wait 1420/5 = 284 (4分44秒), service 3570/5 = 714 (11分54秒)
# Tickets issued (every class and outcome; 2024-03-05 is a Tuesday, a working
# day): A001-A009 and G001, 10; outside the regular weekday hours
# (08:30-12:00, 14:30-17:30; 延时服务): G001 14:00, A005 12:10, A006 12:20 (at
# noon), A008 08:10 (early), A009 17:40 (late): 5, of which 3 at noon, none on
# a day off. One more ticket on Saturday 2024-03-09 10:00: that day 1, 1, 0, 1.
# Ratings: rpt_a 1, 1, 2; rpt_b 5, 3, and 4 at 00:10 (still the day); rpt_c 2;
# not the day: rpt_a 4 on 03-04 23:50, rpt_b 2 on 03-06 00:05.
# rpt_a 2 1 0 0 0; rpt_b 0 0 1 1 1; rpt_c 0 1 0 0 0; total 2 2 1 1 1.
#
# Cases, P = 002036007002 生育医疗费支付, Q = 002036003001 出具《参保凭证》:
#   C01 P accepted 03-05 10:00, promised 04-02                  accepted
#   C02 Q accepted and finished 03-05 10:30                     accepted, 即时办结, finished
#   C03 P accepted 02-01, promised 03-01, in progress           overdue (open)
#   C04 P accepted 02-01, promised 03-04, finished 03-05 15:00  finished, overdue (late)
#   C05 P accepted 02-20, promised 03-05, finished 03-05 16:00  finished (on the day promised)
#   C06 P accepted 02-01, promised 02-20, finished 03-04        nothing (finished before)
#   C07 P pending_supplement, 一次性告知书 03-05 11:00           supplement
#   C08 P 容缺 accepted 03-05 11:30, 容缺受理通知书 and 承诺书     accepted, deferred
#   C09 P refused 03-05, 不予受理通知书                            nothing
#   C10 P accepted 03-04 23:30                                  nothing (the day before)
#   C11 P accepted 03-05 00:15, promised 04-02                  accepted
#   C12 P accepted 02-01, promised 03-04, finished 03-06 09:00  overdue (open at the end of the day)
#   C13 P accepted 02-01, promised 03-01, withdrawn 03-05 14:00  withdrawn (not overdue: closed)
#   C14 P 容缺 accepted 02-01, ended 03-05 15:30                  terminated
#   C15 P pending_supplement, withdrawn 03-04 16:00             nothing (the day before)
# P: accepted 3, 即办 0, finished 2, overdue 3, 告知 1, 容缺 1, 撤回 1, 终止 1
# Q: accepted 1, 即办 1, finished 1, overdue 0, 告知 0, 容缺 0, 撤回 0, 终止 0
# total 4 1 3 3 1 1 1 1
H='$2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234'
P=002036007002
Q=002036003001
ID=360981199003070021
out=$(sql "
INSERT INTO yc.office (code, name, tier, parent_code, region_code)
VALUES ('$O', '报表测试街道医保所', 'township', '360981', '360981');
INSERT INTO yc.service_window (office_code, window_no, label) VALUES ('$O', 1, '1号窗口'), ('$O', 2, '2号窗口');
INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES
    ('rpt_a', '张三', 'clerk', '$O', '$H'), ('rpt_b', '李四', 'clerk', '$O', '$H'),
    ('rpt_c', '王五', 'clerk', '$O', '$H');
INSERT INTO yc.person (id_no, name) VALUES ('$ID', '张丽') ON CONFLICT DO NOTHING;
INSERT INTO yc.staff_session (office_code, staff_no, window_no, started_at, ended_at, end_reason) VALUES
    ('$O', 'rpt_a', 1, '2024-03-05 08:30+08', '2024-03-05 12:00+08', 'logout'),
    ('$O', 'rpt_b', 2, '2024-03-05 08:30+08', '2024-03-05 12:00+08', 'logout'),
    ('$O', 'rpt_b', 1, '2024-03-05 13:30+08', NULL, NULL),
    ('$O', 'rpt_a', 1, '2024-03-04 08:30+08', '2024-03-04 17:00+08', 'logout');
INSERT INTO yc.ticket (office_code, day, class, seq, number, status, window_no,
    issued_at, called_at, started_at, finished_at) VALUES
    ('$O', '2024-03-05', 'normal', 1, 'A001', 'served', 1, '2024-03-05 09:00+08', '2024-03-05 09:05:00+08', '2024-03-05 09:06+08', '2024-03-05 09:16:00+08'),
    ('$O', '2024-03-05', 'normal', 2, 'A002', 'served', 1, '2024-03-05 09:10+08', '2024-03-05 09:20:00+08', '2024-03-05 09:21+08', '2024-03-05 09:26:30+08'),
    ('$O', '2024-03-05', 'normal', 3, 'A003', 'no_show', 1, '2024-03-05 09:15+08', '2024-03-05 09:30:00+08', NULL, '2024-03-05 09:33:00+08'),
    ('$O', '2024-03-05', 'normal', 4, 'A004', 'served', 2, '2024-03-05 09:00+08', '2024-03-05 09:01:40+08', '2024-03-05 09:02+08', '2024-03-05 09:22:00+08'),
    ('$O', '2024-03-05', 'green', 1, 'G001', 'served', 1, '2024-03-05 14:00+08', NULL, '2024-03-05 14:02+08', '2024-03-05 14:12:00+08'),
    ('$O', '2024-03-05', 'normal', 5, 'A005', 'served', 2, '2024-03-05 12:10+08', '2024-03-05 12:15:00+08', '2024-03-05 12:16+08', '2024-03-05 12:30:00+08'),
    ('$O', '2024-03-05', 'normal', 6, 'A006', 'cancelled', NULL, '2024-03-05 12:20+08', NULL, NULL, '2024-03-05 17:00+08'),
    ('$O', '2024-03-05', 'normal', 7, 'A007', 'waiting', NULL, '2024-03-05 16:59+08', NULL, NULL, NULL),
    ('$O', '2024-03-05', 'normal', 8, 'A008', 'cancelled', NULL, '2024-03-05 08:10+08', NULL, NULL, '2024-03-05 17:00+08'),
    ('$O', '2024-03-05', 'normal', 9, 'A009', 'waiting', NULL, '2024-03-05 17:40+08', NULL, NULL, NULL),
    ('$O', '2024-03-09', 'normal', 1, 'A001', 'waiting', NULL, '2024-03-09 10:00+08', NULL, NULL, NULL),
    ('$O', '2024-03-04', 'normal', 1, 'A001', 'served', 1, '2024-03-04 09:00+08', '2024-03-04 09:01+08', '2024-03-04 09:02+08', '2024-03-04 09:03+08');
INSERT INTO yc.rating (office_code, staff_no, window_no, grade, rated_at) VALUES
    ('$O', 'rpt_a', 1, 1, '2024-03-05 09:16+08'), ('$O', 'rpt_a', 1, 1, '2024-03-05 09:27+08'),
    ('$O', 'rpt_a', 1, 2, '2024-03-05 11:00+08'), ('$O', 'rpt_b', 2, 5, '2024-03-05 09:23+08'),
    ('$O', 'rpt_b', 1, 3, '2024-03-05 14:13+08'), ('$O', 'rpt_b', 1, 4, '2024-03-05 00:10+08'),
    ('$O', 'rpt_c', 1, 2, '2024-03-05 10:00+08'),
    ('$O', 'rpt_a', 1, 4, '2024-03-04 23:50+08'), ('$O', 'rpt_b', 1, 2, '2024-03-06 00:05+08');
INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no, status,
    first_staff_no, accepted_at, promised_date, finished_at, reason) VALUES
    ('$O', '${O}202403050001', '$P', 1, '$ID', 'accepted', 'rpt_a', '2024-03-05 10:00+08', '2024-04-02', NULL, NULL),
    ('$O', '${O}202403050002', '$Q', 1, '$ID', 'finished', 'rpt_a', '2024-03-05 10:30+08', NULL, '2024-03-05 10:30+08', NULL),
    ('$O', '${O}202402010003', '$P', 1, '$ID', 'in_progress', 'rpt_a', '2024-02-01 10:00+08', '2024-03-01', NULL, NULL),
    ('$O', '${O}202402010004', '$P', 1, '$ID', 'finished', 'rpt_a', '2024-02-01 10:00+08', '2024-03-04', '2024-03-05 15:00+08', NULL),
    ('$O', '${O}202402200005', '$P', 1, '$ID', 'finished', 'rpt_b', '2024-02-20 10:00+08', '2024-03-05', '2024-03-05 16:00+08', NULL),
    ('$O', '${O}202402010006', '$P', 1, '$ID', 'finished', 'rpt_b', '2024-02-01 10:00+08', '2024-02-20', '2024-03-04 16:00+08', NULL),
    ('$O', '${O}202403050007', '$P', 1, '$ID', 'pending_supplement', 'rpt_b', NULL, NULL, NULL, NULL),
    ('$O', '${O}202403050008', '$P', 1, '$ID', 'accepted', 'rpt_b', '2024-03-05 11:30+08', '2024-04-02', NULL, NULL),
    ('$O', '${O}202403050009', '$P', 1, '$ID', 'rejected', 'rpt_b', NULL, NULL, NULL, '不属于受理范围'),
    ('$O', '${O}202403040010', '$P', 1, '$ID', 'accepted', 'rpt_b', '2024-03-04 23:30+08', '2024-04-01', NULL, NULL),
    ('$O', '${O}202403050011', '$P', 1, '$ID', 'accepted', 'rpt_a', '2024-03-05 00:15+08', '2024-04-02', NULL, NULL),
    ('$O', '${O}202402010012', '$P', 1, '$ID', 'finished', 'rpt_a', '2024-02-01 10:00+08', '2024-03-04', '2024-03-06 09:00+08', NULL);
INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no, status,
    first_staff_no, accepted_at, promised_date, closed_as, closed_at, closed_reason) VALUES
    ('$O', '${O}202402010013', '$P', 1, '$ID', 'cancelled', 'rpt_a', '2024-02-01 10:00+08', '2024-03-01', 'withdrawn', '2024-03-05 14:00+08', '申请人主动申请撤回'),
    ('$O', '${O}202402010014', '$P', 1, '$ID', 'cancelled', 'rpt_b', '2024-02-01 10:30+08', '2024-03-14', 'terminated', '2024-03-05 15:30+08', '申请人未在承诺期限内补交容缺材料'),
    ('$O', '${O}202403010015', '$P', 1, '$ID', 'cancelled', 'rpt_b', NULL, NULL, 'withdrawn', '2024-03-04 16:00+08', '申请人主动申请撤回');
INSERT INTO yc.notice (office_code, notice_no, case_no, kind, issued_at, staff_no) VALUES
    ('$O', 'N${O}202403050001', '${O}202403050007', 'supplement', '2024-03-05 11:00+08', 'rpt_b'),
    ('$O', 'N${O}202403050002', '${O}202403050008', 'deferred', '2024-03-05 11:30+08', 'rpt_b'),
    ('$O', 'N${O}202403050003', '${O}202403050008', 'commitment', '2024-03-05 11:30+08', 'rpt_b'),
    ('$O', 'N${O}202403050004', '${O}202403050009', 'rejection', '2024-03-05 11:40+08', 'rpt_b'),
    ('$O', 'N${O}202403050005', '${O}202403050002', 'receipt', '2024-03-05 10:30+08', 'rpt_a');
INSERT INTO yc.appointment (office_code, code, slot_start, slot_end, id_no, status, closed_at,
                            channel, booked_by, case_type_code) VALUES
    ('$O', 'RA1', '2024-03-05 09:00+08', '2024-03-05 09:30+08', NULL, 'booked', NULL, 'web', NULL, NULL),
    ('$O', 'RA2', '2024-03-05 10:00+08', '2024-03-05 10:30+08', '$ID', 'missed', '2024-03-05 10:30+08', 'phone', 'rpt_a', '002036003001'),
    ('$O', 'RA3', '2024-03-05 14:30+08', '2024-03-05 15:00+08', NULL, 'cancelled', '2024-03-04 16:00+08', 'web', NULL, NULL),
    ('$O', 'RA4', '2024-03-06 09:00+08', '2024-03-06 09:30+08', NULL, 'booked', NULL, 'web', NULL, NULL);
")
check "the fixture loads" '[ -z "$out" ] || { echo "$out" | sed "s/^/# /"; false; }'

# Text, in Chinese (the default), to standard output.
LANG=C.UTF-8 "$Y" report daily --office $O --date 2024-03-05 >"$T/text" 2>"$T/err"
rc=$?
check "the text report is written" '[ $rc -eq 0 ] && [ ! -s "$T/err" ]'
cat >"$T/expected" <<'EOF'
报表测试街道医保所（360981095）业务日报　2024-03-05

一、窗口服务（按柜员）
柜员       服务人次 过号 平均等候 平均办理 1 2 3 4 5
张三 rpt_a        2    1  7分30秒  7分45秒 2 1 0 0 0
李四 rpt_b        2    0  1分50秒 15分00秒 0 0 1 1 1
王五 rpt_c        0    0        -        - 0 1 0 0 0
（未识别）        1    0  5分00秒 14分00秒 0 0 0 0 0
合计              5    1  4分44秒 11分54秒 2 2 1 1 1
好差评：1 非常满意，2 满意，3 基本满意，4 不满意，5 非常不满意

二、事项办理（按事项）
事项             受理 即时办结 办结 超期 一次告知 容缺 撤回 终止
出具《参保凭证》    1        1    1    0        0    0    0    0
生育医疗费支付      3        0    2    3        1    1    1    1
合计                4        1    3    3        1    1    1    1

三、取号与延时服务
取号 10 张，其中工作日常规办公时间以外（延时服务）5 张
其中午间 3 张，双休日和节假日 0 张

四、预约
预约 2 人：签到 0，爽约 2；取消 1；其中电话预约 1
EOF
check "every figure of the text report is the hand-computed one" \
	'diff -u "$T/expected" "$T/text" | sed "s/^/# /"; cmp -s "$T/expected" "$T/text"'
check "no line is wider than 80 columns" \
	'[ "$(LC_ALL=C.UTF-8 wc -L <"$T/text")" -le 80 ]'

# CSV, UTF-8 with a BOM, to a file (replaced, not appended to).
echo old >"$T/r.csv"
"$Y" report daily --office $O --date 2024-03-05 --format csv --to "file:$T/r.csv" >/dev/null 2>&1
rc=$?
check "the CSV goes to the file" '[ $rc -eq 0 ] && [ -s "$T/r.csv" ] && ! grep -q "^old" "$T/r.csv"'
check "it starts with the UTF-8 byte-order mark, once" \
	'[ "$(head -c 3 "$T/r.csv" | od -An -tx1 | tr -d " ")" = efbbbf ] && [ "$(grep -c "$(printf "\357\273\277")" "$T/r.csv")" -eq 1 ]'
printf '\357\273\277业务日报,360981095,报表测试街道医保所,2024-03-05\r
\r
窗口服务（按柜员）\r
工号,柜员,服务人次,过号,平均等候（秒）,平均办理（秒）,非常满意,满意,基本满意,不满意,非常不满意\r
rpt_a,张三,2,1,450,465,2,1,0,0,0\r
rpt_b,李四,2,0,110,900,0,0,1,1,1\r
rpt_c,王五,0,0,,,0,1,0,0,0\r
,（未识别）,1,0,300,840,0,0,0,0,0\r
,合计,5,1,284,714,2,2,1,1,1\r
\r
事项办理（按事项）\r
事项编码,事项,受理,即时办结,办结,超期,一次告知,容缺,撤回,终止\r
002036003001,出具《参保凭证》,1,1,1,0,0,0,0,0\r
002036007002,生育医疗费支付,3,0,2,3,1,1,1,1\r
,合计,4,1,3,3,1,1,1,1\r
\r
取号与延时服务\r
取号,延时服务,其中午间,其中双休日和节假日\r
10,5,3,0\r
\r
预约,签到,爽约,取消,电话预约\r
2,0,2,1,1\r
' >"$T/expected.csv"
check "every CSV record is the hand-computed one, lines ending CRLF" \
	'cmp -s "$T/expected.csv" "$T/r.csv" || { diff -u "$T/expected.csv" "$T/r.csv" | sed "s/^/# /"; false; }'

"$Y" report daily --office $O --date 2024-03-05 --format csv --encoding gb18030 --to - >"$T/gb.csv" 2>/dev/null
rc=$?
tail -c +4 "$T/expected.csv" >"$T/expected-nobom.csv"
check "the GB18030 CSV has no BOM and decodes back to the same records" \
	'[ $rc -eq 0 ] && ! cmp -s "$T/gb.csv" "$T/expected-nobom.csv" && iconv -f GB18030 -t UTF-8 "$T/gb.csv" | cmp -s - "$T/expected-nobom.csv"'

# A field with a comma or a quote is quoted (RFC 4180).
sql "UPDATE yc.staff SET name = '王\"五, 二' WHERE staff_no = 'rpt_c'" >/dev/null
"$Y" report daily --office $O --date 2024-03-05 --format csv >"$T/q.csv" 2>/dev/null
check "a name with a comma and a quote is quoted, the quote doubled" 'grep -q "^rpt_c,\"王\"\"五, 二\",0,0,,,0,1,0,0,0" "$T/q.csv"'

# A day without anything: zeros, no error.
"$Y" report daily --office $O --date 2024-03-10 >"$T/empty" 2>&1
rc=$?
check "a day without activity reports zeros" '[ $rc -eq 0 ] && grep -q "^合计 *0 *0 *- *- 0 0 0 0 0$" "$T/empty"'

# 延时服务 on a Saturday: every ticket.
"$Y" report daily --office $O --date 2024-03-09 >"$T/sat" 2>&1
check "on a Saturday every ticket is 延时服务" \
	'grep -q "^取号 1 张，其中工作日常规办公时间以外（延时服务）1 张$" "$T/sat" && grep -q "^其中午间 0 张，双休日和节假日 1 张$" "$T/sat"'

# Refusals.
"$Y" report daily --office $O --date 2024-02-30 >/dev/null 2>"$T/err"
rc=$?
check "an impossible date is refused as a usage error, in Chinese" '[ $rc -eq 2 ] && grep -q "日期无效：2024-02-30" "$T/err"'
"$Y" report daily --office 360981098 --date 2024-03-05 >/dev/null 2>"$T/err"
rc=$?
check "an unknown office is refused" '[ $rc -eq 1 ] && grep -q "未知机构：360981098\|未知机构: 360981098" "$T/err"'
"$Y" report daily --office $O --date 2024-03-05 --colour >/dev/null 2>"$T/err"
rc=$?
check "an unknown option is refused with the usage" '[ $rc -eq 2 ] && grep -q "用法：yichuang report daily" "$T/err" && grep -q "monthly" "$T/err"'
"$Y" report daily --office $O --date 2024-03-05 --format xlsx >/dev/null 2>"$T/err"
rc=$?
check "an unknown format is refused" '[ $rc -eq 2 ] && grep -q "xlsx" "$T/err"'
"$Y" report daily --office $O --date 2024-03-05 --encoding big5 >/dev/null 2>"$T/err"
rc=$?
check "an unknown encoding is refused" '[ $rc -eq 2 ] && grep -q "big5" "$T/err"'
"$Y" report weekly --office $O --date 2024-03-05 >/dev/null 2>"$T/err"
rc=$?
check "an unknown report (weekly) is refused" '[ $rc -eq 2 ]'
"$Y" report daily --office $O --date 2024-03-05 --to "file:$T/no/such/dir/r.txt" >/dev/null 2>"$T/err"
rc=$?
check "a file that cannot be written is a failure with the reason" '[ $rc -eq 1 ] && grep -q "无法写入" "$T/err"'

# English.
"$Y" --lang en report daily --office $O --date 2024-03-05 >"$T/en" 2>&1
check "in English the report still fits 80 columns" \
	'grep -q "^Total" "$T/en" && [ "$(LC_ALL=C.UTF-8 wc -L <"$T/en")" -le 80 ]'

# Per-clerk performance is for administrators: the shared application role
# (every window) may not run the report functions.
check "the report functions are refused to the application role" \
	'[ "$(sql "SELECT has_function_privilege('"'"'yichuang_app'"'"', '"'"'yc.report_daily_staff(text, date)'"'"', '"'"'EXECUTE'"'"') OR has_function_privilege('"'"'yichuang_app'"'"', '"'"'yc.report_daily_types(text, date)'"'"', '"'"'EXECUTE'"'"')")" = f ]'

# Per office: a city 369901 (报表测试市医保中心) with two townships,
# 369901001 甲镇 and 369901002 乙镇, on 2024-03-05 and 2024-03-20 (waits:
# called - issued of served tickets; cases of the office that accepted
# them; ratings 1-2 good, 4-5 bad):
#   city  03-05 ticket served, wait 120
#   甲镇  03-05 served wait 60, served wait 180, a no-show; 03-20 served wait 300
#         case accepted 03-05, promised 03-19, finished 03-20 (late)
#         case accepted 03-20, promised 03-25, finished 03-20 (in time)
#         ratings 03-05: 1, 2, 4; 03-20: 3
#   乙镇  03-20 served wait 240
#         case accepted 02-10, promised 03-05, finished 03-05 16:00 (in time)
#         ratings 03-20: 5, 1; 04-01: 1 (not March)
# Columns: issued served no-show wait | accepted finished in-time | rated good bad
# Daily 03-05:  city 1 1 0 120 | 0 0 0 | 0 0 0
#               甲   3 2 1 120 | 1 0 0 | 3 2 1   (66.7% good, 33.3% bad)
#               乙   0 0 0  -  | 0 1 1 | 0 0 0   (100.0% in time)
#               total 4 3 1 120 | 1 1 1 | 3 2 1
# March:        city 1 1 0 120 | 0 0 0 | 0 0 0
#               甲   4 3 1 180 | 2 2 1 | 4 2 1   (50.0% in time, 50.0% good, 25.0% bad)
#               乙   1 1 0 240 | 0 1 1 | 2 1 1   (100.0%, 50.0%, 50.0%)
#               total 6 5 1 180 | 2 3 2 | 6 3 2  (66.7%, 50.0%, 33.3%)
out=$(sql "
INSERT INTO yc.office (code, name, tier, parent_code, region_code) VALUES
    ('3699', '报表测试设区市医保中心', 'prefecture', '36', '369900'),
    ('$C', '报表测试市医保中心', 'county', '3699', '$C'),
    ('${C}001', '甲镇医保所', 'township', '$C', '$C'),
    ('${C}002', '乙镇医保所', 'township', '$C', '$C'),
    ('$C2', '报表测试二县医保中心', 'county', '3699', '$C2'),
    ('${C2}001', '丙镇医保所', 'township', '$C2', '$C2');
INSERT INTO yc.service_window (office_code, window_no, label) VALUES
    ('$C', 1, '1号窗口'), ('${C}001', 1, '1号窗口'), ('${C}002', 1, '1号窗口'),
    ('$C2', 1, '1号窗口'), ('${C2}001', 1, '1号窗口');
INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES
    ('rpt_j', '赵甲', 'clerk', '${C}001', '$H'), ('rpt_y', '钱乙', 'clerk', '${C}002', '$H'),
    ('rpt_d', '孙丙', 'clerk', '$C2', '$H');
INSERT INTO yc.ticket (office_code, day, class, seq, number, status, window_no,
    issued_at, called_at, started_at, finished_at) VALUES
    ('$C', '2024-03-05', 'normal', 1, 'A001', 'served', 1, '2024-03-05 09:00+08', '2024-03-05 09:02+08', '2024-03-05 09:03+08', '2024-03-05 09:10+08'),
    ('${C}001', '2024-03-05', 'normal', 1, 'A001', 'served', 1, '2024-03-05 09:00+08', '2024-03-05 09:01+08', '2024-03-05 09:02+08', '2024-03-05 09:10+08'),
    ('${C}001', '2024-03-05', 'normal', 2, 'A002', 'served', 1, '2024-03-05 09:05+08', '2024-03-05 09:08+08', '2024-03-05 09:11+08', '2024-03-05 09:20+08'),
    ('${C}001', '2024-03-05', 'normal', 3, 'A003', 'no_show', 1, '2024-03-05 09:06+08', '2024-03-05 09:21+08', NULL, '2024-03-05 09:24+08'),
    ('${C}001', '2024-03-20', 'normal', 1, 'A001', 'served', 1, '2024-03-20 09:00+08', '2024-03-20 09:05+08', '2024-03-20 09:06+08', '2024-03-20 09:10+08'),
    ('${C}002', '2024-03-20', 'normal', 1, 'A001', 'served', 1, '2024-03-20 10:00+08', '2024-03-20 10:04+08', '2024-03-20 10:05+08', '2024-03-20 10:10+08'),
    ('$C2', '2024-03-05', 'normal', 1, 'A001', 'served', 1, '2024-03-05 09:00+08', '2024-03-05 09:05+08', '2024-03-05 09:06+08', '2024-03-05 09:15+08'),
    ('${C2}001', '2024-03-05', 'normal', 1, 'A001', 'no_show', 1, '2024-03-05 09:00+08', '2024-03-05 09:10+08', NULL, '2024-03-05 09:13+08');
INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no, status,
    first_staff_no, accepted_at, promised_date, finished_at, reason) VALUES
    ('${C}001', '${C}001202403050001', '$P', 1, '$ID', 'finished', 'rpt_j', '2024-03-05 10:00+08', '2024-03-19', '2024-03-20 11:00+08', NULL),
    ('${C}001', '${C}001202403200002', '$P', 1, '$ID', 'finished', 'rpt_j', '2024-03-20 10:00+08', '2024-03-25', '2024-03-20 15:00+08', NULL),
    ('${C}002', '${C}002202402100001', '$P', 1, '$ID', 'finished', 'rpt_y', '2024-02-10 10:00+08', '2024-03-05', '2024-03-05 16:00+08', NULL),
    ('$C2', '${C2}202403010001', '$P', 1, '$ID', 'finished', 'rpt_d', '2024-03-01 10:00+08', '2024-03-04', '2024-03-05 11:00+08', NULL);
INSERT INTO yc.rating (office_code, staff_no, window_no, grade, rated_at) VALUES
    ('${C}001', 'rpt_j', 1, 1, '2024-03-05 09:11+08'), ('${C}001', 'rpt_j', 1, 2, '2024-03-05 09:21+08'),
    ('${C}001', 'rpt_j', 1, 4, '2024-03-05 09:30+08'), ('${C}001', 'rpt_j', 1, 3, '2024-03-20 09:11+08'),
    ('${C}002', 'rpt_y', 1, 5, '2024-03-20 10:11+08'), ('${C}002', 'rpt_y', 1, 1, '2024-03-20 10:12+08'),
    ('${C}002', 'rpt_y', 1, 1, '2024-04-01 10:12+08'),
    ('$C2', 'rpt_d', 1, 5, '2024-03-05 09:16+08');
")
check "the city fixture loads" '[ -z "$out" ] || { echo "$out" | sed "s/^/# /"; false; }'

"$Y" report daily --office $C --date 2024-03-05 --with-below --format csv --to "file:$T/below.csv" >/dev/null 2>"$T/err"
rc=$?
printf '\357\273\277报表测试市医保中心（369901）及下级机构业务日报　2024-03-05\r
\r
机构编码,机构,取号,服务人次,过号,平均等候（秒）,受理,办结,按时办结,按时办结率,评价数,好评数,差评数,好评率,差评率\r
369901,报表测试市医保中心,1,1,0,120,0,0,0,,0,0,0,,\r
369901001,甲镇医保所,3,2,1,120,1,0,0,,3,2,1,66.7%%,33.3%%\r
369901002,乙镇医保所,0,0,0,,0,1,1,100.0%%,0,0,0,,\r
,合计,4,3,1,120,1,1,1,100.0%%,3,2,1,66.7%%,33.3%%\r
' >"$T/expected-below.csv"
check "daily --with-below: one row per office in tree order and the total, hand-computed (CSV)" \
	'[ $rc -eq 0 ] && { cmp -s "$T/expected-below.csv" "$T/below.csv" || { diff -u "$T/expected-below.csv" "$T/below.csv" | sed "s/^/# /"; false; }; }'
# The total row equals the sum of the office rows, column by column (the
# counts; the wait and the shares are not sums).
sumcheck() {
	tail -n +4 "$1" | tr -d '\r' | awk -F, '
		$2 != "合计" { for (i = 3; i <= 13; i++) if (i != 6 && i != 10) s[i] += $i; next }
		{ for (i = 3; i <= 13; i++) if (i != 6 && i != 10 && s[i] != $i) bad = 1; seen = 1 }
		END { exit !(seen && !bad) }'
}
check "daily --with-below: the total is the sum of the office rows" 'sumcheck "$T/below.csv"'

# The prefecture 3699 above both counties (a second county 369902 二县 with
# its township 369902001 丙镇 on 03-05: a ticket served after 300 s and a
# 差评 at the county, a case accepted 03-01, promised 03-04, finished 03-05
# (late); a no-show at the township): the prefecture's report is every
# office below it and a total that sums them (waits 120 + 60 + 180 + 300
# over 4 served: 165 s).
"$Y" report daily --office 3699 --date 2024-03-05 --with-below --format csv --to "file:$T/pref.csv" >/dev/null 2>"$T/err"
rc=$?
printf '\357\273\277报表测试设区市医保中心（3699）及下级机构业务日报　2024-03-05\r
\r
机构编码,机构,取号,服务人次,过号,平均等候（秒）,受理,办结,按时办结,按时办结率,评价数,好评数,差评数,好评率,差评率\r
3699,报表测试设区市医保中心,0,0,0,,0,0,0,,0,0,0,,\r
369901,报表测试市医保中心,1,1,0,120,0,0,0,,0,0,0,,\r
369901001,甲镇医保所,3,2,1,120,1,0,0,,3,2,1,66.7%%,33.3%%\r
369901002,乙镇医保所,0,0,0,,0,1,1,100.0%%,0,0,0,,\r
369902,报表测试二县医保中心,1,1,0,300,0,1,0,0.0%%,1,0,1,0.0%%,100.0%%\r
369902001,丙镇医保所,1,0,1,,0,0,0,,0,0,0,,\r
,合计,6,4,2,165,1,2,1,50.0%%,4,2,2,50.0%%,50.0%%\r
' >"$T/expected-pref.csv"
check "a prefecture's daily report: every office of both counties and the total, hand-computed (CSV)" \
	'[ $rc -eq 0 ] && { cmp -s "$T/expected-pref.csv" "$T/pref.csv" || { diff -u "$T/expected-pref.csv" "$T/pref.csv" | sed "s/^/# /"; false; }; }'
check "a prefecture's daily report: the total is the sum of the office rows" 'sumcheck "$T/pref.csv"'

"$Y" report monthly --office $C --month 2024-03 --with-below --format csv --to "file:$T/month.csv" >/dev/null 2>"$T/err"
rc=$?
printf '\357\273\277报表测试市医保中心（369901）及下级机构业务月报　2024-03（截至 2024-03-31）\r
\r
机构编码,机构,取号,服务人次,过号,平均等候（秒）,受理,办结,按时办结,按时办结率,评价数,好评数,差评数,好评率,差评率\r
369901,报表测试市医保中心,1,1,0,120,0,0,0,,0,0,0,,\r
369901001,甲镇医保所,4,3,1,180,2,2,1,50.0%%,4,2,1,50.0%%,25.0%%\r
369901002,乙镇医保所,1,1,0,240,0,1,1,100.0%%,2,1,1,50.0%%,50.0%%\r
,合计,6,5,1,180,2,3,2,66.7%%,6,3,2,50.0%%,33.3%%\r
' >"$T/expected-month.csv"
check "monthly --with-below: every figure and both shares hand-computed (CSV)" \
	'[ $rc -eq 0 ] && { cmp -s "$T/expected-month.csv" "$T/month.csv" || { diff -u "$T/expected-month.csv" "$T/month.csv" | sed "s/^/# /"; false; }; }'
check "monthly --with-below: the total is the sum of the office rows" 'sumcheck "$T/month.csv"'

LANG=C.UTF-8 "$Y" report monthly --office $C --month 2024-03 --with-below >"$T/month.txt" 2>"$T/err"
rc=$?
cat >"$T/expected-month.txt" <<'EOF'
报表测试市医保中心（369901）及下级机构业务月报　2024-03（截至 2024-03-31）

机构               取号 服务人次 过号 平均等候 受理 办结 按时率 好评率 差评率
报表测试市医保中心    1        1    0  2分00秒    0    0      -      -      -
  甲镇医保所          4        3    1  3分00秒    2    2  50.0%  50.0%  25.0%
  乙镇医保所          1        1    0  4分00秒    0    1 100.0%  50.0%  50.0%
合计                  6        5    1  3分00秒    2    3  66.7%  50.0%  33.3%
EOF
check "monthly text: the table as hand-computed" \
	'[ $rc -eq 0 ] && { head -7 "$T/month.txt" | cmp -s "$T/expected-month.txt" - || { head -7 "$T/month.txt" | diff -u "$T/expected-month.txt" - | sed "s/^/# /"; false; }; }'
check "monthly text: no line wider than 80 columns" '[ "$(LC_ALL=C.UTF-8 wc -L <"$T/month.txt")" -le 80 ]'
"$Y" --lang en report daily --office $C --date 2024-03-05 --with-below >"$T/below-en.txt" 2>&1
check "daily --with-below in English fits 80 columns" \
	'grep -q "^Total" "$T/below-en.txt" && [ "$(LC_ALL=C.UTF-8 wc -L <"$T/below-en.txt")" -le 80 ]'

"$Y" report monthly --office ${C}002 --month 2024-03 --format csv >"$T/one.csv" 2>&1
check "monthly without --with-below: the office alone and its total" \
	'[ "$(grep -c "^369901" "$T/one.csv")" -eq 1 ] && grep -q "^,合计,1,1,0,240,0,1,1,100.0%,2,1,1,50.0%,50.0%" "$T/one.csv"'
"$Y" report monthly --office $C --month 2024-13 >/dev/null 2>"$T/err"
rc=$?
check "a bad month is refused as a usage error" '[ $rc -eq 2 ] && grep -q "月份无效：2024-13" "$T/err"'
"$Y" report monthly --office $C --month 2024-3 >/dev/null 2>"$T/err"
rc=$?
check "a month not written YYYY-MM is refused" '[ $rc -eq 2 ]'
"$Y" report monthly --office 369909 --month 2024-03 >/dev/null 2>"$T/err"
rc=$?
check "monthly: an unknown office is refused" '[ $rc -eq 1 ] && grep -q "369909" "$T/err"'
"$Y" report monthly --office $C --month 2099-01 >/dev/null 2>"$T/err"
rc=$?
check "a month not begun is refused" '[ $rc -eq 1 ] && grep -q "该月尚未开始" "$T/err"'
"$Y" report monthly --office $C --month "$(TZ=Asia/Shanghai date +%Y-%m)" --format csv >"$T/now.csv" 2>&1
check "the current month counts up to today" \
	'head -1 "$T/now.csv" | grep -q "截至 $(TZ=Asia/Shanghai date +%Y-%m-%d)）"'

tap_plan
