"""The text lines a PDF's pages show, for tests of documents set in the PDF core fonts.

No PDF reader is a dependency; fpdf2's pages are Flate streams whose text is shown with
``(string) Tj`` in the core fonts' single-byte (Latin-1) encoding, which is all this reads.
"""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_ESCAPE = re.compile(rb"\\(.)", re.S)


def text_lines(pdf: bytes) -> list[str]:
    """Every string the pages show, in order (one per line a cell or a wrapped paragraph writes)."""
    lines: list[str] = []
    for stream in _STREAM.finditer(pdf):
        try:
            page = zlib.decompress(stream.group(1))
        except zlib.error:  # a stream that is not Flate-compressed content (none here today)
            continue
        lines += [_ESCAPE.sub(rb"\1", shown).decode("latin-1") for shown in _SHOWN.findall(page)]
    return lines
