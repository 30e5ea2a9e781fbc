"""Trends: a KPI over time per province, and the map."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the trends page."""
    coming_soon("Andamenti", ["Un indicatore nel tempo per provincia, con la mappa."])
