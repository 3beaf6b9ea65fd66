"""`community` picks up the commands that services and deploy contribute."""

from __future__ import annotations

from click.testing import CliRunner

from services.chassis import cli


def test_extensions_attach_the_deploy_commands():
    cli.extensions()
    assert {"broker-definitions", "keygen"} <= set(cli.main.commands)
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    assert "broker-definitions" in result.output


def test_extensions_can_run_twice():
    cli.extensions()
    cli.extensions()
    assert "keygen" in cli.main.commands
