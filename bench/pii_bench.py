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
# Round 3 (bench/pii_devset/build_round3.py): notes as they are really written; the held-back part is
# scored and reported, never printed miss by miss.
ROUND3_DEV = ROOT / "bench" / "pii_devset" / "round3_dev.jsonl"
ROUND3_HOLDOUT = ROOT / "bench" / "pii_devset" / "round3_holdout.jsonl"
# Kinds with a fixed written form (numbers, addresses of mail): the "structured" recall.
UNSTRUCTURED = frozenset({"name", "address", "quasi_identifier"})
COVERED = 0.8  # a labelled passage counts as found when findings of its kind cover 80 % of it


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


def score(rows: list[dict], scan) -> dict:
    """The issue's figures: recall over labelled passages (all, and the structured kinds), where a
    passage is found when findings of its kind cover at least 80 % of its non-blank characters (half a
    name is not found), and the clean texts with any finding, per 50 clean texts."""
    found = {"all": [0, 0], "structured": [0, 0]}
    clean = flagged = 0
    misses, alarms = [], []
    for row in rows:
        text, findings = row["text"], scan(row["text"])
        if not row["spans"]:
            clean += 1
            flagged += bool(findings)
            alarms += [(row["id"], f.kind, f.text, text) for f in findings]
        for span in row["spans"]:
            wanted = [i for i in range(span["start"], span["end"]) if not text[i].isspace()]
            covered = sum(
                any(f.kind == span["kind"] and f.start <= i < f.end for f in findings) for i in wanted
            )
            hit = covered >= COVERED * len(wanted)
            for group in ("all", "structured") if span["kind"] not in UNSTRUCTURED else ("all",):
                found[group][0] += hit
                found[group][1] += 1
            if not hit:
                got = [(f.kind, f.text) for f in findings if f.start < span["end"] and span["start"] < f.end]
                misses.append((row["id"], span["kind"], text[span["start"] : span["end"]], got, text))
    return {
        "recall": _ratio(*found["all"]),
        "recall_structured": _ratio(*found["structured"]),
        "labelled": found["all"][1],
        "clean": clean,
        "clean_flagged": flagged,
        "clean_flagged_per_50": round(50 * flagged / clean, 2) if clean else 0.0,
        "misses": misses,
        "alarms": alarms,
    }


def timing_100kb(scan, rows: list[dict], runs: int = 7) -> tuple[float, float]:
    """Median ms to scan 100 kB (UTF-8) of the development texts, warm (one scan first): wall clock,
    and the process's CPU time (which a machine busy with other work inflates far less)."""
    sample = "\n".join(r["text"] for r in rows)
    text = (sample * (102_400 // len(sample.encode()) + 1)).encode()[:102_400].decode("utf-8", "ignore")
    scan(text)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        scan(text)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return round(statistics.median(wall), 1), round(statistics.median(cpu), 1)


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
    for part, path in (("dev", ROUND3_DEV), ("holdout", ROUND3_HOLDOUT)):
        r3 = score(load(path), pii.scan)
        out[f"pii_r3_{part}_recall"] = {"value": r3["recall"], "unit": f"{r3['labelled']} labelled passages"}
        out[f"pii_r3_{part}_recall_structured"] = {"value": r3["recall_structured"], "unit": "structured"}
        out[f"pii_r3_{part}_clean_flagged_per_50"] = {
            "value": r3["clean_flagged_per_50"],
            "unit": f"clean texts flagged per 50 ({r3['clean_flagged']} of {r3['clean']})",
        }
    wall, cpu = timing_100kb(pii.scan, load(ROUND3_DEV) + load())
    out["pii_scan_100kb_ms"] = {"value": wall, "unit": "ms (100 kB, median of 7, warm)"}
    out["pii_scan_100kb_cpu_ms"] = {"value": cpu, "unit": "ms of CPU (100 kB, median of 7, warm)"}
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
    if verbose:  # the development part only: the held-back part is never read miss by miss
        r3 = score(load(ROUND3_DEV), pii.scan)
        for row_id, kind, passage, got, text in r3["misses"]:
            print(f"R3 MISS  {row_id:24} {kind:18} {passage!r:30} {got} {text!r}")
        for row_id, kind, passage, text in r3["alarms"]:
            print(f"R3 ALARM {row_id:24} {kind:18} {passage!r:30} {text!r}")
        result = evaluate(load(), pii.scan)
        for row_id, kind, passage, text in result["misses"]:
            print(f"MISS  {row_id:24} {kind:18} {passage!r:30} {text}")
        for row_id, kind, passage, text in result["alarms"]:
            print(f"ALARM {row_id:24} {kind:18} {passage!r:30} {text}")


if __name__ == "__main__":
    _main("-v" in sys.argv)
