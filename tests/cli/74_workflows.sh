# The CI definitions parse as YAML and hold what GitHub needs to run them:
#   ci/nightly.yml: read-only token by default, checks: write where the
#     JUnit report is published, git installed before actions/checkout in
#     every container job, the corpus restored from and saved to the Actions
#     cache and used as --corpus-root, the fuzzers' logs uploaded, the
#     summary table appended to $GITHUB_STEP_SUMMARY, ci/fresh-debian in a
#     privileged container;
#   .github/workflows/cflite_*.yml: build_fuzzers then run_fuzzers with
#     language c, modes code-change / batch / prune + coverage, read-only
#     token; .clusterfuzzlite/ project.yaml, Dockerfile and build.sh as
#     ClusterFuzzLite expects them.
python3 - <<'PY'
import glob, re, sys
import yaml

errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

def load(path):
    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        errors.append("%s: %s" % (path, e))
        return None
    if isinstance(doc, dict) and True in doc:   # YAML 1.1 reads the key `on` as True
        doc["on"] = doc.pop(True)
    return doc

def uses(step):
    return step.get("uses", "") if isinstance(step, dict) else ""

def runs(step):
    return step.get("run", "") if isinstance(step, dict) else ""

# ---- ci/nightly.yml
n = load("ci/nightly.yml")
if n:
    check(n.get("permissions") == {"contents": "read"}, "nightly: top-level permissions must be contents: read")
    jobs = n.get("jobs", {})
    check({"batch", "coverage", "fresh", "prune"} <= set(jobs), "nightly: jobs batch, coverage, fresh, prune")
    for name, job in jobs.items():
        steps = job.get("steps", [])
        co = [i for i, s in enumerate(steps) if uses(s).startswith("actions/checkout@")]
        check(len(co) == 1, "nightly/%s: one actions/checkout" % name)
        if co and job.get("container"):
            before = " ".join(runs(s) for s in steps[:co[0]])
            check(re.search(r"apt-get install[^\n]*\bgit\b", before) is not None,
                  "nightly/%s: git is not installed before actions/checkout" % name)
        if any(uses(s).startswith("mikepenz/action-junit-report") for s in steps):
            perms = job.get("permissions") or n.get("permissions") or {}
            check(perms.get("checks") == "write", "nightly/%s: publishes JUnit without checks: write" % name)
    b = jobs.get("batch", {})
    bs = b.get("steps", [])
    restore = [s for s in bs if uses(s).startswith("actions/cache/restore@")]
    save = [s for s in bs if uses(s).startswith("actions/cache/save@")]
    check(len(restore) == 1 and len(save) == 1, "nightly/batch: corpus cache restore + save")
    if restore and save:
        path = restore[0]["with"]["path"]
        check(save[0]["with"]["path"] == path, "nightly/batch: cache restore and save paths differ")
        check(restore[0]["with"].get("restore-keys"), "nightly/batch: no restore-keys (would never find the last night's key)")
        check(save[0].get("if") == "always()", "nightly/batch: the corpus is not saved when the run fails")
        fuzz = " ".join(runs(s) for s in bs if "ci/fuzz-nightly" in runs(s))
        check("--corpus-root %s" % path in fuzz, "nightly/batch: fuzz-nightly does not use the cached corpus")
        check("--no-merge" not in fuzz, "nightly/batch: --no-merge throws the night's corpus away")
    logs = [s for s in bs if uses(s).startswith("actions/upload-artifact@") and "fuzz.log" in s["with"]["path"]]
    check(logs and "out/fuzz/work/*/*/fuzz.log" in logs[0]["with"]["path"], "nightly/batch: fuzzer logs not uploaded")
    check(any("tools/fuzz_summary_md.py" in runs(s) and "GITHUB_STEP_SUMMARY" in runs(s) for s in bs),
          "nightly/batch: summary table not in $GITHUB_STEP_SUMMARY")
    o = jobs.get("oracle", {})
    orun = " ".join(runs(s) for s in o.get("steps", []))
    check("install-deps.sh --kvm" in orun, "nightly/oracle: QEMU and the cross compiler need install-deps --kvm")
    for sub in ("s2", "syndromes"):
        check(re.search(r"hvexit oracle %s --cases \d{5,}" % sub, orun) is not None,
              "nightly/oracle: no large-N oracle %s run" % sub)
        check("corpus/baselines/oracle-%s-qemu7.2.json" % sub in orun,
              "nightly/oracle: oracle %s without its baseline" % sub)
    f = jobs.get("fresh", {})
    c = f.get("container", {})
    check(isinstance(c, dict) and "--privileged" in c.get("options", ""), "nightly/fresh: needs a privileged container")
    check(any("ci/fresh-debian" in runs(s) for s in f.get("steps", [])), "nightly/fresh: does not run ci/fresh-debian")

# ---- ClusterFuzzLite workflows
want_modes = {"cflite_pr.yml": ["code-change"], "cflite_batch.yml": ["batch"], "cflite_cron.yml": ["prune", "coverage"]}
for fname, modes in want_modes.items():
    path = ".github/workflows/" + fname
    w = load(path)
    if not w:
        continue
    check(w.get("permissions") == {"contents": "read"}, "%s: permissions must be contents: read" % fname)
    check(w.get("on"), "%s: no trigger" % fname)
    got = []
    for name, job in w.get("jobs", {}).items():
        steps = job.get("steps", [])
        kinds = [uses(s).split("@")[0] for s in steps]
        check(kinds == ["google/clusterfuzzlite/actions/build_fuzzers", "google/clusterfuzzlite/actions/run_fuzzers"],
              "%s/%s: steps must be build_fuzzers then run_fuzzers" % (fname, name))
        if len(steps) != 2:
            continue
        bw, rw = steps[0].get("with", {}), steps[1].get("with", {})
        check(bw.get("language") == "c" and rw.get("language") == "c", "%s/%s: language c" % (fname, name))
        check(bw.get("sanitizer") == rw.get("sanitizer"), "%s/%s: build and run sanitizers differ" % (fname, name))
        check(bw.get("sanitizer") != "memory", "%s/%s: MSan with uninstrumented static libraries" % (fname, name))
        check("secrets.GITHUB_TOKEN" in str(rw.get("github-token")), "%s/%s: run_fuzzers needs github-token" % (fname, name))
        check(int(rw.get("fuzz-seconds", 0)) > 0, "%s/%s: fuzz-seconds" % (fname, name))
        mode = rw.get("mode")
        got.append(mode)
        if mode == "coverage":
            check(bw.get("sanitizer") == "coverage", "%s/%s: coverage needs the coverage build" % (fname, name))
    check(sorted(got) == sorted(modes), "%s: modes %s, want %s" % (fname, got, modes))

p = load(".clusterfuzzlite/project.yaml")
check(p and p.get("language") == "c", ".clusterfuzzlite/project.yaml: language c")
d = open(".clusterfuzzlite/Dockerfile").read()
check(re.search(r"^FROM gcr\.io/oss-fuzz-base/base-builder\s*$", d, re.M), "Dockerfile: FROM base-builder")
check(re.search(r"^COPY \.clusterfuzzlite/build\.sh \$SRC/", d, re.M), "Dockerfile: build.sh not copied to $SRC")
check(re.search(r"^COPY \. \$SRC/hvexit", d, re.M), "Dockerfile: source not copied to $SRC/hvexit")
for pkg in ("libcapstone-dev", "libjansson-dev", "libelf-dev", "zip"):
    check(pkg in d, "Dockerfile: %s not installed" % pkg)
b = open(".clusterfuzzlite/build.sh").read()
check(re.search(r"^set -euo pipefail", b, re.M), ".clusterfuzzlite/build.sh: no set -euo pipefail")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PY
