#!/usr/bin/env python3
"""Officer-workflow benchmark (issue 3): a database of 1,000,000 incidents, then the process
time of `mekong incident log` beside the sqlite3 shell doing one INSERT on the same file, and
of `mekong incident list --district` for the first and the hundredth page, with SQLite's query
plan for each. Release build; medians of interleaved runs (the machine is noisy).

usage: tools/bench-workflow.py [--incidents N] [--runs N]
"""
import argparse, json, os, sys
from bench_common import interleaved, release_binary, run, sqlite3, summary_table, workdir

parser = argparse.ArgumentParser()
parser.add_argument("--incidents", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=31)
args = parser.parse_args()

mekong = release_binary()
shell = sqlite3()
folder = workdir("bench-workflow")
db = os.path.join(folder, "bench.sqlite")
env = dict(os.environ, MEKONG_DB=db, MEKONG_OFFICER="BENCH")

run([mekong, "init"], env)
run([mekong, "officer", "add", "BENCH", "--name", "Benchmark", "--role", "admin"], env)

# Fill with generated incidents straight through SQL: six years, time-ordered like real logging,
# border districts busier, a tenth of Mae Sai's and Chiang Saen's at their checkpoints. `g` is
# MATERIALIZED so each row's random district is drawn once (SQLite would otherwise draw it again
# at every mention, spreading rows over codes that do not exist).
print(f"filling {args.incidents:,} incidents…", file=sys.stderr)
fill = f"""
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {args.incidents}),
g AS MATERIALIZED (SELECT i, 1577836800000 + i * (189216000000 / {args.incidents}) AS utc,
             abs(random()) % 30 AS d, abs(random()) % 11 AS t FROM n)
INSERT INTO incidents (id, case_number, type, status, occurred_at, occurred_utc, local_date, district, checkpoint,
                       summary, arrests, persons, vehicles, victims, recorded_by, created_at, updated_at)
SELECT randomblob(16), 'BX-' || i,
       CASE t WHEN 0 THEN 'drug_seizure' WHEN 1 THEN 'scam' WHEN 2 THEN 'vehicle_smuggling' WHEN 3 THEN 'goods_smuggling'
              WHEN 4 THEN 'illegal_immigration' WHEN 5 THEN 'human_trafficking' WHEN 6 THEN 'wildlife_trafficking'
              WHEN 7 THEN 'timber_trafficking' WHEN 8 THEN 'haze_fire' WHEN 9 THEN 'cross_border_assistance' ELSE 'drug_seizure' END,
       CASE WHEN i % 7 = 0 THEN 'closed' WHEN i % 5 = 0 THEN 'investigating' ELSE 'open' END,
       strftime('%Y-%m-%dT%H:%M:%S+07:00', utc / 1000 + 25200, 'unixepoch'), utc,
       date(utc / 1000 + 25200, 'unixepoch'),
       CASE WHEN d < 18 THEN printf('57%02d', d + 1) WHEN d < 23 THEN '5709' WHEN d < 27 THEN '5708' ELSE '5703' END,
       CASE WHEN i % 10 = 0 AND d BETWEEN 18 AND 22 THEN 'MS1' WHEN i % 10 = 0 AND d BETWEEN 23 AND 26 THEN 'CS1' END,
       'generated incident ' || i || ' ยาบ้า ที่ด่าน', i % 4, i % 9, i % 3, i % 5, 'BENCH',
       '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'
FROM g;
COMMIT;
PRAGMA synchronous = FULL;
"""
run([shell, db], stdin=fill)
count = run([shell, db, "SELECT count(*) FROM incidents WHERE district = '5709'"]).stdout.strip()
print(f"  {args.incidents:,} incidents, {int(count):,} in Mae Sai (5709)", file=sys.stderr)

# The hundredth page of Mae Sai: walk 99 pages to find its cursor.
cursor = None
for _ in range(99):
    page = json.loads(run([mekong, "incident", "list", "--district", "5709", "--limit", "50", "--format", "json"]
                          + (["--cursor", cursor] if cursor else []), env).stdout)
    cursor = page["next_cursor"]

print("\nquery plans (SQLite's EXPLAIN QUERY PLAN of the exact query mekong runs):")
for label, extra in [("first page", []), ("hundredth page", ["--cursor", cursor])]:
    plan = run([mekong, "incident", "list", "--district", "5709", "--limit", "50", "--explain-query", "--format", "json"] + extra, env)
    for line in plan.stderr.splitlines():
        print(f"  {label:15} {line}")
        if "SCAN incidents" in line:
            print("  !! full scan")

log_count = [0]


def log_incident(index):
    log_count[0] += 1
    return ([mekong, "incident", "log", "--type", "drug_seizure", "--district", "5709", "--checkpoint", "MS1",
             "--occurred-at", "2025-06-24T14:30:00+07:00", "--summary", f"benchmark log {index}: 250,000 tablets",
             "--seizure", "methamphetamine_tablets:250000:tablets", "--arrests", "1", "--format", "json"], env)


def shell_insert(index):
    return ([shell, db, f"""INSERT INTO incidents (id, case_number, type, occurred_at, occurred_utc, local_date, district,
             summary, created_at, updated_at) VALUES (randomblob(16), 'SH-{index}-' || hex(randomblob(4)), 'drug_seizure',
             '2025-06-24T14:30:00+07:00', 1750750200000, '2025-06-24', '5709', 'shell insert', 'x', 'x')"""], None)


page_sql = ("SELECT * FROM incidents WHERE district = '5709' ORDER BY occurred_utc DESC, seq DESC LIMIT 51")

print(f"\n{args.incidents:,} incidents; {args.runs} interleaved runs each; release build; process wall time")
print("\nwrites (each beside the other, so disk noise falls on both):")
writes = interleaved({
    "mekong incident log (one incident, audited, fsync)": log_incident,
    "sqlite3 shell: one INSERT on the same file": shell_insert,
}, args.runs)
summary_table(writes, goals={"mekong incident log (one incident, audited, fsync)": 0.030},
              baseline="sqlite3 shell: one INSERT on the same file")

print("\nreads:")
reads = interleaved({
    "sqlite3 shell: the same page 1 query, rows to stdout": lambda i: ([shell, "-json", db, page_sql], None),
    "mekong incident list --district 5709 (page 1 of 50)": lambda i: (
        [mekong, "incident", "list", "--district", "5709", "--limit", "50", "--format", "json"], env),
    "mekong incident list --district 5709 (page 100 of 50)": lambda i: (
        [mekong, "incident", "list", "--district", "5709", "--limit", "50", "--format", "json", "--cursor", cursor], env),
    "mekong --help (process start, no database)": lambda i: ([mekong, "--help"], env),
}, args.runs)
summary_table(reads, goals={
    "mekong incident list --district 5709 (page 1 of 50)": 0.020,
    "mekong incident list --district 5709 (page 100 of 50)": 0.020,
}, baseline="sqlite3 shell: the same page 1 query, rows to stdout")
print(f"\nwork folder: {folder} (delete it when done)")
