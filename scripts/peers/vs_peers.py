"""Runs two jobs with cof, DuckDB and Polars alternately on the same files, checks that every
result equals cof's, and prints medians, ratios and peak RSS, one table per job:

- compare: the `cof compare` before/after table (peers.py);
- pack: cof's whole finance pack (`cof export --format xlsx`, no comparison group) against the
  peers computing its cohort, by-service and financial-years tables from the same CSVs, read once
  (pack.py). The check compares those three tables with cof's own, written unsuppressed
  (`--disclosure none`) in runs that are not timed.

Two ratios are shown for each engine: the ratio of its median to cof's, and the median of the
ratios within each round (with the middle half of them), which cancels the machine's drift from
round to round: on a shared machine, a round's times rise and fall together.

    python vs_peers.py COF_BINARY DATA_FOLDER [ROUNDS [LIBCSV_FLOOR_BINARY]] [--jobs compare,pack]

With the floor binary (Benchmarks/LibcsvFloor), two more rows run in the compare job's rotation:
libcsv parsing the events with empty callbacks, and the least the job can do on top of libcsv in C
(no result written; see that file). Every median is then also shown as a multiple of the parse.
Exits non-zero when a peer's result differs from cof's.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import pack
import peers

HERE = os.path.dirname(os.path.abspath(__file__))
BEFORE, AFTER, END = 12, 12, "2024-03-31"


# Linux carries a process's peak RSS across exec, and Python starts a child with vfork, from its
# own memory: wait4's peak for a child of this process (which holds the checked results) is this
# process's size when it is larger. A small launcher that measures its own child does not have it.
TIME = "/usr/bin/time"


def run(command):
    """Wall time and peak RSS (MB) of one child process: its own peak, read by /usr/bin/time
    when there is one (else wait4's, which can be this process's size instead)."""
    with tempfile.NamedTemporaryFile("r") as peak:
        launcher = [TIME, "-q", "-f", "%M", "-o", peak.name] if os.access(TIME, os.X_OK) else []
        start = time.perf_counter()
        process = subprocess.Popen(launcher + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        stderr = process.stderr.read().decode(errors="replace")
        process.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{command[0]} failed: {stderr}")
        kilobytes = int(peak.read().split()[-1]) if launcher else usage.ru_maxrss
    return elapsed, kilobytes / 1024


def alternate(jobs, rounds):
    """Every job once per round, in turn; round 0 warms the page cache and is not counted."""
    times = {name: [] for name in jobs}
    rss = {name: [] for name in jobs}
    for round_number in range(rounds + 1):
        for name, command in jobs.items():
            elapsed, peak = run(command)
            if round_number > 0:
                times[name].append(elapsed)
                rss[name].append(peak)
    return times, rss


def report(jobs, times, rss, identical, parse=None):
    """The table of one job: medians, spread, peak RSS, ratios to cof, and the check."""
    print(f"{'engine':<17} {'median s':>9} {'min':>7} {'max':>7} {'peak RSS MB':>12} {'time / cof':>11} "
          f"{'per round (middle half)':>24} {'x parse':>8} {'same result':>12}")
    cof_median = statistics.median(times["cof"])
    for name in jobs:
        median = statistics.median(times[name])
        ratio = f"{median / cof_median:.2f}x" if name != "cof" else ""
        paired = ""
        if name != "cof":
            ratios = sorted(t / c for t, c in zip(times[name], times["cof"]))
            quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
            paired = f"{statistics.median(ratios):.2f}x ({quartiles[0]:.2f}-{quartiles[2]:.2f})"
        of_parse = f"{median / parse:.2f}" if parse else ""
        same = "—" if name == "cof" else ("yes" if identical[name] else "NO") if name in identical else "no output"
        print(f"{name:<17} {median:>9.3f} {min(times[name]):>7.3f} {max(times[name]):>7.3f} {max(rss[name]):>12.0f} "
              f"{ratio:>11} {paired:>24} {of_parse:>8} {same:>12}")


def compare_job(cof, folder, rounds, floor, out):
    """The `cof compare` job; returns whether every peer's table equals cof's."""
    jobs = {
        "cof": [cof, "compare", "--events", f"{folder}/events.csv", "--interventions", f"{folder}/interventions.csv",
                "--unit-costs", f"{folder}/unit-costs.csv", "--before", f"{BEFORE}m", "--after", f"{AFTER}m",
                "--observation-end", END, "--format", "csv", "--output", f"{out}/cof.csv", "--quiet"],
    }
    for engine in ("duckdb", "polars"):
        jobs[engine] = [sys.executable, os.path.join(HERE, "peers.py"), engine, folder, str(BEFORE), str(AFTER), END,
                        f"{out}/{engine}.csv", "2"]
    if floor:
        jobs["libcsv parse (C)"] = [floor, "parse", f"{folder}/events.csv", "2"]
        jobs["libcsv job (C)"] = [floor, "job", f"{folder}/events.csv", f"{folder}/interventions.csv", f"{folder}/unit-costs.csv", "2"]
    times, rss = alternate(jobs, rounds)
    expected = peers.read_rows(f"{out}/cof.csv", in_hundredths=False)
    identical = {engine: peers.read_rows(f"{out}/{engine}.csv", in_hundredths=True) == expected for engine in ("duckdb", "polars")}
    print(f"\njob compare: cof compare's before/after table ({len(expected):,} rows)")
    report(jobs, times, rss, identical, statistics.median(times["libcsv parse (C)"]) if floor else None)
    return all(identical.values())


def pack_job(cof, folder, rounds, out):
    """The finance pack job; returns whether every peer's three tables equal cof's."""
    inputs = ["--events", f"{folder}/events.csv", "--interventions", f"{folder}/interventions.csv",
              "--unit-costs", f"{folder}/unit-costs.csv", "--services", f"{folder}/services.csv",
              "--before", f"{BEFORE}m", "--after", f"{AFTER}m", "--observation-end", END, "--quiet"]
    jobs = {"cof": [cof, "export", *inputs, "--format", "xlsx", "--output", f"{out}/pack.xlsx"]}
    for engine in ("duckdb", "polars"):
        jobs[engine] = [sys.executable, os.path.join(HERE, "pack.py"), engine, folder, str(BEFORE), str(AFTER), END,
                        f"{out}/pack-{engine}", "2"]
    times, rss = alternate(jobs, rounds)
    # cof's exact figures for the check, in runs that are not timed.
    reference = f"{out}/pack-cof"
    os.makedirs(reference, exist_ok=True)
    for table in pack.TABLES:
        run([cof, "export", *inputs, "--table", table, "--format", "csv", "--csv-plain", "--disclosure", "none",
             "--output", f"{reference}/{table}.csv"])
    identical, notes = {}, []
    for engine in ("duckdb", "polars"):
        found = pack.differences(reference, f"{out}/pack-{engine}")
        identical[engine] = not any(found.values())
        notes += [f"  {engine} {table}: {difference}" for table, difference in found.items() if difference]
    size = os.path.getsize(f"{out}/pack.xlsx")
    print(f"\njob pack: cof's whole finance pack (xlsx, {size / 1e3:,.0f} kB) against the peers' cohort, by-service and "
          f"financial-years tables (CSVs read once, then the three queries; every column checked)")
    report(jobs, times, rss, identical)
    for note in notes:
        print(note)
    return all(identical.values())


def main():
    arguments = sys.argv[1:]
    selected = ["compare", "pack"]
    if "--jobs" in arguments:
        at = arguments.index("--jobs")
        selected = arguments[at + 1].split(",")
        del arguments[at:at + 2]
        if not selected or any(job not in ("compare", "pack") for job in selected):
            raise SystemExit(f"--jobs: expected compare, pack or compare,pack, not {','.join(selected)}")
    cof, folder = arguments[0], os.path.abspath(arguments[1])
    rounds = int(arguments[2]) if len(arguments) > 2 else 5
    floor = arguments[3] if len(arguments) > 3 else None
    out = os.path.join(folder, "results")
    os.makedirs(out, exist_ok=True)
    size = os.path.getsize(f"{folder}/events.csv")
    with open(f"{folder}/events.csv", "rb") as handle:
        rows = sum(1 for _ in handle) - 1
    print(f"data: {rows:,} events, {size / 1e6:.0f} MB; {rounds} rounds after a warm-up, alternating; 2 threads each")
    same = True
    if "compare" in selected:
        same = compare_job(cof, folder, rounds, floor, out) and same
    if "pack" in selected:
        same = pack_job(cof, folder, rounds, out) and same
    if not same:
        raise SystemExit("a peer's result differs from cof's")


if __name__ == "__main__":
    main()
