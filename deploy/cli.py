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
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write here (mode 0600) instead of stdout.",
)
@click.option(
    "--template", is_flag=True, help="Without passwords and with the default settings (the checked-in file)."
)
@click.option("--check", is_flag=True, help=f"Fail if {TEMPLATE.name} is out of date.")
@click.option("--vhost", default="/", show_default=True)
@click.option(
    "--mode",
    default="600",
    show_default=True,
    help="File mode of --output (octal); 644 when the broker runs as another user.",
)
def broker_definitions(output: str | None, template: bool, check: bool, vhost: str, mode: str) -> None:
    """RabbitMQ definitions (exchange, queues, bindings, users, permissions) to load at boot.

    Without --template: exchange, namespace, quorum queues and retry delays follow the
    EVENT_* variables the workers read, and passwords come from RABBITMQ_*_PASSWORD.
    """
    from deploy import broker

    if check:
        expected = _dump(broker.definitions())
        if not TEMPLATE.exists() or TEMPLATE.read_text(encoding="utf-8") != expected:
            raise click.ClickException(
                f"{TEMPLATE} is out of date; run `community broker-definitions --template -o {TEMPLATE}`"
            )
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
        text = _dump(broker.definitions(settings, vhost=vhost, admin_user=admin, passwords=passwords))
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


@click.command("stack")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int, help="The gateway's port.")
@click.option(
    "--service-port-base",
    default=8101,
    show_default=True,
    type=int,
    help="Services listen on BASE, BASE+1, ... (0: free ports).",
)
@click.option(
    "--postgres-url",
    envvar="STACK_POSTGRES_URL",
    default="postgresql://postgres@127.0.0.1:5432/postgres",
    show_default=True,
    help="An administrator's URL: databases and roles are created with it.",
)
@click.option(
    "--amqp-url", envvar="AMQP_URL", default="amqp://guest:guest@127.0.0.1:5672//", show_default=True
)
@click.option("--database-prefix", default="community_", show_default=True)
@click.option("--data-dir", default="var/stack", show_default=True, help="Keys, logs and scratch files.")
@click.option(
    "--workers", default=1, show_default=True, type=int, help="gunicorn worker processes per service."
)
@click.option("--threads", default=4, show_default=True, type=int)
@click.option("--drop-databases", is_flag=True, help="Drop the databases when stopping.")
def stack(
    host: str,
    port: int,
    service_port_base: int,
    postgres_url: str,
    amqp_url: str,
    database_prefix: str,
    data_dir: str,
    workers: int,
    threads: int,
    drop_databases: bool,
) -> None:
    """Run the production topology as local processes until Ctrl-C (deploy/Procfile)."""
    import signal
    import threading

    from deploy.stack import Stack, StackConfig, StackError

    config = StackConfig(
        postgres_url=postgres_url,
        amqp_url=amqp_url,
        host=host,
        gateway_port=port,
        service_port_base=service_port_base,
        database_prefix=database_prefix,
        data_dir=Path(data_dir),
        gunicorn_workers=workers,
        gunicorn_threads=threads,
        log_to_files=False,
        drop_databases_on_stop=drop_databases,
    )
    running = Stack(config)
    stopping = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stopping.set())
    status = 0
    try:
        click.echo("Creating and migrating the databases...", err=True)
        running.start()
        running.wait_ready(timeout=120)
        for service, url in running.urls.items():
            click.echo(f"  {service:<11} {url}", err=True)
        click.echo(f"Community services platform (local stack) on {running.gateway_url}")
        click.echo(f"Tokens: COMMUNITY_DATA_DIR={running.data_dir} community token --role admin", err=True)
        click.echo("Press Ctrl-C to stop.", err=True)
        while not stopping.wait(0.5):
            failed = running.failed()
            if failed:
                exits = ", ".join(f"{name} exited with {code}" for name, code in failed.items())
                click.echo(f"stopping: {exits}", err=True)
                status = 1
                break
    except StackError as exc:
        click.echo(f"stack failed: {exc}", err=True)
        status = 1
    finally:
        running.stop()
        click.echo("Stopped.", err=True)
    raise SystemExit(status)


COMMANDS = [broker_definitions, keygen, stack]
