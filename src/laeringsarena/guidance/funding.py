"""Funding information for an offering (finansiering), derived from its price model and credits.

* employer-paid (``price_model=employer``): «Arbeidsgiveren betaler»;
* subscription held by the person's municipality: «Inkludert i kommunens abonnement»;
* free: «Gratis»;
* paid: the price, and that a course request to the leader can ask the employer or the
  municipality's competence funds (kompetansemidler) to pay;
* credit-bearing (ECTS ``studiepoeng``): may qualify for support from Lånekassen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Funding:
    kind: str  # free / employer / subscription / subscription_missing / competence_funds / student_loan
    text: str


def funding_for(
    price_model: str, price_nok: Decimal | float | None, ects: Decimal | float | None, *, has_access: bool
) -> list[Funding]:
    result: list[Funding] = []
    if price_model == "free":
        result.append(Funding("free", _("Gratis")))
    elif price_model == "employer":
        result.append(Funding("employer", _("Arbeidsgiveren betaler")))
    elif price_model == "subscription":
        if has_access:
            result.append(Funding("subscription", _("Inkludert i abonnementet du har tilgang til")))
        else:
            result.append(Funding("subscription_missing", _("Krever abonnement – spør lederen om tilgang")))
    elif price_model == "paid":
        price = (
            _("Koster %(price)s kr") % {"price": number_format(price_nok, 0, force_grouping=True)}
            if price_nok
            else _("Betalt kurs")
        )
        result.append(
            Funding(
                "competence_funds",
                price + " – " + _("søk lederen om at arbeidsgiveren eller kompetansemidler dekker det"),
            )
        )
    if ects:
        result.append(
            Funding(
                "student_loan",
                _("Gir %(credits)s studiepoeng – du kan ha rett på støtte fra Lånekassen")
                % {"credits": number_format(ects, 1 if Decimal(str(ects)) % 1 else 0)},
            )
        )
    return result
