#!/usr/bin/env python3
"""cof compare and cof export on Apache Spark: Spark distributes, cof computes.

Spark reads the event CSVs, shuffles the rows by person_id into --partitions partitions, and
streams each partition as CSV into `cof partial` on the executor (through mapInArrow, which
classic Spark, Spark Connect and Databricks' shared and serverless compute all run); the
partials come back to the driver, where `cof merge` combines them into the same bytes
`cof compare` writes for all the events in one process, or (--table) the same bytes as
`cof export`: any table it folds, the whole finance pack (--table finance --format xlsx), or
(with --top-users or --from/--to) each service's heaviest users; with --comparison or
--match-comparison, the comparison group's tables (did, placebo, balance) and the finance pack with
them, the group made on the driver after the merge. Every statistic stays in cof's one
tested code base; this script only moves bytes.

The cof binary and the small input tables are shipped to the executors with
SparkSession.addArtifacts(file=True) and found there with SparkFiles.get. Build cof for the
executors' platform (Linux, same architecture, glibc no newer than theirs):

    swift build -c release --static-swift-stdlib

Exit status: 0 when the merged table was written; cof's own exit status (65 bad data, 66 missing
input, ...) when a partial or the merge failed; 1 for any other failure.
"""

import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

# The engine's event columns, in the order cof reads a file without a header; end_date (a spell,
# counted night by night by cof) is read only when --columns names it.
EVENT_COLUMNS = ["person_id", "service", "event", "date", "quantity", "cost", "end_date"]
DEFAULT_COLUMNS = EVENT_COLUMNS[:6]
# Bytes of a partial per row sent back to the driver (Arrow binary values stay well below 2 GiB).
CHUNK_BYTES = 8 << 20


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run cof compare on Spark: cof partial per partition of people, cof merge on the driver.")
    parser.add_argument("--events", action="append", required=True, metavar="PATH",
                        help="event CSV files (a path, a glob or a folder Spark can read; repeat for several), with a header row "
                             "naming the columns given by --columns")
    parser.add_argument("--columns", default=",".join(DEFAULT_COLUMNS),
                        help="the event files' columns, in order (default: %(default)s); person_id, service, event and date "
                             "are required")
    parser.add_argument("--interventions", required=True, metavar="FILE", help="the interventions CSV (a local file)")
    parser.add_argument("--unit-costs", metavar="FILE", help="the unit-cost CSV (default: cof's shipped table)")
    parser.add_argument("--services", metavar="FILE", help="the services CSV (category, agency)")
    parser.add_argument("--deflator", metavar="FILE", help="the price index CSV for --price-base")
    parser.add_argument("--price-base", metavar="YEAR", help="state every cost in this financial year's prices (2024-25)")
    parser.add_argument("--before", required=True, metavar="SPAN", help="before window: Nd, Nm or Ny")
    parser.add_argument("--after", required=True, metavar="SPAN", help="after window: Nd, Nm or Ny")
    parser.add_argument("--observation-end", required=True, metavar="DATE",
                        help="last day the data covers (YYYY-MM-DD), decided for all the events before partitioning: "
                             "the date cof validate (or cof compare) states for them; no partition can know it alone")
    parser.add_argument("--on-error", choices=["fail", "reject"], default="fail",
                        help="fail: a bad row stops the run; reject: bad rows are counted by kind (default: %(default)s)")
    parser.add_argument("--partitions", type=int, metavar="N",
                        help="partitions of people, each one cof partial (default: twice Spark's default parallelism)")
    parser.add_argument("--cof", required=True, metavar="BINARY", help="the cof binary for the executors (and the driver)")
    parser.add_argument("--master", help="Spark master for a new session (local[2]); default: the active or configured one")
    parser.add_argument("--remote", help="a Spark Connect URL (sc://host:15002; local[2] starts a local Connect server) "
                                         "instead of a classic session")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting for a new session")
    parser.add_argument("--no-multiline", action="store_true",
                        help="read event files as one record per line (faster: files split across tasks), for data "
                             "known to have no line break inside a quoted field")
    parser.add_argument("--output", required=True, metavar="FILE", help="the merged table")
    parser.add_argument("--by", default="person", choices=["person", "cohort", "service", "category", "agency"],
                        help="as cof compare --by (default: %(default)s)")
    parser.add_argument("--table", metavar="TABLE",
                        help="as cof export --table: cohort, by-service, by-category, by-agency, financial-years, "
                             "intervention-by-year, appraisal, use-change, trajectory, top-users (with --top-users or "
                             "--from/--to), or finance (the finance pack); instead of --by")
    parser.add_argument("--top-users", action="store_true",
                        help="partials also carry the top users' figures over every date (with --from/--to: that period), "
                             "for --table top-users")
    parser.add_argument("--from", dest="period_from", metavar="DATE", help="top users: the first day of the period ranked")
    parser.add_argument("--to", dest="period_to", metavar="DATE", help="top users: the last day of the period ranked")
    parser.add_argument("--top", type=int, metavar="N", help="top users: how many per service (cof's default: 10)")
    parser.add_argument("--comparison", metavar="FILE",
                        help="a comparison group CSV (a local file) for --table finance, did, placebo, balance or appraisal: "
                             "the partials carry everyone without an intervention, and cof merge makes the group")
    parser.add_argument("--match-comparison", action="store_true",
                        help="without --comparison: cof merge matches a comparison group from everyone without an intervention")
    parser.add_argument("--format", default="csv", choices=["csv", "json", "md", "table", "xlsx"],
                        help="as cof compare --format, or xlsx for --table (the finance pack's workbook)")
    parser.add_argument("--partials-dir", metavar="DIR",
                        help="keep the partials here, one file per partition (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    args.columns = [c.strip() for c in args.columns.split(",")]
    missing = [c for c in EVENT_COLUMNS[:4] if c not in args.columns]
    if missing:
        parser.error("--columns lacks " + ", ".join(missing))
    if args.format == "xlsx" and not args.table:
        parser.error("--format xlsx is for --table (finance: the finance pack)")
    if args.table == "top-users" and not (args.top_users or args.period_from or args.period_to):
        parser.error("--table top-users needs --top-users (every date) or --from/--to (the period ranked)")
    if args.top is not None and args.table != "top-users":
        parser.error("--top is for --table top-users")
    if (args.comparison or args.match_comparison) and args.table not in ("finance", "did", "placebo", "balance", "appraisal"):
        parser.error("--comparison and --match-comparison are for --table finance, did, placebo, balance or appraisal")
    if (args.comparison or args.match_comparison) and (args.top_users or args.period_from or args.period_to):
        parser.error("a comparison group's partials carry no top users: give --comparison/--match-comparison or the top users' options, not both")
    if args.comparison and args.match_comparison:
        parser.error("give --comparison FILE or --match-comparison, not both")
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    return args


def spark_session(args):
    """The active session, or a new one from --remote, --master and --conf."""
    from pyspark.sql import SparkSession

    if args.master or (args.remote or "").startswith("local"):
        # Local Python workers run this interpreter (with pyarrow), not whatever python3 is first on the path.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if args.remote:
        builder = SparkSession.builder.remote(args.remote)
    else:
        active = SparkSession.getActiveSession()
        if active is not None and args.master is None and not args.conf:
            return active
        builder = SparkSession.builder.appName("cof")
        if args.master:
            builder = builder.master(args.master)
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    return builder.getOrCreate()


def staged_name(path, stem):
    """A name for `path` on the executors that changes when its content does (artifacts are
    kept per session, and a different file under a name already added is refused)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    extension = os.path.splitext(path)[1]
    return f"{stem}-{digest.hexdigest()[:16]}{extension}"


def ship(spark, staging, files):
    """Copies each local file under its staged name and adds it as an artifact; returns the names."""
    names = {}
    for stem, path in files.items():
        if path is None:
            continue
        if not os.path.isfile(path):
            raise SystemExit(f"cof_spark: {path}: no such file (for --{stem})")
        name = staged_name(path, stem)
        target = os.path.join(staging, name)
        shutil.copyfile(path, target)
        shutil.copymode(path, target)
        spark.addArtifacts(target, file=True)
        names[stem] = name
    return names


def partial_arguments(args, names, resolve):
    """cof partial's arguments, with the shipped files' paths from `resolve(name)`."""
    argv = ["partial", "--quiet", "--before", args.before, "--after", args.after, "--on-error", args.on_error]
    for stem, option in [("interventions", "--interventions"), ("unit-costs", "--unit-costs"),
                         ("services", "--services"), ("deflator", "--deflator")]:
        if stem in names:
            argv += [option, resolve(names[stem])]
    if args.observation_end:
        argv += ["--observation-end", args.observation_end]
    if args.price_base:
        argv += ["--price-base", args.price_base]
    if args.comparison or args.match_comparison:
        argv += ["--comparison-candidates"]
    return argv + top_users_arguments(args)


def top_users_arguments(args):
    """The period the partials rank the top users over, as cof partial and cof merge take it."""
    argv = []
    if args.period_from:
        argv += ["--from", args.period_from]
    if args.period_to:
        argv += ["--to", args.period_to]
    if args.top_users and not argv:
        argv = ["--top-users"]
    return argv


def partition_function(args, names, columns):
    """The function mapInArrow runs on each partition: its rows, as CSV, through cof partial."""
    cof_name = names["cof"]

    def run_partial(batches):
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
        from pyspark import SparkFiles, TaskContext

        context = TaskContext.get()
        # Without a task context the chunks still need a key of their own.
        partition = context.partitionId() if context is not None else random.getrandbits(31)
        cof = executable(SparkFiles.get(cof_name))
        argv = [cof] + partial_arguments(args, names, SparkFiles.get)
        # Standard output and error go to files: writing standard input while an unread pipe
        # fills up would deadlock.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out, stderr=err)
            rows = 0
            files = []  # (first row, source file of each row as a dictionary array) per batch
            try:
                header = True
                for batch in batches:
                    # Only the row's file is kept (as small integer codes), for a message.
                    files.append((rows, pc.dictionary_encode(batch.column(len(columns)))))
                    rows += batch.num_rows
                    process.stdin.write(csv_bytes(pa, pacsv, batch.select(columns), header))
                    header = False
                process.stdin.close()
            except BrokenPipeError:
                pass  # cof stopped reading (a bad row): its exit status and message say why
            status = process.wait()
            if status != 0:
                err.seek(0)
                message = err.read().decode("utf-8", "replace").strip()
                raise RuntimeError(f"cof partial exited with status {status} on partition {partition} "
                                   f"(given {rows} rows): {message}{source_hint(message, files)}")
            out.seek(0)
            partial = out.read()
        chunks = max(1, -(-len(partial) // CHUNK_BYTES))
        for chunk in range(chunks):
            data = partial[chunk * CHUNK_BYTES:(chunk + 1) * CHUNK_BYTES]
            yield pa.RecordBatch.from_arrays(
                [pa.array([partition], pa.int32()), pa.array([chunk], pa.int32()),
                 pa.array([chunks], pa.int32()), pa.array([data], pa.binary())],
                names=["partition", "chunk", "chunks", "data"])

    return run_partial


def csv_bytes(pa, pacsv, batch, header):
    """The batch as CSV. pyarrow's default ("needed") quotes every string; unquoted is smaller
    and quicker for cof to parse, and pyarrow refuses it for a value holding a quote, comma or
    line break, so such a batch is written quoted instead (RFC 4180 either way)."""
    for quoting in ("none", "needed"):
        sink = pa.BufferOutputStream()
        try:
            pacsv.write_csv(batch, sink, write_options=pacsv.WriteOptions(include_header=header, quoting_style=quoting))
        except pa.ArrowInvalid:
            continue
        return sink.getvalue().to_pybytes()
    raise RuntimeError("a batch could not be written as CSV")


def source_hint(message, files):
    """For a message naming a record of standard input: the event file that row came from
    (Spark does not know its line there; cof validate on that file does)."""
    match = re.search(r"<stdin>:\d+: record (\d+)", message)
    if not match or not files:
        return ""
    row = int(match.group(1)) - 2  # record 1 is the header cof partial was given
    for first, sources in reversed(files):
        if first <= row:
            index = row - first
            if index < len(sources):
                return f" [that row came from {sources[index].as_py()}; cof validate on it gives the line]"
            break
    return ""


_EXECUTABLES = {}


def executable(path):
    """`path`, or a copy of it with its execute bit set when the fetched file lost it."""
    if os.access(path, os.X_OK):
        return path
    if path not in _EXECUTABLES:
        folder = tempfile.mkdtemp(prefix="cof-")
        copy = os.path.join(folder, os.path.basename(path))
        shutil.copyfile(path, copy)
        os.chmod(copy, 0o755)
        _EXECUTABLES[path] = copy
    return _EXECUTABLES[path]


def read_events(spark, args):
    """The event files as string columns, checked strictly: a malformed row stops the read
    rather than being dropped or padded with nulls."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(name, StringType(), True) for name in args.columns])
    reader = (spark.read.schema(schema)
              .option("header", True)
              .option("enforceSchema", False)       # each file's header must name these columns, in order
              .option("mode", "FAILFAST")           # never drop or pad a malformed row
              .option("quote", '"').option("escape", '"')  # RFC 4180: a quote inside quotes is doubled
              .option("unescapedQuoteHandling", "RAISE_ERROR")
              .option("multiLine", not args.no_multiline))  # quoted fields may hold line breaks
    frame = reader.csv(args.events)
    columns = [c for c in EVENT_COLUMNS if c in args.columns]
    return frame.select(*columns, F.col("_metadata.file_path").alias("_source_file")), columns


def merge_arguments(args, files):
    """cof merge's arguments: cof compare's table (--by), or cof export's (--table) with the tables
    the partials were made with (the driver's own copies: the same bytes, so the same SHA-256)."""
    argv = [args.cof, "merge", "--format", args.format, "--output", args.output]
    if args.table:
        local = {stem: path for stem, path in [("interventions", args.interventions), ("unit-costs", args.unit_costs),
                                               ("services", args.services), ("deflator", args.deflator)] if path}
        argv += ["--table", args.table] + drop_option(partial_arguments(args, local, lambda path: path)[1:], "--on-error")
        # cof merge ranks what the partials carry, and makes the comparison group from their candidates.
        argv = [a for a in argv if a not in ("--top-users", "--comparison-candidates")]
        if args.comparison:
            argv += ["--comparison", args.comparison]
        elif args.match_comparison:
            argv += ["--match-comparison"]
        if args.top is not None:
            argv += ["--top", str(args.top)]
    else:
        argv += ["--by", args.by]
    return argv + files


def drop_option(argv, option):
    """`argv` without `option` and its value."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == option:
            skip = True
        else:
            out.append(a)
    return out


def run(args):
    started = time.monotonic()
    spark = spark_session(args)
    try:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "65536")
    except Exception:  # noqa: BLE001 - a managed session may not allow it; batches are smaller then
        pass
    session_ready = time.monotonic()
    staging = tempfile.mkdtemp(prefix="cof-spark-")
    partials_dir = args.partials_dir or tempfile.mkdtemp(prefix="cof-partials-")
    try:
        names = ship(spark, staging, {"cof": args.cof, "interventions": args.interventions,
                                      "unit-costs": args.unit_costs, "services": args.services,
                                      "deflator": args.deflator})
        events, columns = read_events(spark, args)
        partitions = args.partitions or default_partitions(spark)
        from pyspark.sql import functions as F
        # Partition on the ID as cof reads it (spaces and tabs around it are not part of it), so
        # that " P1" and "P1" meet in one partition as they are one person to cof.
        person = F.regexp_replace(F.col("person_id"), r"^[ \t]+|[ \t]+$", "")
        partials = (events.repartition(partitions, person)
                    .mapInArrow(partition_function(args, names, columns),
                                "partition INT, chunk INT, chunks INT, data BINARY"))
        try:
            table = partials.toArrow()
        except Exception as error:  # noqa: BLE001 - Spark wraps the executor's exception
            message, status = failure(str(error))
            print("cof_spark: " + message, file=sys.stderr)
            return status
        computed = time.monotonic()

        os.makedirs(partials_dir, exist_ok=True)
        files = write_partials(table, partials_dir, partitions)
        merge = subprocess.run(merge_arguments(args, files))
        finished = time.monotonic()
        print(f"cof_spark: {len(files)} partitions; session {session_ready - started:.1f} s, "
              f"read + shuffle + cof partial {computed - session_ready:.1f} s, cof merge {finished - computed:.1f} s",
              file=sys.stderr)
        return merge.returncode
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not args.partials_dir:
            shutil.rmtree(partials_dir, ignore_errors=True)


def failure(text):
    """What to say about a failed job, and the exit status: cof's message and status when a
    partial failed; for Spark's own complaints about the files, a message that does not quote
    the row (Spark's does: its log above may show personal data); else the error's first line."""
    match = re.search(r"cof partial exited with status (\d+) on partition \d+ \(given \d+ rows\): [^\n]*", text)
    if match:
        return match.group(0), int(match.group(1))
    if "MALFORMED_CSV_RECORD" in text or "MALFORMED_RECORD_IN_PARSING" in text:
        return ("Spark found a malformed row in the event files (a wrong number of fields, or a quote out of place) "
                "and stopped; `cof validate --events FILE` names its file, line and problem"), 65
    if "header does not conform to the schema" in text.lower() or "CSV_HEADER" in text:
        return "an event file's header does not name the columns given by --columns, in that order", 65
    return text.strip().splitlines()[0] if text.strip() else "the Spark job failed", 1


def default_partitions(spark):
    """Twice the default parallelism, where the session says it (Spark Connect does not: 8)."""
    try:
        return max(2, 2 * spark.sparkContext.defaultParallelism)
    except Exception:  # noqa: BLE001 - no SparkContext under Spark Connect
        return 8


def write_partials(table, folder, partitions):
    """Writes each partition's partial to its own file, its chunks in order; returns the paths.
    The bytes are cof's own (the format is cof's business): a partial put together wrongly fails
    its checksum in cof merge."""
    chunks = {}
    for partition, chunk, count, data in zip(*(table.column(name).to_pylist()
                                               for name in ("partition", "chunk", "chunks", "data"))):
        chunks.setdefault(partition, {"count": count, "parts": {}})["parts"][chunk] = data
    paths = []
    for partition in sorted(chunks):
        entry = chunks[partition]
        if sorted(entry["parts"]) != list(range(entry["count"])):
            raise RuntimeError(f"partition {partition}: chunks {sorted(entry['parts'])} of {entry['count']} came back")
        path = os.path.join(folder, f"part-{partition:05d}.partial")
        with open(path, "wb") as f:
            for chunk in range(entry["count"]):
                f.write(entry["parts"][chunk])
        paths.append(path)
    if len(paths) != partitions:
        raise RuntimeError(f"{len(paths)} partials came back for {partitions} partitions")
    return paths


if __name__ == "__main__":
    sys.exit(run(parse_args(sys.argv[1:])))
