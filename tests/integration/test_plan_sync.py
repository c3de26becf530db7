"""The nightly plan-delta sync: applies good rows, quarantines bad ones, applies a file once."""

from __future__ import annotations

import json
import logging
import re

import pytest

from infrastructure.local.seed import SEED_DIR, drop_delta
from tests.support.api import body_of

REGION = "us-east-1"


@pytest.fixture
def synced(stack):
    # Each run reads every file in the inbox and its ledger: a test starts from the demo file alone.
    stack.reset_buckets("plan-inbox")
    stack.reset_tables("catalog", "enrollments", "control")
    drop_delta(None, REGION, stack.physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    stack.invoke("plan_sync", {})
    return stack


def _plan(stack, plan_id):
    response = stack.request("GET", f"/plans/{plan_id}")
    return body_of(response) if response["statusCode"] == 200 else None


def _zip_ids(stack, zip_code):
    response = stack.request("GET", "/plans", query={"zip": zip_code, "limit": "50"})
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


# -- SSNs never leave the parser in clear ---------------------------------------------------
# Each hostile line plants its own SSN; none of them may appear, in any spelling, in anything
# the sync writes (quarantine, report, ledger, tables) or logs. The inbox holds the input.
PLANTED = {
    "broken JSON": ("201-33-4401", '{"entity": "beneficiary", "data": {"ssn": "201-33-4401", "fname": "A"'),
    "data a list": ("202 33 4402", '{"entity": "beneficiary", "op": "upsert", "data": ["202 33 4402"]}'),
    "data a string": ("203334403", '{"entity": "beneficiary", "data": "ssn=203334403"}'),
    "line a list": ("204-33-4404", '["204-33-4404"]'),
    "entity an SSN": ("205-33-4405", '{"entity": "205-33-4405", "data": {}}'),
    "too deep": ("206-33-4406", '{"ssn": "206-33-4406", "data": ' + "[" * 5_000 + "]" * 5_000 + "}"),
    "number too long": ("207334407", '{"ssn": 207334407, "data": {"n": ' + "1" * 5_000 + "}}"),
}
_BENEFICIARY = {
    "beneficiary_id": "B-900001",
    "fname": "Ana",
    "lname": "Lopez",
    "sex": "F",
    "birthdate": "1951-02-03",
    "address": "9 Elm St",
    "city": "Austin",
    "state": "TX",
    "zip_code": "78701",
}
ROWS = {  # well-formed lines: one applied (its SSN sealed), the others refused
    "applied": ("208-33-4408", {**_BENEFICIARY, "ssn": "208-33-4408"}),
    "ssn with spaces": ("209 33 4409", {**_BENEFICIARY, "beneficiary_id": "B-900002", "ssn": "209 33 4409"}),
    "ssn in the address": (
        "210-33-4410",
        {**_BENEFICIARY, "beneficiary_id": "B-900003", "ssn": "211-33-4411", "address": "210-33-4410 Elm St"},
    ),
    "ssn as the id": ("212334412", {**_BENEFICIARY, "beneficiary_id": "X212334412", "ssn": "213-33-4413"}),
}
# A CSV of beneficiaries whose columns shifted: the SSN lands in the name, the address, the id.
CSV_SSNS = ("214-33-4414", "215334415", "216 33 4416", "217-33-4417")
CSV = (
    "beneficiary_id,fname,lname,sex,ssn,birthdate,address,city,state,zip_code,op\n"
    "B-900010,215334415,Lopez,F,214-33-4414,1951-02-03,9 Elm St,Austin,TX,78701,upsert\n"
    "B-900011,Ana,Lopez,F,1951-02-03,216 33 4416,Austin,TX,78701,,upsert\n"
    "217-33-4417,Ana,Lopez,F,111-22-3333,1951-02-03,9 Elm St,Austin,TX,78701,upsert\n"
)
NINE_DIGITS = re.compile(r"\d(?:[\s._/-]?\d){8,}")


def _digits(text: str) -> str:
    return re.sub(r"[\s._/-]", "", text)


def _planted() -> set[str]:
    ssns = [s for s, _ in PLANTED.values()] + [s for s, _ in ROWS.values()] + list(CSV_SSNS)
    ssns += ["211-33-4411", "213-33-4413", "111-22-3333"]
    return {_digits(s) for s in ssns}


def _assert_no_planted_ssn(text: str, where: str) -> None:
    flat = _digits(text)
    leaked = sorted(s for s in _planted() if s in flat)
    assert not leaked, f"{where} holds {leaked}"


def test_no_ssn_leaves_the_parser_in_clear(synced, tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    lines = [line for _, line in PLANTED.values()]
    lines += [json.dumps({"entity": "beneficiary", "op": "upsert", "data": row}) for _, row in ROWS.values()]
    jsonl = tmp_path / "hostile.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    csv_file = tmp_path / "beneficiary.csv"
    csv_file.write_text(CSV)
    drop_delta(None, REGION, synced.physical, jsonl, "20261201-hostile.jsonl")
    drop_delta(None, REGION, synced.physical, csv_file, "beneficiary-20261201.csv")

    summary = synced.invoke("plan_sync", {})
    by_file = {f["file"]: f for f in summary["filesApplied"]}
    assert by_file["incoming/20261201-hostile.jsonl"]["rowsApplied"] == 1
    assert by_file["incoming/20261201-hostile.jsonl"]["rowsQuarantined"] == len(PLANTED) + len(ROWS) - 1
    assert by_file["incoming/beneficiary-20261201.csv"]["rowsQuarantined"] == 3

    bucket = synced.physical.buckets["plan-inbox"]
    s3 = synced.client("s3")
    written = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket=bucket)["Contents"]
        if not o["Key"].startswith("incoming/")
    ]
    quarantines = [k for k in written if k.startswith("quarantine/")]
    assert {k.split("/")[1].split("-")[0] for k in quarantines} >= {"20261201", "beneficiary"}
    assert sum(k.startswith("reports/") for k in written) == 3  # the demo file's, and these two
    for key in written:
        text = _object(synced, key)
        _assert_no_planted_ssn(text, key)
        if key in quarantines:  # everything there comes from the input: no run at all
            assert not NINE_DIGITS.search(text), (key, NINE_DIGITS.search(text))
    quarantined = [
        json.loads(line)
        for key in quarantines
        if "hostile" in key or "beneficiary" in key
        for line in _object(synced, key).splitlines()
    ]
    reasons = " | ".join(q["reason"] for q in quarantined)
    assert "address: holds nine digits in a row" in reasons and "beneficiary_id: holds nine" in reasons
    assert "fname: holds nine digits in a row" in reasons
    assert any(
        q["row"].get("raw", "").startswith('{"entity": "beneficiary", "data": {"ssn": "***-**-4401"')
        for q in quarantined
    )

    dynamodb = synced.client("dynamodb")
    for table in synced.physical.tables.values():
        for item in dynamodb.scan(TableName=table)["Items"]:
            _assert_no_planted_ssn(json.dumps(item), table)
    applied = dynamodb.get_item(
        TableName=synced.physical.tables["enrollments"],
        Key={"pk": {"S": "BENEFICIARY#B-900001"}, "sk": {"S": "PROFILE"}},
    ).get("Item")
    assert applied is not None and applied["ssnLast4"] == {"S": "4408"}  # sealed, not refused

    logs = capsys.readouterr()
    _assert_no_planted_ssn(logs.out + logs.err, "stdout/stderr")
    _assert_no_planted_ssn("\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records), "log records")
