"""The chief street designer's printouts (首席街长意见书, 工作记录), registered with the print registry; their data
is read by services.designer (opinion_document, journal_document)."""

from __future__ import annotations

from ..printing.registry import Request, register


def _opinion(req: Request) -> int:
    from ..printing import designer as dp
    from .designer import opinion_document

    return dp.render_opinion(req.out, opinion_document(req.db, req.record_id), **req.common)


def _journal(req: Request) -> int:
    """A block's journal from --since (its start) to --as-of (the period's end)."""
    from ..printing import designer as dp
    from .designer import journal_document

    return dp.render_journal(req.out, journal_document(req.db, req.record_id, req.since, req.as_of), **req.common)


register("designer-opinion", "opinion", "JZYJ", "designer_opinion", _opinion)
register("designer-journal", "block", "JZJL", "block", _journal, period="since")
