"""A hand-made contact-centre store: one contact-aggregates file for 2025 in Ravenna (RA) and
Ferrara (FE), imported as a person would (python -m data_access import contact-aggregates).

Every row is phone, household, bill_info, on the 10th of its month; answered_20s 0, handling
300 s per answered call. The tests' expected values are worked out by hand from this table:

  month  RA offered answered abandoned wait/answered  FE offered answered wait/answered
  Jan         100       85       10        190 s           200      150       100 s
  Feb         100       79        0         60 s             -        -         -
  Mar      10,000    7,996        0         60 s           100       90        60 s
  Apr–Oct     100       80        0         60 s           100       90        60 s
  Nov         100       90        0         60 s           100       90        60 s
  Dec         100       70        0         60 s           100       50        60 s

LS (answered ÷ offered): RA Jan 85,0%, Feb 79,0% (misses 80), Mar 79,96% (shows "80,0%": meets),
Apr–Oct 80,0%, Nov 90,0%, Dec 70,0% → 10 of 12 months at least 80%: the water rule holds.
FE Jan 75,0%, no February, Mar–Nov 90,0%, Dec 50,0% → 9 of 11 months: the rule fails.
TMA: RA January 190 s misses ARERA's 180 s; FE January 100 s meets it.
AS: only RA January carries line times: 3,000 s free of 4,000 s logged in = 75,0%; no AS
standard is in force in 2025 (ARERA's 95% starts on 01/01/2026).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from data_access.importing import import_file

HEADER = (
    "day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,wait_seconds,"
    "handling_seconds,line_free_seconds,operator_seconds"
)
RA = {1: (100, 85, 10, 190), 2: (100, 79, 0, 60), 3: (10_000, 7_996, 0, 60),
      **{m: (100, 80, 0, 60) for m in range(4, 11)}, 11: (100, 90, 0, 60),
      12: (100, 70, 0, 60)}  # fmt: skip
FE = {1: (200, 150, 0, 100), **{m: (100, 90, 0, 60) for m in range(3, 12)},
      12: (100, 50, 0, 60)}  # fmt: skip
LINE_TIMES = {("RA", 1): (3000, 4000)}


def rows() -> list[str]:
    """The file's lines after the header."""
    lines = []
    for area, months in (("RA", RA), ("FE", FE)):
        for month, (offered, answered, abandoned, wait) in months.items():
            free, logged = LINE_TIMES.get((area, month), ("", ""))
            lines.append(
                f"2025-{month:02d}-10,{area},phone,household,bill_info,{offered},{answered},"
                f"{abandoned},0,{answered * wait},{answered * 300},{free},{logged}"
            )
    return lines


def build(engine: Engine, folder: Path) -> Engine:
    """Import the file into a migrated, empty store."""
    path = folder / "centralino-2025.csv"
    path.write_text("\n".join([HEADER, *rows()]) + "\n", encoding="utf-8")
    import_file(engine=engine, kind="contact-aggregates", path=path)
    return engine
