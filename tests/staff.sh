#!/bin/sh
# yichuang staff add|edit|list|disable|enable|reset-password|unlock, with
# good and bad input: as the database owner (--as-owner) and as a signed-in
# administrator (--staff, the password from YICHUANG_PASSWORD or standard
# input); bad input exits 2 with one sentence and changes nothing, a
# refusal (not an administrator, outside the administrator's offices, the
# last administrator, one's own account, a failed sign-in) exits 1; the
# temporary password is printed alone on the first line, once, and is
# nowhere in the audit log. TAP output.
# Usage: tests/staff.sh BUILD ADMIN_CONNINFO APP_CONNINFO
set -u
B="$(pwd)/$1/yichuang"
ADMIN=$2
APP=$3
Y="$B --lang en --db"
. tests/tap.sh
D=$(mktemp -d /tmp/yc-staff.XXXXXX)
trap 'rm -rf "$D"' EXIT
TAP_TMP=$D/cmd
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
C=360976
T=$C"001"
PW=Tsh-Secret-4
T_CLINIC=002036006001

clean() {
	sql "DELETE FROM yc.service_case WHERE office_code LIKE '$C%';
	     DELETE FROM yc.staff_session WHERE staff_no LIKE 'tsh\\_%';
	     DELETE FROM yc.staff WHERE staff_no LIKE 'tsh\\_%'" >/dev/null
}
sql "INSERT INTO yc.office (code, name, tier, parent_code, region_code) VALUES
	('$C', '人员命令测试市医保中心', 'county', '3609', '$C'),
	('$T', '人员命令测试街道', 'township', '$C', '$C')
	ON CONFLICT DO NOTHING;
     INSERT INTO yc.service_window (office_code, window_no, label) VALUES ('$C', 1, '1号窗口')
	ON CONFLICT DO NOTHING" >/dev/null
clean
sql "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES
	('tsh_cadmin', '市管理员', 'admin', '$C', yc.hash_password('$PW')),
	('tsh_tadmin', '街道管理员', 'admin', '$T', yc.hash_password('$PW')),
	('tsh_tclerk', '街道柜员', 'clerk', '$T', yc.hash_password('$PW'))" >/dev/null
staff_count() {
	sql "SELECT count(*) FROM yc.staff WHERE staff_no LIKE 'tsh\\_%'"
}
login() {	# login STAFF PASSWORD: the result word of yc.login at window 1
	sql "SELECT result FROM yc.login('$1', '$2', 1, 'tests/staff.sh')"
}
mark=$(sql "SELECT coalesce(max(audit_id), 0) FROM yc.audit_log")

# ---- add, as the database owner (the first set-up)
out=$($Y "$ADMIN" staff --as-owner add tsh_c1 --name 甲柜员 --role clerk --office $C 2>"$TAP_TMP.err")
rc=$?
temp=$(echo "$out" | head -n 1)
check "staff add (database owner) adds the account" '[ $rc -eq 0 ] && [ "$(sql "SELECT name || role || office_code FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = "甲柜员clerk$C" ]'
check "it prints the temporary password alone on the first line" 'echo "$temp" | grep -Eq "^[A-HJ-NP-Za-km-z2-9]{10}$"'
check "and says it is shown once and must be changed" 'echo "$out" | sed -n 2p | grep -q "temporary password, shown only this once: it must be changed at the first sign-in"'
check "the account must change it: the sign-in opens no session" '[ "$(login tsh_c1 "$temp")" = password_reset ]'

# ---- bad input: exit 2, one sentence, nothing changed
before=$(staff_count)
bad() {	# bad DESCRIPTION EXPECTED-MESSAGE ARGS...
	desc=$1
	want=$2
	shift 2
	$Y "$ADMIN" staff --as-owner "$@" >"$TAP_TMP.out" 2>"$TAP_TMP.err"
	rc=$?
	check "$desc: exit 2, \"$want\", nothing changed" \
		'[ $rc -eq 2 ] && grep -qF -- "$want" "$TAP_TMP.err" && [ "$(wc -l <"$TAP_TMP.err")" -le 6 ] && [ "$(staff_count)" = "$before" ] && [ ! -s "$TAP_TMP.out" ]'
}
bad "an unknown command" "unknown staff command: fire" fire tsh_c1
bad "add without a staff number" "the staff number is missing" add --name 乙 --role clerk --office $C
bad "a staff number in capitals" "a staff number has 3 to 32 small letters, digits or underscores: Tsh_c2" add Tsh_c2 --name 乙 --role clerk --office $C
bad "add without --office" "staff add needs --name NAME, --role ROLE and --office CODE" add tsh_c2 --name 乙 --role clerk
bad "an unknown role" "the role is one of clerk, reviewer, supervisor, admin, guide: boss" add tsh_c2 --name 乙 --role boss --office $C
bad "a malformed office code" "an office code has 2, 4, 6, 9 or 12 digits: 36097" add tsh_c2 --name 乙 --role clerk --office 36097
bad "an office that does not exist" "There is no office with that code." add tsh_c2 --name 乙 --role clerk --office ${C}009
bad "an empty name" "the name is empty" add tsh_c2 --name "  " --role clerk --office $C
bad "a name over 40 characters" "Enter the name (at most 40 characters)." add tsh_c2 --name 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一 --role clerk --office $C
bad "a staff number taken" "That staff number is already taken." add tsh_c1 --name 乙 --role clerk --office $C
bad "an unknown option" "unknown option: --window" add tsh_c2 --name 乙 --role clerk --office $C --window 3
bad "an option without its value" "this option needs a value: --office" add tsh_c2 --name 乙 --role clerk --office
bad "an option twice" "this option is given twice: --name" add tsh_c2 --name 乙 --name 丙 --role clerk --office $C
bad "two staff numbers" "one staff number only: tsh_c3" disable tsh_c2 tsh_c3
bad "edit without a change" "staff edit needs --name, --role or --office" edit tsh_c1
bad "edit with a bad role" "the role is one of clerk, reviewer, supervisor, admin, guide: chief" edit tsh_c1 --role chief
bad "edit of an unknown office" "There is no office with that code." edit tsh_c1 --office ${C}009
bad "disable with --name" "--name, --role and --office are for staff add, edit and list" disable tsh_c1 --name 乙
bad "an unknown staff number" "There is no staff member with that staff number." disable tsh_nobody
bad "reset-password of an unknown staff number" "There is no staff member with that staff number." reset-password tsh_nobody
bad "unlock without a staff number" "the staff number is missing" unlock
bad "list with a staff number" "staff list takes no staff number (use --find): tsh_c1" list tsh_c1
bad "list in an unknown state" "the state is one of all, active, disabled, locked, must_change: asleep" list --state asleep
bad "list of an unknown office" "There is no office with that code." list --office ${C}009
check "nothing was changed by any of them" '[ "$(sql "SELECT name || role || office_code || active FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = "甲柜员clerk${C}true" ]'

# ---- list
out=$($Y "$ADMIN" staff --as-owner list --office $C)
rc=$?
check "staff list shows the offices' accounts, one a line" '[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 4 ] && echo "$out" | grep -q "^tsh_c1 .*甲柜员 .*Counter clerk .*$C .*temporary password"'
out=$($Y "$ADMIN" staff --as-owner list --office $C --state must_change)
check "--state must_change lists the accounts with a temporary password" '[ "$(echo "$out" | cut -d" " -f1)" = tsh_c1 ]'
out=$($Y "$ADMIN" staff --as-owner list --find 街道 --role admin)
check "--find and --role filter" '[ "$(echo "$out" | cut -d" " -f1)" = tsh_tadmin ]'

# ---- as a signed-in administrator
out=$(YICHUANG_PASSWORD=$PW $Y "$APP" staff list --staff tsh_tadmin)
rc=$?
check "--staff signs in: a township administrator lists its township only" '[ $rc -eq 0 ] && [ "$(echo "$out" | cut -d" " -f1 | tr "\n" " ")" = "tsh_tadmin tsh_tclerk " ]'
out=$(echo "$PW" | $Y "$APP" staff list --staff tsh_cadmin --office $T)
rc=$?
check "the password may come on standard input" '[ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 2 ]'
YICHUANG_PASSWORD=$PW $Y "$APP" staff disable tsh_c1 --staff tsh_tadmin >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "a township administrator cannot disable the city's clerk: exit 1, the database says why" \
	'[ $rc -eq 1 ] && grep -q "outside your office and the offices below it" "$TAP_TMP.err" && [ "$(sql "SELECT active FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = t ]'
YICHUANG_PASSWORD=$PW $Y "$APP" staff add tsh_c9 --name 丁 --role clerk --office $C --staff tsh_tadmin >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "nor add one at the city" '[ $rc -eq 1 ] && [ "$(staff_count)" = "$before" ]'
YICHUANG_PASSWORD=wrong-Pass-1 $Y "$APP" staff list --staff tsh_cadmin >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "a wrong password: exit 1" '[ $rc -eq 1 ] && grep -q "Wrong staff number or password." "$TAP_TMP.err" && [ ! -s "$TAP_TMP.out" ]'
YICHUANG_PASSWORD=$PW $Y "$APP" staff list --staff tsh_tclerk >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "a clerk is no administrator: exit 1" '[ $rc -eq 1 ] && grep -q "tsh_tclerk is not an administrator" "$TAP_TMP.err"'
$Y "$APP" staff list >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "without --staff or --as-owner: told who may act, exit 2" '[ $rc -eq 2 ] && grep -q "Say who acts: --staff STAFFNO" "$TAP_TMP.err"'
$Y "$APP" staff --as-owner list >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "--as-owner on the application role is refused: exit 1" '[ $rc -eq 1 ] && grep -q "not the database owner" "$TAP_TMP.err"'
$Y "$APP" staff list --staff tsh_cadmin </dev/null >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "--staff without a password: exit 1" '[ $rc -eq 1 ] && grep -q "No password" "$TAP_TMP.err"'
check "the command's sessions are closed" '[ "$(sql "SELECT count(*) FROM yc.staff_session WHERE staff_no LIKE '"'"'tsh\\_%'"'"' AND ended_at IS NULL")" = 0 ]'

# ---- edit
out=$(YICHUANG_PASSWORD=$PW $Y "$APP" staff edit tsh_c1 --name 乙柜员 --staff tsh_cadmin)
rc=$?
check "staff edit changes the name, audited as the administrator" \
	'[ $rc -eq 0 ] && echo "$out" | grep -q "The account tsh_c1 is saved." && [ "$(sql "SELECT name FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = 乙柜员 ] && [ "$(sql "SELECT staff_no || (before ->> '"'"'name'"'"') || (after ->> '"'"'name'"'"') FROM yc.audit_log WHERE action = '"'"'staff_edit'"'"' AND object = '"'"'staff:tsh_c1'"'"' AND audit_id > $mark")" = tsh_cadmin甲柜员乙柜员 ]'
out=$($Y "$ADMIN" staff --as-owner edit tsh_c1 --name 乙柜员)
rc=$?
check "the same again: nothing to change, exit 0" '[ $rc -eq 0 ] && echo "$out" | grep -q "Nothing to change"'
out=$($Y "$ADMIN" staff --as-owner edit tsh_c1 --office $T --role supervisor)
check "office and role" '[ "$(sql "SELECT role || office_code FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = "supervisor$T" ]'
$Y "$ADMIN" staff --as-owner edit tsh_c1 --office $C --role clerk >/dev/null

# ---- disable and enable
ver=$(sql "SELECT max(version) FROM yc.case_type WHERE code = '$T_CLINIC'")
sql "INSERT INTO yc.person (id_no, name) VALUES ('360981198001010012', '命令测试') ON CONFLICT DO NOTHING;
     INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no, status,
	first_staff_no, accepted_at, promised_date)
     VALUES ('$C', '${C}202601050001', '$T_CLINIC', $ver, '360981198001010012', 'accepted', 'tsh_c1', now(),
	current_date + 30)" >/dev/null
out=$($Y "$ADMIN" staff --as-owner disable tsh_c1)
rc=$?
check "staff disable: the account cannot sign in" '[ $rc -eq 0 ] && echo "$out" | grep -q "tsh_c1 is disabled and can no longer sign in." && [ "$(login tsh_c1 "$temp")" = disabled ]'
check "its open cases are listed for a supervisor to hand over" 'echo "$out" | grep -q "1 open cases of theirs" && echo "$out" | grep -q "^  ${C}202601050001  Accepted"'
out=$($Y "$ADMIN" staff --as-owner disable tsh_c1)
rc=$?
check "disable again: nothing to change, exit 0" '[ $rc -eq 0 ] && echo "$out" | grep -q "Nothing to change"'
out=$($Y "$ADMIN" staff --as-owner enable tsh_c1)
rc=$?
check "staff enable: it may sign in again" '[ $rc -eq 0 ] && echo "$out" | grep -q "tsh_c1 can sign in again." && [ "$(login tsh_c1 "$temp")" = password_reset ]'

# ---- reset-password and unlock
sql "UPDATE yc.staff SET locked_until = now() + interval '10 minutes' WHERE staff_no = 'tsh_c1'" >/dev/null
out=$(YICHUANG_PASSWORD=$PW $Y "$APP" staff reset-password tsh_c1 --staff tsh_cadmin)
rc=$?
temp2=$(echo "$out" | head -n 1)
check "staff reset-password prints a new temporary password, unlocks the account" \
	'[ $rc -eq 0 ] && echo "$temp2" | grep -Eq "^[A-HJ-NP-Za-km-z2-9]{10}$" && [ "$temp2" != "$temp" ] && [ "$(sql "SELECT (locked_until IS NULL) || must_change_password::text FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = truetrue ]'
check "the old temporary password is gone, the new one must be changed" '[ "$(login tsh_c1 "$temp")" = bad_credentials ] && [ "$(login tsh_c1 "$temp2")" = password_reset ]'
sql "UPDATE yc.staff SET locked_until = now() + interval '10 minutes' WHERE staff_no = 'tsh_c1'" >/dev/null
out=$($Y "$ADMIN" staff --as-owner unlock tsh_c1)
rc=$?
check "staff unlock ends the lock" '[ $rc -eq 0 ] && echo "$out" | grep -q "tsh_c1 is unlocked." && [ "$(sql "SELECT locked_until IS NULL FROM yc.staff WHERE staff_no = '"'"'tsh_c1'"'"'")" = t ]'
out=$($Y "$ADMIN" staff --as-owner unlock tsh_c1)
rc=$?
check "unlock of an account not locked: says so, exit 0" '[ $rc -eq 0 ] && echo "$out" | grep -q "The account is not locked."'

# ---- oneself, the last administrator
YICHUANG_PASSWORD=$PW $Y "$APP" staff reset-password tsh_cadmin --staff tsh_cadmin >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "an administrator's own account: exit 1" '[ $rc -eq 1 ] && grep -q "Not your own account" "$TAP_TMP.err"'
$Y "$ADMIN" staff --as-owner disable tsh_cadmin >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "the last administrator of the city: exit 1, still active" '[ $rc -eq 1 ] && grep -q "the last administrator of the office (a county or above)" "$TAP_TMP.err" && [ "$(sql "SELECT active FROM yc.staff WHERE staff_no = '"'"'tsh_cadmin'"'"'")" = t ]'
$Y "$ADMIN" staff --as-owner edit tsh_cadmin --role clerk >"$TAP_TMP.out" 2>"$TAP_TMP.err"
rc=$?
check "nor demoted" '[ $rc -eq 1 ] && [ "$(sql "SELECT role FROM yc.staff WHERE staff_no = '"'"'tsh_cadmin'"'"'")" = admin ]'

# ---- never a password in the audit log
check "the temporary passwords are nowhere in the audit log" '[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE audit_id > $mark AND (coalesce(before::text, '"''"') || coalesce(after::text, '"''"')) ~ '"'"'$temp|$temp2|\\\$2[ab]\\\$'"'"'")" = 0 ]'
clean
tap_plan
