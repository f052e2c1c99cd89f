#!/bin/sh
# `yichuang print` as a script uses it: the 办事指南 of a case type to a
# file, in UTF-8 and in GB18030 (decoding back to the same text), at 80 and
# 40 columns; bad requests refused. TAP output.
# Usage: tests/print.sh BUILD
set -u
Y="$(pwd)/$1/yichuang"
T=$(mktemp -d /tmp/yc-print.XXXXXX)
trap 'rm -rf "$T"' EXIT
. tests/tap.sh

$Y print --template guide --type 002036006001 --office 360981 --to "file:$T/utf8.txt" >/dev/null 2>&1
rc=$?
check "the guide prints to a file" '[ $rc -eq 0 ] && grep -q "^门诊费用报销$" "$T/utf8.txt" && grep -q "^丰城市医疗保障服务中心$" "$T/utf8.txt"'
check "it lists the materials and the 容缺 supply time" 'grep -q "慢性病证（复印件，可容缺，受理后10个工作日内补交）" "$T/utf8.txt"'
$Y print --template guide --type 002036006001 --office 360981 --to "file:$T/gb.txt" --encoding gb18030 >/dev/null 2>&1
check "a GB18030 channel gets GB18030 that decodes back to the same text" \
	'! cmp -s "$T/gb.txt" "$T/utf8.txt" && iconv -f GB18030 -t UTF-8 "$T/gb.txt" | cmp -s - "$T/utf8.txt"'
$Y print --template guide --type 002036006001 --width 40 --to - >"$T/w40.txt" 2>&1
check "a 40-column receipt has more, shorter lines" '[ "$(wc -l <"$T/w40.txt")" -gt "$(wc -l <"$T/utf8.txt")" ]'
$Y print --template guide --type 999999999999 --to - >/dev/null 2>"$T/err"
rc=$?
check "an unknown case type is refused with a message" '[ $rc -eq 1 ] && [ -s "$T/err" ]'
$Y print --template guide --type 002036006001 --width 60 --to - >/dev/null 2>&1
rc=$?
check "a width other than 40 or 80 is refused" '[ $rc -eq 2 ]'
$Y print --template guide --type 002036006001 --to "file:$T/x.txt" --encoding NO-SUCH >/dev/null 2>&1
rc=$?
check "an unknown encoding is refused and nothing is written" '[ $rc -eq 1 ] && [ ! -e "$T/x.txt" ]'
tap_plan
