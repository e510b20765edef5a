"""Exceptions several apps' services raise and their views catch."""

from django.core.exceptions import ValidationError


class StaleEdit(Exception):
    """Someone else changed the row since the form was loaded. ``current`` is the saved row, so
    the view can show both versions and nothing typed is lost."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


class InvalidTransition(ValidationError):
    """A state change the object's state machine does not allow (a case, a referral, a post):
    the message names the state it is in and the one asked for."""
