#!/bin/sh
# Builds the fuzz targets and runs each for a share of the time.
#   tests/fuzz/run.sh BUILD_DIR SECONDS      (from the repository root)
# Targets (libFuzzer, ASan, UBSan, built with clang into BUILD_DIR/fuzz/):
#   catalogue  the XML loader, seeded with forms/ and tests/forms-bad/
#   mustache   the template engine and the text-message check, seeded with print_templates/
#   fields     validators, regex engine, width and wrapping, when= conditions, seeded with samples
#   json       the JSON reader (documents' data) and the intake draft header
#   calendar   the official calendar and the statutory table, seeded with db/calendar/
#   officecsv  the office import file (CSV), seeded with a sample
#   inscsv     the insurance history export (CSV), seeded with a sample
#   keys       the terminal input decoder (escape sequences, pastes), seeded with sequences
# Prints TAP, one line per target; exits non-zero on a build failure or a
# crash, keeping the input in BUILD_DIR/fuzz/ (crash-*, leak-*, timeout-*).
set -u
B=${1:-build}
SECS=${2:-60}
CLANG=${CLANG:-clang}
OUT="$B/fuzz"
mkdir -p "$OUT"
MODEL="tui/model/validate.c tui/model/regex.c tui/model/calendar.c tui/model/tsv.c tui/model/holiday.c tui/model/i18n.c tui/model/text.c tui/util/file.c tui/util/safetext.c tui/util/xalloc.c"
EACH=$((SECS / 8))
[ "$EACH" -ge 5 ] || EACH=5
n=0
failed=0
CORPUS=$(mktemp -d /tmp/yc-fuzz.XXXXXX)
trap 'rm -rf "$CORPUS"' EXIT
trap 'exit 130' INT TERM

# fuzz NAME "SOURCES" SEED-COMMANDS...
fuzz() {
	name=$1
	src=$2
	n=$((n + 1))
	bin="$OUT/fuzz_$name"
	log="$OUT/fuzz_$name.log"
	# shellcheck disable=SC2046,SC2086
	if ! $CLANG -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-D_GNU_SOURCE -std=gnu11 -Wall -Wextra -Itui $(pkg-config --cflags libxml-2.0) \
		-o "$bin" $src $(pkg-config --libs libxml-2.0) >"$OUT/build_$name.log" 2>&1; then
		echo "not ok $n - fuzz $name: build failed"
		sed 's/^/# /' "$OUT/build_$name.log"
		failed=1
		return
	fi
	YC_FUZZ_SCHEMA=${YC_FUZZ_SCHEMA:-forms/case-type.rng} \
	ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
		"$bin" -max_total_time="$EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$OUT/" -print_final_stats=1 "$CORPUS/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		echo "not ok $n - fuzz $name ${runs:-0} runs (exit $rc; see $log)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 20 | sed 's/^/# /'
		failed=1
	else
		echo "ok $n - fuzz $name ${runs:-0} runs"
	fi
}

mkdir -p "$CORPUS/catalogue" "$CORPUS/mustache" "$CORPUS/fields" "$CORPUS/json" "$CORPUS/calendar" "$CORPUS/officecsv" "$CORPUS/inscsv" "$CORPUS/keys"
printf 'ABC\033[2JDEF\033[21~2\377\144\033\377\001[17~\033[200~a\r\nb\033[201~\033[[A\033OP\033[1;5A\346\265\213' >"$CORPUS/keys/seed"
printf '\357\273\277code,name,parent,tier,address,phone\r\n360977,"测试市,中心",,city,"某""路""\n1号",0795-6200000\r\n360977001,x,360977,township,,\n' >"$CORPUS/officecsv/seed"
printf '\357\273\277id_no,year,scheme,insured,central,fund_paid,reward_used\r\n36098119800101001x,2025,居民,是,1,否,\n360981198001010936,"2026",employee,0,,,\n' >"$CORPUS/inscsv/seed"
cp db/calendar/*.tsv "$CORPUS/calendar/"
cp tests/unit/data/*.json "$CORPUS/json/" 2>/dev/null
printf 'yichuang-draft 1\ntype=002036007001\ntype_name=x\nversion=3\nsaved=1\nf.a=b\\n\n' >"$CORPUS/json/draft"
cp forms/*.xml "$CORPUS/catalogue/" 2>/dev/null
[ -d tests/forms-bad ] && find tests/forms-bad -name '*.xml' -exec cp {} "$CORPUS/catalogue/" \;
cp print_templates/*.mustache "$CORPUS/mustache/" 2>/dev/null
for f in print_templates/sms/*.mustache; do cp "$f" "$CORPUS/mustache/sms-$(basename "$f")"; done
printf '%s' '{{#items}}{{no}}. {{>p}}{{/items}}{{=<% %>=}}<%name%>' >"$CORPUS/mustache/seed1"
printf '%s' '36098119800101001X' >"$CORPUS/fields/id"
printf '%s' '1,234.56元' >"$CORPUS/fields/money"
printf '%s\n%s' '[0-9]{3}(-[0-9]{1,4})?' '123-45' >"$CORPUS/fields/pattern"
printf '%s' '6222 0212 3456 7890 128' >"$CORPUS/fields/card"
printf '%s' '2026年11月22日' >"$CORPUS/fields/date"
printf '%s' ' 1. 医保电子凭证或有效身份证件（查看）——加盖公章' >"$CORPUS/fields/wrap"
printf '%s' 'reason=death and death_shared!=yes or path in (a b)' >"$CORPUS/fields/when"

fuzz catalogue "tests/fuzz/fuzz_catalogue.c tui/model/catalogue.c tui/model/catwhen.c tui/model/cond.c $MODEL"
fuzz mustache "tests/fuzz/fuzz_mustache.c tui/model/mustache.c tui/model/sms.c $MODEL"
fuzz fields "tests/fuzz/fuzz_fields.c tui/model/cond.c $MODEL"
fuzz calendar "tests/fuzz/fuzz_calendar.c $MODEL"
fuzz officecsv "tests/fuzz/fuzz_officecsv.c tui/model/officecsv.c tui/model/csv.c $MODEL"
fuzz inscsv "tests/fuzz/fuzz_inscsv.c tui/model/inscsv.c tui/model/csv.c $MODEL"
fuzz keys "tests/fuzz/fuzz_keys.c tui/ui/keyin.c"
fuzz json "tests/fuzz/fuzz_json.c tui/model/json.c tui/model/mustache.c tui/model/intake.c tui/model/catalogue.c tui/model/catwhen.c tui/model/cond.c $MODEL"
echo "1..$n"
exit $failed
