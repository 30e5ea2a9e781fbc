"""Canali: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Canali' page."""
    coming_soon(
        "channels",
        ["soon.channels.adoption", "soon.channels.digital_share", "soon.channels.mix"],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
