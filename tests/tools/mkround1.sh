#!/bin/sh
# Usage: tests/tools/mkround1.sh [OUT]     (from the top of a checkout)
#
# Regenerates the round-1 database fixture (default tests/fixtures/round1.sql)
# that tests/migrate.sh migrates.
#
# Contract:
# - Round 1 ended with migration 0014: commit 818dccb, the last before
#   db/migrations/0015 appeared. Its tree is exported with `git archive`
#   (no worktree is registered) into a temporary directory and built there
#   with its own `make`; its binary starts a private cluster there
#   (YICHUANG_VAR, never ./var nor any configured server: the PG*
#   variables are unset) and runs its `db migrate`, `db demo` and
#   `forms load`; then tests/tools/mkround1.sql (psql, superuser) makes
#   the round-1 activity through that version's own SQL functions.
# - The database is written with `pg_dump --no-owner` (plain SQL, schema and
#   data, the grants to yichuang_app kept; no role is created: whoever
#   restores it creates yichuang_app first), after a header that says how it
#   was made. pg_dump's \restrict and \unrestrict lines are left out, so that
#   a psql older than pg_dump restores it too.
# - OUT is replaced only when everything worked; the cluster is stopped and
#   the temporary directory removed in every case. Exit 0, or 1 with what
#   failed on stderr.
set -eu
COMMIT=818dccb
ROOT=$(pwd)
OUT=${1:-tests/fixtures/round1.sql}
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
[ -f tests/tools/mkround1.sql ] || { echo "mkround1.sh: run it from the top of a checkout" >&2; exit 1; }

unset PGHOST PGHOSTADDR PGDATABASE PGSERVICE PGUSER PGPORT PGPASSWORD YICHUANG_DATADIR
W=$(mktemp -d /tmp/yc-mkround1.XXXXXX)
chmod 755 "$W"	# the server runs as postgres when this runs as root
export YICHUANG_VAR="$W/var"
cleanup() {
	[ -x "$W/src/build/yichuang" ] && "$W/src/build/yichuang" db down >/dev/null 2>&1
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$W/src"
git archive "$COMMIT" | tar -x -C "$W/src"
make -C "$W/src" >"$W/build.log" 2>&1 || { tail -n 20 "$W/build.log" >&2; exit 1; }
Y="$W/src/build/yichuang --lang en"
$Y db up >"$W/db.log" 2>&1 && $Y db migrate >>"$W/db.log" 2>&1 &&
	$Y db demo >>"$W/db.log" 2>&1 && $Y forms load >>"$W/db.log" 2>&1 ||
	{ cat "$W/db.log" >&2; exit 1; }
DB="host=$YICHUANG_VAR/run dbname=yichuang user=postgres"
psql -X -q -v ON_ERROR_STOP=1 "$DB" -f tests/tools/mkround1.sql >/dev/null
pg_dump --no-owner "$DB" >"$W/dump.sql"
{
	cat <<EOF
-- The round-1 database for tests/migrate.sh: every table, function and row of
-- a yichuang database of commit $COMMIT (migrations 0001-0014, the last
-- commit before db/migrations/0015), with that version's demo data, its
-- catalogue (forms load) and a few days of hall activity made through its
-- own SQL functions (tests/tools/mkround1.sql: tickets, cases with stages,
-- 一次性告知书, 容缺, 不予受理, 办结, 好差评, a draft, audit rows).
-- Made by tests/tools/mkround1.sh (git archive $COMMIT, its make, its
-- db up / db migrate / db demo / forms load on a private cluster, then
-- psql -f tests/tools/mkround1.sql and pg_dump --no-owner) on $(date -u +%Y-%m-%d)
-- with $(pg_dump --version).
-- Regenerate with: tests/tools/mkround1.sh
-- Restore as the superuser into an empty database after creating the role
-- yichuang_app (NOLOGIN is enough); the demo password is Demo-1234.

EOF
	sed '/^\\\(un\)\{0,1\}restrict /d' "$W/dump.sql"
} >"$W/round1.sql"
mkdir -p "$(dirname "$OUT")"
mv "$W/round1.sql" "$OUT"
echo "wrote $OUT ($(wc -c <"$OUT") bytes)"
