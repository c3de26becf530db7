"""Steps of the sales funnel, driven through the handlers as API Gateway and the queues would.

In-process tests have no stream runner: ``outbox_message`` builds the SQS message the
outbox → EventBridge → queue path delivers, so each worker is invoked exactly as on AWS.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.support import gateway
from tests.support.api import body_of, claims
from tests.support.lambdas import sample_event

AGENT = claims("5d2c7e9a-1b3f-4a6c-8e0d-7f9b2a4c6e81", "agents")
QUOTE_REQUEST = json.loads(sample_event("quotes", "create_quote")["body"])
APPLICATION_REQUEST = json.loads(sample_event("applications", "submit_application")["body"])


def outbox_message(
    detail_type: str,
    customer_id: str,
    entity_type: str,
    entity_id: str,
    facts: dict[str, Any] | None = None,
    *,
    receive_count: int = 1,
) -> dict[str, Any]:
    detail = {
        "eventId": uuid.uuid4().hex,
        "entityType": entity_type,
        "entityId": entity_id,
        "action": "created",
        "actor": f"customer:{customer_id}",
        "changedFields": [],
        "occurredAt": datetime.now(UTC).isoformat(),
        "customerId": customer_id,
        "facts": facts or {},
    }
    body = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "salesportal",
        "detail": detail,
    }
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "handle",
                "body": json.dumps(body),
                "attributes": {"ApproximateReceiveCount": str(receive_count)},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:salesportal-queue",
                "awsRegion": "us-east-1",
            }
        ]
    }


def failed_ids(result: dict[str, Any]) -> list[str]:
    return [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]


@dataclass
class Funnel:
    stack: Any
    sub: str = field(default_factory=lambda: str(uuid.uuid4()))  # a customer of its own

    @property
    def caller(self) -> dict[str, str]:
        return claims(self.sub)

    def call(
        self,
        function: str,
        method: str,
        path: str,
        resource: str | None = None,
        params: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """``method path`` through the stage's routing, which must reach ``function`` (and, when
        named, ``resource`` with ``params``)."""
        found = gateway.route(method, path)
        if found is not None and resource is not None:
            assert (found[0].resource, found[1]) == (resource, params or {}), (method, path, found)
        result: dict[str, Any] = gateway.request(
            self.stack.invoke,
            method,
            path,
            function=function,
            caller=kwargs.pop("caller", self.caller),
            **kwargs,
        )
        return result

    def quote(self, **overrides: Any) -> dict[str, Any]:
        response = self.call("quotes", "POST", "/quotes", body={**QUOTE_REQUEST, **overrides})
        assert response["statusCode"] == 201, response
        return body_of(response)  # type: ignore[no-any-return]

    def apply(
        self,
        quote_id: str,
        *,
        declarations: dict[str, bool] | None = None,
        identity: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        body = copy.deepcopy(APPLICATION_REQUEST)
        body["quoteId"] = quote_id
        body["declarations"].update(declarations or {})
        body["identity"].update(identity or {})
        return self.call("applications", "POST", "/applications", body=body)

    def application(self, application_id: str) -> dict[str, Any]:
        response = self.call(
            "applications",
            "GET",
            f"/applications/{application_id}",
            "/applications/{applicationId}",
            {"applicationId": application_id},
        )
        return body_of(response)  # type: ignore[no-any-return]

    def underwrite(self, application_id: str, *, receive_count: int = 1) -> dict[str, Any]:
        result: dict[str, Any] = self.stack.invoke(
            "underwriting",
            outbox_message(
                "ApplicationCreated", self.sub, "application", application_id, receive_count=receive_count
            ),
        )
        return result

    def accept(self, application_id: str) -> dict[str, Any]:
        return self.call(
            "applications",
            "POST",
            f"/applications/{application_id}/acceptance",
            "/applications/{applicationId}/acceptance",
            {"applicationId": application_id},
        )

    def approved_application(self, **quote_overrides: Any) -> str:
        application = body_of(self.apply(self.quote(**quote_overrides)["quoteId"]))
        assert self.underwrite(application["applicationId"]) == {"batchItemFailures": []}
        assert self.application(application["applicationId"])["status"] == "APPROVED"
        return str(application["applicationId"])

    def issued_policy(self) -> dict[str, Any]:
        response = self.accept(self.approved_application())
        assert response["statusCode"] == 201, response
        return body_of(response)  # type: ignore[no-any-return]

    def policy(self, policy_id: str) -> dict[str, Any]:
        response = self.call(
            "policies", "GET", f"/policies/{policy_id}", "/policies/{policyId}", {"policyId": policy_id}
        )
        return body_of(response)  # type: ignore[no-any-return]

    def pay(self, policy_id: str, token: str, key: str) -> dict[str, Any]:
        return self.call(
            "payments",
            "POST",
            f"/policies/{policy_id}/payments",
            "/policies/{policyId}/payments",
            {"policyId": policy_id},
            body={"paymentMethod": token},
            headers={"Idempotency-Key": key},
        )

    def cancel(self, policy_id: str, **body: Any) -> dict[str, Any]:
        return self.call(
            "payments",
            "POST",
            f"/policies/{policy_id}/cancellation",
            "/policies/{policyId}/cancellation",
            {"policyId": policy_id},
            body={"reason": "NO_LONGER_NEEDED", **body},
        )

    def active_policy(self) -> dict[str, Any]:
        policy = self.issued_policy()
        response = self.pay(policy["policyId"], "tok_visa", f"key-{uuid.uuid4().hex[:12]}")
        assert response["statusCode"] == 201, response
        return self.policy(policy["policyId"])


def signed_up(stack: Any, email: str, *, sms: bool = False) -> Funnel:
    """A customer confirmed through the post-confirmation trigger, with contact preferences set."""
    cognito = stack.client("cognito-idp")
    pool = stack.physical.user_pool_id
    user = cognito.admin_create_user(UserPoolId=pool, Username=email)["User"]
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    event = copy.deepcopy(sample_event("post_confirmation", "confirm_sign_up"))
    event.update(userPoolId=pool, userName=user["Username"])
    event["request"]["userAttributes"].update(sub=sub, email=email)
    stack.invoke("post_confirmation", event)
    funnel = Funnel(stack, sub)
    profile = {
        "givenName": "Dana",
        "familyName": "Rivera",
        "phone": "+15125550100",
        "contactPreferences": {"email": True, "sms": sms},
    }
    assert funnel.call("profile", "PUT", "/me", body=profile)["statusCode"] == 200
    return funnel
