"""Key settings: a verify-only deployment (a mounted public key) never makes keys."""

from __future__ import annotations

from pathlib import Path

from services.chassis import auth
from services.chassis.config import Settings


def test_public_key_alone_means_no_private_key(monkeypatch, tmp_path):
    monkeypatch.setenv("JWT_PUBLIC_KEY_PATH", str(tmp_path / "mounted" / "jwt-public.pem"))
    monkeypatch.delenv("JWT_PRIVATE_KEY_PATH", raising=False)
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    settings = Settings.from_env("intake", {"data_dir": tmp_path})
    assert settings.jwt_private_key_path is None
    assert settings.jwt_public_key_path == tmp_path / "mounted" / "jwt-public.pem"


def test_verify_only_deployment_writes_no_keys(monkeypatch, tmp_path):
    signing = tmp_path / "signing"
    auth.generate_key_pair(signing / "jwt-private.pem", signing / "jwt-public.pem")
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    (mounted / "jwt-public.pem").write_bytes((signing / "jwt-public.pem").read_bytes())
    mounted.chmod(0o555)
    monkeypatch.setenv("JWT_PUBLIC_KEY_PATH", str(mounted / "jwt-public.pem"))
    monkeypatch.delenv("JWT_PRIVATE_KEY_PATH", raising=False)
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    settings = Settings.from_env("intake", {"data_dir": tmp_path / "data"})
    auth.ensure_local_keys(settings)
    assert sorted(p.name for p in mounted.iterdir()) == ["jwt-public.pem"]
    assert not (tmp_path / "data" / "keys").exists()
    signer = Settings.from_env(
        "intake", {"data_dir": tmp_path, "jwt_private_key_path": signing / "jwt-private.pem"}
    )
    token = auth.issue_token(signer, sub="u1", roles=["admin"], communities=["huaguoshan"])
    assert auth.TokenVerifier(settings).verify(token).sub == "u1"


def test_embedded_defaults_still_make_a_local_pair(monkeypatch, tmp_path):
    for name in ("JWT_PUBLIC_KEY_PATH", "JWT_PRIVATE_KEY_PATH", "JWT_JWKS_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env("intake", {"data_dir": tmp_path})
    assert settings.jwt_private_key_path == Path(tmp_path / "keys" / "jwt-private.pem")
