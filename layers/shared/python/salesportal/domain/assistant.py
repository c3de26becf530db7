"""The AI assistant's side of a question: what the model may see about a customer, and the prompt. Pure.

Only the fields an answer needs reach the model: names, state, how long they have been a
customer, contact preferences, and a summary of their policies and applications. Never an
SSN, a date of birth, an address line or an e-mail address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypedDict

QueryStatus = Literal["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]
FINISHED: frozenset[QueryStatus] = frozenset({"SUCCEEDED", "FAILED"})
Role = Literal["system", "user"]

SYSTEM_PROMPT = (
    "You are the assistant of an insurance sales team. Answer the staff member's question "
    "briefly and factually. When customer data is given, use only that data; say so when it "
    "does not contain the answer. Never invent policy numbers, amounts or dates."
)
CUSTOMER_DATA = "Customer data (JSON): "


@dataclass(frozen=True, slots=True)
class AiQuery:
    query_id: str
    status: QueryStatus
    question: str
    customer_id: str | None = None


@dataclass(frozen=True, slots=True)
class PolicySummary:
    policy_number: str | None
    product_id: str | None
    status: str | None
    term_start: date | None
    term_end: date | None
    premium_cents: int | None
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class ApplicationSummary:
    application_id: str | None
    product_id: str | None
    status: str | None
    submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class ContactPreferences:
    email: bool
    sms: bool


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    given_name: str | None = None
    family_name: str | None = None
    state: str | None = None
    customer_since: datetime | None = None
    contact_preferences: ContactPreferences | None = None
    policies: tuple[PolicySummary, ...] = ()
    applications: tuple[ApplicationSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    latency_ms: int


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class _Premium(TypedDict):
    amountCents: int
    currency: str


class _PolicyJson(TypedDict):
    policyNumber: str | None
    productId: str | None
    status: str | None
    termStart: str | None
    termEnd: str | None
    annualPremium: _Premium | None


def _policy(p: PolicySummary) -> _PolicyJson:
    premium: _Premium | None = (
        None if p.premium_cents is None else {"amountCents": p.premium_cents, "currency": p.currency}
    )
    return {
        "policyNumber": p.policy_number,
        "productId": p.product_id,
        "status": p.status,
        "termStart": _iso(p.term_start),
        "termEnd": _iso(p.term_end),
        "annualPremium": premium,
    }


def _snapshot_json(snapshot: CustomerSnapshot) -> str:
    prefs = snapshot.contact_preferences
    document = {
        "customer": {
            "givenName": snapshot.given_name,
            "familyName": snapshot.family_name,
            "state": snapshot.state,
            "customerSince": _iso(snapshot.customer_since),
            "contactPreferences": None if prefs is None else {"email": prefs.email, "sms": prefs.sms},
        },
        "policies": [_policy(p) for p in snapshot.policies],
        "applications": [
            {
                "applicationId": a.application_id,
                "productId": a.product_id,
                "status": a.status,
                "submittedAt": _iso(a.submitted_at),
            }
            for a in snapshot.applications
        ],
    }
    return json.dumps(document, separators=(",", ":"))


def prompt(question: str, snapshot: CustomerSnapshot | None) -> tuple[ChatMessage, ...]:
    """The conversation sent to the model: the rules, the customer's data when one is named, the question."""
    context = () if snapshot is None else (ChatMessage("system", CUSTOMER_DATA + _snapshot_json(snapshot)),)
    return (ChatMessage("system", SYSTEM_PROMPT), *context, ChatMessage("user", question))
