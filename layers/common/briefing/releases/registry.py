"""Which AWS principals may send releases for which agency.

The registry is JSON: ``{"외교부": ["AROA...", "123456789012"], "*": ["AROA..."]}``. An entry
matches the SQS ``SenderId`` exactly, or its part before ``:`` (an assumed role's unique id is
followed by the session name). ``"*"`` lists relays trusted for every agency (e.g. the korea.kr
syndication feed), so a renamed or new agency is not dropped when it arrives through them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

ANY_AGENCY = "*"


class RegistryError(ValueError):
    pass


class AgencyRegistry:
    def __init__(self, senders_by_agency: Mapping[str, Sequence[str]]) -> None:
        self._senders = {
            agency.strip(): frozenset(s.strip() for s in senders)
            for agency, senders in senders_by_agency.items()
        }

    @classmethod
    def from_json(cls, text: str) -> AgencyRegistry:
        try:
            data = json.loads(text or "{}")
        except json.JSONDecodeError as exc:
            raise RegistryError(f"AGENCY_REGISTRY is not valid JSON: {exc}") from exc
        if not isinstance(data, dict) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in data.values()
        ):
            raise RegistryError('AGENCY_REGISTRY must look like {"외교부": ["AROA..."], "*": ["..."]}')
        return cls(data)

    def allows(self, agency: str, sender_id: str | None) -> bool:
        if not sender_id:
            return False
        principal = sender_id.split(":", 1)[0]
        allowed = self._senders.get(agency, frozenset()) | self._senders.get(ANY_AGENCY, frozenset())
        return sender_id in allowed or principal in allowed

    def agencies(self) -> list[str]:
        return sorted(a for a in self._senders if a != ANY_AGENCY)
