"""Exceptions several apps' services raise and their views catch."""


class StaleEdit(Exception):
    """Someone else changed the row since the form was loaded. ``current`` is the saved row, so
    the view can show both versions and nothing typed is lost."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current
