"""How personal values read when masked (pure)."""

from __future__ import annotations


def mask(value: str | None, keep_start: int, keep_end: int) -> str | None:
    """`value` with all but its first `keep_start` and last `keep_end` characters hidden."""
    if not value:
        return value
    hidden = max(len(value) - keep_start - keep_end, 1)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def mask_contact_name(name: str | None) -> str | None:
    """`李*`: the family name only."""
    return mask(name, 1, 0)


def mask_contact_phone(phone: str | None) -> str | None:
    """`139******78`: the first three and last two digits."""
    return mask(phone, 3, 2)
