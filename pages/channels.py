"""Canali: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Canali' page."""
    coming_soon(
        "Canali",
        [
            (
                "Adozione dei canali (area clienti online, app, sportelli) per provincia "
                "e segmento, "
                "rispetto alla base clienti."
            ),
            "Quota digitale dei contatti e suo andamento.",
            "Mix dei canali per argomento di contatto.",
        ],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
