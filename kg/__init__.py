"""kg: knowledge graphs from Chinese government and legal news.

>>> import kg
>>> result = kg.build(["examples"], outdir=None)  # doctest: +SKIP

Public functions:

* :func:`kg.build`: files and folders → records, networkx graph and output files;
* :func:`kg.extract_article`: one text → its mentions, entities and facts.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "BuildResult", "extract_article"]


def __getattr__(name: str):  # lazy: `import kg` stays fast and light
    if name in ("build", "BuildResult"):
        from kg import pipeline

        return getattr(pipeline, name)
    if name == "extract_article":
        from kg.extract import extract_article

        return extract_article
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
