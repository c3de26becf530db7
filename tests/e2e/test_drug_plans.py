"""Drug plans over HTTP on the offline stack: cacheable search, link → enrollment → comparison,
the nightly delta sync fired by hand (twice), and a mail request reaching the Fulfillment stand-in."""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_sales_funnel import eventually

pytestmark = pytest.mark.e2e
SEED = Path(__file__).resolve().parents[2] / "infrastructure" / "seed"


def test_public_search_and_detail_carry_caching_headers(local_stack):
    path = "/plans?zip=78701&feature=gap_coverage&limit=10"

    def read_twice_unchanged() -> httpx.Response | None:
        """A search, then the same with its ETag: 304 when nothing changed in between. The
        stack seeds its volume of plans in the background once it is ready, so until that
        ends a search may change between two reads (a 200 then is right: read again)."""
        search = local_stack.request("GET", path)
        assert search.status_code == 200, search.text
        assert search.headers["Cache-Control"] == "public, max-age=300" and search.headers["ETag"]
        again = local_stack.request("GET", path, headers={"If-None-Match": search.headers["ETag"]})
        if again.status_code == 200 and again.headers["ETag"] != search.headers["ETag"]:
            return None
        assert again.status_code == 304 and again.content == b"", again
        return search

    search = eventually(read_twice_unchanged, timeout=120, what="a search unchanged between two reads")
    items = search.json()["items"]
    assert items and all("gap_coverage" in p["features"] for p in items)
    detail = local_stack.request("GET", f"/plans/{items[0]['planId']}")
    assert detail.status_code == 200 and detail.json()["planId"] == items[0]["planId"]
    assert local_stack.request("GET", "/plans?zip=ABCDE").status_code == 400


def test_link_then_enrollment_then_comparison(local_stack):
    email, password = local_stack.new_customer(f"dana-{uuid.uuid4().hex[:6]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    linked = local_stack.request(
        "POST",
        "/me/beneficiary-link",
        token=token,
        json={
            "beneficiaryId": "B-100002",
            "lastName": "Okafor",
            "birthDate": "1948-11-02",
            "ssnLast4": "0002",
        },
    )
    assert linked.status_code == 200, linked.text
    enrollment = local_stack.request("GET", "/me/enrollment", token=token).json()
    assert enrollment["plan"]["planId"] == "DEMO-BASIC"
    comparison = local_stack.request("GET", "/plans/DEMO-PLUS/comparison", token=token).json()
    assert comparison["currentPlanId"] == "DEMO-BASIC" and comparison["ageInBand"] is True
    assert {f["key"] for f in comparison["features"]} >= {"gap_coverage", "insulin_savings"}


def test_concurrent_wrong_link_guesses_stop_at_the_limit(local_stack):
    """Twelve wrong guesses at once from one account (the offline stack runs invocations of
    one function side by side, as Lambda does): five are judged, the rest wait out the window."""
    email, password = local_stack.new_customer(f"racer-{uuid.uuid4().hex[:6]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    beneficiary = f"B-{uuid.uuid4().hex[:10]}"  # a counter of its own for this run
    barrier = threading.Barrier(12)

    def guess(n: int) -> httpx.Response:
        body = {"beneficiaryId": beneficiary, "lastName": "Okafor", "birthDate": "1948-11-02"}
        barrier.wait(timeout=60)
        return local_stack.request(
            "POST",
            "/me/beneficiary-link",
            token=token,
            http=http,
            headers={"Origin": "http://localhost:5173"},  # a browser's request: CORS headers answer
            json={**body, "ssnLast4": f"{n:04d}"},
        )

    with local_stack.client_from() as http, ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(guess, range(12)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [403] * 5 + [429] * 7, [a.text for a in answers]
    for throttled in (a for a in answers if a.status_code == 429):
        assert throttled.json()["error"]["code"] == "too_many_attempts"
        assert 1 <= int(throttled.headers["Retry-After"]) <= 15 * 60
        assert "Retry-After" in throttled.headers["Access-Control-Expose-Headers"]


def _fire(local_stack):
    response = local_stack.http.post(
        f"{local_stack.info['control_url']}/schedules/plan-delta-sync", timeout=120
    )
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_a_dropped_delta_file_is_synced_once_with_its_quarantine_report(local_stack):
    s3 = local_stack.aws("s3")
    bucket = local_stack.info["buckets"]["plan-inbox"]
    key = f"incoming/{time.strftime('%Y%m%d')}-{uuid.uuid4().hex[:6]}.jsonl"
    s3.put_object(Bucket=bucket, Key=key, Body=(SEED / "plan-delta-sample.jsonl").read_bytes())
    first = _fire(local_stack)
    (applied,) = [f for f in first["filesApplied"] if f["file"] == key]
    assert (applied["rowsApplied"], applied["rowsQuarantined"]) == (7, 7)
    report = json.loads(s3.get_object(Bucket=bucket, Key=applied["reportKey"])["Body"].read())
    quarantine = (
        s3.get_object(Bucket=bucket, Key=report["quarantineKey"])["Body"].read().decode().splitlines()
    )
    assert len(quarantine) == 7
    plan = local_stack.request("GET", "/plans/DEMO-PLUS").json()
    assert plan["monthlyCost"]["amountCents"] == 3990 and plan["features"]["telehealth"] == "24/7"
    second = _fire(local_stack)
    assert second["filesApplied"] == []
    assert local_stack.request("GET", "/plans/DEMO-PLUS").json() == plan


def test_a_mail_request_reaches_the_fulfillment_stand_in_once(local_stack):
    body = {
        "name": f"Test {uuid.uuid4().hex[:6]}",
        "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "postalCode": "78701"},
    }
    with local_stack.client_from() as client:  # a caller of its own: the route's limit is per address
        first = local_stack.request("POST", "/plans/DEMO-BASIC/mail-requests", json=body, http=client)
        second = local_stack.request("POST", "/plans/DEMO-BASIC/mail-requests", json=body, http=client)
    assert first.status_code == second.status_code == 202
    request_id = first.json()["requestId"]
    ledger_url = f"{local_stack.info['standins']['control_url']}/ledger"
    mailed = eventually(
        lambda: [m for m in httpx.get(ledger_url).json()["mailings"] if m["reference"] == request_id],
        what="the mailing",
    )
    time.sleep(1.5)  # the duplicate has had its turn
    assert (
        len([m for m in httpx.get(ledger_url).json()["mailings"] if m["reference"] == request_id])
        == len(mailed)
        == 1
    )


def test_mail_requests_have_a_stricter_rate_limit(local_stack):
    body = {
        "name": "Rate Tester",
        "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "postalCode": "78701"},
    }
    with local_stack.client_from() as client:  # a caller of its own: the route's limit is per address
        statuses = [
            local_stack.request("POST", "/plans/DEMO-BASIC/mail-requests", json=body, http=client).status_code
            for _ in range(8)
        ]
        assert 429 in statuses and statuses[0] == 202
        assert local_stack.request("GET", "/plans?zip=78701", http=client).status_code == 200
