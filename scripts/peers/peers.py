"""The `cof compare` job written for DuckDB (SQL) and Polars (a lazy query), and a checker.

Each function reads the engine's input files and writes a CSV with every column of
`cof compare --format csv` (money, and rates to two places, as whole hundredths here; the checker
converts), so results can be compared row for row. Semantics follow DESIGN.md: explicit cost
wins, then the (service, event) unit cost times quantity, then the (service, *) one; an event
with none of them is unpriced (counted, not in the cost); index date = earliest start;
before = [index - B, index), after = [index, index + A), both cut at the observation end
(inclusive); month spans clamp to month end. Rates are per 365 days of exposure: events per year
as a double, rounded half away from zero to two places; cost per year in whole pence, rounded
half away from zero, and empty when the window has unpriced events; the change is after less
before when both are known; every rate is empty without exposure.
"""
import csv
import datetime as dt


def duckdb_job(folder, before_months, after_months, observation_end, output, threads=2):
    import duckdb

    def events_per_year(window):
        # events × 365 / days in doubles, in the order cof computes it, then × 100 rounded half
        # away from zero (floor, plus one from a half up: exact for these magnitudes).
        y = f"(CAST({window}_events AS DOUBLE) * CAST(365 AS DOUBLE) / CAST({window}_days AS DOUBLE) * CAST(100 AS DOUBLE))"
        return (f"CASE WHEN {window}_days > 0 THEN CAST(floor({y}) AS BIGINT)"
                f" + CASE WHEN {y} - floor({y}) >= 0.5 THEN 1 ELSE 0 END END")

    def cost_per_year(window):
        # pence × 365 / days rounded half away from zero, in integers; none with unpriced events.
        n = f"CAST({window}_cost AS HUGEINT)"
        return (f"CASE WHEN {window}_days > 0 AND {window}_unpriced = 0 THEN CAST(sign({n}) * "
                f"((2 * abs({n}) * 365 + {window}_days) // (2 * {window}_days)) AS BIGINT) END")

    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    end = f"DATE '{observation_end}' + INTERVAL 1 DAY"
    con.execute(f"""
    COPY (
      WITH ev AS (
        SELECT * FROM read_csv('{folder}/events.csv', header = true, auto_detect = false,
          columns = {{'person_id': 'VARCHAR', 'service': 'VARCHAR', 'event': 'VARCHAR', 'date': 'DATE',
                      'quantity': 'BIGINT', 'cost': 'DECIMAL(18,2)'}})),
      iv AS (
        SELECT person_id, min(start_date) AS idx FROM read_csv('{folder}/interventions.csv', header = true,
          auto_detect = false, columns = {{'person_id': 'VARCHAR', 'start_date': 'DATE', 'end_date': 'DATE',
                                            'programme': 'VARCHAR', 'cost': 'DECIMAL(18,2)'}})
        GROUP BY person_id),
      uc AS (
        SELECT service, event, CAST(round(unit_cost * 100) AS BIGINT) AS unit FROM read_csv('{folder}/unit-costs.csv',
          header = true, auto_detect = false, columns = {{'service': 'VARCHAR', 'event': 'VARCHAR',
          'unit_cost': 'DECIMAL(18,2)', 'price_year': 'VARCHAR', 'source': 'VARCHAR'}})),
      bounds AS (
        SELECT person_id, idx,
          CAST(idx - INTERVAL {before_months} MONTH AS DATE) AS b0,
          least(idx, CAST({end} AS DATE)) AS b1,
          least(CAST(idx + INTERVAL {after_months} MONTH AS DATE), CAST({end} AS DATE)) AS a1
        FROM iv),
      priced AS (
        SELECT ev.person_id, ev.service, ev.date, coalesce(ev.quantity, 1) AS q,
          CASE WHEN ev.cost IS NOT NULL THEN CAST(ev.cost * 100 AS BIGINT)
               WHEN u.unit IS NOT NULL THEN u.unit * coalesce(ev.quantity, 1)
               WHEN w.unit IS NOT NULL THEN w.unit * coalesce(ev.quantity, 1) END AS pence,
          b.idx, b.b0, b.b1, b.a1
        FROM ev JOIN bounds b USING (person_id)
        LEFT JOIN uc u ON u.service = ev.service AND u.event = ev.event
        LEFT JOIN uc w ON w.service = ev.service AND w.event = '*'),
      classified AS (
        SELECT *, CASE WHEN date >= idx AND date < a1 THEN 1
                       WHEN date >= b0 AND date < b1 THEN 0 END AS period
        FROM priced),
      totals AS (
        SELECT person_id, service,
          count(*) FILTER (WHERE period = 0) AS before_events,
          coalesce(sum(q) FILTER (WHERE period = 0), 0) AS before_quantity,
          coalesce(sum(pence) FILTER (WHERE period = 0), 0) AS before_cost,
          count(*) FILTER (WHERE period = 1) AS after_events,
          coalesce(sum(q) FILTER (WHERE period = 1), 0) AS after_quantity,
          coalesce(sum(pence) FILTER (WHERE period = 1), 0) AS after_cost,
          greatest(date_diff('day', any_value(b0), any_value(b1)), 0) AS before_days,
          greatest(date_diff('day', any_value(idx), any_value(a1)), 0) AS after_days,
          count(*) FILTER (WHERE period = 0 AND pence IS NULL) AS before_unpriced,
          count(*) FILTER (WHERE period = 1 AND pence IS NULL) AS after_unpriced
        FROM classified WHERE period IS NOT NULL
        GROUP BY person_id, service),
      rates AS (
        SELECT *,
          {events_per_year('before')} AS before_events_per_year,
          {events_per_year('after')} AS after_events_per_year,
          {cost_per_year('before')} AS before_cost_per_year,
          {cost_per_year('after')} AS after_cost_per_year
        FROM totals)
      SELECT person_id, service, before_events, before_quantity, before_cost, after_events, after_quantity,
        after_cost, before_days, after_days, before_events_per_year, after_events_per_year,
        before_cost_per_year, after_cost_per_year, after_cost_per_year - before_cost_per_year AS change_cost_per_year,
        before_unpriced, after_unpriced
      FROM rates
      ORDER BY person_id COLLATE "binary", service COLLATE "binary"
    ) TO '{output}' (HEADER, DELIMITER ',')
    """)


def polars_job(folder, before_months, after_months, observation_end, output, threads=2):
    import os
    os.environ.setdefault("POLARS_MAX_THREADS", str(threads))
    import polars as pl
    end = dt.date.fromisoformat(observation_end) + dt.timedelta(days=1)
    ev = pl.scan_csv(f"{folder}/events.csv", schema={
        "person_id": pl.Utf8, "service": pl.Utf8, "event": pl.Utf8, "date": pl.Date,
        "quantity": pl.Int64, "cost": pl.Decimal(18, 2)})
    iv = (pl.scan_csv(f"{folder}/interventions.csv", schema={
        "person_id": pl.Utf8, "start_date": pl.Date, "end_date": pl.Date, "programme": pl.Utf8, "cost": pl.Decimal(18, 2)})
          .group_by("person_id").agg(pl.col("start_date").min().alias("idx")))
    uc = (pl.scan_csv(f"{folder}/unit-costs.csv", schema={
        "service": pl.Utf8, "event": pl.Utf8, "unit_cost": pl.Decimal(18, 2), "price_year": pl.Utf8, "source": pl.Utf8})
          .select("service", "event", (pl.col("unit_cost") * 100).cast(pl.Int64).alias("unit")))
    wildcard = uc.filter(pl.col("event") == "*").select("service", pl.col("unit").alias("wunit"))
    bounds = iv.with_columns(
        pl.col("idx").dt.offset_by(f"-{before_months}mo").alias("b0"),
        pl.min_horizontal(pl.col("idx"), pl.lit(end)).alias("b1"),
        pl.min_horizontal(pl.col("idx").dt.offset_by(f"{after_months}mo"), pl.lit(end)).alias("a1"))
    q = pl.col("quantity").fill_null(1)
    joined = (ev.join(bounds, on="person_id", how="inner")
              .join(uc, on=["service", "event"], how="left")
              .join(wildcard, on="service", how="left")
              .with_columns(
                  q.alias("q"),
                  pl.when(pl.col("cost").is_not_null()).then((pl.col("cost") * 100).cast(pl.Int64))
                    .when(pl.col("unit").is_not_null()).then(pl.col("unit") * q)
                    .when(pl.col("wunit").is_not_null()).then(pl.col("wunit") * q).alias("pence"),
                  pl.when((pl.col("date") >= pl.col("idx")) & (pl.col("date") < pl.col("a1"))).then(1)
                    .when((pl.col("date") >= pl.col("b0")) & (pl.col("date") < pl.col("b1"))).then(0).alias("period"))
              .filter(pl.col("period").is_not_null()))
    b, a = pl.col("period") == 0, pl.col("period") == 1
    unpriced = pl.col("pence").is_null()

    def events_per_year(window):
        # As in duckdb_job: doubles in cof's order, × 100, rounded half away from zero.
        y = pl.col(f"{window}_events").cast(pl.Float64) * 365.0 / pl.col(f"{window}_days").cast(pl.Float64) * 100.0
        units = y.floor() + (y - y.floor() >= 0.5).cast(pl.Float64)
        return pl.when(pl.col(f"{window}_days") > 0).then(units.cast(pl.Int64)).alias(f"{window}_events_per_year")

    def cost_per_year(window):
        n, d = pl.col(f"{window}_cost"), pl.col(f"{window}_days")
        value = n.sign() * ((2 * n.abs() * 365 + d) // (2 * d))
        return (pl.when((d > 0) & (pl.col(f"{window}_unpriced") == 0)).then(value)
                .alias(f"{window}_cost_per_year"))

    result = (joined.group_by("person_id", "service").agg(
        b.sum().alias("before_events"), pl.col("q").filter(b).sum().alias("before_quantity"),
        pl.col("pence").filter(b).sum().alias("before_cost"),
        a.sum().alias("after_events"), pl.col("q").filter(a).sum().alias("after_quantity"),
        pl.col("pence").filter(a).sum().alias("after_cost"),
        (pl.col("b1").first() - pl.col("b0").first()).dt.total_days().clip(lower_bound=0).alias("before_days"),
        (pl.col("a1").first() - pl.col("idx").first()).dt.total_days().clip(lower_bound=0).alias("after_days"),
        (b & unpriced).sum().alias("before_unpriced"), (a & unpriced).sum().alias("after_unpriced"))
        .with_columns(events_per_year("before"), events_per_year("after"),
                      cost_per_year("before"), cost_per_year("after"))
        .with_columns((pl.col("after_cost_per_year") - pl.col("before_cost_per_year")).alias("change_cost_per_year"))
        .select("person_id", "service", "before_events", "before_quantity", "before_cost", "after_events",
                "after_quantity", "after_cost", "before_days", "after_days", "before_events_per_year",
                "after_events_per_year", "before_cost_per_year", "after_cost_per_year", "change_cost_per_year",
                "before_unpriced", "after_unpriced")
        .sort("person_id", "service"))
    result.sink_csv(output)


COLUMNS = ["person_id", "service", "before_events", "before_quantity", "before_cost", "after_events",
           "after_quantity", "after_cost", "before_days", "after_days", "before_events_per_year",
           "after_events_per_year", "before_cost_per_year", "after_cost_per_year", "change_cost_per_year",
           "before_unpriced", "after_unpriced"]


def read_rows(path, in_hundredths):
    """Every column as ints, keyed by (person, service): money and rates in hundredths (cof
    writes them to two places, the peers as whole hundredths: `in_hundredths`), an empty cell as
    None. The header must be cof compare's."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != COLUMNS:
            raise SystemExit(f"{path}: header {header} is not cof compare's")
        for record in reader:
            values = []
            for name, cell in zip(header[2:], record[2:]):
                if not cell:
                    values.append(None)
                elif (name.endswith("_cost") or name.endswith("_per_year")) and not in_hundredths:
                    whole, _, fraction = cell.partition(".")
                    if len(fraction) != 2:
                        raise SystemExit(f"{path}: {name} {cell!r} is not written to two places")
                    sign = -1 if whole.startswith("-") else 1
                    values.append(sign * (abs(int(whole)) * 100 + int(fraction)))
                else:
                    values.append(int(cell))
            rows[(record[0], record[1])] = tuple(values)
    return rows


if __name__ == "__main__":
    # python peers.py duckdb|polars FOLDER BEFORE_MONTHS AFTER_MONTHS OBSERVATION_END OUTPUT [THREADS]
    import sys
    engine, folder, before, after, end, output = sys.argv[1:7]
    threads = int(sys.argv[7]) if len(sys.argv) > 7 else 2
    job = {"duckdb": duckdb_job, "polars": polars_job}[engine]
    job(folder, int(before), int(after), end, output, threads)
