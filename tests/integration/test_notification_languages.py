"""Notifications are written in the recipient's preferred language: the e-mail, the SMS and the
entry the customer reads at GET /me/notifications."""

from __future__ import annotations

import uuid

import pytest
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from tests.support.api import body_of
from tests.support.funnel import Funnel, outbox_message, signed_up

REGION = "us-east-1"


def _customer(stack, language: str | None, *, sms: bool = False) -> tuple[Funnel, str]:
    email = f"cliente-{uuid.uuid4().hex[:8]}@example.com"  # sent mail is found by its address
    funnel = signed_up(stack, email, sms=sms)
    if language is not None:
        profile = {
            "givenName": "Ana",
            "familyName": "Reyes",
            "phone": "+15125550100",
            "contactPreferences": {"email": True, "sms": sms},
            "preferredLanguage": language,
        }
        assert funnel.call("profile", "PUT", "/me", body=profile)["statusCode"] == 200
    return funnel, email


def _deliver(stack, funnel: Funnel, detail_type: str, entity_type: str, facts: dict) -> None:
    message = outbox_message(detail_type, funnel.sub, entity_type, uuid.uuid4().hex.upper()[:26], facts)
    assert stack.invoke("notifications", message) == {"batchItemFailures": []}


def _listed(funnel: Funnel) -> list[dict]:
    response = funnel.call("my_notifications", "GET", "/me/notifications")
    assert response["statusCode"] == 200
    return body_of(response)["items"]


def _mail_to(stack, address: str) -> list[tuple[str, str]]:
    account = stack.client("sts").get_caller_identity()["Account"]
    sent = ses_backends[account][REGION].sent_messages
    return [(m.subject, m.body) for m in sent if address in m.destinations.get("ToAddresses", [])]


def _sms(stack) -> list[str]:
    account = stack.client("sts").get_caller_identity()["Account"]
    return [text for _number, text in sns_backends[account][REGION].sms_messages.values()]


def test_a_customer_who_prefers_spanish_reads_the_policy_and_payment_notices_in_spanish(stack):
    funnel, email = _customer(stack, "es")
    _deliver(
        stack,
        funnel,
        "PolicyCreated",
        "policy",
        {"status": "PENDING_PAYMENT", "policyNumber": "TL-2026-ES01"},
    )
    _deliver(
        stack,
        funnel,
        "PaymentCreated",
        "payment",
        {"status": "SUCCEEDED", "amountCents": 123456, "currency": "USD", "policyNumber": "TL-2026-ES01"},
    )
    listed = _listed(funnel)
    assert [(n["kind"], n["language"]) for n in listed] == [
        ("payment_succeeded", "es"),
        ("policy_issued", "es"),
    ]
    payment, policy = listed
    assert payment["subject"] == "Recibimos su pago"
    assert payment["text"] == "Recibimos su pago de $1,234.56 para la póliza TL-2026-ES01. Gracias."
    assert policy["subject"] == "Póliza TL-2026-ES01 emitida"
    assert policy["text"].startswith("Su póliza TL-2026-ES01 fue emitida.")
    # What the portal lists is what the mail said.
    assert sorted(_mail_to(stack, email)) == sorted((n["subject"], n["text"]) for n in listed)


def test_a_customer_who_prefers_english_reads_them_in_english(stack):
    funnel, email = _customer(stack, "en")
    _deliver(
        stack,
        funnel,
        "PolicyCreated",
        "policy",
        {"status": "PENDING_PAYMENT", "policyNumber": "TL-2026-EN01"},
    )
    [policy] = _listed(funnel)
    assert (policy["language"], policy["subject"]) == ("en", "Policy TL-2026-EN01 issued")
    assert policy["text"].startswith("Your policy TL-2026-EN01 is issued.")
    assert _mail_to(stack, email) == [(policy["subject"], policy["text"])]


@pytest.mark.parametrize(
    ("update", "values"),
    [("REMOVE preferredLanguage", None), ("SET preferredLanguage = :l", {":l": {"S": "fr"}})],
    ids=["stored-before-languages", "a-language-we-do-not-speak"],
)
def test_a_profile_without_a_language_we_speak_is_written_to_in_english(stack, update, values):
    funnel, _ = _customer(stack, None)
    params = {"ExpressionAttributeValues": values} if values else {}
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["customers"],
        Key={"pk": {"S": f"CUSTOMER#{funnel.sub}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression=update,
        **params,
    )
    _deliver(
        stack,
        funnel,
        "RenewalReminderCreated",
        "renewal",
        {"daysBefore": 7, "termEnd": "2027-01-01", "policyNumber": "TL-1"},
    )
    [reminder] = _listed(funnel)
    assert reminder["language"] == "en" and reminder["subject"] == "Policy TL-1 renews in 7 days"
    assert "ends on January 1, 2027." in reminder["text"]


def test_the_sms_of_a_spanish_speaking_customer_is_in_spanish(stack):
    funnel, _ = _customer(stack, "es", sms=True)
    _deliver(
        stack,
        funnel,
        "RenewalReminderCreated",
        "renewal",
        {"daysBefore": 7, "termEnd": "2027-01-01", "policyNumber": "TL-2026-SMS1"},
    )
    expected = (
        "Su póliza TL-2026-SMS1 se renueva en 7 días: Su póliza TL-2026-SMS1 termina el 1 de enero de 2027."
    )
    assert any(text.startswith(expected) for text in _sms(stack)), _sms(stack)
    assert sorted(n["channel"] for n in _listed(funnel)) == ["email", "sms"]


def test_a_change_of_language_applies_to_what_is_sent_next_and_the_log_keeps_what_was_sent(stack):
    funnel, _ = _customer(stack, "en")
    _deliver(stack, funnel, "PolicyCreated", "policy", {"policyNumber": "TL-2026-CH01"})
    _customer_profile = {
        "givenName": "Ana",
        "familyName": "Reyes",
        "contactPreferences": {"email": True, "sms": False},
        "preferredLanguage": "es",
    }
    assert funnel.call("profile", "PUT", "/me", body=_customer_profile)["statusCode"] == 200
    _deliver(stack, funnel, "RefundCreated", "refund", {"amountCents": 5000, "policyNumber": "TL-2026-CH01"})
    assert [(n["kind"], n["language"], n["subject"]) for n in _listed(funnel)] == [
        ("refund_issued", "es", "Su reembolso está en camino"),
        ("policy_issued", "en", "Policy TL-2026-CH01 issued"),
    ]


def test_a_message_of_another_shape_fails_alone_and_the_rest_of_the_batch_is_sent(stack):
    funnel, email = _customer(stack, "es")
    good = outbox_message(
        "PolicyCreated", funnel.sub, "policy", "01JD8X3K9Q2M4N6P8R0T2V4W7A", {"policyNumber": "TL-2026-OK01"}
    )
    bad = outbox_message("PolicyCreated", funnel.sub, "policy", "01JD8X3K9Q2M4N6P8R0T2V4W7B")
    bad["Records"][0]["body"] = (
        '{"detail-type": "PolicyCreated", "detail": {"customerId": "x"}}'  # no eventId, no time
    )
    batch = {"Records": bad["Records"] + good["Records"]}
    result = stack.invoke("notifications", batch)
    assert result == {"batchItemFailures": [{"itemIdentifier": bad["Records"][0]["messageId"]}]}
    assert [n["subject"] for n in _listed(funnel)] == ["Póliza TL-2026-OK01 emitida"]
    assert _mail_to(stack, email) == [("Póliza TL-2026-OK01 emitida", _listed(funnel)[0]["text"])]
