#!/bin/sh
# `yichuang --version` and the manual page yichuang(1) (built as
# BUILD/yichuang.1 from tui/yichuang.1): the version comes from the
# Makefile and needs nothing at run time; the page renders with man -l and
# groff -ww without a single warning; and every command, action and option
# that `yichuang --help` names, and every environment variable the program
# reads, is in the page, so an undocumented addition fails here. TAP output.
# Usage: tests/man.sh BUILD
set -u
B=$1
Y="$B/yichuang"
P="$B/yichuang.1"
D=$(mktemp -d /tmp/yc-man.XXXXXX)
trap 'rm -rf "$D"' EXIT
. tests/tap.sh

V=$(sed -n 's/^VERSION *= *//p' Makefile)

"$Y" --version >"$D/version" 2>"$D/version.err"
rc=$?
check "--version exits with status 0 and writes nothing on stderr" '[ $rc -eq 0 ] && [ ! -s "$D/version.err" ]'
check "--version prints one line: yichuang 0.x.y, the git checkout in parentheses" \
	'[ "$(wc -l <"$D/version")" -eq 1 ] &&
	grep -Eq "^yichuang 0\.[0-9]+\.[0-9]+( \(git [0-9a-z.-]+\))?$" "$D/version"'
check "the version printed is the Makefile's VERSION" 'grep -q "^yichuang $V\( \|$\)" "$D/version"'
check "--version needs no git, no PATH, no locale and no database" \
	'[ "$(env -i "$Y" --version)" = "$(cat "$D/version")" ]'
check "--version after the global options, in English too" \
	'[ "$("$Y" --lang en --db "host=/nonexistent" --version)" = "$(cat "$D/version")" ]'

LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$P" >"$D/page" 2>"$D/man.err"
rc=$?
check "man -l renders the page without warnings" \
	'[ $rc -eq 0 ] && [ ! -s "$D/man.err" ] || { cat "$D/man.err" >&2; false; }'
check "groff -man -ww (every warning) finds nothing" \
	'groff -man -ww -z -k -Tutf8 "$P" 2>"$D/groff.err" && [ ! -s "$D/groff.err" ] ||
	{ cat "$D/groff.err" >&2; false; }'
check "the rendered page fits 80 columns (CJK counted as two)" \
	'[ "$(LC_ALL=C.UTF-8 wc -L <"$D/page")" -le 80 ]'
check "the footer carries the version" 'tail -n 1 "$D/page" | grep -q "yichuang $V "'
for s in NAME SYNOPSIS DESCRIPTION "GLOBAL OPTIONS" COMMANDS ADMINISTRATION KEYS ENVIRONMENT FILES \
	"EXIT STATUS"; do
	check "the page has the section $s" 'grep -qx "$s" "$D/page"'
done

# Every command of --help has its own subsection "yichuang NAME ...".
"$Y" --lang en --help >"$D/help"
sed -n 's/^  yichuang \([a-z][a-z-]*\).*/\1/p' "$D/help" | sort -u >"$D/commands"
check "--help names the commands" '[ "$(wc -l <"$D/commands")" -ge 9 ]'
while read -r c; do
	check "command $c has its section in the page" 'grep -Eq "^   yichuang $c( |$)" "$D/page"'
done <"$D/commands"

# The actions of each command: the bare words of its usage line outside
# brackets and parentheses (db up|down|..., forms check | load | list, ...),
# each in the page as "COMMAND ACTION".
sed -n 's/^  yichuang \([a-z][a-z-]*\)/\1/p' "$D/help" | while read -r line; do
	c=${line%% *}
	echo "$line" | sed -e ':a' -e 's/\[[^][]*\]//g' -e 'ta' -e ':b' -e 's/([^()]*)//g' -e 'tb' |
		tr ' |' '\n\n' | grep -E '^[a-z][a-z-]*$' | grep -vx -e "$c" -e yichuang |
		sed "s/^/$c /"
done | sort -u >"$D/actions"
check "--help names the actions" 'grep -q "^db migrate$" "$D/actions" && grep -q "^ticket call$" "$D/actions"'
while read -r a; do
	check "\"$a\" is in the page" 'grep -qF -- "$a" "$D/page"'
done <"$D/actions"

# Every option of --help.
grep -oE -- '--[a-z][a-z-]*' "$D/help" | sort -u >"$D/options"
check "--help names the options" '[ "$(wc -l <"$D/options")" -ge 20 ]'
while read -r o; do
	check "option $o is in the page" 'grep -qF -- "$o" "$D/page"'
done <"$D/options"

# Every environment variable the program reads is under ENVIRONMENT.
sed -n '/^ENVIRONMENT$/,/^FILES$/p' "$D/page" >"$D/environment"
{
	grep -rhoE 'getenv\("[A-Z_]+"\)' tui | sed 's/getenv("\(.*\)")/\1/'
	grep -rhoE '"(PG[A-Z]+|LC_[A-Z]+|LANG)"' tui/cmd/cmd.c tui/model/i18n.c | tr -d '"'
} | sort -u >"$D/env"
check "the program reads environment variables" 'grep -qx YICHUANG_VAR "$D/env" && grep -qx PGSERVICE "$D/env"'
while read -r e; do
	check "environment variable $e is under ENVIRONMENT" 'grep -qw -- "$e" "$D/environment"'
done <"$D/env"

tap_plan
