# compare.py REF.csv GOVQM.csv — every (region, indicator) of the reference must be in govqm's
# output with the same value: counts exactly, rates and means within 1e-9, percentiles 1%.
import csv, sys
ref_path, govqm_path = sys.argv[1], sys.argv[2]
g = {(r['region'], r['indicator']): r['value'] for r in csv.DictReader(open(govqm_path))}
n = bad = 0
for reg, code, v in csv.reader(open(ref_path)):
    n += 1
    gv = g.get((reg, code))
    if gv is None or (v == '') != (gv == ''):
        bad += 1
        print('MISSING/NULL', reg, code, 'ref', v, 'govqm', gv)
        continue
    if v == '':
        continue
    a, b = float(v), float(gv)
    tol = 0.01 * abs(a) if 'p95' in code or 'p90' in code else 1e-9 * max(1.0, abs(a))
    if abs(a - b) > tol:
        bad += 1
        print('DIFF', reg, code, 'ref', a, 'govqm', b)
print(f'compared {n}, differences {bad}')
sys.exit(1 if bad else 0)
