#!/bin/sh
# Deadlines in working days as a clerk's promised date needs them: the day
# itself not counted, statutory holidays skipped, 调休 make-up Saturdays
# counted; across the year's end into the provisional years (statutory
# holidays by law) and said so; beyond the statutory table an error, never
# a guess; a year shown with its basis; the warning of db status; an
# official year loaded from a file (a bad file loads nothing), after which
# the provisional 2027 is put back for the suites that follow. TAP output.
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
check "30 working days from 2026-12-02 is 2027-01-14" '[ "$(add 2026-12-02 30)" = 2027-01-14 ]'
check "and it says the date is provisional" 'grep -q "provisional: 2027 has no official calendar" "$T/err"'
add 2026-12-02 5 >/dev/null
check "a date within the official year says nothing more" '[ ! -s "$T/err" ]'
check "from 2026-12-11 a 15-day item reaches 2027-01-04 over 元旦" '[ "$(add 2026-12-11 15)" = 2027-01-04 ]'
check "春节 2027 spans a weekend: made up on Tuesday and Wednesday" '[ "$(add 2027-02-04 1)" = 2027-02-11 ]'
out=$(add 2099-12-20 10)
rc=$?
check "past the statutory table is an error, not a guess" '[ $rc -eq 1 ] && [ -z "$out" ] && grep -q "beyond the loaded working-day calendar" "$T/err"'
$Y calendar show 2027 >"$T/show" 2>&1
check "show 2027: provisional, with 补假 and no make-up Saturday" \
	'head -1 "$T/show" | grep -q "2027: provisional" && grep -q "2027-05-03  Mon  day off  劳动节补假" "$T/show" && ! grep -q "make-up working day" "$T/show"'
$Y calendar show 2026 >"$T/show" 2>&1
check "show 2026: official, with its make-up Saturday" \
	'head -1 "$T/show" | grep -q "2026: official" && grep -q "2026-10-10  Sat  make-up working day  国庆节调休" "$T/show"'
$Y calendar show 2100 >"$T/show" 2>&1
rc=$?
check "show 2100: not loaded" '[ $rc -eq 1 ] && grep -q "no working-day calendar is loaded for 2100" "$T/show"'
PGOPTIONS="-c yc.test_now=2026-12-02T10:00+08" $Y --db "$ADMIN" db status >"$T/status" 2>&1
check "db status on 2026-12-02 warns that 2027 is not official" \
	'grep -q "official working-day calendar of 2027 is not loaded" "$T/status" && grep -q "provisional (statutory holidays only) from 2027" "$T/status"'
PGOPTIONS="-c yc.test_now=2026-10-31T10:00+08" $Y --db "$ADMIN" db status >"$T/status" 2>&1
check "on 2026-10-31 it does not warn yet" '! grep -q "Warning" "$T/status"'
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
	'[ $rc -eq 1 ] && grep -q "line 3" "$T/bad.out" && [ "$(sql "SELECT basis FROM yc.calendar_year WHERE year = 2027")" = provisional ]'
# issue 19: one line of a year is not the year's calendar
printf '2027-01-01\t2027-01-01\toff\t元旦\n' >"$T/one.tsv"
$Y --db "$ADMIN" calendar load "$T/one.tsv" >"$T/one.out" 2>&1
rc=$?
check "one line of 2027 is refused: 春节 and the other statutory days are not off" \
	'[ $rc -eq 1 ] && grep -q "2027 is not a whole year: 2027-02-05 (春节) is not a day off" "$T/one.out" &&
	 [ "$(sql "SELECT basis FROM yc.calendar_year WHERE year = 2027")" = provisional ] &&
	 [ "$(add 2027-02-04 1)" = 2027-02-11 ] || { cat "$T/one.out" >&2; false; }'
# issue 19: holiday names are bounded, and hold no control character
long=$(printf '假%.0s' $(seq 41))
printf '2027-01-01\t2027-01-01\toff\t%s\n' "$long" >"$T/long.tsv"
$Y --db "$ADMIN" calendar load "$T/long.tsv" >"$T/long.out" 2>&1
rc=$?
check "a holiday name of 41 characters is refused with its line" \
	'[ $rc -eq 1 ] && grep -q "line 1: name longer than 40 characters" "$T/long.out" || { cat "$T/long.out" >&2; false; }'
printf '2027-01-01\t2027-01-01\toff\t元旦\033[2J\n' >"$T/esc.tsv"
$Y --db "$ADMIN" calendar load "$T/esc.tsv" >"$T/esc.out" 2>&1
rc=$?
check "a holiday name with an escape sequence is refused" \
	'[ $rc -eq 1 ] && grep -q "line 1: name holds a control character" "$T/esc.out"'
check "and the database refuses one as well" \
	'sql "INSERT INTO yc.workday_adjustment (day, kind, name) VALUES ('"'"'2099-06-01'"'"', '"'"'off'"'"', repeat('"'"'假'"'"', 41))" | grep -q "workday_adjustment_name_length"'
# the whole 2027: every statutory day off (an invented arrangement)
printf '2027-01-01\t2027-01-01\toff\t元旦\n2027-02-05\t2027-02-08\toff\t春节\n2027-04-05\t2027-04-05\toff\t清明节\n2027-05-01\t2027-05-02\toff\t劳动节\n2027-06-09\t2027-06-09\toff\t端午节\n2027-09-15\t2027-09-15\toff\t中秋节\n2027-10-01\t2027-10-03\toff\t国庆节\n' >"$T/2027.tsv"
$Y --db "$ADMIN" calendar load "$T/2027.tsv" >"$T/load.out" 2>&1
check "a new year loads" 'grep -q "1 year(s) loaded" "$T/load.out" || { cat "$T/load.out" >&2; false; }'
check "and deadlines reach into it: 2026-12-31 + 1 is 2027-01-04" '[ "$(add 2026-12-31 1)" = 2027-01-04 ]'
check "the load is audited" '[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'"'calendar_load'"'"'")" -ge 1 ]'
check "and 2027 is official now" '$Y calendar show 2027 | head -1 | grep -q "2027: official"'
printf '2029-01-01\t2029-01-01\toff\t元旦\n2029-02-12\t2029-02-15\toff\t春节\n2029-04-04\t2029-04-04\toff\t清明节\n2029-05-01\t2029-05-02\toff\t劳动节\n2029-06-16\t2029-06-16\toff\t端午节\n2029-09-22\t2029-09-22\toff\t中秋节\n2029-10-01\t2029-10-03\toff\t国庆节\n' >"$T/2029.tsv"
$Y --db "$ADMIN" calendar load "$T/2029.tsv" >"$T/load.out" 2>&1
rc=$?
check "an official 2029 while 2028 is provisional is refused" \
	'[ $rc -eq 1 ] && grep -q "official years come first" "$T/load.out" && $Y calendar show 2029 | head -1 | grep -q provisional'
# put the provisional 2027 back, as db migrate makes it
sql "DELETE FROM yc.workday_adjustment WHERE day BETWEEN '2027-01-01' AND '2027-12-31'; DELETE FROM yc.calendar_year WHERE year = 2027" >/dev/null
$Y --db "$ADMIN" db migrate >"$T/migrate.out" 2>&1
check "db migrate adds the provisional year again" \
	'grep -q "1 provisional calendar year" "$T/migrate.out" && [ "$(add 2026-12-02 30)" = 2027-01-14 ]'
tap_plan
