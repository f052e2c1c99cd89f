#!/bin/sh
# The office and window commands (tui/cmd/cmd_office.c, cmd_window.c):
# the database owner's first set-up (--as-owner), an administrator signed
# in with the password from YICHUANG_PASSWORD or standard input (--staff),
# every command with good and bad input: a precise message, exit 2 and
# nothing changed for bad input, exit 1 for what the rules refuse; the
# import of a CSV all or nothing with FILE:LINE: messages; every change in
# the audit log. TAP output.
# Usage: tests/offices.sh BUILD ADMIN_CONNINFO (YICHUANG_VAR: the cluster).
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
T=$(mktemp -d /tmp/yc-offices.XXXXXX)
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
# run ARGS...: the command's exit status in $rc, stdout in $T/out, stderr in $T/err
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
err_is() {	# the whole of stderr, exactly
	[ "$(cat "$T/err")" = "$1" ] || { echo "# stderr: $(cat "$T/err")" >&2; false; }
}
out_is() {
	[ "$(cat "$T/out")" = "$1" ] || { echo "# stdout: $(cat "$T/out")" >&2; false; }
}
offices() {	# how many offices of the test cities
	sql "SELECT count(*) FROM yc.office WHERE code LIKE '36097_%' AND code ~ '^36097[34]'"
}
C=360974
PW=Sh-Secret-1
export YICHUANG_PASSWORD=

# --- who acts ------------------------------------------------------------
run $Y office list
check "without --staff or --as-owner: told who may act, exit 2" \
	'[ $rc -eq 2 ] && grep -q "Say who acts: --staff STAFFNO" "$T/err"'
run $Y office list --staff x --as-owner
check "both: exit 2" '[ $rc -eq 2 ]'
run $Y office frobnicate --as-owner
check "an unknown subcommand: the usage, exit 2" '[ $rc -eq 2 ] && grep -q "^usage: yichuang office add" "$T/err"'

# --- the owner's first set-up ---------------------------------------------
run $Y office add $C "测试市医疗保障服务中心" --tier county --address "测试市示例路1号" --phone 0795-6300000 --as-owner
check "the owner adds a city: added" '[ $rc -eq 0 ] && out_is "$C added."'
check "stored with its address and 咨询电话" \
	'[ "$(sql "SELECT tier || name || address || phone || active FROM yc.office WHERE code = '"'$C'"'")" = "county测试市医疗保障服务中心测试市示例路1号0795-6300000true" ]'
check "audited with the owner's role as who" \
	'[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'office_add'"' AND object = '"'office:$C'"' AND staff_no = '"'postgres'"' AND before IS NULL")" = 1 ]'
run $Y office add $C --as-owner
check "the same again without changes: unchanged" '[ $rc -eq 0 ] && out_is "$C unchanged."'
run $Y office add 360973 "测试另一市" --as-owner
run $Y office add 360973001 "另一市一镇" --as-owner
check "a township of the other city" '[ $rc -eq 0 ]'
before=$(offices)
run $Y office add 36097 "x" --as-owner
check "a code of 5 digits: the rule, exit 2" \
	'[ $rc -eq 2 ] && err_is "yichuang: office code \"36097\": 2 digits for a province, 4 for a prefecture, 6 for a county, 9 for a township, 12 for a village."'
run $Y office add ${C}001 "x" --tier village --as-owner
check "a tier the code does not have: exit 2" \
	'[ $rc -eq 2 ] && err_is "yichuang: ${C}001 has 9 digits: it is a township."'
run $Y office add ${C}099001 "x" --as-owner
check "a parent that does not exist: exit 2" \
	'[ $rc -eq 2 ] && err_is "yichuang: the parent ${C}099 does not exist (add it first, or earlier in the file)."'
run $Y office add ${C}001 "x" --parent 360973 --as-owner
check "the wrong parent: exit 2" \
	'[ $rc -eq 2 ] && err_is "yichuang: the parent of ${C}001 is $C (the code'"'"'s first 6 digits)."'
run $Y office add ${C}001 "x" --phone "tel 123" --as-owner
check "a phone that is not one: exit 2" \
	'[ $rc -eq 2 ] && err_is "yichuang: the phone is 5 to 20 digits, with single hyphens (0795-6200000)."'
run $Y office add ${C}001 --as-owner
check "a new office without a name: exit 2" '[ $rc -eq 2 ] && grep -q "the name is required" "$T/err"'
run $Y office add ${C}001 x --frob 1 --as-owner
check "an unknown option: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: unknown option: --frob"'
check "none of these changed anything" '[ "$(offices)" = "$before" ]'

# --- an administrator --------------------------------------------------------
sql "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES
	('sh_cadmin', '测试市管理员', 'admin', '$C', yc.hash_password('$PW'))
	ON CONFLICT (staff_no) DO UPDATE SET active = true, failed_logins = 0, locked_until = NULL" >/dev/null
YICHUANG_PASSWORD=$PW run $Y office add ${C}001 "测试一镇" --staff sh_cadmin
check "the city's administrator (password in YICHUANG_PASSWORD) adds a township" \
	'[ $rc -eq 0 ] && out_is "${C}001 added."'
check "audited as that administrator" \
	'[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'office_add'"' AND object = '"'office:${C}001'"' AND staff_no = '"'sh_cadmin'"'")" = 1 ]'
check "the command signed in and out again" \
	'[ "$(sql "SELECT count(*) FROM yc.staff_session WHERE staff_no = '"'sh_cadmin'"' AND ended_at IS NULL")" = 0 ] && [ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'logout'"' AND staff_no = '"'sh_cadmin'"'")" -ge 1 ]'
echo "$PW" | run $Y office add ${C}001 "测试一镇" --phone 0795-6300001 --staff sh_cadmin
check "the password on standard input; a phone given to an existing office: updated" \
	'[ $rc -eq 0 ] && out_is "${C}001 updated."'
check "the update audited with before and after" \
	'[ "$(sql "SELECT coalesce(before ->> '"'phone'"', '"'-'"') || '"'>'"' || (after ->> '"'phone'"') FROM yc.audit_log WHERE action = '"'office_update'"' AND object = '"'office:${C}001'"'")" = "->0795-6300001" ]'
YICHUANG_PASSWORD=$PW run $Y office add 360973002 "越权" --staff sh_cadmin
check "another city's office: refused, exit 1" \
	'[ $rc -eq 1 ] && err_is "yichuang: 360973002 is neither your office nor below it."'
YICHUANG_PASSWORD=wrong run $Y office list --staff sh_cadmin
check "a wrong password: exit 1" '[ $rc -eq 1 ] && err_is "yichuang: Wrong staff number or password."'
sql "UPDATE yc.staff SET failed_logins = 0 WHERE staff_no = 'sh_cadmin'" >/dev/null
run $Y office list --staff sh_cadmin </dev/null
check "no password at all: exit 1" \
	'[ $rc -eq 1 ] && err_is "yichuang: No password: set YICHUANG_PASSWORD or give it on standard input."'
sql "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES
	('sh_clerk', '测试柜员', 'clerk', '${C}001', yc.hash_password('$PW')),
	('sh_super', '测试值班长', 'supervisor', '$C', yc.hash_password('$PW'))
	ON CONFLICT (staff_no) DO UPDATE SET active = true, failed_logins = 0, locked_until = NULL" >/dev/null
YICHUANG_PASSWORD=$PW run $Y office list --staff sh_clerk
check "a counter clerk is not an administrator: exit 1" '[ $rc -eq 1 ] && err_is "yichuang: sh_clerk is not an administrator."'
YICHUANG_PASSWORD=$PW run $Y office add ${C}009 "x" --staff sh_super
check "nor is a supervisor" '[ $rc -eq 1 ] && err_is "yichuang: sh_super is not an administrator."'
run $Y --db "host=$YICHUANG_VAR/run dbname=yichuang user=yichuang_app" office list --as-owner
check "--as-owner on the application role's connection: refused, exit 1" \
	'[ $rc -eq 1 ] && grep -q "this connection is not the database owner" "$T/err"'

YICHUANG_PASSWORD=$PW run $Y office list --staff sh_cadmin
check "list: the administrator's office and what is below it, in tree order" \
	'[ $rc -eq 0 ] && [ "$(cut -c1-16 "$T/out" | sed "s/ *$//")" = "$C
  ${C}001" ]'
check "with tier, state, windows, name, phone and address" \
	'head -1 "$T/out" | grep -q "^$C  *county  *active  *0/0  *测试市医疗保障服务中心  *0795-6300000  *测试市示例路1号$"'
run $Y office list --as-owner
check "the owner's list has every city" \
	'grep -q "^360973 " "$T/out" && grep -q "^$C " "$T/out" && grep -q "^360981 " "$T/out"'

# --- disable, enable -------------------------------------------------------------
YICHUANG_PASSWORD=$PW run $Y office disable $C --staff sh_cadmin
check "an administrator's own office is not deactivated: exit 1" \
	'[ $rc -eq 1 ] && err_is "yichuang: You cannot deactivate your own office."'
YICHUANG_PASSWORD=$PW run $Y office disable ${C}001 --staff sh_cadmin
check "not while its staff are active: exit 1, says who" \
	'[ $rc -eq 1 ] && err_is "yichuang: ${C}001 cannot be deactivated: its staff (sh_clerk) are still active."'
sql "UPDATE yc.staff SET active = false WHERE staff_no = 'sh_clerk'" >/dev/null
YICHUANG_PASSWORD=$PW run $Y office disable ${C}001 --staff sh_cadmin
check "then deactivated" '[ $rc -eq 0 ] && out_is "${C}001 is deactivated." && [ "$(sql "SELECT active FROM yc.office WHERE code = '"'${C}001'"'")" = f ]'
YICHUANG_PASSWORD=$PW run $Y office add ${C}001001 "测试一村" --staff sh_cadmin
check "nothing is added below a deactivated office: exit 1" \
	'[ $rc -eq 1 ] && err_is "yichuang: the parent ${C}001 is deactivated."'
run $Y office disable $C --as-owner
check "the owner: not a city whose staff are active, exit 1" \
	'[ $rc -eq 1 ] && grep -q "its staff (sh_cadmin)" "$T/err"'
YICHUANG_PASSWORD=$PW run $Y office enable ${C}001 --staff sh_cadmin
check "active again" '[ $rc -eq 0 ] && out_is "${C}001 is active again."'
YICHUANG_PASSWORD=$PW run $Y office enable ${C}001 --staff sh_cadmin
check "enabling an active office says so" '[ $rc -eq 0 ] && out_is "${C}001 is already active."'
YICHUANG_PASSWORD=$PW run $Y office disable ${C}404 --staff sh_cadmin
check "an unknown office: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: there is no office ${C}404."'
run $Y office disable --as-owner
check "disable without a code: exit 2" '[ $rc -eq 2 ]'

# --- import ----------------------------------------------------------------------
printf '\357\273\277Code,Name,Parent,Tier,Address,Phone\r\n%s002,测试二镇,%s,township,"测试市二镇路2号, 一楼",0795-6300002\r\n%s002001,"测试""二镇""一村",%s002,village,,\r\n\r\n%s001,测试一镇,%s,township,测试市一镇路1号,0795-6300001\r\n' \
	$C $C $C $C $C $C >"$T/good.csv"
before=$(offices)
YICHUANG_PASSWORD=$PW run $Y office import "$T/good.csv" --staff sh_cadmin
check "a good file (BOM, CRLF, quotes, a blank line): added and updated, with the line of the update" \
	'[ $rc -eq 0 ] && out_is "$T/good.csv:5: ${C}001 updated.
$T/good.csv: 3 office(s) imported: 2 added, 1 updated, 0 unchanged."'
check "stored as written" \
	'[ "$(sql "SELECT string_agg(code || '"'|'"' || name || '"'|'"' || coalesce(address, '"'-'"') || '"'|'"' || coalesce(phone, '"'-'"'), '"' '"' ORDER BY code) FROM yc.office WHERE code LIKE '"'${C}_%'"'")" = "${C}001|测试一镇|测试市一镇路1号|0795-6300001 ${C}002|测试二镇|测试市二镇路2号, 一楼|0795-6300002 ${C}002001|测试\"二镇\"一村|-|-" ]'
check "the import audited, each office and the whole" \
	'[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'office_import'"' AND staff_no = '"'sh_cadmin'"' AND (after ->> '"'added'"')::int = 2")" = 1 ]'
YICHUANG_PASSWORD=$PW run $Y office import "$T/good.csv" --staff sh_cadmin
check "imported again: unchanged" '[ $rc -eq 0 ] && out_is "$T/good.csv: 3 office(s) imported: 0 added, 0 updated, 3 unchanged."'

cat >"$T/bad.csv" <<EOF
code,name,parent,tier
${C}003,测试三镇,$C,township
${C}00x,坏代码,$C,township
${C}004,测试四镇,$C,town
${C}004001,测试四镇一村,${C}004,village
${C}003,重复,$C,township
${C}003001,测试三镇一村,$C,village
${C}003002,,${C}003,village
360973003,越权,360973,township
${C}005001,无上级,${C}005,village
EOF
before=$(offices)
marks=$(sql "SELECT count(*) FROM yc.audit_log WHERE action LIKE 'office%'")
YICHUANG_PASSWORD=$PW run $Y office import "$T/bad.csv" --staff sh_cadmin
check "a bad file: every refused line as FILE:LINE: message, exit 2" \
	'[ $rc -eq 2 ] && err_is "$T/bad.csv:3: office code \"${C}00x\": 2 digits for a province, 4 for a prefecture, 6 for a county, 9 for a township, 12 for a village.
$T/bad.csv:4: the level is province, prefecture, county, township or village (${C}004 is a township).
$T/bad.csv:5: its parent ${C}004 was refused on line 4.
$T/bad.csv:6: ${C}003 is already on line 2 of the file.
$T/bad.csv:7: the parent of the village ${C}003001 is the township directly above it, ${C}003.
$T/bad.csv:8: the name is required: at most 60 characters, no control characters.
$T/bad.csv:9: 360973003 is neither your office nor below it.
$T/bad.csv:10: the parent ${C}005 does not exist (add it first, or earlier in the file).
8 error(s) in $T/bad.csv: nothing was imported."'
check "nothing of it stored (not even line 2), nothing audited" \
	'[ "$(offices)" = "$before" ] && [ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action LIKE '"'office%'"'")" = "$marks" ]'

printf 'code,name,parent\n%s006,x,%s\n' $C $C >"$T/nohead.csv"
run $Y office import "$T/nohead.csv" --as-owner
check "a header without tier: FILE:1, exit 2" \
	'[ $rc -eq 2 ] && grep -q "^$T/nohead.csv:1: the header has no column \"tier\"" "$T/err"'
printf 'code,name,parent,tier\n%s006,"x,%s,township\n' $C $C >"$T/quote.csv"
run $Y office import "$T/quote.csv" --as-owner
check "a quote never closed: FILE:2" '[ $rc -eq 2 ] && grep -q "^$T/quote.csv:2: a quoted field is not closed$" "$T/err"'
printf 'code,name,parent,tier\n%s006,x,%s\n%s007,\262\342,%s,township\n' $C $C $C $C >"$T/gbk.csv"
run $Y office import "$T/gbk.csv" --as-owner
check "a file in GBK: not UTF-8, FILE:3" \
	'[ $rc -eq 2 ] && grep -q "^$T/gbk.csv:3: not UTF-8 text (save the file as CSV UTF-8)$" "$T/err"'
printf 'code,name,parent,tier\n%s006,x,%s\n%s007,y,%s,township,extra\n' $C $C $C $C >"$T/fields.csv"
run $Y office import "$T/fields.csv" --as-owner
check "the wrong number of fields: each line, exit 2" \
	'[ $rc -eq 2 ] && err_is "$T/fields.csv:2: 3 fields, but the header names 4 columns
$T/fields.csv:3: 5 fields, but the header names 4 columns
2 error(s) in $T/fields.csv: nothing was imported."'
printf 'code,name,parent,tier\n' >"$T/empty.csv"
run $Y office import "$T/empty.csv" --as-owner
check "a header and no office: exit 2" \
	'[ $rc -eq 2 ] && err_is "$T/empty.csv: no office after the header line: nothing was imported."'
run $Y office import "$T/missing.csv" --as-owner
check "a file that is not there: exit 2" '[ $rc -eq 2 ] && grep -q "^yichuang: $T/missing.csv: " "$T/err"'
check "none of these stored anything" '[ "$(offices)" = "$before" ]'

# --- windows ------------------------------------------------------------------
YICHUANG_PASSWORD=$PW run $Y window add --office ${C}001 --window 1 --staff sh_cadmin
check "a window added with the default label" '[ $rc -eq 0 ] && out_is "Window 1 of ${C}001 added."'
YICHUANG_PASSWORD=$PW run $Y window add --office ${C}001 --window 2 --label 帮办窗口 \
	--printer "file:$T/w2.txt" --print-encoding GB18030 --print-width 40 --staff sh_cadmin
check "a window with its printer" '[ $rc -eq 0 ] && out_is "Window 2 of ${C}001 added."'
check "stored" '[ "$(sql "SELECT label || print_channel || print_encoding || print_width FROM yc.service_window WHERE office_code = '"'${C}001'"' AND window_no = 2")" = "帮办窗口file:$T/w2.txtgb1803040" ]'
YICHUANG_PASSWORD=$PW run $Y window add --office ${C}001 --window 2 --printer lp:hall-2 --staff sh_cadmin
check "its printer changed: updated, the rest kept" \
	'[ $rc -eq 0 ] && out_is "Window 2 of ${C}001 updated." && [ "$(sql "SELECT label || print_channel || print_encoding || print_width FROM yc.service_window WHERE office_code = '"'${C}001'"' AND window_no = 2")" = "帮办窗口lp:hall-2gb1803040" ]'
check "audited with before and after" \
	'[ "$(sql "SELECT (before ->> '"'print_channel'"') || '"'>'"' || (after ->> '"'print_channel'"') FROM yc.audit_log WHERE action = '"'window_update'"' AND object = '"'window:${C}001/2'"' AND staff_no = '"'sh_cadmin'"'")" = "file:$T/w2.txt>lp:hall-2" ]'
YICHUANG_PASSWORD=$PW run $Y window add --office ${C}001 --window 2 --print-encoding default --print-width default --staff sh_cadmin
check "default clears a setting" \
	'[ $rc -eq 0 ] && [ "$(sql "SELECT coalesce(print_encoding, '"'-'"') || coalesce(print_width::text, '"'-'"') FROM yc.service_window WHERE office_code = '"'${C}001'"' AND window_no = 2")" = "--" ]'
YICHUANG_PASSWORD=$PW run $Y window list --office ${C}001 --staff sh_cadmin
check "list: number, label, state, channel, encoding, width" \
	'[ $rc -eq 0 ] && sed -n 1p "$T/out" | grep -q "^  1  1号窗口  *active  *default  *default  *default$" && sed -n 2p "$T/out" | grep -q "^  2  帮办窗口  *active  *lp:hall-2  *default  *default$"'
wbefore=$(sql "SELECT count(*) || string_agg(coalesce(print_channel, '-'), ',') FROM yc.service_window WHERE office_code LIKE '$C%'")
run $Y window add --office ${C}001 --window 3 --printer "ftp:x" --as-owner
check "a print channel the workstation does not know: exit 2" \
	'[ $rc -eq 2 ] && grep -q "Unknown printer channel \"ftp:x\"" "$T/err"'
run $Y window add --office ${C}001 --window 3 --printer "lp:two words" --as-owner
check "a queue name with a space, refused by the database: exit 2" \
	'[ $rc -eq 2 ] && err_is "yichuang: the print channel is file:PATH, lp, lp:QUEUE or passthrough."'
run $Y window add --office ${C}001 --window 3 --print-width 132 --as-owner
check "a width of 132: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: --print-width is 80, 40 or default."'
run $Y window add --office ${C}001 --window 3 --print-encoding big5 --as-owner
check "an encoding of big5: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: --print-encoding is utf-8, gb18030 or default."'
run $Y window add --office ${C}001 --window 0 --as-owner
check "window 0: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: --window takes a window number (1-999)."'
run $Y window add --office ${C}001 --as-owner
check "no window number: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: --window N is required."'
run $Y window add --office ${C}404 --window 1 --as-owner
check "an unknown office: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: there is no office ${C}404."'
run $Y window add --office ${C}001 --window 3 --label "一二三四五六七八九十一二三四五六七八九十一" --as-owner
check "a label of 21 characters: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: the window'"'"'s label is required: at most 20 characters."'
YICHUANG_PASSWORD=$PW run $Y window add --office 360973001 --window 1 --staff sh_cadmin
check "another city's office: exit 1" '[ $rc -eq 1 ] && err_is "yichuang: 360973001 is neither your office nor below it."'
check "none of these changed a window" \
	'[ "$(sql "SELECT count(*) || string_agg(coalesce(print_channel, '"'-'"'), '"','"') FROM yc.service_window WHERE office_code LIKE '"'$C%'"'")" = "$wbefore" ]'

# disable: not while someone is signed in there
sql "UPDATE yc.staff SET active = true WHERE staff_no = 'sh_clerk'" >/dev/null
sql "SELECT result FROM yc.login('sh_clerk', '$PW', 1, 'tests/offices.sh')" >/dev/null
YICHUANG_PASSWORD=$PW run $Y window disable --office ${C}001 --window 1 --staff sh_cadmin
check "a window someone is signed in at: exit 1, says who" \
	'[ $rc -eq 1 ] && err_is "yichuang: sh_clerk is signed in at this window: it cannot be deactivated now."'
sql "UPDATE yc.staff_session SET ended_at = now(), end_reason = 'test' WHERE staff_no = 'sh_clerk' AND ended_at IS NULL" >/dev/null
YICHUANG_PASSWORD=$PW run $Y window disable --office ${C}001 --window 1 --staff sh_cadmin
check "then deactivated" '[ $rc -eq 0 ] && out_is "Window 1 of ${C}001 is deactivated."'
check "nobody signs in there any more" \
	'[ "$(sql "SELECT result FROM yc.login('"'sh_clerk'"', '"'$PW'"', 1, '"'tests/offices.sh'"')")" = unknown_window ]'
YICHUANG_PASSWORD=$PW run $Y window enable --office ${C}001 --window 1 --staff sh_cadmin
check "enabled again" '[ $rc -eq 0 ] && out_is "Window 1 of ${C}001 is active again."'
YICHUANG_PASSWORD=$PW run $Y window disable --office ${C}001 --window 9 --staff sh_cadmin
check "an unknown window: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: ${C}001 has no such window."'
run $Y window list --as-owner
check "list without --office: exit 2" '[ $rc -eq 2 ] && err_is "yichuang: --office CODE is required."'
sql "UPDATE yc.staff SET active = false WHERE staff_no IN ('sh_clerk', 'sh_super', 'sh_cadmin')" >/dev/null
tap_plan
