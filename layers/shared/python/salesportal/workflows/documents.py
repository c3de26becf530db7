"""A policy's document: rendered once per term, in the customer's language, into the private
bucket, read through a short-lived link.

Rendering is idempotent: the object key is fixed by the policy, its term and the document's
language, so a redelivered event writes the same object again and ``document_status`` moves
to READY once. The language is the customer's preferred one, read from their profile as the
notifications read it (English without a profile or a preference); it is part of the key the
policy records (``document_key``), so which language the stored document is in stays known
after the customer changes their preference. A link is a presigned GET that expires soon, so
a leaked link stops working soon; it is given only once the document is READY.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from salesportal.data.sales import PolicyChange
from salesportal.domain.languages import DEFAULT_LANGUAGE, Language
from salesportal.domain.sales import Policy
from salesportal.errors import Conflict, NotFound
from salesportal.workflows.sales_ports import SalesStore

if TYPE_CHECKING:  # the policies function links documents without loading the notifications
    from salesportal.domain.notifications import Recipient

LINK_TTL = timedelta(minutes=5)
Rendered = Literal["rendered", "already_ready", "no_policy", "policy_vanished"]


class DocumentStore(Protocol):
    def put_pdf(self, key: str, body: bytes, filename: str) -> None: ...

    def link(self, key: str, expires_in_s: int) -> str: ...


class Profiles(Protocol):
    """The customers repository's reading of a profile for messages (``recipient``): the
    notifying workflow's port, so a document and a notification agree on the language."""

    def recipient(self, customer_id: str) -> Recipient | None: ...


@dataclass(frozen=True)
class DocumentLink:
    url: str
    expires_at: datetime


def own_policy(sales: SalesStore, customer_id: str, policy_id: str) -> Policy:
    """The caller's policy; 404 when they have none by that id (another's is not theirs)."""
    policy = sales.policy(customer_id, policy_id)
    if policy is None:
        raise NotFound("No such policy.", code="policy_not_found")
    return policy


def document_key(policy: Policy, language: Language) -> str:
    term = policy.term.start.isoformat()
    return f"policies/{policy.customer_id}/{policy.policy_id}/certificate-{term}-{language}.pdf"


def preferred_language(profiles: Profiles, customer_id: str) -> Language:
    recipient = profiles.recipient(customer_id)
    return DEFAULT_LANGUAGE if recipient is None else recipient.language


def link(
    sales: SalesStore, store: DocumentStore, customer_id: str, policy_id: str, now: datetime
) -> DocumentLink:
    policy = own_policy(sales, customer_id, policy_id)
    if policy.document_status != "READY" or not policy.document_key:
        raise Conflict(
            "The policy document is still being prepared; try again in a few seconds.",
            code="document_not_ready",
            details={"documentStatus": policy.document_status},
        )
    url = store.link(policy.document_key, int(LINK_TTL.total_seconds()))
    return DocumentLink(url, now + LINK_TTL)


def render(
    sales: SalesStore,
    store: DocumentStore,
    customer_id: str,
    policy_id: str,
    *,
    actor: str,
    profiles: Profiles,
    pdf: Callable[[Policy, Language], bytes],
) -> Rendered:
    """``pdf`` renders the document in a language (``domain.policy_document.render``): handed
    in, so the policies function, which only links to documents, never loads the PDF library."""
    policy = sales.policy(customer_id, policy_id)
    if policy is None:
        return "no_policy"
    if policy.document_status == "READY":
        return "already_ready"
    language = preferred_language(profiles, customer_id)
    key = document_key(policy, language)
    store.put_pdf(key, pdf(policy, language), f"{policy.policy_number}.pdf")
    ready = replace(policy, document_status="READY", document_key=key)
    if not sales.record(actor=actor, policy=PolicyChange(policy, ready)):
        return "policy_vanished"  # nothing to point at the document
    return "rendered"
