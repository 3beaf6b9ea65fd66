"""The `community` command: tokens, migrations, the embedded platform, events and dead letters."""

from __future__ import annotations

import json
import re
import sys
from datetime import timedelta
from typing import Any

import click

from services import SERVICES

from . import auth
from .config import COMMUNITIES, DEPARTMENTS, Settings

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
    from . import migrations

    for name in SERVICES if service == "all" else (service,):
        url = Settings.from_env(name).database_url
        migrations.upgrade(name, url)
        click.echo(f"{name}: at {migrations.current_revision(url)}", err=True)


@main.command("makemigration")
@click.argument("service", type=click.Choice(SERVICES))
@click.option("-m", "--message", required=True)
def makemigration(service: str, message: str) -> None:
    """Autogenerate a migration from the models (compares with a scratch SQLite database)."""
    import tempfile

    from . import migrations

    with tempfile.TemporaryDirectory() as folder:
        migrations.make_revision(service, message, f"sqlite:///{folder}/scratch.db")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--data-dir", default=None, help="Folder for the SQLite files and keys (var/).")
@click.option("--no-demo", is_flag=True, help="Do not load the demo data on first start.")
def up(host: str, port: int, data_dir: str | None, no_demo: bool) -> None:
    """Run the whole platform in one process (embedded mode)."""
    from deploy import embedded

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

    from .bus import Bus

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
    from .bus import Bus

    settings = Settings.from_env(service)
    return settings, Bus(settings)


@dlq.command("list")
@click.argument("service", type=click.Choice(SERVICES))
def dlq_list(service: str) -> None:
    """List the service's dead letters (they stay in the queue)."""
    from . import deadletters

    settings, bus = _dead_letters(service)
    for letter in deadletters.browse(bus):
        click.echo(json.dumps(letter, ensure_ascii=False, sort_keys=True))


@dlq.command("replay")
@click.argument("service", type=click.Choice(SERVICES))
@click.option("--id", "event_id", default=None, help="Replay only this event id.")
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
def dlq_replay(service: str, event_id: str | None, replay_all: bool) -> None:
    """Send dead letters back to the service's queue for another try."""
    from . import deadletters

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
    from pathlib import Path

    from . import catalogue

    text = catalogue.render_yaml()
    path = Path(output)
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{output} is out of date; run `community asyncapi`")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


def extensions() -> None:
    """Attach subcommands that services and deploy contribute (`<module>.cli:COMMANDS`)."""
    import importlib

    for name in (*(f"services.{service}.cli" for service in SERVICES), "deploy.cli"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
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
