"""Personal data in free text is masked before it is stored; ordinary text is left alone."""

from __future__ import annotations

import pytest

from data_access.importing.masking import mask


def test_email_address_is_masked() -> None:
    text = "Non riesco ad accedere, scrivetemi a giulia.bianchi+bollette@libero.it grazie"
    assert mask(text) == "Non riesco ad accedere, scrivetemi a [email] grazie"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Richiamatemi al 333 123 4567 dopo le 18", "Richiamatemi al [telefono] dopo le 18"),
        ("cell. 3331234567.", "cell. [telefono]."),
        ("il mio numero è +39 347 765 4321", "il mio numero è [telefono]"),
        ("chiamate lo 0039 347-765-4321", "chiamate lo [telefono]"),
        ("ufficio: +39 051 6223111", "ufficio: [telefono]"),
        ("fisso 051.622.3111 o 051-6223111", "fisso [telefono] o [telefono]"),
        ("Milano 02 1234 5678, Imola 0542 123456", "Milano [telefono], Imola [telefono]"),
    ],
)
def test_italian_phone_numbers_are_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_codice_fiscale_is_masked() -> None:
    text = "Intestatario RSSMRA85T10A944S, chiedo la voltura"
    assert mask(text) == "Intestatario [codice fiscale], chiedo la voltura"


def test_codice_fiscale_with_omocodia_letters_is_masked() -> None:
    # omocodia: digits replaced by letters (here the last two digits of the place code)
    assert mask("CF RSSMRA85T10A9QRS del cliente") == "CF [codice fiscale] del cliente"


def test_lower_case_codice_fiscale_is_masked() -> None:
    assert mask("cf: rssmra85t10a944s") == "cf: [codice fiscale]"


def test_iban_with_spaces_is_masked() -> None:
    text = "Addebito su IBAN IT60 X054 2811 1010 0000 0123 456 dal prossimo mese"
    assert mask(text) == "Addebito su IBAN [IBAN] dal prossimo mese"


def test_iban_without_spaces_is_masked() -> None:
    assert mask("IBAN: IT60X0542811101000000123456.") == "IBAN: [IBAN]."


def test_pod_code_is_masked() -> None:
    assert mask("Il POD è IT001E12345678, contatore in cantina") == (
        "Il POD è [POD], contatore in cantina"
    )


def test_pdr_code_is_masked() -> None:
    assert mask("PDR 01234567890123 del gas") == "PDR [PDR] del gas"


def test_several_kinds_in_one_comment_are_all_masked() -> None:
    text = (
        "Sono Mario Rossi (RSSMRA85T10A944S), scrivete a mario.rossi@gmail.com o chiamate "
        "il 347 123 4567; POD IT001E12345678, PDR 01234567890123."
    )
    assert mask(text) == (
        "Sono Mario Rossi ([codice fiscale]), scrivete a [email] o chiamate "
        "il [telefono]; POD [POD], PDR [PDR]."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Bolletta di € 1.234,50 del 14/03/2025, scadenza 03.04.2025",
        "Fattura n. 2025/004512 e n. FT-2025-118842, CAP 40121 Bologna",
        "Pagato 320,00 euro il 2025-03-14 alle 9:30, consumo 3.456 kWh",
        "Rateizzazione in 3 rate da 150 euro, cliente dal 1998",
        "Ho chiamato 5 volte tra le 10.30 e le 12.45, codice cliente 123456",
        "Il totale annuo è di 1.034.567,00 euro per 20 condomini",
    ],
)
def test_ordinary_text_with_numbers_is_not_masked(text: str) -> None:
    assert mask(text) == text
