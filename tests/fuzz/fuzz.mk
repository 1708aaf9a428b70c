# fuzz.mk - libFuzzer targets (tests/fuzz/fuzz_*.c), included by the Makefile.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_JOBS=2]
#        build build-fuzz/ and run every target for FUZZ_SECONDS over a
#        scratch copy of its seed corpus (build-fuzz/run/<target>/), two at
#        a time; fails on any crash, leak, timeout or sanitizer report
#        (the reproducer is left in build-fuzz/artifacts/<target>/)
#   make fuzz-regress
#        run every target once over its seeds and its crash reproducers
#        (tests/fuzz/regress/<target>/), without fuzzing
#   make fuzz-build
#        only build the targets (build-fuzz/fuzz/fuzz_<target>)
#
# The library is the ordinary build (the Makefile's rules) with O=build-fuzz,
# CC=clang-14 and SANITIZE=fuzzer-no-link,address,undefined; the targets are
# linked with -fsanitize=fuzzer,address,undefined.  docs/fuzzing.md.

FUZZ_CC ?= clang-14
FUZZ_O := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
FUZZ_SAN := address,undefined
FUZZ_TARGETS := toml rules ignore containerfile image_tar image_json matcher
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_O)/fuzz/fuzz_%)
FUZZ_LIB := $(FUZZ_O)/liblayerscan.a

.PHONY: fuzz fuzz-build fuzz-regress fuzz-clean fuzz-force
# The library: a sub-make of the ordinary rules into $(FUZZ_O) (always
# asked; it relinks only when a source changed).  Not defined inside that
# sub-make, where $(FUZZ_LIB) is the Makefile's own $(LIB).
ifneq ($(O),$(FUZZ_O))
$(FUZZ_LIB): fuzz-force
	+@$(MAKE) --no-print-directory O=$(FUZZ_O) CC=$(FUZZ_CC) \
		SANITIZE=fuzzer-no-link,$(FUZZ_SAN) OPT_CFLAGS="-O1 -g" DEPS=0 \
		$(FUZZ_LIB)
endif

$(FUZZ_O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(WARN) -O1 -g -Isrc -D_FILE_OFFSET_BITS=64 \
		$(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
		-fsanitize=fuzzer,$(FUZZ_SAN) -fno-omit-frame-pointer \
		-fno-sanitize-recover=all -o $@ $< $(FUZZ_LIB) $(LIBS)

fuzz-build: deps $(FUZZ_BINS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh fuzz $(FUZZ_O) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

fuzz-regress: fuzz-build
	@sh tests/fuzz/run.sh regress $(FUZZ_O) 0 1 $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_O)

clean: fuzz-clean
