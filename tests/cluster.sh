#!/bin/sh
# The private cluster's life: `db up` creates it, a second `db up` after
# `db down` reuses it with its data, it listens on no TCP port and its
# socket directory is private. TAP output.
# Usage: tests/cluster.sh BUILD
set -u
Y="$(pwd)/$1/yichuang"
V=$(mktemp -d /tmp/yc-cluster.XXXXXX)
chmod 755 "$V"
export YICHUANG_VAR="$V/var"
unset PGHOST PGHOSTADDR PGDATABASE PGSERVICE PGUSER
trap '"$Y" db down >/dev/null 2>&1; rm -rf "$V"' EXIT
. tests/tap.sh
sql() {
	psql -X -A -t -q -h "$YICHUANG_VAR/run" -U postgres -d yichuang -c "$1" 2>&1
}

"$Y" --lang en db up >"$V/up1.log" 2>&1
rc=$?
check "first db up creates and starts the cluster" '[ $rc -eq 0 ] && [ -f "$YICHUANG_VAR/pgdata/PG_VERSION" ]'
check "it says it created the cluster" 'grep -q "creating the private PostgreSQL cluster" "$V/up1.log"'
"$Y" db migrate >/dev/null 2>&1 && "$Y" db demo >/dev/null 2>&1
check "migrate and demo on it" '[ "$(sql "SELECT count(*) FROM yc.staff")" -ge 8 ]'
check "no TCP port" '[ "$(sql "SHOW listen_addresses")" = "" ]'
check "the socket lives inside the var directory" '[ -S "$YICHUANG_VAR/run/.s.PGSQL.5432" ]'
check "the socket directory is private" '[ "$(stat -c %a "$YICHUANG_VAR/run")" = 700 ]'
sql "UPDATE yc.setting SET value = '7' WHERE key = 'idle_lock_minutes'" >/dev/null
"$Y" db down >/dev/null 2>&1
check "db down stops the server" '! "$Y" db status >/dev/null 2>&1'
"$Y" --lang en db up >"$V/up2.log" 2>&1
rc=$?
check "second db up reuses the cluster" '[ $rc -eq 0 ] && ! grep -q "creating" "$V/up2.log"'
"$Y" --lang en db migrate >"$V/migrate2.log" 2>&1 && "$Y" db demo >/dev/null 2>&1
check "nothing to migrate the second time" 'grep -q " 0 migration(s) applied, 0 calendar" "$V/migrate2.log"'
check "data survives a restart and a second demo load" '[ "$(sql "SELECT value FROM yc.setting WHERE key = '"'"'idle_lock_minutes'"'"'")" = 7 ]'
tap_plan
