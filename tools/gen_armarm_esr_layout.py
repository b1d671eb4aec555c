#!/usr/bin/env python3
"""Extract the ESR_EL2 field layouts from the Markdown Arm ARM.

Reads the ESR_EL2 register description of the Arm ARM as converted to
Markdown by the public repository wuyongzheng/arm-md-specs (DDI 0487 M.a.a,
file arm/D24.2/arm-D24.2.46.md, "D24.2.46 ESR_EL2, Exception Syndrome
Register (EL2)") and writes a compact tab-separated description of it:

  ec     EC (hex)  ISS encoding name  ISS2 encoding name
  field  encoding  name  hi  lo  condition
  fsc    encoding  field  code (hex)  type  level  Arm meaning

The output is committed as tests/vectors/armarm_esr_layout.tsv and read by
tests/test_esr_layout.c, which checks hvexit's ESR tables against it. Run
it once per Arm ARM release (the header records the commit it came from):

  python3 tools/gen_armarm_esr_layout.py --git-dir DIR [--rev REV] > OUT
  python3 tools/gen_armarm_esr_layout.py --md FILE --commit SHA > OUT

DIR is a clone (bare or not) of the Markdown repository.

Normalisation, applied here so the data file stays short:
  * encoding names are the section titles ("ISS encoding for an exception
    from a Data Abort"); the EC table's cells, which lost some spaces in
    the PDF conversion ("MCRorMRC"), are matched to them ignoring spaces;
  * bit numbers are those of the text: ISS fields count from ISS bit 0,
    ISS2 fields from ISS2 bit 0 (ESR bit 32); "WU, bits [1:0] of bits
    [20:16]" is written as bits 17..16;
  * a field's condition is its "When ...:" clause (the clause just before
    the field's heading, or right after it), or, for a field that follows
    "Otherwise:", the negation of the conditions of the fields that share
    its bits. Conditions are rewritten in a small language: FIELD=PATTERN
    (PATTERN in binary digits, x = either), !, &, |, parentheses. Feature
    terms ("FEAT_X is implemented", IsFeatureImplemented(FEAT_X)) are taken
    as true: the decoder assumes every feature. An empty condition means
    the field is always present;
  * fault status codes come from the DFSC/IFSC tables; the PDF conversion
    sometimes moved such a table into the next subsection, so a table is
    given to the most recent field of the same name. The meaning is mapped
    to hvexit's fault type vocabulary (fsc_type_name) by the phrase table
    PHRASES below; an unknown phrase stops the script.
"""
import argparse
import re
import subprocess
import sys

REPO = "github.com/wuyongzheng/arm-md-specs"
PATH = "arm/D24.2/arm-D24.2.46.md"
TITLE = "DDI0487 M.a.a D24.2.46 ESR_EL2"

FIELD_RE = re.compile(
    r"^(?:## )?([A-Za-z][A-Za-z0-9_]*) ?, ?bits? \[(\d+)(?::(\d+))?\]"
    r"(?: of bits \[(\d+):(\d+)\])?\s*$")
WHEN_RE = re.compile(r"^(?:## )?When (.*?)\s*:\s*$")
GROUP_RE = re.compile(r"^(?:## )?Bits? \[(\d+)(?::(\d+))?\]\s*$")
OTHERWISE_RE = re.compile(r"^(?:## )?Otherwise:\s*$")
SECTION_RE = re.compile(r"^(?:## )?(ISS2? encoding for .*[^:])\s*$")
END_RE = re.compile(r"^(?:## )?(?:Additional Information for |Accessing ESR)")

# (pattern, type); a "level N" in the meaning gives the level.
PHRASES = [
    (r"^address size fault", "address_size"),
    (r"^translation fault", "translation"),
    (r"^access flag fault", "access_flag"),
    (r"^permission fault", "permission"),
    (r"^synchronous external abort, not on translation table walk", "sync_external"),
    (r"^synchronous external abort on translation table walk", "sync_external_walk"),
    (r"^synchronous parity or ecc error on memory access, not on translation table walk",
     "sync_parity"),
    (r"^synchronous parity or ecc error on memory access on translation table walk",
     "sync_parity_walk"),
    (r"^granule protection fault on translation table walk", "granule_protection_walk"),
    (r"^granule protection fault, not on translation table walk", "granule_protection"),
    (r"^alignment fault", "alignment"),
    (r"^tlb conflict abort", "tlb_conflict"),
    (r"^unsupported atomic hardware update fault", "unsupported_atomic"),
    (r"^implementation defined fault", "implementation_defined"),
    (r"^synchronous tag check fault", "tag_check"),
    (r"^debug exception", "debug"),
    (r"^uncategorized error", "uncategorized"),
    (r"^asynchronous serror exception", "async_serror"),
]


class NotACondition(Exception):
    pass


def die(msg):
    sys.stderr.write("gen_armarm_esr_layout: %s\n" % msg)
    sys.exit(2)


def clean(s):
    """Undo the Markdown escapes of the conversion."""
    return (s.replace("\\_", "_").replace("&amp;", "&").replace("&lt;", "<")
            .replace("&gt;", ">").strip())


def key(s):
    return re.sub(r"\s+", "", s)


# ---- conditions -------------------------------------------------------------
TOKEN_RE = re.compile(r"""
    (?P<feat>IsFeatureImplemented\(\s*FEAT_\w+\s*\)|FEAT_\w+(?:\s+is)?\s+implemented)
  | (?P<op>&&|\|\||==|!|\(|\)|\{|\}|,)
  | (?P<lit>0b[01x]+|'[01x]+')
  | (?P<word>[A-Za-z_]\w*)
  | (?P<ws>\s+)
""", re.X)

TRUE = ("true",)


def tokenize(s):
    out, pos = [], 0
    while pos < len(s):
        m = TOKEN_RE.match(s, pos)
        if not m:
            raise NotACondition(s)
        pos = m.end()
        if m.group("ws"):
            continue
        if m.group("feat"):
            out.append(("feat",))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("lit"):
            out.append(("lit", m.group("lit").strip("'").replace("0b", "", 1)))
        else:
            w = m.group("word")
            if w in ("and", "or"):
                out.append(("op", "&&" if w == "and" else "||"))
            elif w == "IN":
                out.append(("op", "IN"))
            else:
                out.append(("id", w))
    return out


class CondParser:
    def __init__(self, text):
        self.text, self.t, self.i = text, tokenize(text), 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else ("end",)

    def take(self, kind, val=None):
        tok = self.peek()
        if tok[0] != kind or (val is not None and tok[1] != val):
            raise NotACondition(self.text)
        self.i += 1
        return tok

    def parse(self):
        e = self.expr()
        self.take("end")
        return e

    def chain(self, op, tag, operand):
        """operand (op operand)*: one term, or (tag, [terms])."""
        terms = [operand()]
        while self.peek() == ("op", op):
            self.i += 1
            terms.append(operand())
        return terms[0] if len(terms) == 1 else (tag, terms)

    def expr(self):
        return self.chain("||", "or", self.conj)

    def conj(self):
        return self.chain("&&", "and", self.unary)

    def unary(self):
        tok = self.peek()
        if tok == ("op", "!"):
            self.i += 1
            return ("not", self.unary())
        if tok == ("op", "("):
            self.i += 1
            e = self.expr()
            self.take("op", ")")
            return e
        if tok[0] == "feat":
            self.i += 1
            return TRUE
        name = self.take("id")[1]
        op = self.peek()
        self.i += 1
        if op == ("op", "=="):
            return ("eq", name, self.take("lit")[1])
        if op == ("op", "IN"):
            self.take("op", "{")
            pats = [self.take("lit")[1]]
            while self.peek() == ("op", ","):
                self.i += 1
                pats.append(self.take("lit")[1])
            self.take("op", "}")
            alts = [("eq", name, p) for p in pats]
            return alts[0] if len(alts) == 1 else ("or", alts)
        raise NotACondition(self.text)


def simplify(e):
    if e[0] in ("and", "or"):
        parts = [simplify(x) for x in e[1]]
        if e[0] == "and":
            parts = [p for p in parts if p != TRUE]
            if not parts:
                return TRUE
        elif TRUE in parts:
            return TRUE
        flat = []
        for p in parts:
            flat.extend(p[1] if p[0] == e[0] else [p])
        return flat[0] if len(flat) == 1 else (e[0], flat)
    if e[0] == "not":
        inner = simplify(e[1])
        if inner == TRUE:
            die("a condition that is never true")
        return ("not", inner)
    return e


def render(e, parent=None):
    if e == TRUE:
        return ""
    if e[0] == "eq":
        return "%s=%s" % (e[1], e[2])
    if e[0] == "not":
        return "!" + render(e[1], "not")
    op = "&" if e[0] == "and" else "|"
    s = op.join(render(x, e[0]) for x in e[1])
    return "(%s)" % s if parent is not None else s


def condition(text):
    return simplify(CondParser(clean(text)).parse())


# ---- sections, fields, FSC tables -------------------------------------------
def next_content(lines, i):
    """Index of the next line that is not blank or an HTML comment."""
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("<!--")):
        i += 1
    return i


def parse(md):
    lines = [l.rstrip("\n") for l in md.split("\n")]
    sections = {}          # name -> list of fields
    order = []
    section = None
    pending = None         # a "When ...:" clause waiting for its field
    group = None           # (hi, lo, [conditions]) of a "Bits [..]" heading
    otherwise = False
    last_by_name = {}      # field name -> field dict, for FSC tables
    table_for = None       # field receiving the rows of the current table
    fsc_rows = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        line = clean(raw)
        i += 1
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells and cells[0] in ("DFSC", "IFSC"):
                table_for = last_by_name.get(cells[0])
                if table_for is None:
                    die("line %d: %s table before any %s field" % (i, cells[0], cells[0]))
                continue
            if table_for is not None and re.fullmatch(r"0b[01]{6}", cells[0] or ""):
                fsc_rows.append((table_for, int(cells[0][2:], 2), cells[1]))
            continue
        table_for = None
        if not line:
            continue
        if line.startswith("## EC, bits [31:26]") or END_RE.match(line):
            section, pending, group, otherwise = None, None, None, False
            continue
        m = SECTION_RE.match(line)
        if m and not line.startswith("## Bits"):
            name = re.sub(r"\s+", " ", m.group(1))
            if name in sections:
                die("section %r twice" % name)
            section = name
            sections[name] = []
            order.append(name)
            pending, group, otherwise = None, None, False
            continue
        if section is None:
            continue
        m = WHEN_RE.match(line)
        if m:
            try:
                pending = condition(m.group(1))
            except NotACondition:
                # Prose ("When a Watchpoint exception is triggered by a
                # watchpoint match:") unless a field heading follows it.
                j = next_content(lines, i)
                if j < len(lines) and FIELD_RE.match(clean(lines[j])):
                    die("line %d: cannot read condition %r" % (i, m.group(1)))
                pending = None
            continue
        if OTHERWISE_RE.match(line):
            otherwise = True
            continue
        m = GROUP_RE.match(line)
        if m:
            hi = int(m.group(1))
            group = (hi, int(m.group(2)) if m.group(2) is not None else hi, [])
            pending, otherwise = None, False
            continue
        m = FIELD_RE.match(line)
        if not m:
            otherwise = False
            continue
        name, hi = m.group(1), int(m.group(2))
        lo = int(m.group(3)) if m.group(3) is not None else hi
        if m.group(4) is not None:      # "bits [1:0] of bits [20:16]"
            base = int(m.group(5))
            hi, lo = base + hi, base + lo
        cond = TRUE
        if otherwise:
            if group is None or not group[2]:
                die("line %d: %s follows Otherwise without conditions" % (i, name))
            alts = group[2]
            cond = ("not", alts[0] if len(alts) == 1 else ("or", list(alts)))
        elif pending is not None:
            cond = pending
        j = next_content(lines, i)
        if j < len(lines):
            w = WHEN_RE.match(clean(lines[j]))
            if w:
                try:
                    own = condition(w.group(1))
                except NotACondition:
                    die("line %d: cannot read condition %r" % (j + 1, w.group(1)))
                cond = simplify(("and", [cond, own]))
                i = j + 1
        if group is not None and lo >= group[1] and hi <= group[0] and cond != TRUE:
            group[2].append(cond)
        elif group is not None and not (lo >= group[1] and hi <= group[0]):
            group = None
        pending, otherwise = None, False
        f = {"section": section, "name": name, "hi": hi, "lo": lo,
             "cond": render(simplify(cond))}
        sections[section].append(f)
        last_by_name[name] = f
    return sections, order, fsc_rows


def parse_ec_table(md):
    rows = []
    for line in md.split("\n"):
        line = clean(line)
        m = re.match(r"^\|\s*0b([01]{6})\s*\|", line)
        if not m:
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 4 or "encoding" not in cells[2]:
            continue
        rows.append((int(m.group(1), 2), cells[2], cells[3]))
    return rows


def fsc_type(meaning):
    text = meaning.strip().rstrip(".").lower()
    for pat, t in PHRASES:
        if re.match(pat, text):
            lvl = re.search(r"level (-?\d+)", text)
            return t, (lvl.group(1) if lvl else "-")
    die("unknown fault status meaning %r" % meaning)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--git-dir", help="clone of the Markdown Arm ARM repository")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--md", help="the ESR_EL2 Markdown file itself")
    ap.add_argument("--commit", help="commit the --md file comes from")
    a = ap.parse_args()
    if a.git_dir:
        git = ["git", "--git-dir", a.git_dir]
        commit = subprocess.check_output(git + ["rev-parse", a.rev + "^{commit}"],
                                         text=True).strip()
        md = subprocess.check_output(git + ["show", "%s:%s" % (commit, PATH)], text=True)
    elif a.md and a.commit:
        commit = a.commit
        with open(a.md, encoding="utf-8") as f:
            md = f.read()
    else:
        die("give --git-dir DIR, or --md FILE with --commit SHA")
    if not md.startswith("## D24.2.46 ESR\\_EL2"):
        die("%s does not start with the ESR_EL2 heading" % PATH)

    sections, order, fsc_rows = parse(md)
    by_key = {key(s): s for s in order}
    ecs = []
    for ec, iss, iss2 in parse_ec_table(md):
        if key(iss) not in by_key or key(iss2) not in by_key:
            die("EC 0x%02x: no section for %r / %r" % (ec, iss, iss2))
        ecs.append((ec, by_key[key(iss)], by_key[key(iss2)]))
    if len(ecs) < 40 or len({e for e, _, _ in ecs}) != len(ecs):
        die("EC table: %d rows" % len(ecs))
    for name, fields in sections.items():
        top = 23 if name.startswith("ISS2") else 24
        for f in fields:
            if not (0 <= f["lo"] <= f["hi"] <= top):
                die("%s: %s [%d:%d] outside the register" % (name, f["name"], f["hi"], f["lo"]))

    out = sys.stdout
    out.write("# ESR_EL2 layout from the Arm ARM, extracted by tools/gen_armarm_esr_layout.py"
              " (do not edit)\n")
    out.write("# source\t%s\tcommit %s\tfile %s\t%s\n" % (REPO, commit, PATH, TITLE))
    out.write("# ec\tEC\tISS encoding\tISS2 encoding\n")
    out.write("# field\tencoding\tname\thi\tlo\tcondition (empty: always)\n")
    out.write("# fsc\tencoding\tfield\tcode\ttype\tlevel\tmeaning\n")
    for ec, iss, iss2 in sorted(ecs):
        out.write("ec\t0x%02x\t%s\t%s\n" % (ec, iss, iss2))
    for name in order:
        for f in sections[name]:
            out.write("field\t%s\t%s\t%d\t%d\t%s\n" % (name, f["name"], f["hi"], f["lo"],
                                                       f["cond"]))
    seen = set()
    for f, code, meaning in fsc_rows:
        if (f["section"], code) in seen:
            die("%s: code 0x%02x twice" % (f["section"], code))
        seen.add((f["section"], code))
        t, lvl = fsc_type(meaning)
        out.write("fsc\t%s\t%s\t0x%02x\t%s\t%s\t%s\n" % (f["section"], f["name"], code, t,
                                                         lvl, meaning.rstrip(".")))


if __name__ == "__main__":
    main()
