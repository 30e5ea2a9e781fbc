"""The territory a person may filter on: regions, provinces and areas that have data."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import exists, func, label, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from data_access.models import Area, ContactMonthly, CustomerBase, Province, Region, SurveyMonthly
from data_access.scope import Scope

COLUMNS = ["region", "sigla", "province", "area", "area_name"]


def visible_territory(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Areas with data inside the scope, with their province and region, sorted by name."""
    visible = scope.visible()
    if visible is not None and not visible:
        return pd.DataFrame(columns=COLUMNS)
    # one index seek per area (ix_*_monthly_area_code), never a scan of the aggregates
    with_data = or_(
        exists().where(col(ContactMonthly.area_code) == col(Area.code)),
        exists().where(col(SurveyMonthly.area_code) == col(Area.code)),
        col(Area.code).in_(select(col(CustomerBase.area_code))),
    )
    query = (
        select(
            label("region", col(Region.name)),
            col(Province.sigla),
            label("province", col(Province.name)),
            label("area", col(Area.code)),
            label("area_name", col(Area.name)),
        )
        .join(Province, col(Province.code) == col(Area.province_code))
        .join(Region, col(Region.code) == col(Province.region_code))
        .where(with_data)
        .order_by(col(Region.name), col(Province.name), col(Area.name))
    )
    if visible is not None:
        query = query.where(col(Province.sigla).in_(sorted(visible)))
    with engine.connect() as connection:
        return pd.DataFrame([tuple(row) for row in connection.execute(query)], columns=COLUMNS)


def data_years(engine: Engine) -> list[int]:
    """Calendar years that have contacts or survey responses, oldest first."""
    # one lone min() or max() per subquery, which SQLite answers from the key; one round trip
    bounds = [
        select(bound(table.month)).scalar_subquery()
        for table in (ContactMonthly, SurveyMonthly)
        for bound in (func.min, func.max)
    ]
    with engine.connect() as connection:
        found = connection.execute(select(*bounds)).one()
    ends: list[date] = [day for day in found if day is not None]
    if not ends:
        return []
    return list(range(min(ends).year, max(ends).year + 1))
