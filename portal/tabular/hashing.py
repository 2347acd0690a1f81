"""The SHA-256 of an uploaded or stored file, which tells a second upload of it apart."""

import hashlib
import os
from typing import IO

CHUNK_BYTES = 1 << 20


def file_sha256(source: IO[bytes] | str | os.PathLike) -> str:
    """The hex digest of a path's or a stream's bytes; a stream is read from its start and
    rewound, so it can be read again (an upload is hashed, then stored)."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return file_sha256(handle)
    digest = hashlib.sha256()
    source.seek(0)
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()
