#!/bin/sh
# `make bench`: every benchmark of a build directory against a throwaway
# cluster of its own (max_connections raised so 200 windows can connect at
# once), created with the binary's `db up` and removed at the end.
# Benchmarks measure; they are not tests and never fail on a figure.
# YC_BENCH_SCALE (default 1) scales the year of history the first
# benchmark that needs it writes (bench_calendar, then bench_hall and
# bench_report find it; 2 M tickets, 1 M cases at 1; a few minutes);
# bench_calendar leaves the calendar as it found it (2026 official);
# bench_hall signs in on its own yichuang_app connection
# (PGHOST/PGDATABASE with user=yichuang_app); bench_province holds a
# connection per window of a province (5,500), so the cluster restarts
# with max_connections 6000 for it and with 300 again after it.
set -eu
B=${1:-build}
ROOT=$(pwd)
BIN="$ROOT/$B/yichuang"
unset PGHOST PGHOSTADDR PGDATABASE PGSERVICE PGUSER PGPORT YICHUANG_DATADIR
T=$(mktemp -d /tmp/yc-bench.XXXXXX)
chmod 755 "$T"
export YICHUANG_VAR="$T"
trap '"$BIN" db down >/dev/null 2>&1; rm -rf "$T"' EXIT
# Restarts the cluster with max_connections $1.
bench_max_connections() {
	psql -X -q -h "$T/run" -U postgres -d postgres -c "ALTER SYSTEM SET max_connections = $1" &&
	"$BIN" db down && "$BIN" db up
}
{
	"$BIN" db up
	bench_max_connections 300
	"$BIN" db migrate
	"$BIN" db demo
	"$BIN" forms load
	# tickets at any hour of the day the benchmarks run
	"$BIN" hours set --as-owner --office 360981 --day all --hours 00:00-24:00
} >"$T/setup.log" 2>&1 || { cat "$T/setup.log" >&2; exit 1; }
export PGHOST="$T/run" PGDATABASE=yichuang PGUSER=postgres
export YC_TEST_BIN="$BIN" YC_TEST_ADMIN_CONNINFO="host=$T/run dbname=yichuang user=postgres"
echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
for b in "$B"/bench/bench_*; do
	[ -x "$b" ] || continue
	# The workstation under test finds the cluster through YICHUANG_VAR, not PG*.
	case "$b" in
	*bench_board) env -u PGHOST -u PGDATABASE -u PGUSER "$b" ;;
	*bench_province)
		bench_max_connections 6000 >>"$T/setup.log" 2>&1 || { cat "$T/setup.log" >&2; exit 1; }
		"$b"
		bench_max_connections 300 >>"$T/setup.log" 2>&1 || { cat "$T/setup.log" >&2; exit 1; } ;;
	*) "$b" ;;
	esac
done
