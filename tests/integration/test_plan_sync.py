"""The nightly plan-delta sync: applies good rows, quarantines bad ones, applies a file once."""

from __future__ import annotations

import json

import pytest

from infrastructure.local.seed import SEED_DIR, drop_delta
from tests.support.api import body_of, rest_event

REGION = "us-east-1"


@pytest.fixture
def synced(stack):
    drop_delta(None, REGION, stack.physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    stack.invoke("plan_sync", {})
    return stack


def _plan(stack, plan_id):
    response = stack.invoke(
        "plans",
        rest_event("GET", f"/plans/{plan_id}", resource="/plans/{planId}", path_params={"planId": plan_id}),
    )
    return body_of(response) if response["statusCode"] == 200 else None


def _zip_ids(stack, zip_code):
    response = stack.invoke("plans", rest_event("GET", "/plans", query={"zip": zip_code, "limit": "50"}))
    return {p["planId"] for p in body_of(response)["items"]}


def _object(stack, key):
    return (
        stack.client("s3")
        .get_object(Bucket=stack.physical.buckets["plan-inbox"], Key=key)["Body"]
        .read()
        .decode()
    )


def _table_snapshot(stack, table):
    items = stack.client("dynamodb").scan(TableName=stack.physical.tables[table])["Items"]
    return sorted(json.dumps(i, sort_keys=True) for i in items)


def test_a_delta_file_applies_good_rows_and_quarantines_bad_ones_with_reasons(synced):
    drop_delta(None, REGION, synced.physical, SEED_DIR / "plan-delta-sample.jsonl", "20261122-sample.jsonl")
    summary = synced.invoke("plan_sync", {})
    (applied,) = summary["filesApplied"]
    assert (applied["rowsApplied"], applied["rowsQuarantined"]) == (7, 7)

    plan = _plan(synced, "DEMO-PLUS")
    assert plan["monthlyCost"]["amountCents"] == 3990
    assert plan["features"].get("telehealth") == "24/7" and "mail_order_pharmacy" not in plan["features"]
    assert "DEMO-PLUS" in _zip_ids(synced, "78703") and "DEMO-PLUS" not in _zip_ids(synced, "78702")
    assert _plan(synced, "DEMO-BAD") is None  # a bad row never half-applies

    report = json.loads(_object(synced, applied["reportKey"]))
    quarantine = [json.loads(line) for line in _object(synced, report["quarantineKey"]).splitlines()]
    reasons = {q["line"]: q["reason"] for q in quarantine}
    assert "unknown feature 'free_parking'" in reasons[8]
    assert "zip_code" in reasons[9]
    assert reasons[10] == "unknown plan 'NO-SUCH-PLAN'"
    assert "avg_monthly_cost must be a non-negative amount" in reasons[11]
    assert reasons[12].startswith("ssn: invalid")
    assert reasons[13] == "unknown entity 'spaceship'" and reasons[14] == "not valid JSON"
    bad_ssn = next(q for q in quarantine if q["line"] == 12)
    assert bad_ssn["row"]["ssn"] == "***-**-2345"  # never the full number, even when it is wrong


def test_the_same_file_twice_changes_nothing(synced):
    drop_delta(None, REGION, synced.physical, SEED_DIR / "plan-delta-sample.jsonl", "20261122-sample.jsonl")
    synced.invoke("plan_sync", {})
    before = {t: _table_snapshot(synced, t) for t in ("catalog", "enrollments")}
    again = synced.invoke("plan_sync", {})
    assert again["filesApplied"] == [] and again["filesAlreadyApplied"] == 2
    # Even the same rows under another name: every write is a final value.
    drop_delta(None, REGION, synced.physical, SEED_DIR / "plan-delta-sample.jsonl", "20261123-resent.jsonl")
    resent = synced.invoke("plan_sync", {})
    assert resent["filesApplied"][0]["rowsApplied"] == 7
    after = {t: _table_snapshot(synced, t) for t in ("catalog", "enrollments")}
    assert after["catalog"] == before["catalog"]
    # Beneficiary rows are re-sealed with a fresh data key; everything else is identical.
    strip = lambda rows: [r for r in rows if "ssnEncrypted" not in r]  # noqa: E731
    assert strip(after["enrollments"]) == strip(before["enrollments"])


def test_a_csv_file_of_one_entity_is_applied(synced, tmp_path):
    csv_file = tmp_path / "plan_to_zip.csv"
    csv_file.write_text(
        "plan_id,zip_code,op\nDEMO-BASIC,78745,upsert\nDEMO-BASIC,78701,delete\nDEMO-BASIC,bad,upsert\n"
    )
    drop_delta(None, REGION, synced.physical, csv_file, "plan_to_zip-20261122.csv")
    (applied,) = synced.invoke("plan_sync", {})["filesApplied"]
    assert (applied["rowsApplied"], applied["rowsQuarantined"]) == (2, 1)
    assert "DEMO-BASIC" in _zip_ids(synced, "78745") and "DEMO-BASIC" not in _zip_ids(synced, "78701")


def test_each_applied_file_is_reported_in_the_ledger_and_announced(synced):
    ledger = synced.client("dynamodb").query(
        TableName=synced.physical.tables["control"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "DELTA#incoming/0000-demo.jsonl"}},
    )["Items"]
    assert len(ledger) == 1 and ledger[0]["rowsApplied"] == {"N": "16"}
