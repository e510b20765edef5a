"""Running attempts at the same moment, each in its own thread with its own database connection:
the one race helper of the tests (PostgreSQL; SQLite serialises writers itself)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def together(attempts: list[Callable[[], object]]) -> None:
    """Start every attempt at once (a barrier), wait for all; each closes its connections."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt):
        barrier.wait()
        try:
            attempt()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
