"""kg.query: the embedded store, escaped parameters, and the output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.query import QueryError, fill, iri, literal, open_store, parameters, query, select

LABELS = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
PARAMETRIZED = """SELECT ?s WHERE {
  VALUES ?name { "x"@zh }  # parameter
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name .
}"""


@pytest.mark.parametrize("hostile", ['a"b', "a\\b", "line\nbreak", 'x" } ; DROP ALL ; #', "\t\r\b\f",
                                     "😀\u202e", "a" + chr(0xDC00), "'single'", '"""triple"""'])
def test_query_literal_round_trips_through_the_parser(sample_trig: Path, hostile: str) -> None:
    store = open_store(sample_trig)
    rows = select(store, f"SELECT ?v WHERE {{ BIND({literal(hostile, 'zh')} AS ?v) }}")
    assert rows == [{"v": hostile.replace(chr(0xDC00), "\ufffd")}]  # lone surrogates become U+FFFD


@pytest.mark.parametrize(("language", "datatype"), [("zh cn", None), ("zh@x", None), (None, "not an iri"),
                                                    (None, "http://x.org/a>b")])
def test_query_literal_refuses_bad_tags(language: str | None, datatype: str | None) -> None:
    with pytest.raises(ValueError):
        literal("x", language, datatype)


@pytest.mark.parametrize("value", ["http://x.org/a b", "http://x.org/a>", "relative/iri", 'http://x.org/"'])
def test_query_iri_refuses_what_would_break_a_query(value: str) -> None:
    with pytest.raises(ValueError):
        iri(value)


def test_query_fill_cannot_be_escaped(sample_trig: Path) -> None:
    store = open_store(sample_trig)
    assert select(store, fill(PARAMETRIZED, name='x" } ?s ?p ?o . { "')) == []
    assert parameters(PARAMETRIZED) == {"name": '"x"@zh'}
    with pytest.raises(ValueError, match="not a parameter"):
        fill(PARAMETRIZED, other="y")


def test_query_default_graph_is_a_set_union(generated_trig: Path) -> None:
    store = open_store(generated_trig)
    count = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    distinct = select(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?l WHERE "
                             "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
    graphs = select(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert count == distinct
    assert int(graphs[0]["n"]) == 50


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_query_formats_hold_the_same_rows(sample_trig: Path, output_format: str) -> None:
    text = query(LABELS, sample_trig, output_format)
    labels = sorted(row["l"] for row in select(open_store(sample_trig), LABELS))
    if output_format == "json":
        found = [b["l"]["value"] for b in json.loads(text)["results"]["bindings"]]
    elif output_format == "csv":
        found = [row["l"] for row in csv.DictReader(io.StringIO(text))]
    else:
        found = [line.strip() for line in text.splitlines()[2:]]
    assert sorted(found) == labels and "李亚平" in labels


def test_query_table_aligns_wide_characters(sample_trig: Path) -> None:
    sparql = LABELS.replace("?l WHERE", "?l ?s WHERE")
    lines = query(sparql, sample_trig).splitlines()
    starts = {line.index("|") + sum(1 for c in line[: line.index("|")] if ord(c) > 0x2E80) for line in lines if "|" in line}
    assert len(starts) == 1


@pytest.mark.parametrize(("sparql", "expected"), [("ASK { ?s ?p ?o }", "true"), ("ASK { ?s ?p 'nothing' }", "false")])
def test_query_ask(sample_trig: Path, sparql: str, expected: str) -> None:
    assert query(sparql, sample_trig) == expected


def test_query_construct_answers_turtle(sample_trig: Path) -> None:
    text = query("CONSTRUCT { ?s a <https://schema.org/NewsArticle> } WHERE { ?s a <https://schema.org/NewsArticle> }",
                 sample_trig)
    assert text.startswith("<https://kg.example.org/article/") and text.rstrip().endswith(".")


@pytest.mark.parametrize("bad", ["SELECT ?x WHERE {", "not sparql"])
def test_query_bad_sparql_is_a_one_line_error(sample_trig: Path, bad: str) -> None:
    with pytest.raises(QueryError):
        query(bad, sample_trig)
    result = CliRunner().invoke(cli, ["query", bad, str(sample_trig)])
    assert result.exit_code == 1 and "SPARQL" in result.output


def test_query_missing_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "ASK {}", str(tmp_path)])
    assert result.exit_code == 1 and "kg build" in result.output


def test_query_cli_fills_parameters_from_rq_file(sample_trig: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(PARAMETRIZED, encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(path), str(sample_trig), "-p", "name=苏州市", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.replace("\r", "").startswith("s\nhttps://kg.example.org/place/")
    refused = CliRunner().invoke(cli, ["query", str(path), str(sample_trig), "-p", "city=苏州市"])
    assert refused.exit_code == 2
