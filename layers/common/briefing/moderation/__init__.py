"""Comment moderation against the portal's 13 posting rules (docs/moderation.md).

Pure Python, no AWS: ``moderate(CommentInput(...)) -> Decision``.
"""

from briefing.moderation.engine import (
    CommentInput,
    Decision,
    ModerationEngine,
    ModerationSettings,
    decide,
    get_engine,
    moderate,
    takedown_decision,
)
from briefing.moderation.findings import Finding
from briefing.moderation.repeats import (
    InMemoryRepeatHistory,
    RepeatHistory,
    RepeatRecord,
    fingerprint,
    lsh_keys,
    signature,
    similarity,
)

__all__ = [
    "CommentInput",
    "Decision",
    "Finding",
    "InMemoryRepeatHistory",
    "ModerationEngine",
    "ModerationSettings",
    "RepeatHistory",
    "RepeatRecord",
    "decide",
    "fingerprint",
    "get_engine",
    "lsh_keys",
    "moderate",
    "signature",
    "similarity",
    "takedown_decision",
]
