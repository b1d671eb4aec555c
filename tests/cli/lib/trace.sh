# Sourced by CLI tests that edit traces.
#   unseal IN OUT
# writes IN as a format-1 trace: the same header and records without an
# end record (whose counts and checksum would no longer hold once a test
# removes or changes a record), so the edited copy reads as written.
unseal() {
	python3 - "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
h = json.loads(lines[0])
h["hvexit_trace"] = 1
out = [json.dumps(h, separators=(",", ":"))]
out += [l for l in lines[1:] if json.loads(l).get("type") != "end"] if len(lines) > 1 else []
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
}
