"""Output paths of the command line: checked before any work starts, written atomically.

A run can take minutes; an output path that cannot be written must fail it at once, not after
the work. `output_file_problem` and `output_dir_problem` say why a path cannot be written (None when it
can), by trying what the write will do: create a file in the directory that will hold it.
`write_text_atomic` and `write_bytes_atomic` write a temporary file in the same directory and
rename it over the path, so a reader never sees half a file and a failed write leaves the old one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["output_file_problem", "output_dir_problem", "write_text_atomic", "write_bytes_atomic", "write_atomic_with"]


def _create_problem(directory: Path) -> str | None:
    """Why no file can be created in an existing directory (None when one can)."""
    try:
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".write-check-")
    except OSError as e:
        return f"cannot create a file in {directory}: {e.strerror or e}"
    os.close(fd)
    os.unlink(probe)
    return None


def _parent_problem(path: Path) -> str | None:
    parent = path.parent
    if not parent.exists():
        return f"its directory {parent} does not exist"
    if not parent.is_dir():
        return f"{parent} is not a directory"
    return _create_problem(parent)


def output_file_problem(path: Path) -> str | None:
    """Why a file cannot be written at path (None when it can): a directory there, a missing or
    unwritable directory to hold it."""
    if path.is_dir():
        return "it is a directory"
    if path.exists() and not path.is_file():
        return "it is not a regular file"
    return _parent_problem(path)


def output_dir_problem(path: Path) -> str | None:
    """Why files cannot be written into directory path (None when they can); a missing directory is
    fine when its parent exists and is writable (it is created when written to)."""
    if path.exists():
        if not path.is_dir():
            return "it is a file, not a directory"
        return _create_problem(path)
    return _parent_problem(path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic_with(path: Path, write: Callable[[Path], object]) -> None:
    """Call write(tmp) on a fresh temporary path beside `path`, then rename it over `path`.

    On any failure the temporary file is removed and `path` is left as it was.
    """
    # the suffix stays last: writers that pick a format by extension (savefig) still see it
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an output is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write text (UTF-8) to path atomically."""
    write_atomic_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path atomically."""
    write_atomic_with(path, lambda tmp: tmp.write_bytes(data))
