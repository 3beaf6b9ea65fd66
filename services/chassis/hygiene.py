"""Input hygiene: the bounds every value from outside passes before the platform uses it.

One place for each class of hostile input, so that every endpoint gets the same answer:

- text: a lone UTF-16 surrogate cannot be encoded (the database flush and the error
  handler would fail on it) and C0 control characters break XML and terminals; both
  are refused (tab, CR and LF are text);
- moments and days: years outside 1900–2200 are refused (year 1 or 9999 overflow when
  moved between time zones, and no record of the platform is dated there);
- JSON bodies: nesting deeper than `MAX_JSON_DEPTH`, integers longer than
  `MAX_INTEGER_DIGITS` and a refused text anywhere (a key, a free-form value) are a
  decoding error (a 400), never a RecursionError, a conversion that holds the CPU or a
  failed flush;
- numbers written as text: checked by shape and length (`bounded_fraction`) before any
  conversion, so `"1e10000000"` costs nothing.

Standard library only: the chassis' schemas and request decoding use it, and a service's
pure domain may use it too (like `clock`).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_JSON_DEPTH = 32
MAX_INTEGER_DIGITS = 4300  # Python's own limit of int(str); a field's range answers below it
MAX_DECIMAL_DIGITS = 40
MAX_DECIMAL_EXPONENT = 30
MAX_NUMBER_TEXT = 64

_FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_NUMBER = r"[+-]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][+-]?\d{1,2})?"
_FRACTION_TEXT = re.compile(rf"\s*({_NUMBER})(?:\s*/\s*({_NUMBER}))?\s*")


def text_fault(value: str) -> str | None:
    """Why a text may not be taken in (a lone surrogate, a C0 control), or None."""
    found = _FORBIDDEN_TEXT.search(value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"Contains a lone UTF-16 surrogate (U+{code:04X}) at position {found.start()}."
    return f"Contains the control character U+{code:04X} at position {found.start()}."


def scrubbed(value: str) -> str:
    """The text with each lone surrogate and C0 control (but tab, CR, LF) replaced by U+FFFD:
    safe to encode as UTF-8 and to put in XML 1.0 (for echoing input back, for text stored
    before these checks)."""
    return _FORBIDDEN_TEXT.sub("\ufffd", value)


def day_fault(value: date) -> str | None:
    """Why a day or moment is outside the calendar the platform keeps, or None."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        kind = "moment" if isinstance(value, datetime) else "date"
        return f"The {kind} must fall in the years {MIN_YEAR} to {MAX_YEAR}."
    return None


def decimal_fault(value: Decimal) -> str | None:
    """Why an exact decimal is too long or too large to compute with, or None."""
    if not value.is_finite():
        return "Must be a finite number."
    if len(value.as_tuple().digits) > MAX_DECIMAL_DIGITS or abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        return f"Must have at most {MAX_DECIMAL_DIGITS} digits and magnitude below 10^{MAX_DECIMAL_EXPONENT}."
    return None


def bounded_fraction(text: str) -> Fraction:
    """A number or fraction written as text ('3', '0.2', '1/3', '2e-1'), checked by shape
    and length before conversion; ValueError when it is not one."""
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueError(f"a number is at most {MAX_NUMBER_TEXT} characters")
    found = _FRACTION_TEXT.fullmatch(text)
    if found is None:
        raise ValueError(f"{text[:20]!r} is not a number or a fraction like 1/3")
    numerator, denominator = found.groups()
    value = Fraction(numerator)
    return value / Fraction(denominator) if denominator is not None else value  # ZeroDivisionError


class JsonRefused(json.JSONDecodeError):
    """A body that is JSON but not one the platform takes in (see `decode_json`)."""


class JsonTooDeep(JsonRefused):
    """The body nests arrays and objects deeper than MAX_JSON_DEPTH."""


def _bounded_int(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def decode_json(text: str | bytes) -> Any:
    """json.loads with the bounds above; every refusal is a json.JSONDecodeError whose
    message says what was refused and where (`$.attributes.name: ...`) and whose `doc` is
    never empty (webargs reads an empty `doc` as "no body")."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError(f"not UTF-8: {exc.reason}", "?", 0) from None
    try:
        value = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH} levels", text, 0) from None
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc), text, 0) from None
    _check_decoded(value, text)
    return value


def _check_decoded(value: Any, text: str) -> None:
    """Walk a decoded body once (iteratively): its depth, and every key and string in it."""
    stack: list[tuple[Any, int, str]] = [(value, 0, "$")]
    while stack:
        item, level, path = stack.pop()
        if isinstance(item, str):
            fault = text_fault(item)
            if fault is not None:
                raise JsonRefused(f"{path}: {fault}", text, 0)
        elif isinstance(item, dict | list):
            if level >= MAX_JSON_DEPTH:
                raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH} levels", text, 0)
            if isinstance(item, list):
                stack.extend((child, level + 1, f"{path}[{i}]") for i, child in enumerate(item))
                continue
            for key, child in item.items():
                fault = text_fault(key)
                if fault is not None:
                    raise JsonRefused(f"{path}: a key {fault[0].lower()}{fault[1:]}", text, 0)
                stack.append((child, level + 1, f"{path}.{key}"))
