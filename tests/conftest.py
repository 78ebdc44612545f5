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
