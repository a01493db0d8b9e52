"""议事协商 (meetings): the page, its dialogs and the wall window."""

from .page import MeetingsPage

__all__ = ["MeetingsPage"]
