#!/usr/bin/env python3
"""Re-seal a hand-edited JSON Lines trace: drop its end record and append a
new one whose counts and checksum match the edited lines, computed here
from the definition in docs/trace-format.md ("Checksums") rather than by
hvexit. Usage: seal.py IN OUT"""
import json
import sys

M = (1 << 64) - 1
K = 0x9e3779b97f4a7c15


def hash64(data):
    h = 0x243f6a8885a308d3
    n = len(data)
    data = data + bytes((-n) % 8)
    rot = lambda x: ((x << 23) | (x >> 41)) & M
    for i in range(0, len(data), 8):
        h = ((rot(h) ^ int.from_bytes(data[i:i + 8], "little")) * K) & M
    h = ((rot(h) ^ n) * K) & M
    return h ^ (h >> 32)


lines = [l for l in open(sys.argv[1], "rb").read().split(b"\n") if l]
lines = [l for l in lines if not l.startswith(b'{"type":"end"')]
body = b"".join(l + b"\n" for l in lines)
types = [json.loads(l).get("type") for l in lines[1:]]
end = {"type": "end", "events": types.count("exit"), "pages": types.count("page"),
       "checksum": "0x%016x" % hash64(body), "interrupted": False}
open(sys.argv[2], "wb").write(body + json.dumps(end, separators=(",", ":")).encode() + b"\n")
