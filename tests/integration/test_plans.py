"""Drug plans: cacheable search and detail, beneficiary link, enrollment and comparison."""

from __future__ import annotations

import pytest

from infrastructure.local.seed import SEED_DIR, drop_delta, seed_plan_catalog
from tests.support.api import body_of, claims, header_of
from tests.support.funnel import signed_up

REGION = "us-east-1"


@pytest.fixture(scope="module")
def seeded(world):
    """The module's plans and beneficiaries, seeded and synced once."""
    seed_plan_catalog(None, REGION, world.physical, plans=40)
    drop_delta(None, REGION, world.physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    report = world.invoke("plan_sync", {"detail-type": "Scheduled Event"})
    assert report["filesApplied"][0]["rowsQuarantined"] == 0
    return world


@pytest.fixture
def plans(stack, seeded):
    """The seeded plans, every beneficiary unlinked and with no failed attempts against it."""
    dynamodb, table = stack.client("dynamodb"), stack.physical.tables["enrollments"]
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            if item["sk"]["S"] in ("LINK", "LINK_ATTEMPTS"):
                dynamodb.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})
    return stack


def _search(stack, headers=None, **query):
    return stack.request("GET", "/plans", query={k: str(v) for k, v in query.items()}, headers=headers)


def _multi_search(stack, zip_code, features):
    return stack.request("GET", "/plans", query={"zip": zip_code, "feature": features})


def test_a_zip_search_returns_only_active_plans_sold_there_cheapest_first(plans):
    response = _search(plans, zip="78701", limit=50)
    assert response["statusCode"] == 200
    items = body_of(response)["items"]
    assert {"DEMO-BASIC", "DEMO-PLUS"} <= {p["planId"] for p in items}
    costs = [p["monthlyCost"]["amountCents"] for p in items]
    assert costs == sorted(costs)
    assert header_of(response, "Cache-Control") == "public, max-age=300"


def test_search_filters_by_feature_cost_and_age(plans):
    with_insulin = body_of(_multi_search(plans, "78701", ["insulin_savings", "gap_coverage=full"]))["items"]
    assert with_insulin and all(
        p["features"].get("gap_coverage") == "full" and "insulin_savings" in p["features"]
        for p in with_insulin
    )
    cheap = body_of(_search(plans, zip="78701", maxMonthlyCost=2000, limit=50))["items"]
    assert cheap and all(p["monthlyCost"]["amountCents"] <= 2000 for p in cheap)
    young = body_of(_search(plans, zip="78701", age=40, limit=50))["items"]
    assert all(p["minAge"] <= 40 <= p["maxAge"] for p in young)
    assert "DEMO-BASIC" not in {p["planId"] for p in young}


def test_pages_follow_the_cursor_without_repeats(plans):
    first = body_of(_search(plans, zip="78701", limit=2))
    second = body_of(_search(plans, zip="78701", limit=2, nextToken=first["nextToken"]))
    assert first["nextToken"] and len(first["items"]) == 2
    assert not {p["planId"] for p in first["items"]} & {p["planId"] for p in second["items"]}
    assert (
        first["items"][-1]["monthlyCost"]["amountCents"] <= second["items"][0]["monthlyCost"]["amountCents"]
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"zip": "7870"}, "zip"),
        ({"zip": "78701", "feature": "free_parking"}, "feature"),
        ({"zip": "78701", "age": "-1"}, "age"),
    ],
)
def test_bad_search_parameters_are_400_naming_the_parameter(plans, query, field):
    response = plans.request("GET", "/plans", query=query)
    assert response["statusCode"] == 400
    assert field in body_of(response)["error"]["message"]


def test_a_malformed_or_foreign_cursor_is_400(plans):
    assert _search(plans, zip="78701", nextToken="garbage!")["statusCode"] == 400
    token = body_of(_search(plans, zip="78701", limit=1))["nextToken"]
    response = _search(plans, zip="94105", nextToken=token)
    assert response["statusCode"] == 400 and body_of(response)["error"]["code"] == "invalid_next_token"


def test_plan_detail_has_features_costs_and_answers_if_none_match_with_304(plans):
    response = plans.request("GET", "/plans/DEMO-PLUS")
    plan = body_of(response)
    assert plan["features"]["insulin_savings"] == "$35 cap"
    assert plan["monthlyCost"] == {"amountCents": 4290, "currency": "USD"}
    assert plan["estimatedAnnualCost"]["amountCents"] == 12 * 4290 + 0 + 12 * 500
    etag = header_of(response, "ETag")
    again = plans.request("GET", "/plans/DEMO-PLUS", headers={"If-None-Match": etag})
    assert again["statusCode"] == 304 and not again.get("body")
    missing = plans.request("GET", "/plans/NOPE")
    assert missing["statusCode"] == 404


def _link(stack, funnel, **overrides):
    body = {
        "beneficiaryId": "B-100001",
        "lastName": "Rivera",
        "birthDate": "1950-03-14",
        "ssnLast4": "4321",
        **overrides,
    }
    return funnel.call("beneficiary_link", "POST", "/me/beneficiary-link", body=body)


def test_a_proven_link_shows_the_enrollment_and_compares_plans(plans):
    funnel = signed_up(plans, "dana.rivera@example.com")
    assert funnel.call("enrollment", "GET", "/me/enrollment")["statusCode"] == 404  # not linked yet
    assert _link(plans, funnel)["statusCode"] == 200
    enrollment = body_of(funnel.call("enrollment", "GET", "/me/enrollment"))
    assert enrollment["plan"]["planId"] == "DEMO-BASIC" and enrollment["startDate"] == "2026-01-01"
    comparison = body_of(
        funnel.call(
            "enrollment",
            "GET",
            "/plans/DEMO-PLUS/comparison",
            "/plans/{planId}/comparison",
            {"planId": "DEMO-PLUS"},
        )
    )
    features = {f["key"]: f["status"] for f in comparison["features"]}
    assert features == {
        "gap_coverage": "different",
        "insulin_savings": "only_other",
        "mail_order_pharmacy": "only_other",
        "preferred_network": "different",
    }
    assert comparison["monthlyCost"]["deltaCents"] == 4290 - 1840
    assert comparison["annualDeductible"]["deltaCents"] == -54500
    assert comparison["ageInBand"] is True


def test_wrong_facts_are_one_403_and_repeated_failures_are_throttled(plans):
    funnel = signed_up(plans, "mallory@example.com")
    for wrong in (
        {"ssnLast4": "0000"},
        {"lastName": "Smith"},
        {"birthDate": "1950-03-15"},
        {"beneficiaryId": "B-999999"},
    ):
        response = _link(plans, funnel, **wrong)
        assert response["statusCode"] == 403
        assert (
            body_of(response)["error"]["message"]
            == "These details do not match a beneficiary record we can link to this account."
        )
    assert _link(plans, funnel, ssnLast4="1111")["statusCode"] == 403
    assert _link(plans, funnel)["statusCode"] == 429  # even the right facts, until the window passes


OKAFOR = {"beneficiaryId": "B-100002", "lastName": "Okafor", "birthDate": "1948-11-02"}


def _refused(response):
    return response["statusCode"] == 403 and body_of(response)["error"]["code"] == "link_refused"


def _throttled(response):
    """429 in the project's error body, saying when to come back (never after the window)."""
    if response["statusCode"] != 429:
        return False
    assert body_of(response)["error"]["code"] == "too_many_attempts"
    assert 1 <= int(header_of(response, "Retry-After")) <= 15 * 60
    return True


def test_relinking_ones_own_beneficiary_does_not_reset_the_failure_count(plans):
    """Guessing someone else's SSN last four between re-links of one's own: still five tries."""
    funnel = signed_up(plans, "dana.rivera@example.com")
    assert _link(plans, funnel)["statusCode"] == 200
    answers = []
    for guess in range(12):
        answers.append(_link(plans, funnel, **OKAFOR, ssnLast4=f"{guess + 10:04d}"))  # never 0002
        assert _link(plans, funnel)["statusCode"] in (200, 429)  # re-linking one's own
    assert [_refused(a) for a in answers[:5]] == [True] * 5
    assert all(_throttled(a) for a in answers[5:])


def test_a_success_does_not_reset_the_failure_count(plans):
    funnel = signed_up(plans, "dana.rivera@example.com")
    for guess in ("0001", "0002", "0003", "0004"):
        assert _refused(_link(plans, funnel, ssnLast4=guess))
    assert _link(plans, funnel)["statusCode"] == 200
    assert _refused(_link(plans, funnel, ssnLast4="0005"))
    assert _throttled(_link(plans, funnel, ssnLast4="0006"))
    assert _throttled(_link(plans, funnel))  # even the right facts, until the window passes


def test_failures_against_one_beneficiary_count_across_accounts(plans):
    """Five accounts, one guess each at one beneficiary: the sixth, even right, waits."""
    for n in range(5):
        guesser = signed_up(plans, f"guesser{n}@example.com")
        assert _refused(_link(plans, guesser, ssnLast4=f"{n:04d}"))
    owner = signed_up(plans, "dana.rivera@example.com")
    assert _throttled(_link(plans, owner))
    # Another beneficiary is not held up by them.
    assert _link(plans, owner, **OKAFOR, ssnLast4="0002")["statusCode"] == 200


def _age_link_windows(stack, seconds):
    """Move every stored link-attempt window ``seconds`` into the past (no sleeping in tests)."""
    for table in ("customers", "enrollments"):
        name = stack.physical.tables[table]
        dynamodb = stack.client("dynamodb")
        for item in dynamodb.scan(TableName=name)["Items"]:
            if item["sk"]["S"] == "LINK_ATTEMPTS":
                dynamodb.update_item(
                    TableName=name,
                    Key={"pk": item["pk"], "sk": item["sk"]},
                    UpdateExpression="SET windowStart = windowStart - :s",
                    ExpressionAttributeValues={":s": {"N": str(seconds)}},
                )


def test_the_count_starts_over_only_when_the_window_ends(plans):
    funnel = signed_up(plans, "dana.rivera@example.com")
    for guess in range(5):
        assert _refused(_link(plans, funnel, ssnLast4=f"{guess:04d}"))
    assert _throttled(_link(plans, funnel))
    _age_link_windows(plans, 14 * 60)
    assert _throttled(_link(plans, funnel))  # a minute to go
    _age_link_windows(plans, 60)
    assert _link(plans, funnel)["statusCode"] == 200


def test_a_beneficiary_links_to_one_account_only(plans):
    first, second = signed_up(plans, "one@example.com"), signed_up(plans, "two@example.com")
    assert _link(plans, first)["statusCode"] == 200
    assert _link(plans, second)["statusCode"] == 403


def test_the_ssn_is_stored_as_last_four_and_ciphertext_only(plans):
    item = plans.client("dynamodb").get_item(
        TableName=plans.physical.tables["enrollments"],
        Key={"pk": {"S": "BENEFICIARY#B-100001"}, "sk": {"S": "PROFILE"}},
    )["Item"]
    assert item["ssnLast4"] == {"S": "4321"}
    assert "123-45-4321" not in str(item) and "123454321" not in str(item)
    assert item["ssnEncrypted"]["M"]["algorithm"]["S"] == "AES-256-GCM/KMS-envelope"


def test_customers_only_for_enrollment_routes(plans):
    response = plans.request("GET", "/me/enrollment", caller=None)
    assert response["statusCode"] == 401
    assert plans.request("GET", "/me/enrollment", caller=claims("x", groups=""))["statusCode"] == 403


# -- full pages with selective filters ----------------------------------------------------
SPARSE_ZIP = "99001"


def _sparse_zip(stack, plans=300, every=25, tail_only=False):
    """A ZIP with ``plans`` plans where only every ``every``-th has telehealth (or, with
    ``tail_only``, only the last few, beyond what one request reads)."""
    from salesportal.data.plans import PlanRepository, zip_item

    items = []
    for n in range(plans):
        rare = n >= plans - 3 if tail_only else n % every == every - 1
        plan = {
            "planId": f"S{n:04d}-{SPARSE_ZIP}",
            "planName": f"Sparse {n}",
            "insurerName": "Filter Health",
            "status": "ACTIVE",
            "monthlyCostCents": 1000 + n,
            "copayCents": 500,
            "deductibleCents": 0,
            "minAge": 0,
            "maxAge": 130,
            "features": {"mail_order_pharmacy": "yes", **({"telehealth": "yes"} if rare else {})},
        }
        items.append(zip_item(plan, SPARSE_ZIP))
    PlanRepository(stack.physical.tables["catalog"]).write_zip_items(items, [])
    return [i["planId"] for i in items if "telehealth" in i["features"]]


def _all_pages(stack, **query):
    pages, token = [], None
    while True:
        page = body_of(_search(stack, **query, **({"nextToken": token} if token else {})))
        pages.append([p["planId"] for p in page["items"]])
        token = page.get("nextToken")
        if not token:
            return pages
        assert len(pages) < 20


def test_a_selective_filter_fills_every_page_but_the_last(stack):
    rare = _sparse_zip(stack)
    assert len(rare) == 12  # 1 plan in 25: one Query of 50 items held two
    pages = _all_pages(stack, zip=SPARSE_ZIP, feature="telehealth", limit=5)
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [plan for page in pages for plan in page] == rare  # cheapest first, none twice


def test_a_page_the_read_bound_leaves_short_still_leads_to_the_rest(stack):
    rare = _sparse_zip(stack, plans=400, tail_only=True)
    first = body_of(_search(stack, zip=SPARSE_ZIP, feature="telehealth", limit=5))
    assert first["items"] == [] and first["nextToken"]  # bounded: 5 Queries, then a token
    pages = _all_pages(stack, zip=SPARSE_ZIP, feature="telehealth", limit=5)
    assert [plan for page in pages for plan in page] == rare
