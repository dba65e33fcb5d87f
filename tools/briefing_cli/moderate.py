"""`briefing moderate [FILE]`: the moderation engine on JSON lines, without AWS.

In:  {"id", "text", "author"?, "display_name"?, "article"?} per line.
Out: {"id", "action", "rules", "evidence", "message"} per input line, in order; a bad line gives
     {"id": <id or null>, "action": "error", "rules": [], "evidence": [], "message": "..."}.
Repeats (R11) are checked against the earlier lines of the same run (in-memory history).

Large inputs (>= PARALLEL_MIN_LINES lines) are moderated by a pool of forked worker processes, one per
usable core unless ``workers`` (``--workers``) says otherwise, over chunks of lines; the output keeps the
input order and is the same as with one process:
the workers do everything that depends on one line only, and this process applies R11 (which depends
on the earlier lines) in input order.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, TextIO

PARALLEL_MIN_LINES = 3000
CHUNK_LINES = 500
# a fixed clock that advances one second a line: runs are reproducible and stay in one window
CLOCK = datetime(2026, 1, 1, tzinfo=UTC)


def _error(number: int, raw_id: Any, exc: Exception) -> str:
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        raw_id = None
    result = {
        "id": raw_id,
        "action": "error",
        "rules": [],
        "evidence": [],
        "message": f"line {number}: {exc}",
    }
    return json.dumps(result, ensure_ascii=False) + "\n"


def _parse(number: int, line: str, from_dict: Any) -> tuple[Any, str | None]:
    """(CommentInput, None) or (None, the error line); ``from_dict`` is ``CommentInput.from_dict``."""
    raw_id = None
    try:
        raw = _loads(line)
        if isinstance(raw, dict):
            raw_id = raw.get("id")
        return from_dict(raw), None
    except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
        return None, _error(number, raw_id, exc)


def _output(decision: Any) -> str:
    """One output line; a publish decision (most lines) is written without building its dict."""
    if decision.action == "publish" and not decision.rules and not decision.evidence and not decision.message:
        return f'{{"id": {_dumps(decision.comment_id, ensure_ascii=False)}{_PUBLISHED}'
    return _dumps(decision.to_dict(), ensure_ascii=False) + "\n"


_loads, _dumps = json.loads, json.dumps
_PUBLISHED = ', "action": "publish", "rules": [], "evidence": [], "message": ""}\n'


# A worker's answer per line: ("ok", output) or ("error", output) when done, or ("r11", number, comment,
# findings, probability, canonical text) when the comment has an author and R11 must be applied in order.
Result = tuple[Any, ...]


def _work(chunk: list[tuple[int, str]]) -> list[Result]:
    from briefing.moderation.engine import DEFAULT_SETTINGS, CommentInput, decide, get_engine
    from briefing.moderation.normalize import normalize
    from briefing.moderation.repeats import canonical_from_squeezed

    engine = get_engine()
    from_dict = CommentInput.from_dict
    out: list[Result] = []
    for number, line in chunk:
        comment, error = _parse(number, line, from_dict)
        if error is not None:
            out.append(("error", error))
            continue
        try:
            norm = normalize(comment.text)
            found, probability = engine.findings(comment, norm, DEFAULT_SETTINGS)
            if comment.author:
                canon = canonical_from_squeezed(norm.squeezed.text)
                out.append(("r11", number, comment, found, probability, canon))
                continue
            out.append(("ok", _output(decide(comment.id, found, DEFAULT_SETTINGS, probability))))
        except (ValueError, TypeError) as exc:
            out.append(("error", _error(number, comment.id, exc)))
    return out


def _numbered(lines_in: Iterable[str]) -> Iterator[tuple[int, str]]:
    return ((n, line) for n, line in enumerate(lines_in, start=1) if line.strip())


def _chunks(numbered: Iterator[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    while chunk := list(islice(numbered, CHUNK_LINES)):
        yield chunk


def _workers() -> int:
    """One worker per core this process may use.  Not fewer on a busy machine: on 2 cores with 0, 1, 2
    and 4 other busy processes, 2 workers took 2.2 / 3.3 / 4.5 / 6.7 s against one process's 3.8 / 3.9 /
    5.8 / 9.8 s (docs/performance.md); a load-average gate also kept one process for a minute after
    any earlier job, with the cores idle."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return (os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()) or 1


def run_moderate(lines_in: Iterable[str], out: TextIO, workers: int | None = None) -> int:
    """Moderate every line; returns the number of lines that were errors (0 when all were fine).
    ``workers``: processes for large inputs (default: one per core; 1 = this process only)."""
    from briefing.moderation import InMemoryRepeatHistory
    from briefing.moderation.engine import DEFAULT_SETTINGS, decide, get_engine

    engine = get_engine()  # loaded before any fork: workers inherit it
    history = InMemoryRepeatHistory()
    numbered = _numbered(lines_in)
    head = list(islice(numbered, PARALLEL_MIN_LINES))
    workers = _workers() if workers is None else workers
    errors = 0
    write = out.write

    def emit(results: list[Result]) -> None:
        nonlocal errors
        for result in results:
            if result[0] != "r11":
                errors += result[0] == "error"
                write(result[1])
                continue
            _, number, comment, found, probability, canon = result
            now = CLOCK + timedelta(seconds=number)
            found = found + engine.repeats_canonical(comment, canon, history, DEFAULT_SETTINGS, now, True)
            write(_output(decide(comment.id, found, DEFAULT_SETTINGS, probability)))

    everything = _chunks(_chain(head, numbered))
    if workers <= 1 or len(head) < PARALLEL_MIN_LINES:
        for chunk in everything:
            emit(_work(chunk))
        return errors
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for results in pool.imap(_work, everything):
            emit(results)
    return errors


def _chain(head: list[tuple[int, str]], rest: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield from head
    yield from rest
