"""监督反馈 (supervision): the page, its tabs and its dialogs."""

from .page import SupervisionPage

__all__ = ["SupervisionPage"]
