"""The finance pack's cohort, by-service and financial-years tables written for DuckDB (SQL) and
Polars (lazy queries over frames read once), and a checker against cof's own CSVs.

Each engine reads the four CSVs once (events, interventions, unit costs, services; the events
straight into the cohort's priced events, joined as they are read: about a tenth faster for both
peers than loading the raw events first, at 1M rows), then runs the three queries and writes `cohort.csv`, `by-service.csv` and `financial-years.csv` into a folder:
money as whole pence, rates (person-years, per cents, the top tenth's share) as doubles, so that
the checker compares exact figures (cof's CSV is written with `--disclosure none`, money to two
places, rates rounded half away from zero to the places cof shows; the checker rounds the peers'
doubles by the same rule).

Semantics, as cof computes them (DESIGN.md; CohortSummary.swift, PricedCells.swift,
FinancialYearConsumption*.swift, Annualised.swift):
- cohort: every person in the interventions file; index date = earliest start; before =
  [index - B, index), after = [index, index + A), both cut at the observation end (inclusive);
  month spans clamp to the month's end; exposure = the window's days (at least 0).
- an event's pence: explicit cost, else (service, event) unit cost × quantity, else (service, *)
  × quantity, else unpriced (no price-base uplift: the run gives no --price-base).
- a (person, service) cell = that person's events of the service in the windows. Its money counts
  only when it has no unpriced event in either window (PricedCells); otherwise its events are
  `left_out_events` and its person `left_out_people`. Services of category `Intervention` keep
  their priced cost whole and are out of the cohort's total.
- per person-year = pence × 365 / days, rounded half away from zero (Annualised.pence): the
  cohort's and each service's over the whole cohort's days; each person's change over their own.
- mean of changes and the even median: the sum (or the middle two) divided, rounded half away from
  zero; the 90th percentile is nearest rank (the ⌈0.9 n⌉-th smallest); the top tenth's share is
  the costliest ⌈n / 10⌉ members' before cost over everyone's (members without events count as 0).
- financial years: every event of a cohort member, whatever its date, by UK financial year
  (April–March) and the service's agency from the services file ("Unknown" without one); the
  value type is `unstated` (the generator's unit costs name no agency or value type); the
  intervention's own services are not consumption.

Left out (the generated data has none of them): time at risk (a services file marking custody or
death), spells, unit costs naming an agency or value type, and the intervention-by-year table.
"""
import csv
import datetime as dt
import math
import os

TABLES = ("cohort", "by-service", "financial-years")

# Per table: (key columns, money columns, {rate column: decimals}); other columns are integers.
SHAPES = {
    "cohort": ((), {"before_cost", "after_cost", "before_cost_per_person_year", "after_cost_per_person_year",
                    "change_per_person_year", "mean_change_per_person_year", "median_change_per_person_year",
                    "p90_change_per_person_year"},
               {"person_years_before": 2, "person_years_after": 2, "change_pct": 1, "top_10pct_share_of_before_cost_pct": 1}),
    "by-service": (("service", "category", "agency"),
                   {"before_cost", "after_cost", "before_cost_per_person_year", "after_cost_per_person_year", "change_per_person_year"},
                   {"change_pct": 1}),
    "financial-years": (("financial_year", "agency", "value_type"), {"cost"}, {}),
}

COLUMNS = {
    "cohort": ["people", "person_years_before", "person_years_after", "before_cost", "after_cost",
               "before_cost_per_person_year", "after_cost_per_person_year", "change_per_person_year", "change_pct",
               "people_observed_before_and_after", "mean_change_per_person_year", "median_change_per_person_year",
               "p90_change_per_person_year", "people_whose_cost_went_up", "top_10pct_share_of_before_cost_pct",
               "before_unpriced", "after_unpriced", "left_out_events", "left_out_people"],
    "by-service": ["service", "category", "agency", "people", "before_events", "after_events", "before_cost", "after_cost",
                   "before_cost_per_person_year", "after_cost_per_person_year", "change_per_person_year", "change_pct",
                   "before_unpriced", "after_unpriced", "left_out_events", "left_out_people"],
    "financial-years": ["financial_year", "agency", "value_type", "events", "cost", "unpriced", "people"],
}


# ---------------------------------------------------------------------------------------------
# DuckDB

def duckdb_pack(folder, before_months, after_months, observation_end, output, threads=2):
    import duckdb

    def per_year(pence, days):
        # Annualised.pence: pence × 365 / days, half away from zero, in integers; none without days.
        n = f"CAST({pence} AS HUGEINT)"
        return f"CASE WHEN {days} > 0 THEN CAST(sign({n}) * ((2 * abs({n}) * 365 + {days}) // (2 * {days})) AS BIGINT) END"

    def rounded_quotient(numerator, denominator):
        n = f"CAST({numerator} AS HUGEINT)"
        return f"CAST(sign({n}) * ((2 * abs({n}) + {denominator}) // (2 * {denominator})) AS BIGINT)"

    def percent(before, after):
        return (f"CASE WHEN {before} IS NOT NULL AND {after} IS NOT NULL AND {before} <> 0 THEN "
                f"CAST({after} - {before} AS DOUBLE) / CAST({before} AS DOUBLE) * 100 END")

    os.makedirs(output, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    end = f"CAST(DATE '{observation_end}' + INTERVAL 1 DAY AS DATE)"
    # The small CSVs, read once (the events are read once below, into the cohort's priced events).
    con.execute(f"""
    CREATE TABLE iv AS SELECT * FROM read_csv('{folder}/interventions.csv', header = true, auto_detect = false,
      columns = {{'person_id': 'VARCHAR', 'start_date': 'DATE', 'end_date': 'DATE', 'programme': 'VARCHAR',
                  'cost': 'DECIMAL(18,2)'}});
    CREATE TABLE uc AS SELECT * FROM read_csv('{folder}/unit-costs.csv', header = true, auto_detect = false,
      columns = {{'service': 'VARCHAR', 'event': 'VARCHAR', 'unit_cost': 'DECIMAL(18,2)', 'price_year': 'VARCHAR',
                  'source': 'VARCHAR'}});
    CREATE TABLE sv AS SELECT * FROM read_csv('{folder}/services.csv', header = true, auto_detect = false,
      columns = {{'service': 'VARCHAR', 'category': 'VARCHAR', 'agency': 'VARCHAR'}});
    """)
    # The cohort, its windows and its priced events (every date), used by all three tables.
    con.execute(f"""
    CREATE TEMP TABLE members AS
      WITH b AS (
        SELECT person_id, min(start_date) AS idx FROM iv GROUP BY person_id),
      w AS (
        SELECT person_id, idx, CAST(idx - INTERVAL {before_months} MONTH AS DATE) AS b0, least(idx, {end}) AS b1,
          least(CAST(idx + INTERVAL {after_months} MONTH AS DATE), {end}) AS a1 FROM b)
      SELECT *, greatest(date_diff('day', b0, b1), 0) AS before_days, greatest(date_diff('day', idx, a1), 0) AS after_days
      FROM w;
    CREATE TEMP TABLE priced AS
      SELECT ev.person_id, ev.service, ev.date,
        CASE WHEN ev.cost IS NOT NULL THEN CAST(ev.cost * 100 AS BIGINT)
             WHEN u.unit_cost IS NOT NULL THEN CAST(u.unit_cost * 100 AS BIGINT) * coalesce(ev.quantity, 1)
             WHEN w.unit_cost IS NOT NULL THEN CAST(w.unit_cost * 100 AS BIGINT) * coalesce(ev.quantity, 1) END AS pence,
        CASE WHEN ev.date >= m.idx AND ev.date < m.a1 THEN 1 WHEN ev.date >= m.b0 AND ev.date < m.b1 THEN 0 END AS period
      FROM read_csv('{folder}/events.csv', header = true, auto_detect = false,
        columns = {{'person_id': 'VARCHAR', 'service': 'VARCHAR', 'event': 'VARCHAR', 'date': 'DATE',
                    'quantity': 'BIGINT', 'cost': 'DECIMAL(18,2)'}}) ev JOIN members m USING (person_id)
      LEFT JOIN uc u ON u.service = ev.service AND u.event = ev.event
      LEFT JOIN uc w ON w.service = ev.service AND w.event = '*';
    CREATE TEMP TABLE cells AS
      WITH c AS (
        SELECT person_id, service,
          count(*) FILTER (WHERE period = 0) AS be, count(*) FILTER (WHERE period = 1) AS ae,
          coalesce(sum(pence) FILTER (WHERE period = 0), 0) AS bc, coalesce(sum(pence) FILTER (WHERE period = 1), 0) AS ac,
          count(*) FILTER (WHERE period = 0 AND pence IS NULL) AS bu, count(*) FILTER (WHERE period = 1 AND pence IS NULL) AS au
        FROM priced WHERE period IS NOT NULL GROUP BY person_id, service)
      SELECT c.*, coalesce(sv.category, 'Uncategorised') AS category, coalesce(sv.agency, 'Unknown') AS agency,
        coalesce(sv.category = 'Intervention', false) AS own,
        coalesce(sv.category = 'Intervention', false) OR (bu = 0 AND au = 0) AS kept
      FROM c LEFT JOIN sv USING (service);
    """)
    days = con.execute("SELECT count(*), sum(before_days), sum(after_days) FROM members").fetchone()
    people, before_days, after_days = days[0], days[1] or 0, days[2] or 0
    con.execute(f"""
    COPY (
      SELECT service, category, agency, count(*) AS people, sum(be) AS before_events, sum(ae) AS after_events,
        sum(CASE WHEN kept THEN bc ELSE 0 END) AS before_cost, sum(CASE WHEN kept THEN ac ELSE 0 END) AS after_cost,
        {per_year('before_cost', before_days)} AS before_cost_per_person_year,
        {per_year('after_cost', after_days)} AS after_cost_per_person_year,
        after_cost_per_person_year - before_cost_per_person_year AS change_per_person_year,
        {percent('before_cost_per_person_year', 'after_cost_per_person_year')} AS change_pct,
        sum(bu) AS before_unpriced, sum(au) AS after_unpriced,
        sum(CASE WHEN kept THEN 0 ELSE be + ae END) AS left_out_events, count(*) FILTER (WHERE NOT kept) AS left_out_people
      FROM cells GROUP BY service, category, agency ORDER BY service COLLATE "binary"
    ) TO '{output}/by-service.csv' (HEADER, DELIMITER ',')""")
    con.execute(f"""
    COPY (
      WITH person AS (
        SELECT person_id, sum(CASE WHEN kept THEN bc ELSE 0 END) AS pb, sum(CASE WHEN kept THEN ac ELSE 0 END) AS pa,
          sum(bu) AS pbu, sum(au) AS pau, sum(CASE WHEN kept THEN 0 ELSE be + ae END) AS plo
        FROM cells WHERE NOT own GROUP BY person_id),
      everyone AS (
        SELECT m.person_id, m.before_days, m.after_days, coalesce(p.pb, 0) AS pb, coalesce(p.pa, 0) AS pa,
          coalesce(p.pbu, 0) AS pbu, coalesce(p.pau, 0) AS pau, coalesce(p.plo, 0) AS plo
        FROM members m LEFT JOIN person p USING (person_id)),
      changes AS (
        SELECT CAST({per_year('pa', 'after_days')} AS HUGEINT) - {per_year('pb', 'before_days')} AS change
        FROM everyone WHERE before_days > 0 AND after_days > 0),
      ranked AS (
        SELECT change, row_number() OVER (ORDER BY change) AS r, count(*) OVER () AS n FROM changes),
      spread AS (
        SELECT count(*) AS observed, sum(change) AS total, count(*) FILTER (WHERE change > 0) AS up,
          any_value(change) FILTER (WHERE r = (n + 1) // 2) AS lower_middle,
          any_value(change) FILTER (WHERE r = n // 2 + 1) AS upper_middle,
          any_value(change) FILTER (WHERE r = (n * 9 + 9) // 10) AS p90
        FROM ranked),
      top AS (
        SELECT sum(pb) FILTER (WHERE r <= (n + 9) // 10) AS top_before, sum(pb) AS all_before
        FROM (SELECT pb, row_number() OVER (ORDER BY pb DESC) AS r, count(*) OVER () AS n FROM everyone)),
      totals AS (
        SELECT sum(pb) AS before_cost, sum(pa) AS after_cost, sum(pbu) AS before_unpriced, sum(pau) AS after_unpriced,
          sum(plo) AS left_out_events, count(*) FILTER (WHERE plo > 0) AS left_out_people FROM everyone),
      rates AS (
        SELECT *, {per_year('before_cost', before_days)} AS before_cost_per_person_year,
          {per_year('after_cost', after_days)} AS after_cost_per_person_year FROM totals, spread, top)
      SELECT {people} AS people, CAST({before_days} AS DOUBLE) / 365 AS person_years_before,
        CAST({after_days} AS DOUBLE) / 365 AS person_years_after, before_cost, after_cost,
        before_cost_per_person_year, after_cost_per_person_year,
        after_cost_per_person_year - before_cost_per_person_year AS change_per_person_year,
        {percent('before_cost_per_person_year', 'after_cost_per_person_year')} AS change_pct,
        observed AS people_observed_before_and_after,
        CASE WHEN observed > 0 THEN {rounded_quotient('total', 'observed')} END AS mean_change_per_person_year,
        CASE WHEN observed % 2 = 1 THEN CAST(lower_middle AS BIGINT)
             WHEN observed > 0 THEN {rounded_quotient('lower_middle + upper_middle', 2)} END AS median_change_per_person_year,
        CAST(p90 AS BIGINT) AS p90_change_per_person_year, up AS people_whose_cost_went_up,
        CASE WHEN all_before > 0 THEN CAST(top_before AS DOUBLE) / CAST(all_before AS DOUBLE) * 100 END
          AS top_10pct_share_of_before_cost_pct,
        before_unpriced, after_unpriced, left_out_events, left_out_people
      FROM rates
    ) TO '{output}/cohort.csv' (HEADER, DELIMITER ',')""")
    con.execute(f"""
    COPY (
      WITH y AS (
        SELECT p.person_id, coalesce(sv.agency, 'Unknown') AS agency, p.pence,
          CASE WHEN month(p.date) >= 4 THEN year(p.date) ELSE year(p.date) - 1 END AS fy
        FROM priced p LEFT JOIN sv USING (service) WHERE sv.category IS DISTINCT FROM 'Intervention')
      SELECT CAST(fy AS VARCHAR) || '-' || lpad(CAST((fy + 1) % 100 AS VARCHAR), 2, '0') AS financial_year, agency,
        'unstated' AS value_type, count(*) AS events, coalesce(sum(pence), 0) AS cost,
        count(*) FILTER (WHERE pence IS NULL) AS unpriced, count(DISTINCT person_id) AS people
      FROM y GROUP BY fy, agency ORDER BY fy, agency COLLATE "binary"
    ) TO '{output}/financial-years.csv' (HEADER, DELIMITER ',')""")


# ---------------------------------------------------------------------------------------------
# Polars

def polars_pack(folder, before_months, after_months, observation_end, output, threads=2):
    os.environ.setdefault("POLARS_MAX_THREADS", str(threads))
    import polars as pl

    os.makedirs(output, exist_ok=True)
    end = dt.date.fromisoformat(observation_end) + dt.timedelta(days=1)
    # The CSVs, read once (the events lazily, collected once into the cohort's priced events).
    ev = pl.scan_csv(f"{folder}/events.csv", schema={
        "person_id": pl.Utf8, "service": pl.Utf8, "event": pl.Utf8, "date": pl.Date, "quantity": pl.Int64,
        "cost": pl.Decimal(18, 2)})
    iv = pl.read_csv(f"{folder}/interventions.csv", schema={
        "person_id": pl.Utf8, "start_date": pl.Date, "end_date": pl.Date, "programme": pl.Utf8, "cost": pl.Decimal(18, 2)})
    uc = pl.read_csv(f"{folder}/unit-costs.csv", schema={
        "service": pl.Utf8, "event": pl.Utf8, "unit_cost": pl.Decimal(18, 2), "price_year": pl.Utf8, "source": pl.Utf8})
    sv = pl.read_csv(f"{folder}/services.csv", schema={"service": pl.Utf8, "category": pl.Utf8, "agency": pl.Utf8})

    unit = uc.lazy().select("service", "event", (pl.col("unit_cost") * 100).cast(pl.Int64).alias("unit"))
    wildcard = unit.filter(pl.col("event") == "*").select("service", pl.col("unit").alias("wunit"))
    members = (iv.lazy().group_by("person_id").agg(pl.col("start_date").min().alias("idx"))
               .with_columns(pl.col("idx").dt.offset_by(f"-{before_months}mo").alias("b0"),
                             pl.min_horizontal(pl.col("idx"), pl.lit(end)).alias("b1"),
                             pl.min_horizontal(pl.col("idx").dt.offset_by(f"{after_months}mo"), pl.lit(end)).alias("a1"))
               .with_columns((pl.col("b1") - pl.col("b0")).dt.total_days().clip(lower_bound=0).alias("before_days"),
                             (pl.col("a1") - pl.col("idx")).dt.total_days().clip(lower_bound=0).alias("after_days"))
               .collect())
    services = sv.lazy().select("service", "category", "agency")
    q = pl.col("quantity").fill_null(1)
    priced = (ev.join(members.lazy(), on="person_id", how="inner")
              .join(unit, on=["service", "event"], how="left")
              .join(wildcard, on="service", how="left")
              .select("person_id", "service", "date",
                      pl.when(pl.col("cost").is_not_null()).then((pl.col("cost") * 100).cast(pl.Int64))
                        .when(pl.col("unit").is_not_null()).then(pl.col("unit") * q)
                        .when(pl.col("wunit").is_not_null()).then(pl.col("wunit") * q).alias("pence"),
                      pl.when((pl.col("date") >= pl.col("idx")) & (pl.col("date") < pl.col("a1"))).then(1)
                        .when((pl.col("date") >= pl.col("b0")) & (pl.col("date") < pl.col("b1"))).then(0)
                        .alias("period"))
              .collect())
    b, a, unpriced = pl.col("period") == 0, pl.col("period") == 1, pl.col("pence").is_null()
    own = (pl.col("category") == "Intervention").fill_null(False)
    cells = (priced.lazy().filter(pl.col("period").is_not_null()).group_by("person_id", "service").agg(
                b.sum().alias("be"), a.sum().alias("ae"),
                pl.col("pence").filter(b).sum().alias("bc"), pl.col("pence").filter(a).sum().alias("ac"),
                (b & unpriced).sum().alias("bu"), (a & unpriced).sum().alias("au"))
             .join(services, on="service", how="left")
             .with_columns(pl.col("category").fill_null("Uncategorised"), pl.col("agency").fill_null("Unknown"))
             .with_columns(own.alias("own"))
             .with_columns((pl.col("own") | ((pl.col("bu") == 0) & (pl.col("au") == 0))).alias("kept"))
             .with_columns(pl.when(pl.col("kept")).then(pl.col("bc")).otherwise(0).alias("kbc"),
                           pl.when(pl.col("kept")).then(pl.col("ac")).otherwise(0).alias("kac"),
                           pl.when(pl.col("kept")).then(0).otherwise(pl.col("be") + pl.col("ae")).alias("lo"))
             .collect())
    people = members.height
    before_days, after_days = int(members["before_days"].sum() or 0), int(members["after_days"].sum() or 0)

    def per_year(pence, days):
        # Annualised.pence in integers (Int128: pence × 730 may pass 2^63 only for sums beyond any budget).
        n = pence.cast(pl.Int128)
        value = n.sign() * ((2 * n.abs() * 365 + days) // (2 * days))
        return pl.when(pl.lit(days) > 0 if isinstance(days, int) else days > 0).then(value.cast(pl.Int64))

    def percent(before, after):
        return (pl.when(before.is_not_null() & after.is_not_null() & (before != 0))
                .then((after - before).cast(pl.Float64) / before.cast(pl.Float64) * 100.0))

    by_service = (cells.lazy().group_by("service", "category", "agency").agg(
                      pl.len().alias("people"), pl.col("be").sum().alias("before_events"),
                      pl.col("ae").sum().alias("after_events"), pl.col("kbc").sum().alias("before_cost"),
                      pl.col("kac").sum().alias("after_cost"), pl.col("bu").sum().alias("before_unpriced"),
                      pl.col("au").sum().alias("after_unpriced"), pl.col("lo").sum().alias("left_out_events"),
                      (~pl.col("kept")).sum().alias("left_out_people"))
                  .with_columns(per_year(pl.col("before_cost"), before_days).alias("before_cost_per_person_year"),
                                per_year(pl.col("after_cost"), after_days).alias("after_cost_per_person_year"))
                  .with_columns((pl.col("after_cost_per_person_year") - pl.col("before_cost_per_person_year")).alias("change_per_person_year"),
                                percent(pl.col("before_cost_per_person_year"), pl.col("after_cost_per_person_year")).alias("change_pct"))
                  .select(COLUMNS["by-service"]).sort("service"))

    everyone = (members.lazy().select("person_id", "before_days", "after_days")
                .join(cells.lazy().filter(~pl.col("own")).group_by("person_id").agg(
                          pl.col("kbc").sum().alias("pb"), pl.col("kac").sum().alias("pa"), pl.col("bu").sum().alias("pbu"),
                          pl.col("au").sum().alias("pau"), pl.col("lo").sum().alias("plo")),
                      on="person_id", how="left")
                .with_columns(pl.col("pb", "pa", "pbu", "pau", "plo").fill_null(0)))
    changes = (everyone.filter((pl.col("before_days") > 0) & (pl.col("after_days") > 0))
               .select((per_year(pl.col("pa"), pl.col("after_days")).cast(pl.Int128)
                        - per_year(pl.col("pb"), pl.col("before_days"))).alias("change"))
               .sort("change"))
    totals = everyone.select(pl.col("pb").sum().alias("before_cost"), pl.col("pa").sum().alias("after_cost"),
                             pl.col("pbu").sum().alias("before_unpriced"), pl.col("pau").sum().alias("after_unpriced"),
                             pl.col("plo").sum().alias("left_out_events"), (pl.col("plo") > 0).sum().alias("left_out_people"),
                             pl.col("pb").sort(descending=True).head((people + 9) // 10).sum().alias("top_before"))
    fy = (pl.when(pl.col("date").dt.month() >= 4).then(pl.col("date").dt.year()).otherwise(pl.col("date").dt.year() - 1))
    years = (priced.lazy().join(services, on="service", how="left")
             .filter(pl.col("category").is_null() | (pl.col("category") != "Intervention"))
             .with_columns(fy.alias("fy"), pl.col("agency").fill_null("Unknown"))
             .group_by("fy", "agency").agg(pl.len().alias("events"), pl.col("pence").sum().alias("cost"),
                                           pl.col("pence").is_null().sum().alias("unpriced"),
                                           pl.col("person_id").n_unique().alias("people"))
             .sort("fy", "agency")
             .select((pl.col("fy").cast(pl.Utf8) + "-" + ((pl.col("fy") + 1) % 100).cast(pl.Utf8).str.zfill(2)).alias("financial_year"),
                     "agency", pl.lit("unstated").alias("value_type"), "events", "cost", "unpriced", "people"))
    by_service, changes, totals, years = pl.collect_all([by_service, changes, totals, years])
    by_service.write_csv(f"{output}/by-service.csv")
    years.write_csv(f"{output}/financial-years.csv")

    # The cohort's one row, from the sorted changes and the totals.
    def rounded_quotient(numerator, denominator):
        magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
        return -magnitude if numerator < 0 else magnitude

    def year_rate(pence, days):
        return rounded_quotient(pence * 365, days) if days > 0 else None

    t = totals.row(0, named=True)
    values = changes["change"].to_list()
    n = len(values)
    before_rate, after_rate = year_rate(t["before_cost"], before_days), year_rate(t["after_cost"], after_days)
    known = before_rate is not None and after_rate is not None
    row = {
        "people": people, "person_years_before": before_days / 365, "person_years_after": after_days / 365,
        "before_cost": t["before_cost"], "after_cost": t["after_cost"],
        "before_cost_per_person_year": before_rate, "after_cost_per_person_year": after_rate,
        "change_per_person_year": after_rate - before_rate if known else None,
        "change_pct": (after_rate - before_rate) / before_rate * 100 if known and before_rate != 0 else None,
        "people_observed_before_and_after": n,
        "mean_change_per_person_year": rounded_quotient(sum(values), n) if n else None,
        "median_change_per_person_year": (values[n // 2] if n % 2 else rounded_quotient(values[n // 2 - 1] + values[n // 2], 2)) if n else None,
        "p90_change_per_person_year": values[(n * 9 + 9) // 10 - 1] if n else None,
        "people_whose_cost_went_up": sum(1 for v in values if v > 0),
        "top_10pct_share_of_before_cost_pct": t["top_before"] / t["before_cost"] * 100 if t["before_cost"] > 0 else None,
        "before_unpriced": t["before_unpriced"], "after_unpriced": t["after_unpriced"],
        "left_out_events": t["left_out_events"], "left_out_people": t["left_out_people"],
    }
    with open(f"{output}/cohort.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS["cohort"])
        writer.writerow(["" if row[c] is None else repr(row[c]) if isinstance(row[c], float) else row[c] for c in COLUMNS["cohort"]])


# ---------------------------------------------------------------------------------------------
# The checker

def _rounded(value, decimals):
    """A double as cof writes it (MoneyFormat.decimal): |v| × 10^d rounded half away from zero."""
    scaled = abs(value) * float(10 ** decimals)
    units = math.floor(scaled)
    if scaled - units >= 0.5:
        units += 1
    units = int(units)
    text = str(units).rjust(decimals + 1, "0")
    text = text[:-decimals] + "." + text[-decimals:] if decimals else text
    return ("-" if value < 0 and units > 0 else "") + text


def _pence(cell):
    whole, _, fraction = cell.partition(".")
    if len(fraction) != 2:
        raise ValueError(f"money {cell!r} is not written to two places")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(fraction))


def read_table(path, table, from_cof):
    """The rows of one table as tuples of exact figures: money in pence, rates as cof's text,
    counts as integers, empty cells as None. `from_cof`: cof's CSV (money to two places, rates
    already rounded); else a peer's (money in pence, rates as doubles)."""
    _, money, rates = SHAPES[table]
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != COLUMNS[table]:
            raise SystemExit(f"{path}: header {header} is not cof's {table} table's {COLUMNS[table]}")
        for record in reader:
            values = []
            for name, cell in zip(header, record):
                if cell == "":
                    values.append(None)
                elif name in rates:
                    values.append(cell if from_cof else _rounded(float(cell), rates[name]))
                elif name in money:
                    values.append(_pence(cell) if from_cof else int(cell))
                elif name in ("service", "category", "agency", "financial_year", "value_type"):
                    values.append(cell)
                else:
                    values.append(int(cell))
            rows.append(tuple(values))
    return rows


def differences(cof_folder, peer_folder):
    """Per table, a description of the first difference between cof's and the peer's, or None."""
    found = {}
    for table in TABLES:
        expected = read_table(f"{cof_folder}/{table}.csv", table, from_cof=True)
        got = read_table(f"{peer_folder}/{table}.csv", table, from_cof=False)
        found[table] = None
        if len(expected) != len(got):
            found[table] = f"{len(got)} rows, cof {len(expected)}"
            continue
        for number, (e, g) in enumerate(zip(expected, got)):
            if e != g:
                columns = [c for c, x, y in zip(COLUMNS[table], e, g) if x != y]
                found[table] = f"row {number + 1}: {', '.join(columns)} differ"
                break
    return found


if __name__ == "__main__":
    # python pack.py duckdb|polars FOLDER BEFORE_MONTHS AFTER_MONTHS OBSERVATION_END OUTPUT_FOLDER [THREADS]
    # python pack.py check COF_FOLDER PEER_FOLDER
    import sys
    if sys.argv[1] == "check":
        result = differences(sys.argv[2], sys.argv[3])
        for table, difference in result.items():
            print(f"{table}: {difference or 'identical'}")
        sys.exit(1 if any(result.values()) else 0)
    engine, folder, before, after, end, output = sys.argv[1:7]
    threads = int(sys.argv[7]) if len(sys.argv) > 7 else 2
    job = {"duckdb": duckdb_pack, "polars": polars_pack}[engine]
    job(folder, int(before), int(after), end, output, threads)
