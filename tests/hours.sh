#!/bin/sh
# `yichuang hours show|set` and `yichuang setting show|set` with good and
# bad input: as a signed-in administrator (--staff, the password from
# YICHUANG_PASSWORD or standard input, on the application role's
# connection) and as the database owner (--as-owner); each change stored
# and audited; each bad input refused with a precise message and status 2,
# nothing changed; an administrator only for the own office and the
# offices below it; `ticket issue` outside the hours says when the hall
# opens next. Works in an office of its own, 360981094 (a township of the
# demo city, created here and removed at the end), with its own staff
# (hrs_*) and the demo's admin1. TAP output.
# Usage: tests/hours.sh BUILD ADMIN_CONNINFO
set -u
Y="$(pwd)/$1/yichuang"
ADMIN=$2
APP=$(echo "$ADMIN" | sed 's/user=postgres/user=yichuang_app/')
T=$(mktemp -d /tmp/yc-hours.XXXXXX)
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
O=360981094
forget() {
	sql "DELETE FROM yc.ticket WHERE office_code = '$O';
	     DELETE FROM yc.ticket_counter WHERE office_code = '$O';
	     DELETE FROM yc.office_hours WHERE office_code = '$O';
	     DELETE FROM yc.office_hours_exception WHERE office_code = '$O';
	     DELETE FROM yc.appointment_capacity WHERE office_code = '$O';
	     UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test'
	      WHERE staff_no LIKE 'hrs\\_%' AND ended_at IS NULL;
	     DELETE FROM yc.session_binding b USING yc.staff_session s
	      WHERE s.session_id = b.session_id AND s.staff_no LIKE 'hrs\\_%';
	     UPDATE yc.setting SET value = default_value WHERE key IN ('idle_lock_minutes', 'login_lock_minutes');" \
	    >/dev/null
}
trap 'forget; rm -rf "$T"' EXIT
out=$(sql "INSERT INTO yc.office (code, name, tier, parent_code, region_code)
VALUES ('$O', '营业时间命令测试街道', 'township', '360981', '360981') ON CONFLICT DO NOTHING;
INSERT INTO yc.service_window (office_code, window_no, label) VALUES ('$O', 1, '1号窗口') ON CONFLICT DO NOTHING;
INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash)
SELECT s, '测试' || s, r, '$O', yc.hash_password('Hrs-Secret-1')
  FROM (VALUES ('hrs_town', 'admin'), ('hrs_clerk', 'clerk')) v(s, r)
ON CONFLICT (staff_no) DO UPDATE SET failed_logins = 0, locked_until = NULL, active = true;")
check "the fixture loads" '[ -z "$out" ] || { echo "$out" | sed "s/^/# /"; false; }'
forget

# As the owner and as administrators: who acts --------------------------------
owner() { "$Y" --db "$ADMIN" "$@"; }
staff() { u=$1; p=$2; shift 2; YICHUANG_PASSWORD="$p" "$Y" --db "$APP" "$@" --staff "$u"; }
admin1() { YICHUANG_PASSWORD=Demo-1234 "$Y" --db "$APP" "$@" --staff admin1; }
town() { YICHUANG_PASSWORD=Hrs-Secret-1 "$Y" --db "$APP" "$@" --staff hrs_town; }
rows() { sql "SELECT count(*) FROM yc.office_hours WHERE office_code = '$O'"; }
audits() { sql "SELECT count(*) FROM yc.audit_log WHERE office_code = '$O' AND action = '$1'"; }

owner hours show --office $O --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "hours show as the owner: the default week, Chinese by default" \
	'[ $rc -eq 0 ] && grep -q "营业时间命令测试街道（$O）营业时间" "$T/out" && grep -q "周一 *08:30-12:00 14:30-17:30（默认）" "$T/out" && grep -q "周六 *休息（默认）" "$T/out" && grep -q "节假日 *休息（默认）" "$T/out"'
check "it lists today, the special days and the next 7 days" \
	'grep -q "^今天 " "$T/out" && grep -q "^特别安排：" "$T/out" && grep -q "^未来 7 天：" "$T/out" && [ "$(grep -c "^  20[0-9-]* 周" "$T/out")" -ge 7 ]'
admin1 hours show --office $O >"$T/out" 2>"$T/err"
rc=$?
check "hours show as an administrator signed in (YICHUANG_PASSWORD)" '[ $rc -eq 0 ] && grep -q "每周：" "$T/out"'
echo Demo-1234 | "$Y" --db "$APP" hours show --office $O --staff admin1 >"$T/out" 2>"$T/err"
rc=$?
check "the password may come on standard input" '[ $rc -eq 0 ] && grep -q "每周：" "$T/out"'
check "the administrator's session is signed out afterwards" \
	'[ "$(sql "SELECT count(*) FROM yc.staff_session WHERE staff_no = '"'"'admin1'"'"' AND ended_at IS NULL")" = 0 ]'
YICHUANG_PASSWORD=wrong "$Y" --db "$APP" hours show --office $O --staff admin1 >/dev/null 2>"$T/err"
rc=$?
check "a wrong password is refused (1)" '[ $rc -eq 1 ] && grep -q "工号或密码错误" "$T/err"'
sql "UPDATE yc.staff SET failed_logins = 0 WHERE staff_no = 'admin1'" >/dev/null
staff hrs_clerk Hrs-Secret-1 hours show --office $O >/dev/null 2>"$T/err"
rc=$?
check "a clerk is not an administrator (1)" '[ $rc -eq 1 ] && grep -q "hrs_clerk 不是系统管理员" "$T/err"'
"$Y" --db "$ADMIN" hours show --office $O >/dev/null 2>"$T/err"
rc=$?
check "without --staff or --as-owner: status 2, saying how" '[ $rc -eq 2 ] && grep -q "请指明操作身份：--staff 工号" "$T/err"'
YICHUANG_PASSWORD=Demo-1234 "$Y" --db "$ADMIN" hours show --office $O --as-owner --staff admin1 >/dev/null 2>&1
rc=$?
check "with both: status 2" '[ $rc -eq 2 ]'
"$Y" --db "$APP" hours set --office $O --day sat --closed --as-owner >/dev/null 2>"$T/err"
rc=$?
check "--as-owner on the application role's connection is refused (1), nothing changed" \
	'[ $rc -eq 1 ] && grep -q "当前连接不是数据库所有者的连接" "$T/err" && [ "$(rows)" = 0 ]'

# hours show: bad input --------------------------------------------------------
bad_show() {	# bad_show "what" "expected message" ARGS...
	what=$1
	msg=$2
	shift 2
	owner hours show "$@" --as-owner >/dev/null 2>"$T/err"
	rc=$?
	check "hours show refuses $what (2)" '[ $rc -eq 2 ] && grep -q -- "$msg" "$T/err"'
}
bad_show "a missing --office" "必须用 --office 指定经办机构代码" --days 3
bad_show "an office code of 5 digits" "机构代码须为 2、4、6、9 或 12 位数字" --office 36098
bad_show "--days 0" "--days 须为 1 至 62 的天数" --office $O --days 0
bad_show "--days 100" "--days 须为 1 至 62 的天数" --office $O --days 100
bad_show "an impossible --from" "2026-02-30: 不是有效日期" --office $O --from 2026-02-30
bad_show "an unknown option" "未知选项：--colour\|未知选项: --colour" --office $O --colour
owner hours show --office 360981093 --as-owner >/dev/null 2>"$T/err"
rc=$?
check "hours show of an unknown office (1)" '[ $rc -eq 1 ] && grep -q "360981093" "$T/err"'
owner hours show --office $O --from 2027-02-04 --days 8 --as-owner >"$T/out" 2>&1
check "--from and --days: 春节 2027 (provisional) as days off" \
	'grep -q "2027-02-05 周五  节假日 *休息  春节" "$T/out" && grep -q "2027-02-11 周四  工作日 *08:30-12:00 14:30-17:30" "$T/out"'

# hours set: days of the week --------------------------------------------------
mark=$(sql "SELECT coalesce(max(audit_id), 0) FROM yc.audit_log")
admin1 hours set --office $O --day workdays --hours 08:00-12:00,14:00-18:00 --noon >"$T/out" 2>"$T/err"
rc=$?
check "the working days get noon service, by an administrator of the city above" \
	'[ $rc -eq 0 ] && grep -q "workdays：08:00-18:00（中午不休）。" "$T/out" && grep -q "周五 *08:00-18:00（中午不休）$" "$T/out"'
check "stored for the five days" \
	'[ "$(sql "SELECT string_agg(dow || morning_open::text || afternoon_close::text || noon::text, '"'"' '"'"' ORDER BY dow) FROM yc.office_hours WHERE office_code = '"'"'$O'"'"'")" = "108:00:0018:00:00true 208:00:0018:00:00true 308:00:0018:00:00true 408:00:0018:00:00true 508:00:0018:00:00true" ]'
check "each day audited with before and after, as admin1" \
	'[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE audit_id > $mark AND office_code = '"'"'$O'"'"' AND action = '"'"'hours_set'"'"' AND staff_no = '"'"'admin1'"'"' AND before->>'"'"'default'"'"' = '"'"'true'"'"' AND after->>'"'"'noon'"'"' = '"'"'true'"'"'")" = 5 ]'
owner hours set --office $O --day sat,sun --hours 9:00-12:00 --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "the weekend as the owner (9:00 is 09:00), audited as the owner's role" \
	'[ $rc -eq 0 ] && grep -q "周六 *09:00-12:00$" "$T/out" && [ "$(sql "SELECT count(*) FROM yc.audit_log WHERE audit_id > $mark AND office_code = '"'"'$O'"'"' AND action = '"'"'hours_set'"'"' AND staff_no = '"'"'postgres'"'"'")" = 2 ]'
owner hours set --office $O --day holiday --closed --as-owner >"$T/out" 2>&1
check "the days off of the calendar closed" '[ "$(sql "SELECT morning_open IS NULL FROM yc.office_hours WHERE office_code = '"'"'$O'"'"' AND dow = 8")" = t ]'
owner hours set --office $O --day sun --default --as-owner >"$T/out" 2>&1
rc=$?
check "--default gives Sunday back to the default" \
	'[ $rc -eq 0 ] && grep -q "周日 *休息（默认）" "$T/out" && [ "$(rows)" = 7 ] && [ "$(audits hours_default)" -ge 1 ]'
before=$(sql "SELECT string_agg(dow || coalesce(morning_open::text, '-') || coalesce(afternoon_close::text, '-') || noon, ' ' ORDER BY dow) FROM yc.office_hours WHERE office_code = '$O'")
nbefore=$(sql "SELECT count(*) FROM yc.audit_log WHERE office_code = '$O'")
bad_set() {	# bad_set "what" "expected message" ARGS...
	what=$1
	msg=$2
	shift 2
	owner hours set --office $O "$@" --as-owner >/dev/null 2>"$T/err"
	rc=$?
	check "hours set refuses $what (2), nothing changed" \
		'[ $rc -eq 2 ] && grep -q -- "$msg" "$T/err" && [ "$(sql "SELECT string_agg(dow || coalesce(morning_open::text, '"'"'-'"'"') || coalesce(afternoon_close::text, '"'"'-'"'"') || noon, '"'"' '"'"' ORDER BY dow) FROM yc.office_hours WHERE office_code = '"'"'$O'"'"'")" = "$before" ] && [ "$(sql "SELECT count(*) FROM yc.audit_log WHERE office_code = '"'"'$O'"'"'")" = "$nbefore" ]'
}
bad_set "an unknown day" "xyz: 未知的星期" --day mon,xyz --hours 08:30-12:00
bad_set "a time without minutes" "8-12: 每段时间写作 HH:MM-HH:MM" --day mon --hours 8-12
bad_set "25:00" "25:00-26:00: 每段时间写作" --day mon --hours 25:00-26:00
bad_set "a session ending before it begins" "12:00-09:00: 每段时间的结束须晚于开始" --day mon --hours 12:00-09:00
bad_set "an afternoon before the morning ends" "每段时间的结束须晚于开始" --day mon --hours 08:30-12:00,11:00-17:00
bad_set "three sessions" "每天最多两段时间" --day mon --hours 08:00-09:00,10:00-11:00,12:00-13:00
bad_set "noon service with one session" "午间延时服务须有上午和下午两段时间" --day mon --hours 08:30-17:30 --noon
bad_set "--noon without --hours" "--noon 须与 --hours 一起使用" --day mon --closed --noon
bad_set "both --day and --date" "请指明日期：--day 星期 或 --date" --day mon --date 2099-01-05 --closed --note x
bad_set "neither --day nor --date" "请指明日期" --hours 08:30-12:00
bad_set "--hours and --closed" "请指明这些天的安排" --day mon --hours 08:30-12:00 --closed
bad_set "nothing to set" "请指明这些天的安排" --day mon
bad_set "--remove for a day of the week" "--remove 用于日期" --day mon --remove
bad_set "--note for a day of the week" "--note 须与 --date 一起使用" --day mon --closed --note x
bad_set "a value missing" "缺少取值: --day" --day
owner hours set --office $O --day mon --closed --staff >/dev/null 2>&1
rc=$?
check "--staff without a staff number is a usage error (2)" '[ $rc -eq 2 ]'

# hours set: dates ---------------------------------------------------------------
D=$(TZ=Asia/Shanghai date -d '+10 days' +%F)
bad_set "a date without a note" "须用 --note 说明原因" --date "$D" --closed
bad_set "an impossible date" "2026-13-01: 不是有效日期" --date 2026-13-01 --closed --note x
bad_set "--default for a date" "--default 用于星期" --date "$D" --default
bad_set "a past day (the database)" "该日期已过" --date 2020-01-06 --closed --note 过去
bad_set "a note of 41 characters (the database)" "请用 1 至 40 个字说明原因" --date "$D" --closed --note "$(printf '闭%.0s' $(seq 41))"
bad_set "a date no special day has (the database)" "该日期没有特别安排" --date "$D" --remove
owner hours set --office $O --date "$D" --hours 09:00-12:00 --note 停电检修 --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "a special day with a note" \
	'[ $rc -eq 0 ] && grep -q "^  $D 周.  09:00-12:00  停电检修" "$T/out" && [ "$(audits hours_exception_set)" -ge 1 ]'
owner hours set --office $O --date "$D" --remove --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "removed again" '[ $rc -eq 0 ] && grep -q "$D：特别安排已删除" "$T/out" && [ "$(sql "SELECT count(*) FROM yc.office_hours_exception WHERE office_code = '"'"'$O'"'"'")" = 0 ]'

# jurisdiction -----------------------------------------------------------------
town hours set --office $O --day sat --hours 08:30-11:30 >/dev/null 2>"$T/err"
rc=$?
check "a township's administrator sets the own office" '[ $rc -eq 0 ] && [ "$(sql "SELECT morning_close FROM yc.office_hours WHERE office_code = '"'"'$O'"'"' AND dow = 6")" = 11:30:00 ]'
n360981=$(sql "SELECT count(*) FROM yc.office_hours WHERE office_code = '360981'")
town hours set --office 360981 --day sat --closed >/dev/null 2>"$T/err"
rc=$?
check "… but not the city above it (1), nothing changed" \
	'[ $rc -eq 1 ] && grep -q "只限本机构及下级机构" "$T/err" && [ "$(sql "SELECT count(*) FROM yc.office_hours WHERE office_code = '"'"'360981'"'"'")" = "$n360981" ]'

# ticket issue outside the hours ---------------------------------------------------
TODAY=$(TZ=Asia/Shanghai date +%F)
owner hours set --office $O --day all --hours 08:30-12:00 --as-owner >/dev/null 2>&1
owner hours set --office $O --date "$TODAY" --closed --note 临时闭厅 --as-owner >/dev/null 2>&1
"$Y" --db "$APP" ticket issue --office $O >"$T/out" 2>"$T/err"
rc=$?
check "ticket issue on a closed day says when the hall opens next, nothing issued (1)" \
	'[ $rc -eq 1 ] && grep -q "本厅今日已停止取号，下次开放：.*08:30" "$T/err" && [ "$(sql "SELECT count(*) FROM yc.ticket WHERE office_code = '"'"'$O'"'"'")" = 0 ]'
owner hours set --office $O --date "$TODAY" --remove --as-owner >/dev/null 2>&1
owner hours set --office $O --day all --hours 00:00-24:00 --as-owner >/dev/null 2>&1
"$Y" --db "$APP" ticket issue --office $O >"$T/out" 2>"$T/err"
rc=$?
check "open all day: a ticket" '[ $rc -eq 0 ] && grep -q "^A001$" "$T/out"'

# settings ------------------------------------------------------------------------
owner setting show --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "setting show lists the known settings with value, default and range" \
	'[ $rc -eq 0 ] && grep -q "^idle_lock_minutes *10 *10  1-120 *工作站无操作多少分钟后自动锁屏" "$T/out" && grep -q "^password_min_length *8 *8  8-64" "$T/out" && grep -q "^calendar_warn_from *11-01 *11-01  月-日" "$T/out"'
check "the password policy keys are there" \
	'grep -q "^password_min_classes *3" "$T/out" && grep -q "^password_history *5" "$T/out" && grep -q "^password_max_age_days *90" "$T/out"'
"$Y" --lang en --db "$ADMIN" setting show --as-owner >"$T/out" 2>&1
check "in English, the English descriptions" 'grep -q "^idle_lock_minutes .*minutes of inactivity before the screen locks" "$T/out"'
town setting show >"$T/out" 2>"$T/err"
rc=$?
check "a township's administrator reads them, and is told who may change them" \
	'[ $rc -eq 0 ] && grep -q "只有县级及以上机构的系统管理员可以修改系统设置" "$T/out"'
staff hrs_clerk Hrs-Secret-1 setting show >/dev/null 2>"$T/err"
rc=$?
check "a clerk may not read them (1)" '[ $rc -eq 1 ]'
mark=$(sql "SELECT coalesce(max(audit_id), 0) FROM yc.audit_log")
admin1 setting set idle_lock_minutes 15 >"$T/out" 2>"$T/err"
rc=$?
check "an administrator of the city changes one" \
	'[ $rc -eq 0 ] && grep -q "idle_lock_minutes：10 → 15" "$T/out" && [ "$(sql "SELECT value FROM yc.setting WHERE key = '"'"'idle_lock_minutes'"'"'")" = 15 ]'
check "audited with before and after" \
	'[ "$(sql "SELECT (before->>'"'"'value'"'"') || '"'"' '"'"' || (after->>'"'"'value'"'"') FROM yc.audit_log WHERE audit_id > $mark AND action = '"'"'setting_set'"'"' AND staff_no = '"'"'admin1'"'"'")" = "10 15" ]'
admin1 setting set idle_lock_minutes 15 >"$T/out" 2>"$T/err"
rc=$?
check "the same value again: said, not audited" \
	'[ $rc -eq 0 ] && grep -q "已是 15，未作修改" "$T/out" && [ "$(sql "SELECT count(*) FROM yc.audit_log WHERE audit_id > $mark AND action = '"'"'setting_set'"'"'")" = 1 ]'
bad_setting() {	# bad_setting "what" "expected message" KEY VALUE
	what=$1
	msg=$2
	shift 2
	owner setting set "$@" --as-owner >/dev/null 2>"$T/err"
	rc=$?
	check "setting set refuses $what (2), nothing changed" \
		'[ $rc -eq 2 ] && grep -q -- "$msg" "$T/err" && [ "$(sql "SELECT string_agg(value, '"'"','"'"' ORDER BY key) FROM yc.setting WHERE key IN ('"'"'idle_lock_minutes'"'"', '"'"'calendar_warn_from'"'"', '"'"'login_lock_minutes'"'"')")" = "11-01,15,15" ]'
}
bad_setting "0 minutes" "idle_lock_minutes 须为 1 至 120 的整数" idle_lock_minutes 0
bad_setting "a word" "idle_lock_minutes 须为 1 至 120 的整数" idle_lock_minutes ten
bad_setting "more than a day of lock" "login_lock_minutes 须为 1 至 1440 的整数" login_lock_minutes 1441
bad_setting "30 February" "calendar_warn_from 须为“月-日”形式的日期" calendar_warn_from 02-30
bad_setting "an unknown setting" "没有设置项 no_such" no_such 1
bad_setting "the internal demo flag" "没有设置项 demo" demo off
town setting set idle_lock_minutes 12 >/dev/null 2>"$T/err"
rc=$?
check "a township's administrator may not change them (1)" \
	'[ $rc -eq 1 ] && grep -q "只有县级及以上机构的系统管理员" "$T/err" && [ "$(sql "SELECT value FROM yc.setting WHERE key = '"'"'idle_lock_minutes'"'"'")" = 15 ]'
owner setting set idle_lock_minutes --as-owner >/dev/null 2>"$T/err"
rc=$?
check "setting set without a value: usage (2)" '[ $rc -eq 2 ] && grep -q "用法：yichuang setting show" "$T/err"'

# Appointments per slot (hours slots).
admin1 hours slots --office $O --per-slot 2 >"$T/out" 2>"$T/err"
rc=$?
check "hours slots sets the places of a slot" '[ $rc -eq 0 ] && grep -q "每个预约时段可约 2 人" "$T/out" && [ "$(sql "SELECT per_slot FROM yc.appointment_capacity WHERE office_code = '"'"'$O'"'"' AND grp = '"'"'*'"'"'")" = 2 ]'
admin1 hours slots --office $O --group 零星报销 --per-slot 1 >"$T/out" 2>"$T/err"
rc=$?
check "and of one group, listed under it" '[ $rc -eq 0 ] && grep -q "其中“零星报销”类事项：最多 1 人" "$T/out"'
check "each change audited" '[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE office_code = '"'"'$O'"'"' AND action = '"'"'appointment_capacity_set'"'"' AND staff_no = '"'"'admin1'"'"'")" = 2 ]'
admin1 hours slots --office $O --group 没有这类 --per-slot 1 >"$T/out" 2>"$T/err"
rc=$?
check "a group no item has: 2, saying so" '[ $rc -eq 2 ] && grep -q "没有属于该分组的事项" "$T/err"'
admin1 hours slots --office $O --per-slot 300 >"$T/out" 2>"$T/err"
rc=$?
check "a number out of range: 2" '[ $rc -eq 2 ] && grep -q "0 到 200" "$T/err"'
town hours slots --office 360981 --per-slot 9 >"$T/out" 2>"$T/err"
rc=$?
check "a township administrator may not change the county's" '[ $rc -eq 1 ] && [ "$(sql "SELECT count(*) FROM yc.appointment_capacity WHERE office_code = '"'"'360981'"'"'")" = 0 ]'
owner hours slots --office $O --default --as-owner >"$T/out" 2>"$T/err"
rc=$?
check "--default gives the slot back to the setting" '[ $rc -eq 0 ] && grep -q "每个预约时段可约 4 人（系统设置）" "$T/out"'
owner hours show --office $O --as-owner >"$T/out" 2>"$T/err"
check "hours show lists the places" 'grep -q "其中“零星报销”类事项：最多 1 人" "$T/out"'
owner setting frob --as-owner >/dev/null 2>&1
rc=$?
check "an unknown subcommand: usage (2)" '[ $rc -eq 2 ]'
owner setting set idle_lock_minutes 10 --as-owner >"$T/out" 2>&1
rc=$?
check "the owner sets it back" '[ $rc -eq 0 ] && grep -q "15 → 10" "$T/out"'
tap_plan
