#!/usr/bin/env python3
# redos.py - adversarial single lines against every rule (used by
# 165-hostile-redos.sh).
#
# usage: redos.py PATTERNS_DIR OUT_DIR SIZE LAYERSCAN LIMIT_SECONDS [JOBS]
#
# For each rule with a regex in PATTERNS_DIR/*.toml, write one line of SIZE
# bytes (no newline) to OUT_DIR/RULE.line, scan it with `LAYERSCAN context`
# (default rules, one thread), measure the run's CPU time (user + system:
# unlike wall time it does not depend on what else the machine runs),
# delete the file, and print one line per rule.  JOBS runs at once.
# The line is made to make a backtracking regex work as hard as possible,
# in five parts, each a dense repetition (a keyword at least every few
# hundred bytes, so the prefilter's windows merge into whole chunks and the
# regex runs over every byte):
#   1. (35%) keyword "=" then a long run of a character of one of the
#      regex's character classes, without the terminator it waits for;
#   2. (30%) keyword "=" then runs of spaces and tabs (a=   ...);
#   3. (20%) the keywords back to back;
#   4. (10%) each example without its last byte, then 64 characters of
#      one of the classes (almost-matches that fail late: a long run of
#      letters at the end of a value is what made an allowlist regex
#      backtrack exponentially);
#   5. (5%) the rule's positive examples back to back (many real matches:
#      they exercise the finding paths; kept small because the cost of tens
#      of thousands of findings is the report's, not the regex's).
# Exits 1 if a run takes more than LIMIT_SECONDS of CPU, or exits with a
# status other than 0 or 1: 2 is an error, and the only one this input can
# cause is a rule hitting a PCRE2 limit -- a rule that backtracks
# catastrophically on it; anything else is a crash.  0 otherwise.
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import time
import tomllib


def class_chars(regex):
    """One sample character for each bracket class and escape class."""
    out = []
    for m in re.finditer(r"\[(\^?)((?:\\.|[^\]\\])+)\]", regex):
        if m.group(1):
            continue
        body = m.group(2)
        try:
            cls = re.compile("[" + body + "]")
        except re.error:
            continue
        for c in "aA0zZ9_-./+=:~ \t\"'":
            if cls.fullmatch(c):
                out.append(c)
                break
    for esc, c in (("\\w", "a"), ("\\d", "7"), ("\\s", " "),
                   ("[[:alnum:]]", "q")):
        if esc in regex:
            out.append(c)
    return list(dict.fromkeys(out)) or ["a"]


def fill(unit, size):
    if not unit:
        unit = "x"
    n = size // len(unit) + 1
    return (unit * n)[:size]


def line_for(rule, size):
    kws = rule.get("keywords") or [rule["id"].split("-")[0]]
    regex = rule["regex"]
    chars = class_chars(regex)
    ex = rule.get("examples", {}).get("positive", []) or [kws[0] + "=x"]
    ex = [e.replace("\n", " ").replace("\r", " ") for e in ex]
    sizes = [size * 35 // 100, size * 30 // 100, size * 20 // 100,
             size * 10 // 100]
    sizes.append(size - sum(sizes))
    parts = []
    # 1: keyword, '=', long runs of class characters
    unit = "".join(k + "=" + c * 300 for k in kws for c in chars)
    parts.append(fill(unit, sizes[0]))
    # 2: keyword, '=', spaces and tabs
    unit = "".join(k + "=" + " \t" * 150 for k in kws)
    parts.append(fill(unit, sizes[1]))
    # 3: keywords back to back
    parts.append(fill("".join(kws), sizes[2]))
    # 4: almost-matches
    unit = "".join(e[:-1] + c * 64 for e in ex for c in chars)
    parts.append(fill(unit, sizes[3]))
    # 5: the examples back to back
    parts.append(fill("".join(ex), sizes[4]))
    s = "".join(parts).replace("\n", " ")
    return s.encode("utf-8", "surrogateescape")[:size]


def run_one(bin_, odir, rule, size):
    """Write the rule's line, scan it; (cpu seconds, wall, status, stderr)."""
    data = line_for(rule, size)
    if len(data) != size or b"\n" in data:
        raise SystemExit("bad line for " + rule["id"])
    path = os.path.join(odir, rule["id"] + ".line")
    with open(path, "wb") as fh:
        fh.write(data)
    t0 = time.monotonic()
    # --max-findings 0: every finding kept, the heaviest case for time
    p = subprocess.Popen([bin_, "context", "--format", "json", "--threads", "1",
                          "--max-findings", "0", "-o", "/dev/null", path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    os.unlink(path)
    return ru.ru_utime + ru.ru_stime, wall, p.returncode, err


def main():
    pdir, odir, size, bin_, limit = sys.argv[1:6]
    jobs = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    size, limit = int(size), float(limit)
    rules = []
    for f in sorted(glob.glob(os.path.join(pdir, "*.toml"))):
        with open(f, "rb") as fh:
            doc = tomllib.load(fh)
        rules += [r for r in doc.get("rules", []) if r.get("regex")]
    if not rules:
        print("no rules with a regex in " + pdir, file=sys.stderr)
        return 1
    bad = 0
    worst = (0.0, "")
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = [(r["id"], ex.submit(run_one, bin_, odir, r, size)) for r in rules]
        for rid, fut in futs:
            cpu, wall, rc, err = fut.result()
            print("%6.2f s cpu %6.2f s wall  exit %d  %s" % (cpu, wall, rc, rid),
                  flush=True)
            worst = max(worst, (cpu, rid))
            if rc not in (0, 1):
                # 2: an error -- for this input, a rule that hit a PCRE2
                # limit; anything else: a crash
                print("  FAIL: exit %d: %s" % (rc, err.decode(errors="replace").strip()),
                      file=sys.stderr)
                bad = 1
            elif cpu > limit:
                print("  FAIL: %.1f s of CPU > %.1f s" % (cpu, limit), file=sys.stderr)
                bad = 1
    print("%d rules, %d bytes each; slowest: %s, %.2f s of CPU (bound %.0f s)" %
          (len(rules), size, worst[1], worst[0], limit))
    return bad


if __name__ == "__main__":
    sys.exit(main())
