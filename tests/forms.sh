#!/bin/sh
# The catalogue commands as an administrator uses them: check the shipped
# forms and the broken examples, load as versions (all or nothing, unchanged
# loads skipped), list, and loaded versions staying as they were for the
# cases accepted under them. TAP output.
# Usage: tests/forms.sh BUILD ADMIN_CONNINFO
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
T=$(mktemp -d /tmp/yc-forms.XXXXXX)
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
files=$(ls forms/*.xml | wc -l)

$Y forms check >"$T/check.out" 2>&1
rc=$?
check "the shipped catalogue passes forms check" '[ $rc -eq 0 ] && grep -q "no problems" "$T/check.out" || { cat "$T/check.out" >&2; false; }'
check "the shipped catalogue has at least 30 case types" '[ "$files" -ge 30 ]'

$Y forms check tests/forms-bad >"$T/bad.out" 2>&1
rc=$?
check "broken examples make forms check fail" '[ $rc -eq 1 ]'
missing=0
while IFS= read -r line; do
	# Subdirectories hold cross-file cases the unit test loads one by one.
	case "$line" in ''|'#'*|*/*) continue ;; esac
	where=${line%%: *}
	grep -q "^tests/forms-bad/$where: " "$T/bad.out" || { echo "# missing: $where" >&2; missing=$((missing + 1)); }
done <tests/forms-bad/EXPECTED
check "every expected file:line is reported" '[ $missing -eq 0 ]'

before=$(sql "SELECT coalesce(max(version), 0) FROM yc.catalogue_version")
$Y --db "$ADMIN" forms load tests/forms-bad >"$T/loadbad.out" 2>&1
rc=$?
check "a broken catalogue is not loaded at all" '[ $rc -eq 1 ] && [ "$(sql "SELECT coalesce(max(version), 0) FROM yc.catalogue_version")" = "$before" ]'

$Y --db "$ADMIN" forms load >"$T/load1.out" 2>&1
v1=$(sql "SELECT max(version) FROM yc.catalogue_version")
check "forms load writes a new version with every definition" \
	'grep -q "Catalogue version $v1 loaded" "$T/load1.out" && [ "$(sql "SELECT count(*) FROM yc.case_type WHERE version = $v1")" = "$files" ]'
$Y --db "$ADMIN" forms load --if-changed >"$T/load2.out" 2>&1
check "an unchanged catalogue is not loaded again" \
	'grep -q "unchanged: version $v1" "$T/load2.out" && [ "$(sql "SELECT max(version) FROM yc.catalogue_version")" = "$v1" ]'
$Y --db "$ADMIN" forms list >"$T/list.out" 2>&1
check "forms list shows each case type with its tiers and limit" \
	'[ "$(grep -c "^[0-9]\{12\} " "$T/list.out")" = "$files" ] && grep "^002036006001 " "$T/list.out" | grep -q "30 working days"'
check "forms list names the levels that accept each case type, highest first" \
	'grep "^002036006001 " "$T/list.out" | grep -q " prefecture、county、township、village  " &&
	 grep "^002036001001 " "$T/list.out" | grep -q " prefecture、county  " &&
	 ! grep "^002036001001 " "$T/list.out" | grep -q "township"'

# A case accepted under v1 keeps it when a revised catalogue is loaded.
sql "INSERT INTO yc.person (id_no, name) VALUES ('36098119800101001X', '测试') ON CONFLICT DO NOTHING;
     INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no,
         first_staff_no) VALUES ('360981', '360981202611220001', '002036006001', $v1,
         '36098119800101001X', 'clerk1')" >"$T/case.out"
check "a case can be recorded under the loaded version" '[ ! -s "$T/case.out" ] || { cat "$T/case.out" >&2; false; }'
mkdir "$T/forms2"
cp forms/*.xml forms/case-type.rng "$T/forms2/"
sed -i 's/revision="[0-9]*"/revision="99"/' "$T/forms2/002036006001.xml"
$Y --db "$ADMIN" forms load --if-changed "$T/forms2" >"$T/load3.out" 2>&1
v2=$(sql "SELECT max(version) FROM yc.catalogue_version")
check "a changed catalogue becomes the next version" '[ "$v2" -eq $((v1 + 1)) ]'
check "the case still refers to the version it was accepted under" \
	'[ "$(sql "SELECT case_type_version FROM yc.service_case WHERE case_no = '"'"'360981202611220001'"'"'")" = "$v1" ]'
check "a loaded version cannot be changed" \
	'sql "UPDATE yc.case_type SET name = '"'"'x'"'"' WHERE version = $v1" | grep -q "cannot be changed"'
check "a loaded version cannot be deleted" \
	'sql "DELETE FROM yc.catalogue_version WHERE version = $v1" | grep -q "cannot be changed"'
check "the load is audited" \
	'[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'"'catalogue_load'"'"'")" -ge 2 ]'

# Issue 19: an empty directory is no catalogue (it would stop every
# intake), and a load that drops most of the case types is refused unless
# forced.
mkdir "$T/empty" "$T/few"
cp forms/002036006001.xml forms/002036007001.xml "$T/few/"
vbefore=$(sql "SELECT max(version) FROM yc.catalogue_version")
$Y forms check "$T/empty" >"$T/empty.out" 2>&1
rc=$?
check "forms check fails on a directory without definitions" \
	'[ $rc -eq 1 ] && grep -q "no case type definition" "$T/empty.out" || { cat "$T/empty.out" >&2; false; }'
$Y --db "$ADMIN" forms load "$T/empty" >"$T/loadempty.out" 2>&1
rc=$?
check "forms load of an empty directory publishes nothing" \
	'[ $rc -eq 1 ] && [ "$(sql "SELECT max(version) FROM yc.catalogue_version")" = "$vbefore" ]'
$Y --db "$ADMIN" forms load --force "$T/empty" >"$T/loadempty2.out" 2>&1
rc=$?
check "not even with --force" \
	'[ $rc -eq 1 ] && [ "$(sql "SELECT max(version) FROM yc.catalogue_version")" = "$vbefore" ]'
$Y --db "$ADMIN" forms load "$T/few" >"$T/loadfew.out" 2>&1
rc=$?
check "a load that would remove most case types is refused, with how many and which" \
	'[ $rc -eq 1 ] && grep -q "would remove $((files - 2)) of the $files case types" "$T/loadfew.out" &&
	 grep -q "002036001001" "$T/loadfew.out" && grep -q -- "--force" "$T/loadfew.out" &&
	 [ "$(sql "SELECT max(version) FROM yc.catalogue_version")" = "$vbefore" ] || { cat "$T/loadfew.out" >&2; false; }'
$Y --db "$ADMIN" forms load --force "$T/few" >"$T/loadforce.out" 2>&1
rc=$?
vforce=$(sql "SELECT max(version) FROM yc.catalogue_version")
check "--force loads it, says what is no longer offered, and the audit row says it was forced" \
	'[ $rc -eq 0 ] && [ "$vforce" -eq $((vbefore + 1)) ] && grep -q "no longer offered" "$T/loadforce.out" &&
	 [ "$(sql "SELECT count(*) FROM yc.case_type WHERE version = $vforce")" = 2 ] &&
	 [ "$(sql "SELECT after ->> '"'"'forced'"'"' || '"'"' '"'"' || (after ->> '"'"'removed'"'"') FROM yc.audit_log
	       WHERE action = '"'"'catalogue_load'"'"' ORDER BY audit_id DESC LIMIT 1")" = "true $((files - 2))" ]'
$Y --db "$ADMIN" forms load >"$T/loadback.out" 2>&1
rc=$?
check "the whole catalogue loads again without --force (nothing removed)" \
	'[ $rc -eq 0 ] && [ "$(sql "SELECT count(*) FROM yc.case_type WHERE version = (SELECT max(version) FROM yc.catalogue_version)")" = "$files" ]'
tap_plan
