"""Querysets compiled once per process and run again with new values.

Building a statement through the ORM (cloning the queryset, resolving each lookup, compiling the
SQL) costs about half a millisecond, often more than running it. Some statements run on every
request with the same shape and only their values change: the signed-in person, their memberships.
`Prepared` builds such a queryset once, with marker values where the request's values go, keeps
the compiled SQL, and afterwards executes it with the request's values, turning the rows into model
instances the way Django's own iterator does (`select_related`, `only()` and annotations included).

Only plain model querysets: no `values()`, `prefetch_related()` or related-manager querysets (their
rows are read differently); building such a one raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models.query import ModelIterable, QuerySet, get_related_populators  # type: ignore[attr-defined]

# Values no real parameter takes: the place of each in the compiled parameters is where the
# corresponding argument goes.
_MARKERS = tuple(-(2**62) + n for n in range(8))


@dataclass
class _Compiled:
    sql: str
    params: list
    slots: list[tuple[int, int]]  # (index in params, index of the argument)
    compiler: Any
    init_list: list[str]
    start: int
    end: int
    populators: list
    annotations: dict
    converters: dict
    trim: int | None


class Prepared:
    """`Prepared(lambda user_id: Model.objects.filter(user=user_id))`, then `prepared(42)` returns the
    list of instances the queryset built with 42 would return."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        arity = self.build.__code__.co_argcount
        queryset: Any = self.build(*_MARKERS[:arity])
        query = queryset.query
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
        ):
            raise ValueError("Prepared takes plain model querysets only")
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = [(i, _MARKERS.index(p)) for i, p in enumerate(params) if p in _MARKERS]
        if sorted({arg for _, arg in slots}) != list(range(arity)):
            raise ValueError("every argument must appear among the statement's parameters")
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            init_list=[f[0].target.attname for f in select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(klass_info, select, using),
            annotations=dict(compiler.annotation_col_map or {}),
            converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
            trim=compiler.col_count if compiler.has_extra_select else None,
        )

    def __call__(self, *values, using: str = "default") -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled.params)
        for index, arg in compiled.slots:
            params[index] = values[arg]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.trim is not None:
            rows = [row[: compiled.trim] for row in rows]
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        model = compiled.compiler.klass_info["model"]
        out = []
        for row in rows:
            obj = model.from_db(using, compiled.init_list, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out
