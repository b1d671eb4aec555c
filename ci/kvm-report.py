#!/usr/bin/env python3
"""Summarise ci/kvm-qemu console logs.

    kvm-report.py [--timing TEXT] [--matrix] LABEL[@SECONDS]=LOG[,LOG...] ...
    kvm-report.py [--timing TEXT] [--matrix] LABEL=SKIP:REASON ...

Each LABEL is one kernel; its LOGs are the consoles of its boots (one per
GIC version). The suite inside the guest kernel has already applied the
baseline (corpus/baselines/kvm.json, scoped by `uname -r`), so a line's
status is final: PASS, KNOWN (only baselined findings), FAIL, SKIP; its
"stale" lines are baseline entries not reproduced on that kernel.

Without --matrix: a table per boot with the counters and the findings.
With --matrix: one table, a column per kernel, a row per guest (the boot
where the guest ran decides; a guest skipped in every boot is SKIP), then
new findings and stale entries per kernel.
Exit 0 when no guest FAILed (skipped kernels do not fail), else 1."""
import json
import sys

RANK = {'FAIL': 4, 'ERROR': 4, 'KNOWN': 3, 'PASS': 2, 'SKIP': 1}


def check_tap(lines, rc):
    """A result for the TAP 13 block of `kvm suite --tap` (init prints one
    in the gic-version=2 boot): version line, plan 1..N, N test points
    numbered in order, each with a description."""
    points = [x for x in lines if x.startswith('ok ') or x.startswith('not ok ')]
    why = []
    if not lines or lines[0] != 'TAP version 13':
        why.append('first line is not "TAP version 13"')
    plan = [x for x in lines if x.startswith('1..')]
    if len(plan) != 1 or not plan[0][3:].isdigit() or int(plan[0][3:]) != len(points):
        why.append('plan %s does not match %d test points' % (plan[:1], len(points)))
    for i, x in enumerate(points, 1):
        rest = x[3:] if x.startswith('ok ') else x[7:]
        if not rest.startswith('%d - ' % i):
            why.append('test point %d out of order: %s' % (i, x[:60]))
            break
    known = sum('# TODO known' in x for x in points)
    if why:
        return {'guest': '(tap)', 'status': 'FAIL', 'findings': [], 'reason': '; '.join(why)}
    return {'guest': '(tap)', 'status': 'PASS', 'findings': [], 'exits': '-',
            'reason': '%d test points (%d known), exit %s' % (len(points), known, rc)}


def read_log(path):
    """(kernel, results, stale, complete) of one console log."""
    inside, complete, results, stale, kernel = False, False, [], [], '?'
    tap = None
    try:
        f = open(path, errors='replace')
    except OSError as e:
        return kernel, results, stale, False, str(e)
    with f:
        for line in f:
            line = line.strip()
            if line == 'HVEXIT-KVM-BEGIN':
                inside = True
                continue
            if line == 'HVEXIT-KVM-END':
                complete = True
                break
            if line == 'HVEXIT-TAP-BEGIN':
                tap = []
                continue
            if line.startswith('HVEXIT-TAP-END') and tap is not None:
                results.append(check_tap(tap, line[15:]))
                tap = None
                continue
            if tap is not None:
                tap.append(line)
                continue
            if not inside or not line.startswith('{'):
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                results.append({'guest': '?', 'status': 'FAIL',
                                'reason': 'unparsable line: ' + line[:120], 'findings': []})
                continue
            if 'kernel' in obj:
                kernel = obj['kernel']
            elif 'guest' in obj:
                results.append(obj)
            elif 'stale' in obj:
                stale.append(obj['stale'])
    return kernel, results, stale, complete, ''


def xcheck_text(r):
    xc = r.get('xcheck')
    if not isinstance(xc, dict):
        return '-'
    return '%d/%d/%d' % (xc['consistent'], xc['isv0'], xc['mismatch'] + xc['unknown_insn'])


def notes_of(r):
    """Lines about one guest result: reasons, new findings, known groups."""
    out, st, g = [], r.get('status', '?'), r['guest']
    finds = r.get('findings', [])
    if r.get('reason') and (st in ('SKIP', 'FAIL', 'ERROR') or g == '(tap)'):
        out.append('  %s: %s' % (g, r['reason']))
    if st == 'FAIL' and r.get('end_detail'):
        out.append('  %s: end: %s' % (g, r['end_detail']))
    for x in finds:
        if not x.get('known'):
            out.append('  %s [NEW] %s: %s' % (g, x.get('what'), x.get('detail')))
    groups = {}
    for x in finds:
        if x.get('known'):
            groups.setdefault((x.get('what'), x.get('cluster', '')), []).append(x)
    for (what, cl), xs in groups.items():
        out.append('  %s [known x%d] %s%s: e.g. %s' % (g, len(xs), what,
                                                    ' ' + cl if cl else '', xs[0].get('detail')))
    if r.get('findings_dropped'):
        out.append('  %s [NEW] %d more findings were not kept' % (g, r['findings_dropped']))
    return out


def detail_table(path, label):
    kernel, results, stale, complete, err = read_log(path)
    print('kernel: %s (%s)' % (kernel, label))
    print('%-20s %-6s %-9s %7s %7s %6s %7s %10s %s' % ('guest', 'result', 'end', 'exits', 'checks',
                                                     'loads', 'stores', 'esr-paired',
                                                     'xcheck ok/isv0/bad'))
    bad, lines = 0, []
    for r in results:
        st = r.get('status', '?')
        bad += RANK.get(st, 4) == 4
        print('%-20s %-6s %-9s %7s %7s %6s %7s %10s %s' % (
            r['guest'], st, r.get('end', '-'), r.get('exits', '-'), r.get('checks', '-'),
            r.get('loads_checked', '-'), r.get('stores_checked', '-'), r.get('trace_paired', '-'),
            xcheck_text(r)))
        lines += notes_of(r)
    lines += ['  not reproduced on %s: fixed? %s' % (label, x) for x in stale]
    if not results or not complete:
        lines.append('  no complete run in %s %s' % (path, err))
        bad += 1
    if lines:
        print('findings and notes:')
        print('\n'.join(lines))
    return bad


def merge(runs):
    """guest -> the result that decides the column: a boot where it ran."""
    out = {}
    for r in runs:
        g = r['guest']
        cur = out.get(g)
        if cur is None or RANK.get(r.get('status'), 4) > RANK.get(cur.get('status'), 4):
            out[g] = r
    return out


def matrix(kernels, timing):
    cols, order, bad = [], [], 0
    for label, spec, secs in kernels:
        col = {'label': label, 'skip': None, 'res': {}, 'stale': [], 'notes': [], 'kernel': '',
               'secs': secs}
        if spec.startswith('SKIP:'):
            col['skip'] = spec[5:]
        else:
            runs = []
            for path in spec.split(','):
                kernel, results, stale, complete, err = read_log(path)
                col['kernel'] = kernel
                runs += results
                col['stale'] += stale
                if not complete:
                    runs.append({'guest': '(boot)', 'status': 'FAIL', 'findings': [],
                                 'reason': 'no complete run in %s %s' % (path, err)})
            col['res'] = merge(runs)
            for g in col['res']:
                if g not in order:
                    order.append(g)
            for g in order:
                r = col['res'].get(g)
                if r and r.get('status') in ('FAIL', 'ERROR'):
                    bad += 1
                if r and r.get('status') != 'PASS':
                    col['notes'] += notes_of(r)
        cols.append(col)
    w = max([12] + [len(c['label']) + 2 for c in cols])
    print('%-22s' % 'guest' + ''.join('%-*s' % (w, c['label']) for c in cols))
    for g in order:
        row = '%-22s' % g
        for c in cols:
            st = 'SKIP' if c['skip'] else c['res'].get(g, {}).get('status', '-')
            row += '%-*s' % (w, st)
        print(row)
    print('%-22s' % 'boots+suite (s)' + ''.join('%-*s' % (w, c['secs'] or '-') for c in cols))
    for c in cols:
        if c['skip']:
            print('%s: SKIP (kernel not available: %s)' % (c['label'], c['skip']))
            continue
        print('%s: %s' % (c['label'], c['kernel']))
        for s in c['stale']:
            print('  not reproduced on %s: fixed? %s' % (c['label'], s))
        for n in c['notes']:
            print(n)
    if timing:
        print('wall time: ' + timing)
    print('kvm-qemu matrix: %s' % ('PASS' if bad == 0 else 'FAIL (%d guest result(s))' % bad))
    return 0 if bad == 0 else 1


def main(argv):
    timing, as_matrix, kernels = '', False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--timing' and i + 1 < len(argv):
            timing = argv[i + 1]
            i += 1
        elif a == '--matrix':
            as_matrix = True
        elif '=' in a and not a.startswith('-'):
            label, spec = a.split('=', 1)
            secs = ''
            if '@' in label:
                label, secs = label.split('@', 1)
            kernels.append((label, spec, secs))
        else:
            print('usage: kvm-report.py [--timing TEXT] [--matrix] LABEL=LOG[,LOG...]|LABEL=SKIP:WHY ...',
                  file=sys.stderr)
            return 2
        i += 1
    if not kernels:
        print('kvm-report.py: no kernel given', file=sys.stderr)
        return 2
    if as_matrix:
        return matrix(kernels, timing)
    bad = 0
    for label, spec, _ in kernels:
        if spec.startswith('SKIP:'):
            print('%s: SKIP (%s)' % (label, spec[5:]))
            continue
        for path in spec.split(','):
            bad += detail_table(path, label)
    if timing:
        print('wall time: ' + timing)
    print('kvm-qemu: %s' % ('PASS' if bad == 0 else 'FAIL (%d guest(s))' % bad))
    return 0 if bad == 0 else 1


sys.exit(main(sys.argv[1:]))
