#!/bin/sh
# The text-message templates as an administrator meets them through
# `yichuang db migrate`: a bad template (too long, an unknown variable, an
# unknown tag) stops it with file:line before anything is changed (no
# template, no migration); a good edit is loaded and audited, an unchanged
# set is not loaded again; the shipped set is put back at the end. TAP
# output. Usage: tests/sms.sh BUILD ADMIN_CONNINFO
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
T=$(mktemp -d /tmp/yc-sms.XXXXXX)
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$ADMIN" -c "$1" 2>&1
}
state() {	# the templates as loaded: kind, checksum and body of each
	sql "SELECT string_agg(kind || ':' || checksum || ':' || body, ' ' ORDER BY kind) FROM yc.sms_template"
}
S="$T/data/print_templates/sms"
mkdir -p "$T/data/db" "$S"
cp -r db/migrations db/functions db/calendar "$T/data/db/"
cp print_templates/sms/*.mustache "$S/"

before=$(state)
audits=$(sql "SELECT count(*) FROM yc.audit_log WHERE action = 'sms_templates_load'")
check "the cluster has the shipped templates, eleven kinds" \
	'[ "$(sql "SELECT count(*) FROM yc.sms_template")" = 12 ] && [ "$(sql "SELECT body FROM yc.sms_template WHERE kind = '"'"'accepted'"'"'")" = "$(cat print_templates/sms/accepted.mustache)" ]'

# three bad templates and a new migration beside them
printf '%s\n' '【医保】您的{{item}}已受理，办件编号{{case_no}}，承诺{{promised}}前办结。' >"$S/accepted.mustache"
printf '%s\n' '【医保】{{name}}，您的{{item}}已于{{date}}即时办结。' >"$S/finished_now.mustache"
printf '%s\n%s\n' '【医保】您的{{item}}（编号{{case_no}}）' '已撤回。{{> footer}}' >"$S/withdrawn.mustache"
printf 'CREATE TABLE yc.sms_probe (x int);\n' >"$T/data/db/migrations/9999_sms_probe.sql"
YICHUANG_DATADIR="$T/data" $Y --db "$ADMIN" db migrate >"$T/bad.out" 2>"$T/bad.err"
rc=$?
check "a bad template makes db migrate fail" '[ $rc -eq 1 ] || { cat "$T/bad.out" "$T/bad.err" >&2; false; }'
check "too long: file:line and the length" \
	'grep -q "^$S/accepted.mustache:1: the longest message is 72 characters (every variable at its longest), more than the 70 of one text message$" "$T/bad.err"'
check "an unknown variable: file:line and the variables the kind knows" \
	'grep -q "^$S/finished_now.mustache:1: unknown variable {{name}}: finished_now messages know item, case_no, date$" "$T/bad.err"'
check "a second line and an unknown tag: each at its line" \
	'grep -q "^$S/withdrawn.mustache:2: a text message is one line" "$T/bad.err" && grep -q "^$S/withdrawn.mustache:2: tag {{> footer}} is not allowed" "$T/bad.err"'
check "it says nothing was migrated" 'grep -q "4 problem(s) in the text-message templates of $S; nothing was migrated" "$T/bad.err"'
check "no template was loaded" '[ "$(state)" = "$before" ] && [ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'"'sms_templates_load'"'"'")" = "$audits" ]'
check "nor the migration beside them applied" \
	'[ "$(sql "SELECT count(*) FROM public.schema_migrations WHERE version = '"'"'9999_sms_probe'"'"'")" = 0 ] && [ "$(sql "SELECT to_regclass('"'"'yc.sms_probe'"'"') IS NULL")" = t ]'
rm "$T/data/db/migrations/9999_sms_probe.sql"

# a good edit: loaded, the others untouched, audited
cp print_templates/sms/*.mustache "$S/"
printf '%s\n' '【医保】您申请的{{item}}（编号{{case_no}}）已按您的申请撤回。' >"$S/withdrawn.mustache"
YICHUANG_DATADIR="$T/data" $Y --db "$ADMIN" db migrate >"$T/good.out" 2>&1
rc=$?
check "an edited template is loaded" \
	'[ $rc -eq 0 ] && grep -q "^1 text-message template(s) loaded" "$T/good.out" || { cat "$T/good.out" >&2; false; }'
check "the server renders the new text" \
	'[ "$(sql "SELECT yc.sms_render('"'"'withdrawn'"'"', '"'"'{\"item\": \"门诊费用报销\", \"case_no\": \"360981202611230001\"}'"'"')")" = "【医保】您申请的门诊费用报销（编号360981202611230001）已按您的申请撤回。" ]'
check "with its checksum and longest message" \
	'[ "$(sql "SELECT checksum = encode(sha256(convert_to(body || E'"'"'\n'"'"', '"'"'UTF8'"'"')), '"'"'hex'"'"') AND longest = 61 FROM yc.sms_template WHERE kind = '"'"'withdrawn'"'"'")" = t ]'
check "the load is audited" \
	'[ "$(sql "SELECT count(*) FROM yc.audit_log WHERE action = '"'"'sms_templates_load'"'"' AND after ? '"'"'withdrawn'"'"' AND NOT after ? '"'"'accepted'"'"'")" -ge 1 ]'
YICHUANG_DATADIR="$T/data" $Y --db "$ADMIN" db migrate >"$T/again.out" 2>&1
check "an unchanged set is not loaded again" '! grep -q "template(s) loaded" "$T/again.out"'

# the shipped templates back, for the suites after this one
$Y --db "$ADMIN" db migrate >"$T/back.out" 2>&1
check "the shipped set is loaded back" '[ "$(state)" = "$before" ] || { cat "$T/back.out" >&2; false; }'
tap_plan
