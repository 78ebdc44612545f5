"""The extraction cache: a rerun reprocesses only articles whose content or extractors changed.

Entries are keyed by the article's content hash (its ``doc_id`` covers text,
headline, date and publisher) and :data:`EXTRACTOR_VERSION`, which changes
whenever an extractor or the data it reads changes (the hash of the package's
extractor sources and data files). An entry is a pickle of the
:class:`~kg.records.Extraction`, written atomically, so a build killed at any
moment leaves either a whole entry or none, and the next run resumes from it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import tempfile
from importlib import resources
from pathlib import Path

from kg import __version__
from kg.records import Article, Extraction

CACHE_DIR = ".kg-cache"


@functools.cache
def extractor_version() -> str:
    """A hash of kg's version, the extractor sources, the records and the data files they read."""
    h = hashlib.sha256(__version__.encode())
    root = resources.files("kg")
    parts = [root.joinpath("records.py"), root.joinpath("gazetteer.py"), root.joinpath("parse.py")]
    for folder in ("extract", "data"):
        parts.extend(sorted((p for p in Path(str(root.joinpath(folder))).rglob("*") if p.is_file()
                             and "__pycache__" not in p.parts), key=lambda p: p.as_posix()))
    for part in parts:
        path = Path(str(part))
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class ExtractionCache:
    """Extractions on disk under ``folder``, one file per (article, extractor version, mode)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def _path(self, article: Article, tagger: bool) -> Path:
        name = f"{article.doc_id}-{extractor_version()}-{'lac' if tagger else 'rules'}.pickle"
        return self.folder / name[:2] / name

    def get(self, article: Article, tagger: bool) -> Extraction | None:
        path = self._path(article, tagger)
        try:
            with path.open("rb") as handle:
                found = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            self.misses += 1
            return None
        if not isinstance(found, Extraction) or found.article.text != article.text or \
                found.article.doc_id != article.doc_id:
            self.misses += 1
            return None
        self.hits += 1
        return dataclasses.replace(found, article=article)  # the same text read from another path

    def put(self, extraction: Extraction, tagger: bool) -> None:
        path = self._path(extraction.article, tagger)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(extraction, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except OSError:
            return  # a cache that cannot be written only costs time
