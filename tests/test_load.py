"""kg.load against real SPARQL servers on loopback ports (Oxigraph always, Virtuoso where installed)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.load import Endpoint, LoadError, graph_batches, load, sparql_select

SECRET = "s3cr3t-pa55"


def _endpoint(server: dict[str, str]) -> Endpoint:
    return Endpoint.at(server["store"], query=server["query"], user=server.get("user"),
                       password=server.get("password"), auth=server.get("auth", "basic"))


def _graphs(trig: Path) -> dict[str, int]:
    counts: dict[str, set[object]] = {}
    for quad in pyoxigraph.parse(path=str(trig), format=pyoxigraph.RdfFormat.TRIG):
        counts.setdefault(quad.graph_name.value, set()).add(quad.triple)  # type: ignore[union-attr]
    return {graph: len(triples) for graph, triples in counts.items()}


def _server_counts(endpoint: Endpoint, graphs: set[str]) -> dict[str, int]:
    rows = sparql_select(endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows if row["g"] in graphs}


@pytest.mark.parametrize("build_fixture", ["sample_trig", "generated_trig"])
def test_load_sends_every_graph_and_rerun_replaces(sparql_server: dict[str, str], request: pytest.FixtureRequest,
                                                    build_fixture: str) -> None:
    folder: Path = request.getfixturevalue(build_fixture)
    endpoint = _endpoint(sparql_server)
    expected = _graphs(folder / "graph.trig")
    first = load(folder, endpoint, progress=False)
    assert first.graphs == len(expected) and first.mismatches == {}
    assert _server_counts(endpoint, set(expected)) == expected
    again = load(folder, endpoint, progress=False, batch_size=97)  # several requests per graph: PUT then POSTs
    assert again.requests > len(expected)
    assert _server_counts(endpoint, set(expected)) == expected


def test_load_answers_by_sparql_over_http(sparql_server: dict[str, str], sample_trig: Path) -> None:
    endpoint = _endpoint(sparql_server)
    load(sample_trig, endpoint, progress=False)
    rows = sparql_select(endpoint, """
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?role WHERE { GRAPH ?g { ?m org:member ?p ; org:role/rdfs:label ?role . ?p rdfs:label "李亚平"@zh } }""")
    assert rows == [{"role": "市长"}]


def test_load_cli_takes_credentials_from_the_environment(sparql_server: dict[str, str], sample_trig: Path) -> None:
    args = ["load", str(sample_trig), "--endpoint", sparql_server["store"], "--query-endpoint", sparql_server["query"],
            "--auth", sparql_server.get("auth", "basic"), "-q"]
    env = {"KG_ENDPOINT_USER": sparql_server.get("user", "nobody"),
           "KG_ENDPOINT_PASSWORD": sparql_server.get("password", SECRET)}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert "counts verified" in result.output
    assert env["KG_ENDPOINT_PASSWORD"] not in result.output


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first two PUTs, then 204; 401 when told to; SPARQL counts from what it got."""

    failures = 2
    refuse = False
    received: ClassVar[list[bytes]] = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).refuse:
            self._answer(401, b"unauthorised")
        elif type(self).failures > 0:
            type(self).failures -= 1
            self._answer(503, b"busy")
        else:
            type(self).received.append(body)
            self._answer(204, b"")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer(200, b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}')

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    _Flaky.failures, _Flaky.refuse, _Flaky.received = 2, False, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_load_retries_server_errors_with_backoff(flaky: str, sample_trig: Path) -> None:
    waits: list[float] = []
    endpoint = Endpoint.at(flaky + "/store")
    report = load(sample_trig, endpoint, progress=False, verify=False, sleep=waits.append)
    assert report.retries == 2 and waits == [0.5, 1.0]
    assert len(_Flaky.received) == 1


def test_load_reports_count_mismatch(flaky: str, sample_trig: Path) -> None:
    with pytest.raises(LoadError, match="other counts"):
        load(sample_trig, Endpoint.at(flaky + "/store"), progress=False, sleep=lambda _: None)


def test_load_errors_never_show_the_password(flaky: str, sample_trig: Path) -> None:
    _Flaky.refuse = True
    endpoint = Endpoint.at(flaky + "/store", user="me", password=SECRET)
    with pytest.raises(LoadError) as caught:
        load(sample_trig, endpoint, progress=False)
    assert "401" in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET not in repr(endpoint) and SECRET not in str(endpoint)


def test_load_gives_up_on_an_unreachable_server(sample_trig: Path) -> None:
    endpoint = Endpoint.at("http://127.0.0.1:9/store")
    with pytest.raises(LoadError, match="cannot connect"):
        load(sample_trig, endpoint, progress=False, attempts=2, sleep=lambda _: None)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/store", "127.0.0.1:7878/store",
                                 "http://user:pw@127.0.0.1/store", "http://127.0.0.1/unknown"])
def test_load_refuses_bad_endpoints(url: str) -> None:
    with pytest.raises(LoadError):
        Endpoint.at(url)


def test_load_batches_keep_graphs_apart(generated_trig: Path) -> None:
    batches = list(graph_batches(generated_trig / "graph.trig", 100))
    firsts = [graph for graph, first, _ in batches if first]
    assert len(firsts) == len(set(firsts)) == 50
    assert all(len(triples) <= 100 for _, _, triples in batches)
    assert sum(len(t) for _, _, t in batches) == sum(_graphs(generated_trig / "graph.trig").values())
