# layerscan - find secrets in container build contexts, images and git history.
#
# Targets:
#   make               build build/layerscan (and build/liblayerscan.a)
#   make check         install test deps, lint, then unit + end-to-end tests,
#                      the same suite again under ASan+UBSan (build-san/), the
#                      end-to-end tests under valgrind (tests/hygiene.mk)
#   make test          the inner loop: unit + end-to-end tests on the native
#                      build, two e2e tests at a time (docs/HACKING.md)
#   make demo          install deps, build, scan the bundled demo
#   make fuzz          libFuzzer targets, FUZZ_SECONDS=60 each (tests/fuzz/fuzz.mk);
#                      check runs make fuzz-regress and a 30 s make fuzz
#   make quality       recall and precision on the labelled corpus; fails below
#                      the figures recorded in fixtures/corpus/minimum
#   make mutate        plant the bugs of tests/mutate/mutants.txt, one at a
#                      time, and check their tests catch them (not in check)
#   make install       PREFIX=/usr/local DESTDIR=
#   make clean
#
# Knobs (command line or an optional config.mak):
#   CC, CFLAGS, LDFLAGS      as usual
#   O=build                  output directory
#   SANITIZE=address,undefined   build with sanitizers (check uses O=build-san)
#   DEPS=0                   do not run src/tools/deps.sh (you installed deps)
#   V=1                      show full compiler command lines
#   PREFIX=/usr/local, DESTDIR=
-include config.mak

CC ?= cc
O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
DEPS ?= 1
SANITIZE ?=

PKGS := libpcre2-8 libarchive libgit2 jansson nettle hogweed gmp zlib libisal
# Hyperscan (Debian's libhyperscan-dev, amd64 only) runs the keyword
# prefilter three times as fast as the built-in DFA, which is used without
# it (src/rules/prefilter.c).  HYPERSCAN=0 builds without it.
HYPERSCAN ?= $(shell pkg-config --exists libhs 2>/dev/null && echo 1 || echo 0)
ifeq ($(HYPERSCAN),1)
PKGS += libhs
HS_DEFS := -DLS_HAVE_HYPERSCAN
endif
OPT_CFLAGS ?= -O2 -g
WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers -Wformat=2 \
	-Wno-format-nonliteral
CFLAGS ?= $(OPT_CFLAGS)
ALL_CFLAGS := $(WARN) $(CFLAGS) -Isrc -I$(O)/gen -D_FILE_OFFSET_BITS=64 $(HS_DEFS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

CORE_SRC := $(sort $(wildcard src/util/*.c src/rules/*.c src/content/*.c \
	src/finding/*.c src/report/*.c src/source/*.c src/source/*/*.c \
	src/scan/*.c src/policy/*.c))
CLI_SRC := src/main.c $(sort $(wildcard src/cli/*.c))
PATTERNS := $(sort $(wildcard patterns/*.toml))
GEN_PATTERNS := $(O)/gen/patterns.c

CORE_OBJ := $(CORE_SRC:%.c=$(O)/%.o) $(O)/gen/patterns.o \
	$(O)/gen/published-keys.o
CLI_OBJ := $(CLI_SRC:%.c=$(O)/%.o)
LIB := $(O)/liblayerscan.a
BIN := $(O)/layerscan

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

.PHONY: all deps deps-build check test unit e2e check-san demo demo-image quality \
	install clean banned FORCE
.DEFAULT_GOAL := all

all: $(BIN)

deps:
ifeq ($(DEPS),1)
	@sh src/tools/deps.sh test
endif

deps-build:
ifeq ($(DEPS),1)
	@sh src/tools/deps.sh build
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Objects are rebuilt when the flags change (a library found since the last
# build, another SANITIZE): $(O)/gen/flags changes only then.
$(O)/gen/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(ALL_CFLAGS) $(LIBS)' | cmp -s - $@ || echo '$(ALL_CFLAGS) $(LIBS)' >$@
FORCE:

$(O)/%.o: %.c $(O)/gen/flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tools/embed: src/tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $< $(shell pkg-config --libs zlib)

$(GEN_PATTERNS): $(PATTERNS) $(O)/tools/embed
	@mkdir -p $(@D)
	$(O)/tools/embed $@ $(PATTERNS)

$(O)/gen/patterns.o: $(GEN_PATTERNS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Fingerprints of published test keys (src/finding/pubkey.h), built by
# src/tools/published-keys.sh; embedded like the patterns, in their own array.
$(O)/gen/published-keys.c: patterns/published-keys.tsv $(O)/tools/embed
	@mkdir -p $(@D)
	$(O)/tools/embed -n ls_published_keys_file $@ patterns/published-keys.tsv

$(O)/gen/published-keys.o: $(O)/gen/published-keys.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The default rules' keywords compiled into a Hyperscan database at build
# time (src/tools/hsdb.c; start-up loads it instead of compiling).
$(O)/tools/hsdb: src/tools/hsdb.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LIBS) $(LDFLAGS)

$(O)/gen/saved-prefilter.c: $(O)/tools/hsdb
	$(O)/tools/hsdb $@

$(O)/gen/saved-prefilter.o: $(O)/gen/saved-prefilter.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN): $(CLI_OBJ) $(O)/gen/saved-prefilter.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(O)/gen/saved-prefilter.o $(LIB) $(LIBS)

$(O)/tests/test_%: tests/unit/test_%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DLS_UNIT_TEST $(shell pkg-config --cflags cmocka) \
		-o $@ $< $(LIB) $(LIBS) $(shell pkg-config --libs cmocka) $(LDFLAGS)

$(O)/tests/quality: tests/quality.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBS) $(LDFLAGS)

unit: $(UNIT_BIN)
	@sh tests/unit/run.sh $(UNIT_BIN)

# Two tests at a time (make check-valgrind does the same): much of a test's
# time is podman and disk, and the timing tests bound CPU time, not wall time.
E2E_JOBS ?= 2
e2e: $(BIN)
	@LAYERSCAN=$(abspath $(BIN)) LS_E2E_JOBS=$${LS_E2E_JOBS:-$(E2E_JOBS)} \
		sh tests/e2e/run.sh

# The fast inner loop (docs/HACKING.md): unit and end-to-end tests on the
# native build, two e2e tests at a time; no lint, sanitizers, valgrind,
# fuzzing or container.  make check stays the full gate (.ci/run).
test: $(BIN) $(UNIT_BIN)
	@sh tests/unit/run.sh $(UNIT_BIN)
	@LAYERSCAN=$(abspath $(BIN)) LS_E2E_JOBS=$${LS_E2E_JOBS:-$(E2E_JOBS)} \
		sh tests/e2e/run.sh

# The sanitizer pass: the whole suite again, built with ASan+UBSan.  The
# podman ground truth of the ignore-file cases was checked live by the first
# pass, so this one reuses it (LS_E2E_REUSE_PODMAN).
check-san:
	LS_E2E_REUSE_PODMAN=1 $(MAKE) --no-print-directory O=build-san \
		SANITIZE=address,undefined OPT_CFLAGS="-O1 -g" DEPS=0 unit e2e

# make lint, make check-valgrind; "-": the container build copies no tests/
-include tests/hygiene.mk

# Functions that invite overflows or hidden state; use the xalloc/snprintf
# family instead (as git's banned.h does), and ls_sort (util/sort.h) for
# qsort, which is undefined on an empty array.
BANNED := strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|tmpnam|mktemp|qsort
banned:
	@if grep -nE '(^|[^_a-z])($(BANNED)) *\(' $(CORE_SRC) $(CLI_SRC) \
		$(filter-out src/util/sort.h,$(wildcard src/*/*.h src/*/*/*.h)); then \
		echo "banned functions used (see BANNED in the Makefile)" >&2; exit 1; fi

check: deps banned
	$(MAKE) --no-print-directory DEPS=0 lint
	$(MAKE) --no-print-directory DEPS=0 unit e2e
	$(MAKE) --no-print-directory DEPS=0 quality
	$(MAKE) --no-print-directory DEPS=0 check-san
	$(MAKE) --no-print-directory DEPS=0 check-valgrind
	$(MAKE) --no-print-directory DEPS=0 fuzz-regress
	$(MAKE) --no-print-directory DEPS=0 fuzz FUZZ_SECONDS=30
	$(MAKE) --no-print-directory DEPS=0 container-check
	@echo "make check: all suites passed"

# After deps-build, a new make: this one read pkg-config's flags before the
# libraries were installed.
demo: deps-build
	@$(MAKE) --no-print-directory DEPS=0 $(BIN)
	@sh tests/demo.sh $(BIN)

# Rebuild the bundled demo image from fixtures/demo/context (needs podman).
demo-image: deps
	sh tests/lib/base-image.sh
	podman build -q --isolation=chroot --format docker \
		-f fixtures/demo/context/Containerfile -t localhost/layerscan-demo:latest \
		fixtures/demo/context
	rm -f fixtures/demo/image.tar
	podman save --format oci-archive -o fixtures/demo/image.tar localhost/layerscan-demo:latest

# One corpus of `make quality`: scan fixtures/$(1)/files, score it against
# its labels and its minimum file (tests/quality.c); $(2) says what it is
# (no commas: they would split the arguments of $(call)).
define quality_corpus
	@$(BIN) context --format json --threads 2 fixtures/$(1)/files > $(O)/quality-$(1).json; \
	 st=$$?; [ $$st -le 1 ] || { echo "layerscan failed with status $$st" >&2; exit 1; }
	@echo "$(1) ($(2)):"
	@$(O)/tests/quality fixtures/$(1)/labels.tsv $(O)/quality-$(1).json fixtures/$(1)/minimum
endef

quality: deps-build
	@$(MAKE) --no-print-directory DEPS=0 $(BIN) $(O)/tests/quality
	$(call quality_corpus,corpus,written next to the rules)
	$(call quality_corpus,corpus2,written without reading the rules; tuned against since 2026-12-05; fixtures/corpus2/README.md)
	$(call quality_corpus,corpus3,held out until 2026-12-06: written without reading the rules; fixtures/corpus3/README.md)
	$(call quality_corpus,corpus4,held out until 2026-12-06 (session 9): written without reading the rules; fixtures/corpus4/README.md)
	$(call quality_corpus,corpus5,held out until 2026-12-06 (session 9, scored then fixed): written without reading the rules; fixtures/corpus5/README.md)
	$(call quality_corpus,corpus6,held out until 2026-12-06 (session 9, scored then fixed): written without reading the rules; fixtures/corpus6/README.md)
	$(call quality_corpus,corpus7,held out until 2026-12-06 (session 9, scored with the final binary, then fixed): written without reading the rules; fixtures/corpus7/README.md)
	$(call quality_corpus,corpus8,held out until 2026-12-06 (session 10, scored then fixed): written without reading the rules; fixtures/corpus8/README.md)
	$(call quality_corpus,corpus9,held out until 2026-12-06 (session 10, scored then fixed): written without reading the rules; fixtures/corpus9/README.md)
	$(call quality_corpus,corpus10,held out until 2026-12-06 (session 11, scored then fixed): written without reading the rules; fixtures/corpus10/README.md)
	$(call quality_corpus,corpus11,held out until 2026-12-06 (session 11, scored then fixed): written without reading the rules; fixtures/corpus11/README.md)
	$(call quality_corpus,corpus12,held out until 2026-12-06 (session 11: scored; fixed in session 12): written without reading the rules; fixtures/corpus12/README.md)
	$(call quality_corpus,corpus13,held out until 2026-12-06 (session 12: scored, then fixed): written without reading the rules; fixtures/corpus13/README.md)
	$(call quality_corpus,corpus14,held out until 2026-12-06 (session 12: scored, then fixed): written without reading the rules; fixtures/corpus14/README.md)
	$(call quality_corpus,corpus15,held out until 2026-12-06 (session 12: scored, then fixed): written without reading the rules; fixtures/corpus15/README.md)
	$(call quality_corpus,corpus16,held out until 2026-12-06 (session 12: scored, then fixed): written without reading the rules; fixtures/corpus16/README.md)
	$(call quality_corpus,corpus17,held out until 2026-12-06 (session 12: scored, then fixed): written without reading the rules; fixtures/corpus17/README.md)
	$(call quality_corpus,corpus18,held out until 2026-12-06 (session 12: scored, then fixed): written without reading the rules; fixtures/corpus18/README.md)
	$(call quality_corpus,corpus19,held out until 2026-12-07 (session 13: scored, then fixed): written without reading the rules; fixtures/corpus19/README.md)
	$(call quality_corpus,corpus20,held out until 2026-12-07 (session 13: scored, then fixed): written without reading the rules; fixtures/corpus20/README.md)
	$(call quality_corpus,corpus21,held out until 2026-12-07 (session 13: scored, then fixed): written without reading the rules; fixtures/corpus21/README.md)
	$(call quality_corpus,corpus22,held out until 2026-12-07 (session 13: scored, then fixed): written without reading the rules; fixtures/corpus22/README.md)
	$(call quality_corpus,corpus23,held out until 2026-12-07 (session 13: scored, then fixed): written without reading the rules; fixtures/corpus23/README.md)
	$(call quality_corpus,corpus24,held out until 2026-12-07 (session 13: scored, then fixed): written without reading the rules; fixtures/corpus24/README.md)
	$(call quality_corpus,corpus25,held out until 2026-12-07 (session 13: scored with the fixed binary of 4215434): written without reading the rules; fixtures/corpus25/README.md)
	$(call quality_corpus,corpus26,held out until 2026-12-07 (session 13: scored with the fixed binary of 4215434): written without reading the rules; fixtures/corpus26/README.md)
	$(call quality_corpus,corpus27,held out until 2026-12-07 (session 13: scored with the fixed binary of 4215434): written without reading the rules; fixtures/corpus27/README.md)
	$(call quality_corpus,corpus28,held out until 2026-12-07 (session 13: scored with the fixed binary of 4215434): written without reading the rules; fixtures/corpus28/README.md)
	$(call quality_corpus,corpus29,held out until 2026-12-07 (session 13: scored with the fixed binary of a350683): written without reading the rules; fixtures/corpus29/README.md)
	$(call quality_corpus,corpus30,held out until 2026-12-07 (session 13: scored with the fixed binary of a350683): written without reading the rules; fixtures/corpus30/README.md)
	$(call quality_corpus,corpus31,held out until 2026-12-07 (session 13: scored with the fixed binary of a350683): written without reading the rules; fixtures/corpus31/README.md)
	$(call quality_corpus,corpus32,held out until 2026-12-07 (session 13: scored with the fixed binary of a350683): written without reading the rules; fixtures/corpus32/README.md)
	$(call quality_corpus,corpus33,held out until 2026-12-07 (session 14: scored with the fixed binary of 07ee69c, then fixed): written without reading the rules; fixtures/corpus33/README.md)
	$(call quality_corpus,corpus34,held out until 2026-12-07 (session 14: scored with the fixed binary of 07ee69c, then fixed): written without reading the rules; fixtures/corpus34/README.md)
	$(call quality_corpus,corpus35,held out until 2026-12-07 (session 14: scored with the fixed binary of 07ee69c, then fixed): written without reading the rules; fixtures/corpus35/README.md)
	$(call quality_corpus,corpus36,held out until 2026-12-07 (session 14: scored with the fixed binary of 07ee69c, then fixed): written without reading the rules; fixtures/corpus36/README.md)
	$(call quality_corpus,corpus37,held out until 2026-12-07 (session 14: scored with the fixed binary of 07ee69c, then fixed): written without reading the rules; fixtures/corpus37/README.md)
	$(call quality_corpus,corpus38,held out until 2026-12-07 (session 14: scored with the fixed binary of 7a7a6bb, then fixed): written without reading the rules; fixtures/corpus38/README.md)
	$(call quality_corpus,corpus39,held out until 2026-12-07 (session 14: scored with the fixed binary of 7a7a6bb, then fixed): written without reading the rules; fixtures/corpus39/README.md)
	$(call quality_corpus,corpus40,held out until 2026-12-07 (session 14: scored with the fixed binary of 7a7a6bb, then fixed): written without reading the rules; fixtures/corpus40/README.md)
	$(call quality_corpus,corpus41,held out until 2026-12-07 (session 14: scored with the fixed binary of 7a7a6bb, then fixed): written without reading the rules; fixtures/corpus41/README.md)
	$(call quality_corpus,corpus42,held out until 2026-12-07 (session 14: scored with the fixed binary of 1fcee85, then fixed): written without reading the rules; fixtures/corpus42/README.md)
	$(call quality_corpus,corpus43,held out until 2026-12-07 (session 14: scored with the fixed binary of 1fcee85, then fixed): written without reading the rules; fixtures/corpus43/README.md)
	$(call quality_corpus,corpus44,held out until 2026-12-07 (session 14: scored with the fixed binary of 1fcee85, then fixed): written without reading the rules; fixtures/corpus44/README.md)
	$(call quality_corpus,corpus45,held out until 2026-12-07 (session 14: scored with the fixed binary of a5d57a3, then fixed): written without reading the rules; fixtures/corpus45/README.md)
	$(call quality_corpus,corpus46,held out until 2026-12-07 (session 14: scored with the fixed binary of a5d57a3, then fixed): written without reading the rules; fixtures/corpus46/README.md)
	$(call quality_corpus,corpus47,held out until 2026-12-07 (session 14: scored with the fixed binary of a5d57a3, then fixed): written without reading the rules; fixtures/corpus47/README.md)
	$(call quality_corpus,corpus48,held out until 2026-12-07 (session 15: scored with the fixed binary of fb89e10, then fixed): written without reading the rules; fixtures/corpus48/README.md)
	$(call quality_corpus,corpus49,held out until 2026-12-07 (session 15: scored with the fixed binary of fb89e10, then fixed): written without reading the rules; fixtures/corpus49/README.md)
	$(call quality_corpus,corpus50,held out until 2026-12-07 (session 15: scored with the fixed binary of fb89e10, then fixed): written without reading the rules; fixtures/corpus50/README.md)
	$(call quality_corpus,corpus51,held out until 2026-12-07 (session 15: scored with the fixed binary of 75ec7e8, then fixed): written without reading the rules; fixtures/corpus51/README.md)
	$(call quality_corpus,corpus52,held out until 2026-12-07 (session 15: scored with the fixed binary of 75ec7e8, then fixed): written without reading the rules; fixtures/corpus52/README.md)
	$(call quality_corpus,corpus53,held out until 2026-12-07 (session 15: scored with the fixed binary of 75ec7e8, then fixed): written without reading the rules; fixtures/corpus53/README.md)
	$(call quality_corpus,corpus54,held out until 2026-12-07 (session 15: scored with the fixed binary of 75ec7e8, then fixed): written without reading the rules; fixtures/corpus54/README.md)
	$(call quality_corpus,corpus55,held out until 2026-12-07 (session 15: scored with the fixed binary of c9b7ac8, then fixed): written without reading the rules; fixtures/corpus55/README.md)
	$(call quality_corpus,corpus56,held out until 2026-12-07 (session 15: scored with the fixed binary of c9b7ac8, then fixed): written without reading the rules; fixtures/corpus56/README.md)
	$(call quality_corpus,corpus57,held out until 2026-12-07 (session 15: scored with the fixed binary of c9b7ac8, then fixed): written without reading the rules; fixtures/corpus57/README.md)
	$(call quality_corpus,corpus58,held out until 2026-12-07 (session 16: scored with the fixed binary of d4c0949): written without reading the rules; fixtures/corpus58/README.md)
	$(call quality_corpus,corpus59,held out until 2026-12-07 (session 16: scored with the fixed binary of d4c0949): written without reading the rules; fixtures/corpus59/README.md)
	$(call quality_corpus,corpus60,held out until 2026-12-07 (session 16: scored with the fixed binary of 0c2ec85): written without reading the rules; fixtures/corpus60/README.md)
	$(call quality_corpus,corpus61,held out until 2026-12-07 (session 16: scored with the fixed binary of 0c2ec85): written without reading the rules; fixtures/corpus61/README.md)
	$(call quality_corpus,corpus62,held out until 2026-12-07 (session 16: scored with the fixed binary of 0c00926): written without reading the rules; fixtures/corpus62/README.md)
	$(call quality_corpus,corpus63,held out until 2026-12-07 (session 16: scored with the fixed binary of 0c00926): written without reading the rules; fixtures/corpus63/README.md)
	$(call quality_corpus,corpus64,held out until 2026-12-07 (session 16: scored with the fixed binary of b26f946): written without reading the rules; fixtures/corpus64/README.md)
	$(call quality_corpus,corpus65,held out until 2026-12-07 (session 16: scored with the fixed binary of b26f946): written without reading the rules; fixtures/corpus65/README.md)
	$(call quality_corpus,corpus66,held out until 2026-12-07 (session 17: scored with the fixed binary of 23f31ef): written without reading the rules; fixtures/corpus66/README.md)
	$(call quality_corpus,corpus67,held out until 2026-12-07 (session 17: scored with the fixed binary of 23f31ef): written without reading the rules; fixtures/corpus67/README.md)
	$(call quality_corpus,corpus68,held out until 2026-12-07 (session 17: scored with the fixed binary of 23f31ef): written without reading the rules; fixtures/corpus68/README.md)
	$(call quality_corpus,corpus69,held out until 2026-12-07 (session 17: scored with the fixed binary of 23f31ef): written without reading the rules; fixtures/corpus69/README.md)
	$(call quality_corpus,corpus70,held out until 2026-12-07 (session 17: scored with the fixed binary of 9033a92): written without reading the rules; fixtures/corpus70/README.md)
	$(call quality_corpus,corpus71,held out until 2026-12-07 (session 17: scored with the fixed binary of 9033a92): written without reading the rules; fixtures/corpus71/README.md)
	$(call quality_corpus,corpus72,held out until 2026-12-07 (session 17: scored with the fixed binary of 9033a92): written without reading the rules; fixtures/corpus72/README.md)
	$(call quality_corpus,corpus73,held out until 2026-12-07 (session 17: scored with the fixed binary of 9033a92): written without reading the rules; fixtures/corpus73/README.md)
	$(call quality_corpus,corpus74,held out until 2026-12-07 (session 17: scored with the fixed binary of 1d7cfef): written without reading the rules; fixtures/corpus74/README.md)
	$(call quality_corpus,corpus75,held out until 2026-12-07 (session 17: scored with the fixed binary of 1d7cfef): written without reading the rules; fixtures/corpus75/README.md)
	$(call quality_corpus,corpus76,held out until 2026-12-07 (session 17: scored with the fixed binary of 1d7cfef): written without reading the rules; fixtures/corpus76/README.md)
	$(call quality_corpus,corpus77,held out until 2026-12-07 (session 17: scored with the fixed binary of 1d7cfef): written without reading the rules; fixtures/corpus77/README.md)
	$(call quality_corpus,corpus78,held out until 2026-12-07 (session 18: scored with the fixed binary of 720f635): written without reading the rules; fixtures/corpus78/README.md)
	$(call quality_corpus,corpus79,held out until 2026-12-07 (session 18: scored with the fixed binary of 720f635): written without reading the rules; fixtures/corpus79/README.md)
	$(call quality_corpus,corpus80,held out until 2026-12-07 (session 18: scored with the fixed binary of 720f635): written without reading the rules; fixtures/corpus80/README.md)
	$(call quality_corpus,corpus81,held out until 2026-12-07 (session 18: scored with the fixed binary of 720f635): written without reading the rules; fixtures/corpus81/README.md)
	$(call quality_corpus,corpus82,held out until 2026-12-07 (session 18: scored with the fixed binary of 720f635): written without reading the rules; fixtures/corpus82/README.md)
	$(call quality_corpus,corpus83,held out until 2026-12-07 (session 18: scored with the fixed binary of 720f635): written without reading the rules; fixtures/corpus83/README.md)
	$(call quality_corpus,corpus84,held out until 2026-12-07 (session 18: scored with the fixed binary of 4deb29f): written without reading the rules; fixtures/corpus84/README.md)
	$(call quality_corpus,corpus85,held out until 2026-12-07 (session 18: scored with the fixed binary of 4deb29f): written without reading the rules; fixtures/corpus85/README.md)
	$(call quality_corpus,corpus86,held out until 2026-12-07 (session 18: scored with the fixed binary of 4deb29f): written without reading the rules; fixtures/corpus86/README.md)
	$(call quality_corpus,corpus87,held out until 2026-12-07 (session 18: scored with the fixed binary of 4deb29f): written without reading the rules; fixtures/corpus87/README.md)
	$(call quality_corpus,corpus88,held out until 2026-12-07 (session 18: scored with the fixed binary of 4deb29f): written without reading the rules; fixtures/corpus88/README.md)
	$(call quality_corpus,corpus89,held out until 2026-12-07 (session 18: scored with the fixed binary of 01205fc): written without reading the rules; fixtures/corpus89/README.md)
	$(call quality_corpus,corpus90,held out until 2026-12-07 (session 18: scored with the fixed binary of 01205fc): written without reading the rules; fixtures/corpus90/README.md)
	$(call quality_corpus,corpus91,held out until 2026-12-07 (session 18: scored with the fixed binary of 01205fc): written without reading the rules; fixtures/corpus91/README.md)
	$(call quality_corpus,corpus92,held out until 2026-12-07 (session 18: scored with the fixed binary of 01205fc): written without reading the rules; fixtures/corpus92/README.md)
	$(call quality_corpus,corpus93,held out until 2026-12-07 (session 18: scored with the fixed binary of 01205fc): written without reading the rules; fixtures/corpus93/README.md)
	$(call quality_corpus,corpus94,held out until 2026-12-07 (session 19: scored with the fixed binary of 9bd560e): written without reading the rules; fixtures/corpus94/README.md)
	$(call quality_corpus,corpus95,held out until 2026-12-07 (session 19: scored with the fixed binary of 9bd560e): written without reading the rules; fixtures/corpus95/README.md)
	$(call quality_corpus,corpus96,held out until 2026-12-07 (session 19: scored with the fixed binary of 9bd560e): written without reading the rules; fixtures/corpus96/README.md)
	$(call quality_corpus,corpus97,held out until 2026-12-07 (session 19: scored with the fixed binary of 9bd560e): written without reading the rules; fixtures/corpus97/README.md)
	$(call quality_corpus,corpus98,held out until 2026-12-07 (session 19: scored with the fixed binary of 9bd560e): written without reading the rules; fixtures/corpus98/README.md)
	$(call quality_corpus,corpus99,held out until 2026-12-07 (session 19: scored with the fixed binary of 9bd560e): written without reading the rules; fixtures/corpus99/README.md)
	$(call quality_corpus,corpus100,held out until 2026-12-07 (session 19: scored with the fixed binary of 86193dc): written without reading the rules; fixtures/corpus100/README.md)
	$(call quality_corpus,corpus101,held out until 2026-12-07 (session 19: scored with the fixed binary of 86193dc): written without reading the rules; fixtures/corpus101/README.md)
	$(call quality_corpus,corpus102,held out until 2026-12-07 (session 19: scored with the fixed binary of 86193dc): written without reading the rules; fixtures/corpus102/README.md)
	$(call quality_corpus,corpus103,held out until 2026-12-07 (session 19: scored with the fixed binary of 86193dc): written without reading the rules; fixtures/corpus103/README.md)
	$(call quality_corpus,corpus104,held out until 2026-12-07 (session 19: scored with the fixed binary of 86193dc): written without reading the rules; fixtures/corpus104/README.md)
	$(call quality_corpus,corpus105,held out until 2026-12-07 (session 19: scored with the fixed binary of 86193dc): written without reading the rules; fixtures/corpus105/README.md)
	$(call quality_corpus,corpus106,held out until 2026-12-08 (session 20: scored with the fixed binary of 8afb05d): written without reading the rules; fixtures/corpus106/README.md)
	$(call quality_corpus,corpus107,held out until 2026-12-08 (session 20: scored with the fixed binary of 8afb05d): written without reading the rules; fixtures/corpus107/README.md)
	$(call quality_corpus,corpus108,held out until 2026-12-08 (session 20: scored with the fixed binary of 8afb05d): written without reading the rules; fixtures/corpus108/README.md)
	$(call quality_corpus,corpus109,held out until 2026-12-08 (session 20: scored with the fixed binary of 8afb05d): written without reading the rules; fixtures/corpus109/README.md)
	$(call quality_corpus,corpus110,held out until 2026-12-08 (session 20: scored with the fixed binary of 8afb05d): written without reading the rules; fixtures/corpus110/README.md)
	$(call quality_corpus,corpus111,held out until 2026-12-08 (session 20: scored with the fixed binary of 8afb05d): written without reading the rules; fixtures/corpus111/README.md)
	$(call quality_corpus,corpus112,held out until 2026-12-08 (session 20: scored with the fixed binary of 7d778d3): written without reading the rules; fixtures/corpus112/README.md)
	$(call quality_corpus,corpus113,held out until 2026-12-08 (session 20: scored with the fixed binary of 7d778d3): written without reading the rules; fixtures/corpus113/README.md)
	$(call quality_corpus,corpus114,held out until 2026-12-08 (session 20: scored with the fixed binary of 7d778d3): written without reading the rules; fixtures/corpus114/README.md)
	$(call quality_corpus,corpus115,held out until 2026-12-08 (session 20: scored with the fixed binary of 7d778d3): written without reading the rules; fixtures/corpus115/README.md)
	$(call quality_corpus,corpus116,held out until 2026-12-08 (session 20: scored with the fixed binary of 7d778d3): written without reading the rules; fixtures/corpus116/README.md)
	$(call quality_corpus,corpus117,held out until 2026-12-08 (session 20: scored with the fixed binary of 7d778d3): written without reading the rules; fixtures/corpus117/README.md)

# Mutation check (tests/mutate/mutate.sh): each mutant of
# tests/mutate/mutants.txt in a copy of the tree, built and run against its
# test; prints which survived.  MUTANTS=PATTERN picks some by id.
.PHONY: mutate
mutate:
	@sh tests/mutate/mutate.sh $(MUTANTS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/layerscan
	install -m 644 docs/layerscan.1 $(DESTDIR)$(PREFIX)/share/man/man1/layerscan.1

clean:
	rm -rf build build-san

-include $(shell find $(O) -name '*.d' 2>/dev/null)

-include tests/fuzz/fuzz.mk

# The production container image (Containerfile, docs/container.md).
# `container` builds localhost/layerscan:latest from the working tree (and
# first, once, the local debian:bookworm-slim base: tests/lib/debian-base.sh);
# `container-check` builds it from a copy of the tree and checks size, user,
# health check, contents, the binary in it, the build context, a cached
# rebuild and reproducibility (tests/container/check.sh).
.PHONY: container container-check
container: deps
	@sh tests/container/build.sh

container-check: deps $(BIN)
	@LAYERSCAN=$(abspath $(BIN)) sh tests/container/check.sh

# Time `layerscan git` on long histories next to `git log -p --all | grep`
# and `git cat-file --batch-all-objects`, with peak RSS and the findings
# checked against the last release's (REPO=path, default: curl's history,
# then git's, cloned from the mirrors under /work/.mirror into
# ~/.cache/layerscan; FULL=0 skips the full-scan run); not part of `make check`.
.PHONY: bench-git
bench-git: $(BIN)
	@LAYERSCAN=$(abspath $(BIN)) sh tests/bench/bench-git.sh

# The benchmark (not part of `make check`): builds its inputs on this
# machine under /var/tmp/layerscan-bench (a ~640 MB text tree, a ~1 GB image
# as docker-archive and oci-archive), installs ripgrep and secretlint, then
# prints layerscan's time, MB/s and peak RSS next to the floors and peers,
# and checks the planted secrets are found.  docs/performance.md explains it.
.PHONY: bench
bench: deps $(BIN)
	@LAYERSCAN=$(abspath $(BIN)) sh tests/bench/bench.sh
