# hygiene.mk - static analysis and valgrind (included by the Makefile; both
# are part of `make check`; docs/hygiene.md says what runs and why).

# ---- make lint: clang-tidy 14 and cppcheck 2.10 over src/ and tests/unit/,
# with the build's flags.  Any report fails.  A finding that is a false
# positive is silenced where it is, with the reason (NOLINT(check): ... or
# cppcheck-suppress id ; ...); the checks turned off below are noise for
# this code base, each with the reason.
LINT_SRC := $(CORE_SRC) $(CLI_SRC) src/tools/embed.c $(UNIT_SRC)
LINT_FLAGS := -std=c11 -Isrc -I$(O)/gen -D_FILE_OFFSET_BITS=64 -DLS_UNIT_TEST $(HS_DEFS) \
	$(shell pkg-config --cflags $(PKGS) cmocka 2>/dev/null)
# clang-analyzer-*, bugprone-*, cert-*, concurrency-*, performance-*,
# portability-*, except:
#  security.insecureAPI.DeprecatedOrUnsafeBufferHandling: wants C11
#    Annex K (memcpy_s, ...), which glibc does not have
#  bugprone-easily-swappable-parameters: API style, not a defect
#  bugprone-reserved-identifier (= cert-dcl37-c, cert-dcl51-cpp): its only
#    hits are `#define _GNU_SOURCE`, a feature-test macro with that name
#  bugprone-branch-clone: branches written out in parallel on purpose
#    (${VAR:-word} / ${VAR:+word}, XML escapes)
#  bugprone-narrowing-conversions: int -> char on bytes already in range
#    (case mapping, control characters replaced by '?')
#  bugprone-implicit-widening-of-multiplication-result: small bounded int
#    products (PCRE2 ovector pairs 2*g, hh*3600, pack index (b-1)*4)
#  bugprone-sizeof-expression: in clang-tidy 14 it flags every sizeof(*p)
#    where p points to pointers (LS_ALLOC_GROW, ls_sort, calloc: all 19
#    hits correct); version 15 can turn off just that part
#  bugprone-not-null-terminated-result: the code passes (pointer, length);
#    its 13 hits are memcpy into counted buffers, none read as C strings
#  cert-err33-c: unchecked printf-family results; report streams are
#    checked once, with ferror() at the end of each reporter, and snprintf
#    truncates into fixed message buffers on purpose
#  concurrency-mt-unsafe: its hits are strerror (thread-safe in glibc
#    >= 2.32; bookworm has 2.36), exit on out-of-memory, and getopt_long,
#    localeconv in single-threaded start-up
# misc-* is not run: mostly style; its no-recursion flags the depth-limited
# TOML parser, redundant-expression fires only inside jansson's json_is_*.
# bugprone-suspicious-string-compare keeps its checks but the implicit
# `if (strcmp(a, b))` / `!strcmp(a, b)`, which is the house style.
TIDY_CHECKS := -* clang-analyzer-* bugprone-* cert-* concurrency-* \
	performance-* portability-* \
	-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling \
	-bugprone-easily-swappable-parameters -bugprone-reserved-identifier \
	-cert-dcl37-c -cert-dcl51-cpp -bugprone-branch-clone \
	-bugprone-narrowing-conversions \
	-bugprone-implicit-widening-of-multiplication-result \
	-bugprone-sizeof-expression -bugprone-not-null-terminated-result \
	-cert-err33-c -concurrency-mt-unsafe
TIDY_CONFIG := {CheckOptions: [{key: bugprone-suspicious-string-compare.WarnOnImplicitComparison, value: false}]}
# cppcheck: warning, portability, performance (style is taste, not defects)
CPPCHECK_FLAGS := --std=c11 --enable=warning,portability,performance \
	--inline-suppr --error-exitcode=1 --quiet -j2 \
	--template='{file}:{line}: {severity}: {message} [{id}]'

lint_comma := ,
lint_space := $(subst x, ,x)

.PHONY: lint check-valgrind
# One file per clang-tidy run, two at a time: with several files in one run
# clang-analyzer reports false uninitialised va_lists.
lint:
	@command -v clang-tidy >/dev/null && command -v cppcheck >/dev/null || \
		{ echo "lint needs clang-tidy and cppcheck (src/tools/deps.sh test)" >&2; exit 1; }
	@echo "  CPPCHECK   $(words $(LINT_SRC)) files"
	$(Q)cppcheck $(CPPCHECK_FLAGS) $(filter -I% -D%,$(LINT_FLAGS)) $(LINT_SRC)
	@echo "  CLANG-TIDY $(words $(LINT_SRC)) files"
	$(Q)out=$$(printf '%s\n' $(LINT_SRC) | xargs -P 2 -I{} clang-tidy --quiet \
		--checks='$(subst $(lint_space),$(lint_comma),$(strip $(TIDY_CHECKS)))' \
		--config='$(TIDY_CONFIG)' --warnings-as-errors='*' {} -- $(LINT_FLAGS) 2>&1); \
	st=$$?; printf '%s\n' "$$out" | grep -v ' generated\.$$' | grep . ; exit $$st

# ---- make check-valgrind: the end-to-end tests again, every layerscan run
# under valgrind's memcheck (tests/e2e/valgrind/layerscan: errors and
# definite or indirect leaks fail the test), two tests at a time.  Like
# check-san it reuses the podman lists the first pass checked live.
check-valgrind: $(BIN)
	@LS_E2E_VALGRIND=1 LS_E2E_JOBS=2 LS_E2E_REUSE_PODMAN=1 \
		LAYERSCAN=$(abspath $(BIN)) sh tests/e2e/run.sh
