"""The one place the read side asks what time it is (embargo is decided against it).

Call it as ``clock.now()`` through the module, so a simulation (the local runner's ``--now``)
can set the time without touching any code path.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
