"""The agency client's local side: reading, validating, batching, the state file, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from briefing.releases.model import ReleaseDocument
from briefing_cli.agency import CommentSubmission, schema_for
from briefing_cli.client import (
    SQS_MAX_BYTES,
    Outgoing,
    Sender,
    Submission,
    SubmitState,
    claim_check_key,
    default_state_path,
    load_stack_outputs,
    message_attributes,
    pointer_body,
    read_submissions,
)
from briefing_cli.importer import import_page, split_provenance
from tests.conftest import REPO, as_json, newsitem

README_RELEASE = {
    "agency": "외교부",
    "release_id": "mofa-2026-0001",
    "version": 1,
    "title": "제15차 한일 차관전략대화 개최 결과",
    "body": "<p>□ 외교부는 …</p>",
    "approved_at": "2026-04-13T10:00:00+09:00",
    "embargo": {"phrase": "2026. 4. 13.(월) 12:00 이후"},
}


def one(path: Path) -> Submission:
    [submission] = read_submissions(path)
    return submission


def test_a_valid_release_carries_its_key_and_the_servers_content_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(README_RELEASE, ensure_ascii=False), encoding="utf-8")
    submission = one(tmp_path / "r.json")
    assert submission.valid and submission.ref == "외교부/mofa-2026-0001@v1"
    [(key, fingerprint)] = submission.releases
    assert key == "외교부/mofa-2026-0001@v1" and len(fingerprint) == 64


def test_problems_are_told_in_the_ingest_functions_words(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(as_json(newsitem(ModifyId=0)), encoding="utf-8")
    submission = one(tmp_path / "r.json")
    assert not submission.valid
    [problem] = submission.problems
    assert problem.reason == "invalid-release" and "ModifyId" in problem.message
    assert submission.ref == "국토교통부/156754098@v0"  # identified even when invalid


def test_a_body_over_the_ingest_limit_is_refused_before_sending(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(as_json(newsitem(DataContents="ㅇ 세부 내용입니다. " * 60000)), "utf-8")
    [problem] = one(tmp_path / "r.json").problems
    assert problem.reason == "too-large" and "attachments" in problem.message


def test_folders_skip_hidden_files_and_read_arrays_and_lines(tmp_path: Path) -> None:
    (tmp_path / ".briefing-submit-state.json").write_text("{}", encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps([newsitem(), newsitem(NewsItemId="2")]), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(as_json(newsitem(NewsItemId="3")) + "\n\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("메모", encoding="utf-8")
    sources = [s.source for s in read_submissions(tmp_path)]
    assert sources == ["a.json[1]", "a.json[2]", "b.jsonl:1"]


def test_a_small_valid_envelope_stays_one_message_but_one_with_a_bad_item_is_split(tmp_path: Path) -> None:
    item = "<NewsItem><NewsItemId>{id}</NewsItemId><ContentsStatus>I</ContentsStatus><ModifyId>{v}</ModifyId>"
    item += "<ApproveDate>04/13/2026 09:00:00</ApproveDate><Title>제목</Title><ContentsType>T</ContentsType>"
    item += "<DataContents>□ 본문</DataContents><MinisterCode>기상청</MinisterCode></NewsItem>"
    good = item.format(id=1, v=1) + item.format(id=2, v=1)
    (tmp_path / "good.xml").write_text(f"<Syndicate>{good}</Syndicate>", encoding="utf-8")
    envelope = one(tmp_path / "good.xml")
    assert envelope.valid and len(envelope.releases) == 2

    (tmp_path / "mixed.xml").write_text(f"<Syndicate>{good}{item.format(id=3, v=0)}</Syndicate>", "utf-8")
    parts = list(read_submissions(tmp_path / "mixed.xml"))
    assert [(p.source, p.valid) for p in parts] == [("mixed.xml#1", True), ("mixed.xml#2", True), ("mixed.xml#3", False)]  # fmt: skip


def test_an_envelope_error_is_reported_once_not_per_item(tmp_path: Path) -> None:
    (tmp_path / "e.xml").write_text(
        "<response><header><resultCode>99</resultCode></header><body><NewsItem/><NewsItem/></body></response>",
        encoding="utf-8",
    )
    [problem] = one(tmp_path / "e.xml").problems
    assert "resultCode 99" in problem.message


def test_the_claim_check_pointer_is_the_extended_client_format() -> None:
    body = pointer_body("briefing-payloads", "claim-checks/abc.json")
    assert body == (
        '["software.amazon.payloadoffloading.PayloadS3Pointer",'
        '{"s3BucketName":"briefing-payloads","s3Key":"claim-checks/abc.json"}]'
    )
    submission = Submission("x.json", "{}", releases=(("외교부/1@v1", "f"),))
    assert claim_check_key(submission) == f"claim-checks/{submission.sha256}.json"


def test_attributes_name_the_agency_and_stay_within_the_extended_clients_budget() -> None:
    submission = Submission("보도자료.json:7", "{}", ref="외교부/1@v1", releases=(("외교부/1@v1", "f"),))
    attributes = message_attributes(submission)
    assert attributes["agency"] == {"DataType": "String", "StringValue": "외교부"}
    assert len(attributes) + 1 <= 10  # SQS allows 10; the Extended Client reserves one


def test_batches_hold_at_most_ten_messages_and_one_request_size() -> None:
    sender = Sender(None, "q")
    small = [Outgoing(Submission(str(i), "x"), "x", {}) for i in range(25)]
    assert [len(b) for b in sender.batches(small)] == [10, 10, 5]
    big = [Outgoing(Submission(str(i), "y"), "y" * 100_000, {}) for i in range(5)]
    batches = list(sender.batches(big))
    assert [len(b) for b in batches] == [2, 2, 1]
    assert all(sum(o.size for o in b) <= SQS_MAX_BYTES for b in batches)


def test_the_state_knows_sent_repeated_and_changed_releases(tmp_path: Path) -> None:
    state = SubmitState(tmp_path / "s.json")
    first = Submission("a", "{}", releases=(("외교부/1@v1", "aaa"),))
    state.record("q1", first, "m-1")
    state.save()
    loaded = SubmitState.load(tmp_path / "s.json")
    assert loaded.check("q1", first) == ("sent", "")
    assert loaded.check("q2", first) == ("new", "")  # per queue: staging is not production
    changed = Submission("a", "{ }", releases=(("외교부/1@v1", "bbb"),))
    assert loaded.check("q1", changed) == ("conflict", "외교부/1@v1")
    (tmp_path / "other.json").write_text('{"format": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a briefing submit state file"):
        SubmitState.load(tmp_path / "other.json")


def test_the_default_state_file_lives_beside_the_input(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text("", encoding="utf-8")
    assert default_state_path([tmp_path / "r.jsonl"]) == tmp_path / ".briefing-submit-state.json"
    assert default_state_path([tmp_path]) == tmp_path / ".briefing-submit-state.json"


@pytest.mark.parametrize(
    "content",
    [
        {"Stacks": [{"Outputs": [{"OutputKey": "IngestQueueUrl", "OutputValue": "u"}]}]},
        [{"OutputKey": "IngestQueueUrl", "OutputValue": "u"}],
        {"briefing-prod": {"IngestQueueUrl": "u"}},
        {"IngestQueueUrl": "u"},
    ],
)
def test_stack_outputs_files_in_every_common_shape(tmp_path: Path, content: object) -> None:
    (tmp_path / "o.json").write_text(json.dumps(content), encoding="utf-8")
    assert load_stack_outputs(tmp_path / "o.json") == {"IngestQueueUrl": "u"}


def test_schemas_are_draft_2020_12_and_the_readme_release_is_valid() -> None:
    for kind in ("release", "newsitem", "comment"):
        assert schema_for(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    ReleaseDocument.model_validate(README_RELEASE)
    comment = schema_for("comment")
    assert comment["required"] == ["article_id", "author", "text"]
    assert comment["properties"]["article_id"]["pattern"] == "^[0-9A-Za-z][0-9A-Za-z._-]*$"
    assert comment["additionalProperties"] is False


def test_a_comment_is_checked_as_posted() -> None:
    comment = CommentSubmission.model_validate(
        {"article_id": "156754098", "author": "u-1", "text": "  좋은 정책이네요. "}
    )
    assert comment.text == "좋은 정책이네요." and comment.id is None
    for bad in (
        {"article_id": "156754098", "author": "u-1", "text": "   "},
        {"article_id": "1 2", "author": "u-1", "text": "의견"},
        {"article_id": "1", "author": "u-1", "text": "의견", "email": "a@b.kr"},
        {"article_id": "1", "author": "u-1", "text": "가" * 1001},
    ):
        with pytest.raises(ValidationError):
            CommentSubmission.model_validate(bad)


def test_provenance_is_kept_out_of_the_imported_release() -> None:
    page = (REPO / "tests" / "fixtures" / "pages" / "moel-2026-04-13.txt").read_text(encoding="utf-8")
    release, provenance = split_provenance(import_page(page, source_name="moel.txt"))
    ReleaseDocument.model_validate(release)
    assert provenance["source"] == {"kind": "saved-page", "name": "moel.txt"}
    assert "english_version" in provenance
