"""Call center: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Call center' page."""
    coming_soon(
        "contact_centre",
        ["soon.contact_centre.arera", "soon.contact_centre.quality", "soon.contact_centre.hours"],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
