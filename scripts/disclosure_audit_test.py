"""Self-test of the interval audit (scripts/disclosure_audit.py).

Run with `scripts/test-disclosure-audit` (or `scripts/disclosure-audit --self-test`), which uses the
audit's virtual environment. Three kinds of check:
  * the hand-made cases in Fixtures/disclosure-audit/cases/, each with its intervals worked by hand
    in Fixtures/disclosure-audit/expected.json, asserted exactly;
  * a differential test: on random small two-way tables with margins (some rounded), the solver's
    intervals equal those of a brute-force enumeration of every whole-number completion (a two-way
    table with margins is a network, so its LP bounds are whole numbers and the two must agree);
  * the command line: exit codes, the summary, the JSON summary, malformed and missing inputs, and
    the factors changing the verdict.
"""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import json
import math
import random
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import disclosure_audit as da

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURES = REPOSITORY / "Fixtures" / "disclosure-audit"
CASES = FIXTURES / "cases"


def _expected() -> dict[str, Any]:
    with (FIXTURES / "expected.json").open(encoding="utf-8") as f:
        expected: dict[str, Any] = json.load(f)
    return expected


def _interval(low: float, high: float) -> list[float | None]:
    """An interval as expected.json writes it: infinities as null."""
    return [None if math.isinf(low) else low, None if math.isinf(high) else high]


def _run_main(*arguments: str) -> tuple[int, str, str]:
    """Runs the command line in-process; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = da.main(list(arguments))
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


class HandWorkedCases(unittest.TestCase):
    """Each fixture's verdict and every checked cell's interval, as worked by hand."""

    def test_every_case_has_an_expectation(self) -> None:
        self.assertEqual(sorted(p.name for p in CASES.glob("*.json")), sorted(_expected()))

    def test_intervals_and_verdicts(self) -> None:
        for name, expected in _expected().items():
            with self.subTest(case=name):
                result = da.audit_path(CASES / name, da.Factors())
                self.assertIsNone(result.malformed)
                if expected["outcome"] == "inconsistent":
                    self.assertEqual(result.verdicts, [])
                    self.assertEqual(len(result.errors), len(expected["errors"]))
                    for wanted in expected["errors"]:
                        self.assertTrue(any(e.startswith(wanted) for e in result.errors),
                                        f"no error starts {wanted!r}: {result.errors!r}")
                    continue
                self.assertEqual(result.errors, [])
                intervals = {v.cell.id: _interval(v.low, v.high) for v in result.verdicts}
                self.assertEqual(intervals, expected["intervals"])
                self.assertEqual(sorted(v.cell.id for v in result.failures),
                                 sorted(expected["failing"]))
                self.assertEqual(expected["outcome"], "fail" if result.failures else "pass")

    def test_integer_audit(self) -> None:
        # Nested totals and two-way tables are networks: their LP ends are whole numbers already,
        # so the integer audit agrees; the odd cycle is not, and the integer audit is narrower.
        for name, expected in _expected().items():
            if expected["outcome"] == "inconsistent":
                continue
            with self.subTest(case=name):
                result = da.audit_path(CASES / name, da.Factors(), integer=True)
                intervals = {v.cell.id: _interval(v.low, v.high) for v in result.verdicts}
                self.assertEqual(intervals,
                                 expected.get("integer_intervals", expected["intervals"]))

    def test_solver_keeps_half_units_of_the_relaxation(self) -> None:
        result = da.audit_path(CASES / "h_odd_cycle_integer_gap.json", da.Factors())
        self.assertEqual([(v.low, v.high) for v in result.verdicts if v.cell.withheld],
                         [(4.5, 6.5), (3.5, 5.5), (4.5, 6.5)])

    def test_intervals_are_whole_numbers_not_floats_near_them(self) -> None:
        result = da.audit_path(CASES / "c_two_way_rectangle.json", da.Factors())
        for verdict in result.verdicts:
            self.assertEqual(verdict.low, round(verdict.low))
            self.assertEqual(verdict.high, round(verdict.high))

    def test_reasons(self) -> None:
        a = da.audit_path(CASES / "a_category_total_one_withheld.json", da.Factors())
        reasons = {v.cell.id: v.reason for v in a.failures}
        self.assertEqual(reasons["cohort_by_service/before_cost/mental_health"],
                         "recovered exactly")
        self.assertEqual(reasons["cohort_by_service/before_events/mental_health"],
                         "interval too narrow")
        d = da.audit_path(CASES / "d_rounded_count_ranges.json", da.Factors())
        self.assertTrue({v.reason for v in d.failures} >= {
            "rounding undone: the published range is narrowed to a single whole number"})


class Requirements(unittest.TestCase):
    """The pass criteria of the module's doc comment, term by term."""

    rule = da.Rule(name="nhs-england", threshold=7, rounding=5)

    def cell(self, kind: da.CellKind, true: int, primary: bool) -> da.Cell:
        return da.Cell(index=0, id="x", kind=kind, true=true, published=None, primary=primary,
                       rounded=False, signed=False)

    def test_primary_count(self) -> None:
        self.assertEqual(da.requirement_for(self.cell("count", 3, True), self.rule, da.Factors()),
                         da.Requirement(reach_down_to=0, reach_up_to=14))
        self.assertEqual(da.requirement_for(self.cell("count", 12, True), self.rule,
                                            da.Factors()),
                         da.Requirement(reach_down_to=5, reach_up_to=19))

    def test_secondary_count_and_money(self) -> None:
        self.assertEqual(da.requirement_for(self.cell("count", 40, False), self.rule,
                                            da.Factors()), da.Requirement(width=14))
        self.assertEqual(da.requirement_for(self.cell("money", 40000, False), self.rule,
                                            da.Factors()), da.Requirement(width=20000))

    def test_primary_money_and_zero(self) -> None:
        self.assertEqual(da.requirement_for(self.cell("money", 40000, True), self.rule,
                                            da.Factors()),
                         da.Requirement(reach_down_to=30000, reach_up_to=50000))
        for primary in (True, False):
            self.assertEqual(da.requirement_for(self.cell("money", 0, primary), self.rule,
                                                da.Factors()), da.Requirement(width=0))

    def test_exact_edges_pass(self) -> None:
        cell = self.cell("count", 3, True)
        requirement = da.requirement_for(cell, self.rule, da.Factors())
        self.assertTrue(da.judge(Path("f"), cell, 0, 14, requirement, 1e-7).passed)
        self.assertFalse(da.judge(Path("f"), cell, 0, 13, requirement, 1e-7).passed)
        self.assertFalse(da.judge(Path("f"), cell, 1, 30, requirement, 1e-7).passed)
        self.assertTrue(da.judge(Path("f"), cell, 0, math.inf, requirement, 1e-7).passed)


def _rounded(v: int) -> int:
    return 5 * round(v / 5)


class DifferentialAgainstEnumeration(unittest.TestCase):
    """Random 3x3 tables: the solver's intervals equal a brute-force enumeration's."""

    def make_case(self, rng: random.Random) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
        rows, cols = 3, 3
        table = [[rng.randint(0, 6) for _ in range(cols)] for _ in range(rows)]
        if rng.random() < 0.5:
            # A rectangle: the classic pattern that leaves every withheld cell some freedom.
            (r1, r2), (c1, c2) = rng.sample(range(rows), 2), rng.sample(range(cols), 2)
            chosen = [(r1, c1), (r1, c2), (r2, c1), (r2, c2)]
        else:
            chosen = rng.sample([(r, c) for r in range(rows) for c in range(cols)],
                                rng.randint(2, 4))
        withheld = set(chosen)
        rounded = rng.random() < 0.5
        cells: list[dict[str, Any]] = []
        relations: list[dict[str, Any]] = []
        margins: list[tuple[str, list[tuple[int, int]], int]] = []
        for r in range(rows):
            for c in range(cols):
                v = table[r][c]
                cells.append({"id": f"t/{r}/{c}", "kind": "count", "true": v,
                              "published": None if (r, c) in withheld else v,
                              "primary": (r, c) == chosen[0]})
        for r in range(rows):
            margins.append((f"row/{r}", [(r, c) for c in range(cols)], sum(table[r])))
        for c in range(cols):
            margins.append((f"col/{c}", [(r, c) for r in range(rows)],
                            sum(table[r][c] for r in range(rows))))
        for margin_id, members, v in margins:
            cells.append({"id": margin_id, "kind": "count", "true": v,
                          "published": _rounded(v) if rounded else v, "rounded": rounded,
                          "primary": False})
            relations.append({"total": margin_id, "parts": [f"t/{r}/{c}" for r, c in members]})
        grand = sum(map(sum, table))
        cells.append({"id": "grand", "kind": "count", "true": grand,
                      "published": _rounded(grand) if rounded else grand, "rounded": rounded,
                      "primary": False})
        relations.append({"total": "grand", "parts": [f"row/{r}" for r in range(rows)]})
        relations.append({"total": "grand", "parts": [f"col/{c}" for c in range(cols)]})
        # Threshold 0: small margins are published (rounded), so a rounded 0 stays a range.
        document = {"rule": {"name": "test", "threshold": 0, "rounding": 5},
                    "cells": cells, "relations": relations}

        # Brute force: every whole-number value of the withheld cells; keep the completions whose
        # margins fall in their published ranges.
        spread = 2 if rounded else 0
        ranges = {m: (_rounded(v) - spread if rounded else v, _rounded(v) + spread if rounded
                      else v) for m, _, v in margins}
        grand_range = ((_rounded(grand) - 2, _rounded(grand) + 2) if rounded else (grand, grand))
        order = sorted(withheld)
        # A cell can be no larger than the top of its row's or its column's range.
        tops = [min(ranges[f"row/{r}"][1], ranges[f"col/{c}"][1]) for r, c in order]
        found: dict[tuple[int, int], list[int]] = {cell: [] for cell in order}
        for values in itertools.product(*(range(top + 1) for top in tops)):
            trial = [row[:] for row in table]
            for (r, c), value in zip(order, values, strict=True):
                trial[r][c] = value
            ok = all(ranges[m][0] <= sum(trial[r][c] for r, c in members) <= ranges[m][1]
                     for m, members, _ in margins)
            ok = ok and grand_range[0] <= sum(map(sum, trial)) <= grand_range[1]
            if ok:
                for cell, value in zip(order, values, strict=True):
                    found[cell].append(value)
        reference = {f"t/{r}/{c}": (min(vs), max(vs)) for (r, c), vs in found.items()}
        return document, reference

    def test_random_tables(self) -> None:
        rng = random.Random(18)
        with tempfile.TemporaryDirectory() as folder:
            for trial in range(25):
                document, reference = self.make_case(rng)
                path = Path(folder) / f"table_{trial}.json"
                path.write_text(json.dumps(document), encoding="utf-8")
                result = da.audit_path(path, da.Factors())
                with self.subTest(trial=trial):
                    self.assertIsNone(result.malformed)
                    self.assertEqual(result.errors, [])
                    solved = {v.cell.id: (v.low, v.high) for v in result.verdicts
                              if v.cell.withheld}
                    self.assertEqual(solved, reference)


class ZeroStaysZero(unittest.TestCase):
    """A count published as a rounded 0 is exactly 0 (counts 1..T are withheld)."""

    def document(self, zero_true: int) -> dict[str, Any]:
        return {"rule": {"name": "nhs-england", "threshold": 7, "rounding": 5},
                "cells": [
                    {"id": "total", "kind": "count", "true": 11 + zero_true, "published": 10,
                     "rounded": True, "primary": False},
                    {"id": "zero", "kind": "count", "true": zero_true, "published": 0,
                     "rounded": True, "primary": False},
                    {"id": "withheld", "kind": "count", "true": 11, "published": None,
                     "primary": False}],
                "relations": [{"total": "total", "parts": ["zero", "withheld"]}]}

    def audit(self, document: dict[str, Any]) -> da.FileResult:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "zero.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            return da.audit_path(path, da.Factors())

    def test_a_rounded_zero_gives_its_sibling_no_room(self) -> None:
        # total in [8, 12]; were the 0 a range [0, 2], the withheld cell would reach down to 6.
        result = self.audit(self.document(0))
        self.assertEqual([(v.cell.id, v.low, v.high) for v in result.verdicts],
                         [("total", 8, 12), ("withheld", 8, 12)])

    def test_a_rounded_zero_hiding_a_count_is_inconsistent(self) -> None:
        result = self.audit(self.document(1))
        self.assertEqual(result.errors, ["cells[1] ('zero'): published as a rounded 0, but the "
                                         "true count is not 0 (counts from 1 to 7 must be "
                                         "withheld)"])

    def test_without_a_threshold_that_covers_it_a_zero_is_a_range(self) -> None:
        document = self.document(0)
        document["rule"]["threshold"] = 1
        result = self.audit(document)
        self.assertEqual([(v.cell.id, v.low, v.high) for v in result.verdicts],
                         [("total", 8, 12), ("zero", 0, 2), ("withheld", 6, 12)])


class EmptySum(unittest.TestCase):
    """A relation with no parts says its total is 0 (a table with no rows sums to nothing)."""

    def test_an_empty_sum_pins_its_total_to_zero(self) -> None:
        document: dict[str, Any] = {"rule": {"name": "nhs-england", "threshold": 7, "rounding": 5},
                    "cells": [{"id": "cost", "kind": "money", "true": 0, "published": None,
                               "primary": True}],
                    "relations": [{"total": "cost", "parts": []}]}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "empty.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            result = da.audit_path(path, da.Factors())
            self.assertEqual([(v.low, v.high, v.passed) for v in result.verdicts],
                             [(0, 0, False)])
            document["cells"][0]["true"] = 5
            path.write_text(json.dumps(document), encoding="utf-8")
            result = da.audit_path(path, da.Factors())
            self.assertEqual(result.errors, ["relations[0] (total 'cost'): the true total differs "
                                             "from the sum of its 0 parts by 5"])


class Regressions(unittest.TestCase):
    """Files that once broke the audit, from cof's own output on generated cohorts."""

    def test_minimising_then_maximising_an_unbounded_total(self) -> None:
        # A 400-person cohort's before-cost group (pence up to 5 x 10^7): with tolerances of
        # 1e-9 HiGHS gave a solve error maximising the cohort total after minimising it. Each
        # withheld total's least value is the sum of its published parts; nothing caps them.
        path = FIXTURES / "regressions" / "solve_error_min_then_max.json"
        result = da.audit_path(path, da.Factors())
        self.assertEqual(result.errors, [])
        totals = {v.cell.id: (v.low, v.high) for v in result.verdicts
                  if not v.cell.id.startswith("cohort_by_service/")}
        self.assertEqual(totals, {
            "cohort/before_cost/0": (34979208, math.inf),
            "cohort_by_category/before_cost/0": (5565771, math.inf),
            "cohort_by_category/before_cost/2": (0, math.inf),
            "cohort_by_category/before_cost/3": (0, math.inf),
            "cohort_by_agency/before_cost/0": (32571, math.inf),
            "cohort_by_agency/before_cost/1": (0, math.inf)})
        self.assertEqual(result.failures, [])


class LargeFigures(unittest.TestCase):
    """Pence near the top of the exact range still give exact intervals."""

    def test_rectangle_scaled_by_a_billion(self) -> None:
        with (CASES / "c_two_way_rectangle.json").open(encoding="utf-8") as f:
            document = json.load(f)
        scale = 10**9
        scaled = copy.deepcopy(document)
        for cell in scaled["cells"]:
            if cell["kind"] == "money":
                cell["true"] *= scale
                if cell["published"] is not None:
                    cell["published"] *= scale
        expected = _expected()["c_two_way_rectangle.json"]["intervals"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "scaled.json"
            path.write_text(json.dumps(scaled), encoding="utf-8")
            result = da.audit_path(path, da.Factors())
        self.assertEqual(result.errors, [])
        for verdict in result.verdicts:
            if verdict.cell.kind == "money":
                low, high = expected[verdict.cell.id]
                self.assertEqual((verdict.low, verdict.high), (low * scale, high * scale))
        self.assertEqual(result.failures, [])

    def test_large_money_does_not_blur_a_counts_half_unit(self) -> None:
        # The odd cycle's half-unit ends (4.5) beside £10bn in pence in the same file: the
        # tolerance is set per linked group, so the count's ends stay as they are.
        with (CASES / "h_odd_cycle_integer_gap.json").open(encoding="utf-8") as f:
            document = json.load(f)
        document["cells"] += [
            {"id": "big/total", "kind": "money", "true": 10**12, "published": 10**12},
            {"id": "big/a", "kind": "money", "true": 6 * 10**11, "published": None,
             "primary": True},
            {"id": "big/b", "kind": "money", "true": 4 * 10**11, "published": None}]
        document["relations"].append({"total": "big/total", "parts": ["big/a", "big/b"]})
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "mixed.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            result = da.audit_path(path, da.Factors())
        found = {v.cell.id: (v.low, v.high) for v in result.verdicts}
        self.assertEqual(found["service/hostel"], (4.5, 6.5))
        self.assertEqual(found["big/a"], (0, 10**12))

    def test_beyond_two_to_the_53_is_refused(self) -> None:
        document = {"rule": {"name": "x", "threshold": 7}, "relations": [],
                    "cells": [{"id": "a", "kind": "money", "true": 2**60, "published": 2**60}]}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "huge.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            result = da.audit_path(path, da.Factors())
        self.assertIn("cells[0] ('a'): 'true' is beyond 2^53", result.malformed or "")


class CommandLine(unittest.TestCase):
    """Exit codes, summaries and options, through main()."""

    def test_passing_files_exit_0(self) -> None:
        status, out, _ = _run_main(str(CASES / "c_two_way_rectangle.json"),
                                   str(CASES / "f_signed_unrelated_zero_primary.json"))
        self.assertEqual(status, 0)
        self.assertIn("files: 2", out)
        # After cost, saving and the unrelated count of f have no finite bound.
        self.assertIn("withheld: 13 (primary 4, secondary 9; 3 with no finite bound)", out)
        self.assertIn("disclosure audit: PASS", out)
        # The narrowest: the rectangle's secondary counts, width 29 of the 20 needed (1.45x);
        # the first of the three in the file is named. (The primary count reaches 0, as far down
        # as any interval can, and 25 above its value of the 16 needed: 1.56x.)
        self.assertIn("narrowest: ", out)
        self.assertIn("by_service_and_year/events/police/2022-23 [count, secondary]: true 30, "
                      "interval [5, 34], requires width >= 20; 1.45x its requirement", out)

    def test_folder_with_failures_exits_1_and_lists_them(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            summary_path = Path(folder) / "summary.json"
            status, out, _ = _run_main(str(CASES), "--json-summary", str(summary_path))
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        self.assertEqual(status, 1)
        self.assertIn("FAIL " + str(CASES / "a_category_total_one_withheld.json") + ": "
                      "cohort_by_service/before_cost/mental_health [money, primary]: true "
                      "£150.00, interval [£150.00, £150.00], requires min <= £112.50, "
                      "max >= £187.50: recovered exactly", out)
        self.assertIn("INCONSISTENT " + str(CASES / "e_inconsistent_relation.json"), out)
        self.assertFalse(summary["passed"])
        self.assertEqual(summary["exit_status"], 1)
        totals = summary["totals"]
        self.assertEqual(totals["files"], len(_expected()))
        self.assertEqual(totals["inconsistent_files"], 1)
        failing = sum(len(e["failing"]) for e in _expected().values() if "failing" in e)
        self.assertEqual(totals["failures"], failing)
        self.assertEqual(len(summary["failures"]), failing)
        self.assertEqual(summary["narrowest"]["id"], "cohort_by_service/before_cost/mental_health")
        self.assertEqual((summary["narrowest"]["min"], summary["narrowest"]["max"]),
                         (15000, 15000))
        self.assertEqual(summary["narrowest"]["requirement"],
                         {"reach_down_to": 11250, "reach_up_to": 18750})
        statuses = {Path(f["path"]).name: f["status"] for f in summary["files"]}
        for name, expected in _expected().items():
            self.assertEqual(statuses[name], expected["outcome"])

    def test_all_intervals_in_the_json_summary(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            summary_path = Path(folder) / "summary.json"
            _run_main(str(CASES / "f_signed_unrelated_zero_primary.json"), "--all-intervals",
                      "--json-summary", str(summary_path))
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        intervals = {i["id"]: [i["min"], i["max"]] for i in summary["files"][0]["intervals"]}
        self.assertEqual(intervals,
                         _expected()["f_signed_unrelated_zero_primary.json"]["intervals"])

    def test_nothing_withheld_passes_with_no_narrowest(self) -> None:
        document = {"rule": {"name": "none"}, "relations": [{"total": "t", "parts": ["a", "b"]}],
                    "cells": [{"id": "t", "kind": "count", "true": 3, "published": 3},
                              {"id": "a", "kind": "count", "true": 1, "published": 1},
                              {"id": "b", "kind": "count", "true": 2, "published": 2}]}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "unsuppressed.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            summary_path = Path(folder) / "summary.json"
            status, out, _ = _run_main(str(path), "--json-summary", str(summary_path))
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        self.assertEqual(status, 0)
        self.assertIn("withheld: 0 (primary 0, secondary 0; 0 with no finite bound)", out)
        self.assertNotIn("narrowest", out)
        self.assertIsNone(summary["narrowest"])
        self.assertEqual(summary["totals"]["solves"], 0)

    def test_factors_change_the_verdict(self) -> None:
        rectangle = str(CASES / "c_two_way_rectangle.json")
        # The primary count reaches 29; a factor of 3 asks for 30 (T = 10).
        status, out, _ = _run_main(rectangle, "--count-factor", "3")
        self.assertEqual(status, 1)
        self.assertIn("by_service_and_year/events/police/2021-22", out)
        # courts/2022-23 (60000p) has width 50000; a share of 0.45 asks for 54000.
        status, out, _ = _run_main(rectangle, "--money-share", "0.45")
        self.assertEqual(status, 1)
        self.assertIn("by_service_and_year/cost/courts/2022-23", out)
        self.assertNotIn("by_service_and_year/cost/police/2021-22 [", out.split("narrowest")[1]
                         .split("\n", 1)[1])

    def test_usage_errors_exit_64(self) -> None:
        for arguments in ([], ["--count-factor", "0", "x.json"], ["--money-share", "2", "x.json"],
                          ["--no-such-option", "x.json"]):
            with self.subTest(arguments=arguments):
                status, _, _ = _run_main(*arguments)
                self.assertEqual(status, 64)

    def test_missing_input_exits_66(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            status, out, _ = _run_main(str(Path(folder) / "absent.json"))
            self.assertEqual(status, 66)
            self.assertIn("no such file or folder", out)
            status, out, _ = _run_main(folder)
            self.assertEqual(status, 66)
            self.assertIn("a folder with no *.json file", out)

    def test_malformed_files_exit_65_naming_the_entry(self) -> None:
        good = json.loads((CASES / "b_two_withheld_small_total.json").read_text(encoding="utf-8"))

        def with_change(change: Any) -> str:
            document = copy.deepcopy(good)
            change(document)
            return json.dumps(document)

        cases = {
            "not JSON": ("{\"rule\": ", "line 1, column 10: not valid JSON"),
            "NaN": (json.dumps(good).replace("13000", "NaN", 1), "'NaN' is not a number"),
            "unknown id": (with_change(lambda d: d["relations"][0]["parts"].append("nope")),
                           "relations[0]: 'nope' is not the id of any cell"),
            "duplicate id": (with_change(lambda d: d["cells"].append(dict(d["cells"][0]))),
                             "cells[6] ('cohort_by_category/after_cost/housing'): the id is "
                             "also cells[0]"),
            "boolean figure": (with_change(lambda d: d["cells"][0].update(true=True)),
                               "cells[0] ('cohort_by_category/after_cost/housing'): 'true' must "
                               "be a whole number"),
            "float figure": (with_change(lambda d: d["cells"][0].update(true=1.5)),
                             "'true' must be a whole number"),
            "mixed kinds": (with_change(lambda d: d["relations"][0]["parts"].append(
                "cohort_by_service/after_events/hostel")), "relations[0]: adds counts and money"),
            "published primary": (with_change(lambda d: d["cells"][1].update(published=1)),
                                  "a primary (sensitive) cell is published"),
            "no threshold": (with_change(lambda d: d["rule"].pop("threshold")),
                             "cells are withheld but the rule has no 'threshold'"),
            "rounded without rounding": (with_change(lambda d: d["rule"].pop("rounding")),
                                         "marked rounded, but the rule has no 'rounding'"),
            "no relations": (with_change(lambda d: d.pop("relations")), "no 'relations' entry"),
        }
        with tempfile.TemporaryDirectory() as folder:
            for name, (text, message) in cases.items():
                with self.subTest(case=name):
                    path = Path(folder) / "case.json"
                    path.write_text(text, encoding="utf-8")
                    status, out, _ = _run_main(str(path))
                    self.assertEqual(status, 65)
                    self.assertIn("MALFORMED " + str(path), out)
                    self.assertIn(message, out)
                    # Figures are never echoed in these messages.
                    self.assertNotIn("12000", out)

    def test_contradictory_relations_are_caught_by_both_checks(self) -> None:
        # The housing cost (exact, 13000) said to equal the housing events (published 10, so 8 to
        # 12): the exact check names the relation; the solver, asked directly without that
        # check, finds the model infeasible too.
        audit_input = da.load_audit_file(CASES / "b_two_withheld_small_total.json")
        broken = da.AuditInput(path=audit_input.path, rule=audit_input.rule,
                               cells=audit_input.cells,
                               relations=(*audit_input.relations,
                                          da.Relation(index=2, total=0, parts=(3,))))
        result = da.audit(broken, da.Factors())
        self.assertEqual(result.verdicts, [])
        self.assertEqual(len(result.errors), 1)
        self.assertTrue(result.errors[0].startswith("relations[2] (total "
                                                    "'cohort_by_category/after_cost/housing')"))
        with self.assertRaisesRegex(da.InconsistentModel, "no values satisfying relations"
                                    r"\[0\], relations\[1\], relations\[2\] and their"):
            da.IntervalSolver(broken.rule, broken.cells, broken.relations)

if __name__ == "__main__":
    unittest.main()
