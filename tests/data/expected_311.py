# Independent expectations for tests/cli/real_data_test.cc: the 311 excerpts read with
# Python's csv/json and zoneinfo, domain.md §2's rules and docs/INDICATORS.md's definitions
# written out again here (not govqm's code), so the test compares two implementations.
#   python3 tests/data/expected_311.py FORM FILE FROM TO
# FORM: nyc-legacy | nyc-api | la-legacy | boston. Prints read/loaded/rejected, the rejections,
# then per region: volume, completed, on_time_rate, avg_handling_days, p90_handling_days.
import csv, json, sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

form, path, p_from, p_to = sys.argv[1:5]

def local(text, fmt, zone, end_of_day=False):
    """A local time (no offset) -> UTC ms; ambiguous: the earlier, skipped: forward by the gap
    (zoneinfo with fold=0 does both). end_of_day: an exact midnight is the next day's."""
    t = datetime.strptime(text.strip(), fmt)
    if end_of_day and (t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0):
        t = t + timedelta(days=1)
    if not 1900 <= t.year <= 2999:
        raise ValueError("year")
    return int(t.replace(tzinfo=ZoneInfo(zone)).timestamp() * 1000)

def blank(v):
    return v is None or v.strip(" \t") == ""

NYC_STATUS = {"Closed": "completed", "Open": "in_progress", "Pending": "in_progress",
              "Assigned": "in_progress", "Started": "in_progress", "In Progress": "in_progress",
              "Email Sent": "in_progress"}
LA_STATUS = {"Closed": "completed", "Cancelled": "withdrawn", "Open": "in_progress",
             "Pending": "in_progress", "Referred Out": "withdrawn"}
BOSTON_STATUS = {"Open": "in_progress", "Closed": "completed"}

def records():
    if path.endswith(".json"):
        for n, rec in enumerate(json.load(open(path, encoding="utf-8")), start=1):
            yield n, {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in rec.items()}
        return
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = next(r)
        for row in r:
            yield r.line_num, dict(zip(header, row))

def first(rec, names):
    for n in names:
        if not blank(rec.get(n)):
            return rec[n]
    return ""

def build(rec):
    """-> dict of canonical values, or raises ValueError(column, reason)."""
    g = lambda k: (rec.get(k) or "")
    if form in ("nyc-legacy", "nyc-api"):
        if form == "nyc-legacy":
            K = dict(id="Unique Key", sub="Created Date", closed="Closed Date",
                     res="Resolution Action Updated Date", due="Due Date", status="Status",
                     channel="Open Data Channel Type", region="Borough", agency="Agency",
                     type="Complaint Type")
            fmt = "%m/%d/%Y %I:%M:%S %p"
        else:
            K = dict(id="unique_key", sub="created_date", closed="closed_date",
                     res="resolution_action_updated_date", due="due_date", status="status",
                     channel="open_data_channel_type", region="borough", agency="agency",
                     type="complaint_type")
            fmt = "%Y-%m-%dT%H:%M:%S.%f"
        zone, status_map, eod = "America/New_York", NYC_STATUS, False
        region = g(K["region"]).strip()
        region = "UNKNOWN" if region in ("", "Unspecified") else region
        completed_text = g(K["closed"])  # no fallback: see the mapping's comment
        item = g(K["agency"]).strip() + ":" + g(K["type"]).strip()
        dept = g(K["agency"]).strip()
    elif form == "la-legacy":
        K = dict(id="SRNumber", sub="CreatedDate", due="ServiceDate", status="Status",
                 channel="RequestSource", region="APC")
        fmt, zone, status_map, eod = "%m/%d/%Y %I:%M:%S %p", "America/Los_Angeles", LA_STATUS, True
        region = g("APC").strip() or "UNKNOWN"
        completed_text = g("ClosedDate")
        item, dept = g("RequestType").strip(), g("Owner").strip()
    else:  # boston
        K = dict(id="case_enquiry_id", sub="open_dt", due="sla_target_dt", status="case_status",
                 channel="source", region="neighborhood")
        fmt, zone, status_map, eod = "%Y-%m-%d %H:%M:%S", "America/New_York", BOSTON_STATUS, False
        region = g("neighborhood").strip() or "UNKNOWN"
        completed_text = g("closed_dt")
        item, dept = g("type").strip(), g("department").strip()
    out = {"region": region, "item": item, "dept": dept}
    if blank(g(K["id"])): raise ValueError("id", "required value missing")
    out["id"] = g(K["id"])
    if blank(g(K["channel"])): raise ValueError("channel", "required value missing")
    def time(col, text, end=False):
        if blank(text): return None
        try: return local(text, fmt, zone, end)
        except ValueError: raise ValueError(col, "not a time")
    out["sub"] = time("submitted_at", g(K["sub"]))
    if out["sub"] is None: raise ValueError("submitted_at", "required value missing")
    out["acc"] = out["sub"]
    out["done"] = time("completed_at", completed_text)
    out["due"] = time("due_at", g(K["due"]), eod)
    st = g(K["status"]).strip()
    if st == "": raise ValueError("status", "required value missing")
    st = status_map.get(st, st)
    if st not in ("in_progress", "completed", "rejected", "withdrawn"):
        raise ValueError("status", "unknown status")
    out["status"] = st
    if st == "completed" and out["done"] is None:
        raise ValueError("completed_at", "required when status is completed")
    if out["done"] is not None and out["done"] < out["sub"]:
        raise ValueError("completed_at", "completed_at is before submitted_at")
    return out

read, rejected, rows = 0, [], {}
for line, rec in records():
    read += 1
    try:
        r = build(rec)
    except ValueError as e:
        rejected.append((line, e.args[0], e.args[1]))
        continue
    rows.pop(r["id"], None)  # a later record replaces an earlier one of the same id
    rows[r["id"]] = r
print(f"read {read} loaded {read - len(rejected)} rejected {len(rejected)} distinct {len(rows)}")
for rj in rejected: print("  reject", *rj)

zone = {"la-legacy": "America/Los_Angeles"}.get(form, "America/New_York")
lo = int(datetime.fromisoformat(p_from).replace(tzinfo=ZoneInfo(zone)).timestamp() * 1000)
hi = int(datetime.fromisoformat(p_to).replace(tzinfo=ZoneInfo(zone)).timestamp() * 1000)
def p90(values):
    v = sorted(values)
    if not v: return None
    x = 0.9 * (len(v) - 1)
    i = int(x)
    return v[i] if i + 1 >= len(v) else v[i] + (v[i + 1] - v[i]) * (x - i)
groups = {}
for r in rows.values():
    g = groups.setdefault(r["region"], {"volume": 0, "completed": 0, "due": 0, "on_time": 0, "days": []})
    if lo <= r["sub"] < hi: g["volume"] += 1
    if r["status"] == "completed" and lo <= r["done"] < hi:
        g["completed"] += 1
        if r["due"] is not None:
            g["due"] += 1
            g["on_time"] += r["done"] <= r["due"]
        g["days"].append((r["done"] - r["acc"]) / 86400000)
print("region,volume,completed,due_n,on_time_rate,avg_handling_days,p90_handling_days")
for k in sorted(groups):
    g = groups[k]
    rate = g["on_time"] / g["due"] if g["due"] else None
    avg = sum(g["days"]) / len(g["days"]) if g["days"] else None
    print(f'{{"{k}", {{{g["volume"]}, {g["completed"]}, {g["due"]}, {rate!r}, {avg!r}, {p90(g["days"])!r}}}}},')
