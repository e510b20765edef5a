"""The personal-data guard measured on its development set (bench/pii_devset/devset.jsonl):
per-kind recall and precision, the share of clean narratives flagged, and speed.

A finding counts as found when it overlaps a labelled span of the same kind; a finding that
overlaps no span of its kind is a false alarm. Run by ``make bench`` (group ``pii``), or alone for
a table of the misses while working on the rules:

    python bench/pii_bench.py [-v]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "bench" / "pii_devset" / "devset.jsonl"


ADVERSARIAL = [
    "a",
    "1",
    "1-",
    "a.",
    "@a",
    "A1",
    "〇",
    "０",
    "山",
    "ア",
    "あ",
    "山田さん",
    "株式会社",
    "1丁目",
    "http://a",
]


def load(path: Path = DEVSET) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(rows: list[dict], scan) -> dict:
    """Counts per kind, the clean texts flagged, and every miss and false alarm."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    misses, alarms = [], []
    clean = clean_flagged = 0
    for row in rows:
        text, gold = row["text"], [(s["kind"], s["start"], s["end"]) for s in row["spans"]]
        found = scan(text)
        if not gold:
            clean += 1
            clean_flagged += bool(found)
        matched = set()
        for f in found:
            hit = [g for g in gold if g[0] == f.kind and f.start < g[2] and g[1] < f.end]
            if hit:
                tp[f.kind] = tp.get(f.kind, 0) + 1
                matched.update(hit)
            else:
                fp[f.kind] = fp.get(f.kind, 0) + 1
                alarms.append((row["id"], f.kind, f.text, text))
        for g in gold:
            if g not in matched:
                fn[g[0]] = fn.get(g[0], 0) + 1
                misses.append((row["id"], g[0], text[g[1] : g[2]], text))
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "clean": clean,
        "clean_flagged": clean_flagged,
        "misses": misses,
        "alarms": alarms,
    }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 1.0


def pii_benchmarks() -> dict:
    """`make bench` figures (BENCH_ONLY=pii for these alone)."""
    began = time.perf_counter()
    from portal.core import pii

    pii.scan("山田太郎さん")  # loads the dictionary once for the process
    load_ms = round((time.perf_counter() - began) * 1000, 1)
    rows = load()
    result = evaluate(rows, pii.scan)
    tp, fp, fn = result["tp"], result["fp"], result["fn"]
    out: dict[str, dict] = {}
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    labelled = sum(1 for r in rows if r["spans"])
    out["pii_recall"] = {
        "value": _ratio(all_tp, all_tp + all_fn),
        "unit": f"micro, {labelled} texts with spans",
    }
    out["pii_precision"] = {"value": _ratio(all_tp, all_tp + all_fp), "unit": f"micro, {len(rows)} texts"}
    out["pii_clean_flagged_pct"] = {
        "value": round(100 * result["clean_flagged"] / result["clean"], 2) if result["clean"] else 0.0,
        "unit": f"% of {result['clean']} clean narratives with any finding",
    }
    for k in pii.KINDS:
        t, p, n = tp.get(k, 0), fp.get(k, 0), fn.get(k, 0)
        out[f"pii_recall_{k}"] = {"value": _ratio(t, t + n), "unit": f"{t + n} labelled"}
        out[f"pii_precision_{k}"] = {"value": _ratio(t, t + p), "unit": f"{t + p} found"}
    sample = "\n".join(r["text"] for r in rows)
    ten_kb = (sample * (10_240 // len(sample.encode()) + 1)).encode()[:10_240].decode("utf-8", "ignore")
    samples = []
    for _ in range(11):
        start = time.perf_counter()
        pii.scan(ten_kb)
        samples.append((time.perf_counter() - start) * 1000)
    out["pii_scan_10kb_ms"] = {
        "value": round(statistics.median(samples[1:]), 1),
        "unit": "ms (10 kB, median of 10)",
    }
    worst = 0.0
    for unit in ADVERSARIAL:  # long runs that make careless patterns backtrack on every save
        hostile = (unit * (10_240 // len(unit.encode()) + 1)).encode()[:10_240].decode("utf-8", "ignore")
        start = time.perf_counter()
        pii.scan(hostile)
        worst = max(worst, (time.perf_counter() - start) * 1000)
    out["pii_scan_10kb_worst_ms"] = {
        "value": round(worst, 1),
        "unit": f"ms, slowest of {len(ADVERSARIAL)} hostile 10 kB inputs (runs of digits, letters, dashes…)",
    }
    out["pii_first_scan_ms"] = {"value": load_ms, "unit": "ms (import and dictionary load, once per process)"}
    return out


def _main(verbose: bool) -> None:
    import os

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from portal.core import pii

    for name, item in pii_benchmarks().items():
        print(f"{name:34} {item['value']:>8} {item['unit']}")
    if verbose:
        result = evaluate(load(), pii.scan)
        for row_id, kind, passage, text in result["misses"]:
            print(f"MISS  {row_id:24} {kind:18} {passage!r:30} {text}")
        for row_id, kind, passage, text in result["alarms"]:
            print(f"ALARM {row_id:24} {kind:18} {passage!r:30} {text}")


if __name__ == "__main__":
    _main("-v" in sys.argv)
