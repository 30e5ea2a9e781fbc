"""Esporta: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Esporta' page."""
    coming_soon(
        "Esporta",
        [
            (
                "Le righe e gli aggregati dietro ogni grafico, con i filtri applicati, in CSV per "
                "Excel italiano (separatore ;)."
            ),
            (
                "Esportazione delle righe di dettaglio per gli analisti, nei limiti del proprio "
                "profilo."
            ),
        ],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
