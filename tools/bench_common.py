"""Shared helpers for the benchmarks in tools/: a release build, timing of whole processes,
and a table of medians printed side by side with a baseline."""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


RELEASE = ["swift", "build", "-c", "release", "--static-swift-stdlib"]


def release_binary():
    """Builds mekong as it is shipped (release, Swift runtime linked in) and returns its path.
    MEKONG_BINARY names an already built binary instead (an older build, say, so that two
    versions are measured on the same machine with the same script)."""
    given = os.environ.get("MEKONG_BINARY")
    if given:
        return os.path.abspath(given)
    print("building release binary…", file=sys.stderr)
    subprocess.run(RELEASE + ["--product", "mekong"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    path = subprocess.run(RELEASE + ["--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "mekong")


def workdir(name):
    path = tempfile.mkdtemp(prefix=f"mekong-{name}-")
    return path


def run(argv, env=None, stdin=None, check=True):
    result = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr}")
    return result


def timed(argv, env=None):
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr}")
    return elapsed


def interleaved(cases, runs, warmup=2):
    """Times each case `runs` times, alternating between cases so that machine noise falls on
    all of them alike. `cases` maps a label to a function returning an argv (called per run)
    and an env. Returns label -> list of seconds."""
    samples = {label: [] for label in cases}
    for index in range(runs + warmup):
        for label, make in cases.items():
            argv, env = make(index)
            seconds = timed(argv, env)
            if index >= warmup:
                samples[label].append(seconds)
    return samples


def summary_table(samples, goals=None, baseline=None):
    goals = goals or {}
    header = f"{'measure':58} {'median':>9} {'p90':>9} {'min':>9}  {'goal':>8}  ratio"
    print(header)
    print("-" * len(header))
    base = statistics.median(samples[baseline]) if baseline else None
    for label, values in samples.items():
        values = sorted(values)
        median = statistics.median(values)
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        goal = goals.get(label)
        goal_text = f"≤{goal * 1000:.0f} ms" if goal else ""
        ratio = f"{median / base:.2f}×" if base and label != baseline else ""
        mark = ("  ok" if median <= goal else "  OVER") if goal else ""
        print(f"{label:58} {median * 1000:7.1f}ms {p90 * 1000:7.1f}ms {values[0] * 1000:7.1f}ms  {goal_text:>8}  {ratio}{mark}")


def sqlite3():
    path = shutil.which("sqlite3")
    if not path:
        sys.exit("the sqlite3 shell is needed (apt-get install sqlite3)")
    return path
