"""What every detector returns: a rule, a span of the ORIGINAL text, the detector's name and a score."""

from __future__ import annotations

from msgspec import Struct

from briefing.moderation.normalize import View


class Finding(Struct, frozen=True):
    """One piece of evidence.  ``start``/``end`` index the original comment text."""

    rule: int
    start: int
    end: int
    text: str
    detector: str
    score: float


def finding_from_view(
    view: View, original: str, start: int, end: int, rule: int, detector: str, score: float
) -> Finding:
    """A finding for a match in a normalised view, with its span mapped back to the original text."""
    a, b = view.original_span(start, end)
    return Finding(rule, a, b, original[a:b], detector, score)
