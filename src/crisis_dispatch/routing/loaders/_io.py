"""Opening (optionally gzipped) input files with a readable error."""

from __future__ import annotations

import gzip
import io
from pathlib import Path


def open_binary(path: Path) -> io.BufferedIOBase:
    """Open ``path`` for reading bytes, transparently un-gzipping ``*.gz`` files."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")
