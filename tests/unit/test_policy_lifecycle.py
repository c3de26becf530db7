"""Policy lifecycle rules: what is due, renewal windows, cancellation bounds, the daily job."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from salesportal.domain.policies import (
    DUNNING_ATTEMPTS,
    amount_due,
    check_cancellable,
    check_renewable,
    daily_actions,
    policy_number,
)
from salesportal.errors import Conflict, Unprocessable
from tests.fakes.sales import policy_from

TODAY = date(2026, 11, 22)


def _policy(status="ACTIVE", end=TODAY + timedelta(days=100), **extra):
    return policy_from(
        {
            "status": status,
            "termStart": (end - timedelta(days=365)).isoformat(),
            "termEnd": end.isoformat(),
            "annualPremium": {"amountCents": 50_000, "currency": "USD"},
            "paymentMethod": "tok_visa",
            **extra,
        }
    )


def _renewal(status="PENDING_PAYMENT", **extra):
    return {
        "termStart": "2027-03-02",
        "termEnd": "2028-03-02",
        "annualPremium": {"amountCents": 52_000, "currency": "USD"},
        "status": status,
        **extra,
    }


def test_a_pending_policy_owes_its_first_premium_and_a_renewing_one_its_renewal():
    assert amount_due(_policy("PENDING_PAYMENT")).amount_cents == 50_000
    due = amount_due(_policy(renewal=_renewal()))
    assert (due.purpose, due.amount_cents, due.term_start) == ("RENEWAL", 52_000, date(2027, 3, 2))


@pytest.mark.parametrize("policy", [_policy(), _policy("CANCELLED"), _policy(renewal=_renewal("PAID"))])
def test_nothing_due_is_409_naming_the_state(policy):
    with pytest.raises(Conflict) as error:
        amount_due(policy)
    assert error.value.code == "nothing_due" and error.value.details == {"status": policy.status}


def test_renewal_opens_sixty_days_before_the_end_and_only_once():
    with pytest.raises(Conflict, match="Renewal opens on"):
        check_renewable(_policy(end=TODAY + timedelta(days=61)), TODAY)
    check_renewable(_policy(end=TODAY + timedelta(days=60)), TODAY)
    with pytest.raises(Conflict, match="already requested"):
        check_renewable(_policy(end=TODAY + timedelta(days=10), renewal=_renewal()), TODAY)
    with pytest.raises(Conflict, match="LAPSED"):
        check_renewable(_policy("LAPSED"), TODAY)


def test_a_cancellation_cannot_be_backdated_or_set_after_cover_ends():
    with pytest.raises(Unprocessable):
        check_cancellable(_policy(), TODAY - timedelta(days=1), TODAY)
    with pytest.raises(Unprocessable):
        check_cancellable(_policy(), TODAY + timedelta(days=101), TODAY)
    check_cancellable(_policy(), TODAY + timedelta(days=100), TODAY)
    with pytest.raises(Conflict):
        check_cancellable(_policy("EXPIRED"), TODAY, TODAY)


@pytest.mark.parametrize(
    ("days_left", "sent", "expected"),
    [
        (31, [], None),
        (30, [], 30),
        (20, [30], None),
        (7, [30], 7),
        (5, [], 7),
        (5, [7], None),
        (3, [7, 30], None),
    ],
)
def test_reminders_go_out_once_and_only_the_tightest(days_left, sent, expected):
    policy = _policy(end=TODAY + timedelta(days=days_left), remindersSent=sent)
    assert daily_actions(policy, TODAY).reminder == expected


def test_an_unpaid_renewal_is_charged_at_most_once_a_day_up_to_the_limit():
    end = TODAY + timedelta(days=7)
    assert daily_actions(_policy(end=end, renewal=_renewal()), TODAY).charge_renewal
    assert not daily_actions(
        _policy(end=end, renewal=_renewal(lastAttemptOn=TODAY.isoformat())), TODAY
    ).charge_renewal
    assert not daily_actions(
        _policy(end=end, renewal=_renewal(attempts=DUNNING_ATTEMPTS)), TODAY
    ).charge_renewal
    assert not daily_actions(_policy(end=TODAY + timedelta(days=8), renewal=_renewal()), TODAY).charge_renewal


@pytest.mark.parametrize(
    ("renewal", "outcome"), [(_renewal("PAID"), "ROLL"), (_renewal(), "LAPSE"), (None, "EXPIRE")]
)
def test_at_term_end_a_policy_rolls_lapses_or_expires(renewal, outcome):
    policy = _policy(end=TODAY, **({"renewal": renewal} if renewal else {}))
    assert daily_actions(policy, TODAY).term_ended == outcome


def test_policy_numbers_are_readable_and_differ_per_policy():
    issued = datetime(2026, 11, 22)
    first = policy_number("term-life", "01JD8X3K9Q2M4N6P8R0T2V4W6Z", issued)
    second = policy_number("term-life", "01JD8X3K9Q2M4N6P8R0T2V4W70", issued)
    assert first == "TL-2026-8R0T2V4W6Z" and first != second
