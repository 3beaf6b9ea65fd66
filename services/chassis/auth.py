"""JWT bearer authentication and community-scoped role checks.

Tokens are RS256, verified against the district identity provider's JWKS in
production or a local key pair (generated under `var/keys/` on first embedded start).
Claims: `sub`, `name`, `roles`, `communities`. Every service verifies every token
itself; the gateway checks too, but no service trusts the network.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import g, request

from .config import COMMUNITIES, Settings
from .errors import Forbidden, Unauthorized

ROLES = (
    "resident",
    "center_staff",
    "grid_worker",
    "committee_member",
    "subdistrict_officer",
    "provider_signatory",
    "evaluator",
    "department",
    "admin",
)
ALGORITHM = "RS256"
# Who may read a process's Prometheus metrics with a token: the operators of the platform.
METRICS_ROLES = ("admin",)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's subject, display name, roles and communities."""

    sub: str
    name: str
    roles: frozenset[str]
    communities: frozenset[str]
    claims: dict[str, Any]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def has_role(self, *roles: str) -> bool:
        return self.is_admin or bool(self.roles.intersection(roles))

    def in_community(self, community: str) -> bool:
        return self.is_admin or community in self.communities

    def may(self, roles: Iterable[str], community: str | None = None) -> bool:
        """True when the caller holds one of `roles` in `community` (any, if None)."""
        roles = tuple(roles)
        if not self.has_role(*roles):
            return False
        return community is None or self.in_community(community)

    def require(self, *roles: str, community: str | None = None) -> Principal:
        """Raise 403 unless the caller holds one of `roles` (in `community`)."""
        if not self.has_role(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        if community is not None and not self.in_community(community):
            raise Forbidden(f"Your token does not cover the community {community!r}.")
        return self

    def visible_communities(self) -> frozenset[str]:
        return frozenset(COMMUNITIES) if self.is_admin else self.communities


def generate_key_pair(private_path: Path, public_path: Path) -> None:
    """Write a new RSA key pair (PEM) if none exists; safe when several processes race."""
    if private_path.exists() and public_path.exists():
        return
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    tmp_private = private_path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    tmp_public = public_path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    tmp_private.write_bytes(private_pem)
    tmp_private.chmod(0o600)
    tmp_public.write_bytes(public_pem)
    if private_path.exists():  # another process won the race
        tmp_private.unlink()
        tmp_public.unlink()
        return
    tmp_private.replace(private_path)
    tmp_public.replace(public_path)


def ensure_local_keys(settings: Settings) -> None:
    if settings.jwt_jwks_url is None and settings.jwt_private_key_path and settings.jwt_public_key_path:
        generate_key_pair(settings.jwt_private_key_path, settings.jwt_public_key_path)


def issue_token(
    settings: Settings,
    *,
    sub: str,
    roles: Iterable[str],
    communities: Iterable[str],
    name: str | None = None,
    ttl: timedelta = timedelta(hours=8),
    private_key_pem: bytes | None = None,
    **claims: Any,
) -> str:
    """Sign a token with the local private key (embedded mode, tests, `community token`)."""
    roles = list(roles)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)}")
    communities = list(communities)
    bad = [c for c in communities if c not in COMMUNITIES]
    if bad:
        raise ValueError(f"unknown community(ies): {', '.join(bad)}")
    if private_key_pem is None:
        if settings.jwt_private_key_path is None:
            raise ValueError("no local private key configured (JWKS mode issues no tokens)")
        ensure_local_keys(settings)
        private_key_pem = settings.jwt_private_key_path.read_bytes()
    now = int(time.time())
    payload = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": sub,
        "name": name or sub,
        "roles": roles,
        "communities": communities,
        "iat": now,
        "nbf": now,
        "exp": now + int(ttl.total_seconds()),
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode(payload, private_key_pem, algorithm=ALGORITHM)


class TokenVerifier:
    """Verifies bearer tokens; caches successful verifications until they expire."""

    def __init__(self, settings: Settings, cache_size: int = 4096) -> None:
        self.settings = settings
        self._public_key: Any = None
        self._jwks: jwt.PyJWKClient | None = None
        if settings.jwt_jwks_url:
            self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=600)
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _key_for(self, token: str) -> Any:
        if self._jwks is not None:
            try:
                return self._jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientError as exc:
                raise Unauthorized(f"Signing key not found: {exc}") from None
        if self._public_key is None:
            path = self.settings.jwt_public_key_path
            if path is None or not path.exists():
                ensure_local_keys(self.settings)
            assert path is not None
            self._public_key = serialization.load_pem_public_key(path.read_bytes())
        return self._public_key

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; `Unauthorized` with the reason otherwise."""
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = time.time()
        cached = self._cache.get(digest)
        if cached and cached[0] > now:
            return cached[1]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise Unauthorized("The bearer token is not a JWT.") from None
        if header.get("alg") != ALGORITHM:
            raise Unauthorized(f"Token algorithm {header.get('alg')!r} is not accepted.")
        try:
            claims = jwt.decode(
                token,
                self._key_for(token),
                algorithms=[ALGORITHM],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("The token has expired.", type="token-expired") from None
        except jwt.InvalidAudienceError:
            raise Unauthorized("The token is for another audience.") from None
        except jwt.InvalidIssuerError:
            raise Unauthorized("The token comes from an unknown issuer.") from None
        except jwt.InvalidSignatureError:
            raise Unauthorized("The token signature does not verify.") from None
        except jwt.InvalidTokenError as exc:
            raise Unauthorized(f"The token is invalid: {exc}.") from None
        principal = _principal(claims)
        with self._lock:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[digest] = (float(claims["exp"]) + self.settings.jwt_leeway_seconds, principal)
        return principal


def _principal(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles", [])
    communities = claims.get("communities", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Unauthorized("The token's roles claim is not a list of strings.")
    if not isinstance(communities, list) or not all(isinstance(c, str) for c in communities):
        raise Unauthorized("The token's communities claim is not a list of strings.")
    return Principal(
        sub=str(claims["sub"]),
        name=str(claims.get("name") or claims["sub"]),
        roles=frozenset(r for r in roles if r in ROLES),
        communities=frozenset(c for c in communities if c in COMMUNITIES),
        claims=claims,
    )


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Use 'Authorization: Bearer <token>'.")
    return token.strip()


# -- Flask integration ----------------------------------------------------------------


def public(view: F) -> F:
    """Mark a view as reachable without a token; its OpenAPI operation says so (`security: []`)."""
    view.community_public = True  # type: ignore[attr-defined]
    # flask-smorest's documentation of the view (copied outwards by its decorators).
    apidoc = dict(getattr(view, "_apidoc", {}))
    apidoc["manual_doc"] = {"security": [], **apidoc.get("manual_doc", {})}
    view._apidoc = apidoc  # type: ignore[attr-defined]
    return view


def authenticate_request(verifier: TokenVerifier, view: Callable[..., Any] | None) -> None:
    """before_request: attach the caller to `g`, 401 on a bad token or a missing one."""
    token = bearer_token(request.headers.get("Authorization"))
    g.principal = verifier.verify(token) if token else None
    if g.principal is None and view is not None and not _is_public(view) and request.method != "OPTIONS":
        raise Unauthorized("This endpoint needs a bearer token.")


def _is_public(view: Callable[..., Any]) -> bool:
    if getattr(view, "community_public", False):
        return True
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, request.method.lower(), None)
        return bool(getattr(handler, "community_public", False))
    return False


def current_principal() -> Principal:
    principal = g.get("principal")
    if principal is None:
        raise Unauthorized("This endpoint needs a bearer token.")
    return principal


def optional_principal() -> Principal | None:
    return g.get("principal")


def require_metrics_reader(principal: Principal | None) -> None:
    """A caller who shows a token must be an operator (METRICS_ROLES) to read metrics; no
    token is the in-cluster scraper (the gateway refuses anonymous `/api/*/metrics`)."""
    if principal is not None and not principal.has_role(*METRICS_ROLES):
        raise Forbidden(f"Metrics are for the platform's operators (role {', '.join(METRICS_ROLES)}).")


def requires(*roles: str) -> Callable[[F], F]:
    """Decorator: the caller must hold one of `roles` (community checks stay in the view)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            current_principal().require(*roles)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
