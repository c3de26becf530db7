"""Deciding with in-memory ports: the rules' decision from KYC and the bureau, an agent's
decision within the configured range, both recorded the same way and never twice; an
outage retried, then held for a person."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from salesportal.domain.sales import Decision, Money, Risk
from salesportal.domain.underwriting import REFERRED_NOTE, declared
from salesportal.errors import Conflict, Forbidden, NotFound, Unprocessable
from salesportal.workflows import deciding
from tests.fakes.applications import (
    AGENT,
    CUSTOMER,
    NOW,
    Clock,
    FakeApplications,
    FakeBureau,
    FakeVerifier,
    an_application,
)

APP_ID = "01JD8X3K9Q2M4N6P8R0T2V4W6Z"
AGENT_ACTOR = f"agent:{AGENT}"
FULL_RANGE = deciding.AdjustmentRange(-2500, 10_000)


def _ports(
    applications: FakeApplications, verifier: FakeVerifier | None = None, bureau: FakeBureau | None = None
) -> deciding.Ports:
    checks = deciding.Checks(verifier or FakeVerifier(), bureau or FakeBureau())
    return deciding.Ports(applications, Clock(NOW + timedelta(minutes=5)), checks=lambda: checks)


def _underwrite(
    applications: FakeApplications, *, attempt: int = 1, **checks: object
) -> deciding.Underwritten:
    request = deciding.UnderwritingRequest(CUSTOMER, APP_ID, attempt, max_attempts=5)
    return deciding.underwrite(request, _ports(applications, **checks))  # type: ignore[arg-type]


def _submitted(**overrides: object) -> FakeApplications:
    applications = FakeApplications()
    applications.add(an_application(**overrides))
    return applications


# -- by the rules ---------------------------------------------------------------------------------
def test_a_clean_applicant_is_approved_at_the_quoted_premium_with_the_checks_kept():
    applications = _submitted()
    result = _underwrite(applications)
    decided = applications.stored[APP_ID]
    assert result.kind == "decided" and result.application == decided and result.score == 850
    assert decided.status == "APPROVED" and decided.updated_at == NOW + timedelta(minutes=5)
    assert decided.decision == Decision(
        "APPROVED", (), "underwriting-rules", NOW + timedelta(minutes=5), 0, Money(39_900), Money(3500)
    )
    assert decided.risk == Risk(True, "kyc-1", "ra-1", 850, "A", ())
    assert applications.writes[-1].actor == "system:underwriting-rules"


def test_band_b_is_approved_with_its_loading_in_the_quoted_currency():
    applications = _submitted(
        quoted_annual_premium=Money(39_900, "EUR"), quoted_monthly_premium=Money(3500, "EUR")
    )
    _underwrite(applications, bureau=FakeBureau(score=720, band="B"))
    decision = applications.stored[APP_ID].decision
    assert decision.adjustment_bps == 1000
    assert (decision.annual_premium, decision.monthly_premium) == (Money(43_890, "EUR"), Money(3850, "EUR"))
    assert decision.reasons == ("Approved with a 10% risk loading.",)


def test_the_checks_are_sent_what_they_need_under_the_application_id():
    applications = _submitted(declarations=replace(an_application().declarations, chronic_condition=True))
    verifier, bureau = FakeVerifier(), FakeBureau()
    _underwrite(applications, verifier=verifier, bureau=bureau)
    (identity,) = verifier.seen
    assert identity == {
        "reference": APP_ID,
        "givenName": "Dana",
        "familyName": "Rivera",
        "dateOfBirth": "1988-06-15",
        "ssnLast4": "1234",
        "address": {"line1": "600 Congress Ave", "city": "Austin", "state": "TX", "postalCode": "78701"},
    }
    (facts,) = bureau.seen
    assert (facts["reference"], facts["productId"], facts["age"], facts["state"]) == (
        APP_ID,
        "term-life",
        38,
        "TX",
    )
    assert facts["declarations"]["chronicCondition"] is True and facts["riskFactors"] == {"smoker": "false"}


def test_a_referral_says_why_and_that_a_person_will_look_without_a_premium():
    applications = _submitted()
    _underwrite(
        applications, bureau=FakeBureau(score=650, band="C", reason_codes=("declared_chronicCondition",))
    )
    decided = applications.stored[APP_ID]
    assert decided.status == "REFERRED"
    assert decided.decision.reasons == (declared("chronicCondition"), REFERRED_NOTE)
    assert decided.decision.annual_premium is None and decided.decision.adjustment_bps is None


def test_an_unverified_identity_is_declined():
    applications = _submitted()
    _underwrite(applications, verifier=FakeVerifier(reasons=("identity_not_found",)))
    decided = applications.stored[APP_ID]
    assert decided.status == "DECLINED" and decided.risk.identity_verified is False
    assert decided.decision.reasons == ("We could not verify your identity with the details given.",)


@pytest.mark.parametrize("status", ["APPROVED", "DECLINED", "REFERRED", "ACCEPTED"])
def test_a_decided_application_is_left_alone_and_the_checks_are_not_called(status):
    applications = _submitted(status=status)
    verifier = FakeVerifier()
    result = _underwrite(applications, verifier=verifier)
    assert result.kind == "nothing_to_do" and verifier.seen == [] and applications.writes == []


def test_an_application_decided_meanwhile_is_not_decided_again():
    applications = _submitted()
    agent_decision = Decision("DECLINED", ("No.",), AGENT_ACTOR, NOW)
    applications.interfere = lambda: applications.add(
        an_application(status="DECLINED", decision=agent_decision)
    )
    result = _underwrite(applications)
    assert result.kind == "decided_meanwhile"
    assert applications.stored[APP_ID].decision == agent_decision


@pytest.mark.parametrize("down", ["verifier", "bureau"])
def test_an_outage_before_the_last_attempt_is_retried_later_and_decides_nothing(down):
    applications = _submitted()
    checks = (
        {"verifier": FakeVerifier(down=True)} if down == "verifier" else {"bureau": FakeBureau(down=True)}
    )
    result = _underwrite(applications, attempt=4, **checks)
    assert result.kind == "unavailable" and result.retry_later and not result.held_for_review
    assert result.service == ("kyc" if down == "verifier" else "bureau")
    assert applications.stored[APP_ID].status == "SUBMITTED" and applications.writes == []


def test_an_outage_on_the_last_attempt_holds_the_application_for_a_person():
    applications = _submitted()
    result = _underwrite(applications, attempt=5, verifier=FakeVerifier(down=True))
    assert result.kind == "unavailable" and result.held_for_review and not result.retry_later
    held = applications.stored[APP_ID]
    assert held.status == "UNDER_REVIEW" and held.decision is None
    assert held.review_note == "Automatic underwriting failed: kyc unavailable after every retry."
    # Redriven once KYC is back, the rules decide it after all.
    assert _underwrite(applications, attempt=1).kind == "decided"
    assert applications.stored[APP_ID].status == "APPROVED"


def test_a_failure_that_is_not_an_outage_is_not_swallowed():
    class Broken(FakeBureau):
        def assess(self, **kwargs):
            raise KeyError("score")

    with pytest.raises(KeyError):
        _underwrite(_submitted(), bureau=Broken())


# -- by an agent ----------------------------------------------------------------------------------
def _referred(**overrides: object) -> FakeApplications:
    rules = Decision("REFERRED", (REFERRED_NOTE,), "underwriting-rules", NOW)
    risk = Risk(True, "kyc-1", "ra-1", 650, "C", ("declared_chronicCondition",))
    return _submitted(status="REFERRED", decision=rules, risk=risk, **overrides)


def _review(approve: bool = True, bps: int = 0, reviewer: str = AGENT) -> deciding.Review:
    return deciding.Review(APP_ID, reviewer, f"agent:{reviewer}", approve, "Condition well controlled.", bps)


def test_an_agent_approves_with_an_adjustment_recorded_with_who_and_why():
    applications = _referred()
    decided = deciding.decide(_review(bps=1500), FULL_RANGE, _ports(applications))
    assert decided == applications.stored[APP_ID] and decided.status == "APPROVED"
    assert decided.decision == Decision(
        "APPROVED",
        ("Condition well controlled.",),
        AGENT_ACTOR,
        NOW + timedelta(minutes=5),
        1500,
        Money(45_885),  # 39 900 + 15 %
        Money(4025),
    )
    assert decided.risk == applications.stored[APP_ID].risk  # the checks stay beside the decision
    assert applications.writes[-1].actor == AGENT_ACTOR


def test_a_decline_carries_no_premium():
    applications = _referred()
    decided = deciding.decide(_review(approve=False), FULL_RANGE, _ports(applications))
    assert decided.status == "DECLINED" and decided.decision.annual_premium is None
    assert decided.decision.adjustment_bps is None


def test_an_agent_and_the_rules_record_an_approval_the_same_way():
    by_rules, by_agent = _submitted(), _referred()
    _underwrite(by_rules, bureau=FakeBureau(score=720, band="B"))
    deciding.decide(_review(bps=1000), FULL_RANGE, _ports(by_agent))
    rules, agent = by_rules.stored[APP_ID].decision, by_agent.stored[APP_ID].decision
    assert (rules.annual_premium, rules.monthly_premium, rules.adjustment_bps) == (
        agent.annual_premium,
        agent.monthly_premium,
        agent.adjustment_bps,
    )


@pytest.mark.parametrize("bps", [-1001, 2001])
def test_an_adjustment_outside_the_configured_range_is_refused_before_anything_is_read(bps):
    applications = _referred()
    with pytest.raises(Unprocessable) as error:
        deciding.decide(_review(bps=bps), deciding.AdjustmentRange(-1000, 2000), _ports(applications))
    assert [d["field"] for d in error.value.details] == ["premiumAdjustmentBps"]
    assert applications.stored[APP_ID].status == "REFERRED"


def test_nobody_decides_their_own_application():
    applications = _referred(customer_id=AGENT)
    with pytest.raises(Forbidden) as error:
        deciding.decide(_review(), FULL_RANGE, _ports(applications))
    assert error.value.code == "own_application" and applications.writes == []


def test_an_unknown_application_is_not_found():
    with pytest.raises(NotFound) as error:
        deciding.decide(_review(), FULL_RANGE, _ports(FakeApplications()))
    assert error.value.code == "application_not_found"


def test_a_decided_application_is_a_conflict_naming_its_status():
    applications = _referred()
    deciding.decide(_review(), FULL_RANGE, _ports(applications))
    with pytest.raises(Conflict) as error:
        deciding.decide(_review(approve=False), FULL_RANGE, _ports(applications))
    assert error.value.details == {"status": "APPROVED"}


def test_losing_a_race_to_another_agent_is_a_conflict_naming_what_they_decided():
    applications = _referred()
    other = _review(approve=False, reviewer="agent-2")
    applications.interfere = lambda: deciding.decide(other, FULL_RANGE, _ports(applications))
    with pytest.raises(Conflict) as error:
        deciding.decide(_review(), FULL_RANGE, _ports(applications))
    assert error.value.details == {"status": "DECLINED"}
    assert applications.stored[APP_ID].decision.decided_by == "agent:agent-2"


def test_the_review_queue_is_the_longest_waiting_first():
    applications = FakeApplications()
    ids = [f"01JD8X3K9Q2M4N6P8R0T2V4W{n:02d}" for n in range(3)]
    for n, application_id in enumerate(ids):
        applications.add(
            an_application(
                application_id=application_id, status="REFERRED", submitted_at=NOW - timedelta(hours=n)
            )
        )
    applications.add(an_application(application_id="held", status="UNDER_REVIEW"))
    page = deciding.review_queue("REFERRED", _ports(applications), limit=2, token=None)
    rest = deciding.review_queue("REFERRED", _ports(applications), limit=2, token=page.next_token)
    assert [a.application_id for a in page.items + rest.items] == ids[::-1]
