#!/bin/sh
# Hot-standby reads (README "Databases"): a throwaway primary (the
# binary's own private cluster) and a physical streaming standby of it made
# with pg_basebackup -R, both on Unix sockets in a temporary directory.
# `report` with --read-db (or YICHUANG_READ_DB) reads the standby: a ticket
# issued on the primary is in it once the standby has replayed the
# primary's WAL position (polled: pg_last_wal_replay_lsn against
# pg_current_wal_lsn), not while replay is paused, and again after it is
# resumed; an unreachable read database falls back to the primary and says
# so; the standby refuses writes. The calling board's part runs in
# BUILD/tests/screen/standby_board, the supervisor's console's (read
# passes) in BUILD/tests/screen/standby_console (pseudo-terminals), their
# TAP lines numbered on here. TAP output.
# Usage: tests/standby.sh BUILD
set -u
B=$1
Y="$(pwd)/$B/yichuang"
V=$(mktemp -d /tmp/yc-standby.XXXXXX)
chmod 755 "$V"
P="$V/p"
S="$V/s"
BIN=${YICHUANG_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -t/ -k5 -n | tail -n 1)}
unset PGHOST PGHOSTADDR PGDATABASE PGSERVICE PGUSER PGPORT YICHUANG_READ_DB
export YICHUANG_VAR="$P"
. tests/tap.sh

# As the postgres account when we are root (the server refuses root);
# PG is the same as a command prefix for the board's tests.
PG=
[ "$(id -u)" = 0 ] && PG="runuser -u postgres --"
pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
	[ -f "$S/pgdata/postmaster.pid" ] && pg "$BIN/pg_ctl" stop -D "$S/pgdata" -m fast -w >/dev/null 2>&1
	"$Y" db down >/dev/null 2>&1
	rm -rf "$V"
}
trap cleanup EXIT
PRI="host=$P/run dbname=yichuang user=postgres"
STB="host=$S/run dbname=yichuang user=postgres"
sqlp() { psql -X -A -t -q "$PRI" -c "$1" 2>&1; }
sqls() { psql -X -A -t -q "$STB" -c "$1" 2>&1; }

# Until the standby has replayed what the primary has written now (at
# most 20 s).
caught_up() {
	lsn=$(sqlp "SELECT pg_current_wal_lsn()")
	for _ in $(seq 400); do
		[ "$(sqls "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] && return 0
		sleep 0.05
	done
	return 1
}
# Until replay is paused (pg_wal_replay_pause only asks for it).
paused() {
	sqls "SELECT pg_wal_replay_pause()" >/dev/null
	for _ in $(seq 400); do
		[ "$(sqls "SELECT pg_get_wal_replay_pause_state()")" = paused ] && return 0
		sleep 0.05
	done
	return 1
}
# the day of a ticket and of the daily report is the day in Asia/Shanghai
DAY=$(TZ=Asia/Shanghai date +%F)
report() { "$Y" --lang en "$@" report daily --office 360981 --date "$DAY" 2>"$V/report.err"; }
issue() { "$Y" ticket issue --office 360981 >/dev/null 2>&1; }

if ! { "$Y" db up && "$Y" db migrate && "$Y" db demo &&
	"$Y" hours set --as-owner --office 360981 --day all --hours 00:00-24:00; } >"$V/setup.log" 2>&1; then
	echo "not ok 1 - the primary: db up, migrate, demo"
	sed 's/^/# /' "$V/setup.log"
	echo "1..1"
	exit 1
fi
mkdir -p "$S/run"
chmod 700 "$S/run"
[ "$(id -u)" = 0 ] && chown postgres "$S" "$S/run"
pg "$BIN/pg_basebackup" -h "$P/run" -U postgres -D "$S/pgdata" -R -X stream -c fast >"$V/basebackup.log" 2>&1
check "pg_basebackup -R copies the primary" '[ -f "$S/pgdata/standby.signal" ]'
printf "\n# the standby's own socket\nunix_socket_directories = '%s'\n" "$S/run" >>"$S/pgdata/postgresql.conf"
pg "$BIN/pg_ctl" start -D "$S/pgdata" -l "$S/postgres.log" -w -t 60 >>"$V/basebackup.log" 2>&1
check "the standby starts and is in recovery" '[ "$(sqls "SELECT pg_is_in_recovery()")" = t ]'
check "the primary streams to it" '[ "$(sqlp "SELECT count(*) FROM pg_stat_replication")" = 1 ]'
check "a write on the standby is refused (read-only transaction)" \
	'sqls "UPDATE yc.setting SET value = value" | grep -q "read-only transaction"'

issue
caught_up
before=$(report)
check "report reads the standby with --read-db" '[ -n "$before" ] && [ "$(report --read-db "$STB")" = "$before" ]'
check "and with YICHUANG_READ_DB" '[ "$(YICHUANG_READ_DB="$STB" report)" = "$before" ]'
paused
issue
after=$(report)
check "a ticket issued on the primary is in the primary's report" '[ "$after" != "$before" ]'
check "a paused standby still shows the old state" '[ "$(report --read-db "$STB")" = "$before" ]'
MULTI="host=$P/run,$S/run dbname=yichuang user=postgres"
check "a multi-host --read-db with target_session_attrs=standby picks the standby" \
	'[ "$(report --read-db "$MULTI target_session_attrs=standby")" = "$before" ]'
check "the same with prefer-standby" \
	'[ "$(report --read-db "$MULTI target_session_attrs=prefer-standby")" = "$before" ]'
sqls "SELECT pg_wal_replay_resume()" >/dev/null
caught_up
check "after pg_wal_replay_resume the standby shows the new state" '[ "$(report --read-db "$STB")" = "$after" ]'
out=$(report --read-db "host=$V/nowhere dbname=yichuang user=postgres")
check "an unreachable read database: the report reads the primary" '[ "$out" = "$after" ]'
check "and says so" 'grep -q "reading from the primary" "$V/report.err"'
check "target_session_attrs=standby without a standby: the primary, said so" \
	'[ "$(report --read-db "$PRI target_session_attrs=standby")" = "$after" ] &&
	grep -q "reading from the primary" "$V/report.err"'

# The calling board and the supervisor's console, in pseudo-terminals.
for t in standby_board standby_console; do
	T="$(pwd)/$B/tests/screen/$t"
	if [ ! -x "$T" ]; then
		check "the $t tests are built ($T)" false
		continue
	fi
	YC_TEST_BIN="$Y" YC_TEST_ADMIN_CONNINFO="$PRI" YC_STANDBY_CONNINFO="$STB" \
		YC_STANDBY_KIOSK="host=$S/run dbname=yichuang user=yichuang_kiosk" \
		YC_STANDBY_APP="host=$S/run dbname=yichuang user=yichuang_app" \
		YC_PRIMARY_APP="host=$P/run dbname=yichuang user=yichuang_app" \
		YC_STANDBY_STOP="$PG $BIN/pg_ctl stop -D $S/pgdata -m fast -w >/dev/null" \
		YC_STANDBY_START="$PG $BIN/pg_ctl start -D $S/pgdata -l $S/postgres.log -w -t 60 >/dev/null" \
		CMOCKA_MESSAGE_OUTPUT=TAP "$T" >"$V/$t.tap" 2>"$V/$t.err"
	rc=$?
	grep -E '^(not )?ok ' "$V/$t.tap" >"$V/$t.ok"
	while read -r line; do
		n=$((n + 1))
		case "$line" in
		ok*) echo "ok $n -${line#*-}" ;;
		*) echo "not ok $n -${line#*-}"; sed "s/^/# /" "$V/$t.err" | tail -n 60 ;;
		esac
	done <"$V/$t.ok"
	check "the $t tests ran and passed" '[ $rc -eq 0 ] && [ -s "$V/$t.ok" ]'
done
tap_plan
