"""SPARQL over a build, without a server: an embedded pyoxigraph store, tables, CSV and JSON.

:func:`open_store` loads ``OUTDIR/graph.trig`` into an in-memory
:class:`pyoxigraph.Store`, each article graph as a named graph and their union (the RDF
merge, a set: an entity described in ten articles has its label once) as the default
graph, so queries need no ``GRAPH`` clause. (pyoxigraph's ``use_default_graph_as_union``
repeats a triple once per graph that holds it, which multiplies the rows of every join.)

Cookbook queries (``docs/queries/*.rq``) start with their question in Chinese and
English, and take parameters as ``VALUES`` lines, runnable as they stand with an
example value::

    VALUES ?name { "李亚平"@zh }  # parameter

:func:`fill` replaces such a line's value with a properly escaped literal
(:func:`literal`), so a name typed by a user can never change the query.

>>> literal('苏州"市')
'"苏州\\\\"市"'
>>> fill('SELECT * WHERE {\\n  VALUES ?name { "x"@zh }  # parameter\\n}', name="李亚平")
'SELECT * WHERE {\\n  VALUES ?name { "李亚平"@zh }  # parameter\\n}'
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    parse,
)

from kg.errors import KgError
from kg.iri import scrub
from kg.vocab import prefixes

COOKBOOK = Path(__file__).resolve().parent.parent / "docs" / "queries"
"""The folder of the cookbook queries in a source checkout."""

OUTPUT_FORMATS = ("table", "csv", "json")

_PARAMETER = re.compile(r'^(?P<indent>\s*)VALUES \?(?P<name>\w+) \{ (?P<value>.*) \}(?P<rest>\s*# parameter.*)$',
                        re.MULTILINE)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class QueryError(KgError):
    """A query that does not parse or cannot run, or a build that cannot be loaded."""


def literal(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """``value`` as a SPARQL literal, escaped (quotes, backslashes, line breaks; lone surrogates → U+FFFD).

    >>> literal("李亚平", "zh")
    '"李亚平"@zh'
    >>> literal("2021-09-03", datatype="http://www.w3.org/2001/XMLSchema#date")
    '"2021-09-03"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> literal('x" } ; DROP ALL ; #')
    '"x\\\\" } ; DROP ALL ; #"'

    Raises:
        ValueError: for a language tag that is not letters, digits and hyphens, or a bad datatype IRI.
    """
    text = '"' + "".join(_ESCAPES.get(char, char) for char in scrub(value)) + '"'
    if language is not None:
        if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", language):
            raise ValueError(f"bad language tag {language!r}")
        return f"{text}@{language}"
    if datatype is not None:
        return f"{text}^^{iri(datatype)}"
    return text


def iri(value: str) -> str:
    """``value`` as a SPARQL IRI reference ``<…>``, checked by :class:`pyoxigraph.NamedNode`.

    >>> iri("https://kg.example.org/person/1")
    '<https://kg.example.org/person/1>'

    Raises:
        ValueError: when ``value`` is not an absolute IRI (``<``, ``>``, spaces and quotes are refused).
    """
    return f"<{NamedNode(value).value}>"


def parameters(query: str) -> dict[str, str]:
    """The parameters of a cookbook query: name → the example value written in it.

    >>> parameters('VALUES ?date { "2021-09-03"^^xsd:date }  # parameter')
    {'date': '"2021-09-03"^^xsd:date'}
    """
    return {match["name"]: match["value"] for match in _PARAMETER.finditer(query)}


def fill(query: str, **values: str) -> str:
    """``query`` with each named parameter's example replaced by ``values[name]`` as an escaped literal.

    The literal keeps the example's language tag or datatype (``"…"@zh``, ``"…"^^xsd:date``).

    Raises:
        ValueError: for a name that is not a parameter of ``query``.
    """
    unknown = sorted(set(values) - set(parameters(query)))
    if unknown:
        raise ValueError(f"not a parameter of this query: {', '.join(unknown)}; it has {sorted(parameters(query))}")

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in values:
            return match[0]
        example = match["value"]
        suffix = example[example.rindex('"') + 1:] if '"' in example else ""
        filled = literal(values[name]) + suffix
        return f"{match['indent']}VALUES ?{name} {{ {filled} }}{match['rest']}"

    return _PARAMETER.sub(replace, query)


@dataclass(frozen=True, slots=True)
class Recipe:
    """A cookbook query: its file name, questions and text."""

    name: str
    question_zh: str
    question_en: str
    sparql: str


def cookbook(folder: str | os.PathLike[str] = COOKBOOK) -> list[Recipe]:
    """The cookbook queries of ``folder``, by file name; each starts ``# 问题:…`` and ``# Question: …``.

    Raises:
        QueryError: for a query file without both questions.
    """
    recipes = []
    for path in sorted(Path(folder).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        zh = re.search(r"^# 问题[::]\s*(.+)$", text, re.MULTILINE)
        en = re.search(r"^# Question:\s*(.+)$", text, re.MULTILINE)
        if not zh or not en:
            raise QueryError(f"{path}: a cookbook query starts with '# 问题:' and '# Question:' lines")
        recipes.append(Recipe(name=path.stem, question_zh=zh[1].strip(), question_en=en[1].strip(), sparql=text))
    return recipes


def open_store(source: str | os.PathLike[str]) -> Store:
    """An in-memory store holding ``source``: a build folder (its ``graph.trig``) or an RDF file.

    Raises:
        QueryError: when there is no such file or it does not parse.
    """
    path = Path(source)
    if path.is_dir():
        path = path / "graph.trig"
    if not path.is_file():
        raise QueryError(f"{path}: no such file; run `kg build` first or give an RDF file")
    try:
        rdf_format = RdfFormat.from_extension(path.suffix.lstrip(".")) or RdfFormat.TRIG
    except ValueError:
        rdf_format = RdfFormat.TRIG
    store = Store()
    try:
        store.bulk_load(path=str(path), format=rdf_format)
        store.bulk_extend(Quad(q.subject, q.predicate, q.object, DefaultGraph())
                          for q in parse(path=str(path), format=rdf_format))
    except (SyntaxError, ValueError) as error:
        raise QueryError(f"{path}: {error}") from error
    return store


def run_query(store: Store, sparql: str) -> QuerySolutions | QueryBoolean | QueryTriples:
    """Answer ``sparql`` over a store from :func:`open_store` (default graph: the union of the article graphs).

    Raises:
        QueryError: for a query that does not parse or fails.
    """
    try:
        return store.query(sparql)
    except (SyntaxError, ValueError, OSError) as error:
        raise QueryError(f"SPARQL: {error}") from error


def select(store: Store, sparql: str) -> list[dict[str, str]]:
    """Rows of a SELECT query as plain dicts (variable → value as text; unbound variables left out)."""
    result = run_query(store, sparql)
    if not isinstance(result, QuerySolutions):
        raise QueryError("not a SELECT query")
    names = [variable.value for variable in result.variables]
    return [{name: _text(row[name]) for name in names if row[name] is not None} for row in result]


def query(sparql: str, source: str | os.PathLike[str], output_format: str = "table") -> str:
    """Answer ``sparql`` over the build in ``source`` and format it as a table, CSV or JSON.

    SELECT answers become a table (default), CSV or SPARQL JSON results; ASK answers
    ``true``/``false``; CONSTRUCT and DESCRIBE answers are Turtle.

    Raises:
        QueryError: for a bad query or build.
        ValueError: for an unknown output format.
    """
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {output_format!r}; choose from {OUTPUT_FORMATS}")
    result = run_query(open_store(source), sparql)
    if isinstance(result, QueryBoolean):
        return json.dumps({"head": {}, "boolean": bool(result)}) if output_format == "json" else str(bool(result)).lower()
    if isinstance(result, QueryTriples):
        buffer = io.BytesIO()
        result.serialize(buffer, RdfFormat.TURTLE)  # type: ignore[call-arg]
        return buffer.getvalue().decode("utf-8")
    if output_format == "table":
        names = [variable.value for variable in result.variables]
        return table(names, [[_short(row[name]) for name in names] for row in result])
    results_format = QueryResultsFormat.CSV if output_format == "csv" else QueryResultsFormat.JSON
    return result.serialize(format=results_format).decode("utf-8")  # type: ignore[union-attr]


def _text(term: object) -> str:
    if isinstance(term, (NamedNode, Literal, BlankNode)):
        return term.value
    return str(term)


def _short(term: object) -> str:
    """A term for a table: literals as their text, IRIs with a known prefix shortened."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in prefixes().items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    return _text(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(names: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table whose columns line up with Chinese text (wide characters count two).

    >>> print(table(["name", "n"], [["苏州市", "3"]]))
    name   | n
    -------+--
    苏州市 | 3
    """
    cells = [[" ".join(str(cell).split()) for cell in row] for row in rows]
    widths = [max([_width(name), *(_width(row[i]) for row in cells)]) for i, name in enumerate(names)]

    def line(values: Sequence[str]) -> str:
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(names), "-+-".join("-" * w for w in widths), *(line(row) for row in cells)])


README_EXAMPLES = ("01-posts-over-time", "03-co-issuing-agencies", "04-document-versions")
"""The cookbook queries ``docs/queries/README.md`` shows with their answers on the sample article."""


def cookbook_readme(store: Store, folder: str | os.PathLike[str] = COOKBOOK,
                    examples: Sequence[str] = README_EXAMPLES) -> str:
    """The text of ``docs/queries/README.md``: every question, and ``examples`` answered over ``store``."""
    recipes = cookbook(folder)
    lines = [
        "# SPARQL cookbook / 查询手册",
        "",
        "Questions the graph answers, one `.rq` file each. Run one over a build, without a server:",
        "",
        "```",
        "kg query docs/queries/01-posts-over-time.rq exports --param name=李亚平",
        "```",
        "",
        "or send it to a SPARQL server after `kg load`. Parameters are the `VALUES … # parameter` lines;",
        "`--param NAME=VALUE` (or `kg.query.fill`) replaces their example value with an escaped literal.",
        "Queries use `DISTINCT`, so they also answer correctly on servers whose default graph repeats",
        "a triple once per article graph that holds it.",
        "",
        "| file | 问题 | question |",
        "|---|---|---|",
        *(f"| [{r.name}.rq]({r.name}.rq) | {r.question_zh} | {r.question_en} |" for r in recipes),
        "",
        "## Examples on the sample article",
        "",
        "Generated from `examples/` by `kg.query.cookbook_readme` (a test checks this file is current).",
    ]
    by_name = {recipe.name: recipe for recipe in recipes}
    for name in examples:
        recipe = by_name[name]
        result = run_query(store, recipe.sparql)
        assert isinstance(result, QuerySolutions)
        names = [variable.value for variable in result.variables]
        answer = table(names, [[_short(row[n]) for n in names] for row in result])
        lines += ["", f"### {recipe.question_zh} / {recipe.question_en}", "",
                  f"`kg query docs/queries/{name}.rq exports`", "", "```", answer, "```"]
    return "\n".join(lines) + "\n"
