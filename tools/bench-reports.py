#!/usr/bin/env python3
"""Report benchmark (issue 5): on 1,000,000 generated incidents (six years) and daily traffic at
every checkpoint, the process time of the yearly district report and the checkpoint review,
beside the same figures by hand-written SQL GROUP BYs in the sqlite3 shell on the same file.
Release build; interleaved runs; medians.

usage: tools/bench-reports.py [--records 1000000] [--runs 11] [--keep]
"""
import argparse, datetime, os, shutil, subprocess, sys
from bench_common import ROOT, interleaved, release_binary, run, sqlite3, summary_table, workdir

parser = argparse.ArgumentParser()
parser.add_argument("--records", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=11)
parser.add_argument("--keep", action="store_true")
args = parser.parse_args()

mekong = release_binary()
shell = sqlite3()
folder = workdir("bench-reports")
db = os.path.join(folder, "reports.sqlite")
env = dict(os.environ, MEKONG_DB=db, MEKONG_OFFICER="BENCH")
data = os.path.join(folder, "incidents.ndjson")

print(f"generating and importing {args.records:,} incidents…", file=sys.stderr)
subprocess.run([sys.executable, os.path.join(ROOT, "tools", "generate-incidents.py"), "--count", str(args.records),
                "--seed", "3", "--start", "2020-01-01", "--years", "6", "--output", data], check=True)
run([mekong, "init"], env)
run([mekong, "officer", "add", "BENCH", "--name", "Benchmark", "--role", "admin"], env)
run([mekong, "import", data, "--format", "json"], env)
# Daily traffic at every checkpoint for six years, busier at the bridges.
rows = ["checkpoint,date,persons_in,persons_out,vehicles_in,vehicles_out,out_of_hours"]
day = datetime.date(2020, 1, 1)
scale = {"MS1": 2000, "MS2": 900, "FB4": 700, "CS1": 300, "SR1": 250, "CK1": 280, "SD1": 40, "HB1": 35, "RPT": 4, "RFT": 60}
while day <= datetime.date(2025, 12, 31):
    for code, size in scale.items():
        rows.append(f"{code},{day},{size + day.toordinal() % 37},{size + day.toordinal() % 29},{size // 5},{size // 6},{day.toordinal() % 3}")
    day += datetime.timedelta(days=1)
traffic = os.path.join(folder, "traffic.csv")
open(traffic, "w").write("\n".join(rows) + "\n")
run([mekong, "checkpoint", "traffic", "import", traffic, "--format", "json"], env)
run([shell, db, "ANALYZE"])

year = ("2025-01-01", "2025-12-31")
previous = ("2024-01-01", "2024-12-31")


def hand_districts(column):
    """The district report's figures by hand, for the year and the year before. `column` is how
    the period is filtered: on the stored local date, or on the instant; `utc-own` also reads
    seizures through their own copy of district and instant, as mekong does."""
    def where(period):
        if column == "local_date":
            return f"i.local_date BETWEEN '{period[0]}' AND '{period[1]}'"
        start = int(datetime.datetime.fromisoformat(period[0] + "T00:00:00+07:00").timestamp() * 1000)
        end = int((datetime.datetime.fromisoformat(period[1] + "T00:00:00+07:00") + datetime.timedelta(days=1)).timestamp() * 1000)
        return f"i.occurred_utc >= {start} AND i.occurred_utc < {end}"
    sql = []
    for period in (year, previous):
        sql.append(f"SELECT i.district, i.type, count(*), sum(i.arrests), sum(i.persons), sum(i.vehicles), sum(i.victims), total(i.loss_thb) FROM incidents i WHERE {where(period)} GROUP BY 1, 2;")
        if column == "utc-own":
            own = where(period).replace("i.", "s.")
            sql.append(f"SELECT s.district, s.item, s.unit, sum(s.quantity), count(DISTINCT s.incident) FROM seizures s WHERE {own} GROUP BY 1, 2, 3;")
            sql.append(f"SELECT district, count(DISTINCT incident) FROM (SELECT s.district, s.incident FROM seizures s WHERE {own} AND (s.unit = 'tablets' OR s.unit = 'kg') GROUP BY s.incident, s.item, s.unit HAVING (s.unit = 'tablets' AND sum(s.quantity) >= 1000000) OR (s.unit = 'kg' AND sum(s.quantity) >= 100)) GROUP BY district;")
            continue
        sql.append(f"SELECT i.district, s.item, s.unit, sum(s.quantity), count(DISTINCT s.incident) FROM seizures s JOIN incidents i ON i.seq = s.incident WHERE {where(period)} GROUP BY 1, 2, 3;")
        sql.append(f"SELECT district, count(DISTINCT incident) FROM (SELECT i.district, s.incident FROM seizures s JOIN incidents i ON i.seq = s.incident WHERE {where(period)} AND s.unit IN ('tablets','kg') GROUP BY s.incident, s.item, s.unit HAVING (s.unit = 'tablets' AND sum(s.quantity) >= 1000000) OR (s.unit = 'kg' AND sum(s.quantity) >= 100)) GROUP BY district;")
    return "\n".join(sql)


hand_checkpoints = f"""
SELECT c.code, count(t.date), total(t.persons_in + t.persons_out), total(t.vehicles_in + t.vehicles_out), total(t.out_of_hours)
FROM checkpoints c LEFT JOIN checkpoint_traffic t ON t.checkpoint = c.code AND t.date BETWEEN '{year[0]}' AND '{year[1]}' GROUP BY c.code;
SELECT checkpoint, count(*) FROM incidents WHERE local_date BETWEEN '{year[0]}' AND '{year[1]}' AND checkpoint IS NOT NULL GROUP BY checkpoint;
"""

count = run([shell, db, f"SELECT count(*) FROM incidents WHERE local_date BETWEEN '{year[0]}' AND '{year[1]}'"]).stdout.strip()
print(f"\n{args.records:,} incidents, {int(count):,} in 2025; {len(rows) - 1:,} checkpoint days; {args.runs} interleaved runs; release build")
print("\nyearly district report (2025, with 2024 as the previous period):")
samples = interleaved({
    "sqlite3 shell: hand SQL GROUP BYs, period on local_date": lambda i: ([shell, db, hand_districts("local_date")], None),
    "sqlite3 shell: hand SQL GROUP BYs, period on occurred_utc": lambda i: ([shell, db, hand_districts("utc")], None),
    "sqlite3 shell: mekong's own six queries, by hand": lambda i: ([shell, db, hand_districts("utc-own")], None),
    "mekong report districts --format json": lambda i: ([mekong, "report", "districts", "--from", year[0], "--to", year[1], "--format", "json"], env),
}, args.runs)
summary_table(samples, goals={"mekong report districts --format json": 1.0},
              baseline="sqlite3 shell: mekong's own six queries, by hand")
print("\ncheckpoint review (2025):")
samples = interleaved({
    "sqlite3 shell: hand SQL GROUP BYs": lambda i: ([shell, db, hand_checkpoints], None),
    "mekong report checkpoints --format json": lambda i: ([mekong, "report", "checkpoints", "--from", year[0], "--to", year[1], "--format", "json"], env),
}, args.runs)
summary_table(samples, goals={"mekong report checkpoints --format json": 1.0}, baseline="sqlite3 shell: hand SQL GROUP BYs")
print("\nquery plans of mekong's district report (its first query):")
start = int(datetime.datetime.fromisoformat(year[0] + "T00:00:00+07:00").timestamp() * 1000)
end = int(datetime.datetime.fromisoformat("2026-01-01T00:00:00+07:00").timestamp() * 1000)
plan = run([shell, db, f"EXPLAIN QUERY PLAN SELECT i.district, i.type, count(*) FROM incidents i WHERE i.occurred_utc >= {start} AND i.occurred_utc < {end} GROUP BY i.district, i.type"]).stdout
print("  " + plan.strip().replace("\n", "\n  "))
if args.keep:
    print(f"\nwork folder: {folder}")
else:
    shutil.rmtree(folder)
