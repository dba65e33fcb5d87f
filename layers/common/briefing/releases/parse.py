"""From an SQS message body to normalised releases, or to rejections an agency can read.

Accepted shapes: our JSON schema (`briefing.release/1`), one korea.kr NewsItem as JSON, or the
NewsItem XML envelope (`<response>`, `<Syndicate>` or a bare `<NewsItem>`) with one or many
items. XML goes through defusedxml only: no entity expansion, no external entities.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from msgspec import Struct
from pydantic import ValidationError

from briefing.releases.embargo import KST, EmbargoParseError, parse_embargo, parse_korea_time, publish_at
from briefing.releases.model import (
    Attachment,
    BodyFormat,
    Contact,
    EmbargoInfo,
    NewsItemDocument,
    Release,
    ReleaseDocument,
    ReleaseKind,
    ReleaseStatus,
)
from briefing.releases.normalise import clean_inline_text, detect_kind, render_body

MAX_XML_BYTES = 5_000_000
MAX_XML_DEPTH = 50  # a NewsItem is three levels deep; envelopes add two or three
OUT_OF_RANGE = "a date is out of range (converting it to Korea time overflows); send a real date"


class Rejection(Struct, frozen=True):
    """A permanent failure: acknowledged, recorded, and reported to the agency in words."""

    reason: str  # a stable code: invalid-json, invalid-release, unauthorised-sender, ...
    message: str  # what the agency reads
    agency: str | None = None
    release_id: str | None = None
    version: int | None = None

    @property
    def ref(self) -> str:
        if self.release_id is None:
            return self.agency or "?"
        suffix = f"@v{self.version}" if self.version is not None else ""
        return f"{self.agency or '?'}/{self.release_id}{suffix}"


class RejectedError(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.message)
        self.rejection = rejection


class ParsedRelease(Struct, frozen=True):
    release: Release
    original: str  # the item as received (for the archive)
    content_type: str  # application/json or application/xml


def parse_payload(body: str) -> list[ParsedRelease | Rejection]:
    """Every release in one message body, each parsed on its own (one bad item fails alone)."""
    stripped = body.lstrip("\ufeff \t\r\n")
    if not stripped:
        return [Rejection("empty-message", "the message body is empty; send one release as JSON or XML")]
    try:
        stripped.encode("utf-8")
    except UnicodeEncodeError as exc:
        # SQS never delivers these, but a direct invocation can; nothing downstream could store them.
        return [Rejection("invalid-encoding", f"the message body is not valid Unicode text ({exc.reason})")]
    if stripped.startswith("<"):
        return _parse_xml(stripped)
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError) as exc:  # ValueError: also integers of more than 4300 digits
        message = f"the message body is not valid JSON ({exc.__class__.__name__}: {str(exc)[:120]})"
        return [Rejection("invalid-json", message)]
    if not isinstance(data, dict):
        return [Rejection("invalid-json", "the message body must be one JSON object (a release)")]
    return [_from_json_object(data, stripped)]


def _from_json_object(data: dict[str, Any], original: str) -> ParsedRelease | Rejection:
    hints = _hints(data)
    try:
        if "NewsItemId" in data:
            release = newsitem_to_release(NewsItemDocument.model_validate(data), "newsitem-json")
        else:
            release = document_to_release(ReleaseDocument.model_validate(data))
    except ValidationError as exc:
        return Rejection("invalid-release", describe_validation_error(exc), **hints)
    except (EmbargoParseError, ValueError) as exc:
        return Rejection("invalid-release", str(exc), **hints)
    except OverflowError:
        return Rejection("invalid-release", OUT_OF_RANGE, **hints)
    return ParsedRelease(release, original, "application/json")


def _hints(data: dict[str, Any]) -> dict[str, Any]:
    """Best-effort identity of a release we reject, so the agency can find it in its status."""
    agency = data.get("agency", data.get("MinisterCode"))
    release_id = data.get("release_id", data.get("NewsItemId"))
    version = data.get("version", data.get("ModifyId"))
    return {
        "agency": _storable(agency.strip()[:60]) if isinstance(agency, str) else None,
        "release_id": _storable(str(release_id)[:64]) if isinstance(release_id, str | int) else None,
        "version": version if isinstance(version, int) and not isinstance(version, bool) else None,
    }


def _storable(text: str) -> str | None:
    """A hint is a table key: lone surrogates (from JSON escapes) cannot be stored, so drop it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def describe_validation_error(exc: ValidationError, limit: int = 5) -> str:
    """pydantic errors as short 'field: problem' phrases an agency can act on."""
    parts = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "release"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def _parse_xml(text: str) -> list[ParsedRelease | Rejection]:
    if len(text.encode()) > MAX_XML_BYTES:
        return [Rejection("too-large", f"the XML document exceeds {MAX_XML_BYTES} bytes")]
    try:
        root = SafeET.fromstring(text)
    except DefusedXmlException as exc:
        return [
            Rejection(
                "invalid-xml",
                f"forbidden XML construct ({exc.__class__.__name__}): DTD entities are not accepted",
            )
        ]
    except SafeET.ParseError as exc:
        return [Rejection("invalid-xml", f"the XML is not well-formed: {exc}")]
    if _depth_exceeds(root, MAX_XML_DEPTH):
        # Serialising the item for the archive recurses per level: refuse before it can overflow.
        return [Rejection("invalid-xml", f"the XML is nested more than {MAX_XML_DEPTH} levels deep")]
    result_code = root.findtext("./header/resultCode")
    if result_code not in (None, "", "0", "00"):
        return [Rejection("invalid-xml", f"the envelope reports resultCode {result_code}; nothing to ingest")]
    items = [root] if root.tag == "NewsItem" else root.findall(".//NewsItem")
    if not items:
        return [Rejection("invalid-xml", f"no <NewsItem> element under <{root.tag}>")]
    results: list[ParsedRelease | Rejection] = []
    for item in items:
        fields = _element_fields(item)
        original = tostring(item, encoding="unicode")
        try:
            release = newsitem_to_release(NewsItemDocument.model_validate(fields), "newsitem-xml")
            results.append(ParsedRelease(release, original, "application/xml"))
        except ValidationError as exc:
            results.append(Rejection("invalid-release", describe_validation_error(exc), **_hints(fields)))
        except (EmbargoParseError, ValueError) as exc:
            results.append(Rejection("invalid-release", str(exc), **_hints(fields)))
        except OverflowError:
            results.append(Rejection("invalid-release", OUT_OF_RANGE, **_hints(fields)))
    return results


def _depth_exceeds(root: Element, limit: int) -> bool:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def _element_fields(item: Element) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for child in item:
        value = (child.text or "").strip()
        if child.tag in ("FileName", "FileUrl"):
            fields.setdefault(child.tag, []).append(value)
        else:
            fields[child.tag] = value
    return fields


def _as_kst(value: datetime) -> datetime:
    return value.replace(tzinfo=KST) if value.tzinfo is None else value.astimezone(KST)


def _embargo(at: datetime | None, phrase: str | None, reference: datetime | None) -> EmbargoInfo:
    """Combine a machine time and a printed phrase; when both are given the later one wins."""
    parsed = parse_embargo(phrase, reference or datetime.now(KST)) if phrase else None
    candidates = [t for t in (at, parsed.at if parsed else None) if t is not None]
    return EmbargoInfo(
        at=max(candidates) if candidates else None,
        phrase=phrase or None,
        print_edition=parsed.print_edition if parsed else None,
        immediate=bool(parsed and parsed.immediate and at is None),
    )


def document_to_release(doc: ReleaseDocument) -> Release:
    approved = _as_kst(doc.approved_at) if doc.approved_at else None
    embargo = _embargo(
        _as_kst(doc.embargo.at) if doc.embargo and doc.embargo.at else None,
        doc.embargo.phrase if doc.embargo else None,
        approved,
    )
    body_html, body_text = render_body(doc.body or "", is_html=doc.body_format is BodyFormat.HTML)
    title = clean_inline_text(doc.title or "")
    return Release(
        agency=clean_inline_text(doc.agency),
        release_id=doc.release_id,
        version=doc.version,
        kind=doc.kind,
        status=doc.status,
        title=title,
        subtitles=[s for s in (clean_inline_text(x) for x in doc.subtitles) if s],
        body_html=body_html,
        body_text=body_text,
        approved_at=approved,
        embargo=embargo,
        publish_at=publish_at(approved, embargo.at) if approved else embargo.at,
        contacts=doc.contacts,
        attachments=doc.attachments,
        english_url=doc.english_url,
        joint_agencies=[clean_inline_text(a) for a in doc.joint_agencies],
        licence=doc.licence,
        withdrawal_reason=doc.withdrawal_reason,
        source_format="briefing",
    )


def newsitem_to_release(item: NewsItemDocument, source_format: str) -> Release:
    approved = parse_korea_time(item.ApproveDate)
    modified = parse_korea_time(item.ModifyDate) if item.ModifyDate else None
    embargo_at = parse_korea_time(item.EmbargoDate) if item.EmbargoDate else None
    embargo = _embargo(embargo_at, item.EmbargoPhrase, approved)
    body_html, body_text = render_body(item.DataContents or "", is_html=item.ContentsType == "H")
    title = clean_inline_text(item.Title or "")
    kind = detect_kind(title, body_text) if (item.GroupingCode or "brief") == "brief" else ReleaseKind.NOTICE
    contact = Contact(
        name=item.WriterName or None,
        phone=item.WriterPhone or None,
        email=item.WriterEmail or None,
        position=item.WriterPosition or None,
    )
    attachments = [
        Attachment.model_validate({"name": name, "url": url or None})
        for name, url in zip(item.FileName, item.FileUrl + [""] * len(item.FileName), strict=False)
        if name.strip()
    ]
    return Release(
        agency=clean_inline_text(item.MinisterCode),
        release_id=item.NewsItemId,
        version=item.ModifyId,
        kind=kind,
        status=ReleaseStatus.WITHDRAWN if item.ContentsStatus == "D" else ReleaseStatus.ACTIVE,
        title=title,
        subtitles=[
            s
            for s in (clean_inline_text(x or "") for x in (item.SubTitle1, item.SubTitle2, item.SubTitle3))
            if s
        ],
        body_html=body_html,
        body_text=body_text,
        approved_at=approved,
        modified_at=modified,
        embargo=embargo,
        publish_at=publish_at(approved, embargo.at),
        contacts=[contact] if contact.model_dump(exclude_none=True) else [],
        attachments=attachments,
        english_url=item.EnglishUrl or None,
        source_format="newsitem-xml" if source_format == "newsitem-xml" else "newsitem-json",
        original_url=item.OriginalUrl or None,
    )
