"""In-memory customers for the staff reads: summaries and records by id, listed by last change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from salesportal.data.dynamo import Page
from salesportal.domain.customers import CrmFacts, CustomerRecord, CustomerSummary
from salesportal.domain.profile import CustomerProfile


def a_record(customer_id: str, email: str, updated_at: datetime) -> CustomerRecord:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return CustomerRecord(CustomerProfile(customer_id, created, updated_at, 1, email=email), CrmFacts())


@dataclass
class FakeCustomers:
    records: dict[str, CustomerRecord] = field(default_factory=dict)
    listed: list[tuple[datetime | None, int, str | None]] = field(default_factory=list)

    def _summary(self, record: CustomerRecord) -> CustomerSummary:
        p = record.profile
        return CustomerSummary(p.customer_id, p.updated_at, p.email, p.given_name, p.family_name)

    def list_changed(self, *, since: datetime | None, limit: int, token: str | None) -> Page[CustomerSummary]:
        self.listed.append((since, limit, token))
        changed = sorted(
            (r for r in self.records.values() if since is None or r.profile.updated_at >= since),
            key=lambda r: r.profile.updated_at,
            reverse=True,
        )
        start = int(token or 0)
        more = start + limit < len(changed)
        return Page(
            [self._summary(r) for r in changed[start : start + limit]], str(start + limit) if more else None
        )

    def summaries_by_email(self, email: str) -> list[CustomerSummary]:
        return [self._summary(r) for r in self.records.values() if r.profile.email == email]

    def record(self, customer_id: str) -> CustomerRecord | None:
        return self.records.get(customer_id)
