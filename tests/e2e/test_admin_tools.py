"""Admin tools over the offline stack: roles changed by an admin are in the user's next
token; the audit trail shows who changed a user, a customer and a policy, with personal
fields masked."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
import pytest

from tests.e2e.test_sales_funnel import _apply, _status, eventually

pytestmark = pytest.mark.e2e


def _groups(token: str) -> list[str]:
    return sorted(jwt.decode(token, options={"verify_signature": False}).get("cognito:groups", []))


ACTIVATED = {"field": "status", "before": "PENDING_PAYMENT", "after": "ACTIVE"}


def _audit(local_stack, entity: str, wanted: int, until: Any = None) -> list[dict[str, Any]]:
    """The entity's trail once it holds ``wanted`` records (and one matching ``until``)."""

    def probe():
        response = local_stack.request("GET", "/admin/audit", role="admin", params={"entity": entity})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        enough = len(items) >= wanted and (until is None or any(until(e) for e in items))
        return items if enough else None

    return eventually(probe, what=f"{wanted} audit records of {entity}")


def test_an_admin_grants_a_role_and_the_users_next_token_carries_it(local_stack):
    email, password = local_stack.new_customer(f"promoted-{uuid.uuid4().hex[:6]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    assert _groups(token) == ["customers"]
    user_id = local_stack.request("GET", "/me", token=token).json()["customerId"]
    assert local_stack.request("GET", "/customers", token=token).status_code == 403

    admin_id = local_stack.request("GET", "/me", role="admin").json()["customerId"]
    changed = local_stack.request(
        "PUT", f"/admin/users/{user_id}/roles", role="admin", json={"groups": ["customers", "agents"]}
    )
    assert changed.status_code == 200, changed.text
    fresh = local_stack.sign_in(email, password)["IdToken"]
    assert _groups(fresh) == ["agents", "customers"]
    assert local_stack.request("GET", "/customers", token=fresh).status_code == 200

    history = _audit(local_stack, f"user#{user_id}", 2)
    latest = history[0]  # newest first
    assert latest["actor"] == f"admin:{admin_id}" and latest["action"] == "updated"
    assert {"field": "groups", "before": ["customers"], "after": ["agents", "customers"]} in latest["changes"]
    assert (
        local_stack.request(
            "GET", "/admin/audit", role="agent", params={"entity": f"user#{user_id}"}
        ).status_code
        == 403
    )


def test_the_audit_trail_of_a_customer_and_a_policy_names_actors_and_masks_personal_data(local_stack):
    email, password = local_stack.new_customer(f"audited-{uuid.uuid4().hex[:6]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]

    def customer(method: str, path: str, **kwargs: Any) -> Any:
        return local_stack.request(method, path, token=token, **kwargs)

    profile = {"givenName": "Ines", "familyName": "Audit", "phone": "+15125550177"}
    assert customer("PUT", "/me", json=profile).status_code == 200
    customer_id = customer("GET", "/me").json()["customerId"]
    updated = next(e for e in _audit(local_stack, f"customer#{customer_id}", 2) if e["action"] == "updated")
    assert updated["actor"] == f"customer:{customer_id}"
    changes = {c["field"]: c for c in updated["changes"]}
    assert changes["givenName"]["after"] == "***" and changes["phone"]["after"] == "***"

    application_id = _apply(customer)
    _status(customer, application_id, "APPROVED")
    policy = customer("POST", f"/applications/{application_id}/acceptance").json()
    paid = customer(
        "POST",
        f"/policies/{policy['policyId']}/payments",
        json={"paymentMethod": "tok_visa"},
        headers={"Idempotency-Key": f"e2e-{uuid.uuid4().hex}"},
    )
    assert paid.status_code == 201, paid.text
    # The payment claims the policy first (one charge in flight), then activates it: wait for that.
    trail = _audit(local_stack, f"policy#{policy['policyId']}", 2, until=lambda e: ACTIVATED in e["changes"])
    assert trail[-1]["action"] == "created" and trail[-1]["actor"] == f"customer:{customer_id}"
    activated = next(e for e in trail if ACTIVATED in e["changes"])
    assert activated["actor"] == f"customer:{customer_id}"
    assert "+15125550177" not in str(trail) and "Ines" not in str(trail)
