#!/usr/bin/env python3
"""Summarise a ci/kvm-qemu console log: per-guest PASS/FAIL/SKIP table and
the findings, each marked "known" when corpus/kvm-baseline.txt lists it.

Baseline file: one finding per line, "GUEST WHAT" optionally followed by a
substring of the detail; '#' starts a comment.
Exit 0 when every guest passed/skipped or all its findings are known."""
import json
import sys


def load_baseline(path):
    rules = []
    try:
        with open(path) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if not line:
                    continue
                parts = line.split(None, 2)
                if len(parts) >= 2:
                    rules.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ''))
    except OSError:
        pass
    return rules


def known(rules, guest, f):
    return any(g in (guest, '*') and w == f.get('what') and s in f.get('detail', '')
               for g, w, s in rules)


def main():
    log, base, timing = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ''
    rules = load_baseline(base)
    inside, results, kernel = False, [], '?'
    with open(log, errors='replace') as f:
        for line in f:
            line = line.strip()
            if line == 'HVEXIT-KVM-BEGIN':
                inside = True
                continue
            if line == 'HVEXIT-KVM-END':
                break
            if not inside or not line.startswith('{'):
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                print('kvm-report: unparsable line: ' + line[:120])
                continue
            if 'kernel' in obj:
                kernel = obj['kernel']
            elif 'guest' in obj:
                results.append(obj)
    print('kernel: ' + kernel)
    print('%-20s %-6s %-9s %7s %7s %6s %7s %10s %s' % ('guest', 'result', 'end', 'exits', 'checks',
                                                     'loads', 'stores', 'esr-paired',
                                                     'xcheck ok/isv0/bad'))
    bad = 0
    lines = []
    for r in results:
        st = r.get('status', '?')
        finds = r.get('findings', [])
        new = [x for x in finds if not known(rules, r['guest'], x)]
        if st == 'FAIL' and finds and not new:
            st = 'KNOWN'
        if st == 'FAIL':
            bad += 1
        xc = r.get('xcheck')
        xcs = '%d/%d/%d' % (xc['consistent'], xc['isv0'], xc['mismatch'] + xc['unknown_insn']) \
            if isinstance(xc, dict) else '-'
        print('%-20s %-6s %-9s %7s %7s %6s %7s %10s %s' % (
            r['guest'], st, r.get('end', '-'), r.get('exits', '-'), r.get('checks', '-'),
            r.get('loads_checked', '-'), r.get('stores_checked', '-'), r.get('trace_paired', '-'),
            xcs))
        if r.get('reason') and st in ('SKIP', 'FAIL'):
            lines.append('  %s: %s' % (r['guest'], r['reason']))
        if st == 'FAIL' and r.get('end_detail'):
            lines.append('  %s: end: %s' % (r['guest'], r['end_detail']))
        for x in new:
            lines.append('  %s [NEW] %s: %s' % (r['guest'], x.get('what'), x.get('detail')))
        groups = {}
        for x in finds:
            if x not in new:
                groups.setdefault(x.get('what'), []).append(x)
        for what, xs in groups.items():
            lines.append('  %s [known x%d] %s: e.g. %s' % (r['guest'], len(xs), what,
                                                        xs[0].get('detail')))
        if r.get('findings_dropped'):
            lines.append('  %s [NEW] %d more findings were not kept' % (r['guest'],
                                                                    r['findings_dropped']))
            if st == 'KNOWN':
                st = 'FAIL'
                bad += 1
    if not results:
        print('kvm-report: no guest results in ' + log)
        bad = 1
    if lines:
        print('findings and notes:')
        print('\n'.join(lines))
    print('wall time: ' + timing)
    print('kvm-qemu: %s' % ('PASS' if bad == 0 else 'FAIL (%d guest(s))' % bad))
    return 0 if bad == 0 else 1


sys.exit(main())
