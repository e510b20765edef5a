"""GiNZA (ja-ginza 5.3.0, spaCy 3.8 on SudachiPy, NER trained on GSK2014-A) against the guard's rules
on the development set: its ``Person`` entities taken as the ``name`` kind. Not part of
``make bench`` (GiNZA is not a dependency); run in a separate environment:

    python -m venv /tmp/ginza && /tmp/ginza/bin/pip install ja-ginza==5.3.0
    /tmp/ginza/bin/python bench/pii_ginza_trial.py

Measured on 2026-11-30, 401 texts (257 with spans, 144 clean), 2 shared cores:
    GiNZA Person as name: recall 0.697, precision 0.426, 26 of 144 clean texts flagged
    10 kB of case text: 3,244-5,235 ms (budget 300 ms); model load 3.0-3.8 s
    the guard's rules (SudachiPy tags + rules), same set: name recall 1.0, precision 1.0, 0 clean
    flagged, 10 kB in 11-25 ms
So the guard keeps its rules: GiNZA misses names written in kana or after an honorific, tags roles
(保健師さん) and place names as people, and is ten times over the time budget.
"""

import collections
import json
import statistics
import time
from pathlib import Path

DEVSET = Path(__file__).resolve().parent / "pii_devset" / "devset.jsonl"


def main() -> None:
    began = time.perf_counter()
    import spacy

    nlp = spacy.load("ja_ginza")
    load_s = time.perf_counter() - began
    rows = [json.loads(line) for line in DEVSET.open(encoding="utf-8")]
    labels: collections.Counter = collections.Counter()
    tp = fp = fn = clean = clean_flagged = 0
    for row in rows:
        ents = [(e.start_char, e.end_char, e.label_) for e in nlp(row["text"]).ents]
        labels.update(label for _s, _e, label in ents)
        found = [(s, e) for s, e, label in ents if label == "Person"]
        gold = [(g["start"], g["end"]) for g in row["spans"] if g["kind"] == "name"]
        if not row["spans"]:
            clean += 1
            clean_flagged += bool(found)
        matched = set()
        for start, end in found:
            hit = [g for g in gold if start < g[1] and g[0] < end]
            tp, fp = (tp + 1, fp) if hit else (tp, fp + 1)
            matched.update(hit)
        fn += sum(1 for g in gold if g not in matched)
    print(f"load {load_s:.2f} s")
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    print(f"Person as name: recall {recall:.3f}, precision {precision:.3f}")
    print(f"clean texts with a Person: {clean_flagged}/{clean}")
    print(labels.most_common(25))
    sample = "\n".join(r["text"] for r in rows)
    ten_kb = (sample * 3).encode()[:10_240].decode("utf-8", "ignore")
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        nlp(ten_kb)
        samples.append((time.perf_counter() - start) * 1000)
    print(f"10 kB: {statistics.median(samples):.1f} ms (median of 5)")


if __name__ == "__main__":
    main()
