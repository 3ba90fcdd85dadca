# Praxis: one plain GNU Makefile.
#
#   make run      install what is missing, build, migrate, serve on 127.0.0.1:8080
#   make test     install what is missing, build, run every test tier
#   make bench    measure the server against references in the same run
#
# Daily work: make check (unit + HTTP on SQLite + fuzz corpora), make check-pg,
# make check SAN=1, make fuzz, make lint, make format.
# Knobs: SAN=1 (AddressSanitizer + UndefinedBehaviorSanitizer), WERROR=0, CC=clang.

sinclude config.mk

CC      ?= cc
WERROR  ?= 1
SAN     ?=
BUILD   ?= build$(if $(SAN),/san,)
PKGS     = libmicrohttpd sqlite3 libpq jansson libsodium libcmark-gfm libcurl libical
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wold-style-definition -Wpointer-arith -Wwrite-strings -Wvla -Wformat=2 \
       -Wimplicit-fallthrough -Wcast-qual -Wundef -Wconversion -Wno-sign-conversion -fno-common
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT      ?= -O2 -g
CPPFLAGS += -Isrc -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DPRAXIS_VERSION='"$(VERSION)"'
CFLAGS   += -std=c11 $(OPT) $(WARN) -MMD -MP -pthread
LDLIBS   += -lcmark-gfm-extensions -pthread -lm

ifneq ($(SAN),)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# pkg-config is asked only when a build needs it, so `make help` works anywhere.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

LIB_SRC  := $(sort $(wildcard src/core/*.c src/db/*.c src/http/*.c src/view/*.c \
                               src/feature/*/*.c)) src/app.c
TMPL_SRC := $(sort $(wildcard src/view/*.html src/feature/*/*.html))
# Text templates (a mail's plain-text part); other .txt files there are data.
TMPL_TXT := $(filter-out src/feature/accounts/common-passwords.txt, \
                         $(sort $(wildcard src/view/*.txt src/feature/*/*.txt)))
TMPL_GEN := $(patsubst src/%.html,$(BUILD)/gen/tmpl/%.c,$(TMPL_SRC)) \
            $(patsubst src/%.txt,$(BUILD)/gen/tmpl/%_txt.c,$(TMPL_TXT))
HTMX     := node_modules/htmx.org/dist/htmx.min.js
ASSETS   := $(sort $(wildcard assets/*)) $(HTMX)
MIG_SQLITE := $(sort $(wildcard migrations/sqlite/*.sql))
MIG_PG     := $(sort $(wildcard migrations/pg/*.sql))
GEN_SRC  := $(TMPL_GEN) $(BUILD)/gen/assets.c $(BUILD)/gen/mig_sqlite.c $(BUILD)/gen/mig_pg.c \
            $(BUILD)/gen/wordlists.c

LIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) \
            $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRC))
LIB      := $(BUILD)/libpraxis.a
UNIT_SRC := $(sort $(wildcard tests/unit/t_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/replay_%,$(FUZZ_SRC))

.PHONY: all praxis run test check check-pg unit fuzz-replay fuzz lint format bench \
        deps clean help http-test
.DEFAULT_GOAL := all

all: praxis

# The binary lives in $(BUILD); ./praxis links to the plain build.
praxis: $(BUILD)/praxis
	@if [ "$(BUILD)" = build ]; then ln -sf build/praxis praxis; fi

$(BUILD)/praxis: $(BUILD)/obj/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c | $(BUILD)/gen/assets.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c | $(BUILD)/gen/assets.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

# Build-time tools run on the build machine, never sanitized.
TOOL_CFLAGS = -std=c11 -O1 -g $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE

build/tools/tmplc: tools/tmplc.c
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) -o $@ $< -lz

$(BUILD)/gen/tmpl/%.c: src/%.html build/tools/tmplc
	@mkdir -p $(@D)
	build/tools/tmplc -o $@ $<

$(BUILD)/gen/tmpl/%_txt.c: src/%.txt build/tools/tmplc
	@mkdir -p $(@D)
	build/tools/tmplc -o $@ $<

$(BUILD)/gen/assets.c $(BUILD)/gen/assets.h &: $(ASSETS) package-lock.json build/tools/embed
	@mkdir -p $(@D)
	build/tools/embed --gzip --url-prefix /assets/ --symbol assets \
	    -o $(BUILD)/gen/assets.c --header $(BUILD)/gen/assets.h $(ASSETS)

$(BUILD)/gen/mig_sqlite.c: $(MIG_SQLITE) build/tools/embed
	@mkdir -p $(@D)
	build/tools/embed --symbol migrations_sqlite -o $@ $(MIG_SQLITE)

$(BUILD)/gen/wordlists.c: src/feature/accounts/common-passwords.txt build/tools/embed
	@mkdir -p $(@D)
	build/tools/embed --symbol wordlists -o $@ src/feature/accounts/common-passwords.txt

$(BUILD)/gen/mig_pg.c: $(MIG_PG) build/tools/embed
	@mkdir -p $(@D)
	build/tools/embed --symbol migrations_pg -o $@ $(MIG_PG)

# npm packages come from the lock file; the stamp npm writes says when.
$(HTMX): | node_modules/.package-lock.json
	@:

node_modules/.package-lock.json: package-lock.json
	@scripts/install-deps.sh npm

# Keep generated template sources for reading and debugging.
.SECONDARY: $(TMPL_GEN)

# Tests ------------------------------------------------------------------

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) \
	    $(PKG_LIBS) $(LDLIBS)

# A fuzz target's corpus replayed by a plain main(): part of every test run.
$(BUILD)/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) \
	    $(PKG_LIBS) $(LDLIBS)

unit: $(UNIT_BIN)
	@scripts/run-unit.sh $(UNIT_BIN)

fuzz-replay: $(FUZZ_REPLAY)
	@scripts/run-fuzz-replay.sh $(BUILD)/fuzz

http-test: $(BUILD)/praxis
	@PRAXIS_BIN=$(BUILD)/praxis node --test tests/http/*.test.mjs

check: all unit fuzz-replay http-test

check-pg: all
	@PRAXIS_BIN=$(BUILD)/praxis PRAXIS_TEST_BACKEND=pg node --test tests/http/*.test.mjs

# The whole suite: every tier, both backends, then again under the sanitizers.
# Each entry point first installs what is missing, then builds in a second make,
# so a machine with only make and git gets the compiler before it is needed.
test:
	@scripts/install-deps.sh test
	@scripts/test-all.sh

deps:
	@scripts/install-deps.sh test

run:
	@scripts/install-deps.sh run
	@$(MAKE) --no-print-directory all
	./praxis migrate
	./praxis demo --if-empty
	./praxis serve

# libFuzzer builds need clang.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps.sh test
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench:
	@bench/run.sh
	@if [ "$${BENCH_LIVE:-1}" != 0 ]; then bench/live.sh; fi

lint: all
	@scripts/lint.sh

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tools/*.c' 'tests/*.c' 'tests/*.h' 'bench/*.c')

clean:
	rm -rf build praxis

help:
	@sed -n '1,12p' Makefile | sed 's/^# \{0,1\}//'

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
