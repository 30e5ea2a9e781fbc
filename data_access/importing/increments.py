"""What newly imported rows add to the aggregates, from the measures' one declaration."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Connection

from data_access.aggregates import FAMILY_OF, TIME_KEYS, add
from data_access.hourly import add_hourly
from data_access.measures import Rows

Columns = dict[str, np.ndarray]


def per_row(table: str, columns: Columns) -> Columns:
    """Per raw row of table (its columns as arrays): its day, week, month and keys, and what it
    adds to each measure of its family (as data_access.measures declares it).
    """
    family = FAMILY_OF[table]
    rows = Rows(columns)
    added = {m.name: m.array(table, rows) for m in family.declared}
    return {**{k: columns[k] for k in (*TIME_KEYS, *family.keys)}, **added}


def add_written(connection: Connection, table: str, columns: Columns) -> None:
    """Add rows just written to table (its columns as arrays) to their aggregates, if any."""
    if table not in FAMILY_OF or not len(columns["day"]):
        return
    add(connection, FAMILY_OF[table], per_row(table, columns))
    if table == "contact":
        add_hourly(connection, columns)
