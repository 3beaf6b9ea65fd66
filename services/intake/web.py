"""Helpers of the intake views: the clock and settings of the running app."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from .settings import IntakeSettings


def settings() -> IntakeSettings:
    """The intake settings of this app (read once, kept in the app's extensions)."""
    found = current_app.extensions.get("intake")
    if found is None:
        found = IntakeSettings.of(current_app.extensions["community"].settings)
        current_app.extensions["intake"] = found
    return found


def now() -> datetime:
    return settings().clock()
