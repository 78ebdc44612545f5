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
from collections.abc import Iterable, Mapping
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

_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt"}
_QUAD_FORMATS = {"trig", "nquads"}

_SELECTORS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
SELECT ?resource ?start ?end ?exact ?body WHERE {
  ?resource a oa:SpecificResource ;
      oa:hasSelector ?position , ?quote .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?resource oa:hasSource ?source . ?source schema:articleBody ?body . }
}
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One result: the node, the property path, what is wrong, and ``violation``/``warning``/``info``."""

    focus_node: str
    path: str
    message: str
    severity: str


def load_union(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> rdflib.Graph:
    """Parse RDF files (format from the suffix: .trig .ttl .nq .nt) into one merged graph.

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
    """Selectors whose ``oa:exact`` is not ``articleBody[start:end]`` of their source."""
    found = []
    for row in data.query(_SELECTORS):
        resource, start, end, exact, body = row  # type: ignore[misc]
        if body is None:
            message = "evidence source has no schema:articleBody"
        else:
            begin, stop = int(start.toPython()), int(end.toPython())
            if str(body)[begin:stop] == str(exact):
                continue
            message = f"articleBody[{begin}:{stop}] is {str(body)[begin:stop]!r}, not the quoted {str(exact)!r}"
        found.append(Violation(focus_node=str(resource), path="http://www.w3.org/ns/oa#exact",
                               message=message, severity="violation"))
    return sorted(set(found), key=lambda v: (v.focus_node, v.message))


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
