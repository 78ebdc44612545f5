"""Atomic output files: written under a temporary name in the same folder, then renamed into place.

A reader never sees a half-written file, a build killed mid-write leaves the previous
file whole (and a hidden ``.NAME.*.tmp`` that the next build removes), and a failed
write raises :class:`~kg.errors.ExportError` with the path and the reason.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from kg.errors import ExportError


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary handle on a temporary file that replaces ``path`` when the block succeeds.

    The file gets the permissions a plain ``open`` would give (umask applied).

    Raises:
        ExportError: when the file cannot be created or written.
    """
    target = Path(path)
    try:
        handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",  # noqa: SIM115
                                             delete=False)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error}") from error
    try:
        with handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, target)
    except BaseException as error:
        Path(handle.name).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"cannot write {target}: {error}") from error
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_file`).

    Raises:
        ExportError: the folder is missing or not writable, or the disk is full.
    """
    with atomic_file(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_chunks(path: str | os.PathLike[str], chunks: Iterable[str], *, buffer: int = 1 << 20) -> None:
    """Write the text ``chunks`` (UTF-8) to ``path`` atomically, about ``buffer`` characters at a time.

    Large documents are streamed, never held whole in memory.

    Raises:
        ExportError: the folder is missing or not writable, or the disk is full.
    """
    with atomic_file(path) as handle:
        pending: list[str] = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= buffer:
                handle.write("".join(pending).encode("utf-8"))
                pending, size = [], 0
        handle.write("".join(pending).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
