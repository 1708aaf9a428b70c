#!/usr/bin/env python3
# redos.py - adversarial single lines against every rule (used by
# 165-hostile-redos.sh).
#
# usage: redos.py PATTERNS_DIR OUT_DIR SIZE LAYERSCAN LIMIT_SECONDS
#
# For each rule with a regex in PATTERNS_DIR/*.toml, write one line of SIZE
# bytes (no newline) to OUT_DIR/line, scan it with `LAYERSCAN context`,
# time the run, delete the file, and print "seconds rule-id exit-status".
# The line is made to make a backtracking regex work as hard as possible:
# five equal parts, each a dense repetition (a keyword at least every few
# hundred bytes, so the prefilter's windows merge into whole chunks and the
# regex runs over every byte):
#   1. keyword "=" then a long run of a character of one of the regex's
#      character classes, without the terminator the regex waits for;
#   2. keyword "=" then runs of spaces and tabs (a=   ...);
#   3. the keywords back to back;
#   4. the rule's positive examples back to back (many real matches);
#   5. each example without its last byte, followed by class characters
#      (almost-matches that fail late).
# Exits 1 if a run takes longer than LIMIT_SECONDS or exits with a status
# other than 0, 1 or 2 (a crash); 0 otherwise.
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
    part = size // 5
    parts = []
    # 1: keyword, '=', long runs of class characters
    unit = "".join(k + "=" + c * 300 for k in kws for c in chars)
    parts.append(fill(unit, part))
    # 2: keyword, '=', spaces and tabs
    unit = "".join(k + "=" + " \t" * 150 for k in kws)
    parts.append(fill(unit, part))
    # 3: keywords back to back
    parts.append(fill("".join(kws), part))
    # 4: the examples back to back
    parts.append(fill("".join(ex), part))
    # 5: almost-matches
    unit = "".join(e[:-1] + c * 64 for e in ex for c in chars)
    parts.append(fill(unit, size - 4 * part))
    s = "".join(parts).replace("\n", " ")
    return s.encode("utf-8", "surrogateescape")[:size]


def main():
    pdir, odir, size, bin_, limit = sys.argv[1:6]
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
    path = os.path.join(odir, "line")
    for r in rules:
        data = line_for(r, size)
        if len(data) != size or b"\n" in data:
            print("bad line for " + r["id"], file=sys.stderr)
            return 1
        with open(path, "wb") as fh:
            fh.write(data)
        t0 = time.monotonic()
        p = subprocess.run([bin_, "context", "--format", "json", "-q",
                            "--threads", "1", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.monotonic() - t0
        print("%.2f %s %d" % (dt, r["id"], p.returncode), flush=True)
        if p.returncode > 2 or p.returncode < 0:
            print("  crashed: " + p.stderr.decode(errors="replace"), file=sys.stderr)
            bad = 1
        elif dt > limit:
            print("  too slow: %.1f s > %.1f s" % (dt, limit), file=sys.stderr)
            bad = 1
        elif p.stderr:
            # limit hits are reported; say so in the log
            sys.stdout.write("  " + p.stderr.decode(errors="replace").replace("\n", "\n  ") + "\n")
    if not os.environ.get("REDOS_KEEP"): os.unlink(path)
    print("%d rules" % len(rules))
    return bad


if __name__ == "__main__":
    sys.exit(main())
