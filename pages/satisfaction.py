"""Soddisfazione: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Soddisfazione' page."""
    coming_soon(
        "Soddisfazione",
        [
            (
                "Indice di soddisfazione (CSI), CSAT, NPS e CES con numero di risposte "
                "e intervallo "
                "al 95%."
            ),
            "Soddisfazione per canale e per provincia, con le fasce di giudizio.",
            "Commenti dei clienti (dati personali già mascherati).",
        ],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
