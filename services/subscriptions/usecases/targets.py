"""Webhook targets: no SSRF into the district network.

A URL must be https (plain http only where `allow_http` is set) and every address its
host resolves to must be public: loopback, link-local (cloud metadata 169.254.169.254),
private, shared, reserved, multicast and unspecified addresses are refused unless
`allow_private_targets` is set. Checked when the URL is given and again before each
delivery (a name may resolve elsewhere later).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from services.chassis.errors import Unprocessable

from ..settings import SubscriptionSettings


class RefusedTarget(Unprocessable):
    """A webhook URL the platform will not call."""

    problem_type = "refused-target"


def _refuse(reason: str) -> RefusedTarget:
    return RefusedTarget(
        f"不接受此回调地址：{reason} (Webhook URL refused: {reason})", errors={"url": [reason]}
    )


def check(url: str, settings: SubscriptionSettings) -> None:
    """Raise `RefusedTarget` unless the platform may POST to `url`."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and settings.allow_http):
        raise _refuse("the URL must use https.")
    if not parts.hostname or parts.username or parts.password:
        raise _refuse("the URL needs a host and no credentials.")
    try:
        port = parts.port
        infos = socket.getaddrinfo(parts.hostname, port or 443, type=socket.SOCK_STREAM)
    except (ValueError, OSError, UnicodeError):
        raise _refuse("the host does not resolve.") from None
    if settings.allow_private_targets:
        return
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise _refuse(f"the host resolves to a non-public address ({address}).")
