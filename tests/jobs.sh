#!/bin/sh
# `yichuang jobs run` as cron or a systemd timer runs it: on the private
# cluster of $YICHUANG_VAR as the job's own role (yichuang_jobs, no --db);
# the runs that open a case go as the superuser on the test clock (a case
# is opened on the day of the run, and its number is that day's).
# Three 生育医疗费支付 cases paid out at a township of its own (360981087,
# created here and removed at the end) in May 2025, two of a worker with
# employee insurance for one delivery, one of a resident: a run in May
# opens nothing; the run of 2 June opens one 生育津贴支付 case at the county
# centre and says the worker's second case and the resident get none; a
# second run opens nothing and says nothing more.
# A day after today, a bad date and a bad option are refused with their
# exit statuses; a source case no office can take fails the run (status 1)
# until it is gone; the workstations' role may not run the job.
# The history step (db/functions/history.sql) follows on every run: a run
# says what it did in lines of its own (历史分区…) and a summary; a run on
# 2032-12-28 leaves the months 2032-12 to 2033-03 of both history tables
# partitioned, saying each one it made, and a second run makes none;
# audit_retention_months below 6 is refused by `setting set`, and, stored
# anyway, the run keeps 6 months and says so on stderr. TAP output.
# Usage: tests/jobs.sh BUILD   (the database: the private cluster of
# $YICHUANG_VAR, as tests/run.sh sets it up)
set -u
export LC_ALL=C.UTF-8
Y="$(pwd)/$1/yichuang"
V=${YICHUANG_VAR:-$(pwd)/var}
ADMIN="host=$V/run dbname=yichuang user=postgres"
APP="host=$V/run dbname=yichuang user=yichuang_app"
T=$(mktemp -d /tmp/yc-jobs.XXXXXX)
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
O=360981087
C=360981
# Two valid ID numbers (GB 11643: the check character computed here).
idno() {
	echo "$1" | awk '{ split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); s = 0;
		for (i = 1; i <= 17; i++) s += substr($1, i, 1) * w[i];
		print $1 substr("10X98765432", s % 11 + 1, 1) }'
}
W=$(idno 36098119930303087)
R=$(idno 36098119940404087)
forget() {
	sql "DELETE FROM yc.outbox WHERE case_no IN (SELECT case_no FROM yc.proactive_link WHERE source_office LIKE '$O%' OR source_office = '36');
	     CREATE TEMP TABLE gone AS SELECT case_office, case_no FROM yc.proactive_link
	      WHERE (source_office LIKE '$O%' OR source_office = '36') AND case_no IS NOT NULL;
	     DELETE FROM yc.proactive_link WHERE source_office LIKE '$O%' OR source_office = '36';
	     DELETE FROM yc.case_event WHERE (office_code, case_no) IN (SELECT * FROM gone);
	     DELETE FROM yc.case_stage WHERE (office_code, case_no) IN (SELECT * FROM gone);
	     DELETE FROM yc.service_case WHERE (office_code, case_no) IN (SELECT * FROM gone);
	     DELETE FROM yc.case_counter WHERE office_code = '$C' AND day = '2025-06-02';
	     DELETE FROM yc.service_case WHERE office_code = '$O' OR case_no = '36202505200001';
	     DELETE FROM yc.insurance WHERE id_no IN ('$W', '$R');
	     DELETE FROM yc.person WHERE id_no IN ('$W', '$R');
	     DELETE FROM yc.staff WHERE office_code = '$O';
	     DELETE FROM yc.office WHERE code = '$O';
	     UPDATE yc.setting SET min_value = 6, value = '36' WHERE key = 'audit_retention_months';" >/dev/null
}
trap 'forget; rm -rf "$T"' EXIT
forget

# pro: the lines of the last run of the 免申即享 step (not the history's).
pro() {
	grep -v '^历史分区' "$T/out"
}
# run ARGS...: the job's output in $T/out and $T/err, its status in $rc.
run() {
	"$Y" jobs run "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# on DAY ARGS...: the same on DAY at 09:00 Beijing time: the cases are
# opened on the day the job runs, so these runs go as the superuser, whose
# connection may set the database's test clock (yc.test_now).
on() {
	d=$1
	shift
	PGOPTIONS="-c yc.test_now=${d}T09:00+08" "$Y" --db "$ADMIN" jobs run --date "$d" "$@" \
		>"$T/out" 2>"$T/err"
	rc=$?
}

# The township, a clerk, the two persons, their insurance, the two source
# cases (paid out: every stage worked), finished in May 2025.
sql "INSERT INTO yc.office (code, name, tier, parent_code, region_code)
	VALUES ('$O', '免申即享测试乡镇', 'township', '$C', '$C');
     INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)
	VALUES ('mj_sh', '免申测试', 'clerk', '$O', yc.hash_password('Mj-Shell-32'));
     INSERT INTO yc.person (id_no, name, sex, phone) VALUES
	('$W', '免申职工', 'F', '13900008701'), ('$R', '免申居民', 'F', '13900008702');
     INSERT INTO yc.insurance (id_no, scheme, status, since, unit_name, office_code) VALUES
	('$W', 'employee', 'active', '2019-03-01', '宜春市一窗测试有限公司', '$C'),
	('$R', 'resident', 'active', '2019-03-01', NULL, '$C');
     INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no,
	status, channel, first_staff_no, accepted_at, promised_date, finished_at, form, result)
     SELECT '$O', '$O' || '20250421' || lpad(p.n::text, 4, '0'), '002036007002', max(t.version), p.id, 'finished', 'window',
	'mj_sh', '2025-04-21 10:00+08', '2025-05-20', p.fin,
	jsonb_build_object('id_no', p.id, 'delivery_date', '2025-04-10', 'delivery_type', 'natural'),
	'已拨付'
       FROM yc.case_type t,
	    (VALUES (1, '$W', '2025-05-12 10:00+08'::timestamptz), (2, '$R', '2025-05-31 23:30+08'),
		    (3, '$W', '2025-05-20 10:00+08'))
	    AS p(n, id, fin)
      WHERE t.code = '002036007002' GROUP BY p.n, p.id, p.fin;" >/dev/null
check "the fixture is in place" \
	'[ "$(sql "SELECT count(*) FROM yc.service_case WHERE office_code = '"'"'$O'"'"' AND status = '"'"'finished'"'"'")" = 3 ]'

run
check "a run for today (the default) says so and exits 0" \
	'[ $rc -eq 0 ] && grep -q "^免申即享（$(TZ=Asia/Shanghai date +%F)）：" "$T/out"'

on 2025-05-31
check "a run in the month of 办结 opens nothing" \
	'[ $rc -eq 0 ] && [ "$(pro)" = "免申即享（2025-05-31）：新建生育津贴办件 0 件，未建 0 件（无职工医保或该次分娩已有办件），失败 0 件" ] && [ ! -s "$T/err" ]'

on 2025-06-02
check "the run of the next month opens the worker's 生育津贴 case at the county centre" \
	'[ $rc -eq 0 ] && grep -qx "已新建生育津贴支付办件 ${C}202506020001（$C）：参保人 360981\*\*\*\*\*\*\*\*${W#??????????????}，依生育医疗费办件 ${O}202504210001，用人单位 宜春市一窗测试有限公司，承诺 2025-06-16 前办结" "$T/out"'
check "it says the resident gets none" \
	'grep -qx "未建办件：参保人 360981\*\*\*\*\*\*\*\*${R#??????????????}（生育医疗费办件 ${O}202504210002）分娩时无职工医保参保记录，不享受生育津贴" "$T/out"'
check "and that the worker's second 生育医疗费 case of the delivery gets no second one" \
	'grep -qx "未建办件：参保人 360981\*\*\*\*\*\*\*\*${W#??????????????}（生育医疗费办件 ${O}202504210003）该次分娩已有生育津贴办件 ${C}202506020001" "$T/out"'
check "and sums up" \
	'[ "$(pro | tail -n 1)" = "免申即享（2025-06-02）：新建生育津贴办件 1 件，未建 2 件（无职工医保或该次分娩已有办件），失败 0 件" ] && [ "$(pro | wc -l)" -eq 4 ]'
check "the case is the system's: channel proactive, no clerk, its form from the source" \
	'[ "$(sql "SELECT channel || coalesce(first_staff_no, '"'"'-'"'"') || status || (form ->> '"'"'unit_name'"'"') || (form ->> '"'"'delivery_date'"'"') FROM yc.service_case WHERE case_no = '"'"'${C}202506020001'"'"'")" = "proactive-accepted宜春市一窗测试有限公司2025-04-10" ]'
check "the citizen's text message is in the outbox" \
	'[ "$(sql "SELECT body FROM yc.outbox WHERE case_no = '"'"'${C}202506020001'"'"'")" = "【医保】您的生育津贴正按免申即享主动核定，无需申请，编号${C}202506020001，承诺2025年6月16日前办结。" ]'

on 2025-06-02
check "a second run opens nothing and says nothing more" \
	'[ $rc -eq 0 ] && [ "$(pro)" = "免申即享（2025-06-02）：新建生育津贴办件 0 件，未建 0 件（无职工医保或该次分娩已有办件），失败 0 件" ]'
run --date 2025-06-30
check "nor a run later in the month, as the job's own role" \
	'[ $rc -eq 0 ] && grep -q "新建生育津贴办件 0 件" "$T/out" &&
	[ "$(sql "SELECT count(*) FROM yc.service_case WHERE id_no = '"'"'$W'"'"' AND channel = '"'"'proactive'"'"'")" = 1 ]'

check "and the history step sums up after it" \
	'tail -n 1 "$T/out" | grep -qx "历史分区（2025-06-30）：新建分区 [0-9]* 个，自默认分区移入 [0-9]* 行，删除过期审计分区 [0-9]* 个；审计日志保留 36 个月（2022-06-30 前结束的整月已删除）"'

# The history step across a year end: the months of 2032-12-28 and the
# three after it, in both tables.
want="audit_log_203212 audit_log_203301 audit_log_203302 audit_log_203303
	case_event_203212 case_event_203301 case_event_203302 case_event_203303"
missing=""
for p in $want; do
	[ "$(sql "SELECT to_regclass('yc.$p') IS NULL")" = t ] && missing="$missing $p"
done
on 2032-12-28
check "a run on 2032-12-28 succeeds and sums up its history step" \
	'[ $rc -eq 0 ] && grep -q "^历史分区（2032-12-28）：新建分区 [0-9]* 个，自默认分区移入 [0-9]* 行，删除过期审计分区 [0-9]* 个；审计日志保留 36 个月（[0-9-]* 前结束的整月已删除）$" "$T/out"'
check "the months 2032-12 to 2033-03 of both history tables are partitioned" \
	'for p in $want; do [ "$(sql "SELECT to_regclass('"'"'yc.$p'"'"') IS NOT NULL")" = t ] || exit 1; done'
check "and each one it made is said (${missing:- none was missing})" \
	'for p in $missing; do m=${p##*_}; grep -qx "历史分区：已新建 yc.$p（yc.${p%_*}，${m%??}-${m#????}）" "$T/out" || exit 1; done'
on 2032-12-28
check "a second run makes none" '[ $rc -eq 0 ] && grep -q "^历史分区（2032-12-28）：新建分区 0 个，自默认分区移入 0 行，删除过期审计分区 0 个" "$T/out"'

# The retention's floor of 6 months (网络安全法 第二十一条).
"$Y" setting set audit_retention_months 3 --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "setting audit_retention_months to 3 is refused (status 2), naming the law" \
	'[ $rc -eq 2 ] && grep -q "audit_retention_months 须为 6 到 1200 之间的整数：网络日志依法至少留存六个月（网络安全法第二十一条）" "$T/err"'
sql "UPDATE yc.setting SET min_value = 1, value = '3' WHERE key = 'audit_retention_months'" >/dev/null
run
check "a value below 6 stored anyway: the run keeps 6 months, says so on stderr and exits 0" \
	'[ $rc -eq 0 ] && grep -q "^yichuang：audit_retention_months 为 3，少于法定的 6 个月（网络安全法第二十一条）：按 6 个月保留" "$T/err" &&
	 grep -q "审计日志保留 6 个月" "$T/out"'
sql "UPDATE yc.setting SET min_value = 6, value = '36' WHERE key = 'audit_retention_months'" >/dev/null

run --date 2099-01-01
check "a day after today is refused with status 1" '[ $rc -eq 1 ] && grep -q "晚于今天" "$T/err"'
run --date 2025-02-30
check "a date that is none is refused with status 2" '[ $rc -eq 2 ] && grep -q "2025-02-30" "$T/err"'
run --office $O
check "an unknown option is refused with status 2" '[ $rc -eq 2 ] && grep -q "用法" "$T/err"'
"$Y" jobs >/dev/null 2>&1
rc=$?
check "jobs without run is refused with status 2" '[ $rc -eq 2 ]'

# A 生育医疗费 case at the province office: no office at or above it offers
# 生育津贴支付 (prefectures and counties do).
sql "INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no,
	status, channel, first_staff_no, accepted_at, promised_date, finished_at, form, result)
     SELECT '36', '36202505200001', '002036007002', max(t.version), '$W', 'finished', 'window',
	'mj_sh', '2025-05-20 10:00+08', '2025-06-20', '2025-05-21 10:00+08', '{}', '已拨付'
       FROM yc.case_type t WHERE t.code = '002036007002'" >/dev/null
run --date 2025-06-03
check "a source case no office can take fails the run (status 1), on stderr" \
	'[ $rc -eq 1 ] && grep -q "^yichuang：未能为参保人 .*（生育医疗费办件 36202505200001）建办件：该办件所在机构及其上级机构均不受理生育津贴支付$" "$T/err" && grep -q "失败 1 件" "$T/out"'
run --date 2025-06-04
check "and is tried again by the next run" '[ $rc -eq 1 ] && grep -q "36202505200001" "$T/err"'
sql "DELETE FROM yc.service_case WHERE case_no = '36202505200001'" >/dev/null

"$Y" --db "$APP" jobs run --date 2025-06-05 >"$T/out" 2>"$T/err"
rc=$?
check "the workstations' role may not run the job" '[ $rc -eq 1 ] && grep -q "permission denied" "$T/err"'
"$Y" --lang en jobs run --date 2025-06-05 >"$T/out" 2>&1
check "in English too" \
	'grep -qx "免申即享 2025-06-05: 0 生育津贴 case(s) opened, 0 not (no employee insurance, or one for the delivery exists), 0 failed" "$T/out"'
tap_plan
