"""Associazioni: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Associazioni' page."""
    coming_soon(
        "Associazioni",
        [
            "Pratiche aperte dalle associazioni dei consumatori e tempi di risposta.",
            "Percentuale di risposte entro l'obiettivo, per associazione e argomento.",
            "Reclami scritti con risposta motivata entro 30 giorni (TIQV).",
        ],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
