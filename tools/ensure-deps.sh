#!/bin/sh
# Ensure the Debian packages a target needs are installed.
# Usage: tools/ensure-deps.sh run|check
# As root: installs what is missing with apt-get. Otherwise: prints the exact
# command to run and exits 1. Prints nothing when everything is present.
set -eu

RUN_PKGS="gcc make pkg-config libncurses-dev libpq-dev libxml2-dev gettext postgresql"
CHECK_PKGS="$RUN_PKGS gcal libcmocka-dev libvterm-dev locales postgresql-client clang libclang-rt-14-dev man-db groff-base openssh-server openssh-client"

case "${1:-run}" in
	run) want=$RUN_PKGS ;;
	check) want=$CHECK_PKGS ;;
	*) echo "usage: $0 run|check" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "yichuang needs these Debian packages:$missing" >&2
	echo "Install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists; update once before installing.
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
