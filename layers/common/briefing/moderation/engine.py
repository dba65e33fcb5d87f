"""The moderation engine: detectors → findings → one action, reason codes, masked evidence, a message.

``moderate()`` is the one call a handler or the CLI makes.  Lexicon and model are loaded once per
process (``get_engine()``), so a Lambda pays for them once per cold start.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from msgspec import Struct, field
from msgspec.structs import replace

from briefing.moderation import detectors, pii
from briefing.moderation.classifier import (
    CLASSIFIER_REJECT_AT,
    CLASSIFIER_REVIEW_AT,
    LEXICON_REJECT_MIN_PROBABILITY,
    LEXICON_STRONG_SCORE,
    LEXICON_WEAK_REJECT_MIN_PROBABILITY,
    AbuseClassifier,
    load_model,
)
from briefing.moderation.findings import Finding
from briefing.moderation.lexicon import Lexicon, load_lexicon
from briefing.moderation.normalize import Normalized, display_order, normalize
from briefing.moderation.repeats import (
    RepeatHistory,
    RepeatRecord,
    canonical_from_squeezed,
    fingerprint_canonical,
    signature_canonical,
    similarity,
)

Action = Literal["publish", "review", "reject"]
ACTION_RANK: dict[str, int] = {"publish": 0, "review": 1, "reject": 2}

RULE_NAMES = {
    1: "개인정보",
    2: "명예훼손",
    3: "공공질서·미풍양속 위반",
    4: "욕설·비속어·비하",
    5: "불법복제·해킹",
    6: "광고·홍보",
    7: "저작권 침해",
    8: "범죄 관련",
    9: "사칭",
    10: "기사와 관련 없는 내용",
    11: "동일 내용 반복 게시",
    12: "관계법령 위반",
    13: "수사기관 등의 공식 요청",
}
PII_NAMES = {
    "phone": "전화번호",
    "email": "이메일 주소",
    "rrn": "주민등록번호",
    "card": "카드번호",
    "account": "계좌번호",
    "passport": "여권번호",
    "licence": "운전면허번호",
    "address": "주소",
}
# Enough evidence to explain and appeal; a spam wall of 10,000 matches is not 10,000 evidence items.
MAX_EVIDENCE_PER_RULE = 10
# Rules whose automatic finding is only ever a signal for a moderator (posting-rules.md).
REVIEW_ONLY_RULES = frozenset({2, 7, 9, 10, 12})


class ModerationSettings(Struct, frozen=True):
    """Thresholds; defaults are the ones measured by scripts/moderation/evaluate.py."""

    reject_at: float = 0.9
    review_at: float = 0.6
    # the classifier's thresholds travel with the model they were calibrated for (classifier.py)
    classifier_review_at: float = CLASSIFIER_REVIEW_AT
    classifier_reject_at: float = CLASSIFIER_REJECT_AT
    lexicon_reject_min_probability: float = LEXICON_REJECT_MIN_PROBABILITY
    # lexicon entries scored below lexicon_strong_score need the higher probability to reject
    lexicon_strong_score: float = LEXICON_STRONG_SCORE
    lexicon_weak_reject_min_probability: float = LEXICON_WEAK_REJECT_MIN_PROBABILITY
    offtopic_threshold: float = 0.05
    offtopic_min_bigrams: int = 12
    repeat_window: timedelta = timedelta(hours=24)
    repeat_similarity: float = 0.8
    repeat_min_chars: int = 10
    campaign_min_authors: int = 3
    use_classifier: bool = True


class CommentInput(Struct, frozen=True):
    id: str
    text: str
    author: str | None = None
    display_name: str | None = None
    article: str | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> CommentInput:
        """From a JSON object; raises ValueError naming the bad field."""
        if not isinstance(raw, dict):
            raise ValueError("input must be a JSON object")
        cid, text = raw.get("id"), raw.get("text")
        if cid is None or not isinstance(cid, (str, int)) or isinstance(cid, bool):
            raise ValueError("'id' is required (string)")
        if not isinstance(text, str):
            raise ValueError("'text' is required (string)")
        optional = {}
        for key in ("author", "display_name", "article"):
            value = raw.get(key)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"'{key}' must be a string")
            optional[key] = value
        return cls(str(cid), text, **optional)


class Decision(Struct, frozen=True):
    comment_id: str
    action: Action
    rules: list[int]
    evidence: list[Finding] = field(default_factory=list)
    message: str = ""

    def evidence_dicts(self) -> list[dict[str, Any]]:
        """Evidence as shown and stored: personal information (R1) is masked."""
        out = []
        for f in self.evidence:
            text = f.text
            if f.rule == 1:
                text = pii.mask(f.detector.split(".", 1)[-1], text)
            out.append(
                {
                    "rule": f.rule,
                    "span": [f.start, f.end],
                    "text": text,
                    "detector": f.detector,
                    "score": f.score,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.comment_id,
            "action": self.action,
            "rules": list(self.rules),
            "evidence": self.evidence_dicts(),
            "message": self.message,
        }


def takedown_decision(comment_id: str, legal_basis: str) -> Decision:
    """R13: an official request (e.g. from an investigative authority) hides the comment."""
    evidence = [Finding(13, 0, 0, legal_basis, "moderator.takedown", 1.0)]
    return Decision(comment_id, "reject", [13], evidence, message_for("reject", [13], evidence))


def message_for(action: str, rules: list[int], evidence: list[Finding]) -> str:
    """A short Korean explanation for the commenter."""
    if action == "publish" or not rules:
        return ""
    first = rules[0]
    name = RULE_NAMES[first]
    if first == 1:
        kinds = []
        for f in evidence:
            kind = PII_NAMES.get(f.detector.split(".", 1)[-1])
            if f.rule == 1 and kind and kind not in kinds:
                kinds.append(kind)
        if kinds:
            name = f"개인정보({', '.join(kinds)})"
    codes = ", ".join(str(r) for r in rules)
    if action == "reject":
        if first == 13:
            return "수사기관 등의 공식 요청에 따라 게시가 중단되었습니다 (운영원칙 13)"
        message = f"{name}에 해당하는 내용이 포함되어 게시할 수 없습니다 (운영원칙 {codes})"
    else:
        message = f"{name}에 해당할 수 있어 관리자 확인 후 게시됩니다 (운영원칙 {codes})"
    if any(f.detector in AT_RISK for f in evidence):
        # someone asking how to die, or for company in it, reads this first: where help is, as portals show it
        message += f" {HELPLINE}"
    return message


AT_RISK = frozenset({"lexicon.suicide:method", "lexicon.suicide:pact"})
HELPLINE = "혼자 힘드시다면 자살예방상담전화 109(24시간)에서 도움을 받을 수 있습니다."


INFORMAL = re.compile(r"[ㅋㅎㅠㅜㅡ]{2}|[?!~]{2}|[ㄱ-ㅎ]|ㅗ|냐|니\?|노(?:$|\s)|듯$|ㅉ|해라|마라|새끼|놈|년들")
FORMAL_ENDING = re.compile(
    r"(?:[었였했혔겠]다|[한된인있없]다|이다|된다|니다|(?<![가-힣])등|[함됨음임])\s*[.”’\"')]?\s*$"
)
FORMAL_MARKS = re.compile(
    r"[·‧ㆍ「」｢｣『』※□▪◦○∙]|'[^']{1,20}'|‘[^’]{1,20}’|(?:[^,]{2,30},\s?){3}|\.(?:jpg|png|hwpx?|pdf)$|\(\s?[^)]{1,20}\)|(?<!\d)\d+\s?(?:년|월|일|개|명|%|억|만|원|차|회)"
)


def official_register(text: str) -> bool:
    """Text written like a press release (formal endings, 「」·() and figures, no chat marks): the
    classifier, trained on comments, is not asked about it; lexicons and other detectors still are."""
    if INFORMAL.search(text):
        return False
    if re.search(r"\.(?:jpg|jpeg|png|gif|hwpx?|pdf|xlsx?|docx?)\s*$", text, re.IGNORECASE):
        return True
    marks = len(FORMAL_MARKS.findall(text))
    return (FORMAL_ENDING.search(text) is not None and marks >= 1) or marks >= 2


class ModerationEngine:
    """Loaded lexicon and classifier; stateless between calls except for what ``history`` keeps."""

    def __init__(self, lexicon: Lexicon | None = None, classifier: AbuseClassifier | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.classifier = classifier if classifier is not None else load_model()

    def findings(
        self, comment: CommentInput, norm: Normalized, settings: ModerationSettings
    ) -> tuple[list[Finding], float | None]:
        found: list[Finding] = []
        defamation = detectors.find_defamation(norm)
        found += pii.find_pii(norm, accuses=bool(defamation), article=comment.article)
        found += self.lexicon.find(norm)
        found += detectors.find_links(norm)
        found += detectors.find_ads(norm, settings.review_at)
        found += detectors.find_piracy(norm)
        found += detectors.find_crime(norm)
        found += detectors.find_impersonation(norm, comment.display_name)
        found += defamation
        found += detectors.find_election(norm)
        found += detectors.find_copying(norm)
        found += detectors.find_offtopic(
            norm, comment.article, settings.offtopic_threshold, settings.offtopic_min_bigrams
        )
        probability = None
        if settings.use_classifier and norm.squeezed.text.strip():
            probability = self.classifier.probability(norm.squeezed.text)
            if probability >= settings.classifier_review_at and not official_register(norm.base.text):
                score = round(probability, 3)
                text = norm.original
                found.append(Finding(4, 0, len(text), text[:60], "classifier.abuse", score))
        shown, reversed_span = display_order(comment.text)
        if reversed_span is not None:
            # judge what the reader sees too; its evidence is the reversed run as typed
            seen, seen_probability = self.findings(replace(comment, text=shown), normalize(shown), settings)
            have = {(f.rule, f.detector) for f in found}
            a, b = reversed_span
            for f in seen:
                if (f.rule, f.detector) not in have:
                    found.append(Finding(f.rule, a, b, comment.text[a:b][:60], f.detector, f.score))
            if seen_probability is not None and (probability is None or seen_probability > probability):
                probability = seen_probability
        return found, probability

    def repeats(
        self,
        comment: CommentInput,
        norm: Normalized,
        history: RepeatHistory,
        settings: ModerationSettings,
        now: datetime,
        record: bool,
    ) -> list[Finding]:
        if not comment.author:
            return []
        return self.repeats_canonical(
            comment, canonical_from_squeezed(norm.squeezed.text), history, settings, now, record
        )

    def repeats_canonical(
        self,
        comment: CommentInput,
        canon: str,
        history: RepeatHistory,
        settings: ModerationSettings,
        now: datetime,
        record: bool,
    ) -> list[Finding]:
        """R11 for a comment whose canonical text (``repeats.canonical``) is already known."""
        if not comment.author:
            return []
        fp, sig = fingerprint_canonical(canon), signature_canonical(canon)
        since = now - settings.repeat_window
        found: list[Finding] = []
        whole = (0, len(comment.text), comment.text[:60])
        if len(canon) >= settings.repeat_min_chars:
            mine = [r for r in history.author_records(comment.author, since) if r.comment_id != comment.id]
            repeats = [
                r
                for r in mine
                if r.fingerprint == fp or similarity(r.signature, sig) >= settings.repeat_similarity
            ]
            if repeats:
                exact = any(r.fingerprint == fp for r in repeats)
                found.append(
                    Finding(11, *whole, "repeat.author_exact" if exact else "repeat.author_near", 0.95)
                )
            keys = RepeatRecord(comment.id, comment.author, fp, sig, now).keys
            others = {
                r.author
                for r in history.records_with_keys(keys, since)
                if r.author != comment.author
                and (r.fingerprint == fp or similarity(r.signature, sig) >= settings.repeat_similarity)
            }
            if len(others) + 1 >= settings.campaign_min_authors:
                found.append(Finding(11, *whole, "repeat.campaign", 0.8))
        if record:
            history.add(RepeatRecord(comment.id, comment.author, fp, sig, now, None))
        return found

    def moderate(
        self,
        comment: CommentInput,
        *,
        history: RepeatHistory | None = None,
        settings: ModerationSettings | None = None,
        now: datetime | None = None,
        record: bool = True,
    ) -> Decision:
        settings = settings or DEFAULT_SETTINGS
        norm = normalize(comment.text)
        found, probability = self.findings(comment, norm, settings)
        if history is not None:
            found += self.repeats(comment, norm, history, settings, now or datetime.now(UTC), record)
        return decide(comment.id, found, settings, probability)


def _action_of(f: Finding, settings: ModerationSettings, probability: float | None = None) -> Action:
    if f.detector == "classifier.abuse":
        if f.score >= settings.classifier_reject_at:
            return "reject"
        return "review" if f.score >= settings.classifier_review_at else "publish"
    if f.score < settings.review_at:
        return "publish"
    if f.rule in REVIEW_ONLY_RULES or f.score < settings.reject_at:
        return "review"
    if f.detector.startswith("lexicon.") and probability is not None:
        # reject when certain, review when not: the classifier must agree, more so for the milder entries
        needed = (
            settings.lexicon_reject_min_probability
            if f.score >= settings.lexicon_strong_score
            else settings.lexicon_weak_reject_min_probability
        )
        if probability < needed:
            return "review"
    return "reject"


def decide(
    comment_id: str, found: list[Finding], settings: ModerationSettings, probability: float | None = None
) -> Decision:
    """The policy: the strongest action over all findings; rules and evidence of those that count.
    ``probability`` is the classifier's, when it ran (it can soften a lexicon reject to review)."""
    counted = [(f, _action_of(f, settings, probability)) for f in found]
    counted = [(f, a) for f, a in counted if a != "publish"]
    if not counted:
        return Decision(comment_id, "publish", [], [], "")
    action: Action = max((a for _, a in counted), key=ACTION_RANK.__getitem__)
    # per rule, keep the strongest finding of overlapping ones: detectors before the classifier, and a
    # span inside a kept span of the same rule adds nothing
    evidence: list[Finding] = []
    ordered_found = sorted(
        counted, key=lambda fa: (fa[0].detector == "classifier.abuse", -fa[0].score, fa[0].start - fa[0].end)
    )
    per_rule: dict[int, int] = {}
    for f, _ in ordered_found:
        if per_rule.get(f.rule, 0) >= MAX_EVIDENCE_PER_RULE:
            continue
        if f.detector == "classifier.abuse" and any(e.rule == f.rule for e in evidence):
            continue
        if any(
            e.rule == f.rule and e.start <= f.start and f.end <= e.end and e.end > e.start for e in evidence
        ):
            continue
        evidence.append(f)
        per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
    evidence.sort(key=lambda f: (f.start, f.rule))
    rules = sorted({f.rule for f in evidence})
    # the message names first the rules that decided the action
    deciding = sorted({f.rule for f, a in counted if a == action})
    ordered = deciding + [r for r in rules if r not in deciding]
    return Decision(comment_id, action, rules, evidence, message_for(action, ordered, evidence))


DEFAULT_SETTINGS = ModerationSettings()
_ENGINE: ModerationEngine | None = None
_LOCK = threading.Lock()


def get_engine() -> ModerationEngine:
    """The process-wide engine, loaded on first use."""
    global _ENGINE
    if _ENGINE is None:
        with _LOCK:
            if _ENGINE is None:
                _ENGINE = ModerationEngine()
    return _ENGINE


def moderate(
    comment: CommentInput,
    *,
    history: RepeatHistory | None = None,
    settings: ModerationSettings | None = None,
    now: datetime | None = None,
    record: bool = True,
) -> Decision:
    """Moderate one comment.  With ``history`` (and an author), R11 repeats are checked and, when
    ``record`` is true, the comment is added to the history."""
    return get_engine().moderate(comment, history=history, settings=settings, now=now, record=record)
