"""Soddisfazione: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Soddisfazione' page."""
    coming_soon(
        "satisfaction",
        ["soon.satisfaction.indices", "soon.satisfaction.bands", "soon.satisfaction.comments"],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
