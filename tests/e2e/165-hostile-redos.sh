# Catastrophic backtracking: for every default rule, a 4 MB line without
# a newline built to make its regex work hardest (redos.py: its keywords
# dense enough that the regex runs over every byte, long runs of its
# character classes without the terminator, "a=" and runs of blanks,
# almost-matches that fail late, real matches back to back), scanned with
# the default rules on one thread.  Every run must end with exit 0 or 1
# -- exit 2 would mean a rule hit a PCRE2 limit, i.e. it backtracks
# catastrophically on this input -- and within a bound of CPU time.
#
# The bound: 10 s of CPU per run (40 s for the ASan+UBSan build, 3-4x
# slower).  CPU time, not wall time, so a loaded machine does not count.  A
# superlinear rule is far outside it: the allowlist regex this test found
# backtracking exponentially took 20 s of CPU on 2 MB of this input before
# it was fixed, and with the per-item cap on limit hits (rules/match.h) it
# now shows up as exit 2.
. "$TOP/tests/e2e/lib.sh"
command -v python3 >/dev/null 2>&1 || fail "python3 is not installed"

# The line size: 4 MB in make e2e, the pass that measures time (10 MB until
# session 20: 1,000-odd runs at 10 MB took 10-12 minutes of a 2-core
# machine, and about 25 more under ASan, the longest part of make check;
# catastrophic backtracking shows within kilobytes, and at 4 MB the slowest
# rule, generic-secret-list, takes about 2 s of CPU, so the 10 s bound
# still leaves 5x).
# check-san scans 2 MB lines (every rule's adversarial line still goes
# through the instrumented build, looking for memory errors; the timing is
# the plain pass's).  Under make check-valgrind the runs are native
# (memcheck would take hours and distorts time) with the plain pass's
# binary, so a full-size repeat would only measure the same thing twice:
# 1 MB there.
bound=10
size=4000000
if ldd "$LAYERSCAN" 2>/dev/null | grep -q libasan; then
	bound=40
	size=2000000
fi
if [ -n "${LS_VG_REAL:-}" ]; then
	size=1000000
fi
mkdir lines
LS_VG_SKIP="adversarial lines for every rule: a timing test, hours under memcheck"
export LS_VG_SKIP
python3 "$TOP/tests/e2e/redos.py" "$TOP/patterns" lines "$size" "$LAYERSCAN" "$bound" 2 >log 2>&1 || {
	grep -B1 FAIL log
	tail -n 1 log
	fail "a rule took too long or failed on its adversarial line"
}
unset LS_VG_SKIP
tail -n 1 log
n=$(sed -n 's/^\([0-9]*\) rules, .*/\1/p' log)
[ "${n:-0}" -ge 150 ] || fail "only ${n:-0} rules were tried"
[ "$(grep -c ' exit [01]  ' log)" -eq "$n" ] || fail "not every rule's line was scanned"
