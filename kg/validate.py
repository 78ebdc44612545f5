"""Validation of the exports: RDF against the SHACL shapes, extraction JSON against its schema.

:func:`validate_rdf` merges every graph of the given files (the union is the knowledge
graph), runs pyshacl with ``schemas/shapes.ttl``, and checks the evidence invariant
``articleBody[start:end] == exact`` (code points, end exclusive) for every selector pair.
:func:`validate_extraction_json` checks an :class:`~kg.records.Extraction` serialised as
JSON against ``schemas/extraction.schema.json``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import pyshacl
import rdflib
from rdflib.namespace import SH

SCHEMAS = Path(__file__).parent / "schemas"
DEFAULT_SHAPES = SCHEMAS / "shapes.ttl"
EXTRACTION_SCHEMA = SCHEMAS / "extraction.schema.json"

_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld"}
_QUAD_FORMATS = {"trig", "nquads", "json-ld"}
_JSON_SUFFIXES = {".json", ".jsonl"}

_OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
_SCHEMA = rdflib.Namespace("https://schema.org/")


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One result: the node, the property path, what is wrong, and ``violation``/``warning``/``info``."""

    focus_node: str
    path: str
    message: str
    severity: str


def load_union(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> rdflib.Graph:
    """Parse RDF files (format from the suffix: .trig .ttl .nq .nt .jsonld) into one merged graph.

    Raises:
        ValueError: for a file whose suffix names no known format.
    """
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    union = rdflib.Graph()
    for item in items:
        path = Path(item)
        rdf_format = _FORMATS.get(path.suffix.lower())
        if rdf_format is None:
            raise ValueError(f"{path}: unknown RDF suffix {path.suffix!r}; use one of {sorted(_FORMATS)}")
        if rdf_format in _QUAD_FORMATS:
            dataset = rdflib.Dataset()
            dataset.parse(path, format=rdf_format)
            for subject, predicate, obj, _graph in dataset.quads((None, None, None, None)):
                union.add((subject, predicate, obj))
        else:
            union.parse(path, format=rdf_format)
    return union


@cache
def _shapes(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def shacl_violations(data: rdflib.Graph, shapes: str | os.PathLike[str] = DEFAULT_SHAPES) -> list[Violation]:
    """The SHACL results of ``data`` against ``shapes``, sorted."""
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=_shapes(Path(shapes)), inference="none", allow_warnings=True, advanced=False
    )
    assert isinstance(report, rdflib.Graph)
    found = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        found.append(Violation(
            focus_node=str(report.value(result, SH.focusNode)),
            path=str(report.value(result, SH.resultPath) or ""),
            message=str(report.value(result, SH.resultMessage) or ""),
            severity=str(severity).rsplit("#", 1)[-1].lower(),
        ))
    return sorted(found, key=lambda v: (v.focus_node, v.path, v.message))


def selector_violations(data: rdflib.Graph) -> list[Violation]:
    """Selectors whose ``oa:exact`` is not ``articleBody[start:end]`` of their source.

    Walks the graph from each ``oa:SpecificResource`` (a SPARQL join here is quadratic in rdflib).
    """
    found = []
    for resource in data.subjects(rdflib.RDF.type, _OA.SpecificResource):
        selectors = list(data.objects(resource, _OA.hasSelector))
        positions = [s for s in selectors if (s, rdflib.RDF.type, _OA.TextPositionSelector) in data]
        quotes = [s for s in selectors if (s, rdflib.RDF.type, _OA.TextQuoteSelector) in data]
        bodies = [body for source in data.objects(resource, _OA.hasSource)
                  for body in data.objects(source, _SCHEMA.articleBody)]
        for position in positions:
            for quote in quotes:
                for start, end, exact in _selector_values(data, position, quote):
                    message = _selector_problem(bodies, start, end, exact)
                    if message:
                        found.append(Violation(focus_node=str(resource), path=str(_OA.exact), message=message,
                                               severity="violation"))
    return sorted(set(found), key=lambda v: (v.focus_node, v.message))


def _selector_values(data: rdflib.Graph, position: object, quote: object) -> list[tuple[int, int, str]]:
    return [(int(str(start)), int(str(end)), str(exact))
            for start in data.objects(position, _OA.start)  # type: ignore[arg-type]
            for end in data.objects(position, _OA.end)  # type: ignore[arg-type]
            for exact in data.objects(quote, _OA.exact)]  # type: ignore[arg-type]


def _selector_problem(bodies: Sequence[object], start: int, end: int, exact: str) -> str:
    if not bodies:
        return "evidence source has no schema:articleBody"
    text = str(bodies[0])
    if text[start:end] == exact:
        return ""
    return f"articleBody[{start}:{end}] is {text[start:end]!r}, not the quoted {exact!r}"


def validate_rdf(
    path_or_paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    shapes: str | os.PathLike[str] = DEFAULT_SHAPES,
) -> list[Violation]:
    """Check RDF files (merged) against the SHACL shapes and the selector invariant.

    Returns every result, warnings included; an empty list means the files conform.

    Raises:
        ValueError: for a file with an unknown suffix.
    """
    data = load_union(path_or_paths)
    return shacl_violations(data, shapes) + selector_violations(data)


@cache
def _extraction_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(EXTRACTION_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def validate_extraction_json(obj: Mapping[str, object]) -> list[str]:
    """Messages for every way ``obj`` differs from ``schemas/extraction.schema.json``; ``[]`` if none.

    >>> validate_extraction_json({"article": {"doc_id": "d1", "text": "正文"}})
    []
    >>> validate_extraction_json({"article": {"text": "正文"}})
    ["$.article: 'doc_id' is a required property"]
    """
    errors = _extraction_validator().iter_errors(obj)
    return sorted(f"{error.json_path}: {error.message}" for error in errors)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem in one file: an RDF :class:`Violation` or a JSON Schema error."""

    file: str
    severity: str
    focus_node: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.severity}: {self.focus_node}: {self.message}"


def validate_paths(paths: Iterable[str | os.PathLike[str]],
                   shapes: str | os.PathLike[str] = DEFAULT_SHAPES) -> list[Finding]:
    """Check files by suffix: RDF files together (SHACL + selectors), JSON/JSON Lines of extractions each.

    ``.json`` holds one extraction object or a list of them; ``.jsonl`` one per line.
    RDF findings name every RDF file checked (their union is what was checked).

    Raises:
        ValueError: for a file with a suffix that is neither RDF nor JSON.
        OSError: when a file cannot be read.
    """
    items = [Path(path) for path in paths]
    unknown = [str(p) for p in items if p.suffix.lower() not in _FORMATS and p.suffix.lower() not in _JSON_SUFFIXES]
    if unknown:
        raise ValueError(f"cannot validate {', '.join(unknown)}: use {sorted(_FORMATS) + sorted(_JSON_SUFFIXES)}")
    findings: list[Finding] = []
    rdf_files = [p for p in items if p.suffix.lower() in _FORMATS]
    if rdf_files:
        label = ", ".join(map(str, rdf_files))
        findings += [Finding(file=label, severity=v.severity, focus_node=v.focus_node,
                             message=f"{v.path}: {v.message}" if v.path else v.message)
                     for v in validate_rdf(rdf_files, shapes)]
    for path in items:
        if path.suffix.lower() in _JSON_SUFFIXES:
            findings += _json_findings(path)
    return findings


def _json_findings(path: Path) -> list[Finding]:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".jsonl":
            records = [(f"line {n}", json.loads(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        else:
            loaded = json.loads(text)
            records = [(f"[{n}]", item) for n, item in enumerate(loaded)] if isinstance(loaded, list) else [("$", loaded)]
    except json.JSONDecodeError as error:
        return [Finding(file=str(path), severity="violation", focus_node="$", message=f"not JSON: {error}")]
    findings = []
    for where, record in records:
        if not isinstance(record, dict):
            findings.append(Finding(file=str(path), severity="violation", focus_node=where,
                                    message="an extraction record must be a JSON object"))
            continue
        findings += [Finding(file=str(path), severity="violation", focus_node=where, message=message)
                     for message in validate_extraction_json(record)]
    return findings
