#!/bin/sh
# Deadlines in working days as a clerk's promised date needs them: the day
# itself not counted, statutory holidays skipped, 调休 make-up Saturdays
# counted; beyond the loaded years an error, never a guess; a new year
# loaded from a file (a bad file loads nothing). TAP output.
# Usage: tests/calendar.sh BUILD ADMIN_CONNINFO
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
T=$(mktemp -d /tmp/yc-calendar.XXXXXX)
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
sql() {
	psql -X -A -t -q "$ADMIN" -c "$1" 2>&1
}
add() {
	$Y calendar add-workdays "$1" "$2" 2>"$T/err"
}

check "after 国庆: 2026-09-30 + 1 is 2026-10-08" '[ "$(add 2026-09-30 1)" = 2026-10-08 ]'
check "the make-up Saturday 2026-10-10 counts: 2026-09-30 + 3" '[ "$(add 2026-09-30 3)" = 2026-10-10 ]'
check "the make-up Saturday before 春节 counts: 2026-02-13 + 1" '[ "$(add 2026-02-13 1)" = 2026-02-14 ]'
check "春节 is skipped: 2026-02-13 + 2 is 2026-02-24" '[ "$(add 2026-02-13 2)" = 2026-02-24 ]'
check "an ordinary weekend is skipped: 2026-11-20 (Fri) + 1 is 2026-11-23" '[ "$(add 2026-11-20 1)" = 2026-11-23 ]'
check "zero working days is the same date" '[ "$(add 2026-11-20 0)" = 2026-11-20 ]'
out=$(add 2026-12-31 1)
rc=$?
check "beyond the loaded calendar is an error, not a guess" '[ $rc -eq 1 ] && [ -z "$out" ] && grep -q "beyond the loaded working-day calendar" "$T/err"'
$Y calendar add-workdays 2026-13-01 1 >/dev/null 2>&1
rc=$?
check "a date that does not exist is refused" '[ $rc -eq 2 ]'
$Y calendar add-workdays 2026-11-20 x >/dev/null 2>&1
rc=$?
check "a count that is not a number is refused" '[ $rc -eq 2 ]'

printf '# 2027 for the test\n2027-01-01\t2027-01-01\toff\t元旦\n2027-02-3O\t2027-02-30\toff\t坏日期\n' >"$T/bad.tsv"
$Y --db "$ADMIN" calendar load "$T/bad.tsv" >"$T/bad.out" 2>&1
rc=$?
check "a bad file is refused with its line and loads nothing" \
	'[ $rc -eq 1 ] && grep -q "line 3" "$T/bad.out" && [ "$(sql "SELECT count(*) FROM yc.calendar_year WHERE year = 2027")" = 0 ]'
printf '2027-01-01\t2027-01-01\toff\t元旦\n' >"$T/2027.tsv"
$Y --db "$ADMIN" calendar load "$T/2027.tsv" >"$T/load.out" 2>&1
check "a new year loads" 'grep -q "1 year(s) loaded" "$T/load.out"'
check "and deadlines reach into it: 2026-12-31 + 1 is 2027-01-04" '[ "$(add 2026-12-31 1)" = 2027-01-04 ]'
check "the load is audited" '[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'"'calendar_load'"'"'")" -ge 1 ]'
tap_plan
