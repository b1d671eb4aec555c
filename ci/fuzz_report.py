#!/usr/bin/env python3
"""The Python half of ci/fuzz-nightly: reading sanitizer reports and fuzzer
output, and writing the run's records.

  classify --root DIR --target T --rc N [--json FILE] REPORT
      Crash signature and title of one replay. Prints "hash<TAB>title" (no
      output when the replay did not crash); --json writes the whole record.
  classify-all --root DIR --target T --dir DIR
      The same for every replay DIR/<name>.txt with its exit status in
      DIR/<name>.rc: prints "name<TAB>hash<TAB>title" (hash and title empty
      when it did not crash) and writes DIR/<name>.json.
  stats --engine E --work DIR --log FILE --seconds N
      Execs, exec/s and coverage of one finished fuzzing run (JSON).
  heartbeat --label T/E --engine E --work DIR --log FILE --total N --every N
      Print a progress line every N seconds until killed.
  row --results FILE --target T --engine E --status S --seconds N
      --corpus-before N --corpus-after N --work DIR --log FILE
      Append one target/engine result (stats + crash records) to FILE
      (JSON lines) and print a one-line human summary.
  record --sig FILE --status new|known --engine E --dir REL --out DIR ...
      Append one crash record to a work dir's crashes.jsonl; with --dir,
      also write OUT/REL/crash.json and OUT/REL/signature.txt.
  summary --results FILE --out DIR ...
      Write OUT/summary.json and OUT/junit.xml; print the crash titles and
      write "new-crashes errors error" to OUT/work/verdict.
  field FILE KEY...
      Print top-level values of a JSON file, one a line (for the shell).

Exit 2 on bad usage or an unreadable input file.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------- reports

SANITIZERS = {"AddressSanitizer": "ASAN", "LeakSanitizer": "LSAN",
              "UndefinedBehaviorSanitizer": "UBSAN", "MemorySanitizer": "MSAN",
              "ThreadSanitizer": "TSAN"}
# ASan/libFuzzer kinds that mean "the input needs too much memory".
OOM_KINDS = {"allocation-size-too-big", "out-of-memory", "rss-limit-exceeded",
             "calloc-overflow", "pvalloc-overflow", "malloc-limit"}
# UBSan messages, for reports without "SUMMARY: ... <check>" (gcc, or
# report_error_type=0): the check each message comes from.
UBSAN_MESSAGES = [
    (r"shift exponent", "shift-exponent"),
    (r"left shift of", "shift-base"),
    (r"index .* out of bounds", "out-of-bounds-index"),
    (r"signed integer overflow", "signed-integer-overflow"),
    (r"negation of", "signed-integer-overflow"),
    (r"division by zero", "integer-divide-by-zero"),
    (r"misaligned address", "misaligned-pointer-use"),
    (r"null pointer", "null-pointer-use"),
    (r"not a valid value for type", "load-invalid-value"),
    (r"pointer overflow|applying .* offset", "pointer-overflow"),
    (r"execution reached an unreachable", "unreachable-call"),
]
# Frames that belong to the runtime, libc or the replay driver when no file
# tells us (unsymbolised stacks).
RUNTIME_FUNCS = re.compile(
    r"^(__|_start|abort$|raise$|gsignal$|malloc$|calloc$|realloc$|free$|"
    r"operator |fuzzer::|main$|run_stream$|run_file$|run_path$)")
PROJECT_DIRS = re.compile(r"(?:^|/)((?:decoder|emu|harness|fuzz|include|tests)/.+)$")
FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-fA-F]+ in (.*)$")


def parse_frame(rest):
    """'func /path/file.c:12:3' or 'func (module+0x12) (BuildId: ..)'."""
    rest = re.sub(r"\s+\(BuildId: [0-9a-f]+\)$", "", rest.strip())
    if rest.endswith(")") and " (" in rest:
        return rest[:rest.rfind(" (")], None, None
    func, _, loc = rest.rpartition(" ")
    if not func:
        return rest, None, None
    m = re.match(r"^(.+?):(\d+)(?::\d+)?$", loc)
    if m:
        return func, m.group(1), int(m.group(2))
    return func, loc, None


def first_stack(text):
    """The frames of the first stack in a report: (func, file, line)."""
    frames, started = [], False
    for line in text.splitlines():
        m = FRAME.match(line)
        if m:
            if started and m.group(1) == "0":
                break   # a second stack ("allocated by thread T0 here")
            started = True
            frames.append(parse_frame(m.group(2)))
        elif started:
            break
    return frames


def project_path(path, roots):
    """Path of a source file relative to the checkout, or None when the
    file is not ours (libc, sanitizer runtime, libFuzzer)."""
    if not path:
        return None
    for r in roots:
        if path.startswith(r + "/"):
            return path[len(r) + 1:]
    if path.startswith("/"):
        m = PROJECT_DIRS.search(path)
        return m.group(1) if m else None
    return path if PROJECT_DIRS.match(path) else None


def pick_frames(stack, root):
    """Up to three frames inside the project, skipping the replay driver;
    without file names, up to three frames that are not runtime ones."""
    roots = {root.rstrip("/"), os.path.realpath(root)}
    ours = []
    for func, path, line in stack:
        rel = project_path(path, roots)
        if rel and rel != "fuzz/driver.c":
            ours.append((func, rel, line))
    if not ours:
        ours = [(f, None, None) for f, p, _ in stack
                if not RUNTIME_FUNCS.match(f) and not (p and "libc" in p)]
    return ours[:3]


def report_kind(text, rc):
    """(sanitizer, kind, access) of a replay report."""
    m = re.search(r"ERROR: libFuzzer: ([\w-]+)", text)
    if m and "Sanitizer:" not in text.split(m.group(0))[0]:
        k = m.group(1)
        return "", {"timeout": "timeout", "out-of-memory": "oom",
                    "deadly": "deadly-signal"}.get(k, k), ""
    if "ERROR: LeakSanitizer: detected memory leaks" in text:
        return "LSAN", "memory-leak", ""
    m = re.search(r"ERROR: (\w+Sanitizer): ([\w-]+)", text)
    if m:
        san = SANITIZERS.get(m.group(1), m.group(1))
        s = re.search(r"SUMMARY: %s: ([\w-]+)" % m.group(1), text)
        kind = s.group(1) if s else m.group(2)
        if "requested allocation size" in text or "hard rss limit" in text:
            kind = "out-of-memory"
        if kind in OOM_KINDS:
            return san, "oom", ""
        a = re.search(r"^(READ|WRITE) of size (\d+)", text, re.M)
        acc = "%s %s" % (a.group(1), a.group(2)) if a else ""
        if not a:
            a = re.search(r"caused by a (READ|WRITE) memory access", text)
            acc = a.group(1) if a else ""
        return san, kind, acc
    if "runtime error:" in text:
        s = re.search(r"SUMMARY: UndefinedBehaviorSanitizer: ([\w-]+)", text)
        if s and s.group(1) != "undefined-behavior":
            kind = s.group(1)
            kind = kind[len("invalid-"):] if kind.startswith("invalid-shift") else kind
            return "UBSAN", kind, ""
        msg = re.search(r"runtime error: (.*)", text).group(1)
        for pat, kind in UBSAN_MESSAGES:
            if re.search(pat, msg):
                return "UBSAN", kind, ""
        return "UBSAN", "undefined-behavior", ""
    if rc == 124:
        return "", "timeout", ""
    if rc > 128 or rc < 0:
        return "", "deadly-signal", signal_name(rc)
    return "", "unknown", "exit %d" % rc


def signal_name(rc):
    n = rc - 128 if rc > 128 else -rc
    try:
        return signal.Signals(n).name
    except ValueError:
        return "signal %d" % n


TITLE_KIND = {"timeout": "timeout", "oom": "out-of-memory",
              "deadly-signal": "deadly signal", "unknown": "crash"}


def classify(text, rc, root, target):
    """Signature, hash and title of one replay; None when it did not crash.
    The signature (kind + the function names of the top three frames, as
    ClusterFuzz does) is what dedupes; the title is for humans."""
    if rc == 0 and not re.search(r"ERROR: \w+Sanitizer|runtime error:", text):
        return None
    san, kind, access = report_kind(text, rc)
    frames = pick_frames(first_stack(text), root)
    funcs = [f for f, _, _ in frames]
    file_line = ""
    if frames and frames[0][1]:
        file_line = "%s:%s" % (frames[0][1], frames[0][2]) if frames[0][2] else frames[0][1]
    sig_kind = ("%s:%s" % (san.lower(), kind)) if san else kind
    if kind == "oom":
        sig_kind = "oom"
    signature = sig_kind + "\t" + ";".join(funcs)
    head = "%s: %s" % (san, kind) if san and kind != "oom" else TITLE_KIND.get(kind, kind)
    title = head + (" " + access if access else "")
    cluster = head
    if funcs:
        title += " in " + funcs[0]
        cluster += " in " + funcs[0]
    else:
        cluster = "%s: %s" % (target, cluster)
    if file_line:
        title += " (%s)" % file_line
    return {
        "target": target,
        "hash": hashlib.sha1(("%s|%s" % (target, signature)).encode()).hexdigest()[:12],
        "signature": signature, "sanitizer": san, "kind": kind,
        "access": access, "frames": funcs,
        "locations": ["%s:%s" % (p, l) if l else (p or "?") for _, p, l in frames],
        "file_line": file_line, "title": title, "cluster": cluster,
    }


def cmd_classify(a):
    text = read_text(a.report)
    c = classify(text, a.rc, a.root, a.target)
    if c is None:
        return 0
    if a.json:
        with open(a.json, "w") as f:
            json.dump(c, f, indent=2)
    print("%s\t%s" % (c["hash"], c["title"]))
    return 0


def cmd_classify_all(a):
    for rep in sorted(glob.glob(os.path.join(a.dir, "*.txt"))):
        base = rep[:-4]
        try:
            rc = int(open(base + ".rc").read())
        except (OSError, ValueError):
            die("%s.rc: no exit status" % base)
        c = classify(read_text(rep), rc, a.root, a.target)
        name = os.path.basename(base)
        if c is None:
            print("%s\t\t" % name)
            continue
        with open(base + ".json", "w") as f:
            json.dump(c, f, indent=2)
        print("%s\t%s\t%s" % (name, c["hash"], c["title"]))
    return 0

# ------------------------------------------------------- fuzzer statistics


def read_text(path, tail=None):
    try:
        with open(path, "rb") as f:
            if tail:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - tail))
            return f.read().decode("utf-8", "replace")
    except OSError as e:
        if tail:
            return ""
        die("%s: %s" % (path, e.strerror))


# libFuzzer status lines: "#N: cov: X ft: Y corp: Z exec/s R ..." in -fork
# mode, "#N pulse cov: X ft: Y corp: Z/Sb ... exec/s: R" otherwise.
LF_LINE = re.compile(r"^#(\d+):?\s.*?cov: (\d+) ft: (\d+)(?: corp: (\d+))?.*?exec/s:? (\d+)"
                     r"(?:.*?oom/timeout/crash: (\d+)/(\d+)/(\d+))?", re.M)


def afl_stats(work):
    """fuzzer_stats of every AFL++ instance (-M main, -S secN)."""
    out = []
    for f in sorted(glob.glob(work + "/afl/*/fuzzer_stats")):
        try:
            out.append(dict(re.findall(r"^(\w+)\s*:\s*(.*)$", open(f).read(), re.M)))
        except OSError:
            pass
    return out


def num(v, default=0):
    """A count from fuzzer output; AFL++ writes "inf" for a rate in its
    first second, which is no count."""
    try:
        return int(float(v))
    except (TypeError, ValueError, OverflowError):
        return default


def stats(engine, work, log, secs):
    secs = max(1, secs)
    st = {"execs": 0, "exec_per_sec": 0, "cov_initial": None, "cov_final": None,
          "features": None, "bitmap_cvg": None, "edges_initial": None,
          "edges_final": None, "corpus_found": None}
    if engine == "libfuzzer":
        text = read_text(log, tail=None) if os.path.exists(log) else ""
        inited = re.findall(r"INITED cov: (\d+)", text)
        if inited:
            st["cov_initial"] = int(inited[0])
        lines = LF_LINE.findall(text)
        if lines:
            st["cov_final"] = max(int(x[1]) for x in lines)
            st["features"] = max(int(x[2]) for x in lines)
            if st["cov_initial"] is None:  # -fork mode: the first job line
                st["cov_initial"] = int(lines[0][1])
        # -fork mode: "#N" of the last job line counts every job; the
        # final stat:: lines (printed when stopped) are the parent's own, 0
        execs = [int(x) for x in re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)]
        st["execs"] = max(sum(execs), int(lines[-1][0]) if lines else 0)
    else:
        for kv in afl_stats(work):
            st["execs"] += num(kv.get("execs_done"))
            cv = kv.get("bitmap_cvg", "").rstrip("%")
            if cv:
                st["bitmap_cvg"] = max(st["bitmap_cvg"] or 0, float(cv))
            if kv.get("edges_found", "").isdigit():
                st["edges_final"] = max(st["edges_final"] or 0, int(kv["edges_found"]))
            if kv.get("corpus_found", "").isdigit():
                st["corpus_found"] = (st["corpus_found"] or 0) + int(kv["corpus_found"])
        # new coverage: edges of the seeds (afl-showmap -C before the run)
        # against edges_found at the end
        m = re.search(r"Captured (\d+) tuples", read_text(work + "/showmap.log", tail=1 << 16))
        if m:
            st["edges_initial"] = int(m.group(1))
    # exec/s over the wall time of the whole run (restarts, fork jobs, startup)
    st["exec_per_sec"] = round(st["execs"] / secs) if st["execs"] else 0
    return st


def cmd_stats(a):
    print(json.dumps(stats(a.engine, a.work, a.log, a.seconds)))
    return 0


def count_files(pattern):
    return sum(1 for f in glob.glob(pattern) if os.path.isfile(f))


def progress(engine, work, log):
    """What the fuzzer reports right now: execs, exec/s, coverage, corpus,
    crashes (None where it has not said yet)."""
    p = {"execs": None, "rate": None, "cov": None, "corpus": None, "crashes": 0,
         "age": None}
    if engine == "libfuzzer":
        lines = LF_LINE.findall(read_text(log, tail=1 << 16))
        if lines:
            # exec/s is left to the caller: a -fork job line gives the rate
            # of its last short job (often 0)
            n, cov, ft, corp = lines[-1][:4]
            p.update(execs=int(n), cov="cov %s ft %s" % (cov, ft),
                     corpus=int(corp) if corp else None)
        p["crashes"] = count_files(work + "/artifacts/*")
    else:
        # AFL++ rewrites fuzzer_stats about once a minute; the queue and
        # crash folders are live.
        kvs = afl_stats(work)
        if kvs:
            p["execs"] = sum(num(k.get("execs_done")) for k in kvs)
            p["rate"] = sum(num(k.get("execs_per_sec")) for k in kvs)
            p["cov"] = "edges %d" % max(num(k.get("edges_found")) for k in kvs)
            last = max(num(k.get("last_update")) for k in kvs)
            p["age"] = max(0, int(time.time()) - last) if last else None
        p["corpus"] = count_files(work + "/afl/main/queue/id:*") or None
        p["crashes"] = count_files(work + "/afl/*/crashes/id:*")
    return p


def heartbeat_line(label, elapsed, total, p):
    dash = lambda v: "-" if v is None else str(v)
    stale = " (AFL++ stats %ds old)" % p["age"] if p.get("age") else ""
    return ("%s: %d/%d s, execs %s, %s exec/s, %s, corpus %s, crashes %d%s"
            % (label, elapsed, total, dash(p["execs"]), dash(p["rate"]),
               p["cov"] or "cov -", dash(p["corpus"]), p["crashes"], stale))


def cmd_heartbeat(a):
    t0 = time.time()
    while True:
        time.sleep(a.every)
        elapsed = int(time.time() - t0)
        p = progress(a.engine, a.work, a.log)
        if p["rate"] is None and p["execs"] is not None:
            p["rate"] = p["execs"] // max(1, elapsed)	# over the wall time
        line = heartbeat_line(a.label, elapsed, a.total, p)
        print("[fuzz-nightly %s] %s" % (time.strftime("%H:%M:%S", time.gmtime()), line),
              flush=True)

# ------------------------------------------------------------ run records


def load_jsonl(path):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                if line.strip():
                    rows.append(json.loads(line))
    except OSError:
        pass
    except ValueError as e:
        die("%s: %s" % (path, e))
    return rows


FIND_EXPECTED = "no sanitizer report, crash, hang or memory blow-up on any input"
FIND_RULE = ("a fuzz target must survive every input: nothing a guest, a trace "
             "file, a page table or a plugin supplies may crash the harness "
             "(docs/fuzzing.md)")


def cmd_record(a):
    c = json.load(open(a.sig))
    c.update({
        "engine": a.engine, "status": a.status, "run_id": a.run_id,
        "dir": a.dir, "minimized": a.minimized == "yes",
        "minimize_note": a.minimize_note, "seen_in_earlier_run": a.seen_before == "yes",
        "regression": a.regression,
        # the project's finding model
        "source": "fuzz", "field": c["target"], "expected": FIND_EXPECTED,
        "observed": c["title"], "rule": FIND_RULE, "fingerprint": c["hash"],
    })
    if a.dir:
        with open(os.path.join(a.out, a.dir, "crash.json"), "w") as f:
            json.dump(c, f, indent=2)
        with open(os.path.join(a.out, a.dir, "signature.txt"), "w") as f:
            f.write(c["signature"].replace("\t", "\n") + "\n")
    with open(a.crashes, "a") as f:
        f.write(json.dumps(c) + "\n")
    return 0


def cmd_row(a):
    st = stats(a.engine, a.work, a.log, a.seconds)
    crashes = load_jsonl(a.work + "/crashes.jsonl")
    row = {"target": a.target, "engine": a.engine, "status": a.status,
           "seconds": a.seconds, "exec_per_sec": st["exec_per_sec"],
           "execs": st["execs"],
           "coverage": {k: st[k] for k in ("cov_initial", "cov_final", "features",
                                           "bitmap_cvg", "edges_initial", "edges_final")},
           "corpus_before": a.corpus_before, "corpus_after": a.corpus_after,
           "corpus_added": a.corpus_after - a.corpus_before if a.merge == "no" else None,
           "merged": a.merge == "yes",
           "new_crashes": [c["hash"] for c in crashes if c["status"] == "new"],
           "known_crashes": [c["hash"] for c in crashes if c["status"] == "known"],
           "unreproduced": count_lines(a.work + "/flaky.txt"),
           "unprocessed": count_files(a.work + "/artifacts/*") if a.status == "interrupted" else 0,
           "crashes": crashes}
    with open(a.results, "a") as f:
        f.write(json.dumps(row) + "\n")
    c = row["coverage"]
    cov = ("cov %s -> %s, ft %s" % (c["cov_initial"], c["cov_final"], c["features"])
           if a.engine == "libfuzzer" else
           "edges %s -> %s" % (c["edges_initial"], c["edges_final"]))
    print("%s execs (%s/s), %s, corpus %d -> %d, new crashes %d, known %d%s" % (
        row["execs"], row["exec_per_sec"], cov, a.corpus_before, a.corpus_after,
        len(row["new_crashes"]), len(row["known_crashes"]),
        ", %d not reproduced by the replay build" % row["unreproduced"]
        if row["unreproduced"] else ""))
    return 0


def count_lines(path):
    try:
        with open(path) as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return 0

# ---------------------------------------------------------------- summary


def cmd_summary(a):
    rows = load_jsonl(a.results)
    out = os.path.abspath(a.out)
    ceiling = {}
    if os.path.exists(out + "/work/ceiling.json"):
        ceiling = json.load(open(out + "/work/ceiling.json"))
    crashes = []
    for r in rows:
        c = ceiling.get(r["engine"])
        if c:
            r["ceiling_pct"] = round(100.0 * r["exec_per_sec"] / c, 1)
        for cr in r.get("crashes", []):
            if cr.get("dir"):
                cr["where"] = os.path.join(out, cr["dir"])
                cr["reproduce"] = os.path.join(cr["where"], "reproduce.sh")
            else:
                cr["where"], cr["reproduce"] = cr.get("regression", ""), ""
            crashes.append(cr)
    planned = [p for p in a.planned.split(",") if p]
    done = {"%s/%s" % (r["target"], r["engine"]) for r in rows}
    summary = {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "run_id": a.run_id, "interrupted": a.interrupted, "budget": a.budget,
        "per_target": a.per_target, "minimize_budget": a.minimize_budget,
        "parallel": a.parallel, "ceiling": ceiling, "engine": a.engine,
        "jobs": a.jobs, "results": rows, "not_run": [p for p in planned if p not in done],
        "ran": sum(1 for r in rows if r["status"] in ("ran", "interrupted")),
        "errors": sum(1 for r in rows if r["status"] == "error"),
        "new_crashes": sum(len(r["new_crashes"]) for r in rows),
        "known_crashes": sum(len(r["known_crashes"]) for r in rows),
        "crashes": crashes,
    }
    # a run that fuzzed nothing is an error, never an empty green summary
    error = a.error or ("" if summary["ran"] or a.interrupted else "no target ran")
    if error:
        summary["error"] = error
    with open(out + "/summary.json", "w") as f:
        json.dump(summary, f, indent=2)
    write_junit(out + "/junit.xml", summary)
    with open(out + "/work/verdict", "w") as f:
        f.write("%d %d %s\n" % (summary["new_crashes"], summary["errors"], error))
    for c in crashes:
        print("%s crash %s %s/%s: %s%s" % (
            c["status"].upper(), c["hash"], c["target"], c["engine"], c["title"],
            "" if c["status"] == "known" else "  [%s]" % c["reproduce"]))
    return 0


def write_junit(path, s):
    """JUnit through the project's one report writer (`hvexit report`,
    docs/findings.md): a case per target/engine run, a case per crash
    signature with the crash as its finding; crashes already kept in
    corpus/regressions are known through a baseline of their hashes."""
    out = os.path.dirname(path)
    findings = os.path.join(out, "work", "findings.jsonl")
    baseline = os.path.join(out, "work", "known-crashes.json")
    status = {"ran": "PASS", "error": "ERROR", "interrupted": "ERROR", "skipped": "SKIP"}
    recs = [{"type": "report", "title": "fuzz-nightly",
             "props": {"interrupted": "true" if s["interrupted"] else "false",
                       "run_id": s["run_id"]}}]
    for r in s["results"]:
        note = {"error": "fuzzer did not run, see OUT/logs/%s.%s.log" % (r["target"], r["engine"]),
                "interrupted": "interrupted after %d s" % r["seconds"],
                "skipped": "budget used up"}.get(r["status"], "%s execs" % r.get("execs", 0))
        recs.append({"type": "case", "class": "fuzz." + r["target"], "name": r["engine"],
                     "status": status.get(r["status"], "ERROR"), "note": note,
                     "props": {k: r.get(k) for k in ("exec_per_sec", "execs", "coverage",
                                                     "corpus_before", "corpus_after")}})
    known = []
    for c in s["crashes"]:
        case = {"type": "case", "class": "fuzz.%s.crash" % c["target"], "name": c["title"],
                "status": "PASS", "note": c.get("where", ""),
                "props": {k: c.get(k) for k in ("hash", "engine", "kind", "frames",
                                                "file_line", "where", "reproduce")}}
        f = {"type": "finding", "case": c["title"], "source": "fuzz",
             "kind": c.get("kind") or "crash", "field": c["target"],
             "expected": FIND_EXPECTED, "observed": c["title"], "rule": FIND_RULE,
             "cluster": c.get("cluster", ""), "fingerprint": c["hash"][:16],
             "title": c["title"], "where": c.get("where", ""),
             "reproduce": c.get("reproduce", "")}
        if c["status"] == "new" and c.get("where"):
            f["context"] = read_text(os.path.join(c["where"], "stack.txt"), tail=360)
        recs += [case, f]
        if c["status"] != "new":
            known.append({"source": "fuzz", "case": c["title"], "fingerprint": c["hash"][:16],
                          "note": "kept in %s" % (c.get("regression") or "corpus/regressions")})
    os.makedirs(os.path.dirname(findings), exist_ok=True)
    with open(findings, "w") as f:
        f.write("".join(json.dumps(x) + "\n" for x in recs))
    with open(baseline, "w") as f:
        json.dump({"hvexit_baseline": 2, "known": known}, f)
    hv = os.environ.get("HVEXIT_REL") or os.environ.get("HVEXIT") or \
        os.path.join(ROOT, "build", "rel", "hvexit")
    if not os.access(hv, os.X_OK):
        r = subprocess.run(["make", "-s", "-C", ROOT, "build/rel/hvexit"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode:
            die("cannot build %s for the JUnit report: %s" % (hv, r.stderr[-400:]))
    r = subprocess.run([hv, "report", findings, "--baseline", baseline, "--junit", path,
                        "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode == 2:
        die("hvexit report failed: " + r.stderr.strip()[-400:])


def cmd_field(a):
    try:
        d = json.load(open(a.file))
    except (OSError, ValueError) as e:
        die("%s: %s" % (a.file, e))
    vals = [d.get(k, "") for k in a.key]
    print("\n".join(json.dumps(v) if isinstance(v, (list, dict)) else str(v) for v in vals))
    return 0

# --------------------------------------------------------------- the CLI


def die(msg):
    print("fuzz_report: " + msg, file=sys.stderr)
    sys.exit(2)


def main(argv):
    p = argparse.ArgumentParser(prog="fuzz_report.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("classify")
    c.add_argument("--root", required=True)
    c.add_argument("--target", required=True)
    c.add_argument("--rc", type=int, required=True)
    c.add_argument("--json")
    c.add_argument("report")
    c = sub.add_parser("classify-all")
    for k in ("root", "target", "dir"):
        c.add_argument("--" + k, required=True)
    c = sub.add_parser("stats")
    for k in ("engine", "work", "log"):
        c.add_argument("--" + k, required=True)
    c.add_argument("--seconds", type=int, required=True)
    c = sub.add_parser("heartbeat")
    for k in ("label", "engine", "work", "log"):
        c.add_argument("--" + k, required=True)
    c.add_argument("--total", type=int, required=True)
    c.add_argument("--every", type=int, required=True)
    c = sub.add_parser("record")
    for k in ("sig", "status", "engine", "out", "crashes", "run-id"):
        c.add_argument("--" + k, required=True)
    for k in ("dir", "minimized", "minimize-note", "seen-before", "regression"):
        c.add_argument("--" + k, default="")
    c = sub.add_parser("row")
    for k in ("results", "target", "engine", "status", "work", "log", "merge"):
        c.add_argument("--" + k, required=True)
    for k in ("seconds", "corpus-before", "corpus-after"):
        c.add_argument("--" + k, type=int, required=True)
    c = sub.add_parser("summary")
    for k in ("results", "out", "engine", "run-id"):
        c.add_argument("--" + k, required=True)
    for k in ("budget", "per-target", "minimize-budget", "jobs", "parallel"):
        c.add_argument("--" + k, type=int, required=True)
    c.add_argument("--planned", default="")
    c.add_argument("--error", default="")
    c.add_argument("--interrupted", action="store_true")
    c = sub.add_parser("field")
    c.add_argument("file")
    c.add_argument("key", nargs="+")
    a = p.parse_args(argv)
    return globals()["cmd_" + a.cmd.replace("-", "_")](a)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
