"""Push a build into a SPARQL server over the SPARQL 1.1 Graph Store Protocol, then check it.

Each named graph of ``OUTDIR/graph.trig`` goes to ``<endpoint>?graph=<graph IRI>``
by HTTP ``PUT`` (the first batch; later batches of a big graph by ``POST``), so a
rerun replaces a graph rather than doubling it. Server errors (5xx) and connection
failures are retried with exponential backoff. At the end the triples of every graph
are counted back by SPARQL and compared with what was sent.

Works with Oxigraph (``http://host:7878/store``, queries at ``/query``) and Virtuoso
(``http://host:8890/sparql-graph-crud-auth`` with Digest authentication, queries at
``/sparql``); any other server by giving its query endpoint.

Credentials live in a field that is never printed: not in reprs, messages or logs.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Triple, parse, serialize
from tqdm import tqdm

from kg.errors import KgError
from kg.vocab import prefixes

AUTH_SCHEMES = ("basic", "digest")
_RETRY_STATUS = range(500, 600)
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class LoadError(KgError):
    """The server refused the data, could not be reached, or holds other counts than were sent."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where to send graphs (``store``) and ask queries (``query``), with optional credentials.

    >>> Endpoint.at("http://127.0.0.1:7878/store", user="u", password="secret")
    Endpoint(store='http://127.0.0.1:7878/store', query='http://127.0.0.1:7878/query', user='u', auth='basic')
    >>> Endpoint.at("file:///tmp/x")
    Traceback (most recent call last):
    ...
    kg.load.LoadError: endpoint 'file:///tmp/x' must be an http(s) URL
    """

    store: str
    query: str
    user: str | None = None
    password: str | None = field(default=None, repr=False, compare=False)
    auth: str = "basic"

    @classmethod
    def at(cls, store: str, *, query: str | None = None, user: str | None = None, password: str | None = None,
           auth: str = "basic") -> Endpoint:
        """The endpoint for a Graph Store URL; the query URL is derived for Oxigraph and Virtuoso.

        Raises:
            LoadError: for a non-http(s) URL, credentials inside the URL, an unknown auth scheme,
                or a store URL whose query endpoint cannot be guessed.
        """
        for url in (store, query):
            if url is not None:
                _check_url(url)
        if auth not in AUTH_SCHEMES:
            raise LoadError(f"unknown authentication {auth!r}; choose from {AUTH_SCHEMES}")
        return cls(store=store, query=query or _query_url(store), user=user, password=password, auth=auth)


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"endpoint {url!r} must be an http(s) URL")
    if parts.username or parts.password:
        raise LoadError("give credentials with --user/--password or KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD, "
                        "not inside the URL")


def _query_url(store: str) -> str:
    parts = urllib.parse.urlsplit(store)
    path = parts.path.rstrip("/")
    for suffix, replacement in (("/store", "/query"), ("/sparql-graph-crud-auth", "/sparql"),
                                ("/sparql-graph-crud", "/sparql")):
        if path.endswith(suffix):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(suffix)] + replacement, query=""))
    raise LoadError(f"cannot guess the SPARQL query endpoint of {store}; give it with --query-endpoint")


@dataclass(slots=True)
class LoadReport:
    """What :func:`load` did: graphs and triples sent, requests, retries, seconds, counts read back."""

    graphs: int = 0
    triples: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    expected: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)

    @property
    def mismatches(self) -> dict[str, tuple[int, int]]:
        """Graph → (expected, found) where the server holds another number of triples."""
        return {g: (n, self.found.get(g, 0)) for g, n in self.expected.items() if self.found.get(g, 0) != n}


class _Client:
    """HTTP with authentication, timeouts and retries; never shows the password."""

    def __init__(self, endpoint: Endpoint, *, attempts: int, backoff: float, timeout: float,
                 sleep: Callable[[float], None]) -> None:
        self.endpoint, self.attempts, self.backoff, self.timeout, self.sleep = endpoint, attempts, backoff, timeout, sleep
        self.retries = self.requests = 0
        handlers: list[urllib.request.BaseHandler] = []
        if endpoint.user is not None:
            if endpoint.auth == "digest":
                manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                manager.add_password(None, [endpoint.store, endpoint.query], endpoint.user, endpoint.password or "")
                handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
            else:
                prior = urllib.request.HTTPPasswordMgrWithPriorAuth()
                for url in (endpoint.store, endpoint.query):
                    prior.add_password(None, url, endpoint.user, endpoint.password or "", is_authenticated=True)
                handlers.append(urllib.request.HTTPBasicAuthHandler(prior))
        self.opener = urllib.request.build_opener(*handlers)

    def send(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        for attempt in range(self.attempts):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            self.requests += 1
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                detail = error.read()[:300].decode("utf-8", "replace").strip()
                if error.code not in _RETRY_STATUS or attempt == self.attempts - 1:
                    raise LoadError(f"{method} {_public(url)}: HTTP {error.code} {error.reason}: {detail}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if attempt == self.attempts - 1:
                    reason = getattr(error, "reason", error)
                    raise LoadError(f"{method} {_public(url)}: cannot connect: {reason}") from None
            self.retries += 1
            self.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def select(self, sparql: str) -> list[dict[str, str]]:
        body = urllib.parse.urlencode({"query": sparql}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
        answer = json.loads(self.send("POST", self.endpoint.query, body, headers))
        return [{name: cell["value"] for name, cell in row.items()} for row in answer["results"]["bindings"]]


def _public(url: str) -> str:
    """``url`` without its query string (graph IRIs make messages long; nothing secret is ever in it)."""
    return url.split("?", 1)[0]


def graph_batches(path: str | os.PathLike[str], batch_size: int) -> Iterator[tuple[str, bool, list[Triple]]]:
    """(graph IRI, first batch of this graph?, triples) for each batch of ``path`` (TriG), in file order.

    Triples of the default graph are skipped: every triple of a build lives in a named graph.
    """
    seen: set[str] = set()
    current: str | None = None
    batch: list[Triple] = []
    for quad in parse(path=str(path), format=RdfFormat.TRIG):
        graph = quad.graph_name
        if isinstance(graph, DefaultGraph) or not isinstance(graph, NamedNode):
            continue
        if graph.value != current or len(batch) >= batch_size:
            if current is not None and batch:
                yield current, current not in seen, batch
                seen.add(current)
            current, batch = graph.value, []
        batch.append(quad.triple)
    if current is not None and batch:
        yield current, current not in seen, batch


def load(outdir: str | os.PathLike[str], endpoint: Endpoint, *, batch_size: int = 50_000, attempts: int = 5,
         backoff: float = 0.5, timeout: float = 120.0, progress: bool = True, verify: bool = True,
         sleep: Callable[[float], None] = time.sleep) -> LoadReport:
    """Send every named graph of ``OUTDIR/graph.trig`` (or of a TriG file) to ``endpoint``; return a report.

    Raises:
        LoadError: when the server refuses a graph, stays unreachable after ``attempts``
            tries, or (with ``verify``) holds other counts than were sent.
        KgError: when there is no TriG file.
    """
    source = Path(outdir)
    trig = source / "graph.trig" if source.is_dir() else source
    if not trig.is_file():
        raise KgError(f"{trig}: no such TriG file; run `kg build` first")
    client = _Client(endpoint, attempts=attempts, backoff=backoff, timeout=timeout, sleep=sleep)
    report = LoadReport()
    started = time.perf_counter()
    bar = tqdm(desc="kg load", unit=" triples", file=sys.stderr, disable=not progress or None)
    try:
        for graph, first, triples in graph_batches(trig, batch_size):
            body = _turtle(triples)
            url = endpoint.store + ("&" if "?" in endpoint.store else "?") + urllib.parse.urlencode({"graph": graph})
            client.send("PUT" if first else "POST", url, body, {"Content-Type": "text/turtle; charset=utf-8"})
            report.graphs += first
            report.triples += len(triples)
            report.expected[graph] = report.expected.get(graph, 0) + len(set(triples))
            bar.update(len(triples))
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    report.requests, report.retries = client.requests, client.retries
    if verify:
        report.found = graph_counts(client, set(report.expected))
        if report.mismatches:
            worst = sorted(report.mismatches.items())[:5]
            raise LoadError("the server holds other counts than were sent (graph: sent, found): "
                            + "; ".join(f"{g}: {a}, {b}" for g, (a, b) in worst))
    return report


def _turtle(triples: list[Triple]) -> bytes:
    buffer = io.BytesIO()
    serialize(triples, buffer, RdfFormat.TURTLE, prefixes=prefixes())
    return buffer.getvalue()


def graph_counts(client: _Client, graphs: set[str]) -> dict[str, int]:
    """Triples per graph on the server, for ``graphs``, by one SPARQL ``GROUP BY`` query."""
    counts = {row["g"]: int(row["n"]) for row in client.select(_COUNTS) if row.get("g") in graphs}
    return {graph: counts.get(graph, 0) for graph in sorted(graphs)}


def sparql_select(endpoint: Endpoint, sparql: str, *, attempts: int = 3) -> list[dict[str, str]]:
    """Rows of a SELECT query asked at ``endpoint.query`` (variable → value as text).

    Raises:
        LoadError: when the server answers with an error or cannot be reached.
    """
    client = _Client(endpoint, attempts=attempts, backoff=0.5, timeout=60.0, sleep=time.sleep)
    return client.select(sparql)
