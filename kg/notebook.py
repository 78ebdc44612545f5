"""The explorer inside a Jupyter notebook, in one line::

    import kg.notebook
    kg.notebook.show("exports")              # a build folder (its graph.html)
    kg.notebook.show(result)                 # what kg.build returned
    kg.notebook.show(kg.viz.focus(result.graph, "李亚平", hops=2))

The page is put in an ``<iframe srcdoc=…>``, sandboxed to its own scripts and
downloads (the PNG button): it cannot reach the notebook, and it loads nothing
from the network, so it works in an offline notebook and in a saved ``.ipynb``.
IPython is not a dependency of kg: without it, ``show`` returns the iframe
markup as a string.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("person/1", type="person", label="李亚平")
>>> markup = iframe_html(g, height=500)
>>> 'srcdoc="&lt;!DOCTYPE html&gt;' in markup, 'sandbox="allow-scripts allow-downloads"' in markup
(True, True)
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.export.html import generate_html

PAGE_FILE = "graph.html"


def _page(source: object, title: str) -> str:
    """The explorer page for a graph, a build result, a build folder or an HTML file."""
    if isinstance(source, nx.MultiDiGraph | nx.DiGraph | nx.Graph):
        return generate_html(nx.MultiDiGraph(source), title=title)
    graph = getattr(source, "graph", None)
    if isinstance(graph, nx.Graph):
        return generate_html(nx.MultiDiGraph(graph), title=title)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        page = path / PAGE_FILE if path.is_dir() else path
        if not page.is_file():
            raise KgError(f"{page} not found: give a build folder (kg build … -o FOLDER), an HTML file or a graph")
        return page.read_text(encoding="utf-8")
    raise KgError(f"cannot show a {type(source).__name__}: give a graph, a build result, a folder or a file")


def iframe_html(source: object, *, height: int = 650, title: str = "kg explorer") -> str:
    """The ``<iframe>`` markup that shows the explorer of ``source`` (see :func:`show`).

    Raises:
        KgError: ``source`` is none of the accepted kinds, or its page is missing.
    """
    page = _page(source, title)
    return (  # wrapped in a div: IPython warns about bare iframes
        f'<div class="kg-explorer"><iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(title)}" '
        f'sandbox="allow-scripts allow-downloads" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd;"></iframe></div>'
    )


def show(source: object, *, height: int = 650, title: str = "kg explorer") -> Any:
    """Display the explorer inline in Jupyter: ``kg.notebook.show("exports")``.

    ``source`` is a build folder (its ``graph.html``), an explorer HTML file, a
    :class:`kg.BuildResult` or a networkx graph. Returns an
    ``IPython.display.HTML`` (shown when it is a cell's last value), or the
    iframe markup as a string when IPython is not installed.

    Raises:
        KgError: ``source`` is none of the accepted kinds, or its page is missing.
    """
    markup = iframe_html(source, height=height, title=title)
    try:
        from IPython.display import HTML
    except ImportError:
        return markup
    return HTML(markup)
