"""In-memory ports of the documents workflow: the documents bucket and the profiles it reads a
customer's language from (as the customers repository's ``recipient`` answers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from salesportal.domain.languages import Language
from salesportal.domain.notifications import Recipient


@dataclass
class FakeDocumentStore:
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # key → (body, filename)

    def put_pdf(self, key: str, body: bytes, filename: str) -> None:
        self.objects[key] = (body, filename)

    def link(self, key: str, expires_in_s: int) -> str:
        return f"https://documents.example.invalid/{key}?X-Amz-Expires={expires_in_s}"


@dataclass
class FakeProfiles:
    """Customers with a profile, by id, and the language each prefers (a profile without a
    preference is read as English, as the repository reads it)."""

    languages: dict[str, Language] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)

    def recipient(self, customer_id: str) -> Recipient | None:
        self.read.append(customer_id)
        if customer_id not in self.languages:
            return None
        return Recipient(
            customer_id, f"{customer_id}@example.com", None, language=self.languages[customer_id]
        )
