#!/bin/sh
# `make run`: bring the workstation up. With no database configured
# (no PGHOST, PGHOSTADDR, PGDATABASE, PGSERVICE) the private cluster under
# ./var is created or reused, migrated and given the demo data and the
# shipped catalogue (a new version only when forms/ changed); with a shared
# server configured, only pending migrations are applied there.
# Extra arguments for the workstation: make run ARGS="--lang en".
set -eu
B=${1:-build}
shift || true
Y="$B/yichuang"
if [ -z "${PGHOST:-}${PGHOSTADDR:-}${PGDATABASE:-}${PGSERVICE:-}" ]; then
	"$Y" db up
	"$Y" db migrate
	"$Y" db demo
	"$Y" forms load --if-changed
else
	"$Y" db migrate
fi
# shellcheck disable=SC2086
exec "$Y" ${ARGS:-} "$@"
