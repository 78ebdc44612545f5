"""The ``kg`` command line: each command is a thin layer over one public function.

Data goes to standard output, progress and messages to standard error.
Exit status: 0 done (problems are listed in the report), 1 failed, 2 usage error.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

import click

from kg import __version__
from kg.errors import KgError


def plain(text: str) -> str:
    """One harmless terminal line: control, format (bidi) and separator characters as ``\\uXXXX``.

    >>> plain("a\\u202etxt.exe\\nb")
    'a\\\\u202etxt.exe\\\\u000ab'
    """
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _UNSAFE and c != "\t" else c for c in text)


_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


def library_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            raise click.ClickException(plain(str(exc))) from exc
        except OSError as exc:
            raise click.ClickException(plain(f"{exc.filename or ''}: {exc.strerror or exc}")) from exc

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
              help="Folder for graph.trig, graph.ttl, graph.html, graph.graphml, resolution.jsonl and report.json.")
@click.option("--base", default="https://kg.example.org/", show_default=True,
              help="Base IRI of every subject the build mints.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Extract in this many processes (one tagger thread each).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: here, or on a Dask cluster (needs --scheduler).")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--no-tagger", is_flag=True, help="Gazetteers and rules only: faster, lower recall.")
@click.option("--no-cache", is_flag=True, help="Extract every article again instead of reusing OUTDIR/.kg-cache.")
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False),
              help='JSON Lines of {"same_as": [A, B]} / {"not_same_as": [A, B]}, A and B like "person:张伟@<doc_id>".')
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY",
              help="JSON Lines field mapping, e.g. --field text=正文 --field title=标题.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any input had a problem.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@library_errors
def build(articles: tuple[str, ...], outdir: str, base: str, jobs: int, engine: str, scheduler: str | None,
          no_tagger: bool, no_cache: bool, overrides: str | None, fields: tuple[str, ...], strict: bool,
          quiet: bool) -> None:
    """Build the graph of ARTICLES (files and folders) into OUTDIR.

    Problems with single inputs (binary or empty files, bad JSON lines …) are
    listed on standard error and in report.json; the build goes on.

    Example:

        kg build examples/fazhi-ribao -o exports --jobs 2
    """
    from tqdm import tqdm

    from kg.pipeline import build as run_build

    mapping = _parse_fields(fields)
    with tqdm(unit=" articles", disable=quiet or None, file=sys.stderr, dynamic_ncols=True) as bar:
        result = run_build(list(articles), outdir, base=base, jobs=jobs, tagger=not no_tagger, fields=mapping,
                           cache=not no_cache, engine=engine, scheduler=scheduler, overrides=overrides,
                           progress=lambda article: bar.update(1))
    report = result.report
    for item in report["problems"]["items"]:  # type: ignore[index]
        where = item["path"] + (f":{item['line']}" if "line" in item else "")
        click.echo(plain(f"kg: {where}: {item['code']}: {item['message']}"), err=True)
    ents = ", ".join(f"{n} {t}" for t, n in report["entities"].items())  # type: ignore[union-attr]
    facts = ", ".join(f"{n} {t}" for t, n in report["facts"].items())  # type: ignore[union-attr]
    arts = report["articles"]
    click.echo(f"kg: {arts['built']} articles → {ents}; {facts}", err=True)  # type: ignore[index]
    for path in result.outputs.values():
        click.echo(str(path))
    if strict and report["problems"]["items"]:  # type: ignore[index]
        raise click.ClickException(f"{len(report['problems']['items'])} problems (--strict)")  # type: ignore[index]


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


@cli.command("viz")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("--focus", "name", required=True, metavar="NAME", help="Label or alias of the entity to centre on.")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 10), help="Steps out from it.")
@click.option("--types", default=None, metavar="TYPE,…", help="Keep only these node types, e.g. person,agency.")
@click.option("--article", default=None, metavar="DOC_ID", help="Keep only what this article says.")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Page to write [default: OUTDIR/focus-NAME.html].")
@library_errors
def viz_cmd(outdir: str, name: str, hops: int, types: str | None, article: str | None, output: str | None) -> None:
    """Write an explorer page of one entity's neighbourhood in the build in OUTDIR.

    Reads OUTDIR/graph.graphml (nothing is extracted again) and prints the page's path.

    Example:

        kg viz exports --focus 李亚平 --hops 2 --types person,agency
    """
    from kg.viz import write_view

    wanted = [t for t in types.split(",") if t.strip()] if types else None
    click.echo(str(write_view(outdir, name, hops, wanted, article, output)))



@cli.command("export")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False))
@click.option("-f", "--format", "formats", multiple=True, default=("trig", "nq", "ttl", "nt", "jsonld"),
              show_default=True, type=click.Choice(["trig", "nq", "ttl", "nt", "jsonld"]),
              help="Format to write; repeat for several.")
@click.option("--base", default=None, help="Base IRI for the JSON-LD 'base' prefix [default: from the graph names].")
@library_errors
def export_cmd(outdir: str, formats: tuple[str, ...], base: str | None) -> None:
    """Write OUTDIR/graph.<format> for each format from OUTDIR/graph.trig, streamed.

    TriG, N-Quads and JSON-LD keep one named graph per article; Turtle and
    N-Triples hold their union. Prints the paths written.

    Example:

        kg export exports --format nq --format jsonld
    """
    from kg.export.convert import export

    for path in export(outdir, formats, base=base):
        click.echo(str(path))


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--shapes", default=None, type=click.Path(exists=True, dir_okay=False),
              help="SHACL shapes [default: schemas/shapes.ttl].")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@library_errors
def validate_cmd(paths: tuple[str, ...], shapes: str | None, strict: bool) -> None:
    """Check RDF files against the SHACL shapes and JSON extraction records against their schema.

    RDF (.trig .ttl .nq .nt .jsonld) is checked as one merged graph; .json/.jsonl
    files hold extraction records. Prints every finding (file, severity, focus node,
    message); exits with status 1 when there is a violation.

    Example:

        kg validate exports/graph.trig exports/graph.jsonld
    """
    from kg.validate import DEFAULT_SHAPES, validate_paths

    try:
        findings = validate_paths(paths, shapes or DEFAULT_SHAPES)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    for finding in findings:
        click.echo(str(finding))
    failing = [f for f in findings if f.severity == "violation" or (strict and f.severity == "warning")]
    click.echo(f"kg: {len(findings)} finding(s), {len(failing)} failing", err=True)
    if failing:
        sys.exit(1)


@cli.command("load")
@click.argument("outdir", type=click.Path(exists=True))
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
                   "http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--query-endpoint", default=None, metavar="URL",
              help="SPARQL query URL for the counts [default: /query or /sparql beside the endpoint].")
@click.option("--user", envvar="KG_ENDPOINT_USER", default=None, help="User name (or KG_ENDPOINT_USER).")
@click.option("--password", envvar="KG_ENDPOINT_PASSWORD", default=None,
              help="Password (or KG_ENDPOINT_PASSWORD; never printed).")
@click.option("--auth", default="basic", show_default=True, type=click.Choice(["basic", "digest"]),
              help="HTTP authentication scheme (Virtuoso: digest).")
@click.option("--batch-size", default=50_000, show_default=True, type=click.IntRange(1),
              help="Triples per request.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@library_errors
def load_cmd(outdir: str, endpoint: str, query_endpoint: str | None, user: str | None, password: str | None,
             auth: str, batch_size: int, quiet: bool) -> None:
    """Send every article graph of OUTDIR/graph.trig to a SPARQL server, then check the counts.

    Each graph is PUT to ENDPOINT?graph=<graph IRI>, so a rerun replaces it.

    Example:

        KG_ENDPOINT_PASSWORD=dba kg load exports --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --auth digest
    """
    from kg.load import Endpoint, load

    target = Endpoint.at(endpoint, query=query_endpoint, user=user, password=password, auth=auth)
    report = load(outdir, target, batch_size=batch_size, progress=not quiet)
    click.echo(f"kg: {report.graphs} graphs, {report.triples} triples in {report.seconds:.1f} s "
               f"({report.requests} requests, {report.retries} retries); counts verified", err=True)


@cli.command("query")
@click.argument("sparql")
@click.argument("outdir", type=click.Path(exists=True))
@click.option("--format", "output_format", default="table", show_default=True,
              type=click.Choice(["table", "csv", "json"]), help="Output format of SELECT answers.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Fill a cookbook parameter (VALUES ?NAME … # parameter), escaped.")
@library_errors
def query_cmd(sparql: str, outdir: str, output_format: str, params: tuple[str, ...]) -> None:
    """Answer SPARQL (text, or a .rq file) over the build in OUTDIR, without a server.

    The default graph is the union of the article graphs.

    Example:

        kg query docs/queries/01-posts-over-time.rq exports --param name=李亚平
    """
    from pathlib import Path

    from kg.query import fill, query

    text = Path(sparql).read_text(encoding="utf-8") if sparql.endswith(".rq") and Path(sparql).is_file() else sparql
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        values[name] = value
    try:
        text = fill(text, **values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from exc
    click.echo(query(text, outdir, output_format))


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
