"""Deployment commands added to `community`: broker definitions, key pair, the local stack."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from services.chassis.config import Settings

TEMPLATE = Path(__file__).parent / "rabbitmq" / "definitions.json"


def _dump(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@click.command("broker-definitions")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write here (mode 0600) instead of stdout.")
@click.option("--template", is_flag=True,
              help="Without passwords and with the default settings (the checked-in file).")
@click.option("--check", is_flag=True, help=f"Fail if {TEMPLATE.name} is out of date.")
@click.option("--vhost", default="/", show_default=True)
@click.option("--mode", default="600", show_default=True,
              help="File mode of --output (octal); 644 when the broker runs as another user.")
def broker_definitions(output: str | None, template: bool, check: bool, vhost: str,
                       mode: str) -> None:
    """RabbitMQ definitions (exchange, queues, bindings, users, permissions) to load at boot.

    Without --template: exchange, namespace, quorum queues and retry delays follow the
    EVENT_* variables the workers read, and passwords come from RABBITMQ_*_PASSWORD.
    """
    from deploy import broker

    if check:
        expected = _dump(broker.definitions())
        if not TEMPLATE.exists() or TEMPLATE.read_text(encoding="utf-8") != expected:
            raise click.ClickException(
                f"{TEMPLATE} is out of date; run `community broker-definitions --template "
                f"-o {TEMPLATE}`")
        return
    if template:
        text = _dump(broker.definitions(vhost=vhost))
    else:
        admin = os.environ.get("RABBITMQ_ADMIN_USER") or broker.ADMIN_USER
        try:
            passwords = broker.passwords_from_env(os.environ, admin)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        settings = Settings.from_env("broker", {"amqp_url": "amqp://definitions/"})
        text = _dump(broker.definitions(settings, vhost=vhost, admin_user=admin,
                                        passwords=passwords))
    if output is None:
        click.echo(text, nl=False)
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(int(mode, 8))
    click.echo(f"wrote {path}", err=True)


@click.command("keygen")
@click.argument("folder", type=click.Path(file_okay=False))
def keygen(folder: str) -> None:
    """Make the local JWT signing key pair in FOLDER unless one is there (compose, dev)."""
    from services.chassis import auth

    target = Path(folder)
    private, public = target / "jwt-private.pem", target / "jwt-public.pem"
    existed = private.exists() and public.exists()
    auth.generate_key_pair(private, public)
    public.chmod(0o644)
    click.echo(f"{'kept' if existed else 'made'} {private} and {public}", err=True)


COMMANDS = [broker_definitions, keygen]
