"""Call center: not built yet; says what it will show."""

from __future__ import annotations

from ui.placeholder import coming_soon


def render() -> None:
    """Draw the 'Call center' page."""
    coming_soon(
        "Call center",
        [
            (
                "Livello di servizio, tempo medio di attesa, abbandoni e accessibilità, con gli "
                "standard ARERA."
            ),
            "Livello di servizio 80/20, risoluzione al primo contatto e tempo medio di gestione.",
            "Andamento per settimana e fascia oraria.",
        ],
    )


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
