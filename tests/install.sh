#!/bin/sh
# `make install` into a staging directory, then use the installed binary:
# it must find its catalogues and SQL where it was installed, and man its
# manual page. TAP output.
# Usage: tests/install.sh BUILD ADMIN_CONNINFO
set -u
B=$1
ADMIN=$2
D=$(mktemp -d /tmp/yc-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
. tests/tap.sh
make --no-print-directory -s install BUILD="$B" PREFIX=/usr DESTDIR="$D" >"$D.log" 2>&1
rc=$?
check "make install succeeds" '[ $rc -eq 0 ] || { cat "$D.log" >&2; false; }'
rm -f "$D.log"
Y="$D/usr/bin/yichuang"
S="$D/usr/share/yichuang"
check "binary installed" '[ -x "$Y" ]'
check "migrations installed" 'ls "$S"/db/migrations/*.sql >/dev/null 2>&1'
check "calendar and demo data installed" '[ -f "$S/db/calendar/cn-workday-calendar.tsv" ] && [ -f "$S/db/demo.sql" ]'
check "catalogues installed" '[ -f "$S/locale/zh_CN/LC_MESSAGES/yichuang.mo" ] && [ -f "$S/locale/en/LC_MESSAGES/yichuang.mo" ]'
check "installed binary speaks Chinese" 'LANG=C.UTF-8 "$Y" --help | grep -q "用法"'
check "installed binary speaks English with --lang en" '"$Y" --lang en --help | grep -q "Usage"'
check "installed binary migrates with its own SQL" '"$Y" --db "$ADMIN" db migrate | grep -q "数据库已是最新"'
M="$D/usr/share/man/man1/yichuang.1"
check "manual page installed in share/man/man1" '[ -f "$M" ]'
check "man finds it there as yichuang(1)" '[ "$(MANPATH="$D/usr/share/man" man -w yichuang)" = "$M" ]'
check "the installed page renders without warnings and names the installed version" \
	'LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$M" 2>"$D/man.err" | tail -n 1 |
	grep -q "$("$Y" --version | cut -d" " -f1-2) " && [ ! -s "$D/man.err" ]'
tap_plan
