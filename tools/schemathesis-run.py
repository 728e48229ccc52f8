#!/usr/bin/env python3
"""Runs schemathesis (from PyPI) against a live `mekong serve` on the demo database, with the
contract in Schemas/openapi.yaml (as the server itself serves it): generated valid and invalid
requests on every operation, and the checks that nothing answers 5xx, every status, header,
content type and body conforms to the document, invalid data is refused, and a request without
the token is refused. Exit status 0 when no check failed.

usage: tools/schemathesis-run.py [--mekong PATH] [--max-time 120] [--max-examples 100] [--seed N]

Bounded by --max-time; loopback only. Needs `pip install schemathesis`.
"""
import argparse, json, os, re, shutil, signal, subprocess, sys, tempfile, threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

parser = argparse.ArgumentParser()
parser.add_argument("--mekong", help="the binary (default: swift build, then .build/debug/mekong)")
parser.add_argument("--max-time", type=int, default=120, help="seconds for the whole run")
parser.add_argument("--max-examples", type=int, default=100, help="test cases per operation and phase")
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()

# The command, or the module when pip put the command outside PATH (~/.local/bin).
if shutil.which("schemathesis"):
    schemathesis = [shutil.which("schemathesis")]
else:
    try:
        import schemathesis.cli  # noqa: F401
    except ImportError:
        sys.exit("schemathesis is needed (pip install schemathesis)")
    schemathesis = [sys.executable, "-m", "schemathesis.cli"]
mekong = args.mekong
if not mekong:
    subprocess.run(["swift", "build", "--product", "mekong"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    mekong = os.path.join(ROOT, ".build", "debug", "mekong")

folder = tempfile.mkdtemp(prefix="mekong-schemathesis-")
env = dict(os.environ, MEKONG_DB=os.path.join(folder, "demo.sqlite"))


def run(argv):
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{result.stderr}")
    return result.stdout


run([mekong, "demo"])
token = json.loads(run([mekong, "officer", "token", "DEMO", "--officer", "DEMO", "--format", "json"]))["token"]
log = open(os.path.join(folder, "serve.log"), "w+")
server = subprocess.Popen([mekong, "serve", "--port", "0", "--log-level", "warning"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
port = None
for line in server.stderr:
    log.write(line)
    found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if found:
        port = int(found.group(1))
        break
if not port:
    sys.exit("the server did not start")
# Keep reading the server's log so a full pipe never stalls it.
server_log = []
drain = threading.Thread(target=lambda: server_log.extend(server.stderr), daemon=True)
drain.start()

print(f"schemathesis against http://127.0.0.1:{port} (demo database in {folder})", file=sys.stderr)
command = [
    *schemathesis, "--config-file", os.path.join(ROOT, "tools", "schemathesis.toml"),
    "run", f"http://127.0.0.1:{port}/openapi.yaml",
    "--url", f"http://127.0.0.1:{port}",
    "--header", f"Authorization: Bearer {token}",
    "--checks", "all",
    "--max-time", str(args.max_time), "--max-examples", str(args.max_examples), "--seed", str(args.seed),
    "--phases", "examples,coverage,fuzzing,stateful",
    "--request-timeout", "20", "--workers", "2", "--no-color",
    "--generation-database", "none",
    "--report", "junit", "--report-dir", os.path.join(folder, "report"),
]
try:
    # In the scratch folder: schemathesis keeps a cache folder where it runs.
    status = subprocess.run(command, env=env, cwd=folder).returncode
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        status = status or 1
drain.join(timeout=5)
rest = "".join(server_log)
log.write(rest)
if re.search(r"\berror\b", rest):
    print("the server logged errors:\n" + rest[-4000:], file=sys.stderr)
    status = status or 1
print(f"report and server log in {folder}", file=sys.stderr)
sys.exit(status)
