"""Find personal identifiers in free text: Norwegian national identity numbers and phone numbers.

A national identity number (fødselsnummer, also D- and H-numbers) is eleven digits whose two
last digits are mod-11 control digits; only numbers where *both* control digits are right are
reported, so an order number or a random eleven-digit string does not raise a false alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NATIONAL_ID = re.compile(r"(?<![\d])(\d{6})[ ]?(\d{5})(?![\d])")
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)47[ -]?)?"
    r"(?:[2-9]\d{7}|[2-9]\d{2}[ -]\d{2}[ -]\d{3}|[2-9]\d[ -]\d{2}[ -]\d{2}[ -]\d{2})(?![\d])"
)
_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def valid_national_id(number: str) -> bool:
    """Are both mod-11 control digits of an eleven-digit number right?"""
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    k1 = _control(digits[:9], _K1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _control(digits[:10], _K2)
    return k2 is not None and k2 == digits[10]


@dataclass(frozen=True)
class Finding:
    kind: str  # "national_id" or "phone"
    text: str  # the matched text, so the reporter can find it

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


def find_identifiers(*texts: str) -> list[Finding]:
    """Personal identifiers in the texts, in order of appearance."""
    findings: list[Finding] = []
    for text in texts:
        if not text:
            continue
        ids = []
        for match in _NATIONAL_ID.finditer(text):
            if valid_national_id(match.group(1) + match.group(2)):
                ids.append(match.span())
                findings.append(Finding("national_id", match.group(0)))
        for match in _PHONE.finditer(text):
            start = match.start()
            if any(s <= start < e for s, e in ids):
                continue
            findings.append(Finding("phone", match.group(0)))
    return findings
