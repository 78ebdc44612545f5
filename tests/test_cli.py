"""The command line: every command documented, with an example, in --help and in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_cli_top_level_help_has_example() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_every_command_has_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"kg {name}" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_every_command_in_readme(name: str) -> None:
    assert f"### `kg {name}" in README


def test_cli_unknown_option_is_usage_error() -> None:
    assert CliRunner().invoke(cli, ["build", "--no-such-option", "x"]).exit_code == 2


def test_readme_cookbook_examples_are_current() -> None:
    """The three cookbook answers shown in the README are the generated ones of docs/queries/README.md."""
    generated = (Path(__file__).resolve().parent.parent / "docs" / "queries" / "README.md").read_text(encoding="utf-8")
    blocks = generated.split("## Examples on the sample article", 1)[1].split("```")[1::2]
    assert len(blocks) >= 3
    for block in blocks:
        assert f"```{block}```" in README
