"""Querysets compiled once per process and run again with new values.

Building a statement through the ORM (cloning the queryset, resolving each lookup, compiling the
SQL) costs a quarter to half a millisecond, often more than running it. Some statements run on
every request with the same shape and only their values change: the signed-in person, their
memberships, the secretariat's dashboard. `Prepared` builds such a queryset once, with marker
values where the request's values go, keeps the compiled SQL, and afterwards executes it with the
request's values, turning the rows into model instances the way Django's own iterator does
(`select_related`, `only()` and annotations included). `PreparedCounts` does the same for several
counts, answered by one statement.

An argument is a number (a key) unless ``kinds`` says it is a `datetime.datetime` or a
`datetime.date`; its value is passed to the database as Django passes such a value for a column of
that type. A statement is compiled twice, with two sets of markers, and refused unless it differs
exactly in the arguments' places: an argument the statement does not use, a value worked out from an
argument (``now + one day``: pass it as an argument of its own) or a time compared with a date column
raises when the statement is first run, as do `values()`, `prefetch_related()` and related-manager
querysets (their rows are read differently).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models.query import ModelIterable, QuerySet, get_related_populators  # type: ignore[attr-defined]

# Values no real parameter takes, in two sets: a statement is compiled with each, and its place for an
# argument is where the two differ by exactly that argument's markers. Numbers stay within the range of
# every integer column Django knows (an out-of-range value makes Django drop the condition); the
# second set's dates are not the dates of its times, so a time compared with a date column is caught.
_MARKERS: dict[type, tuple[list, list]] = {
    int: ([2_000_000_000 + n for n in range(8)], [2_100_000_000 + n for n in range(8)]),
    dt.datetime: (
        [dt.datetime(1901, 2, 3, 4, 5, n, tzinfo=dt.UTC) for n in range(8)],
        [dt.datetime(1902, 3, 4, 5, 6, n, tzinfo=dt.UTC) for n in range(8)],
    ),
    dt.date: ([dt.date(1901, 2, 3 + n) for n in range(8)], [dt.date(1903, 5, 6 + n) for n in range(8)]),
}


def _markers(kinds: Sequence[type], variant: int = 0) -> list:
    taken: dict[type, int] = {}
    out = []
    for kind in kinds:
        n = taken.get(kind, 0)
        taken[kind] = n + 1
        out.append(_MARKERS[kind][variant][n])
    return out


def _slots(params: list, kinds: Sequence[type], using: str, variant: int = 0) -> list:
    """Where each argument goes among ``params``: (place, argument, how its value is adapted)."""
    ops = connections[using].ops
    adapters: dict[type, Callable | None] = {
        int: None,
        dt.datetime: ops.adapt_datetimefield_value,
        dt.date: ops.adapt_datefield_value,
    }
    markers = _markers(kinds, variant)
    slots: list[tuple[int, int, Callable | None]] = []
    for place, param in enumerate(params):
        for arg, (kind, marker) in enumerate(zip(kinds, markers, strict=True)):
            adapt = adapters[kind]
            if kind is int:
                # psycopg's typed integers (Int4 for a 32-bit column) are kept: the value is wrapped alike
                if isinstance(param, int) and not isinstance(param, bool) and param == marker:
                    slots.append((place, arg, None if type(param) is int else type(param)))
            elif type(param) is type(marker) and param == marker:
                slots.append((place, arg, None))
            elif adapt is not None and type(param) is not type(marker) and param == adapt(marker):
                slots.append((place, arg, adapt))
    if sorted({arg for _, arg, _a in slots}) != list(range(len(kinds))):
        raise ValueError("every argument must appear among the statement's parameters")
    return slots


def _checked_slots(first: tuple[str, list], second: tuple[str, list], kinds, using: str) -> list:
    """The argument places of a statement compiled with both marker sets; refused unless the two
    compilations are the same text and their parameters differ exactly there, each by its own
    argument's markers (a value worked out from an argument, such as ``now + one day``, would
    otherwise be kept as a constant; a time compared with a date column taken for a date)."""
    (sql, params), (other_sql, other_params) = first, second
    if sql != other_sql or len(params) != len(other_params):
        raise ValueError("the statement's shape depends on its arguments")
    slots = _slots(params, kinds, using)
    expected = _bind(params, slots, _markers(kinds, 1))
    if expected != other_params:
        raise ValueError("a parameter depends on an argument without being it")
    return slots


def _kinds_of(build: Callable, kinds: Sequence[type] | None) -> tuple[type, ...]:
    return tuple(kinds) if kinds is not None else (int,) * build.__code__.co_argcount


def _bind(params: list, slots, values) -> list:
    bound = list(params)
    for place, arg, adapt in slots:
        bound[place] = adapt(values[arg]) if adapt is not None else values[arg]
    return bound


@dataclass
class _Compiled:
    sql: str
    params: list
    slots: list
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

    def __init__(self, build: Callable[..., QuerySet], kinds: Sequence[type] | None = None):
        self.build = build
        self.kinds = _kinds_of(build, kinds)
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        compiled = []
        for variant in (0, 1):
            queryset: Any = self.build(*_markers(self.kinds, variant))
            if (
                queryset._iterable_class is not ModelIterable
                or queryset._prefetch_related_lookups
                or queryset._known_related_objects
            ):
                raise ValueError("Prepared takes plain model querysets only")
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            compiled.append((compiler, sql, list(params)))
        compiler, sql, params = compiled[0]
        slots = _checked_slots((sql, params), compiled[1][1:], self.kinds, using)
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
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, _bind(compiled.params, compiled.slots, values))
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


class PreparedCounts:
    """`PreparedCounts({"open": lambda now: Model.objects.filter(due__gt=now), ...}, kinds=[datetime])`,
    then `counts(timezone.now())` returns ``{"open": n, ...}``: what each queryset's ``count()``
    would return, every count in one statement."""

    def __init__(self, builders: dict[str, Callable[..., QuerySet]], kinds: Sequence[type] | None = None):
        self.builders = builders
        self.kinds = _kinds_of(next(iter(builders.values())), kinds)
        self._compiled: dict[str, tuple[str, list, list]] = {}

    def _statement(self, using: str, variant: int) -> tuple[str, list]:
        markers = _markers(self.kinds, variant)
        quote = connections[using].ops.quote_name
        parts, params = [], []
        for n, build in enumerate(self.builders.values()):
            queryset: Any = build(*markers)
            if queryset._iterable_class is not ModelIterable:
                raise ValueError("PreparedCounts takes plain model querysets only")
            sql, more = queryset.order_by().values("pk").query.get_compiler(using=using).as_sql()
            # compiled SQL and a quoted alias only: the values stay parameters
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) {quote(f'counted{n}')})")  # noqa: S608
            params += list(more)
        return "SELECT " + ", ".join(parts), params

    def _compile(self, using: str) -> tuple[str, list, list]:
        sql, params = first = self._statement(using, 0)
        return sql, params, _checked_slots(first, self._statement(using, 1), self.kinds, using)

    def __call__(self, *values, using: str = "default") -> dict[str, int]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, slots = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(sql, _bind(params, slots, values))
            row = cursor.fetchone()
        return {name: int(n) for name, n in zip(self.builders, row, strict=True)}
