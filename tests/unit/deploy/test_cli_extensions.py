"""`community` holds the deployment commands and picks up the ones services contribute."""

from __future__ import annotations

from click.testing import CliRunner

from deploy import cli


def test_community_has_the_deploy_and_the_service_commands():
    cli.extensions()
    assert {"broker-definitions", "keygen", "stack", "simulate", "evaluation-rebuild"} <= set(
        cli.main.commands
    )
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    assert "broker-definitions" in result.output


def test_extensions_can_run_twice():
    cli.extensions()
    cli.extensions()
    assert "simulate" in cli.main.commands
