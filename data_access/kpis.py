"""The KPI registry: one definition per KPI, used by every page, export and test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "percent", "seconds", "days", "score", "nps", "per_thousand"]
Family = Literal["contact", "survey", "adoption", "association"]
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Kpi:
    """How a KPI is named, measured and read; `help` states its definition in Italian."""

    code: str
    label: str
    unit: Unit
    family: Family
    better: Better
    decimals: int
    help: str

    @property
    def is_estimate(self) -> bool:
        """True for sample-based KPIs (surveys): they carry n, a 95% interval and suppression."""
        return self.family == "survey"


_DEFINITIONS = (
    Kpi(
        "contacts",
        "Contatti",
        "count",
        "contact",
        "lower",
        0,
        "Numero di contatti nel periodo, su tutti i canali selezionati.",
    ),
    Kpi(
        "contacts_per_1000",
        "Contatti ogni 1.000 clienti",
        "per_thousand",
        "contact",
        "lower",
        1,
        "Contatti ÷ clienti medi mensili del periodo × 1.000 (stesse province, aree e segmenti; "
        "canali e argomenti non restringono la base clienti).",
    ),
    Kpi(
        "service_level",
        "Livello di servizio (LS)",
        "percent",
        "contact",
        "higher",
        1,
        "Chiamate che hanno parlato con un operatore ÷ chiamate che hanno chiesto un operatore "
        "× 100.",
    ),
    Kpi(
        "average_wait",
        "Tempo medio di attesa (TMA)",
        "seconds",
        "contact",
        "lower",
        0,
        "Secondi dalla richiesta dell'operatore all'inizio della conversazione, media sulle "
        "sole chiamate con risposta (tempo nel menu escluso).",
    ),
    Kpi(
        "line_accessibility",
        "Accessibilità al servizio (AS)",
        "percent",
        "contact",
        "higher",
        1,
        "Secondi con linea libera ÷ secondi con almeno un operatore collegato × 100; "
        "disponibile solo dove la fonte fornisce i tempi di linea.",
    ),
    Kpi(
        "abandonment_rate",
        "Tasso di abbandono",
        "percent",
        "contact",
        "lower",
        1,
        "Chiamate abbandonate ÷ chiamate che hanno chiesto un operatore × 100.",
    ),
    Kpi(
        "service_level_80_20",
        "Livello di servizio 80/20",
        "percent",
        "contact",
        "higher",
        1,
        "Chiamate con risposta entro 20 secondi ÷ chiamate che hanno chiesto un operatore × 100.",
    ),
    Kpi(
        "fcr",
        "Risoluzione al primo contatto (FCR)",
        "percent",
        "contact",
        "higher",
        1,
        "Contatti risolti al primo contatto ÷ contatti con esito noto × 100; i contatti di cui "
        "non si sa se siano stati risolti sono esclusi dal calcolo.",
    ),
    Kpi(
        "aht",
        "Tempo medio di gestione (AHT)",
        "seconds",
        "contact",
        "lower",
        0,
        "(Conversazione + attesa in linea + lavoro dopo la chiamata) ÷ contatti gestiti, "
        "in secondi.",
    ),
    Kpi(
        "csi",
        "Indice di soddisfazione (CSI)",
        "score",
        "survey",
        "higher",
        1,
        "Media della soddisfazione complessiva riportata su scala 0–100 (sotto 50 insufficiente, "
        "50–60 minima, 60–70 buona, oltre 70 alta); intervallo di confidenza al 95%.",
    ),
    Kpi(
        "csat",
        "Clienti soddisfatti (CSAT)",
        "percent",
        "survey",
        "higher",
        1,
        "Risposte 4–5 su scala 1–5 (8–10 su scala 1–10) ÷ risposte × 100; intervallo di "
        "confidenza al 95% (Wilson).",
    ),
    Kpi(
        "nps",
        "Net Promoter Score (NPS)",
        "nps",
        "survey",
        "higher",
        0,
        "% promotori (voto 9–10) − % detrattori (voto 0–6) alla domanda sulla raccomandazione "
        "0–10; da −100 a +100, con intervallo di confidenza al 95%.",
    ),
    Kpi(
        "ces",
        "Customer Effort Score (CES)",
        "score",
        "survey",
        "higher",
        2,
        "Media del punteggio di facilità 1–7 (7 = molto facile); intervallo di confidenza al 95%.",
    ),
    Kpi(
        "online_adoption",
        "Adozione dell'area clienti online",
        "percent",
        "adoption",
        "higher",
        1,
        "Clienti registrati all'area clienti online (o, se manca il dato, clienti che l'hanno "
        "usata nei 12 mesi) ÷ clienti × 100, all'ultimo mese con dati del periodo.",
    ),
    Kpi(
        "branch_usage",
        "Uso degli sportelli",
        "percent",
        "adoption",
        "higher",
        1,
        "Clienti che hanno usato gli sportelli nei 12 mesi ÷ clienti × 100, all'ultimo mese "
        "con dati del periodo.",
    ),
    Kpi(
        "digital_share",
        "Quota di contatti digitali",
        "percent",
        "contact",
        "higher",
        1,
        "Contatti su area web, app, chat, WhatsApp e chatbot ÷ tutti i contatti × 100.",
    ),
    Kpi(
        "complaint_reply_days",
        "Tempo di risposta ai reclami",
        "days",
        "contact",
        "lower",
        1,
        "Giorni di calendario dal ricevimento del reclamo scritto alla risposta motivata, media "
        "sui reclami con risposta (per giorno di ricevimento).",
    ),
    Kpi(
        "complaint_reply_30d",
        "Reclami con risposta entro 30 giorni",
        "percent",
        "contact",
        "higher",
        1,
        "Reclami scritti con risposta motivata entro 30 giorni ÷ reclami con risposta × 100.",
    ),
    Kpi(
        "association_reply_days",
        "Tempo di risposta alle associazioni",
        "days",
        "association",
        "lower",
        1,
        "Giorni dalla segnalazione di un'associazione dei consumatori alla risposta, media sui "
        "casi con risposta (per data di apertura).",
    ),
    Kpi(
        "association_within_target",
        "Casi delle associazioni nei tempi",
        "percent",
        "association",
        "higher",
        1,
        "Casi delle associazioni con risposta entro l'obiettivo (30 giorni se non fissato) ÷ "
        "casi con risposta × 100.",
    ),
)

KPIS: dict[str, Kpi] = {kpi.code: kpi for kpi in _DEFINITIONS}
