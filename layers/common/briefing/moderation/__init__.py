"""Comment moderation against the portal's 13 posting rules (docs/moderation.md).

Pure Python, no AWS: ``moderate(CommentInput(...)) -> Decision``.

Names are imported from their modules on first use: the public API reads and lists comments
without ever moderating one, and should not compile the engine's patterns on its cold start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {
    **dict.fromkeys(
        [
            "CommentInput",
            "Decision",
            "ModerationEngine",
            "ModerationSettings",
            "decide",
            "get_engine",
            "moderate",
            "takedown_decision",
        ],
        "engine",
    ),
    "Finding": "findings",
    **dict.fromkeys(
        [
            "InMemoryRepeatHistory",
            "RepeatHistory",
            "RepeatRecord",
            "fingerprint",
            "lsh_keys",
            "signature",
            "similarity",
        ],
        "repeats",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
