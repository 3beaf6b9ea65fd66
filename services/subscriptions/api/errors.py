"""The error statuses an operation documents (problem+json, the chassis' component responses)."""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

from flask_smorest import Blueprint


def documenter(blp: Blueprint) -> Callable[..., Callable[[Any], Any]]:
    """`documented(401, 403, ...)` for views of `blp`: each status as the chassis' problem response."""

    def documented(*statuses: int) -> Callable[[Any], Any]:
        def decorate(view: Any) -> Any:
            for status in statuses:
                view = blp.alt_response(status, http.HTTPStatus(status).name)(view)
            return view

        return decorate

    return documented
