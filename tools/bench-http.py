#!/usr/bin/env python3
"""HTTP load benchmark (issue 7): `mekong serve` (release build) on loopback, driven by wrk,
on a database of generated incidents. Prints requests per second and p99 latency for
GET /v1/incidents/{id}, POST /v1/incidents and the district report, beside the same server's
GET /health as the ceiling, and the ratio of each to /health. The district report is measured
twice: the same year again and again (answered from the server's report cache, as an office
asking for this year's summary is), and 365 different periods in turn (more than the cache
holds, so each request builds its report). Rounds alternate between the endpoints (the
machine is noisy); medians are printed.

usage: tools/bench-http.py [--incidents 100000] [--seconds 5] [--connections 32] [--rounds 3]
                           [--log-level warning]

Needs wrk (apt-get install wrk). Loopback only; every run is bounded by --seconds.
"""
import argparse, json, os, re, shutil, signal, statistics, subprocess, sys, threading, time
from bench_common import ROOT, release_binary, run, workdir

parser = argparse.ArgumentParser()
parser.add_argument("--incidents", type=int, default=100_000)
parser.add_argument("--seconds", type=int, default=5)
parser.add_argument("--connections", type=int, default=32)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--log-level", default="warning", help="the server's; info logs a line per request")
args = parser.parse_args()

wrk = shutil.which("wrk") or sys.exit("wrk is needed (apt-get install wrk)")
mekong = release_binary()
folder = workdir("bench-http")
db = os.path.join(folder, "bench.sqlite")
env = dict(os.environ, MEKONG_DB=db)

run([mekong, "init"], env)
run([mekong, "officer", "add", "BENCH", "--name", "Benchmark", "--role", "admin"], env)
records = os.path.join(folder, "incidents.ndjson")
print(f"generating and importing {args.incidents:,} incidents…", file=sys.stderr)
subprocess.run([sys.executable, os.path.join(ROOT, "tools", "generate-incidents.py"), "--count", str(args.incidents),
                "--seed", "11", "--output", records], check=True)
run([mekong, "import", records, "--officer", "BENCH"], env)
token = json.loads(run([mekong, "officer", "token", "BENCH", "--officer", "BENCH", "--format", "json"], env).stdout)["token"]
page = json.loads(run([mekong, "incident", "list", "--limit", "1000", "--format", "json"], env).stdout)
ids = [incident["id"] for incident in page["incidents"]]

server = subprocess.Popen([mekong, "serve", "--port", "0", "--log-level", args.log_level], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
port = None
for line in server.stderr:
    found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if found:
        port = int(found.group(1))
        break
if not port:
    sys.exit("the server did not start")
# Keep reading the server's log so a full pipe never stalls it.
threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
base = f"http://127.0.0.1:{port}"

record = json.dumps({"type": "drug_seizure", "occurred_at": "2025-06-24T14:30:00+07:00", "district": "5709",
                     "checkpoint": "MS1", "summary": "ยาบ้า 250,000 เม็ด in a lorry's false floor at the bridge",
                     "seizures": [{"item": "methamphetamine_tablets", "quantity": 250000, "unit": "tablets"}],
                     "arrests": 1, "vehicles": 1})
auth = f'wrk.headers["Authorization"] = "Bearer {token}"\n'
post = auth + f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = {json.dumps(record)}\n'
scripts = {
    "GET /health (ceiling)": ("/health", ""),
    "GET /v1/incidents/{id} (1,000 ids in turn)": ("/", auth + "local ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n"
        "local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format('GET', '/v1/incidents/' .. ids[n % #ids + 1])\nend\n"),
    "POST /v1/incidents (each a new case)": ("/v1/incidents", post),
    "POST /v1/incidents, 16 connections": ("/v1/incidents", post),
    "GET /v1/reports/districts (a year, cached)": ("/v1/reports/districts?from=2025-01-01&to=2025-12-31", auth),
    # 365 periods in turn, more than the cache holds: every request builds its report.
    "GET /v1/reports/districts (365 periods: built)": ("/", auth +
        "local n = 0\nrequest = function()\n  n = n + 1\n"
        "  local day = os.date('!%Y-%m-%d', 1735689600 + (n % 365) * 86400)\n"
        "  return wrk.format('GET', '/v1/reports/districts?from=' .. day .. '&to=2025-12-31')\nend\n"),
}
paths = {}
for index, (label, (path, script)) in enumerate(scripts.items()):
    paths[label] = os.path.join(folder, f"script-{index}.lua")
    with open(paths[label], "w") as file:
        file.write(script)


def measure(label):
    path, _ = scripts[label]
    connections = 16 if "16 connections" in label else args.connections
    output = subprocess.run([wrk, "-t", str(args.threads), "-c", str(connections), "-d", f"{args.seconds}s",
                             "--latency", "-s", paths[label], base + path], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        sys.exit(f"{label}: {errors.group(1)} error responses\n{output}")
    # wrk gives up on a request after 2 s; those are left out of its latencies, so say so.
    timeouts = re.search(r"timeout (\d+)", output)
    # Let requests still queued in the server (wrk has hung up) finish before the next run.
    time.sleep(3)
    return rate, p99_ms, int(timeouts.group(1)) if timeouts else 0


samples = {label: [] for label in scripts}
try:
    for round in range(args.rounds):
        print(f"round {round + 1} of {args.rounds}…", file=sys.stderr)
        for label in scripts:
            samples[label].append(measure(label))
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

stored = run(["sqlite3", db, "SELECT count(*) FROM incidents"]).stdout.strip() if shutil.which("sqlite3") else "?"
print(f"\n{args.incidents:,} generated incidents (now {stored}); wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, "
      f"{args.rounds} rounds, medians; server log level {args.log_level}\n")
ceiling = statistics.median(rate for rate, _, _ in samples["GET /health (ceiling)"])
goals = {"GET /v1/incidents/{id} (1,000 ids in turn)": ("≥½ /health", lambda rate, p99: rate >= ceiling / 2),
         "POST /v1/incidents (each a new case)": ("≥2000/s, p99<20ms", lambda rate, p99: rate >= 2000 and p99 < 20),
         "POST /v1/incidents, 16 connections": ("≥2000/s, p99<20ms", lambda rate, p99: rate >= 2000 and p99 < 20),
         "GET /v1/reports/districts (a year, cached)": ("≥½ /health", lambda rate, p99: rate >= ceiling / 2),
         "GET /v1/reports/districts (365 periods: built)": ("≥½ /health", lambda rate, p99: rate >= ceiling / 2)}
header = f"{'endpoint':44} {'req/s':>9} {'p99':>9} {'vs /health':>10}  goal"
print(header)
print("-" * len(header))
for label, values in samples.items():
    rate = statistics.median(rate for rate, _, _ in values)
    p99 = statistics.median(p99 for _, p99, _ in values)
    timeouts = sum(count for _, _, count in values)
    goal, met = goals.get(label, ("", None))
    verdict = "" if met is None else ("ok" if met(rate, p99) and not timeouts else "NOT MET")
    note = f" ({timeouts} requests over wrk's 2 s timeout)" if timeouts else ""
    print(f"{label:44} {rate:9.0f} {p99:7.2f}ms {rate / ceiling:9.2f}×  {goal} {verdict}{note}")
