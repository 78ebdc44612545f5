"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "fazhi-ribao" / "2021-09-03-suzhou-fazhi-zhengfu.txt"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory):
    """The bundled sample built once into a temporary folder: (BuildResult, outdir)."""
    import kg

    outdir = tmp_path_factory.mktemp("sample-build")
    result = kg.build([str(SAMPLE)], outdir)
    return result, outdir


# ---- issue 5: RDF formats, triple stores, queries (kg.export.convert, kg.load, kg.query) ----
# Builds written as graph.trig only (no HTML), a generated corpus, and SPARQL servers on
# loopback ports: Oxigraph from the `oxigraph` PyPI package, Virtuoso where installed.

import shutil as _shutil
import socket as _socket
import subprocess as _subprocess
import time as _time
import urllib.error as _urlerror
import urllib.request as _urlrequest
from collections.abc import Iterator as _Iterator


def _trig_build(paths: list[Path], outdir: Path) -> Path:
    from kg.export.rdf import write_rdf
    from kg.pipeline import build

    result = build([str(p) for p in paths], outdir=None)
    write_rdf(result.corpus, outdir, formats=("trig",))
    return outdir


@pytest.fixture(scope="session")
def sample_trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sample article's graph.trig."""
    return _trig_build([SAMPLE], tmp_path_factory.mktemp("sample-trig"))


@pytest.fixture(scope="session")
def generated_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of 50 generated articles (tests/generated_corpus.py)."""
    from generated_corpus import write_corpus

    folder = tmp_path_factory.mktemp("generated-articles")
    write_corpus(folder)
    return folder


@pytest.fixture(scope="session")
def generated_trig(generated_articles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the generated corpus's graph.trig."""
    return _trig_build([generated_articles], tmp_path_factory.mktemp("generated-trig"))


def _free_port() -> int:
    with _socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_http(url: str, process: _subprocess.Popen[bytes], seconds: float) -> None:
    deadline = _time.monotonic() + seconds
    while _time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        try:
            with _urlrequest.urlopen(url, timeout=2):
                return
        except (_urlerror.URLError, ConnectionError, TimeoutError):
            _time.sleep(0.2)
    raise RuntimeError(f"server not ready at {url} after {seconds} s")


def _stop(process: _subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except _subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _oxigraph_binary() -> str | None:
    import sys

    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else _shutil.which("oxigraph")


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}/www
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _oxigraph_server(tmp: Path) -> _Iterator[dict[str, str]]:
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    log = (tmp / "oxigraph.log").open("wb")
    command = [binary, "serve", "--location", str(tmp / "data"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = _subprocess.Popen(command, stdout=log, stderr=log)
    try:
        _wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process, 30)
        yield {"store": f"http://127.0.0.1:{port}/store", "query": f"http://127.0.0.1:{port}/query"}
    finally:
        _stop(process)
        log.close()


def _virtuoso_server(tmp: Path) -> _Iterator[dict[str, str]]:
    binary = _shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    sql, http = _free_port(), _free_port()
    (tmp / "www").mkdir()
    ini = tmp / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=tmp, sql=sql, http=http), encoding="utf-8")
    log = (tmp / "virtuoso.out").open("wb")
    process = _subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=tmp, stdout=log, stderr=log)
    try:
        _wait_http(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", process, 120)
        yield {"store": f"http://127.0.0.1:{http}/sparql-graph-crud-auth", "query": f"http://127.0.0.1:{http}/sparql",
               "user": "dba", "password": "dba", "auth": "digest"}
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def sparql_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> _Iterator[dict[str, str]]:
    """A fresh SPARQL server per test module on a loopback port: store and query URLs (+ credentials).

    Stopped when the module's tests are done, so what one module loads never shows in another's answers.

    Both answer queries without GRAPH over the union of the graphs (Oxigraph with --union-default-graph).
    """
    tmp = tmp_path_factory.mktemp(request.param)
    start = _oxigraph_server if request.param == "oxigraph" else _virtuoso_server
    yield from start(tmp)

# ---- end of issue 5 section ----
