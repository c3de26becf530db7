"""The sales table's item shapes: entity <-> item for its repositories (``data.sales``,
``data.applications``), the only code that knows these attribute names.

``*_fields`` give an entity's own attributes (no keys, no index or outbox attributes); a
None value means "absent" (``to_item`` leaves it out, an update REMOVEs it). Items written
before an attribute existed read with its default. Some attributes are written twice on
purpose: ``amountCents``/``currency`` beside ``amount`` on payments and refunds are the
facts the outbox publishes, and a cancelled policy's ``effectiveDate`` sits at the top too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

from salesportal.domain.sales import (
    Address,
    Application,
    Cancellation,
    ChargeInFlight,
    Decision,
    Declarations,
    Decline,
    Identity,
    LateRefund,
    Money,
    Paid,
    Payment,
    PendingRefund,
    Policy,
    PremiumBreakdown,
    Quote,
    RatingStep,
    Refund,
    Reminder,
    Renewal,
    Risk,
    Term,
)

Item = Mapping[str, Any]


# -- values -----------------------------------------------------------------------------------
def money(value: Any, currency: str = "USD") -> Money:
    value = value or {}
    return Money(int(value.get("amountCents", 0)), str(value.get("currency") or currency))


def money_item(value: Money) -> dict[str, Any]:
    return {"amountCents": value.amount_cents, "currency": value.currency}


def instant(value: Any) -> datetime:
    stamp = datetime.fromisoformat(str(value))
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def _text(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _risk_factors(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()}


# -- quotes -----------------------------------------------------------------------------------
def quote_from_item(item: Item) -> Quote:
    breakdown = item.get("breakdown") or {}
    return Quote(
        quote_id=str(item["quoteId"]),
        customer_id=str(item.get("customerId", "")),
        product_id=str(item["productId"]),
        coverage_option_code=str(item["coverageOptionCode"]),
        state=str(item["state"]),
        monthly_premium=money(item["monthlyPremium"]),
        annual_premium=money(item["annualPremium"]),
        breakdown=PremiumBreakdown(
            base_monthly=money(breakdown.get("baseMonthly")),
            steps=tuple(
                RatingStep(str(s["name"]), str(s["factor"]), money(s["monthly"]))
                for s in breakdown.get("steps", [])
            ),
            premium_tax_monthly=money(breakdown.get("premiumTaxMonthly")),
            fee_monthly=money(breakdown.get("feeMonthly")),
        ),
        date_of_birth=day(item["dateOfBirth"]),
        risk_factors=_risk_factors(item.get("riskFactors")),
        created_at=instant(item["createdAt"]),
        expires_at=instant(item["expiresAt"]),
        application_id=item.get("applicationId"),
    )


def quote_fields(quote: Quote) -> dict[str, Any]:
    b = quote.breakdown
    return {
        "quoteId": quote.quote_id,
        "customerId": quote.customer_id,
        "productId": quote.product_id,
        "coverageOptionCode": quote.coverage_option_code,
        "state": quote.state,
        "monthlyPremium": money_item(quote.monthly_premium),
        "annualPremium": money_item(quote.annual_premium),
        "breakdown": {
            "baseMonthly": money_item(b.base_monthly),
            "steps": [
                {"name": s.name, "factor": s.factor, "monthly": money_item(s.monthly)} for s in b.steps
            ],
            "premiumTaxMonthly": money_item(b.premium_tax_monthly),
            "feeMonthly": money_item(b.fee_monthly),
        },
        "dateOfBirth": quote.date_of_birth.isoformat(),
        "riskFactors": dict(quote.risk_factors),
        "createdAt": quote.created_at.isoformat(),
        "expiresAt": quote.expires_at.isoformat(),
        "applicationId": quote.application_id,
    }


# -- applications -----------------------------------------------------------------------------
def _identity(value: Item) -> Identity:
    address = value.get("address") or {}
    return Identity(
        given_name=str(value["givenName"]),
        family_name=str(value["familyName"]),
        date_of_birth=day(value["dateOfBirth"]),
        ssn_last4=str(value["ssnLast4"]),
        address=Address(
            line1=str(address.get("line1", "")),
            line2=address.get("line2"),
            city=str(address.get("city", "")),
            state=str(address.get("state", "")),
            postal_code=str(address.get("postalCode", "")),
        ),
    )


def _identity_item(identity: Identity) -> dict[str, Any]:
    a = identity.address
    address = {
        "line1": a.line1,
        "line2": a.line2,
        "city": a.city,
        "state": a.state,
        "postalCode": a.postal_code,
    }
    return {
        "givenName": identity.given_name,
        "familyName": identity.family_name,
        "dateOfBirth": identity.date_of_birth.isoformat(),
        "ssnLast4": identity.ssn_last4,
        "address": {k: v for k, v in address.items() if v is not None},
    }


def _declarations(value: Item) -> Declarations:
    return Declarations(
        hospitalized_last_5_years=bool(value.get("hospitalizedLast5Years")),
        chronic_condition=bool(value.get("chronicCondition")),
        hazardous_activities=bool(value.get("hazardousActivities")),
        previously_declined=bool(value.get("previouslyDeclined")),
    )


def _declarations_item(d: Declarations) -> dict[str, Any]:
    return {
        "hospitalizedLast5Years": d.hospitalized_last_5_years,
        "chronicCondition": d.chronic_condition,
        "hazardousActivities": d.hazardous_activities,
        "previouslyDeclined": d.previously_declined,
    }


def decision_from_item(value: Item, currency: str = "USD") -> Decision:
    return Decision(
        outcome=value["outcome"],
        reasons=tuple(str(r) for r in value.get("reasons", [])),
        decided_by=str(value["decidedBy"]),
        decided_at=instant(value["decidedAt"]),
        adjustment_bps=int(value["adjustmentBps"]) if value.get("adjustmentBps") is not None else None,
        annual_premium=money(value["annualPremium"], currency) if value.get("annualPremium") else None,
        monthly_premium=money(value["monthlyPremium"], currency) if value.get("monthlyPremium") else None,
    )


def decision_item(decision: Decision) -> dict[str, Any]:
    item: dict[str, Any] = {
        "outcome": decision.outcome,
        "reasons": list(decision.reasons),
        "decidedBy": decision.decided_by,
        "decidedAt": decision.decided_at.isoformat(),
    }
    if decision.adjustment_bps is not None:
        item["adjustmentBps"] = decision.adjustment_bps
    if decision.annual_premium is not None:
        item["annualPremium"] = money_item(decision.annual_premium)
    if decision.monthly_premium is not None:
        item["monthlyPremium"] = money_item(decision.monthly_premium)
    return item


def _risk(value: Item) -> Risk:
    return Risk(
        identity_verified=bool(value.get("identityVerified")),
        identity_check_id=value.get("identityCheckId"),
        assessment_id=value.get("assessmentId"),
        score=int(value["score"]) if value.get("score") is not None else None,
        band=value.get("band"),
        reason_codes=tuple(str(c) for c in value.get("reasonCodes", [])),
    )


def risk_item(risk: Risk) -> dict[str, Any]:
    item = {
        "identityVerified": risk.identity_verified,
        "identityCheckId": risk.identity_check_id,
        "assessmentId": risk.assessment_id,
        "score": risk.score,
        "band": risk.band,
        "reasonCodes": list(risk.reason_codes),
    }
    return {k: v for k, v in item.items() if v is not None}


def application_from_item(item: Item) -> Application:
    quoted = money(item["quotedAnnualPremium"])
    return Application(
        application_id=str(item["applicationId"]),
        customer_id=str(item.get("customerId", "")),
        quote_id=str(item["quoteId"]),
        product_id=str(item["productId"]),
        coverage_option_code=str(item["coverageOptionCode"]),
        state=str(item["state"]),
        status=item["status"],
        quoted_annual_premium=quoted,
        quoted_monthly_premium=money(item["quotedMonthlyPremium"]),
        date_of_birth=day(item["dateOfBirth"]),
        risk_factors=_risk_factors(item.get("riskFactors")),
        identity=_identity(item["identity"]),
        declarations=_declarations(item.get("declarations") or {}),
        submitted_at=instant(item["submittedAt"]),
        updated_at=instant(item["updatedAt"]),
        decision=decision_from_item(item["decision"], quoted.currency) if item.get("decision") else None,
        risk=_risk(item["risk"]) if item.get("risk") else None,
        review_note=item.get("reviewNote"),
        policy_id=item.get("policyId"),
    )


def application_fields(application: Application) -> dict[str, Any]:
    a = application
    return {
        "applicationId": a.application_id,
        "customerId": a.customer_id,
        "quoteId": a.quote_id,
        "productId": a.product_id,
        "coverageOptionCode": a.coverage_option_code,
        "state": a.state,
        "status": a.status,
        "quotedAnnualPremium": money_item(a.quoted_annual_premium),
        "quotedMonthlyPremium": money_item(a.quoted_monthly_premium),
        "dateOfBirth": a.date_of_birth.isoformat(),
        "riskFactors": dict(a.risk_factors),
        "identity": _identity_item(a.identity),
        "declarations": _declarations_item(a.declarations),
        "submittedAt": a.submitted_at.isoformat(),
        "updatedAt": a.updated_at.isoformat(),
        "decision": decision_item(a.decision) if a.decision else None,
        # An event fact beside the decision: what the notification quotes.
        "reasons": list(a.decision.reasons) if a.decision else None,
        "risk": risk_item(a.risk) if a.risk else None,
        "reviewNote": a.review_note,
        "policyId": a.policy_id,
    }


# -- policies ---------------------------------------------------------------------------------
def _term(value: Item) -> Term:
    return Term(day(value["termStart"]), day(value["termEnd"]))


def _paid(value: Item) -> Paid | None:
    if not value.get("paymentIntentId"):
        return None
    return Paid(str(value["paymentIntentId"]), int(value.get("paidCents", 0)))


def _renewal(value: Item, policy: Item) -> Renewal:
    currency = money(policy.get("annualPremium")).currency
    return Renewal(
        term=_term(value),
        annual_premium=money(value["annualPremium"], currency),
        # Renewals stored before their monthly premium was kept: the term's own.
        monthly_premium=money(value.get("monthlyPremium") or policy.get("monthlyPremium"), currency),
        status=value["status"],
        requested_at=instant(value.get("requestedAt") or policy.get("updatedAt")),
        attempts=int(value.get("attempts", 0)),
        last_attempt_on=day(value["lastAttemptOn"]) if value.get("lastAttemptOn") else None,
        paid=_paid(value),
    )


def _renewal_item(renewal: Renewal) -> dict[str, Any]:
    item: dict[str, Any] = {
        "termStart": renewal.term.start.isoformat(),
        "termEnd": renewal.term.end.isoformat(),
        "annualPremium": money_item(renewal.annual_premium),
        "monthlyPremium": money_item(renewal.monthly_premium),
        "status": renewal.status,
        "attempts": renewal.attempts,
        "requestedAt": renewal.requested_at.isoformat(),
    }
    if renewal.last_attempt_on is not None:
        item["lastAttemptOn"] = renewal.last_attempt_on.isoformat()
    if renewal.paid is not None:
        item["paidCents"] = renewal.paid.cents
        item["paymentIntentId"] = renewal.paid.payment_id
    return item


def _cancellation(value: Item, currency: str) -> Cancellation:
    pending = value.get("pendingRefund")
    return Cancellation(
        effective_date=day(value["effectiveDate"]),
        reason=str(value["reason"]),
        refund=money(value.get("refund"), currency),
        requested_at=instant(value["requestedAt"]),
        note=value.get("note"),
        pending_refund=PendingRefund(money(pending, currency), str(pending["paymentId"]))
        if pending
        else None,
    )


def _cancellation_item(c: Cancellation) -> dict[str, Any]:
    item: dict[str, Any] = {
        "effectiveDate": c.effective_date.isoformat(),
        "reason": c.reason,
        "refund": money_item(c.refund),
        "requestedAt": c.requested_at.isoformat(),
    }
    if c.note:
        item["note"] = c.note
    if c.pending_refund is not None:
        item["pendingRefund"] = {
            **money_item(c.pending_refund.amount),
            "paymentId": c.pending_refund.payment_id,
        }
    return item


def _charge(value: Item) -> ChargeInFlight:
    return ChargeInFlight(
        gateway_key=str(value["gatewayKey"]),
        client_key=str(value["clientKey"]),
        purpose=value["purpose"],
        term=_term(value),
        amount=money(value, str(value.get("currency") or "USD")),
        payment_method=str(value["paymentMethod"]),
        description=str(value.get("description", "")),
        actor=str(value.get("actor", "")),
        started_at=instant(value["startedAt"]),
        payment_id=value.get("paymentId"),
    )


def charge_item(charge: ChargeInFlight) -> dict[str, Any]:
    item: dict[str, Any] = {
        "gatewayKey": charge.gateway_key,
        "clientKey": charge.client_key,
        "purpose": charge.purpose,
        "termStart": charge.term.start.isoformat(),
        "termEnd": charge.term.end.isoformat(),
        "amountCents": charge.amount.amount_cents,
        "currency": charge.amount.currency,
        "paymentMethod": charge.payment_method,
        "description": charge.description,
        "actor": charge.actor,
        "startedAt": charge.started_at.isoformat(),
    }
    if charge.payment_id:
        item["paymentId"] = charge.payment_id
    return item


def policy_from_item(item: Item) -> Policy:
    annual = money(item["annualPremium"])
    return Policy(
        policy_id=str(item["policyId"]),
        customer_id=str(item.get("customerId", "")),
        policy_number=str(item["policyNumber"]),
        application_id=str(item.get("applicationId", item["policyId"])),
        quote_id=str(item.get("quoteId", "")),
        product_id=str(item["productId"]),
        coverage_option_code=str(item["coverageOptionCode"]),
        state=str(item.get("state", "")),
        status=item["status"],
        term=_term(item),
        annual_premium=annual,
        monthly_premium=money(item.get("monthlyPremium"), annual.currency),
        date_of_birth=day(item["dateOfBirth"]),
        risk_factors=_risk_factors(item.get("riskFactors")),
        issued_at=instant(item["issuedAt"]),
        updated_at=instant(item.get("updatedAt") or item["issuedAt"]),
        premium_adjustment_bps=int(item.get("premiumAdjustmentBps", 0)),
        document_status=item.get("documentStatus", "PENDING"),
        document_key=item.get("documentKey"),
        paid=_paid(item),
        payment_method=item.get("paymentMethod"),
        renewal=_renewal(item["renewal"], item) if item.get("renewal") else None,
        cancellation=_cancellation(item["cancellation"], annual.currency)
        if item.get("cancellation")
        else None,
        charge=_charge(item["chargeInFlight"]) if item.get("chargeInFlight") else None,
        reminders_sent=frozenset(int(d) for d in item.get("remindersSent") or ()),
    )


def policy_fields(policy: Policy) -> dict[str, Any]:
    p = policy
    return {
        "policyId": p.policy_id,
        "customerId": p.customer_id,
        "policyNumber": p.policy_number,
        "applicationId": p.application_id,
        "quoteId": p.quote_id,
        "productId": p.product_id,
        "coverageOptionCode": p.coverage_option_code,
        "state": p.state,
        "status": p.status,
        "termStart": p.term.start.isoformat(),
        "termEnd": p.term.end.isoformat(),
        "annualPremium": money_item(p.annual_premium),
        "monthlyPremium": money_item(p.monthly_premium),
        "premiumAdjustmentBps": p.premium_adjustment_bps,
        "documentStatus": p.document_status,
        "documentKey": p.document_key,
        "dateOfBirth": p.date_of_birth.isoformat(),
        "riskFactors": dict(p.risk_factors),
        "issuedAt": p.issued_at.isoformat(),
        "updatedAt": p.updated_at.isoformat(),
        "paidCents": p.paid.cents if p.paid else None,
        "paymentIntentId": p.paid.payment_id if p.paid else None,
        "paymentMethod": p.payment_method,
        "renewal": _renewal_item(p.renewal) if p.renewal else None,
        "cancellation": _cancellation_item(p.cancellation) if p.cancellation else None,
        "effectiveDate": _text(p.cancellation.effective_date) if p.cancellation else None,
        "chargeInFlight": charge_item(p.charge) if p.charge else None,
        "remindersSent": set(p.reminders_sent) or None,
    }


# -- payments, refunds, reminders -------------------------------------------------------------
def payment_from_item(item: Item) -> Payment:
    amount = money(item.get("amount") or item, str(item.get("currency") or "USD"))
    late = None
    if item.get("refundId") and item.get("status") == "REFUNDED":
        late = LateRefund(
            str(item["refundId"]),
            int(item.get("refundedCents", amount.amount_cents)),
            cast(Any, item.get("refundReason") or "not_due"),
        )
    decline = None
    if item.get("declineCode") or item.get("declineMessage"):
        decline = Decline(str(item.get("declineCode") or "declined"), str(item.get("declineMessage") or ""))
    return Payment(
        payment_id=str(item["paymentId"]),
        policy_id=str(item.get("policyId", "")),
        customer_id=str(item.get("customerId", "")),
        status=item["status"],
        purpose=item["purpose"],
        amount=amount,
        policy_number=str(item.get("policyNumber", "")),
        term=_term(item),
        created_at=instant(item["createdAt"]),
        gateway_key=item.get("gatewayKey"),
        payment_method=item.get("paymentMethod"),
        decline=decline,
        settled_at=instant(item["settledAt"]) if item.get("settledAt") else None,
        late_refund=late,
    )


def payment_fields(payment: Payment) -> dict[str, Any]:
    p = payment
    return {
        "paymentId": p.payment_id,
        "policyId": p.policy_id,
        "customerId": p.customer_id,
        "status": p.status,
        "purpose": p.purpose,
        "amount": money_item(p.amount),
        "amountCents": p.amount.amount_cents,  # event facts: what the notification quotes
        "currency": p.amount.currency,
        "policyNumber": p.policy_number,
        "termStart": p.term.start.isoformat(),
        "termEnd": p.term.end.isoformat(),
        "createdAt": p.created_at.isoformat(),
        "gatewayKey": p.gateway_key,
        "paymentMethod": p.payment_method,
        "declineCode": p.decline.code if p.decline else None,
        "declineMessage": p.decline.message if p.decline else None,
        "settledAt": _text(p.settled_at),
        "refundId": p.late_refund.refund_id if p.late_refund else None,
        "refundedCents": p.late_refund.cents if p.late_refund else None,
        "refundReason": p.late_refund.reason if p.late_refund else None,
    }


def refund_from_item(item: Item) -> Refund:
    return Refund(
        refund_id=str(item["refundId"]),
        policy_id=str(item.get("policyId", "")),
        customer_id=str(item.get("customerId", "")),
        payment_id=str(item["paymentIntentId"]),
        status=str(item.get("status", "")),
        reason=str(item.get("reason", "")),
        amount=money(item.get("amount") or item, str(item.get("currency") or "USD")),
        policy_number=str(item.get("policyNumber", "")),
        created_at=instant(item["createdAt"]),
    )


def refund_fields(refund: Refund) -> dict[str, Any]:
    r = refund
    return {
        "refundId": r.refund_id,
        "policyId": r.policy_id,
        "customerId": r.customer_id,
        "paymentIntentId": r.payment_id,
        "status": r.status,
        "reason": r.reason,
        "amount": money_item(r.amount),
        "amountCents": r.amount.amount_cents,
        "currency": r.amount.currency,
        "policyNumber": r.policy_number,
        "createdAt": r.created_at.isoformat(),
    }


def reminder_fields(reminder: Reminder) -> dict[str, Any]:
    return {
        "policyId": reminder.policy_id,
        "customerId": reminder.customer_id,
        "policyNumber": reminder.policy_number,
        "status": "DUE",  # the event's fact: the renewal premium is due
        "termEnd": reminder.term_end.isoformat(),
        "daysBefore": reminder.days_before,
    }
