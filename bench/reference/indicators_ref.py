# Independent reference for evaluation, rectification, probe, backlog and data-quality
# indicators by region, straight from the generated CSVs (domain.md §3).
import csv, sys, math
from datetime import datetime, timedelta, timezone, date
from collections import defaultdict
D = sys.argv[1]
SH = timezone(timedelta(hours=8))
def t(s, end_of_day=False):
    if not s: return None
    s = s.strip()
    if len(s) == 10:
        d = datetime.fromisoformat(s).replace(tzinfo=SH)
        return d + timedelta(days=1) if end_of_day else d
    s2 = s.replace('Z', '+00:00')
    d = datetime.fromisoformat(s2)
    if d.tzinfo is None: d = d.replace(tzinfo=SH)
    return d
FROM = datetime(2024,1,1,tzinfo=SH); TO = datetime(2025,1,1,tzinfo=SH)
def inp(x): return x is not None and FROM <= x < TO
def b(s):
    if s == '': return None
    return s.lower() in ('true','1','yes','y','是')
out = {}
def put(reg, code, v): out[(reg, code)] = v
# calendar
off=set(); work=set()
for f in ['/work/main/config/calendars/cn-2024.cal','/work/main/config/calendars/cn-2025.cal']:
    for line in open(f):
        line=line.split('#')[0].strip()
        if not line: continue
        d, kind = line.split()[:2]
        (off if kind=='off' else work).add(date.fromisoformat(d))
def working(d): return d in work or (d.weekday() < 5 and d not in off)
def deadline(local_date, n):
    d = local_date; k = 0
    while k < n:
        d += timedelta(days=1)
        if working(d): k += 1
    return datetime(d.year, d.month, d.day, tzinfo=SH) + timedelta(days=1)
ev = list(csv.DictReader(open(f'{D}/evaluations.csv', encoding='utf-8', newline='')))
g = defaultdict(list)
for e in ev:
    e['_t'] = t(e['evaluated_at'])
    if inp(e['_t']): g[e['region_code']].append(e)
for reg, rows in g.items():
    n = len(rows); sc = [int(r['score']) for r in rows]
    put(reg,'evaluations',n)
    put(reg,'positive_rate',sum(s>=3 for s in sc)/n)
    put(reg,'negative_rate',sum(s<=2 for s in sc)/n)
    put(reg,'top2_rate',sum(s>=4 for s in sc)/n)
    put(reg,'mean_score',sum(sc)/n)
    act=[int(r['score']) for r in rows if b(r['active'])]
    put(reg,'active_positive_rate',sum(s>=3 for s in act)/len(act) if act else None)
    old=[int(r['score']) for r in rows if r['evaluator_age']!='' and int(r['evaluator_age'])>=60]
    put(reg,'elderly_satisfaction_gap',(sum(old)/len(old)-sum(sc)/n) if old else None)
# rectification
events = defaultdict(list)
for r in csv.DictReader(open(f'{D}/rectifications.csv', encoding='utf-8', newline='')):
    events[r['evaluation_id']].append(r)
cases = defaultdict(list)
for e in ev:
    if inp(e['_t']) and int(e['score'])<=2 and b(e['real_name']): cases[e['region_code']].append(e)
for reg, cs in cases.items():
    n=ver=rc=rect=ontime=rev=good=scored=0
    for c in cs:
        evs = events.get(c['id'], [])
        if any(x['event']=='invalid' for x in evs): continue
        n+=1
        if any(x['event']=='verified' for x in evs): ver+=1
        if any(x['event'] in ('rectified','closed') for x in evs): rc+=1
        recs = sorted([t(x['at']) for x in evs if x['event']=='rectified'])
        if recs:
            rect+=1
            local = c['_t'].astimezone(SH).date()
            if recs[0] <= deadline(local, 15): ontime+=1
            if any(x['event']=='revisited' for x in evs): rev+=1
        rv = [(t(x['at']), int(x['revisit_score'])) for x in evs if x['event']=='revisited' and x['revisit_score']!='']
        if rv:
            scored+=1
            if max(rv)[1]>=3: good+=1
    R=lambda a,b_: a/b_ if b_ else None
    put(reg,'reply_rate',R(ver,n)); put(reg,'rectification_rate',R(rc,n))
    put(reg,'rectification_on_time_rate',R(ontime,rect)); put(reg,'revisit_rate',R(rev,rect))
    put(reg,'revisit_satisfaction',R(good,scored))
# probes
pg = defaultdict(list)
for p in csv.DictReader(open(f'{D}/probes.csv', encoding='utf-8', newline='')):
    if inp(t(p['checked_at'])) and p['region_code']: pg[p['region_code']].append(p)
def pct(v, q):
    v=sorted(v); 
    if not v: return None
    h=q*(len(v)-1); lo=math.floor(h); hi=min(lo+1,len(v)-1)
    return v[lo]+(v[hi]-v[lo])*(h-lo)
for reg, ps in pg.items():
    put(reg,'availability',sum(b(p['ok']) for p in ps)/len(ps))
    put(reg,'latency_p95_ms',pct([float(p['latency_ms']) for p in ps if b(p['ok']) and p['latency_ms']!=''],0.95))
# backlog + data quality
tg = defaultdict(lambda: {'oo':0,'newest':None,'n':0,'filled':0})
for x in csv.DictReader(open(f'{D}/transactions.csv', encoding='utf-8', newline='')):
    s=t(x['submitted_at']); a=t(x['accepted_at']); du=t(x['due_at'],True); c=t(x['completed_at'])
    G=tg[x['region_code']]
    if s < TO:
        G['newest'] = s if G['newest'] is None else max(G['newest'], s)
    if a and du and a<TO and du<TO and x['status'] not in ('rejected','withdrawn') and not (x['status']=='completed' and c and c<TO):
        G['oo']+=1
    if inp(s):
        G['n']+=1
        G['filled'] += sum(x[k]!='' for k in ['applicant_age','accepted_at','due_at','promised_days','statutory_days','visits','materials_required'])
for reg, G in tg.items():
    put(reg,'open_overdue',G['oo'])
    if G['newest']: put(reg,'freshness_hours',(TO-G['newest']).total_seconds()/3600)
    if G['n']: put(reg,'completeness_rate',G['filled']/(G['n']*7))
# unrated_rate, elderly_online_gap (transactions), eval_freshness_hours
rated = set(e['transaction_id'] for e in ev if e['transaction_id'])
ug = defaultdict(lambda: [0, 0]); og = defaultdict(lambda: [0, 0, 0, 0])
for x in csv.DictReader(open(f'{D}/transactions.csv', encoding='utf-8', newline='')):
    s = t(x['submitted_at']); c = t(x['completed_at'])
    if x['status'] == 'completed' and inp(c):
        u = ug[x['region_code']]; u[0] += 1; u[1] += x['id'] not in rated
    if inp(s):
        o = og[x['region_code']]
        online = x['channel'] in ('web', 'app', 'miniprogram')
        o[0] += 1; o[1] += online
        if x['applicant_age'] != '' and int(x['applicant_age']) >= 60:
            o[2] += 1; o[3] += online
for reg, (n, un) in ug.items():
    put(reg, 'unrated_rate', un / n if n else None)
for reg, (n, on, n60, on60) in og.items():
    put(reg, 'elderly_online_gap', (on60 / n60 - on / n) if n60 else None)
newest_ev = {}
for e in ev:
    if e['_t'] < TO:
        r_ = e['region_code']
        newest_ev[r_] = max(newest_ev.get(r_, e['_t']), e['_t'])
for reg, nw in newest_ev.items():
    put(reg, 'eval_freshness_hours', (TO - nw).total_seconds() / 3600)
# same-source (domain.md §3): NFKC, all Unicode white space removed, materials as a set split
# on ; ； 、 , ，, time_limit_days as a number, both empty match; latest publication per
# (item, source) with published_at < TO (none = oldest); grouped by the platform copy's region.
import unicodedata, re
WS = re.compile(r'\s+', re.UNICODE)
def norm(v):
    return WS.sub('', unicodedata.normalize('NFKC', v or ''))
KEYS = ['name','legal_basis','conditions','materials','time_limit_days','fee','location','contact']
def same(field, a, b):
    a, b = norm(a), norm(b)
    if field == 'materials':
        sa = set(x for x in re.split('[;；、,，]', a) if x); sb = set(x for x in re.split('[;；、,，]', b) if x)
        return sa == sb
    if field == 'time_limit_days' and a and b:
        try: return float(a) == float(b)
        except ValueError: return a == b
    return a == b
latest = {}
for row in csv.DictReader(open(f'{D}/guides.csv', encoding='utf-8', newline='')):
    pt = t(row['published_at']) if row['published_at'] else None
    if pt is not None and pt >= TO: continue
    key = (row['item_code'], row['source'])
    cur = latest.get(key)
    rank = pt if pt is not None else datetime.min.replace(tzinfo=SH)
    if cur is None or rank >= cur[0]: latest[key] = (rank, row)
plat = {k[0]: v[1] for k, v in latest.items() if k[1] == 'platform'}
deps = defaultdict(list)
for (item, src), (_, row) in latest.items():
    if src != 'platform': deps[item].append(row)
ss = defaultdict(lambda: [0, 0, 0, 0, 0])  # items, covered, matching, fields_ok, fields
for item, p in plat.items():
    a = ss[p['region_code']]; a[0] += 1
    if not deps.get(item): continue
    a[1] += 1
    all_ok = True
    for d in deps[item]:
        for f in KEYS:
            ok = same(f, p[f], d[f]); a[4] += 1; a[3] += ok
            all_ok = all_ok and ok
    a[2] += all_ok
for reg, (items, cov, match, fok, fn) in ss.items():
    put(reg, 'catalog_coverage', cov / items if items else None)
    put(reg, 'same_source_rate', match / cov if cov else None)
    put(reg, 'field_match_rate', fok / fn if fn else None)
w=csv.writer(sys.stdout)
for (reg,code),v in sorted(out.items()):
    w.writerow([reg,code,'' if v is None else repr(v)])
