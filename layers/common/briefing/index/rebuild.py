"""Rebuild the read side from the archive of originals (`briefing reindex`).

The archive is the record of everything accepted: each original is parsed again with today's
parser, stored if its version is missing (idempotent: existing versions are left alone), and its
article re-indexed from the head. Running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct, field

from briefing.index.service import IndexService
from briefing.releases.parse import ParsedRelease, parse_payload
from briefing.storage.archive import Archive
from briefing.storage.articles import ArticleStore


class RebuildReport(Struct):
    originals: int = 0
    restored_versions: int = 0
    indexed: dict[str, str] = field(default_factory=dict)  # article id → action
    unreadable: list[str] = field(default_factory=list)


def rebuild(
    archive: Archive,
    articles: ArticleStore,
    index: IndexService,
    progress: Callable[[str], None] = lambda _: None,
) -> RebuildReport:
    report = RebuildReport()
    article_ids: set[str] = set()
    for key in archive.iter_originals():
        report.originals += 1
        for parsed in parse_payload(archive.get_text(key)):
            if not isinstance(parsed, ParsedRelease):
                report.unreadable.append(key)
                continue
            release = parsed.release
            result = articles.store_version(
                release, archive_key=key, message_id="reindex", sender_id="archive"
            )
            if result.outcome.value == "stored":
                report.restored_versions += 1
            article_ids.add(release.article_id)
    for article_id in sorted(article_ids):
        report.indexed[article_id] = index.index_article(article_id).action
        progress(f"{article_id}: {report.indexed[article_id]}")
    return report
