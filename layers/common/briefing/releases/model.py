"""The release models: what agencies send (our schema, korea.kr NewsItem) and the one `Release` we keep.

Both input shapes are validated with pydantic and normalised into `Release`, so everything
downstream (storage, index, moderation's R10) sees a single, clean shape.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema

SCHEMA_ID = "briefing.release/1"
DEFAULT_LICENCE = "KOGL-1"  # 공공누리 제1유형: free reuse with attribution


class ReleaseKind(StrEnum):
    """Document types of Korean government press releases."""

    PRESS = "press"  # 보도자료
    JOINT = "joint"  # 공동보도자료
    REFERENCE = "reference"  # 보도참고자료 / (참고)
    EXPLANATION = "explanation"  # 보도설명자료 / (설명)
    SCHEDULE = "schedule"  # 동정자료 / (동정)
    NOTICE = "notice"  # 참고자료 and other notices

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[ReleaseKind, str] = {
    ReleaseKind.PRESS: "보도자료",
    ReleaseKind.JOINT: "공동보도자료",
    ReleaseKind.REFERENCE: "보도참고자료",
    ReleaseKind.EXPLANATION: "보도설명자료",
    ReleaseKind.SCHEDULE: "동정자료",
    ReleaseKind.NOTICE: "참고자료",
}


class ReleaseStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class BodyFormat(StrEnum):
    HTML = "html"
    TEXT = "text"


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_strip)]
# Field before the validator, so the exported JSON Schema keeps the constraints.
AgencyName = Annotated[str, Field(min_length=2, max_length=60), BeforeValidator(_strip)]
ReleaseId = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$"),
    BeforeValidator(lambda v: str(v).strip() if isinstance(v, int | str) else v),
]


class _HttpUrlText:
    """pydantic's AnyHttpUrl rules (pydantic-core's URL validator: http or https, a host, normalised and
    percent-encoded as a browser would), kept as a string.  Declared on pydantic-core directly because
    importing AnyHttpUrl loads pydantic.networks and what it imports, ~18 ms of every ingest cold start."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        url = core_schema.url_schema(allowed_schemes=["http", "https"])
        return core_schema.no_info_after_validator_function(
            str, url, serialization=core_schema.to_string_ser_schema()
        )


# A link shown on the article page: a javascript: or data: URL there would run script.
WebLink = Annotated[str, _HttpUrlText()]


class Contact(BaseModel):
    """A public contact of the release (office numbers of civil servants are public, not PII)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    department: Text | None = Field(default=None, max_length=200)
    name: Text | None = Field(default=None, max_length=100)
    position: Text | None = Field(default=None, max_length=100)
    phone: Text | None = Field(default=None, max_length=40)
    email: Text | None = Field(default=None, max_length=200)


class Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: Text = Field(min_length=1, max_length=300)
    url: WebLink | None = None


class EmbargoIn(BaseModel):
    """Either a machine time, the 보도시점 phrase as printed on the release, or both."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    at: datetime | None = None
    phrase: Text | None = Field(default=None, max_length=300)


class ReleaseDocument(BaseModel):
    """Our own JSON release schema (`briefing.release/1`), the one agencies should send."""

    model_config = ConfigDict(
        extra="forbid",
        defer_build=True,
        title="briefing release",
        json_schema_extra={"$id": "https://briefing.example/schemas/release-1.json"},
    )

    schema_: Literal["briefing.release/1"] = Field(default="briefing.release/1", alias="schema")
    agency: AgencyName
    release_id: ReleaseId
    version: int = Field(ge=1, le=1_000_000, description="1 for the first version, +1 per correction")
    kind: ReleaseKind = ReleaseKind.PRESS
    title: Text | None = Field(default=None, min_length=1, max_length=500)
    subtitles: list[Annotated[Text, Field(max_length=500)]] = Field(default_factory=list, max_length=5)
    body: str | None = Field(default=None, max_length=2_000_000)
    body_format: BodyFormat = BodyFormat.HTML
    approved_at: datetime | None = Field(default=None, description="naive times are Korea time")
    embargo: EmbargoIn | None = None
    contacts: list[Contact] = Field(default_factory=list, max_length=50)
    attachments: list[Attachment] = Field(default_factory=list, max_length=100)
    english_url: WebLink | None = None
    joint_agencies: list[AgencyName] = Field(default_factory=list, max_length=30)
    licence: Text = Field(default=DEFAULT_LICENCE, max_length=40)
    status: ReleaseStatus = ReleaseStatus.ACTIVE
    withdrawal_reason: Text | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _active_needs_content(self) -> ReleaseDocument:
        # A withdrawal may be a bare tombstone; an active release must be publishable.
        if self.status is ReleaseStatus.ACTIVE:
            missing = [name for name in ("title", "body", "approved_at") if not getattr(self, name)]
            if missing:
                raise ValueError(f"an active release needs {', '.join(missing)}")
        return self


def _list_of_str(value: Any) -> Any:
    """NewsItem repeats FileName/FileUrl: accept one string, a list, or nothing."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return value


class NewsItemDocument(BaseModel):
    """The korea.kr syndication record, keys exactly as korea.kr spells them."""

    model_config = ConfigDict(extra="ignore", title="korea.kr NewsItem", defer_build=True)

    NewsItemId: ReleaseId
    ContentsStatus: Literal["I", "U", "D"] = Field(
        description="I new, U updated; D = withdrawn (our documented extension)"
    )
    ModifyId: Annotated[int, Field(ge=1, le=1_000_000)]
    ApproveDate: Text = Field(description="MM/DD/YYYY HH24:MI:SS, Korea time")
    ModifyDate: Text | None = None
    EmbargoDate: Text | None = None
    GroupingCode: Text | None = None
    Title: Text | None = Field(default=None, max_length=1000)
    SubTitle1: Text | None = None
    SubTitle2: Text | None = None
    SubTitle3: Text | None = None
    ContentsType: Literal["H", "T"] = "H"
    DataContents: str | None = Field(default=None, max_length=2_000_000)
    MinisterCode: AgencyName
    OriginalUrl: Text | None = None
    FileName: Annotated[list[str], BeforeValidator(_list_of_str)] = Field(default_factory=list)
    FileUrl: Annotated[list[str], BeforeValidator(_list_of_str)] = Field(default_factory=list)
    WriterName: Text | None = None
    WriterPhone: Text | None = None
    WriterEmail: Text | None = None
    WriterPosition: Text | None = None
    EmbargoPhrase: Text | None = Field(default=None, description="our extension: the 보도시점 line")
    EnglishUrl: Text | None = Field(default=None, description="our extension: English version link")

    @field_validator("ModifyId", mode="before")
    @classmethod
    def _int_from_text(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value

    @field_validator("OriginalUrl", "EnglishUrl")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        # Shown as links on the article page: a javascript: or data: URL there would run script.
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _active_needs_content(self) -> NewsItemDocument:
        if self.ContentsStatus != "D" and (not self.Title or not self.DataContents):
            raise ValueError("a NewsItem that is not withdrawn (D) needs Title and DataContents")
        return self


class EmbargoInfo(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    at: datetime | None = None
    phrase: str | None = None
    print_edition: str | None = None
    immediate: bool = False


class Release(BaseModel):
    """One normalised release version: what is stored, indexed and shown."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    # checked again after cleaning: '<script>…</script>' is a valid-looking input that cleans to nothing
    agency: str = Field(min_length=2)
    release_id: str
    version: int
    kind: ReleaseKind
    status: ReleaseStatus
    title: str
    subtitles: list[str] = Field(default_factory=list)
    body_html: str = ""
    body_text: str = ""
    approved_at: datetime | None = None
    modified_at: datetime | None = None
    embargo: EmbargoInfo = Field(default_factory=EmbargoInfo)
    publish_at: datetime | None = None
    contacts: list[Contact] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    english_url: str | None = None
    joint_agencies: list[str] = Field(default_factory=list)
    licence: str = DEFAULT_LICENCE
    withdrawal_reason: str | None = None
    source_format: Literal["briefing", "newsitem-json", "newsitem-xml"] = "briefing"
    original_url: str | None = None

    @model_validator(mode="after")
    def _published_text_has_a_title(self) -> Release:
        # a withdrawal needs no text; a release whose title cleans to nothing cannot be listed
        if self.status is ReleaseStatus.ACTIVE and not self.title:
            raise ValueError("title: nothing is left of it once markup is removed")
        return self

    @property
    def article_id(self) -> str:
        """Public id of the article; for NewsItems the korea.kr NewsItemId."""
        return self.release_id

    @property
    def ref(self) -> str:
        return f"{self.agency}/{self.release_id}@v{self.version}"
