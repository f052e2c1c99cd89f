#!/bin/sh
# The server functions in one current place (db/functions/, issue 12):
#   - a database built by the migrations as they were before the split
#     (0001-0014 as landed before round 2, and 0001-0015 with the functions
#     in them, each taken from git history) and then migrated by this tree,
#     and a fresh database built by this tree, give the same schema
#     (pg_dump --schema-only, the migrations table left out): nothing lost,
#     nothing different;
#   - no function name is created in two files, nor in a migration;
#   - db migrate applies the functions again only when a file changed.
# TAP output. Usage: tests/functions.sh BUILD ADMIN_CONNINFO (run from the
# repository root of a git clone: the old migrations come from its history).
set -u
Y="$(pwd)/$1/yichuang --lang en"
ADMIN=$2
T=$(mktemp -d /tmp/yc-functions.XXXXXX)
. tests/tap.sh
psql_at() {	# psql_at DBNAME SQL
	psql -X -A -t -q "$ADMIN dbname=$1" -v ON_ERROR_STOP=1 -c "$2"
}
drop_dbs() {
	for d in yc_old yc_fresh; do
		psql -X -q "$ADMIN dbname=postgres" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
	done
}
trap 'drop_dbs; rm -rf "$T"' EXIT
drop_dbs
psql -X -q "$ADMIN dbname=postgres" -c "CREATE DATABASE yc_fresh" >"$T/create.log" 2>&1

dump() {
	pg_dump --schema-only --no-comments -T public.schema_migrations "$ADMIN dbname=$1" |
		grep -v '^-- Dumped \|^SELECT pg_catalog.set_config\|^.restrict \|^.unrestrict ' >"$T/$1.sql"
}
$Y --db "$ADMIN dbname=yc_fresh" db migrate >"$T/fresh-migrate.log" 2>&1
rc=$?
check "this tree builds a fresh database" '[ $rc -eq 0 ] || { cat "$T/fresh-migrate.log" >&2; false; }'
dump yc_fresh

# a database as the old migrations of commit $1 left it ($2: its last
# migration), then migrated by this tree: the same schema as a fresh one
from_history() {
	rev=$1
	last=$2
	rm -rf "$T/old"
	mkdir -p "$T/old"
	psql -X -q "$ADMIN dbname=postgres" -c "DROP DATABASE IF EXISTS yc_old" -c "CREATE DATABASE yc_old" \
		>"$T/create.log" 2>&1
	git archive "$rev" db/migrations 2>"$T/git.err" | tar -x -C "$T/old" 2>>"$T/git.err"
	check "the migrations of $rev (up to $last) are in the git history" \
		'[ -f "$T/old/db/migrations/$last.sql" ] && [ ! -d "$T/old/db/functions" ] || { cat "$T/git.err" >&2; false; }'
	psql_at yc_old "CREATE TABLE public.schema_migrations (version text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
	ok=0
	for f in "$T"/old/db/migrations/*.sql; do
		v=$(basename "$f" .sql)
		{ echo "BEGIN;"; cat "$f"; echo "INSERT INTO public.schema_migrations (version) VALUES ('$v');"
		  echo "COMMIT;"; } | psql -X -q -v ON_ERROR_STOP=1 "$ADMIN dbname=yc_old" >>"$T/old.log" 2>&1 || ok=1
	done
	check "they build a database" '[ $ok -eq 0 ] || { tail -5 "$T/old.log" >&2; false; }'
	$Y --db "$ADMIN dbname=yc_old" db migrate >"$T/old-migrate.log" 2>&1
	rc=$?
	check "this tree migrates it: the migrations after $last, then the functions" \
		'[ $rc -eq 0 ] && grep -q "applying the functions" "$T/old-migrate.log" || { cat "$T/old-migrate.log" >&2; false; }'
	dump yc_old
	check "it has the schema of a fresh database (pg_dump --schema-only)" \
		'[ -s "$T/yc_fresh.sql" ] && diff -u "$T/yc_old.sql" "$T/yc_fresh.sql" >"$T/schema.diff" || { head -60 "$T/schema.diff" >&2; false; }'
}
from_history 818dccb 0014_doc_dates		# what landed before round 2
from_history 83658e3 0015_calendar_provisional	# the last commit with the functions in migrations
# exactly the tree's migrations after 0015 (0016_green_channel, …) were applied to it
after15=$(ls db/migrations/*.sql | sed 's|.*/||' | awk '$0 > "0015_calendar_provisional.sql"' | wc -l)
check "the migrations after 0015 were applied to it: the $after15 of this tree" \
	'grep -q " $after15 migration(s) applied" "$T/old-migrate.log"'

# every function created in exactly one file, never in a migration
grep -o -i -E 'CREATE( OR REPLACE)? FUNCTION yc\.[a-z_0-9]+' db/functions/*.sql db/migrations/*.sql |
	sed -E 's/:.*FUNCTION /:/I' | sort -u >"$T/created"
cut -d: -f2 "$T/created" | sort | uniq -d >"$T/twice"
check "no function name is created in two files" '[ ! -s "$T/twice" ] || { cat "$T/twice" >&2; false; }'
check "no migration creates a function" '! grep -q "^db/migrations/" "$T/created"'
check "the database has exactly the functions the files create" \
	'[ "$(psql_at yc_fresh "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '"'"'yc'"'"'")" = "$(cut -d: -f2 "$T/created" | sort -u | wc -l)" ]'
check "every file of db/functions is in its ORDER, and every listed file exists" \
	'[ "$(ls db/functions/*.sql | xargs -n1 basename | sort)" = "$(grep -v "^#" db/functions/ORDER | grep . | sort)" ]'

# applied again only when a file changed
$Y --db "$ADMIN dbname=yc_fresh" db migrate >"$T/again.log" 2>&1
check "a second migrate applies nothing" '! grep -q "applying the functions" "$T/again.log"'
mkdir -p "$T/data/db" "$T/data/print_templates"
cp -r db/migrations db/calendar "$T/data/db/"
cp -r print_templates/sms "$T/data/print_templates/"
cp -r db/functions "$T/data/db/functions"
printf '\n-- an edit\n' >>"$T/data/db/functions/queue.sql"
YICHUANG_DATADIR="$T/data" $Y --db "$ADMIN dbname=yc_fresh" db migrate >"$T/edit.log" 2>&1
check "an edited function file is applied again, the new checksum recorded" \
	'grep -q "applying the functions" "$T/edit.log" && [ "$(psql_at yc_fresh "SELECT checksum IS NOT NULL FROM public.schema_migrations WHERE version = '"'"'functions'"'"'")" = t ]'
printf '\nCREATE OR REPLACE FUNCTION yc.queue_day(p date) RETURNS date LANGUAGE sql AS $$ SELECT p.x $$;\n' \
	>>"$T/data/db/functions/queue.sql"
printf '\nSELECT 1/0;\n' >>"$T/data/db/functions/supervision.sql"
YICHUANG_DATADIR="$T/data" $Y --db "$ADMIN dbname=yc_fresh" db migrate >"$T/bad.log" 2>&1
rc=$?
check "a failing file applies nothing (one transaction) and says which" \
	'[ $rc -eq 1 ] && grep -q "functions supervision.sql failed" "$T/bad.log" && [ "$(psql_at yc_fresh "SELECT count(*) FROM pg_proc WHERE proname = '"'"'queue_day'"'"' AND pronargs = 1 AND proargtypes[0] = '"'"'date'"'"'::regtype")" = 0 ]'
tap_plan
