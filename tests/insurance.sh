#!/bin/sh
# yichuang insurance import FILE (tui/cmd/cmd_insurance.c): the provincial
# export of insurance history read as CSV, all or nothing: every line the
# file or the server refuses as FILE:LINE: message, exit 2 and nothing
# stored; otherwise the counts, the rows stored (source import, replacing
# a row the window wrote) and one audit row; the same file again changes
# nothing; a clerk may not import. TAP output.
# Usage: tests/insurance.sh BUILD ADMIN_CONNINFO (YICHUANG_VAR: the cluster).
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
T=$(mktemp -d /tmp/yc-insurance.XXXXXX)
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
err_is() {
	[ "$(cat "$T/err")" = "$1" ] || { echo "# stderr: $(cat "$T/err")" >&2; false; }
}
out_is() {
	[ "$(cat "$T/out")" = "$1" ] || { echo "# stdout: $(cat "$T/out")" >&2; false; }
}
A=360981198001010936	# valid ID numbers of this suite's own
B=360981199002020938
rows() {
	sql "SELECT count(*) FROM yc.insurance_year WHERE id_no IN ('$A', '$B')"
}
sql "DELETE FROM yc.insurance_year WHERE id_no IN ('$A', '$B')" >/dev/null
PW=Sh-Secret-1
export YICHUANG_PASSWORD=

run $Y insurance frobnicate --as-owner
check "an unknown subcommand: the usage, exit 2" '[ $rc -eq 2 ] && grep -q "^usage: yichuang insurance import" "$T/err"'
run $Y insurance import "$T/none.csv" --as-owner
check "a missing file: said, exit 2" '[ $rc -eq 2 ] && grep -q "none.csv: No such file" "$T/err"'

# --- refused by the reader: every line, nothing stored ---------------------
printf 'id_no,year,scheme,insured,fund_paid\n%s,2025,居民,是,否\n3609811980,2025,居民,是,否\n%s,25,居民,是,否\n%s,2025,农民,是,否\n%s,2025,职工,maybe,\n' \
	"$A" "$A" "$A" "$A" >"$T/bad.csv"
run $Y insurance import "$T/bad.csv" --as-owner
check "reader errors: each line named, the count, exit 2" '[ $rc -eq 2 ] && err_is "$T/bad.csv:3: id_no \"3609811980\" is not an ID number (18 characters: 17 digits and a digit or X)
$T/bad.csv:4: year \"25\" is not a year (four digits)
$T/bad.csv:5: scheme \"农民\" is not resident (居民) or employee (职工)
$T/bad.csv:6: insured \"maybe\" is not yes or no (1/0, 是/否)
4 error(s) in $T/bad.csv: no insurance record was imported."'
check "nothing stored" '[ "$(rows)" = 0 ]'
printf 'id_no,year\n%s,2025\n' "$A" >"$T/nohead.csv"
run $Y insurance import "$T/nohead.csv" --as-owner
check "a header without insured: said, exit 2" \
	'[ $rc -eq 2 ] && grep -q "^$T/nohead.csv:1: the header has no column \"scheme\"" "$T/err"'

# --- refused by the server: every line, nothing stored ---------------------
printf 'id_no,year,scheme,insured,fund_paid,reward_used\n%s,2025,居民,是,否,否\n360981198001010935,2025,居民,是,否,否\n%s,2025,居民,否,是,否\n%s,2025,居民,是,是,否\n%s,1975,居民,否,,\n' \
	"$A" "$B" "$A" "$A" >"$T/facts.csv"
run $Y insurance import "$T/facts.csv" --as-owner
check "server errors: bad check digit, contradicting facts, a duplicate, a year before birth" \
	'[ $rc -eq 2 ] && err_is "$T/facts.csv:3: not a valid ID number (GB 11643: check the digits and the check character)
$T/facts.csv:4: the facts contradict each other: a year not insured has no premium, reimbursement or reward; a reward is used by a reimbursement; an employee year has no 集中参保期 and no 大病 reward
$T/facts.csv:5: the same person, year and scheme as line 2
$T/facts.csv:6: not a year the person can have been insured in (before their birth, or outside 1998 to 2200)
4 error(s) in $T/facts.csv: no insurance record was imported."'
check "still nothing stored" '[ "$(rows)" = 0 ]'

# --- a good file ---------------------------------------------------------
sql "INSERT INTO yc.insurance_year (id_no, year, scheme, insured, source) VALUES ('$A', 2026, 'resident', true, 'window')" >/dev/null
printf '\357\273\277ID_NO,year,scheme,insured,central,fund_paid,reward_used\r\n%s,2024,居民,是,是,是,否\r\n%s,2025,居民,否,,,\r\n%s,2026,居民,是,1,0,0\r\n%s,2026,职工,1,,1,\r\n' \
	"$A" "$A" "$A" "$B" >"$T/good.csv"
run $Y insurance import "$T/good.csv" --as-owner
check "imported: the counts" '[ $rc -eq 0 ] && out_is "$T/good.csv: 4 record(s) imported: 3 added, 1 updated, 0 unchanged."'
stored=$(sql "SELECT string_agg(concat_ws(':', year, scheme, insured, central, fund_paid, source), ' '
	ORDER BY year, scheme) FROM yc.insurance_year WHERE id_no = '$A'")
check "stored as the export says, the window row replaced" \
	'[ "$stored" = "2024:resident:t:t:t:import 2025:resident:f:f:f:import 2026:resident:t:t:f:import" ]'
audit=$(sql "SELECT (after->>'added') || (after->>'updated') FROM yc.audit_log WHERE action = 'insurance_import'
	ORDER BY audit_id DESC LIMIT 1")
check "one audit row with the counts" '[ "$audit" = 31 ]'
run $Y insurance import "$T/good.csv" --as-owner
check "the same file again: nothing changes" '[ $rc -eq 0 ] && out_is "$T/good.csv: 4 record(s) imported: 0 added, 0 updated, 4 unchanged."'

# --- who may ---------------------------------------------------------------
sql "INSERT INTO yc.staff (staff_no, name, role, office_code, password_hash) VALUES
	('sh_insclerk', '测试柜员', 'clerk', '360981', yc.hash_password('$PW'))
	ON CONFLICT (staff_no) DO UPDATE SET active = true, failed_logins = 0, locked_until = NULL" >/dev/null
YICHUANG_PASSWORD=$PW run $Y insurance import "$T/good.csv" --staff sh_insclerk
check "a clerk may not import: exit 1" '[ $rc -eq 1 ]'
sql "UPDATE yc.staff SET active = false WHERE staff_no = 'sh_insclerk'" >/dev/null
sql "DELETE FROM yc.insurance_year WHERE id_no IN ('$A', '$B')" >/dev/null
tap_plan
