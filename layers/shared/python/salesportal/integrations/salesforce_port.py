"""What a sync run asks of Salesforce, apart from the client that does it (integrations/salesforce.py):
the workflow and the functions that only queue or read runs import this, never simple_salesforce."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.domain.crm import Contact, ContactFields, SaveResult

COLLECTION_LIMIT = 200  # records per composite sObject collection call


@dataclass(frozen=True)
class Budget:
    used: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.used


class SalesforceGateway(Protocol):
    """What a sync run asks of Salesforce: changed Contacts page by page, Contacts saved, the API budget."""

    @property
    def budget(self) -> Budget | None: ...

    def contact_pages(self, since: datetime) -> Iterator[tuple[list[Contact], bool]]: ...

    def upsert_contacts(self, external_id_field: str, records: list[ContactFields]) -> list[SaveResult]: ...

    def update_contacts(self, records: list[ContactFields]) -> list[SaveResult]: ...
