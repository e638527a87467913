"""The four commands that read the events, alternating round by round (see scripts/bench-commands).

    python commands.py COF_BINARY DATA_FOLDER ROUNDS OUTPUT_FOLDER
"""
import statistics
import sys

from vs_peers import run  # wall time and peak RSS (MiB) of one child

END = "2024-03-31"


def jobs(cof, d, out):
    tables = ["--interventions", f"{d}/interventions.csv", "--unit-costs", f"{d}/unit-costs.csv"]
    study = ["--events", f"{d}/events.csv", *tables, "--before", "12m", "--after", "12m", "--observation-end", END, "--quiet"]
    services = ["--services", f"{d}/services.csv"]
    return {
        "cof compare --format csv": ([cof, "compare", *study, "--format", "csv", "--output", f"{out}/compare.csv"], "compare.csv"),
        "cof export --format xlsx (the pack)": ([cof, "export", *study, *services, "--format", "xlsx", "--output", f"{out}/pack.xlsx"], "pack.xlsx"),
        "cof report --html": ([cof, "report", *study, *services, "--html", f"{out}/report.html"], "report.html"),
        "cof validate": ([cof, "validate", "--events", f"{d}/events.csv", *tables, "--observation-end", END, "--quiet",
                          "--output", f"{out}/validate.txt"], "validate.txt"),
    }


def main():
    cof, folder, rounds, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    table = jobs(cof, folder, out)
    times = {name: [] for name in table}
    peak = {name: 0 for name in table}
    first = {}
    for round_number in range(rounds + 1):  # round 0 warms the page cache
        for name, (command, output) in table.items():
            seconds, rss = run(command)
            with open(f"{out}/{output}", "rb") as f:
                content = f.read()
            if round_number == 0:
                first[name] = content
                continue
            if content != first[name]:
                raise SystemExit(f"{name}: round {round_number}'s output differs from the first's")
            times[name].append(seconds)
            peak[name] = max(peak[name], rss)
    base = times["cof compare --format csv"]
    print(f"{rounds} rounds, {folder}")
    print(f"{'command':38s} {'median':>9s} {'÷ compare: per round (range)':>32s} {'peak RSS':>10s}")
    for name in table:
        ratios = [t / c for t, c in zip(times[name], base)]
        print(f"{name:38s} {statistics.median(times[name]):8.3f}s {statistics.median(ratios):10.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) "
              f"{peak[name]:9.0f} MiB")


if __name__ == "__main__":
    main()
