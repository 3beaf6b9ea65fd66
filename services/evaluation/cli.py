"""`community evaluation-rebuild`: rebuild the metrics read model from its raw event log."""

from __future__ import annotations

import itertools
from pathlib import Path

import click

from services.chassis import events
from services.chassis.config import Settings
from services.chassis.runtime import Runtime

from . import models
from .usecases import CONSUMED, readmodel

BATCH = 1000


@click.command("evaluation-rebuild")
@click.option(
    "--from-file",
    "archive",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="First add the events of this JSON-lines archive (one CloudEvent per "
    "line, e.g. from `community events tail`); known ids are skipped.",
)
def evaluation_rebuild(archive: Path | None) -> None:
    """Clear the metrics read model and replay the evaluation's raw event log into it."""
    runtime = Runtime(Settings.from_env("evaluation"), models.Base.metadata)
    try:
        if archive is not None:
            added, line = 0, 1
            with archive.open(encoding="utf-8") as lines:
                while chunk := list(itertools.islice(lines, BATCH)):
                    with runtime.unit_of_work() as uow:
                        try:
                            added += readmodel.import_events(uow, chunk, CONSUMED.consumes, line)
                        except events.MalformedEvent as exc:
                            raise click.ClickException(
                                f"{archive}: {exc} (the {added} events before it were added)"
                            ) from None
                        uow.commit()
                    line += len(chunk)
            click.echo(f"added {added} new event(s) from {archive}", err=True)
        replayed = readmodel.rebuild(
            runtime.database, progress=lambda n: click.echo(f"... {n} events", err=True)
        )
        click.echo(f"rebuilt the read model from {replayed} logged event(s)", err=True)
    finally:
        runtime.database.dispose()


COMMANDS = [evaluation_rebuild]
