"""Records to JSON and back: :class:`~kg.records.Extraction` and its parts as plain dicts.

The mapping is the one ``schemas/extraction.schema.json`` describes: dataclass fields by
name, tuples as arrays, enums as their values, dates as ISO 8601 strings, ``None`` as
``null``. :func:`from_json` reads the field types from the record classes, so a record
added to :mod:`kg.records` needs no code here; it rebuilds the records through their
constructors, so a span whose text does not fit its offsets fails on reading.

>>> from kg.records import Span
>>> to_json(Span(doc_id="d1", start=0, end=2, text="苏州"))
{'doc_id': 'd1', 'start': 0, 'end': 2, 'text': '苏州'}
>>> from_json(Span, {"doc_id": "d1", "start": 0, "end": 2, "text": "苏州"}).text
'苏州'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

R = TypeVar("R")


def to_json(record: object) -> Any:
    """``record`` (a dataclass, or a value inside one) as JSON-ready dicts, lists and scalars.

    >>> from kg.records import Author
    >>> to_json(Author(name="沙一", role="记者", start=3, end=6))
    {'name': '沙一', 'role': '记者', 'start': 3, 'end': 6}
    """
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, enum.Enum):
        return record.value
    if isinstance(record, dt.date):
        return record.isoformat()
    if isinstance(record, (list, tuple)):
        return [to_json(item) for item in record]
    if isinstance(record, Mapping):
        return {str(key): to_json(value) for key, value in record.items()}
    return record


def from_json(cls: type[R], data: Mapping[str, Any]) -> R:
    """The record of type ``cls`` that :func:`to_json` turned into ``data``.

    Fields missing from ``data`` take their defaults.

    Raises:
        ValueError: when ``data`` is not an object, names an unknown field, or holds a
            value of the wrong type (the records' own checks raise ``ValueError`` too).

    >>> from kg.records import Mention
    >>> m = from_json(Mention, {"span": {"doc_id": "d", "start": 0, "end": 2, "text": "苏州"},
    ...                         "type": "place", "name": "苏州市", "extractor": "places.v1"})
    >>> (m.type.value, m.span.end, m.score)
    ('place', 2, 1.0)
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
    hints = _hints(cls)
    unknown = sorted(set(data) - set(hints))
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {unknown}")
    values = {name: _value(hints[name], data[name], f"{cls.__name__}.{name}") for name in data}
    return cls(**values)


@cache
def _hints(cls: type) -> dict[str, Any]:
    if not dataclasses.is_dataclass(cls):
        raise ValueError(f"{cls!r} is not a record class")
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _value(hint: Any, value: Any, where: str) -> Any:
    """``value`` read as the type ``hint`` (unions with None, tuples, enums, dates, NewTypes, records)."""
    supertype = getattr(hint, "__supertype__", None)
    if supertype is not None:  # NewType (DocId, Key)
        return _value(supertype, value, where)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        return _value(next(o for o in options if o is not type(None)), value, where)
    if origin is tuple:
        return _tuple(typing.get_args(hint), value, where)
    if origin is dict:
        return dict(_expect(value, dict, where))
    if dataclasses.is_dataclass(hint):
        return from_json(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(_expect(value, str, where))
    if hint is dt.date:
        return dt.date.fromisoformat(_expect(value, str, where))
    if hint is float:
        return float(_expect(value, (int, float), where))
    if hint in (int, str, bool):
        return _expect(value, hint, where)
    raise ValueError(f"{where}: cannot read type {hint!r}")


def _tuple(args: tuple[Any, ...], value: Any, where: str) -> tuple[Any, ...]:
    items = _expect(value, list, where)
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(_value(args[0], item, f"{where}[{n}]") for n, item in enumerate(items))
    if len(items) != len(args):
        raise ValueError(f"{where}: expected {len(args)} items, got {len(items)}")
    return tuple(_value(arg, item, f"{where}[{n}]") for n, (arg, item) in enumerate(zip(args, items)))


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) and kind is not bool and not (isinstance(kind, tuple) and bool in kind):
        raise ValueError(f"{where}: expected {_name(kind)}, got a boolean")
    if not isinstance(value, kind):
        raise ValueError(f"{where}: expected {_name(kind)}, got {type(value).__name__}")
    return value


def _name(kind: type | tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
