"""Personal identifiers in free text: both mod-11 control digits must be right."""

from __future__ import annotations

import pytest

from laeringsarena.quality.pii import find_identifiers, valid_national_id


@pytest.mark.parametrize("number", ["01010012356", "15076500565", "29029900157"])
def test_valid_national_identity_numbers(number):
    assert valid_national_id(number)


@pytest.mark.parametrize("number", ["01010012357", "01010012366", "12345678901", "0101001235"])
def test_wrong_control_digits_are_not_national_identity_numbers(number):
    assert not valid_national_id(number)


def test_finds_numbers_written_with_a_space_and_phone_numbers_in_common_forms():
    text = "fnr 010100 12356, tlf +47 91234567, 22 33 44 55 og 481 23 456; ordre 12345678901"
    found = [(f.kind, f.text) for f in find_identifiers(text)]
    assert found == [
        ("national_id", "010100 12356"),
        ("phone", "+47 91234567"),
        ("phone", "22 33 44 55"),
        ("phone", "481 23 456"),
    ]


def test_times_dates_and_room_numbers_are_not_flagged():
    assert find_identifiers("Kl. 23.15 den 12.03.2025 på rom 12, dose 2,5 mg, 3 ganger") == []
