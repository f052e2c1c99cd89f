#!/bin/sh
# The upgrade of a round-1 database: tests/fixtures/round1.sql (a database
# of commit 818dccb, migrations 0001-0014, with its demo data and a few
# days of hall activity; tests/tools/mkround1.sh makes it) is restored into
# a database of its own on the throwaway cluster and migrated by this
# build's `db migrate`. Then: the migration succeeded and applied every
# later file of db/migrations; no row of a round-1 table was lost (tables
# that grow, only by what the migrations document); every case, stage,
# material, event, notice, ticket, rating and audit row keeps its office
# and its facts; the staff keep their offices and sign in with the
# round-1 password through the application role; a second `db migrate`
# changes nothing; `db demo` and `forms load` after it (as `make run` goes
# on) keep every round-1 row; the audit log and the case events are
# partitioned by month (0039), every round-1 row in its month's partition,
# audit ids going on, append-only in every partition. The checks of migration 0024 (office levels:
# 360981 a county under 3609 under 36, no tier 'city') are skipped while
# db/migrations has no 0024 file. The database is dropped at the end.
# TAP output.
# Usage: tests/migrate.sh BUILD ADMIN_CONNINFO (a superuser's, with dbname=)
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
FIXTURE=tests/fixtures/round1.sql
DB=yc_round1_$$
MIG=$(printf '%s\n' "$ADMIN" | sed "s/dbname=[^ ]*/dbname=$DB/")
T=$(mktemp -d /tmp/yc-migrate.XXXXXX)
cleanup() {
	psql -X -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
. tests/tap.sh
sql() {	# a query on the migrated database as the superuser: unaligned, tuples only
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$MIG" -c "$1" 2>&1
}
app() {	# the same as the application role (session_user yichuang_app, as the workstation)
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$MIG" -c "SET SESSION AUTHORIZATION yichuang_app" -c "$1" 2>&1
}
same() {	# same NAME: the fact NAME before and after the migration, with the difference on stderr
	cmp -s "$T/before.$1" "$T/after.$1" ||
		{ diff "$T/before.$1" "$T/after.$1" | sed 's/^/# /' >&2; false; }
}
kept() {	# kept NAME [PHASE]: every line of the fact NAME before the migration is
	# there after it (or at PHASE)
	sort "$T/before.$1" >"$T/before.$1.sorted"
	sort "$T/${2:-after}.$1" >"$T/${2:-after}.$1.sorted"
	[ -z "$(comm -23 "$T/before.$1.sorted" "$T/${2:-after}.$1.sorted")" ] ||
		{ comm -23 "$T/before.$1.sorted" "$T/${2:-after}.$1.sorted" | sed 's/^/# lost: /' >&2; false; }
}
rows() {	# how many lines a file of facts holds
	wc -l <"$1" | tr -d ' '
}
# Checks of migration 0024: skipped while its file is not there.
if [ -n "$(ls db/migrations/0024_*.sql 2>/dev/null)" ]; then
	HAVE_0024=1
else
	HAVE_0024=0
	echo "skipped: the office-level checks wait for db/migrations/0024_*.sql" >&2
fi
check_0024() {
	if [ "$HAVE_0024" -eq 1 ]; then
		check "0024: $1" "$2"
	else
		n=$((n + 1))
		echo "ok $n # SKIP 0024: $1 (db/migrations has no 0024 yet)"
	fi
}

# Rows per table of the schemas yc and public, "schema.table|count".
COUNTS="SELECT table_schema || '.' || table_name || '|' ||
	(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
		table_schema, table_name), false, true, '')))[1]::text
	FROM information_schema.tables
	WHERE table_schema IN ('yc', 'public') AND table_type = 'BASE TABLE' ORDER BY 1"

# The facts that must survive, as queries valid on the round-1 schema and on
# today's (columns that a later migration may reasonably recompute, such as
# promised dates or stage tiers, are left out). facts PHASE writes
# $T/PHASE.NAME for each.
LAST_AUDIT=0
facts() {
	p=$1
	fact() {
		sql "$2" >"$T/$p.$1"
	}
	fact cases "SELECT case_no, office_code, case_type_code, case_type_version, id_no, status,
		channel, first_staff_no, window_no, stage_no, accepted_at, finished_at, ticket_id
		FROM yc.service_case ORDER BY case_no"
	fact stages "SELECT office_code, case_no, stage_no, name, days, work_office, started_at,
		finished_at, finished_by, note FROM yc.case_stage ORDER BY case_no, stage_no"
	fact materials "SELECT office_code, case_no, material_id, state, noticed, due_date, seen_by
		FROM yc.case_material ORDER BY case_no, material_id"
	fact events "SELECT office_code, case_no, seq, kind, staff_no FROM yc.case_event
		ORDER BY case_no, seq"
	fact notices "SELECT notice_no, office_code, case_no, kind, staff_no FROM yc.notice
		ORDER BY notice_no"
	fact tickets "SELECT office_code, ticket_id, day, number, class, status, window_no, id_no
		FROM yc.ticket ORDER BY ticket_id"
	fact tickets_per_office "SELECT office_code, count(*) FROM yc.ticket GROUP BY 1 ORDER BY 1"
	fact ratings "SELECT rating_id, office_code, case_office, case_no, ticket_id, staff_no,
		grade, handled_by FROM yc.rating ORDER BY rating_id"
	fact audit "SELECT audit_id, office_code, staff_no, window_no, action, object
		FROM yc.audit_log WHERE audit_id <= $LAST_AUDIT ORDER BY audit_id"
	fact staff "SELECT staff_no, name, role, office_code, active FROM yc.staff ORDER BY staff_no"
	fact sessions "SELECT session_id, office_code, staff_no, window_no, ended_at IS NULL
		FROM yc.staff_session ORDER BY session_id"
	fact offices "SELECT code, name, CASE WHEN tier IN ('township', 'village')
		THEN tier || ' of ' || parent_code END FROM yc.office ORDER BY code"
	fact windows "SELECT office_code, window_no, label, active FROM yc.service_window
		ORDER BY office_code, window_no"
	fact window_states "SELECT office_code, window_no, state, pause_reason, current_ticket_id
		FROM yc.window_state ORDER BY office_code, window_no"
	fact people "SELECT id_no, name, phone FROM yc.person ORDER BY id_no"
	fact insurance "SELECT id_no, scheme, status, office_code FROM yc.insurance ORDER BY 1, 2"
	fact drafts "SELECT staff_no, office_code, window_no, body FROM yc.intake_draft ORDER BY 1"
	fact handovers "SELECT handover_id, office_code, window_no, staff_no, note FROM yc.handover
		ORDER BY 1"
	fact outbox "SELECT outbox_id, office_code, case_no, channel, recipient FROM yc.outbox
		ORDER BY 1"
	fact catalogue "SELECT code, version, name FROM yc.case_type ORDER BY 1, 2"
	fact appointments "SELECT office_code, code, status FROM yc.appointment ORDER BY 1, 2"
}

# --- the round-1 database ---------------------------------------------------
psql -X -q "$ADMIN" -c "DO \$\$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yichuang_app') THEN
		CREATE ROLE yichuang_app NOLOGIN;
	END IF; END \$\$" -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8'" >"$T/create.log" 2>&1
rc=$?
check "a fresh database for the fixture" '[ $rc -eq 0 ] || { sed "s/^/# /" "$T/create.log" >&2; false; }'
psql -X -q -v ON_ERROR_STOP=1 "$MIG" -f "$FIXTURE" >"$T/restore.log" 2>&1
rc=$?
check "the round-1 fixture restores" '[ $rc -eq 0 ] || { tail -n 5 "$T/restore.log" | sed "s/^/# /" >&2; false; }'
check "it is a round-1 database: migrations 0001 to 0014, no later one" \
	'[ "$(sql "SELECT count(*) || '"' '"' || max(version) FROM public.schema_migrations")" = "14 0014_doc_dates" ]'
check "it holds round-1 activity: cases of every outcome, stages, notices, tickets, ratings, a draft" \
	'[ "$(sql "SELECT string_agg(DISTINCT status, '"','"' ORDER BY status) FROM yc.service_case")" = "accepted,finished,in_progress,pending_supplement,rejected" ] &&
	 [ "$(sql "SELECT (SELECT count(*) FROM yc.case_stage WHERE finished_at IS NOT NULL) > 0
		AND (SELECT count(*) FROM yc.notice WHERE kind = '"'supplement'"') > 0
		AND (SELECT count(*) FROM yc.ticket) > 0 AND (SELECT count(*) FROM yc.rating) > 0
		AND (SELECT count(*) FROM yc.intake_draft) > 0")" = t ]'
LAST_AUDIT=$(sql "SELECT coalesce(max(audit_id), 0) FROM yc.audit_log")
sql "$COUNTS" >"$T/before.counts"
facts before

# --- db migrate -------------------------------------------------------------
later=$(ls db/migrations | sed -n 's/^\([0-9]\{4\}\)_.*\.sql$/\1/p' | awk '$1 > 14' | wc -l | tr -d ' ')
$Y --db "$MIG" db migrate >"$T/migrate1.out" 2>"$T/migrate1.err"
rc=$?
check "db migrate on the round-1 database succeeds" \
	'[ $rc -eq 0 ] || { sed "s/^/# /" "$T/migrate1.err" >&2; false; }'
check "it applies every migration after 0014 ($later)" \
	'grep -q "^Database up to date: $later migration(s) applied" "$T/migrate1.out"'
check "every file of db/migrations is recorded as applied" \
	'[ "$(ls db/migrations | sed -n "s/\.sql$//p" | sort)" = "$(sql "SELECT version FROM public.schema_migrations WHERE version ~ '"'^[0-9]'"' ORDER BY 1")" ]'
sql "$COUNTS" >"$T/after.counts"
facts after

# --- no row lost -------------------------------------------------------------
# Tables that may grow, and by what: every other round-1 table keeps its
# number of rows exactly.
grows() {	# grows TABLE: why the table may grow, nothing when it may not
	case "$1" in
	public.schema_migrations) echo "a row per migration applied and the functions' checksum" ;;
	yc.calendar_year|yc.workday_adjustment) echo "the provisional calendar years (0015, db migrate)" ;;
	yc.setting) echo "the settings of 0016-0023" ;;
	yc.audit_log) echo "db migrate's audit of the calendar and the text-message templates" ;;
	yc.office) [ "$HAVE_0024" -eq 1 ] && echo "the province and prefecture above 360981 (0024)" ;;
	esac
}
while IFS='|' read -r table before; do
	after=$(awk -F'|' -v t="$table" '$1 == t { print $2 }' "$T/after.counts")
	why=$(grows "$table")
	if [ -n "$why" ]; then
		check "$table: no row lost ($before before, ${after:-none} after; grows by $why)" \
			'[ -n "$after" ] && [ "$after" -ge "$before" ]'
	else
		check "$table: every row kept ($before before, ${after:-none} after)" \
			'[ "$after" = "$before" ]'
	fi
done <"$T/before.counts"

# --- every row keeps its office and its facts -------------------------------
check "the $(rows "$T/before.cases") cases keep their number, office, type, applicant, clerk, window, channel, stage and status" 'same cases'
check "the $(rows "$T/before.stages") stages keep their office, the office that works them, their dates and who finished them" 'same stages'
check "the $(rows "$T/before.materials") case materials keep their state and supply-by date" 'same materials'
check "the $(rows "$T/before.events") case events keep their office, kind and staff" 'same events'
check "the $(rows "$T/before.notices") notices (一次性告知书 among them) keep their number, office and case" 'same notices'
check "the $(rows "$T/before.tickets") tickets keep their office, day, number, class, status and window" 'same tickets'
check "the tickets per office are the same: $(tr '\n' ' ' <"$T/before.tickets_per_office")" 'same tickets_per_office'
check "the $(rows "$T/before.ratings") ratings (好差评) keep their office, case, grade and follow-up" 'same ratings'
check "the $LAST_AUDIT round-1 audit rows keep their office, staff, action and object" \
	'[ "$(rows "$T/after.audit")" = "$LAST_AUDIT" ] && same audit'
check "the $(rows "$T/before.staff") staff keep their name, role, office and state" 'same staff'
check "the staff sessions keep their office and whether they are open" 'same sessions'
check "the $(rows "$T/before.offices") offices keep their code and name; townships and villages their parent" 'kept offices'
check "the windows keep their office, number and label" 'same windows'
check "the windows keep their state (a paused one, a ticket on hold)" 'same window_states'
check "the register of persons and their insurance are unchanged" 'same people && same insurance'
check "the saved intake draft is kept" 'same drafts'
check "the handover note is kept" 'same handovers'
check "the text messages written in round 1 are kept" 'same outbox'
check "every version of the catalogue is kept" 'same catalogue'
check "the appointments are kept" 'same appointments'

# --- the history by month (0039) ---------------------------------------------
check "the audit log and the case events are partitioned by range on at" \
	'[ "$(sql "SELECT string_agg(c.relname || '"' '"' || pg_get_partkeydef(c.oid), '"', '"' ORDER BY c.relname)
		FROM pg_class c WHERE c.oid IN ('"'yc.audit_log'"'::regclass, '"'yc.case_event'"'::regclass)")" = "audit_log RANGE (at), case_event RANGE (at)" ]'
check "every round-1 audit row and event is in the partition of its month in China, none in DEFAULT" \
	'[ "$(sql "SELECT count(*) FILTER (WHERE tableoid::regclass::text <> '"'yc.audit_log_'"' || to_char(at AT TIME ZONE '"'Asia/Shanghai'"', '"'YYYYMM'"'))
		FROM yc.audit_log WHERE audit_id <= $LAST_AUDIT")" = 0 ] &&
	 [ "$(sql "SELECT count(*) FILTER (WHERE tableoid::regclass::text <> '"'yc.case_event_'"' || to_char(at AT TIME ZONE '"'Asia/Shanghai'"', '"'YYYYMM'"'))
		FROM yc.case_event")" = 0 ]'
check "the audit ids go on after the round-1 ones: the sequence is past every id, none twice" \
	'[ "$(sql "SELECT (SELECT last_value FROM yc.audit_log_audit_id_seq) >= max(audit_id)
		AND max(audit_id) > $LAST_AUDIT AND count(*) = count(DISTINCT audit_id) FROM yc.audit_log")" = t ]'
check "the audit log is append-only in its partitions too" \
	'! psql -X -q "$MIG" -v ON_ERROR_STOP=1 -c "BEGIN" -c "DELETE FROM yc.audit_log WHERE audit_id <= $LAST_AUDIT" -c "ROLLBACK" >/dev/null 2>&1 &&
	 ! psql -X -q "$MIG" -v ON_ERROR_STOP=1 -c "BEGIN" -c "SET LOCAL session_replication_role = replica" \
		-c "TRUNCATE yc.audit_log_$(sql "SELECT to_char(max(at) AT TIME ZONE '"'Asia/Shanghai'"', '"'YYYYMM'"') FROM yc.audit_log WHERE audit_id <= $LAST_AUDIT")" \
		-c "ROLLBACK" >/dev/null 2>&1'
check "the application role still reads the events of its own offices only (row-level security)" \
	'[ "$(app "SELECT count(*) FROM yc.case_event")" = 0 ] &&
	 [ "$(sql "SELECT relrowsecurity FROM pg_class WHERE oid = '"'yc.case_event'"'::regclass")" = t ]'

# --- a second db migrate ------------------------------------------------------
$Y --db "$MIG" db migrate >"$T/migrate2.out" 2>"$T/migrate2.err"
rc=$?
check "a second db migrate succeeds" '[ $rc -eq 0 ] || { sed "s/^/# /" "$T/migrate2.err" >&2; false; }'
check "it applies nothing: no migration, no function file, no calendar year, no template" \
	'grep -q "^Database up to date: 0 migration(s) applied, 0 calendar year(s) loaded" "$T/migrate2.out" &&
	 [ "$(grep -vc "^Database up to date" "$T/migrate2.out")" = 0 ] && ! grep -q "applying" "$T/migrate2.err"'
sql "$COUNTS" >"$T/again.counts"
check "and changes no table's number of rows" \
	'cmp -s "$T/after.counts" "$T/again.counts" || { diff "$T/after.counts" "$T/again.counts" | sed "s/^/# /" >&2; false; }'

# --- office levels (0024) -----------------------------------------------------
office() {	# office CODE: "tier parent" of an office
	sql "SELECT tier || ' ' || coalesce(parent_code, '-') FROM yc.office WHERE code = '$1'"
}
check_0024 "360981 is a county whose parent is 3609" '[ "$(office 360981)" = "county 3609" ]'
check_0024 "3609 is a prefecture whose parent is 36" '[ "$(office 3609)" = "prefecture 36" ]'
check_0024 "36 is a province, at the top" '[ "$(office 36)" = "province -" ]'
check_0024 "no office has the tier city any more" \
	'[ "$(sql "SELECT count(*) FROM yc.office WHERE tier = '"'city'"'")" = 0 ]'
check_0024 "the database refuses the tier city for an office" \
	'! psql -X -q "$MIG" -c "BEGIN" -c "UPDATE yc.office SET tier = '"'city'"' WHERE code = '"'360981'"'" \
		-c "ROLLBACK" -v ON_ERROR_STOP=1 >/dev/null 2>&1'
check_0024 "no stage of a round-1 case has the tier city any more" \
	'[ "$(sql "SELECT count(*) FROM yc.case_stage WHERE tier = '"'city'"'")" = 0 ]'
check_0024 "no case type lists the tier city any more" \
	'[ "$(sql "SELECT count(*) FROM yc.case_type WHERE '"'city'"' = ANY (tiers)")" = 0 ]'

# --- the staff sign in ------------------------------------------------------------
# Through the application role with the round-1 password (Demo-1234). A
# password older than password_max_age_days has expired (the fixture ages):
# then yc.login says so and the sign-in with a new one must open the session.
signin() {	# signin STAFF WINDOW: "result office", with the round-1 password
	w=${2:-NULL}
	expired=$(sql "SELECT yc.password_expired(s) FROM yc.staff s WHERE staff_no = '$1'")
	if [ "$expired" = t ]; then
		got=$(app "SELECT result FROM yc.login('$1', 'Demo-1234', $w, 'tests/migrate')")
		[ "$got" = password_expired ] || { echo "expired password: $got"; return; }
		app "SELECT result || ' ' || office_code FROM
			yc.login_change_password('$1', 'Demo-1234', 'Round2-Pass-9', $w, 'tests/migrate')"
	else
		app "SELECT result || ' ' || office_code FROM yc.login('$1', 'Demo-1234', $w, 'tests/migrate')"
	fi
}
while IFS='|' read -r staff role office; do
	# at the window of the staff's last round-1 session; a clerk needs one
	w=$(sql "SELECT window_no FROM yc.staff_session WHERE staff_no = '$staff'
		ORDER BY session_id DESC LIMIT 1")
	[ -z "$w" ] && [ "$role" = clerk ] && w=1
	got=$(signin "$staff" "$w")
	check "$staff ($role of $office) signs in${w:+ at window $w} with the round-1 password" \
		'[ "$got" = "ok $office" ] || { echo "# got: $got" >&2; false; }'
done <<EOF
$(cut -d'|' -f1,3,4 "$T/before.staff")
EOF
check "a wrong password is still refused" \
	'[ "$(app "SELECT result FROM yc.login('"'clerk2'"', '"'Demo-12345'"', 2, '"'tests/migrate'"')")" = bad_credentials ]'

# --- then as `make run` goes on: db demo, forms load ---------------------------
$Y --db "$MIG" db demo >"$T/demo.out" 2>&1
rc=$?
check "db demo on the upgraded database succeeds" '[ $rc -eq 0 ] || { sed "s/^/# /" "$T/demo.out" >&2; false; }'
$Y --db "$MIG" forms load >"$T/forms.out" 2>&1
rc=$?
check "forms load on it succeeds" '[ $rc -eq 0 ] || { sed "s/^/# /" "$T/forms.out" >&2; false; }'
facts final
check "after them every round-1 case, stage, notice and ticket is as it was" \
	'kept cases final && kept stages final && kept notices final && kept tickets final'
check "every round-1 staff member, office and window is as it was (the demo adds, never overwrites)" \
	'kept staff final && kept offices final && kept windows final'
check "every round-1 version of the catalogue is still there" 'kept catalogue final'
tap_plan
