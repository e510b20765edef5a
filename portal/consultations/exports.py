"""相談実績 as a chart (server-rendered SVG: no script) and as an xlsx workbook. Counts only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Method

BAR_AREA = 300  # px of the longest bar
ROW = 28


def chart(stats: dict) -> dict:
    """Bars of the monthly totals, each split by method; coordinates computed here."""
    peak = max(stats["peak"], 1)
    rows = []
    for index, month in enumerate(stats["monthly"]):
        x = 0
        parts = []
        for code_index, count in enumerate(month["counts"]):
            width = round(count / peak * BAR_AREA, 1)
            if width:
                parts.append({"x": 80 + x, "width": width, "tone": code_index, "count": count})
            x += width
        rows.append(
            {
                "y": index * ROW + 8,
                "label": f"{month['month']}月",
                "parts": parts,
                "total": month["total"],
                "end": 80 + x + 6,
            }
        )
    return {"rows": rows, "height": len(rows) * ROW + 16, "width": 80 + BAR_AREA + 60}


def sheets(stats: dict):
    methods = [str(label) for _code, label in Method.choices]
    monthly_rows = ([f"{m['year']}-{m['month']:02d}", *m["counts"], m["total"]] for m in stats["monthly"])
    yield (_("By month"), [_("Month"), *methods, _("Total")], monthly_rows)
    titles = {
        "method": _("By method"),
        "relation": _("By who consulted"),
        "age_band": _("By age"),
        "withdrawal": _("By time in withdrawal"),
        "area": _("By area"),
        "topic": _("By topic"),
        "referral": _("By referral"),
    }
    for name, title in titles.items():
        yield (title, [_("Item"), _("Count")], ([label, count] for label, count in stats["tables"][name]))
