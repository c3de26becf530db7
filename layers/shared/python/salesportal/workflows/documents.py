"""A policy's document: rendered once per term into the private bucket, read through a
short-lived link.

Rendering is idempotent: the object key is fixed by the policy and its term, so a
redelivered event writes the same object again and ``document_status`` moves to READY once.
A link is a presigned GET that expires soon, so a leaked link stops working soon; it is
given only once the document is READY.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, Protocol

from salesportal.data.sales import PolicyChange
from salesportal.domain.sales import Policy
from salesportal.errors import Conflict, NotFound
from salesportal.workflows.sales_ports import SalesStore

LINK_TTL = timedelta(minutes=5)
Rendered = Literal["rendered", "already_ready", "no_policy", "policy_vanished"]


class DocumentStore(Protocol):
    def put_pdf(self, key: str, body: bytes, filename: str) -> None: ...

    def link(self, key: str, expires_in_s: int) -> str: ...


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


def document_key(policy: Policy) -> str:
    return f"policies/{policy.customer_id}/{policy.policy_id}/certificate-{policy.term.start.isoformat()}.pdf"


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
    pdf: Callable[[Policy], bytes],
) -> Rendered:
    """``pdf`` renders the document (``domain.policy_document.render``): handed in, so the
    policies function, which only links to documents, never loads the PDF library."""
    policy = sales.policy(customer_id, policy_id)
    if policy is None:
        return "no_policy"
    if policy.document_status == "READY":
        return "already_ready"
    key = document_key(policy)
    store.put_pdf(key, pdf(policy), f"{policy.policy_number}.pdf")
    ready = replace(policy, document_status="READY", document_key=key)
    if not sales.record(actor=actor, policy=PolicyChange(policy, ready)):
        return "policy_vanished"  # nothing to point at the document
    return "rendered"
