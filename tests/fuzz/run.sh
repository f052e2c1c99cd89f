#!/bin/sh
# Builds the catalogue fuzzer and runs it for a while.
#   tests/fuzz/run.sh BUILD_DIR SECONDS      (from the repository root)
# Builds BUILD_DIR/fuzz/fuzz_catalogue with clang (libFuzzer, ASan, UBSan),
# seeds a temporary corpus with forms/*.xml, runs for SECONDS
# (-max_total_time) and prints TAP: "ok 1 - fuzz catalogue N runs" or
# "not ok 1 - ...". Exits non-zero on a build failure or any crash; the
# crashing input is kept in BUILD_DIR/fuzz/ (crash-*, leak-*, timeout-*).
set -u
B=${1:-build}
SECS=${2:-60}
CLANG=${CLANG:-clang}
OUT="$B/fuzz"
BIN="$OUT/fuzz_catalogue"
LOG="$OUT/fuzz_catalogue.log"
mkdir -p "$OUT"
echo "1..1"

SRC="tests/fuzz/fuzz_catalogue.c tui/model/catalogue.c tui/model/validate.c tui/model/regex.c tui/model/calendar.c tui/model/i18n.c tui/model/text.c tui/util/xalloc.c"
# shellcheck disable=SC2046,SC2086
if ! $CLANG -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -std=gnu11 -Wall -Wextra -Itui $(pkg-config --cflags libxml-2.0) \
	-o "$BIN" $SRC $(pkg-config --libs libxml-2.0) >"$OUT/build.log" 2>&1; then
	echo "not ok 1 - fuzz catalogue: build failed"
	sed 's/^/# /' "$OUT/build.log"
	exit 1
fi

CORPUS=$(mktemp -d /tmp/yc-fuzz.XXXXXX)
trap 'rm -rf "$CORPUS"' EXIT
trap 'exit 130' INT TERM
cp forms/*.xml "$CORPUS"/ 2>/dev/null
[ -d tests/forms-bad ] && find tests/forms-bad -name '*.xml' -exec cp {} "$CORPUS"/ \;

# One process, no forking: -max_len covers the 1 MiB limit's edge only
# through the seeds; 64 KiB keeps iterations fast.
YC_FUZZ_SCHEMA=${YC_FUZZ_SCHEMA:-forms/case-type.rng} \
ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
	"$BIN" -max_total_time="$SECS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$OUT/" -print_final_stats=1 "$CORPUS" >"$LOG" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG" | tail -n 1)
runs=${runs:-0}
if [ "$rc" -ne 0 ]; then
	echo "not ok 1 - fuzz catalogue $runs runs (exit $rc; see $LOG)"
	grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$LOG" | head -n 20 | sed 's/^/# /'
	exit 1
fi
echo "ok 1 - fuzz catalogue $runs runs"
