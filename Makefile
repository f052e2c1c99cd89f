# yichuang — build, run, test, install.
#   make run      install missing Debian packages, build, start the private
#                 PostgreSQL under ./var, migrate, load demo data, run
#   make check    install what tests need and run every test
#   make asan     the same tests on an ASan + UBSan build
#   make install  PREFIX=/usr/local DESTDIR= (binary, data, manual page)

# The version, here only: `yichuang --version` and the manual page's footer
# take it from $(BUILD)/version.h, with `git describe` of the checkout added
# when git and a checkout are there at build time (never needed to run).
VERSION  = 0.1.0

PREFIX  ?= /usr/local
DESTDIR ?=
MANDIR  ?= $(PREFIX)/share/man
BUILD   ?= build
CC      ?= gcc
SAN     ?=

PKGS       = ncursesw libpq libxml-2.0
TEST_PKGS  = cmocka vterm
WARN       = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
OPT        = -O2 -g
ifeq ($(SAN),1)
OPT        = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
DATADIR    = $(PREFIX)/share/yichuang
YC_CFLAGS  = -std=gnu11 $(OPT) $(WARN) -D_GNU_SOURCE -Itui \
             -DYC_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags $(PKGS))
YC_LIBS    = $(shell pkg-config --libs $(PKGS))
LDFLAGS_SAN = $(if $(filter 1,$(SAN)),-fsanitize=address$(,)undefined)
, := ,

LIB_SRC    = $(filter-out tui/main.c,$(shell find tui -name '*.c' | sort))
LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
DB_SRC     = $(wildcard tests/db/test_*.c)
SCREEN_SRC = $(wildcard tests/screen/test_*.c)
TESTS      = $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%) \
             $(DB_SRC:tests/%.c=$(BUILD)/tests/%) \
             $(SCREEN_SRC:tests/%.c=$(BUILD)/tests/%) \
             $(BUILD)/tests/screen/standby_board $(BUILD)/tests/screen/standby_console
LANGS      = $(basename $(notdir $(wildcard locale/*.po)))
MO         = $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/yichuang.mo)

.PHONY: all run check asan install clean deps-run deps-check test-all tests locale-check bench fuzz FORCE

all: $(BUILD)/yichuang $(MO) $(BUILD)/yichuang.1

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(YC_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libyc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/yichuang: $(BUILD)/obj/tui/main.o $(BUILD)/libyc.a
	$(CC) $(OPT) $(LDFLAGS_SAN) -o $@ $^ $(YC_LIBS)

# Rewritten only when its text changes, so a new commit (or a dirty tree)
# relinks the binary and nothing else.
GIT_DESCRIBE = $(shell test -e .git && git describe --always --dirty 2>/dev/null)
$(BUILD)/version.h: FORCE
	@mkdir -p $(@D)
	@printf '#define YC_VERSION "%s"\n#define YC_VERSION_GIT "%s"\n' '$(VERSION)' '$(GIT_DESCRIBE)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

$(BUILD)/obj/tui/main.o: $(BUILD)/version.h
$(BUILD)/obj/tui/main.o: YC_CFLAGS += -I$(BUILD)

# The manual page with the version filled in.
$(BUILD)/yichuang.1: tui/yichuang.1 Makefile
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/g' tui/yichuang.1 >$@

$(BUILD)/locale/%/LC_MESSAGES/yichuang.mo: locale/%.po
	@mkdir -p $(@D)
	msgfmt --check --strict -o $@ $<

# Every user-visible string in tui/ must have a Chinese translation.
locale-check:
	@mkdir -p $(BUILD)
	@xgettext --from-code=UTF-8 -k_ -kN_ -o $(BUILD)/yichuang.pot $(shell find tui -name '*.[ch]' | sort)
	@msgcmp locale/zh_CN.po $(BUILD)/yichuang.pot
	@test -z "$$(msgattrib --untranslated locale/zh_CN.po)" || \
		{ echo "locale/zh_CN.po: untranslated messages" >&2; exit 1; }
	@test -z "$$(msgattrib --only-fuzzy locale/zh_CN.po)" || \
		{ echo "locale/zh_CN.po: fuzzy messages" >&2; exit 1; }

TEST_CFLAGS = $(YC_CFLAGS) -Itests $(shell pkg-config --cflags $(TEST_PKGS))
TEST_LIBS   = $(YC_LIBS) $(shell pkg-config --libs $(TEST_PKGS)) -lutil

SCREEN_LIB = tests/screen/vt.c tests/screen/ws.c
$(BUILD)/tests/screen/%: tests/screen/%.c $(SCREEN_LIB) tests/screen/vt.h tests/screen/ws.h $(BUILD)/libyc.a
	@mkdir -p $(@D)
	@echo "  TEST    $<"
	@$(CC) $(TEST_CFLAGS) $(LDFLAGS_SAN) -o $@ $< $(SCREEN_LIB) $(BUILD)/libyc.a $(TEST_LIBS)

DB_LIB = tests/db/dbt.c
$(BUILD)/tests/db/%: tests/db/%.c $(DB_LIB) tests/db/dbt.h $(BUILD)/libyc.a
	@mkdir -p $(@D)
	@echo "  TEST    $<"
	@$(CC) $(TEST_CFLAGS) $(LDFLAGS_SAN) -o $@ $< $(DB_LIB) $(BUILD)/libyc.a $(TEST_LIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libyc.a
	@mkdir -p $(@D)
	@echo "  TEST    $<"
	@$(CC) $(TEST_CFLAGS) $(LDFLAGS_SAN) -o $@ $< $(BUILD)/libyc.a $(TEST_LIBS)

tests: all $(TESTS)

# Benchmarks (not tests): figures go in the README.
BENCH_SRC  = $(wildcard bench/bench_*.c)
BENCHES    = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

# The board benchmark reads the screen through the test harness.
$(BUILD)/bench/bench_board: bench/bench_board.c tests/screen/vt.c tests/screen/vt.h $(BUILD)/libyc.a
	@mkdir -p $(@D)
	@echo "  BENCH   $<"
	@$(CC) $(TEST_CFLAGS) -o $@ $< tests/screen/vt.c $(BUILD)/libyc.a $(TEST_LIBS)

$(BUILD)/bench/%: bench/%.c bench/benchlib.c bench/benchlib.h $(BUILD)/libyc.a
	@mkdir -p $(@D)
	@echo "  BENCH   $<"
	@$(CC) $(YC_CFLAGS) -o $@ $< bench/benchlib.c $(BUILD)/libyc.a $(YC_LIBS)

bench: deps-check
	@$(MAKE) --no-print-directory all $(BENCHES)
	@bench/run.sh $(BUILD)

# The XML loader under libFuzzer for longer than make check does.
FUZZ_SECONDS ?= 300
fuzz: deps-check
	@tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

deps-run:
	@tools/ensure-deps.sh run

deps-check:
	@tools/ensure-deps.sh check

run: deps-run
	@$(MAKE) --no-print-directory all
	@tools/run.sh $(BUILD)

check: deps-check
	@$(MAKE) --no-print-directory test-all

test-all: tests locale-check
	@tests/run.sh $(BUILD)

asan: deps-check
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 test-all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/yichuang $(DESTDIR)$(PREFIX)/bin/yichuang
	install -m 0644 $(BUILD)/yichuang.1 $(DESTDIR)$(MANDIR)/man1/yichuang.1
	for d in db/migrations db/functions db/calendar forms print_templates print_templates/sms; do \
		install -d $(DESTDIR)$(DATADIR)/$$d; \
		find $$d -maxdepth 1 -type f -exec install -m 0644 {} $(DESTDIR)$(DATADIR)/$$d/ \; ; \
	done
	install -m 0644 db/demo.sql $(DESTDIR)$(DATADIR)/db/demo.sql
	for l in $(LANGS); do \
		install -d $(DESTDIR)$(DATADIR)/locale/$$l/LC_MESSAGES; \
		install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/yichuang.mo $(DESTDIR)$(DATADIR)/locale/$$l/LC_MESSAGES/; \
	done

clean:
	rm -rf build build-asan

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/tui/main.d
