"""Races on the offline stack: requests released at the same instant (threads behind a
barrier), each on its own connection, reach concurrent invocations of one function, as on
Lambda. What must hold whatever the interleaving: one charge kept per premium due, one
policy per application, one account per beneficiary, never more wrong guesses than the limit.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import fresh_address
from tests.e2e.test_sales_funnel import IDENTITY as FUNNEL_IDENTITY
from tests.e2e.test_sales_funnel import NO, QUOTE, eventually

pytestmark = pytest.mark.e2e

IDENTITY = {**FUNNEL_IDENTITY, "givenName": "Rae", "familyName": "Quinn"}
LINK_LIMIT = 5  # failures per account and per beneficiary in the window (the handler's rule)
RACERS = 4  # requests released together: the offline stack's concurrency per function


def at_once(local_stack, calls: list[Callable[[httpx.Client], httpx.Response]]) -> list[httpx.Response]:
    """Run every call at the same instant, each on its own connection (one caller's address,
    so no other test's traffic counts against its rate limit)."""
    barrier = threading.Barrier(len(calls))
    address = fresh_address()
    clients = [local_stack.client_from(address) for _ in calls]
    for client in clients:
        client.get(f"{local_stack.info['control_url']}/health")  # connected before the start

    def run(index: int) -> httpx.Response:
        barrier.wait(timeout=60)
        return calls[index](clients[index])

    try:
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(run, range(len(calls))))
    finally:
        for client in clients:
            client.close()


class Customer:
    def __init__(self, local_stack, label: str) -> None:
        email, password = local_stack.new_customer(f"race-{label}-{uuid.uuid4().hex[:8]}@example.com")
        self.token = local_stack.sign_in(email, password)["IdToken"]
        self.stack = local_stack

    def __call__(
        self, method: str, path: str, http: httpx.Client | None = None, **kwargs: Any
    ) -> httpx.Response:
        return self.stack.request(method, path, token=self.token, http=http, **kwargs)

    def approved_application(self) -> str:
        quote = self("POST", "/quotes", json=QUOTE)
        assert quote.status_code == 201, quote.text
        body = {
            "quoteId": quote.json()["quoteId"],
            "identity": IDENTITY,
            "declarations": NO,
            "consentToChecks": True,
        }
        applied = self("POST", "/applications", json=body)
        assert applied.status_code == 202, applied.text
        application_id = applied.json()["applicationId"]
        eventually(
            lambda: self("GET", f"/applications/{application_id}").json()["status"] == "APPROVED",
            what="the application's approval",
        )
        return str(application_id)

    def policy(self) -> str:
        accepted = self("POST", f"/applications/{self.approved_application()}/acceptance")
        assert accepted.status_code == 201, accepted.text
        return str(accepted.json()["policyId"])


def _ledger(local_stack, policy_id: str) -> list[dict[str, Any]]:
    """The payment gateway's charges for this policy."""
    ledger = httpx.get(f"{local_stack.info['standins']['control_url']}/ledger").json()
    return [i for i in ledger["paymentIntents"] if i["metadata"].get("policyId") == policy_id]


def _kept(local_stack, policy_id: str) -> list[int]:
    """What the payment gateway keeps of each charge for this policy (charged minus refunded)."""
    return [
        intent["amount"] - intent["amount_refunded"]
        for intent in _ledger(local_stack, policy_id)
        if intent["status"] == "succeeded" and intent["amount"] > intent["amount_refunded"]
    ]


def _pay(
    customer: Customer, policy_id: str, key: str, method: str = "tok_visa"
) -> Callable[[httpx.Client], httpx.Response]:
    return lambda http: customer(
        "POST",
        f"/policies/{policy_id}/payments",
        http=http,
        json={"paymentMethod": method},
        headers={"Idempotency-Key": key},
    )


@pytest.fixture(scope="module")
def customer(local_stack) -> Customer:
    return Customer(local_stack, "pay")


@pytest.mark.parametrize("round_", range(2))  # two policies: each race is another interleaving
def test_payments_with_different_keys_at_once_keep_one_charge(local_stack, customer, round_):
    # RACERS requests with their own keys, as many invocations of the payments function at once.
    policy_id = customer.policy()
    answers = at_once(
        local_stack, [_pay(customer, policy_id, f"race-{uuid.uuid4().hex}") for _ in range(RACERS)]
    )
    assert all(a.status_code < 500 for a in answers), [a.text for a in answers]
    succeeded = [a.json() for a in answers if a.status_code == 201 and a.json()["status"] == "SUCCEEDED"]
    assert len(succeeded) == 1, [a.text for a in answers]
    assert customer("GET", f"/policies/{policy_id}").json()["status"] == "ACTIVE"
    # A second charge, had one been taken, must have been refunded before its answer.
    assert _kept(local_stack, policy_id) == [succeeded[0]["amount"]["amountCents"]], _ledger(
        local_stack, policy_id
    )


def test_an_asynchronous_and_a_card_payment_at_once_keep_one_charge(local_stack, customer):
    # A payment the gateway settles later (webhook) racing a card payment with another key.
    policy_id = customer.policy()
    answers = at_once(
        local_stack,
        [
            _pay(customer, policy_id, f"race-{uuid.uuid4().hex}", "tok_async"),
            _pay(customer, policy_id, f"race-{uuid.uuid4().hex}", "tok_visa"),
        ],
    )
    assert all(a.status_code < 500 for a in answers), [a.text for a in answers]
    eventually(
        lambda: customer("GET", f"/policies/{policy_id}").json()["status"] == "ACTIVE", what="the cover"
    )
    # Once the webhook has settled everything, the gateway keeps one premium.
    eventually(
        lambda: not any(i["status"] == "processing" for i in _ledger(local_stack, policy_id)),
        what="the asynchronous charge to settle",
    )
    try:
        eventually(lambda: len(_kept(local_stack, policy_id)) == 1, what="one charge kept")
    except AssertionError:
        charges = [
            (i["id"], i["payment_method"], i["status"], i["amount"], i["amount_refunded"])
            for i in _ledger(local_stack, policy_id)
        ]
        pytest.fail(
            f"kept {_kept(local_stack, policy_id)} of charges {charges}; answers {[a.text for a in answers]}"
        )


def test_the_same_key_at_once_charges_once(local_stack, customer):
    # RACERS requests carrying one Idempotency-Key (a client retrying before its answer came).
    policy_id = customer.policy()
    key = f"race-{uuid.uuid4().hex}"
    answers = at_once(local_stack, [_pay(customer, policy_id, key) for _ in range(RACERS)])
    assert all(a.status_code < 500 for a in answers), [a.text for a in answers]
    paid = [a.json() for a in answers if a.status_code == 201]
    assert paid, [a.text for a in answers]
    assert all(p["paymentId"] == paid[0]["paymentId"] for p in paid)  # one payment, replayed
    assert _kept(local_stack, policy_id) == [paid[0]["amount"]["amountCents"]], _ledger(
        local_stack, policy_id
    )


def test_acceptances_of_one_application_at_once_issue_one_policy(local_stack, customer):
    # RACERS acceptances of one approved application, released together.
    application_id = customer.approved_application()
    answers = at_once(
        local_stack,
        [
            lambda http: customer("POST", f"/applications/{application_id}/acceptance", http=http)
            for _ in range(RACERS)
        ],
    )
    assert all(a.status_code < 500 for a in answers), [a.text for a in answers]
    issued = {a.json()["policyId"] for a in answers if a.status_code in (200, 201)}
    assert len(issued) == 1, [a.text for a in answers]
    policies = customer("GET", "/policies").json()["items"]
    assert [p["policyId"] for p in policies if p.get("applicationId") == application_id] == list(issued)


@pytest.fixture(scope="module")
def beneficiaries(local_stack) -> list[dict[str, str]]:
    """Beneficiaries of this module only (locking one by guessing must not touch other tests),
    arriving as production's do: a delta file in the plan inbox, synced by the schedule."""
    people = {
        f"B-R{uuid.uuid4().hex[:8].upper()}": {"lastName": name, "birthDate": "1950-01-0" + str(i + 1)}
        for i, name in enumerate(("Ames", "Baker", "Cole"))
    }
    lines = [
        {
            "entity": "beneficiary",
            "op": "upsert",
            "data": {
                "beneficiary_id": beneficiary_id,
                "fname": "Pat",
                "lname": facts["lastName"],
                "sex": "F",
                "ssn": f"123-45-{6780 + i}",
                "birthdate": facts["birthDate"],
                "address": "1 Main St",
                "city": "Austin",
                "state": "TX",
                "zip_code": "78701",
            },
        }
        for i, (beneficiary_id, facts) in enumerate(people.items())
    ]
    for i, facts in enumerate(people.values()):
        facts["ssnLast4"] = str(6780 + i)
    local_stack.aws("s3").put_object(
        Bucket=local_stack.info["buckets"]["plan-inbox"],
        Key=f"incoming/race-{uuid.uuid4().hex}.jsonl",
        Body="\n".join(json.dumps(line) for line in lines).encode(),
    )
    fired = local_stack.http.post(f"{local_stack.info['control_url']}/schedules/plan-delta-sync", timeout=120)
    assert fired.status_code == 200, fired.text
    return [{"beneficiaryId": beneficiary_id, **facts} for beneficiary_id, facts in people.items()]


def _link(customer: Customer, body: dict[str, str]) -> Callable[[httpx.Client], httpx.Response]:
    return lambda http: customer("POST", "/me/beneficiary-link", http=http, json=body)


def test_two_accounts_linking_one_beneficiary_at_once_link_one(local_stack, beneficiaries):
    # 2 accounts, 2 concurrent invocations of the link function, both with the right facts.
    body = beneficiaries[0]
    first, second = Customer(local_stack, "link-a"), Customer(local_stack, "link-b")
    answers = at_once(local_stack, [_link(first, body), _link(second, body)])
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 403], [a.text for a in answers]


def test_wrong_guesses_at_once_never_exceed_the_limit(local_stack, beneficiaries):
    # One account, 12 wrong guesses released together (4 run at once: the function's
    # concurrency), each reserving its attempt before it is judged.
    body = beneficiaries[1]
    guesser = Customer(local_stack, "guess")
    wrong = [{**body, "ssnLast4": f"{n:04d}"} for n in range(12)]
    answers = at_once(local_stack, [_link(guesser, guess) for guess in wrong])
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {403, 429}, [a.text for a in answers]
    assert statuses.count(403) <= LINK_LIMIT, statuses
    assert statuses.count(429) >= len(wrong) - LINK_LIMIT
    # The limit holds for the right answer too, until the window ends.
    assert guesser("POST", "/me/beneficiary-link", json=body).status_code == 429


def test_wrong_guesses_from_many_accounts_at_once_never_exceed_one_beneficiarys_limit(
    local_stack, beneficiaries
):
    # 4 accounts x 3 wrong guesses each, 12 requests released together at one beneficiary.
    body = beneficiaries[2]
    guessers = [Customer(local_stack, f"many-{n}") for n in range(4)]
    calls = [
        _link(guesser, {**body, "ssnLast4": f"{9000 + 10 * g + n}"})
        for g, guesser in enumerate(guessers)
        for n in range(3)
    ]
    statuses = [a.status_code for a in at_once(local_stack, calls)]
    assert set(statuses) <= {403, 429}, statuses
    assert statuses.count(403) <= LINK_LIMIT, statuses
