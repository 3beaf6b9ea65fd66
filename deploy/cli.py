"""The `community` command: tokens, migrations, the embedded platform and the local stack,
events, dead letters, broker definitions and keys; services add their own subcommands."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from services.chassis import auth
from services.chassis.config import COMMUNITIES, DEPARTMENTS, Settings

from . import registry
from .registry import SERVICES

_DURATION = re.compile(r"^(\d+)([smhd])$")


def parse_duration(value: str) -> timedelta:
    match = _DURATION.match(value.strip())
    if not match:
        raise click.BadParameter("use a number and a unit: 30m, 8h, 7d")
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[unit]: amount})


@click.group()
def main() -> None:
    """Community services platform: operate and inspect it."""


@main.command()
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(auth.ROLES))
@click.option(
    "--community",
    "communities",
    multiple=True,
    type=click.Choice(COMMUNITIES),
    help="Repeat for several; default: all seven.",
)
@click.option("--sub", default=None, help="Subject (user id); default derived from the role.")
@click.option("--name", default=None, help="Display name.")
@click.option("--ttl", default="8h", show_default=True, help="Lifetime, e.g. 30m, 8h, 7d.")
@click.option(
    "--department",
    type=click.Choice(sorted(DEPARTMENTS)),
    default=None,
    help="Department code claim (role department).",
)
@click.option(
    "--claim",
    "claims",
    multiple=True,
    metavar="KEY=VALUE",
    help="Extra claim, e.g. provider_id=<uuid> for a provider signatory.",
)
def token(
    roles: tuple[str, ...],
    communities: tuple[str, ...],
    sub: str | None,
    name: str | None,
    ttl: str,
    department: str | None,
    claims: tuple[str, ...],
) -> None:
    """Print a token signed with the local key (alone on stdout)."""
    settings = Settings.from_env("cli")
    communities = communities or COMMUNITIES
    subject = sub or f"{roles[0]}-{communities[0]}"
    extra: dict[str, Any] = {}
    for item in claims:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--claim")
        extra[key] = value
    if department:
        extra["department"] = department
    click.echo(
        auth.issue_token(
            settings,
            sub=subject,
            roles=roles,
            communities=communities,
            name=name,
            ttl=parse_duration(ttl),
            **extra,
        )
    )


@main.command()
@click.argument("service", type=click.Choice((*SERVICES, "all")))
def migrate(service: str) -> None:
    """Apply a service's migrations to its own database (or every service's)."""
    from services.chassis import migrations

    for name in SERVICES if service == "all" else (service,):
        url = Settings.from_env(name).database_url
        migrations.upgrade(registry.migrations(name), url)
        click.echo(f"{name}: at {migrations.current_revision(url)}", err=True)


@main.command("makemigration")
@click.argument("service", type=click.Choice(SERVICES))
@click.option("-m", "--message", required=True)
def makemigration(service: str, message: str) -> None:
    """Autogenerate a migration from the models (compares with a scratch SQLite database)."""
    import tempfile

    from services.chassis import migrations

    with tempfile.TemporaryDirectory() as folder:
        migrations.make_revision(registry.migrations(service), message, f"sqlite:///{folder}/scratch.db")


@main.command()
@click.option(
    "--service",
    "services",
    multiple=True,
    type=click.Choice(SERVICES),
    help="Repeat for several; default: every service.",
)
def bootstrap(services: tuple[str, ...]) -> None:
    """Load the seven communities' reference data into the services' databases, no demo
    history: business types with their forms, windows, the service packages, checklists,
    cells, calendars. Idempotent: a second run changes nothing."""
    from services.chassis.runtime import Runtime

    from .demo.loader import REFERENCE_DATA

    for name in services or SERVICES:
        settings = Settings.from_env(name, {"amqp_url": None})  # events leave through the outbox
        runtime = Runtime(settings, registry.metadata(name))
        try:
            REFERENCE_DATA[name](runtime)
        finally:
            runtime.database.engine.dispose()
        click.echo(f"{name}: reference data in place", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--data-dir", default=None, help="Folder for the SQLite files and keys (var/).")
@click.option("--no-demo", is_flag=True, help="Do not load the demo data on first start.")
def up(host: str, port: int, data_dir: str | None, no_demo: bool) -> None:
    """Run the whole platform in one process (embedded mode)."""
    from . import embedded

    embedded.main(host=host, port=port, data_dir=data_dir, demo=not no_demo)


@main.group()
def events() -> None:
    """Watch the event exchange."""


@events.command("tail")
@click.argument("pattern", default="#")
@click.option("--count", type=int, default=0, help="Stop after this many events (0: never).")
def events_tail(pattern: str, count: int) -> None:
    """Print each event on the exchange as one JSON line (steals nothing from services)."""
    from kombu import Queue

    from services.chassis.bus import Bus

    bus = Bus(Settings.from_env("cli"))
    seen = 0
    with bus.connect() as connection:
        bus.declare(connection)
        queue = Queue(
            exchange=bus.exchange, routing_key=pattern, exclusive=True, auto_delete=True, durable=False
        )
        done = False

        def on_message(message: Any) -> None:
            nonlocal seen, done
            body = message.body.decode() if isinstance(message.body, bytes) else message.body
            try:
                click.echo(json.dumps(json.loads(body), ensure_ascii=False, sort_keys=True))
            except ValueError:
                click.echo(json.dumps({"unparsed": body}, ensure_ascii=False))
            sys.stdout.flush()
            message.ack()
            seen += 1
            done = bool(count) and seen >= count

        with connection.Consumer(queue, on_message=on_message):
            click.echo(f"tailing {pattern} on {bus.exchange.name}", err=True)
            while not done:
                try:
                    connection.drain_events(timeout=1)
                except TimeoutError:
                    continue
                except KeyboardInterrupt:
                    break


@main.group()
def dlq() -> None:
    """Inspect and replay dead letters."""


def _dead_letters(service: str) -> tuple[Any, Any]:
    from services.chassis.bus import Bus

    settings = Settings.from_env(service)
    return settings, Bus(settings)


@dlq.command("list")
@click.argument("service", type=click.Choice(SERVICES))
def dlq_list(service: str) -> None:
    """List the service's dead letters (they stay in the queue)."""
    from services.chassis import deadletters

    settings, bus = _dead_letters(service)
    for letter in deadletters.browse(bus):
        click.echo(json.dumps(letter, ensure_ascii=False, sort_keys=True))


@dlq.command("replay")
@click.argument("service", type=click.Choice(SERVICES))
@click.option("--id", "event_id", default=None, help="Replay only this event id.")
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
def dlq_replay(service: str, event_id: str | None, replay_all: bool) -> None:
    """Send dead letters back to the service's queue for another try."""
    from services.chassis import deadletters

    if not (event_id or replay_all):
        raise click.UsageError("give --id ID or --all")
    settings, bus = _dead_letters(service)
    replayed = deadletters.replay(bus, event_id=event_id)
    click.echo(f"replayed {replayed} message(s) to {settings.queue_name('events')}", err=True)


@main.command()
@click.option("--check", is_flag=True, help="Fail if docs/asyncapi.yaml differs.")
@click.option("--output", default="docs/asyncapi.yaml", show_default=True)
def asyncapi(check: bool, output: str) -> None:
    """Write the AsyncAPI 3 catalogue of every service's events."""
    from services.chassis.asyncapi import render_yaml

    text = render_yaml(*registry.published_and_consumed())
    path = Path(output)
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{output} is out of date; run `community asyncapi`")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


TEMPLATE = Path(__file__).parent / "rabbitmq" / "definitions.json"


def _dump(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@main.command("broker-definitions")
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
    from . import broker

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


@main.command("reseal")
@click.argument("service", type=click.Choice(("contracts", "grid", "intake")))
def reseal(service: str) -> None:
    """Seal a service's personal data with its current key: after district IT rotates
    `<SERVICE>_PERSONAL_DATA_KEY` (the old one in `..._RETIRED_KEYS`), and once after the
    upgrades that began sealing intake's phones and personal attributes and contracts'
    provider contacts."""
    from services.chassis.runtime import Runtime

    settings = Settings.from_env(service)
    runtime = Runtime(settings, registry.metadata(service))
    if service == "grid":
        from services.grid.settings import GridSettings, personal_data_cipher
        from services.grid.usecases.resealing import reseal as reseal_rows

        cipher = personal_data_cipher(settings, runtime.service_settings(GridSettings))
    elif service == "intake":
        from services.intake.settings import IntakeSettings
        from services.intake.settings import personal_data_cipher as intake_cipher
        from services.intake.usecases.personal_data import reseal as reseal_rows

        cipher = intake_cipher(settings, runtime.service_settings(IntakeSettings))
    else:
        from services.contracts.settings import PersonalDataSettings
        from services.contracts.settings import personal_data_cipher as contracts_cipher
        from services.contracts.usecases.personal_data import reseal as reseal_rows

        cipher = contracts_cipher(settings, runtime.service_settings(PersonalDataSettings))
    with runtime.unit_of_work(correlation_id=f"reseal-{service}") as uow:
        changed = reseal_rows(uow, cipher)
        uow.commit()
    runtime.database.engine.dispose()
    click.echo(f"{service}: {changed} rows resealed with key {cipher.key_id}", err=True)


@main.command("keygen")
@click.argument("folder", type=click.Path(file_okay=False))
def keygen(folder: str) -> None:
    """Make the local JWT signing key pair in FOLDER unless one is there (compose, dev)."""
    target = Path(folder)
    private, public = target / "jwt-private.pem", target / "jwt-public.pem"
    existed = private.exists() and public.exists()
    auth.generate_key_pair(private, public)
    public.chmod(0o644)
    click.echo(f"{'kept' if existed else 'made'} {private} and {public}", err=True)


@main.command("stack")
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

    from .stack import Stack, StackConfig, StackError

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


def extensions() -> None:
    """Attach the subcommands that services contribute (`services.<name>.cli:COMMANDS`)."""
    for service in SERVICES:
        try:
            module = registry.module(service, "cli")
        except ModuleNotFoundError as exc:
            if exc.name != f"services.{service}.cli":
                raise
            continue
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


def run() -> None:
    """Console entry point: `community ...`."""
    extensions()
    main()


if __name__ == "__main__":
    run()
