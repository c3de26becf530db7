"""E2E fixtures: one offline stack per session, started and stopped like ``make local``."""

from __future__ import annotations

import itertools
import json
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from infrastructure.local.users import random_password

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60
_addresses = itertools.count(10)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Schemathesis names each case after its operation (``test_x[GET /health]``) but gives
    every case of a test one node id; the id gets the operation too, so reports, ``-k`` and
    pytest-xdist (which tells cases apart by id) see one test per operation."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and item.nodeid.endswith(f"::{item.originalname}"):  # type: ignore[attr-defined]
            # What pytest would build for a parametrized case (pytest's node id is private).
            item._id = item._id.with_params(label)  # type: ignore[attr-defined]


def fresh_address() -> str:
    """Another caller's address: Linux routes all of 127.0.0.0/8 to loopback, and the
    gateway's rate limits count connections by address, as the WAF's rules do."""
    n = next(_addresses)
    return f"127.{n // 40000 + 100}.{n // 200 % 200}.{n % 200 + 10}"


@dataclass
class LocalStack:
    info: dict[str, Any]
    http: httpx.Client
    _tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return str(self.info["api_url"])

    def aws(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.info["aws_endpoint_url"],
            region_name=self.info["region"],
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def sign_in(self, username: str, password: str) -> dict[str, str]:
        """Through the stack's sign-in, so the post-authentication trigger runs as on AWS."""
        response = self.http.post(
            f"{self.info['control_url']}/sign-in", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        result: dict[str, str] = response.json()
        return result

    def tokens(self, role: str) -> dict[str, str]:
        if role not in self._tokens:
            user = self.info["users"][role]
            self._tokens[role] = self.sign_in(user["username"], user["password"])
        return self._tokens[role]

    def token(self, role: str) -> str:
        return self.tokens(role)["IdToken"]

    def new_customer(self, email: str) -> tuple[str, str]:
        """Sign up and confirm another customer through the stack (post-confirmation included)."""
        password = random_password()
        response = self.http.post(
            f"{self.info['control_url']}/users", json={"email": email, "password": password}
        )
        assert response.status_code == 201, response.text
        return email, password

    def request(
        self,
        method: str,
        path: str,
        *,
        role: str | None = None,
        token: str | None = None,
        http: httpx.Client | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """A request to the API; ``http`` (from ``client_from``) sends it as another caller."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if role:
            headers["Authorization"] = self.token(role)
        if token:
            headers["Authorization"] = token
        return (http or self.http).request(method, f"{self.api_url}{path}", headers=headers, **kwargs)

    @staticmethod
    def client_from(address: str | None = None) -> httpx.Client:
        """A client whose connections come from ``address`` (a fresh one by default)."""
        transport = httpx.HTTPTransport(local_address=address or fresh_address())
        return httpx.Client(timeout=30, transport=transport)


def start_stack(state_dir: Path, *extra: str) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    log = (state_dir / "stack.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infrastructure.local",
            "--api-port",
            "0",
            "--aws-port",
            "0",
            "--portal-port",
            "0",
            "--hosted-ui-port",
            "0",
            "--state-dir",
            str(state_dir),
            *extra,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    stack_file = state_dir / "stack.json"
    while not stack_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"offline stack did not start:\n{(state_dir / 'stack.log').read_text()[-3000:]}"
            )
        time.sleep(0.2)
    return process, json.loads(stack_file.read_text())


def stop_stack(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGINT)
    try:
        # Generous: it stops in a second or two, but a loaded machine must not fail the suite.
        return process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    state_dir = tmp_path_factory.mktemp("stack")
    # Schedules run when a test fires them, never by the clock: the hourly Salesforce poll
    # firing mid-session would import thousands of Contacts under another test's feet.
    process, info = start_stack(state_dir, "--no-schedules")
    with httpx.Client(timeout=30) as http:
        yield LocalStack(info, http)
    assert stop_stack(process) == 0, "the offline stack did not stop cleanly"
    assert not (state_dir / "stack.json").exists(), "the stopped stack left its stack.json behind"


@pytest.fixture(scope="session")
def other_customer(local_stack: LocalStack) -> str:
    """A second customer's ID token, for ownership checks."""
    email, password = local_stack.new_customer("other.customer@example.com")
    return local_stack.sign_in(email, password)["IdToken"]


def enrolled_beneficiary(
    local_stack: LocalStack, plan_id: str, last_name: str, birth_date: str
) -> dict[str, str]:
    """A beneficiary of the calling test alone, enrolled in ``plan_id``, arriving as production's
    do (a delta file in the plan inbox, synced by the schedule): a beneficiary links to one
    account, so tests sharing a stack must not share one (the README's demo B-100001 included)."""
    beneficiary_id = f"B-T{uuid.uuid4().hex[:8].upper()}"
    last4 = f"{uuid.uuid4().int % 9000 + 1000}"
    lines = [
        {
            "entity": "beneficiary",
            "op": "upsert",
            "data": {
                "beneficiary_id": beneficiary_id,
                "fname": "Dana",
                "lname": last_name,
                "sex": "F",
                "ssn": f"123-45-{last4}",
                "birthdate": birth_date,
                "address": "600 Congress Ave",
                "city": "Austin",
                "state": "TX",
                "zip_code": "78701",
            },
        },
        {
            "entity": "beneficiary_to_plan",
            "op": "upsert",
            "data": {
                "beneficiary_id": beneficiary_id,
                "plan_id": plan_id,
                "start_date": "2026-01-01",
                "end_date": "",
            },
        },
    ]
    local_stack.aws("s3").put_object(
        Bucket=local_stack.info["buckets"]["plan-inbox"],
        Key=f"incoming/test-{uuid.uuid4().hex}.jsonl",
        Body="\n".join(json.dumps(line) for line in lines).encode(),
    )
    fired = local_stack.http.post(f"{local_stack.info['control_url']}/schedules/plan-delta-sync", timeout=120)
    assert fired.status_code == 200, fired.text
    return {
        "beneficiaryId": beneficiary_id,
        "lastName": last_name,
        "birthDate": birth_date,
        "ssnLast4": last4,
    }
