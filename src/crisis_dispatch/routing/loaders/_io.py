"""Opening (optionally gzipped) input files with a readable error."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import IO


def open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, transparently un-gzipping ``*.gz`` files."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")
