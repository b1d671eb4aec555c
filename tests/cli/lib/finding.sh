# Sourced by CLI tests: checks on the text report of harness/report/.
#   expect_finding OUT FIELD EXPECTED OBSERVED [WHERE-REGEX]
# passes when OUT holds a FINDING group for FIELD whose first instance has
# exactly these two values (the lines after the report's labels, e.g.
# "replayed:"/"recorded:") and, if given, a "first:" line matching WHERE.
expect_finding() {
	python3 - "$@" <<'PY' || { cat "$1"; echo "no finding $2: $3 vs $4 ${5:-}"; return 1; }
import re, sys
out, field, exp, obs = sys.argv[1:5]
where = sys.argv[5] if len(sys.argv) > 5 else None
text = open(out, errors="replace").read()
for block in re.split(r"\n(?=FINDING |KNOWN |STALE )", "\n" + text):
    head, _, body = block.strip("\n").partition("\n")
    if not head.startswith("FINDING "):
        continue
    key = head[len("FINDING "):].rsplit(": ", 1)[0]
    parts = key.split("/", 3)
    if len(parts) < 3 or parts[2] != field:
        continue
    vals = [l.split(":", 1)[1].strip() for l in body.splitlines() if ":" in l]
    labels = [l.split(":", 1)[0].strip() for l in body.splitlines() if ":" in l]
    kv = dict(zip(labels, vals))
    pair = [v for l, v in zip(labels, vals) if l not in ("title", "first", "input", "rule", "reproduce", "id")]
    if pair[:2] != [exp, obs]:
        continue
    if where and not re.search(where, kv.get("first", "")):
        continue
    sys.exit(0)
sys.exit(1)
PY
}
# count_findings OUT: the number of FINDING groups in OUT.
count_findings() {
	grep -c '^FINDING ' "$1"
}
