#!/bin/sh
# Usage: tests/tools/mklocale.sh OUTDIR
#
# Makes sure OUTDIR/zh_CN.GB18030 and OUTDIR/zh_CN.UTF-8 exist: compiled
# locales built with localedef from the system's locale sources
# (/usr/share/i18n, Debian package "locales"). Use them with
#   LOCPATH=OUTDIR LANG=zh_CN.GB18030   (or zh_CN.UTF-8)
#
# Contract:
# - Prints nothing and exits 0 when both locales are there (already, or built
#   now). Otherwise prints what went wrong to stderr and exits 1 (2 on usage).
# - Writes only below OUTDIR: never the system locale archive or
#   /usr/lib/locale (the output is a path and --no-archive is given).
# - A locale counts as present when its directory holds every LC_* file and
#   `locale charmap` under it reports the expected charset; localedef's exit
#   status alone is not trusted (it exits 1 on mere warnings).
# - Each locale is built in a temporary directory inside OUTDIR and moved into
#   place when complete, so an interrupted or concurrent run never leaves a
#   half-built locale behind under the final name.

set -u

prog=${0##*/}

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

if [ $# -ne 1 ] || [ -z "$1" ]; then
	printf 'usage: %s OUTDIR\n' "$prog" >&2
	exit 2
fi

command -v localedef >/dev/null 2>&1 ||
	die "localedef not found (Debian package libc-bin)"
command -v locale >/dev/null 2>&1 ||
	die "locale not found (Debian package libc-bin)"
i18n=${I18NPATH:-/usr/share/i18n}
[ -f "$i18n/locales/zh_CN" ] ||
	die "no locale source $i18n/locales/zh_CN (install the Debian package locales)"

mkdir -p -- "$1" || die "cannot create directory $1"
outdir=$(cd -- "$1" && pwd -P) || die "cannot enter directory $1"

# The temporary build directory, removed however the script ends.
tmp=
trap 'if [ -n "$tmp" ]; then rm -rf -- "$tmp"; fi' EXIT
trap 'exit 130' HUP INT TERM

# locale_ok DIR CHARSET: true if DIR is a usable compiled locale for CHARSET.
locale_ok() {
	for f in LC_ADDRESS LC_COLLATE LC_CTYPE LC_IDENTIFICATION LC_MEASUREMENT \
		LC_MESSAGES/SYS_LC_MESSAGES LC_MONETARY LC_NAME LC_NUMERIC LC_PAPER \
		LC_TELEPHONE LC_TIME; do
		[ -s "$1/$f" ] || return 1
	done
	got=$(LOCPATH=${1%/*} LC_ALL=${1##*/} locale charmap 2>/dev/null) || return 1
	[ "$got" = "$2" ]
}

# build NAME CHARMAP: builds $outdir/NAME from zh_CN with CHARMAP if missing.
build() {
	name=$1
	charmap=$2
	target=$outdir/$name

	locale_ok "$target" "$charmap" && return 0

	tmp=$(mktemp -d "$outdir/.mklocale.XXXXXX") ||
		die "cannot create a temporary directory in $outdir"
	localedef --no-archive -c -i zh_CN -f "$charmap" "$tmp/$name" \
		>"$tmp/log" 2>&1
	status=$?
	if ! locale_ok "$tmp/$name" "$charmap"; then
		printf '%s: localedef -i zh_CN -f %s (exit status %s) did not produce a usable locale:\n' \
			"$prog" "$charmap" "$status" >&2
		sed 's/^/  /' "$tmp/log" >&2
		rm -rf -- "$tmp"
		exit 1
	fi
	# Replace an incomplete leftover; if another run has just put a locale_ok
	# one in place, mv -T fails and that one is kept.
	if [ -e "$target" ] && ! locale_ok "$target" "$charmap"; then
		rm -rf -- "$target"
	fi
	mv -T -- "$tmp/$name" "$target" 2>/dev/null || locale_ok "$target" "$charmap" || {
		rm -rf -- "$tmp"
		die "cannot move the new locale to $target"
	}
	rm -rf -- "$tmp"
}

build zh_CN.GB18030 GB18030
build zh_CN.UTF-8 UTF-8
exit 0
