"""Plant small faults by hand, one at a time, and see whether the tests catch each (issue 9).

Not a test module (pytest does not collect it): a developer's tool, run as

    .venv/bin/python tests/planted_faults.py [FAULT_ID ...] [--tests tests/test_x.py ...]

It copies the committed tree (git archive HEAD) into a temporary folder, and for each fault
replaces one exact snippet of one file there, runs pytest -x on the chosen test files (SQLite
only: TEST_DATABASE_URL is left out), puts the file back, and prints whether the fault was
killed (a test failed) or survived. The working tree is never touched. A fault whose snippet
is no longer found (the code moved on) is reported as such, not run.

R* are the kinds of fault the outside review planted (issue 9); M* are further ones of the same
kinds in promised behaviours.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]


class Fault(NamedTuple):
    """One planted fault: replace `old` (found exactly once) by `new` in `path`."""

    ident: str
    what: str
    path: str
    old: str
    new: str


FAULTS = [
    Fault("R1", "tile change coloured the wrong way", "ui/tiles.py",
          'delta_color: DeltaColour = "normal" if kpi.better == "higher" else "inverse"',
          'delta_color: DeltaColour = "inverse" if kpi.better == "higher" else "normal"'),
    Fault("R2", "survey 'not significant' greying off", "ui/tiles.py",
          "elif delta is not None and kpi.has_interval and not value.significant:",
          "elif False:"),
    Fault("R3", "target badge forced green", "ui/tiles.py",
          "colour, icon = STATUS_BADGES[state]", 'colour, icon = STATUS_BADGES["green"]'),
    Fault("R4", "survey movement z divided by 3", "data_access/movements.py",
          'se = (now["se"], before["se"])', 'se = (3 * now["se"], 3 * before["se"])'),
    Fault("R5", "suppression n <= 30", "data_access/queries/surveys.py",
          "suppressed = (n > 0) & (n < stats.MIN_RESPONSES)",
          "suppressed = (n > 0) & (n <= stats.MIN_RESPONSES)"),
    Fault("R6", "weekly customer lookup ignores the province",
          "data_access/queries/contacts.py",
          'on = ["month", *base]', 'on = ["month"]'),
    Fault("R7", "import exits 0 on a refused file", "data_access/cli.py",
          "        print(refused, file=sys.stderr)\n        return 1",
          "        print(refused, file=sys.stderr)\n        return 0"),
    Fault("R8", "downgrade of 0001 leaves a table", "data_access/migrations/versions/"
          "0001_initial_schema.py", '    op.drop_table("association")\n', "    pass\n"),
    Fault("M1", "amber margin 10%", "data_access/targets.py",
          'AMBER_MARGIN = Decimal("0.05")', 'AMBER_MARGIN = Decimal("0.10")'),
    Fault("M2", "exactly on target is not met", "data_access/targets.py",
          "if shortfall <= 0:", "if shortfall < 0:"),
    Fault("M3", "Wilson centre", "data_access/stats.py",
          "centre = (p + z2 / (2 * n)) / denominator", "centre = (p + z2 / n) / denominator"),
    Fault("M4", "NPS variance sign", "data_access/stats.py",
          "variance = (p_promoters + p_detractors - score * score) / n",
          "variance = (p_promoters + p_detractors + score * score) / n"),
    Fault("M5", "significance at 90%", "data_access/stats.py",
          "return abs(difference) > Z95 * se", "return abs(difference) > 1.645 * se"),
    Fault("M6", "change printed with a Unicode minus", "ui/formatting.py",
          'sign = "+" if seen > 0 else "-" if seen < 0 else ""',
          'sign = "+" if seen > 0 else "\\u2212" if seen < 0 else ""'),
    Fault("M7", "material change 20%", "data_access/movements.py",
          "MATERIAL_CHANGE = 0.10", "MATERIAL_CHANGE = 0.20"),
    Fault("M8", "pooled share uses one side's n", "data_access/movements.py",
          '/ (now["n"] + before["n"])', '/ (2 * now["n"])'),
    Fault("M9", "tile interval shows the low end twice", "ui/tiles.py",
          "for v in (value.ci_low, value.ci_high)", "for v in (value.ci_low, value.ci_low)"),
    Fault("M10", "customer base summed, not averaged, over months",
          "data_access/queries/contacts.py",
          'average = groups | {"customers": totals / np.maximum(counts, 1)}',
          'average = groups | {"customers": totals}'),
    Fault("M11", "rounding half to even", "data_access/i18n.py",
          "rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)",
          "rounded = exact.quantize(Decimal(1).scaleb(-decimals))"),
    Fault("M12", "suppressed cells keep their value", "data_access/queries/surveys.py",
          "        value, low, high, se = (np.where(suppressed, np.nan, part)"
          " for part in estimate)\n        found[kpi.code]",
          "        value, low, high, se = estimate\n        found[kpi.code]"),
]  # fmt: skip

DEFAULT_TESTS = [
    "tests/test_tile_colours.py", "tests/test_movements_surveys.py",
    "tests/test_movements_census_edge.py", "tests/test_suppression_edge.py",
    "tests/test_contacts_per_1000_weekly.py", "tests/test_cli_import.py",
    "tests/test_migrations_base.py", "tests/test_i18n_languages.py", "tests/test_kpis.py",
    "tests/test_movements.py", "tests/test_targets.py", "tests/test_formatting.py",
    "tests/test_cli.py", "tests/test_migrations.py", "tests/test_i18n.py", "tests/test_tables.py",
    "tests/test_page_overview.py",
]  # fmt: skip


def run(fault: Fault, tree: Path, tests: list[str]) -> str:
    """Plant fault in tree, run the tests, restore; 'killed', 'survived' or 'not found'."""
    path = tree / fault.path
    original = path.read_text(encoding="utf-8")
    if original.count(fault.old) != 1:
        return "not found"
    path.write_text(original.replace(fault.old, fault.new), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=tree,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        path.write_text(original, encoding="utf-8")
    return "killed" if result.returncode != 0 else "survived"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen faults (all by default); exit 1 when any survived."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("faults", nargs="*", help="fault ids (default: all)")
    parser.add_argument("--tests", nargs="+", default=DEFAULT_TESTS, help="test files to run")
    args = parser.parse_args(argv)
    chosen = [f for f in FAULTS if not args.faults or f.ident in args.faults]
    survived = 0
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        for fault in chosen:
            start = time.monotonic()
            verdict = run(fault, tree, args.tests)
            survived += verdict == "survived"
            seconds = time.monotonic() - start
            print(f"{fault.ident:4} {verdict:9} {seconds:5.0f} s  {fault.what}", flush=True)
    print(f"{survived} of {len(chosen)} survived")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
