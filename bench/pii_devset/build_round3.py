"""Builds the round-3 development set of the personal-data guard from the hand-written texts in
``bench/pii_devset/round3/*.txt``: notes written the way 相談員 and 区市町村 staff write them
(ケース記録 and 経過記録 with 体言止め, pasted e-mails with signatures, tab-separated tables, OCR and fax
transcriptions, bullet lists with breaks inside items) and clean notes full of public numbers,
places and words that look like names.

A block starts with a line ``#= style``; personal data is marked ``[[kind:text]]`` (the builder keeps
character spans, so labels cannot drift from the text); ``⇥`` stands for a tab. Every third block of
each file (2, 5, 8 … counting from 0) goes to ``round3_holdout.jsonl``: that part is never looked at
while rules are tuned, and its figures are reported beside the development part's.

    python bench/pii_devset/build_round3.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
# As the round-1 builder's marks, but a passage may hold ']' (mika [at] example.jp) and line breaks.
MARK = re.compile(r"\[\[(?P<kind>[a-z_]+):(?P<text>.+?)\]\](?!\])", re.DOTALL)


def unmark(marked: str) -> tuple[str, list[dict]]:
    out, spans, pos, length = [], [], 0, 0
    for m in MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        spans.append({"start": length, "end": length + len(m["text"]), "kind": m["kind"]})
        out.append(m["text"])
        length += len(m["text"])
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


SOURCES = HERE / "round3"
DEV = HERE / "round3_dev.jsonl"
HOLDOUT = HERE / "round3_holdout.jsonl"


def blocks(path: Path):
    style, lines = None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#= "):
            if style is not None:
                yield style, "\n".join(lines)
            style, lines = line[3:].strip(), []
        elif line.startswith("#") and style is None:
            continue  # the file's heading
        else:
            lines.append(line)
    if style is not None:
        yield style, "\n".join(lines)


def build() -> tuple[list[dict], list[dict]]:
    dev, holdout = [], []
    for path in sorted(SOURCES.glob("*.txt")):
        for i, (style, marked) in enumerate(blocks(path)):
            text, spans = unmark(marked.replace("⇥", "\t").strip("\n"))
            if "[[" in text or "]]" in text:
                raise ValueError(f"{path.name} block {i}: a mark was not closed: {marked!r}")
            row = {"id": f"r3-{path.stem}-{i:03d}", "voice": style, "text": text, "spans": spans}
            (holdout if i % 3 == 2 else dev).append(row)
    return dev, holdout


if __name__ == "__main__":
    dev, holdout = build()
    for path, rows in ((DEV, dev), (HOLDOUT, holdout)):
        with path.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(dev)} development texts, {len(holdout)} held back")
