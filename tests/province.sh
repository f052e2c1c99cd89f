#!/bin/sh
# The province database fed by logical replication (README "Databases",
# db/migrations/0035_replication.sql): two prefecture databases (private
# clusters with wal_level = logical) and a province database (a third),
# all on Unix sockets in a temporary directory. Each prefecture's
# publication yc_province is subscribed to at the province as a login role
# with REPLICATION and BYPASSRLS, member of yichuang_publisher; a ticket
# issued and a case accepted in each prefecture (宜春 360981 and 南昌
# 360102) reach the province database, and `report daily` there counts
# them, per office and for the province with --with-below. Waits poll the
# subscriptions' positions against the publishers' (no sleep-and-hope).
# TAP output.
# Usage: tests/province.sh BUILD
set -u
B=$1
Y="$(pwd)/$B/yichuang"
V=$(mktemp -d /tmp/yc-province.XXXXXX)
chmod 755 "$V"
unset PGHOST PGHOSTADDR PGDATABASE PGSERVICE PGUSER PGPORT YICHUANG_READ_DB
. tests/tap.sh
cleanup() {
	for c in a b p; do YICHUANG_VAR="$V/$c" "$Y" db down >/dev/null 2>&1; done
	rm -rf "$V"
}
trap cleanup EXIT
ci() { echo "host=$V/$1/run dbname=yichuang user=${2:-postgres}"; }
sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$(ci "$1")" -c "$2" 2>&1; }
# the day of a ticket and of the daily report is the day in Asia/Shanghai
TODAY=$(TZ=Asia/Shanghai date +%F)

# A cluster with its schema: db up, wal_level (restart), migrate, forms.
prepare() {
	export YICHUANG_VAR="$V/$1"
	"$Y" db up && sql "$1" "SELECT 1" >/dev/null &&
		psql -X -q "host=$V/$1/run dbname=postgres user=postgres" -c "ALTER SYSTEM SET wal_level = logical" &&
		"$Y" db down && "$Y" db up && "$Y" db migrate && "$Y" db demo && "$Y" forms load
}
ok=1
for c in a b p; do
	prepare $c >"$V/setup-$c.log" 2>&1 || { ok=0; sed 's/^/# /' "$V/setup-$c.log"; }
done
check "three clusters with wal_level = logical" \
	'[ $ok = 1 ] && [ "$(sql a "SHOW wal_level")" = logical ] && [ "$(sql b "SHOW wal_level")" = logical ]'
check "the migration publishes the report tables" \
	'[ "$(sql a "SELECT count(*) FROM pg_publication_tables WHERE pubname = '"'yc_province'"'")" = 8 ]'
# What each database holds of its own: the demo's appointments are
# 360981's, so prefecture b (南昌) and the province drop them.
sql b "DELETE FROM yc.appointment" >/dev/null
sql p "DELETE FROM yc.appointment" >/dev/null
YICHUANG_VAR="$V/a" "$Y" hours set --as-owner --office 360981 --day all --hours 00:00-24:00 >/dev/null
YICHUANG_VAR="$V/b" "$Y" hours set --as-owner --office 360102 --day all --hours 00:00-24:00 >/dev/null
sql b "INSERT INTO yc.service_window (office_code, window_no, label) VALUES ('360102', 1, '1号窗口')
	ON CONFLICT DO NOTHING" >/dev/null

# What the DBA does: the feed's login role on each prefecture, a
# subscription per prefecture at the province.
for c in a b; do
	sql $c "CREATE ROLE province_feed LOGIN REPLICATION BYPASSRLS IN ROLE yichuang_publisher" >/dev/null
	sql p "CREATE SUBSCRIPTION yc_from_$c CONNECTION '$(ci $c province_feed)' PUBLICATION yc_province" \
		>"$V/sub-$c.log" 2>&1
done
check "the province subscribes to both prefectures" \
	'[ "$(sql p "SELECT count(*) FROM pg_subscription WHERE subenabled")" = 2 ]'

# Until every table is synchronised and each subscription has received
# what its publisher has written now (at most 30 s).
synced() {
	for c in a b; do
		lsn=$(sql $c "SELECT pg_current_wal_lsn()")
		i=0
		until [ "$(sql p "SELECT count(*) = 0 FROM pg_subscription_rel WHERE srsubstate <> 'r'")" = t ] &&
			[ "$(sql p "SELECT coalesce(bool_and(latest_end_lsn >= '$lsn'::pg_lsn), false)
				FROM pg_stat_subscription WHERE subname = 'yc_from_$c' AND relid IS NULL")" = t ]; do
			i=$((i + 1))
			[ $i -le 600 ] || return 1
			sleep 0.05
		done
	done
}
# A case accepted in a prefecture database (as superuser, as tests/report.sh
# writes its fixture): office, case number, staff.
accept() {
	sql "$1" "INSERT INTO yc.person (id_no, name) VALUES ('36098119900615003X', '张丽') ON CONFLICT DO NOTHING;
		INSERT INTO yc.service_case (office_code, case_no, case_type_code, case_type_version, id_no,
			status, first_staff_no, accepted_at, promised_date)
		SELECT '$2', '$2' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '$3', ct.code,
			ct.version, '36098119900615003X', 'accepted', s.staff_no, now(), current_date + 20
		  FROM yc.case_type ct, yc.staff s
		 WHERE s.staff_no = (SELECT min(staff_no) FROM yc.staff)
		 ORDER BY ct.code, ct.version LIMIT 1" >/dev/null
}
ta=$(YICHUANG_VAR="$V/a" "$Y" ticket issue --office 360981 2>&1 | head -n 1)
tb=$(YICHUANG_VAR="$V/b" "$Y" ticket issue --office 360102 2>&1 | head -n 1)
accept a 360981 0001
accept b 360102 0001
synced
check "the ticket of each prefecture is in the province database" \
	'[ "$(sql p "SELECT string_agg(office_code || '"' '"' || number, '"','"' ORDER BY office_code)
		FROM yc.ticket WHERE day = '"'$TODAY'"'")" = "360102 $tb,360981 $ta" ]'
qc() { sql p "SELECT waiting FROM yc.queue_counts('$1') WHERE class = 'normal'"; }
check "the province's queue counts show each prefecture's waiting ticket" \
	'[ "$(qc 360981)" = 1 ] && [ "$(qc 360102)" = 1 ]'
check "and the case of each" \
	'[ "$(sql p "SELECT count(*) FROM yc.service_case WHERE office_code IN ('"'360981', '360102'"')")" = 2 ]'
check "the province's own tables took no row from elsewhere (persons stay in the prefectures)" \
	'[ "$(sql p "SELECT count(*) FROM yc.person WHERE id_no = '"'36098119900615003X'"'")" = 0 ]'
rep() { "$Y" --lang en --db "$(ci p)" report daily --date "$TODAY" --office "$@" 2>&1; }
check "the province's daily report of 360981 counts its ticket and case" \
	'rep 360981 | grep -q "^Tickets issued 1," && rep 360981 | grep -q "^Total  *1 "'
check "and that of 360102 the other prefecture's" \
	'rep 360102 | grep -q "^Tickets issued 1," && rep 360102 | grep -q "^Total  *1 "'
check "the province's report with --with-below has both" \
	'rep 36 --with-below >"$V/prov.txt" && grep -Eq "^ *丰城市.* 1 +0 +0 +- +1 " "$V/prov.txt" &&
	grep -Eq "^ *东湖区.* 1 +0 +0 +- +1 " "$V/prov.txt" && grep -Eq "^Total +2 +0 +0 +- +2 " "$V/prov.txt"'

# A later ticket follows, and an update of one (called) too.
tc=$(YICHUANG_VAR="$V/a" "$Y" ticket issue --office 360981 2>&1 | head -n 1)
sql a "UPDATE yc.ticket SET status = 'cancelled', finished_at = now() WHERE office_code = '360981' AND number = '$ta'
	AND day = '$TODAY'" >/dev/null
synced
check "a later ticket and an update reach the province" \
	'[ "$(sql p "SELECT count(*) FROM yc.ticket WHERE office_code = '"'360981'"' AND number = '"'$tc'"'")" = 1 ] &&
	[ "$(sql p "SELECT status FROM yc.ticket WHERE office_code = '"'360981'"' AND number = '"'$ta'"'")" = cancelled ]'
check "the province's queue follows: the cancelled ticket left it, the later one waits" \
	'[ "$(qc 360981)" = 1 ] && [ "$(sql p "SELECT count(*) FROM yc.ticket_queue q JOIN yc.ticket t
		USING (office_code, ticket_id) WHERE q.office_code = '"'360981'"' AND t.number = '"'$tc'"'")" = 1 ]'
tap_plan
