"""The ``kg`` command line: each command is a thin layer over one public function.

Data goes to standard output, progress and messages to standard error.
Exit status: 0 done (problems are listed in the report), 1 failed, 2 usage error.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from kg import __version__
from kg.errors import KgError


def library_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}") from exc

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Build knowledge graphs from Chinese government and legal news.

    Example:

        kg build examples -o exports
    """


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--outdir", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Folder for graph.trig, graph.ttl, graph.html, graph.graphml and report.json.")
@click.option("--base", default="https://kg.example.org/", show_default=True,
              help="Base IRI of every subject the build mints.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Extract in this many processes.")
@click.option("--no-tagger", is_flag=True, help="Gazetteers and rules only: faster, lower recall.")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY",
              help="JSON Lines field mapping, e.g. --field text=正文 --field title=标题.")
@library_errors
def build(articles: tuple[str, ...], outdir: str, base: str, jobs: int, no_tagger: bool, fields: tuple[str, ...]) -> None:
    """Build the graph of ARTICLES (files and folders) into OUTDIR.

    Example:

        kg build examples/fazhi-ribao -o exports --jobs 2
    """
    from kg.pipeline import build as run_build

    mapping = _parse_fields(fields)
    result = run_build(list(articles), outdir, base=base, jobs=jobs, tagger=not no_tagger, fields=mapping)
    report = result.report
    ents = ", ".join(f"{n} {t}" for t, n in report["entities"].items())  # type: ignore[union-attr]
    facts = ", ".join(f"{n} {t}" for t, n in report["facts"].items())  # type: ignore[union-attr]
    arts = report["articles"]
    click.echo(f"kg: {arts['built']} articles → {ents}; {facts}", err=True)  # type: ignore[index]
    problems = report["problems"]["by_code"]  # type: ignore[index]
    if problems:
        click.echo("kg: problems: " + ", ".join(f"{c} ×{n}" for c, n in problems.items()), err=True)
    for path in result.outputs.values():
        click.echo(str(path))


def _parse_fields(fields: tuple[str, ...]) -> dict[str, str] | None:
    mapping = {}
    for item in fields:
        name, sep, key = item.partition("=")
        if not sep or not name or not key:
            raise click.BadParameter(f"expected NAME=KEY, got {item!r}", param_hint="--field")
        mapping[name] = key
    return mapping or None


@cli.command("extract")
@click.option("--mentions", "mode", flag_value="mentions", default=True,
              help="Read JSON Lines {id, text} on stdin; write {id, mentions} per line.")
@click.option("--no-tagger", is_flag=True, help="Gazetteers and rules only.")
@click.option("--date", default=None, help="Article date (YYYY-MM-DD) for relative time expressions.")
@library_errors
def extract_cmd(mode: str, no_tagger: bool, date: str | None) -> None:
    """Extract mentions from JSON Lines on standard input.

    Each input line is {"id": ..., "text": ...}; each output line is
    {"id": ..., "mentions": [{"start", "end", "type", "text"}]}, offsets in code
    points, end exclusive.

    Example:

        echo '{"id": 1, "text": "时任苏州市市长李亚平说"}' | kg extract --mentions
    """
    from kg.extract import iter_mentions_jsonl

    for line in iter_mentions_jsonl(sys.stdin, tagger=not no_tagger, date=date):
        click.echo(line)


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
