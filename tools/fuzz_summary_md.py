#!/usr/bin/env python3
"""Print ci/fuzz-nightly summary.json file(s) as Markdown: one table of
the fuzzing runs and, when there are any, one of the crashes with their
titles.

Usage: tools/fuzz_summary_md.py [--ceiling ceiling.json] summary.json...

Rows are sorted by target, then engine (libfuzzer before afl). The
"% of ceiling" column needs the machine ceiling: the "ceiling" object of a
summary run with --calibrate, or a work/ceiling.json given with --ceiling.
An interrupted run is marked under the table. Exit 2 on a missing or
malformed file.
"""
import json
import sys

ENGINE_ORDER = {"libfuzzer": 0, "afl": 1}


def die(msg):
    print("fuzz_summary_md: " + msg, file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))


def coverage(r):
    c = r.get("coverage") or {}
    if r["engine"] == "libfuzzer" and c.get("cov_final") is not None:
        return "cov %s -> %s, ft %s" % (c.get("cov_initial"), c["cov_final"],
                                        c.get("features"))
    if c.get("bitmap_cvg") is not None:
        if c.get("edges_final") is not None:
            return "edges %s -> %s, bitmap %.2f%%" % (
                c.get("edges_initial", "?"), c["edges_final"], c["bitmap_cvg"])
        return "bitmap %.2f%%" % c["bitmap_cvg"]
    return "-"


def main(argv):
    ceiling, files = {}, []
    i = 0
    while i < len(argv):
        if argv[i] == "--ceiling":
            if i + 1 >= len(argv):
                die("--ceiling needs a file")
            ceiling = load(argv[i + 1])
            i += 2
        else:
            files.append(argv[i])
            i += 1
    if not files:
        die("usage: fuzz_summary_md.py [--ceiling ceiling.json] summary.json...")
    rows, crashes, notes = [], [], []
    for path in files:
        s = load(path)
        if not isinstance(s.get("results"), list):
            die("%s: no results list" % path)
        for k, v in (s.get("ceiling") or {}).items():
            ceiling.setdefault(k, v)
        rows.extend(s["results"])
        crashes.extend(s.get("crashes") or [])
        if s.get("interrupted"):
            notes.append("%s: interrupted; not run: %s" % (
                path, ", ".join(s.get("not_run") or []) or "-"))
        if s.get("error"):
            notes.append("%s: %s" % (path, s["error"]))
    rows.sort(key=lambda r: (r["target"], ENGINE_ORDER.get(r["engine"], 9)))
    print("| target | engine | seconds | execs | exec/s | % of ceiling | coverage "
          "(libFuzzer cov/ft, AFL edges/bitmap) | corpus before -> after | new crashes "
          "| known crashes |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        c = ceiling.get(r["engine"])
        pct = "%.1f" % (100.0 * r["exec_per_sec"] / c) if c else "-"
        print("| %s | %s | %d | %d | %d | %s | %s | %d -> %d | %s | %s |" % (
            r["target"], r["engine"], r["seconds"], r["execs"], r["exec_per_sec"],
            pct, coverage(r), r["corpus_before"], r["corpus_after"],
            ", ".join(r["new_crashes"]) or "0", ", ".join(r["known_crashes"]) or "0"))
    if ceiling:
        print()
        print("Ceiling (empty target, same build flags): " + ", ".join(
            "%s %d exec/s" % (k, v) for k, v in sorted(ceiling.items())))
    for n in notes:
        print()
        print("**%s**" % n)
    if crashes:
        print()
        print("| target | engine | status | hash | title | minimised | where |")
        print("|---|---|---|---|---|---|---|")
        for c in sorted(crashes, key=lambda c: (c["target"], c["status"], c["title"])):
            print("| %s | %s | %s | %s | %s | %s | %s |" % (
                c["target"], c["engine"], c["status"], c["hash"], md(c["title"]),
                "yes" if c.get("minimized") else
                ("-" if c["status"] == "known" else md(c.get("minimize_note") or "no")),
                md(c.get("where") or "")))
    return 0


def md(text):
    """A table cell: no pipes, no line breaks."""
    return str(text).replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
