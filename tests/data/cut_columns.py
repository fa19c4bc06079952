# Keeps only the named columns of a CSV (every row, values byte-for-byte as parsed), or of
# each object of a JSON array. An optional 4th argument COLUMN^PREFIX keeps only the CSV rows
# whose COLUMN starts with PREFIX (e.g. "CreatedDate^12/31/2018": one day's records).
import csv, json, sys
src, dst, cols = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
only = sys.argv[4].split("^", 1) if len(sys.argv) > 4 else None
if src.endswith(".json"):
    data = json.load(open(src, encoding="utf-8"))
    out = [{k: v for k, v in rec.items() if k in cols} if isinstance(rec, dict) else rec for rec in data]
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
else:
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    idx = [rows[0].index(c) for c in cols]
    if only:
        k = rows[0].index(only[0])
        rows = rows[:1] + [r for r in rows[1:] if k < len(r) and r[k].startswith(only[1])]
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        for r in rows:
            w.writerow([r[i] if i < len(r) else "" for i in idx])
