"""The dimensions a view narrows on, declared once: province, area, channel, segment, topic.

Each is one small object (after Datasette's filters.py) that the URL round trip, the SQL
conditions, the sentence, the display names and the sidebar all read. Its Filters field also
names its catalogue keys: filters.<attr> (the sidebar's label), filters.all_<attr> (its
placeholder), sentence.<attr> and kpi.not_applicable.<attr>.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    """One dimension: where it lives in the URL, in Filters, in the tables and in the sidebar."""

    param: str  # URL parameter; the sidebar widget is w_<param>; notes say <param>=<value>
    attr: str  # Filters field (a tuple of codes) and catalogue suffix
    column: str  # the code column of the aggregate tables and sources
    names: tuple[str, str, str]  # where display names are: table, code column, name column
    name_key: str | None = None  # catalogue prefix of translated names ("channel" -> channel.web)
    territory: str = ""  # the territory frame's code column the sidebar offers ("": the names)
    territory_name: str = ""  # and the column of their names
    by_region: bool = False  # the sidebar's region narrows the offer and fills the box
    with_code: bool = False  # the sidebar reads "Name (CODE)", ordered by name (else by code)
    upper: bool = False  # URL values are upper-cased (?province=ra is RA)
    scoped: bool = False  # the access scope limits it: queries take scope-checked codes
    says_all: bool = False  # the sentence says "all ..." when nothing is chosen

    @property
    def widget(self) -> str:
        """The sidebar widget's key, e.g. 'w_province'."""
        return f"w_{self.param}"

    def read(self, values: list[str]) -> tuple[str, ...]:
        """URL values as the Filters field holds them: distinct, sorted (upper-cased if so)."""
        return tuple(sorted({value.upper() if self.upper else value for value in values}))


DIMENSIONS = (
    Dimension(
        "province",
        "provinces",
        "province_code",
        names=("province", "sigla", "name"),
        territory="sigla",
        territory_name="province",
        by_region=True,
        with_code=True,
        upper=True,
        scoped=True,
        says_all=True,
    ),
    Dimension(
        "area",
        "areas",
        "area_code",
        names=("area", "code", "name"),
        territory="area",
        territory_name="area_name",
    ),
    Dimension(
        "channel",
        "channels",
        "channel_code",
        names=("channel", "code", "label"),
        name_key="channel",
    ),
    Dimension(
        "segment",
        "segments",
        "segment_code",
        names=("segment", "code", "label"),
        name_key="segment",
    ),
    Dimension("topic", "topics", "topic_code", names=("topic", "code", "label"), name_key="topic"),
)
ATTRS = tuple(dimension.attr for dimension in DIMENSIONS)  # Filters fields, in order
BY_ATTR = {dimension.attr: dimension for dimension in DIMENSIONS}
