"""Reads John's finance-pack workbooks with openpyxl and checks them against the CSV export.

Usage: check_xlsx.py DIR, where DIR holds pack.xlsx (suppressed), pack-unsuppressed.xlsx and
by-service.csv (the by-service table, unsuppressed, plain CSV), as scripts/check-xlsx writes them.

When LibreOffice is installed (`soffice` on the PATH), the workbooks are also opened by a
spreadsheet application: every sheet is converted to CSV by LibreOffice, and its by-service sheet
must hold the CSV export's values.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

SHEETS = ["Cover", "cohort", "cohort_by_service", "cohort_by_category", "cohort_by_agency",
          "consumption_by_financial_year", "intervention_by_financial_year", "appraisal", "use_change"]
MONEY_FORMAT = '"£"#,##0.00'


def cover_line(book, name):
    """The value beside `name` in column A of the cover."""
    for a, b in book["Cover"].iter_rows(min_col=1, max_col=2, values_only=True):
        if a == name:
            return b
    raise AssertionError(f"the cover has no line {name!r}")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main(directory):
    suppressed = openpyxl.load_workbook(os.path.join(directory, "pack.xlsx"))
    exact = openpyxl.load_workbook(os.path.join(directory, "pack-unsuppressed.xlsx"))
    with open(os.path.join(directory, "by-service.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, records = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]

    for book in (suppressed, exact):
        check(book.sheetnames == SHEETS, f"sheet names: {book.sheetnames}")
    print(f"check-xlsx: sheets {suppressed.sheetnames}")

    check(cover_line(suppressed, "Engine").startswith("cof "), "the cover names the engine")
    # One line per events source, named "Events" or "Events (name)" after the project's name for it.
    events = next(b for a, b in suppressed["Cover"].iter_rows(min_col=1, max_col=2, values_only=True)
                  if a and str(a).startswith("Events"))
    check("SHA-256 " in events and "read" in events, f"the cover gives the events file's digest and reconciliation: {events!r}")
    print(f"check-xlsx: cover events line: {events[:90]}...")
    rule = cover_line(suppressed, "Disclosure control")
    check(rule.startswith("applied: nhs-england: counts of 1 to 7 show as [c]"), f"disclosure line: {rule!r}")
    print(f"check-xlsx: cover (suppressed): {rule[:60]}...")
    unsuppressed_rule = cover_line(exact, "Disclosure control")
    check("UNSUPPRESSED" in unsuppressed_rule, f"unsuppressed line: {unsuppressed_rule!r}")
    print(f"check-xlsx: cover (--no-suppression): {unsuppressed_rule[:60]}...")

    for book in (suppressed, exact):
        sheet = book["cohort_by_service"]
        cells = [cell.value for cell in sheet[1]]
        check(cells == header, f"header cells {cells} != the CSV's {header}")
        check(all(cell.font.b for cell in sheet[1]), "the header row is bold")
        check(sheet.freeze_panes == "A2", f"freeze_panes: {sheet.freeze_panes}")
        check(sheet.auto_filter.ref == sheet.dimensions, f"auto_filter.ref {sheet.auto_filter.ref} != {sheet.dimensions}")
    print(f"check-xlsx: cohort_by_service header {header[:5]}..., freeze_panes A2, auto_filter {exact['cohort_by_service'].auto_filter.ref}")

    # The money cell: A&E's cost per person-year before (pounds and pence), exact in one
    # workbook and withheld in the other (John is one person: every figure rests on fewer than 8).
    name = "before_cost_per_person_year"
    column = header.index(name) + 1
    row = next(r for r in range(2, exact["cohort_by_service"].max_row + 1)
               if exact["cohort_by_service"].cell(r, 1).value == "A&E")
    cell = exact["cohort_by_service"].cell(row, column)
    expected = next(record[name] for record in records if record["service"] == "A&E")
    check(isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), f"{cell.coordinate} is not a number: {cell.value!r}")
    check(cell.value == float(expected), f"{cell.coordinate} = {cell.value!r}, the CSV says {expected}")
    check(cell.number_format == MONEY_FORMAT, f"{cell.coordinate} number_format {cell.number_format!r}")
    print(f"check-xlsx: cohort_by_service!{cell.coordinate} (A&E {name}) = {cell.value!r} "
          f"formatted {cell.number_format} (CSV: {expected})")
    withheld = suppressed["cohort_by_service"].cell(row, column).value
    check(withheld == "[c]", f"suppressed {cell.coordinate}: {withheld!r}")
    print(f"check-xlsx: the same cell suppressed: {withheld!r}")
    check_with_libreoffice(directory, header, rows[1:])
    print("check-xlsx: ok")


def same_cell(got, expected):
    """A cell as LibreOffice writes it equals the CSV export's: the same text, or the same number
    (LibreOffice writes 31668 for 31668.00)."""
    if got == expected:
        return True
    try:
        return float(got) == float(expected)
    except ValueError:
        return False


def check_with_libreoffice(directory, header, records):
    """Opens both workbooks in LibreOffice (headless), writes every sheet as CSV and checks the
    sheets and the by-service values; skipped, saying so, when LibreOffice is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("check-xlsx: LibreOffice (soffice) not installed: the spreadsheet application check is skipped")
        return
    out = os.path.join(directory, "libreoffice")
    os.makedirs(out, exist_ok=True)
    # All sheets (the last field, -1), UTF-8, comma-separated, values unformatted.
    filter_options = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
    with tempfile.TemporaryDirectory() as profile:
        for book in ("pack.xlsx", "pack-unsuppressed.xlsx"):
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                            filter_options, "--outdir", out, os.path.join(directory, book)],
                           check=True, capture_output=True, timeout=300)
    for book in ("pack", "pack-unsuppressed"):
        for sheet in SHEETS:
            path = os.path.join(out, f"{book}-{sheet}.csv")
            check(os.path.exists(path), f"LibreOffice wrote no sheet {sheet!r} from {book}.xlsx")
    with open(os.path.join(out, "pack-unsuppressed-cohort_by_service.csv"), newline="", encoding="utf-8") as f:
        opened = list(csv.reader(f))
    check(opened[0] == header, f"LibreOffice's by-service header {opened[0]} != the CSV's {header}")
    check(len(opened) - 1 == len(records), f"LibreOffice's by-service sheet has {len(opened) - 1} rows, the CSV {len(records)}")
    for got, expected in zip(opened[1:], records):
        for name, a, b in zip(header, got, expected):
            check(same_cell(a, b), f"LibreOffice's {expected[0]} {name} = {a!r}, the CSV says {b!r}")
    with open(os.path.join(out, "pack-cohort_by_service.csv"), newline="", encoding="utf-8") as f:
        withheld = list(csv.reader(f))
    check(any("[c]" in row for row in withheld[1:]), "LibreOffice's suppressed by-service sheet shows no [c]")
    print(f"check-xlsx: LibreOffice opened both workbooks: {len(SHEETS)} sheets each; by-service "
          f"{len(records)} rows x {len(header)} cells equal to the CSV export; suppressed cells read [c]")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except AssertionError as error:
        print(f"check-xlsx: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
