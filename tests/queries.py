"""Counting the queries a page costs: the one helper behind every list page's query-count test
(``assert_flat``: the same number at 1 row and at many)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page(client, url, data=None):
    """(the page's HTML, the queries it took); the page must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(ctx.captured_queries)


def count_queries(client, url, data=None) -> int:
    """The queries a 200 answer took (a streamed body is not read: its rows come later)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def assert_flat(client, url, add_rows, *, more=30):
    """The page costs the same queries at 1 row and at ``1 + more`` rows (``add_rows(n)`` adds n)."""
    add_rows(1)
    client.get(url)  # warm process-wide caches (content types, translations)
    one = count_queries(client, url)
    add_rows(more)
    many = count_queries(client, url)
    assert one == many, f"{url}: {one} queries at 1 row, {many} at {more + 1} rows"
