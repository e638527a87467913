"""Interval audit of complementary suppression: can any withheld figure be worked out?

What this checks, for a governance reviewer
--------------------------------------------
When `cof` writes a set of tables together (the finance pack, a workbook, a report), some cells
are withheld: *primary* cells because too few people (1-7 under NHS England's rule) stand behind
them, and *secondary* (complementary) cells withheld only so that the primary ones cannot be
worked back from the totals. `cof export ... --disclosure-audit FILE.json` writes, beside the
tables, every cell's true value, what was published for it, and every sum relation between the
cells (cohort = sum of categories, category = sum of its services, ...). This audit plays the
attacker on that file.

The attacker is assumed to know:
  * every published figure: an exact figure exactly, a rounded count only as a range (a count
    published as 10 under rounding to 5 is somewhere from 8 to 12), except a published 0, which
    is exactly 0 (counts of 1 to T are withheld, so only a true 0 is shown as 0);
  * every sum relation between the cells of the tables written together;
  * that figures are not negative (unless a cell is marked as signed, such as a saving).

For each withheld cell the audit asks a solver (HiGHS, a real linear-programming solver, through
`highspy`) for the smallest and the largest value the cell can take while everything the
attacker knows stays true. That range (the cell's *interval*) is what the attacker can learn.
The protection holds when every interval is wide enough (T is the rule's threshold, 7 for NHS
England; the two factors are options of this tool):

  * a primary withheld count with true value v: the interval must reach down to max(0, v - T)
    and up to max(2T, v + T) (for v = 3, T = 7: from 0 to at least 14);
  * a primary withheld money cell with true value v: the interval must reach 25% either side,
    from v - 0.25|v| or lower to v + 0.25|v| or higher;
  * a secondary withheld count: interval at least 2T wide; a secondary money cell: at least
    2 x 0.25|v| wide (it need not contain a margin around its own value, but the attacker must
    not be able to narrow it to less than the width a primary needs);
  * a money cell whose true value is 0, primary or secondary: the interval must not be a single
    point (width above zero). The 25% rule is relative and says nothing at zero; we ask at least
    that the attacker cannot prove the figure is nil. This is stricter than "no requirement" for
    a primary zero: an exact zero is still an exact recovery of what 1-7 people cost, and a
    primary should never be held to a weaker test than the complements protecting it;
  * a published *rounded* count must not be pinned down: its interval must still hold at least
    two whole numbers (the rounding must not be undone by exact companions such as a total and
    its other, exact, parts).
An interval with no upper end (the figure could be any size) counts as infinitely wide. The
factors are `--count-factor` (default 2) and `--money-share` (default 0.25).

Before auditing, the file is checked for consistency: the true values must satisfy every sum
relation, every published figure (exactly, or within its rounding range) and the sign rules.
If not, the engine's relations or rounding are wrong, and the file is reported as inconsistent
(an error, not a pass): an audit of wrong relations proves nothing.

What is not modelled (and so not proven)
  * Whole numbers: by default the audit is the *linear-programming relaxation*, the standard
    interval audit in statistical disclosure control: cells are treated as real numbers. An
    attacker who also uses that counts and pence are whole numbers can only do better. For
    nested totals (cohort, category, service) and two-way tables with margins the relations form
    a network, whose LP intervals already end on whole numbers, so nothing is lost; for tangled
    systems (three-way tables, overlapping pairs) the whole-number intervals can be narrower.
    `--integer` runs that exact audit (a mixed-integer programme per question, slower).
  * Knowledge of the rule itself: that a withheld count is between 1 and T, or that a published
    count exceeds T. That is inherent to any threshold rule and accepted practice.
  * Relations the engine does not declare: people counts (distinct people are not additive: the
    people of a cohort are at most the sum of its categories' people, not equal to it), ratios
    such as cost = unit price x count, means x people. The engine must withhold such companions
    itself (issue 18, point 1); this audit only sees the sums it is given.
  * Dominance or p% rules (one person contributing most of a money cell) and differencing between
    separate releases (two packs on nearly the same cohort): each file is audited on its own.

Output and exit status
  The summary names the files, the cells, the withheld cells (primary and secondary), every
  failure (cell id, true value, interval, requirement) and the narrowest interval relative to its
  requirement: the withheld cell whose room (below and above its value for a primary, width for
  a secondary) is the smallest multiple of the room required, 1.00x meaning exactly enough (a
  primary count whose interval reaches 0 is measured by its room above alone). It
  contains true values of withheld cells: it is working output for the secure environment, not
  for release. Exit status: 0 every file passes; 1 a protection failure or an
  inconsistent file; 64 bad usage; 65 a file that is not a valid audit file; 66 a missing input.

Usage: disclosure_audit.py [--count-factor F] [--money-share S] [--integer]
                           [--json-summary FILE] [--all-intervals] PATH...
                           (a PATH may be a folder: every *.json file under it)
       disclosure_audit.py --self-test                    (runs disclosure_audit_test.py)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 64
EXIT_BAD_DATA = 65
EXIT_MISSING = 66

#: The largest magnitude a figure may have: beyond 2^53 a double (the solver's arithmetic) can no
#: longer hold every whole number, so the audit would not be exact about the interval's ends.
LARGEST_EXACT = 2**53

CellKind = Literal["count", "money"]
Role = Literal["primary", "secondary", "rounded"]


# ---------------------------------------------------------------------------------------------
# Input


class AuditFileError(Exception):
    """The file is not a valid audit file (bad JSON, a missing or mistyped field): exit 65."""


@dataclasses.dataclass(frozen=True)
class Rule:
    """The disclosure rule the engine applied, as the audit file states it."""

    name: str
    threshold: int | None
    """T: counts (or people) of 1..T are withheld. Needed only when some cell is withheld."""
    rounding: int | None
    """Published counts marked `rounded` are multiples of this; None or 1 means no rounding."""

    @property
    def half_range(self) -> int:
        """How far a rounded figure may lie from its true value: floor(rounding / 2)."""
        return (self.rounding or 1) // 2


@dataclasses.dataclass(frozen=True)
class Cell:
    """One figure of the tables: its true value and what was published for it."""

    index: int
    id: str
    kind: CellKind
    true: int
    published: int | None
    """None when the cell is withheld."""
    primary: bool
    rounded: bool
    """Published as a range: within floor(rounding / 2) of the published figure."""
    signed: bool
    zero_stays_zero: bool = False
    """Marked rounded, but published as 0 under a threshold rule: known to be exactly 0."""

    @property
    def withheld(self) -> bool:
        return self.published is None

    @property
    def role(self) -> Role | None:
        """What the audit checks this cell for; None for an exact published figure."""
        if self.withheld:
            return "primary" if self.primary else "secondary"
        return "rounded" if self.rounded else None


@dataclasses.dataclass(frozen=True)
class Relation:
    """total = sum of parts, over true values (indices into the file's cells)."""

    index: int
    total: int
    parts: tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class AuditInput:
    """One audit file: a set of tables written together, as one system of linked cells."""

    path: Path
    rule: Rule
    cells: tuple[Cell, ...]
    relations: tuple[Relation, ...]



def _require_int(value: Any, where: str, name: str) -> int:
    # bool is a subclass of int in Python: `true`/`false` are not figures.
    if not isinstance(value, int) or isinstance(value, bool):
        raise AuditFileError(f"{where}: '{name}' must be a whole number")
    if abs(value) > LARGEST_EXACT:
        raise AuditFileError(f"{where}: '{name}' is beyond 2^53 in magnitude, which the solver's "
                             "double precision cannot hold exactly")
    return value


def _require_bool(obj: dict[str, Any], key: str, where: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise AuditFileError(f"{where}: '{key}' must be true or false")
    return value


def _reject_constant(name: str) -> NoReturn:
    raise AuditFileError(f"'{name}' is not a number JSON allows")


def load_audit_file(path: Path) -> AuditInput:
    """Reads and validates one audit file (the shape `cof export --disclosure-audit` writes).

    Raises AuditFileError naming the file and the offending entry (`cells[3]`, `relations[0]`);
    figures are never echoed in these messages.
    """
    try:
        with path.open("rb") as f:
            document = json.load(f, parse_constant=_reject_constant)
    except AuditFileError as error:
        raise AuditFileError(f"{path}: {error}") from None
    except json.JSONDecodeError as error:
        raise AuditFileError(f"{path}: line {error.lineno}, column {error.colno}: not valid JSON "
                             f"({error.msg})") from None
    except UnicodeDecodeError:
        raise AuditFileError(f"{path}: not UTF-8 text") from None
    if not isinstance(document, dict):
        raise AuditFileError(f"{path}: expected a JSON object with 'rule', 'cells' and "
                             "'relations'")
    for key in ("rule", "cells", "relations"):
        if key not in document:
            raise AuditFileError(f"{path}: no '{key}' entry")

    raw_rule = document["rule"]
    if not isinstance(raw_rule, dict):
        raise AuditFileError(f"{path}: 'rule' must be an object")
    name = raw_rule.get("name", "")
    if not isinstance(name, str):
        raise AuditFileError(f"{path}: rule: 'name' must be a string")
    threshold = raw_rule.get("threshold")
    if threshold is not None:
        threshold = _require_int(threshold, f"{path}: rule", "threshold")
        if threshold < 0:
            raise AuditFileError(f"{path}: rule: 'threshold' must not be negative")
    rounding = raw_rule.get("rounding")
    if rounding is not None:
        rounding = _require_int(rounding, f"{path}: rule", "rounding")
        if rounding < 1:
            raise AuditFileError(f"{path}: rule: 'rounding' must be 1 or more (or null)")
    rule = Rule(name=name, threshold=threshold, rounding=rounding)

    raw_cells = document["cells"]
    if not isinstance(raw_cells, list):
        raise AuditFileError(f"{path}: 'cells' must be a list")
    cells: list[Cell] = []
    index_of: dict[str, int] = {}
    for i, raw in enumerate(raw_cells):
        where = f"{path}: cells[{i}]"
        if not isinstance(raw, dict):
            raise AuditFileError(f"{where}: expected an object")
        cell_id = raw.get("id")
        if not isinstance(cell_id, str) or not cell_id:
            raise AuditFileError(f"{where}: 'id' must be a non-empty string")
        where = f"{where} ('{cell_id}')"
        if cell_id in index_of:
            raise AuditFileError(f"{where}: the id is also cells[{index_of[cell_id]}]")
        kind = raw.get("kind")
        if kind not in ("count", "money"):
            raise AuditFileError(f"{where}: 'kind' must be \"count\" or \"money\"")
        if "true" not in raw:
            raise AuditFileError(f"{where}: no 'true' value")
        true = _require_int(raw["true"], where, "true")
        if "published" not in raw:
            raise AuditFileError(f"{where}: no 'published' entry (null when withheld)")
        published = raw["published"]
        if published is not None:
            published = _require_int(published, where, "published")
        primary = _require_bool(raw, "primary", where)
        rounded = _require_bool(raw, "rounded", where)
        signed = _require_bool(raw, "signed", where)
        if primary and published is not None:
            raise AuditFileError(f"{where}: a primary (sensitive) cell is published")
        if rounded and published is not None and rule.rounding is None:
            raise AuditFileError(f"{where}: marked rounded, but the rule has no 'rounding'")
        # 'rounded' on a withheld cell says nothing the audit can use: no range is published.
        rounded = rounded and published is not None
        # A rounded 0 is exact: counts from 1 to T are withheld, so (when T reaches half the
        # rounding base) only a true 0 is ever published as 0, and the attacker knows the rule.
        zero_stays_zero = (rounded and published == 0 and rule.threshold is not None
                           and rule.threshold >= rule.half_range)
        index_of[cell_id] = i
        cells.append(Cell(index=i, id=cell_id, kind=kind, true=true, published=published,
                          primary=primary, rounded=rounded and not zero_stays_zero,
                          signed=signed, zero_stays_zero=zero_stays_zero))

    raw_relations = document["relations"]
    if not isinstance(raw_relations, list):
        raise AuditFileError(f"{path}: 'relations' must be a list")
    relations: list[Relation] = []
    for r, raw in enumerate(raw_relations):
        where = f"{path}: relations[{r}]"
        if not isinstance(raw, dict):
            raise AuditFileError(f"{where}: expected an object with 'total' and 'parts'")
        total = raw.get("total")
        parts = raw.get("parts")
        if not isinstance(total, str):
            raise AuditFileError(f"{where}: 'total' must be a cell id")
        # An empty list is a sum of nothing: it says the total is 0 (a table with no rows).
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise AuditFileError(f"{where}: 'parts' must be a list of cell ids")
        for name_ in [total, *parts]:
            if name_ not in index_of:
                raise AuditFileError(f"{where}: '{name_}' is not the id of any cell")
        if len(set(parts)) != len(parts):
            raise AuditFileError(f"{where}: a part is listed twice")
        if total in parts:
            raise AuditFileError(f"{where}: the total '{total}' is also one of its parts")
        kinds = {cells[index_of[n]].kind for n in [total, *parts]}
        if len(kinds) != 1:
            raise AuditFileError(f"{where}: adds counts and money together")
        relations.append(Relation(index=r, total=index_of[total],
                                  parts=tuple(index_of[p] for p in parts)))

    if rule.threshold is None and any(c.withheld for c in cells):
        raise AuditFileError(f"{path}: rule: cells are withheld but the rule has no 'threshold'")
    return AuditInput(path=path, rule=rule, cells=tuple(cells), relations=tuple(relations))


# ---------------------------------------------------------------------------------------------
# What the attacker knows about each cell on its own


def known_bounds(cell: Cell, rule: Rule) -> tuple[float, float]:
    """The range a cell is known to lie in before any relation is used (lower, upper)."""
    lower = -math.inf if cell.signed else 0.0
    upper = math.inf
    if cell.published is not None:
        spread = rule.half_range if cell.rounded else 0
        lower = max(lower, float(cell.published - spread))
        upper = float(cell.published + spread)
    return lower, upper


def consistency_problems(audit: AuditInput) -> list[str]:
    """Every way the true values contradict the file's own claims, in exact integer arithmetic.

    An empty list means the true values are a feasible point of the attacker's model.
    """
    problems: list[str] = []
    rule = audit.rule
    for cell in audit.cells:
        where = f"cells[{cell.index}] ('{cell.id}')"
        if cell.true < 0 and not cell.signed:
            problems.append(f"{where}: the true value is negative, but the cell is not marked "
                            "signed")
        if cell.published is None:
            continue
        if cell.rounded:
            assert rule.rounding is not None
            if cell.published % rule.rounding != 0:
                problems.append(f"{where}: published as rounded, but not a multiple of "
                                f"{rule.rounding}")
            if abs(cell.published - cell.true) > rule.half_range:
                problems.append(f"{where}: the published figure is more than {rule.half_range} "
                                "from the true value, outside its rounding range")
        elif cell.zero_stays_zero and cell.true != 0:
            problems.append(f"{where}: published as a rounded 0, but the true count is not 0 "
                            f"(counts from 1 to {rule.threshold} must be withheld)")
        elif cell.published != cell.true:
            problems.append(f"{where}: published as exact, but differs from the true value by "
                            f"{cell.published - cell.true}")
    for relation in audit.relations:
        total = audit.cells[relation.total]
        difference = total.true - sum(audit.cells[p].true for p in relation.parts)
        if difference != 0:
            problems.append(f"relations[{relation.index}] (total '{total.id}'): the true total "
                            f"differs from the sum of its {len(relation.parts)} parts by "
                            f"{difference}")
    return problems


# ---------------------------------------------------------------------------------------------
# The solver


class InconsistentModel(Exception):
    """The solver found the attacker's model infeasible or could not solve it."""


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Hides what C++ code prints to file descriptor 1 (HiGHS prints a banner once per process)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _import_highspy() -> Any:
    try:
        import highspy
    except ImportError:
        print("disclosure_audit: highspy is not installed; run scripts/disclosure-audit, which "
              "installs it into .venv-audit", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    return highspy


def solver_name() -> str:
    """The solver and its version, as the summary states it."""
    highspy = _import_highspy()
    with _stdout_silenced():
        version = highspy.Highs().version()
    return f"HiGHS {version} (highspy)"


class IntervalSolver:
    """One HiGHS model of what the attacker knows; minimises and maximises one cell at a time.

    Columns are the cells (bounded by `known_bounds`), rows the relations (total - sum(parts) = 0).
    The model is built once: each question changes only the objective (one cost of 1 and the
    sense), so HiGHS starts every solve from the previous optimal basis instead of from scratch.
    It is given one group of linked cells (see `linked_groups`): cells that share no relation
    cannot bound each other, and a small model per group solves much faster than one large one.
    """

    def __init__(self, rule: Rule, cells: Sequence[Cell], relations: Sequence[Relation],
                 integer: bool = False) -> None:
        highspy = _import_highspy()
        self._highspy = highspy
        with _stdout_silenced():
            self._highs = highspy.Highs()
        h = self._highs
        h.setOptionValue("output_flag", False)
        # HiGHS's default tolerances (1e-7) on purpose: tighter ones, against bounds of 10^7
        # pence and more, made HiGHS report a solve error on a cohort's group (see
        # Fixtures/disclosure-audit/regressions/); the answers are snapped to whole numbers.
        inf = highspy.kHighsInf
        self._column = {cell.index: column for column, cell in enumerate(cells)}
        for cell in cells:
            lower, upper = known_bounds(cell, rule)
            h.addVar(-inf if lower == -math.inf else lower, inf if upper == math.inf else upper)
        for relation in relations:
            columns = [self._column[relation.total]] + [self._column[p] for p in relation.parts]
            values = [1.0] + [-1.0] * len(relation.parts)
            h.addRow(0.0, 0.0, len(columns), columns, values)
        if integer:
            # Every figure is a whole number (units or pence): the attacker may use that too.
            # Prove optimality exactly (no relative gap): the ends are the true extremes.
            h.setOptionValue("mip_rel_gap", 0.0)
            h.changeColsIntegrality(len(cells), list(range(len(cells))),
                                    [highspy.HighsVarType.kInteger] * len(cells))
        self.solves = 0
        # A first solve with no objective: proves the model feasible (else the file's relations or
        # ranges contradict each other) and leaves a basis for the warm starts that follow.
        status = self._run()
        if status != highspy.HighsModelStatus.kOptimal:
            named = ", ".join(f"relations[{r.index}]" for r in relations[:5])
            more = f" and {len(relations) - 5} more" if len(relations) > 5 else ""
            raise InconsistentModel(f"the solver finds no values satisfying {named}{more} and "
                                    f"their published figures ({h.modelStatusToString(status)})")

    def _run(self) -> Any:
        self.solves += 1
        self._highs.run()
        return self._highs.getModelStatus()

    def _extreme(self, column: int, sense: Any) -> float:
        highspy = self._highspy
        h = self._highs
        h.changeObjectiveSense(sense)
        status = self._run()
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded,
                          highspy.HighsModelStatus.kUnboundedOrInfeasible):
            # A warm start can stall where a cold one does not: forget the basis, try once more.
            h.clearSolver()
            status = self._run()
        if status == highspy.HighsModelStatus.kOptimal:
            return float(h.getInfo().objective_function_value)
        maximising = sense == highspy.ObjSense.kMaximize
        # The model is known feasible (first solve), so "unbounded or infeasible" is unbounded.
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return math.inf if maximising else -math.inf
        raise InconsistentModel(f"the solver could not {'maximise' if maximising else 'minimise'} "
                                f"cells[{column}] ({h.modelStatusToString(status)})")

    def interval(self, cell: Cell) -> tuple[float, float]:
        """The smallest and largest value `cell` can take (either may be infinite)."""
        h = self._highs
        column = self._column[cell.index]
        h.changeColCost(column, 1.0)
        try:
            low = self._extreme(cell.index, self._highspy.ObjSense.kMinimize)
            high = self._extreme(cell.index, self._highspy.ObjSense.kMaximize)
        finally:
            h.changeColCost(column, 0.0)
        return low, high


def group_scale(cells: Sequence[Cell]) -> float:
    """The largest magnitude among `cells` (at least 1): sets the tolerance of the answers."""
    return float(max([1] + [abs(c.true) for c in cells]
                     + [abs(c.published) for c in cells if c.published is not None]))


def linked_groups(audit: AuditInput) -> list[tuple[list[Cell], list[Relation]]]:
    """The file split into groups of cells joined by relations (connected components), each with
    its relations, in file order. A cell in no relation is a group of its own with no relation.
    """
    parent = list(range(len(audit.cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for relation in audit.relations:
        for part in relation.parts:
            a, b = root(relation.total), root(part)
            if a != b:
                parent[max(a, b)] = min(a, b)
    cells: dict[int, list[Cell]] = {}
    relations: dict[int, list[Relation]] = {}
    for cell in audit.cells:
        cells.setdefault(root(cell.index), []).append(cell)
    for relation in audit.relations:
        relations.setdefault(root(relation.total), []).append(relation)
    return [(members, relations.get(key, [])) for key, members in cells.items()]


# ---------------------------------------------------------------------------------------------
# Requirements and verdicts


@dataclasses.dataclass(frozen=True)
class Factors:
    """The configurable parts of the pass criteria."""

    count_factor: float = 2.0
    """A withheld count's interval must span count_factor x T (and 0 to that, for a primary)."""
    money_share: float = 0.25
    """A withheld money cell's interval must reach money_share x |v| either side of v."""


@dataclasses.dataclass(frozen=True)
class Requirement:
    """What a cell's interval must satisfy. Any of the three may be absent (None)."""

    reach_down_to: float | None = None
    """The interval's minimum must be at or below this."""
    reach_up_to: float | None = None
    """The interval's maximum must be at or above this."""
    width: float | None = None
    """The interval must be at least this wide (or, when 0, wider than a point)."""
    whole_numbers: int | None = None
    """The interval must hold at least this many whole numbers (rounded counts)."""

    def describe(self, kind: CellKind) -> str:
        """The requirement in words, figures shown as the cell's kind (money in pounds)."""
        parts: list[str] = []
        if self.reach_down_to is not None:
            parts.append(f"min <= {_figure(self.reach_down_to, kind)}")
        if self.reach_up_to is not None:
            parts.append(f"max >= {_figure(self.reach_up_to, kind)}")
        if self.width is not None:
            parts.append(f"width >= {_figure(self.width, kind)}" if self.width > 0
                         else "width > 0")
        if self.whole_numbers is not None:
            parts.append(f"at least {self.whole_numbers} whole numbers")
        return ", ".join(parts) if parts else "none"

    def as_json(self) -> dict[str, Any]:
        """The requirement's terms (figures in the cell's units: pence or units)."""
        return {k: _json_number(float(v)) for k, v in dataclasses.asdict(self).items()
                if v is not None}


def requirement_for(cell: Cell, rule: Rule, factors: Factors) -> Requirement:
    """The pass criterion of one withheld or rounded cell (see the module's doc comment)."""
    v = cell.true
    if cell.rounded:
        return Requirement(whole_numbers=2)
    assert rule.threshold is not None
    t = rule.threshold
    if cell.kind == "count":
        span = factors.count_factor * t
        if cell.primary:
            return Requirement(reach_down_to=max(0, v - t), reach_up_to=max(span, v + t))
        return Requirement(width=span)
    margin = factors.money_share * abs(v)
    if v == 0:
        return Requirement(width=0.0)
    if cell.primary:
        return Requirement(reach_down_to=v - margin, reach_up_to=v + margin)
    return Requirement(width=2 * margin)


@dataclasses.dataclass(frozen=True)
class CellVerdict:
    """One audited cell: its interval, its requirement, and how well it met it."""

    file: Path
    cell: Cell
    low: float
    high: float
    requirement: Requirement
    ratio: float
    """How much of the requirement the interval achieves: 1 or more passes; +inf when infinite
    or when the requirement has no scale (a zero money cell that is not pinned)."""
    passed: bool

    @property
    def reason(self) -> str:
        if self.passed:
            return ""
        if self.cell.role == "rounded":
            return "rounding undone: the published range is narrowed to a single whole number"
        if self.high - self.low <= 0:
            return "recovered exactly"
        return "interval too narrow"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "id": self.cell.id,
            "kind": self.cell.kind,
            "role": self.cell.role,
            "true": self.cell.true,
            "published": self.cell.published,
            "min": _json_number(self.low),
            "max": _json_number(self.high),
            "requirement": self.requirement.as_json(),
            "ratio": _json_number(self.ratio),
            "passed": self.passed,
            **({"reason": self.reason} if not self.passed else {}),
        }


def _snap(x: float, tolerance: float) -> float:
    """A solver's answer within `tolerance` of a whole number is that whole number."""
    if math.isinf(x):
        return x
    nearest = float(round(x))
    return nearest if abs(x - nearest) <= tolerance else x


def judge(file: Path, cell: Cell, low: float, high: float, requirement: Requirement,
          tolerance: float) -> CellVerdict:
    """Compares an interval with its requirement, allowing the solver's `tolerance`."""
    v = float(cell.true)
    ratios: list[float] = []

    def share(achieved: float, needed: float) -> float:
        if needed <= 0:
            return math.inf
        return achieved / needed

    if requirement.reach_down_to is not None:
        if not cell.signed and requirement.reach_down_to <= 0 and low <= tolerance:
            # It reaches the floor (0): no interval could do more, so this side sets no ratio.
            ratios.append(math.inf)
        else:
            ratios.append(share(v - low, v - requirement.reach_down_to))
    if requirement.reach_up_to is not None:
        ratios.append(share(high - v, requirement.reach_up_to - v))
    width = high - low
    if requirement.width is not None:
        if requirement.width > 0:
            ratios.append(share(width, requirement.width))
        else:
            ratios.append(math.inf if width > tolerance else 0.0)
    if requirement.whole_numbers is not None:
        held = (math.inf if math.isinf(low) or math.isinf(high)
                else math.floor(high + tolerance) - math.ceil(low - tolerance) + 1)
        ratios.append(share(held, requirement.whole_numbers))
    ratio = min(ratios, default=math.inf)

    passed = True
    if requirement.reach_down_to is not None and low > requirement.reach_down_to + tolerance:
        passed = False
    if requirement.reach_up_to is not None and high < requirement.reach_up_to - tolerance:
        passed = False
    if requirement.width is not None:
        if requirement.width > 0 and width < requirement.width - tolerance:
            passed = False
        if requirement.width == 0 and width <= tolerance:
            passed = False
    if requirement.whole_numbers is not None and ratio < 1:
        passed = False
    return CellVerdict(file=file, cell=cell, low=low, high=high, requirement=requirement,
                       ratio=ratio, passed=passed)


# ---------------------------------------------------------------------------------------------
# Auditing files


@dataclasses.dataclass
class FileResult:
    """The audit of one file: every checked cell's verdict, or why it could not be audited."""

    path: Path
    rule: Rule | None = None
    cells: int = 0
    published: int = 0
    relations: int = 0
    verdicts: list[CellVerdict] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    """Inconsistencies (exit 1): the file's own figures contradict each other."""
    malformed: str | None = None
    """Why the file is not a valid audit file (exit 65)."""
    solves: int = 0

    def count(self, role: Role) -> int:
        return sum(1 for v in self.verdicts if v.cell.role == role)

    @property
    def failures(self) -> list[CellVerdict]:
        return [v for v in self.verdicts if not v.passed]


def audit(audit_input: AuditInput, factors: Factors, integer: bool = False) -> FileResult:
    """Audits one file: consistency first, then the interval of every withheld or rounded cell.

    `integer` treats every cell as a whole number (a mixed-integer programme per question): the
    exact audit, never wider than the LP relaxation, and slower.
    """
    result = FileResult(path=audit_input.path, rule=audit_input.rule,
                        cells=len(audit_input.cells), relations=len(audit_input.relations),
                        published=sum(1 for c in audit_input.cells if not c.withheld))
    result.errors = consistency_problems(audit_input)
    if result.errors:
        return result
    checked = [c for c in audit_input.cells if c.role is not None]
    if not checked:
        return result
    rule = audit_input.rule
    for cells, relations in linked_groups(audit_input):
        questions = [c for c in cells if c.role is not None]
        if not questions:
            continue
        # An answer within about 1e-9 of the group's largest figure of a whole number is that
        # whole number (floating-point noise). Per group, so that pence in the millions never
        # blur a count's half-unit (relations never mix counts and money).
        tolerance = 1e-9 * group_scale(cells) + 1e-7
        if not relations:
            # A cell in no relation: nothing bounds it but what is known of it alone (its bounds
            # are whole numbers already, so this holds for the integer audit too).
            intervals = {c.index: known_bounds(c, rule) for c in questions}
        else:
            try:
                solver = IntervalSolver(rule, cells, relations, integer)
                intervals = {c.index: solver.interval(c) for c in questions}
                result.solves += solver.solves
            except InconsistentModel as error:
                result.errors.append(str(error))
                continue
        for cell in questions:
            low, high = (_snap(x, tolerance) for x in intervals[cell.index])
            result.verdicts.append(judge(audit_input.path, cell, low, high,
                                         requirement_for(cell, rule, factors), tolerance))
    if result.errors:
        result.verdicts.clear()
    result.verdicts.sort(key=lambda v: v.cell.index)
    return result


def audit_path(path: Path, factors: Factors, integer: bool = False) -> FileResult:
    """Loads and audits one file; a malformed file gives a result that says so."""
    try:
        audit_input = load_audit_file(path)
    except AuditFileError as error:
        return FileResult(path=path, malformed=str(error))
    except OSError as error:
        return FileResult(path=path, malformed=f"{path}: cannot be read ({error.strerror})")
    return audit(audit_input, factors, integer)


def expand_paths(arguments: Sequence[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files named (a folder stands for every *.json under it, sorted), and what is missing."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not found:
                missing.append((str(path), "a folder with no *.json file"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            missing.append((str(path), "no such file or folder"))
    return files, missing


# ---------------------------------------------------------------------------------------------
# The summary


def _number(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _json_number(x: float) -> float | int | None:
    """A finite figure as JSON (a whole number as an integer); infinity as null."""
    if math.isinf(x):
        return None
    return int(x) if x == int(x) else x


def _figure(x: float, kind: CellKind) -> str:
    """A count as itself; money in pence shown as pounds."""
    if kind == "count" or math.isinf(x):
        return _number(x)
    pounds = x / 100
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,.2f}"


def describe_verdict(verdict: CellVerdict) -> str:
    cell = verdict.cell
    low, high = _figure(verdict.low, cell.kind), _figure(verdict.high, cell.kind)
    requirement = verdict.requirement.describe(cell.kind)
    return (f"{cell.id} [{cell.kind}, {cell.role}]: true {_figure(cell.true, cell.kind)}, "
            f"interval [{low}, {high}], requires {requirement}")


@dataclasses.dataclass
class Summary:
    """The audit of every file named, and the exit status it implies."""

    results: list[FileResult]
    missing: list[tuple[str, str]]
    """(path, why) for each named input that is absent."""
    factors: Factors
    solver: str
    integer: bool = False
    """Whether cells were whole numbers (mixed-integer) rather than the LP relaxation."""

    @property
    def model(self) -> str:
        return ("integer programme (cells whole numbers)" if self.integer
                else "LP relaxation (cells continuous)")

    @property
    def verdicts(self) -> list[CellVerdict]:
        return [v for r in self.results for v in r.verdicts]

    @property
    def narrowest(self) -> CellVerdict | None:
        """The withheld cell whose interval comes closest to (or furthest below) its requirement."""
        withheld = [v for v in self.verdicts if v.cell.withheld]
        return min(withheld, key=lambda v: v.ratio, default=None)

    @property
    def exit_status(self) -> int:
        if self.missing:
            return EXIT_MISSING
        if any(r.malformed for r in self.results):
            return EXIT_BAD_DATA
        if any(r.errors or r.failures for r in self.results):
            return EXIT_FAILED
        return EXIT_OK

    def totals(self) -> dict[str, int]:
        audited = [r for r in self.results if r.malformed is None]
        return {
            "files": len(self.results),
            "cells": sum(r.cells for r in audited),
            "published": sum(r.published for r in audited),
            "relations": sum(r.relations for r in audited),
            "withheld": sum(r.count("primary") + r.count("secondary") for r in audited),
            "primary": sum(r.count("primary") for r in audited),
            "secondary": sum(r.count("secondary") for r in audited),
            "unbounded": sum(1 for r in audited for v in r.verdicts
                             if v.cell.withheld and math.isinf(v.high - v.low)),
            "rounded_checked": sum(r.count("rounded") for r in audited),
            "failures": sum(len(r.failures) for r in audited),
            "inconsistent_files": sum(1 for r in audited if r.errors),
            "malformed_files": sum(1 for r in self.results if r.malformed),
            "missing_inputs": len(self.missing),
            "solves": sum(r.solves for r in audited),
        }

    def as_json(self, all_intervals: bool) -> dict[str, Any]:
        narrowest = self.narrowest
        return {
            "passed": self.exit_status == EXIT_OK,
            "exit_status": self.exit_status,
            "solver": self.solver,
            "model": f"{self.model}; min and max of each withheld or rounded cell under every "
                     "published figure, rounding range, sum relation and sign",
            "factors": dataclasses.asdict(self.factors),
            "totals": self.totals(),
            "narrowest": narrowest.as_json() if narrowest else None,
            "failures": [v.as_json() for v in self.verdicts if not v.passed],
            "errors": ([{"file": path, "kind": "missing", "message": f"{path}: {why}"}
                        for path, why in self.missing]
                       + [{"file": str(r.path), "kind": "malformed", "message": r.malformed}
                          for r in self.results if r.malformed]
                       + [{"file": str(r.path), "kind": "inconsistent", "message": e}
                          for r in self.results for e in r.errors]),
            "files": [{
                "path": str(r.path),
                "rule": dataclasses.asdict(r.rule) if r.rule else None,
                "cells": r.cells,
                "published": r.published,
                "relations": r.relations,
                "primary": r.count("primary"),
                "secondary": r.count("secondary"),
                "rounded_checked": r.count("rounded"),
                "failures": len(r.failures),
                "status": ("malformed" if r.malformed else "inconsistent" if r.errors
                           else "fail" if r.failures else "pass"),
                **({"intervals": [v.as_json() for v in r.verdicts]} if all_intervals else {}),
            } for r in self.results],
        }

    def render(self) -> str:
        t = self.totals()
        lines = [
            f"disclosure audit: {self.solver}, {self.model}; count factor "
            f"{_number(self.factors.count_factor)}, "
            f"money share {_number(self.factors.money_share)}",
            f"  files: {t['files']}  cells: {t['cells']} (published {t['published']})  "
            f"relations: {t['relations']}  solver runs: {t['solves']}",
            f"  withheld: {t['withheld']} (primary {t['primary']}, secondary {t['secondary']}; "
            f"{t['unbounded']} with no finite bound)  "
            f"rounded counts checked: {t['rounded_checked']}",
        ]
        narrowest = self.narrowest
        if narrowest is not None:
            ratio = ("unbounded" if math.isinf(narrowest.ratio)
                     else f"{narrowest.ratio:.2f}x its requirement")
            lines.append(f"  narrowest: {narrowest.file}: {describe_verdict(narrowest)}; "
                         f"{ratio}")
        for path, why in self.missing:
            lines.append(f"  MISSING {path}: {why}")
        for r in self.results:
            if r.malformed:
                lines.append(f"  MALFORMED {r.malformed}")
            for error in r.errors:
                lines.append(f"  INCONSISTENT {r.path}: {error}")
            for verdict in r.failures:
                lines.append(f"  FAIL {r.path}: {describe_verdict(verdict)}: {verdict.reason}")
        problems = t["failures"] + t["inconsistent_files"] + t["malformed_files"] + t[
            "missing_inputs"]
        if problems == 0:
            lines.append("disclosure audit: PASS: no withheld cell can be narrowed below its "
                         "requirement")
        else:
            lines.append(f"disclosure audit: FAIL: {t['failures']} cells fail, "
                         f"{t['inconsistent_files']} files inconsistent, {t['malformed_files']} "
                         f"malformed, {t['missing_inputs']} inputs missing")
        return "\n".join(lines)


def run_audit(paths: Sequence[str], factors: Factors, integer: bool = False) -> Summary:
    """Audits every file named (folders expanded) and gathers the summary."""
    files, missing = expand_paths(paths)
    results = [audit_path(p, factors, integer) for p in files]
    return Summary(results=results, missing=missing, factors=factors, solver=solver_name(),
                   integer=integer)


# ---------------------------------------------------------------------------------------------
# Command line


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, found '{text}'") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, found '{text}'")
    return value


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = _Parser(
        prog="disclosure-audit",
        description="Interval audit of complementary suppression: for each withheld cell of "
                    "`cof export --disclosure-audit` files, the minimum and maximum it can take "
                    "under every published figure and sum relation (HiGHS).")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="audit files, or folders of *.json audit files")
    parser.add_argument("--count-factor", type=_positive, default=2.0, metavar="F",
                        help="a withheld count's interval must span F x the threshold "
                             "(default 2)")
    parser.add_argument("--money-share", type=_positive, default=0.25, metavar="S",
                        help="a withheld money cell's interval must reach S x its value either "
                             "side (default 0.25)")
    parser.add_argument("--json-summary", metavar="FILE",
                        help="also write the summary as JSON to FILE")
    parser.add_argument("--integer", action="store_true",
                        help="treat every cell as a whole number (the exact integer audit, "
                             "slower); the default is the standard LP relaxation")
    parser.add_argument("--all-intervals", action="store_true",
                        help="put every checked cell's interval in the JSON summary, not only "
                             "the failures")
    parser.add_argument("--self-test", action="store_true",
                        help="run the audit's own tests (disclosure_audit_test.py) and exit")
    arguments = parser.parse_args(argv)
    if not arguments.self_test and not arguments.paths:
        parser.error("name at least one audit file or folder")
    if arguments.money_share > 1:
        parser.error("--money-share is a share of the value: at most 1")
    return arguments


def self_test() -> int:
    """Runs disclosure_audit_test.py (beside this file) and prints 'N passed, N failed'."""
    import unittest

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    suite = unittest.defaultTestLoader.loadTestsFromName("disclosure_audit_test")
    outcome = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    failed = len(outcome.failures) + len(outcome.errors)
    print(f"disclosure-audit: {outcome.testsRun - failed} passed, {failed} failed")
    return EXIT_OK if outcome.wasSuccessful() else EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if arguments.self_test:
        return self_test()
    factors = Factors(count_factor=arguments.count_factor, money_share=arguments.money_share)
    summary = run_audit(arguments.paths, factors, arguments.integer)
    try:
        print(summary.render(), flush=True)
    except BrokenPipeError:
        # A reader such as `head` closed the pipe: the verdict still stands in the exit status.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if arguments.json_summary:
        try:
            with open(arguments.json_summary, "w", encoding="utf-8") as f:
                json.dump(summary.as_json(arguments.all_intervals), f, indent=2)
                f.write("\n")
        except OSError as error:
            print(f"disclosure-audit: {arguments.json_summary}: cannot write the JSON summary "
                  f"({error.strerror})", file=sys.stderr)
            return 74
    return summary.exit_status


if __name__ == "__main__":
    sys.exit(main())
