from __future__ import annotations

import pytest

from briefing.releases.registry import AgencyRegistry, RegistryError


def test_sender_must_be_registered_for_the_claimed_agency() -> None:
    registry = AgencyRegistry.from_json('{"외교부": ["AROAMOFA"], "관세청": ["AIDACUSTOMS"]}')
    assert registry.allows("외교부", "AROAMOFA:ingest-bot")  # assumed-role session
    assert registry.allows("관세청", "AIDACUSTOMS")
    assert not registry.allows("외교부", "AIDACUSTOMS")  # one agency cannot speak for another
    assert not registry.allows("국방부", "AROAMOFA")
    assert not registry.allows("외교부", None)


def test_relays_listed_under_star_may_send_for_any_agency_even_renamed_ones() -> None:
    registry = AgencyRegistry.from_json('{"*": ["AROAKOREAKR"]}')
    assert registry.allows("지식재산처", "AROAKOREAKR:feed")
    assert not registry.allows("지식재산처", "AROAOTHER")


def test_the_default_registry_admits_nobody() -> None:
    assert not AgencyRegistry.from_json("{}").allows("외교부", "AIDAANY")


@pytest.mark.parametrize("bad", ["[", '["a"]', '{"외교부": "AROA"}', '{"외교부": [1]}'])
def test_malformed_registry_fails_loudly(bad: str) -> None:
    with pytest.raises(RegistryError):
        AgencyRegistry.from_json(bad)
