"""Masking personal data in free text before it is stored (e-mail, phones, CF, IBAN, POD/PDR)."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# IT + 2 check digits + CIN letter + ABI (5) + CAB (5) + account (12), spaces allowed anywhere
IBAN = re.compile(r"\bIT[ ]?\d{2}(?:[ ]?[A-Z0-9]){23}\b", re.IGNORECASE)
# 6 letters (surname, name), year, month letter, day, place (letter + 3), check letter; the
# digits may be replaced by the omocodia letters L M N P Q R S T U V
_DIGIT = "[0-9LMNPQRSTUV]"
CODICE_FISCALE = re.compile(
    rf"\b[A-Z]{{6}}{_DIGIT}{{2}}[ABCDEHLMPRST]{_DIGIT}{{2}}[A-Z]{_DIGIT}{{3}}[A-Z]\b",
    re.IGNORECASE,
)
POD = re.compile(r"\bIT\d{3}E\d{8,9}\b", re.IGNORECASE)
PDR = re.compile(r"(?<![\d.,/-])\d{14}(?![\d])")
# optional +39/0039, then a mobile (3xx) or landline (0x...) number in groups split by
# spaces, dots or dashes; digit counts are checked in _phone so amounts and CAPs stay
PHONE = re.compile(
    r"(?<![\w+])(?<!\d[.,/-])"
    r"(?P<prefix>(?:\+|00)39[ .-]?)?"
    r"(?P<number>(?:3\d{2}|0\d{1,3})(?:[ .-]?\d{2,8}){1,3})"
    r"(?![\d])(?![.,/]\d)"
)
DATE_LIKE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")

TAGS = {
    "email": "[email]",
    "phone": "[telefono]",
    "codice_fiscale": "[codice fiscale]",
    "iban": "[IBAN]",
    "pod": "[POD]",
    "pdr": "[PDR]",
}


def _phone(match: re.Match[str]) -> str:
    number = match.group("number")
    if DATE_LIKE.fullmatch(number):
        return match.group(0)
    digits = sum(c.isdigit() for c in number)
    mobile = number.startswith("3") and 9 <= digits <= 10
    landline = number.startswith("0") and 6 <= digits <= 11
    return TAGS["phone"] if mobile or landline else match.group(0)


def mask(text: str) -> str:
    """Replace personal data in text with tags such as [email] and [telefono]."""
    text = EMAIL.sub(TAGS["email"], text)
    text = IBAN.sub(TAGS["iban"], text)
    text = CODICE_FISCALE.sub(TAGS["codice_fiscale"], text)
    text = POD.sub(TAGS["pod"], text)
    text = PDR.sub(TAGS["pdr"], text)
    return PHONE.sub(_phone, text)
