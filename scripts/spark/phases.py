#!/usr/bin/env python3
"""Where the driver's time goes on a local Spark: each stage of cof_spark.py's job timed on its
own, cumulatively, on the same files, after a warm-up run of the whole job.

    .venv-spark/bin/python scripts/spark/phases.py --cof .build-static/release/cof \
        --data .build/spark/data [--partitions 4] [--master local[2]]

The stages: Spark reads and parses the CSV (every column materialised, nothing kept); then
shuffles the rows by person_id; then hands them to Python as Arrow batches; then writes them as
CSV; then runs cof partial on them and brings the partials back. Each line is the median of
three runs of everything up to that stage. Run it from .build/spark/scratch with the same
environment as scripts/test-spark so that Spark's scratch stays in the tree.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cof_spark  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cof", required=True)
    parser.add_argument("--data", required=True, help="a folder written by cof generate")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--conf", action="append", default=[])
    options = parser.parse_args(argv)

    from pyspark import cloudpickle

    # The workers cannot import cof_spark: its functions travel by value.
    cloudpickle.register_pickle_by_value(cof_spark)
    data = options.data
    args = cof_spark.parse_args([
        "--events", os.path.join(data, "events.csv"), "--interventions", os.path.join(data, "interventions.csv"),
        "--unit-costs", os.path.join(data, "unit-costs.csv"), "--services", os.path.join(data, "services.csv"),
        "--before", "12m", "--after", "12m", "--observation-end", "2023-12-31", "--cof", options.cof,
        "--master", options.master, "--output", os.devnull] + [a for c in options.conf for a in ("--conf", c)])
    spark = cof_spark.spark_session(args)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "65536")
    staging = os.path.join(os.environ.get("TMPDIR", "/tmp"), "cof-phases")
    os.makedirs(staging, exist_ok=True)
    names = cof_spark.ship(spark, staging, {"cof": args.cof, "interventions": args.interventions,
                                            "unit-costs": args.unit_costs, "services": args.services})
    with open(args.events[0], "rb") as f:
        rows = sum(1 for _ in f) - 1

    def frame():
        events, columns = cof_spark.read_events(spark, args)
        return events, columns

    def read():
        events, _ = frame()
        events.write.format("noop").mode("overwrite").save()

    def shuffle():
        events, _ = frame()
        events.repartition(options.partitions, "person_id").write.format("noop").mode("overwrite").save()

    def to_python():
        def drain(batches):
            import pyarrow as pa
            count = sum(batch.num_rows for batch in batches)
            yield pa.RecordBatch.from_arrays([pa.array([count], pa.int64())], names=["rows"])
        events, _ = frame()
        events.repartition(options.partitions, "person_id").mapInArrow(drain, "rows BIGINT").toArrow()

    def to_csv():
        def write(batches, columns=None):
            import pyarrow as pa
            import pyarrow.csv as pacsv
            size = 0
            for index, batch in enumerate(batches):
                size += len(cof_spark.csv_bytes(pa, pacsv, batch.select(columns), index == 0))
            yield pa.RecordBatch.from_arrays([pa.array([size], pa.int64())], names=["bytes"])
        events, columns = frame()
        events.repartition(options.partitions, "person_id").mapInArrow(
            lambda batches: write(batches, columns), "bytes BIGINT").toArrow()

    def partials():
        events, columns = frame()
        events.repartition(options.partitions, "person_id").mapInArrow(
            cof_spark.partition_function(args, names, columns), "partition INT, chunk INT, chunks INT, data BINARY").toArrow()

    partials()  # warm-up: JIT, Python workers, artifacts fetched
    print(f"{rows} events, {options.partitions} partitions, {options.master}; median of 3 after a warm-up")
    previous = 0.0
    for name, stage in [("read and parse the CSV", read), ("+ shuffle by person_id", shuffle),
                        ("+ Arrow batches to Python", to_python), ("+ batches written as CSV", to_csv),
                        ("+ cof partial, partials back", partials)]:
        times = []
        for _ in range(3):
            started = time.monotonic()
            stage()
            times.append(time.monotonic() - started)
        seconds = statistics.median(times)
        print(f"{name:32s} {seconds:6.2f} s  (+{seconds - previous:5.2f} s)  {rows / seconds / 2:10,.0f} rows/s per core")
        previous = seconds
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
