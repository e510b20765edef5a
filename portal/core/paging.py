"""Pages of a very long list without counting it: ``COUNT(*)`` over a million audit rows costs more
than the page itself. The page reads one row more than it shows to know whether a next page exists;
``components/pagination.html`` then shows 前へ／次へ and the page number, no total."""

from __future__ import annotations

from django.core.paginator import InvalidPage


class _NoCount:
    count = None
    num_pages = None


class UncountedPage:
    paginator = _NoCount()

    def __init__(self, queryset, number, size: int):
        self.number, self.size = number, size
        start = (number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self._has_next = len(rows) > size
        self.object_list = rows[:size]

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        if not self._has_next:
            raise InvalidPage
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def uncounted_page(queryset, number, size: int = 50) -> UncountedPage:
    """Page ``number`` (1-based; anything unreadable or below 1 is page 1) of ``queryset``."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    return UncountedPage(queryset, number, size)


def deferred_page(queryset, number, size: int = 50, *, rows=None):
    """Page ``number`` of ``queryset`` read in two steps: the page's keys first (the count and the
    OFFSET walk an index, never the wide rows), then only those rows. A late page of a long list
    then costs what the first page costs, instead of reading and discarding every row before it.
    A page past the middle is read from the other end (the order reversed, the OFFSET counted from
    the last row): the last page of 70,000 rows walks 50 index entries, not 70,000.
    ``rows(keys)`` gives the queryset that reads the page's rows (with annotations that would be
    too dear over the whole list); by default the list's own queryset filtered to the keys."""
    from django.core.paginator import Paginator

    key_rows = queryset.values_list("pk", flat=True)
    page = Paginator(key_rows, size).get_page(number)
    count = page.paginator.count
    start, end = page.start_index() - 1, page.end_index()
    if count and start > count - end and _total_order(queryset):
        from_end = count - end
        keys = list(key_rows.reverse()[from_end : from_end + (end - start)])[::-1]
    else:
        keys = list(page.object_list)
    read = rows(keys) if rows is not None else queryset.filter(pk__in=keys)
    found = {row.pk: row for row in read} if keys else {}
    page.object_list = [found[k] for k in keys if k in found]
    return page


def _total_order(queryset) -> bool:
    """Whether the list's order ends with its primary key, so that reading it backwards gives the
    same rows in the opposite order (ties on the other columns broken the same way)."""
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    if not ordering or not isinstance(ordering[-1], str):
        return False
    pk = queryset.model._meta.pk
    return ordering[-1].lstrip("-") in {"pk", pk.name, pk.attname}


def count_per_row(rows, link: str):
    """An annotation: how many of ``rows`` point at each row of the list (``link`` is their
    foreign key to it), counted in a subquery for the rows of the page alone. Joining and grouping
    instead reads every related row of the whole table before the page is cut."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)
