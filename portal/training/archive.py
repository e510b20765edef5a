"""A zip of stored files streamed as it is written: nothing is held in memory or on disk beyond
one chunk, however many certificates a batch has. PDFs are compressed already, so entries are
stored as they are."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

CHUNK = 64 * 1024


class _Sink:
    """A write-only file for ZipFile; ZipFile sees it cannot seek and writes data descriptors."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def zip_stream(entries: Iterable[tuple[str, object]]) -> Iterator[bytes]:
    """``entries``: (name in the zip, a stored FieldFile)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, field_file in entries:
            with field_file.open("rb") as source, archive.open(name, "w", force_zip64=True) as target:
                for chunk in iter(lambda source=source: source.read(CHUNK), b""):
                    target.write(chunk)
                    yield sink.drain()
            yield sink.drain()
    yield sink.drain()
