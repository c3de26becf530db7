"""Which domain events a customer hears about, and what the message says.

Pure: an event's type and its non-personal facts in, a rendered message (or None) out.
Amounts are formatted here from integer cents; nothing personal is ever in the facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    kind: str  # stable name of the template, e.g. "application_approved"
    subject: str
    text: str


def money(cents: Any, currency: str = "USD") -> str:
    amount = int(cents or 0)
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{amount // 100:,}.{amount % 100:02d}"


def _ref(facts: Mapping[str, Any]) -> str:
    return str(facts.get("policyNumber") or facts.get("entityId") or "")


def render(detail_type: str, facts: Mapping[str, Any]) -> Message | None:
    status = facts.get("status")
    amount = money(facts.get("amountCents"), str(facts.get("currency") or "USD"))
    if detail_type == "ApplicationStatusChanged":
        if status == "APPROVED":
            return Message(
                "application_approved",
                "Your application is approved",
                "Good news: your application was approved. Sign in to review and accept your terms.",
            )
        if status == "DECLINED":
            reasons = " ".join(str(r) for r in facts.get("reasons") or [])
            return Message(
                "application_declined",
                "About your application",
                f"We are sorry: we cannot offer cover on this application. {reasons}".strip(),
            )
        if status == "REFERRED":
            return Message(
                "application_referred",
                "Your application is with an underwriter",
                "An underwriter is reviewing your application. We will write again when it is decided.",
            )
        return None
    if detail_type == "PolicyCreated":
        return Message(
            "policy_issued",
            f"Policy {_ref(facts)} issued",
            f"Your policy {_ref(facts)} is issued. Pay the first premium to start your cover; "
            "your policy document is in your account.",
        )
    if detail_type in {"PaymentCreated", "PaymentStatusChanged"}:
        if status == "SUCCEEDED":
            return Message(
                "payment_succeeded",
                "Payment received",
                f"We received your payment of {amount} for policy {_ref(facts)}. Thank you.",
            )
        if status == "FAILED":
            reason = facts.get("declineMessage") or "Your payment was declined."
            return Message(
                "payment_failed",
                "Your payment did not go through",
                f"Your payment of {amount} for policy {_ref(facts)} failed: {reason} "
                "Please update your payment method.",
            )
        return None
    if detail_type == "PolicyStatusChanged":
        if status == "CANCELLED":
            return Message(
                "policy_cancelled",
                f"Policy {_ref(facts)} cancelled",
                f"Your policy {_ref(facts)} is cancelled from {facts.get('effectiveDate', 'today')}.",
            )
        if status == "LAPSED":
            return Message(
                "policy_lapsed",
                f"Policy {_ref(facts)} has lapsed",
                f"Your renewal premium for policy {_ref(facts)} could not be collected, so the policy "
                "has lapsed. Contact us to reinstate it.",
            )
        return None
    if detail_type == "RefundCreated":
        return Message(
            "refund_issued",
            "Your refund is on its way",
            f"We refunded {amount} for the unused part of policy {_ref(facts)}.",
        )
    if detail_type == "RenewalReminderCreated":
        return Message(
            "renewal_due",
            f"Policy {_ref(facts)} renews in {facts.get('daysBefore')} days",
            f"Your policy {_ref(facts)} ends on {facts.get('termEnd')}. Renew it in your account "
            "to keep your cover without a gap.",
        )
    return None
