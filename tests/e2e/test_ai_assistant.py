"""The AI assistant over HTTP: an agent asks about a customer, polls, reads an answer built
from that customer's data; another agent cannot read it. Customer reads for staff."""

from __future__ import annotations

import uuid

import pytest

from infrastructure.local.users import random_password
from tests.e2e.test_sales_funnel import eventually

pytestmark = pytest.mark.e2e


def _me(local_stack, role):
    return local_stack.request("GET", "/me", role=role).json()


def test_an_agent_asks_about_a_customer_and_reads_the_answer(local_stack):
    customer_id = _me(local_stack, "customer")["customerId"]
    asked = local_stack.request(
        "POST",
        "/ai/queries",
        role="agent",
        json={"question": "What does this customer hold?", "customerId": customer_id},
    )
    assert asked.status_code == 202, asked.text
    location = asked.headers["Location"].removeprefix("/v1")

    def done():
        query = local_stack.request("GET", location, role="agent").json()
        return query if query["status"] in ("SUCCEEDED", "FAILED") else None

    answered = eventually(done, what="the AI answer")
    assert answered["status"] == "SUCCEEDED", answered
    given = _me(local_stack, "customer").get("givenName")
    assert answered["answer"].startswith(f"{given} ") and "policies" in answered["answer"]

    email, password = f"agent-{uuid.uuid4().hex[:6]}@example.com", random_password()
    created = local_stack.http.post(
        f"{local_stack.info['control_url']}/users",
        json={"email": email, "password": password, "groups": ["agents"]},
    )
    assert created.status_code == 201
    other_agent = local_stack.sign_in(email, password)["IdToken"]
    assert local_stack.request("GET", location, token=other_agent).status_code == 404
    assert local_stack.request("GET", location, role="admin").status_code == 200
    assert local_stack.request("GET", location, role="customer").status_code == 403


def test_staff_list_customers_and_customers_cannot(local_stack):
    listed = local_stack.request("GET", "/customers?limit=5", role="agent")
    assert listed.status_code == 200 and listed.json()["items"]
    assert local_stack.request("GET", "/customers", role="customer").status_code == 403
