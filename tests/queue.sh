#!/bin/sh
# An administrator sets an office's calling policy, wait target and senior
# age with `yichuang queue config`; bad values are refused and change
# nothing; changes are audited. TAP output.
# Usage: tests/queue.sh BUILD ADMIN_CONNINFO
set -u
Y="$(pwd)/$1/yichuang --lang en --db"
ADMIN=$2
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
O=360981001

out=$($Y "$ADMIN" queue config --office $O)
check "an office without settings shows the defaults" 'echo "$out" | grep -q "policy credit, ratio 3, credit 15 minutes, wait target 20 minutes, priority from age 60"'
out=$($Y "$ADMIN" queue config --office $O --policy ratio --ratio 2 --target 30)
check "the policy is changed and shown" 'echo "$out" | grep -q "policy ratio, ratio 2, credit 15 minutes, wait target 30 minutes"'
check "it is stored for that office" '[ "$(sql "SELECT policy || ratio_n || target_minutes FROM yc.queue_config WHERE office_code = '"'"'$O'"'"'")" = ratio230 ]'
check "the change is audited" '[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'"'queue_config'"'"' AND office_code = '"'"'$O'"'"'")" -ge 1 ]'
$Y "$ADMIN" queue config --office $O --policy fastest >/dev/null 2>&1
rc=$?
check "an unknown policy is refused" '[ $rc -eq 2 ]'
$Y "$ADMIN" queue config --office $O --ratio 1000 >/dev/null 2>&1
rc=$?
check "an out-of-range ratio is refused by the database and changes nothing" \
	'[ $rc -eq 1 ] && [ "$(sql "SELECT ratio_n FROM yc.queue_config WHERE office_code = '"'"'$O'"'"'")" = 2 ]'
$Y "$ADMIN" queue config --office 999999 --policy strict >/dev/null 2>&1
rc=$?
check "an unknown office is refused" '[ $rc -eq 1 ]'
$Y "$ADMIN" queue config --office $O --policy credit --ratio 3 --target 20 >/dev/null
tap_plan
