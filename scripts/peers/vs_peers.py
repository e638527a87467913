"""Runs the `cof compare` job with cof, DuckDB and Polars alternately on the same files,
checks that every result equals cof's, and prints medians, ratios and peak RSS.

Two ratios are shown for each engine: the ratio of its median to cof's, and the median of the
ratios within each round (with the middle half of them), which cancels the machine's drift from
round to round: on a shared machine, a round's times rise and fall together.

    python vs_peers.py COF_BINARY DATA_FOLDER [ROUNDS [LIBCSV_FLOOR_BINARY]]

With the floor binary (Benchmarks/LibcsvFloor), two more rows run in the same rotation: libcsv
parsing the events with empty callbacks, and the least the job can do on top of libcsv in C
(no result written; see that file). Every median is then also shown as a multiple of the parse.
"""
import os
import resource
import statistics
import subprocess
import sys
import time

import peers

HERE = os.path.dirname(os.path.abspath(__file__))


def run(command):
    """Wall time and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed: {stderr}")
    return elapsed, usage.ru_maxrss / 1024


def main():
    cof, folder = sys.argv[1], os.path.abspath(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    floor = sys.argv[4] if len(sys.argv) > 4 else None
    before, after, end = 12, 12, "2024-03-31"
    out = os.path.join(folder, "results")
    os.makedirs(out, exist_ok=True)
    jobs = {
        "cof": [cof, "compare", "--events", f"{folder}/events.csv", "--interventions", f"{folder}/interventions.csv",
                "--unit-costs", f"{folder}/unit-costs.csv", "--before", f"{before}m", "--after", f"{after}m",
                "--observation-end", end, "--format", "csv", "--output", f"{out}/cof.csv", "--quiet"],
    }
    for engine in ("duckdb", "polars"):
        jobs[engine] = [sys.executable, os.path.join(HERE, "peers.py"), engine, folder, str(before), str(after), end,
                        f"{out}/{engine}.csv", "2"]
    if floor:
        jobs["libcsv parse (C)"] = [floor, "parse", f"{folder}/events.csv", "2"]
        jobs["libcsv job (C)"] = [floor, "job", f"{folder}/events.csv", f"{folder}/interventions.csv", f"{folder}/unit-costs.csv", "2"]
    times = {name: [] for name in jobs}
    rss = {name: [] for name in jobs}
    for round_number in range(rounds + 1):  # round 0 warms the page cache and is not counted
        for name, command in jobs.items():
            elapsed, peak = run(command)
            if round_number > 0:
                times[name].append(elapsed)
                rss[name].append(peak)
    expected = peers.read_rows(f"{out}/cof.csv", in_hundredths=False)
    identical = {}
    for engine in ("duckdb", "polars"):
        got = peers.read_rows(f"{out}/{engine}.csv", in_hundredths=True)
        identical[engine] = got == expected
    size = os.path.getsize(f"{folder}/events.csv")
    rows = sum(1 for _ in open(f"{folder}/events.csv", "rb")) - 1
    print(f"data: {rows:,} events, {size / 1e6:.0f} MB; result: {len(expected):,} rows; {rounds} rounds after a warm-up, alternating")
    parse = statistics.median(times["libcsv parse (C)"]) if floor else None
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
    if not all(identical.values()):
        raise SystemExit("a peer's result differs from cof's")


if __name__ == "__main__":
    main()
