"""Rules for personal data: resident ID numbers, phone numbers, names and their masks.

Mainland resident identity card numbers (GB 11643-1999): 6-digit area code, 8-digit
date of birth, 3-digit order code, and a check character computed with ISO 7064
MOD 11-2 (`X` stands for 10). Standard library only.
"""

from __future__ import annotations

import re
from datetime import date

ID_LENGTH = 18
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
# Province-level codes (first two digits) of the mainland resident ID numbering.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")


class InvalidIdNumber(ValueError):
    """A resident ID number that does not follow GB 11643 (message never holds the number)."""


def iso7064_mod11_2(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a string of digits ('0'-'9' or 'X')."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2 % 11
    check = (12 - total) % 11
    return "X" if check == 10 else str(check)


def normalize_id_number(value: str) -> str:
    return value.strip().upper()


def validate_id_number(value: str, today: date | None = None) -> str:
    """The normalized ID number; `InvalidIdNumber` naming what is wrong (not the value)."""
    number = normalize_id_number(value)
    if len(number) != ID_LENGTH:
        raise InvalidIdNumber(f"An ID number has 18 characters (got {len(number)}).")
    if not _ID_SHAPE.match(number):
        raise InvalidIdNumber("An ID number is 17 digits followed by a digit or X.")
    if number[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber("The area code does not start with a province code.")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("The date of birth in the ID number is not a real date.") from None
    if born.year < 1900 or born > (today or date.today()):
        raise InvalidIdNumber("The date of birth in the ID number is out of range.")
    if iso7064_mod11_2(number[:17]) != number[17]:
        raise InvalidIdNumber("The check character of the ID number does not match.")
    return number


def mask_id_number(number: str) -> str:
    """`4403**********123X`: area prefix and the last four kept."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()]", "", value.strip()).removeprefix("+86")


def validate_phone(value: str) -> str:
    """A mainland mobile (11 digits) or landline with area code, normalized."""
    phone = normalize_phone(value)
    if not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        raise ValueError("Give a mainland mobile number (11 digits) or a landline with area code.")
    return phone


def mask_phone(phone: str) -> str:
    """`138****5678`: the first three and last four digits kept."""
    digits = phone.replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """`张**`: the first character (the surname, usually) kept."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1)
