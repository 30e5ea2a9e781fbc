"""Sentences built from catalogue pieces read correctly for every KPI, in every language.

The catalogues hold templates ("{kpi}: andamento") that the code fills with KPI labels; a label
that reads well alone can still make a broken sentence once joined ("Pratiche delle associazioni
nei tempi nel tempo"), or ask for an agreement the template cannot give ("Quota … migliorato").
"""

from __future__ import annotations

import re
import string

import pytest
from streamlit.testing.v1 import AppTest

from data_access import i18n
from data_access.kpis import KPIS
from data_access.movements import Movement
from ui.movements import movement_sentence

NAMES = {"RA": "Ravenna"}

# Every KPI's Italian movement sentence, read and written out by hand. The verdict ("in
# miglioramento" / "in peggioramento") needs no agreement with the KPI's noun, whatever its
# gender and number ("Quota …", "Contatti …", "Tempo …"). A new KPI fails
# test_every_kpi_has_its_sentence_written_out until its sentence is read and added here.
SENTENCES = {
    "contacts": (
        (5000.0, 4500.0, -500.0, True),
        "Ravenna · Contatti: da 5.000 a 4.500 (-500), in miglioramento.",
    ),
    "contacts_per_1000": (
        (120.0, 130.0, 10.0, False),
        "Ravenna · Contatti ogni 1.000 clienti: da 120,0 a 130,0 (+10,0), in peggioramento.",
    ),
    "service_level": (
        (95.1, 91.3, -3.8, False),
        "Ravenna · Livello di servizio (LS): da 95,1% a 91,3% (-3,8 p.p.), in peggioramento.",
    ),
    "average_wait": (
        (40.0, 60.0, 20.0, False),
        "Ravenna · Tempo medio di attesa (TMA): da 40 s a 60 s (+20 s), in peggioramento.",
    ),
    "line_accessibility": (
        (92.0, 96.0, 4.0, True),
        "Ravenna · Accessibilità al servizio (AS): da 92,0% a 96,0% (+4,0 p.p.), in miglioramento.",
    ),
    "abandonment_rate": (
        (8.0, 5.0, -3.0, True),
        "Ravenna · Tasso di abbandono: da 8,0% a 5,0% (-3,0 p.p.), in miglioramento.",
    ),
    "service_level_80_20": (
        (75.0, 82.0, 7.0, True),
        "Ravenna · Livello di servizio 80/20: da 75,0% a 82,0% (+7,0 p.p.), in miglioramento.",
    ),
    "fcr": (
        (70.0, 65.0, -5.0, False),
        "Ravenna · Risoluzione al primo contatto (FCR): da 70,0% a 65,0% (-5,0 p.p.), "
        "in peggioramento.",
    ),
    "aht": (
        (300.0, 270.0, -30.0, True),
        "Ravenna · Tempo medio di gestione (AHT): da 300 s a 270 s (-30 s), in miglioramento.",
    ),
    "csi": (
        (67.5, 70.2, 2.7, True),
        "Ravenna · Indice di soddisfazione (CSI): da 67,5 a 70,2 (+2,7), in miglioramento.",
    ),
    "csat": (
        (80.0, 85.0, 5.0, True),
        "Ravenna · Clienti soddisfatti (CSAT): da 80,0% a 85,0% (+5,0 p.p.), in miglioramento.",
    ),
    "nps": (
        (20.0, 35.0, 15.0, True),
        "Ravenna · Net Promoter Score (NPS): da +20 a +35 (+15 pt), in miglioramento.",
    ),
    "ces": (
        (5.2, 4.8, -0.4, False),
        "Ravenna · Facilità di contatto (CES): da 5,20 a 4,80 (-0,40), in peggioramento.",
    ),
    "online_adoption": (
        (20.0, 24.0, 4.0, True),
        "Ravenna · Adozione dell'area clienti online: da 20,0% a 24,0% (+4,0 p.p.), "
        "in miglioramento.",
    ),
    "branch_usage": (
        (30.0, 27.0, -3.0, False),
        "Ravenna · Uso degli sportelli: da 30,0% a 27,0% (-3,0 p.p.), in peggioramento.",
    ),
    "digital_share": (
        (20.0, 25.0, 5.0, True),
        "Ravenna · Quota di contatti digitali: da 20,0% a 25,0% (+5,0 p.p.), in miglioramento.",
    ),
    "complaint_reply_days": (
        (17.0, 14.5, -2.5, True),
        "Ravenna · Tempo di risposta ai reclami: da 17,0 gg a 14,5 gg (-2,5 gg), in miglioramento.",
    ),
    "complaint_reply_30d": (
        (90.0, 96.0, 6.0, True),
        "Ravenna · Reclami con risposta entro 30 giorni: da 90,0% a 96,0% (+6,0 p.p.), "
        "in miglioramento.",
    ),
    "association_reply_days": (
        (20.0, 26.3, 6.3, False),
        "Ravenna · Tempo di risposta alle associazioni: da 20,0 gg a 26,3 gg (+6,3 gg), "
        "in peggioramento.",
    ),
    "association_within_target": (
        (80.0, 90.0, 10.0, True),
        "Ravenna · Risposte alle associazioni entro l'obiettivo: da 80,0% a 90,0% "
        "(+10,0 p.p.), in miglioramento.",
    ),
}


def movement(kpi: str, before: float, now: float, change: float, better: bool) -> Movement:
    return Movement(kpi, "RA", before, now, change, strength=3.0, better=better)


@pytest.mark.parametrize("kpi", list(SENTENCES))
def test_every_kpi_movement_reads_correctly_in_italian(kpi: str) -> None:
    (before, now, change, better), expected = SENTENCES[kpi]
    assert movement_sentence(movement(kpi, before, now, change, better), NAMES, "it") == expected


def test_every_kpi_has_its_sentence_written_out() -> None:
    assert sorted(SENTENCES) == sorted(KPIS)


def test_the_italian_verdict_needs_no_agreement_with_the_kpi() -> None:
    # a past participle (migliorato/a/i/e) would have to agree with each label's noun
    words = i18n.catalogue("it")
    verdicts = [words["movement.better"], words["movement.worse"]]
    assert verdicts == ["in miglioramento", "in peggioramento"]


def test_a_movement_reads_correctly_in_english() -> None:
    found = movement("digital_share", 20.0, 25.0, 5.0, True)
    assert movement_sentence(found, NAMES, "en") == (
        "Ravenna · Digital share of contacts: from 20.0% to 25.0% (+5.0 pp), better."
    )


# --- templates joined with KPI labels ---------------------------------------------------------

BROKEN_JOINS = {
    "it": ("nel tempo nel tempo", "tempi nel tempo", "tempo nel tempo"),
    "en": ("over time over time", "on time over time", "time over time"),
}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def kpi_templates(lang: str) -> dict[str, str]:
    """Every catalogue entry that the code fills with a KPI label."""
    return {
        key: value for key, value in i18n.catalogue(lang).items() if "kpi" in placeholders(value)
    }


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_catalogue_value_holds_a_broken_join(lang: str) -> None:
    found = [
        (key, value)
        for key, value in i18n.catalogue(lang).items()
        for join in BROKEN_JOINS[lang]
        if join in value.lower()
    ]
    assert found == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_kpi_label_makes_a_broken_join_in_any_template(lang: str) -> None:
    assert len(kpi_templates(lang)) >= 8
    broken = []
    for key, template in kpi_templates(lang).items():
        for kpi in KPIS.values():
            values = dict.fromkeys(placeholders(template), "X") | {"kpi": kpi.label(lang)}
            filled = template.format(**values).lower()
            broken += [(key, kpi.code) for join in BROKEN_JOINS[lang] if join in filled]
    assert broken == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_kpi_label_opens_its_sentence_never_sits_inside_one(lang: str) -> None:
    # labels are capitalised names ("Contatti ogni 1.000 clienti"): "Nessun dato di Contatti
    # ogni 1.000 clienti" reads wrong; "{kpi}: nessun dato" reads right in every case
    inside = {
        key: template
        for key, template in kpi_templates(lang).items()
        if not re.match(r"^(\{where\} · )?\{kpi\}", template)
    }
    assert inside == {}


# --- the account line -------------------------------------------------------------------------


def _account_app(lang: str, user: str) -> AppTest:
    def script(lang: str, user: str) -> None:
        from data_access.access import viewer
        from ui import auth

        who = viewer(user)
        auth.account_box(who, who.scope, lang)

    app = AppTest.from_function(script, kwargs={"lang": lang, "user": user})
    return app.run()


def test_the_local_account_line_is_in_english_on_an_english_page() -> None:
    app = _account_app("en", "locale")
    assert [caption.value for caption in app.sidebar.caption] == [
        "Local user · administrator · all provinces"
    ]


def test_the_local_account_line_is_in_italian_on_an_italian_page() -> None:
    app = _account_app("it", "locale")
    assert [caption.value for caption in app.sidebar.caption] == [
        "Utente locale · amministratore · tutte le province"
    ]
