"""When a Salesforce pull may start another page (pure: the clock is a function)."""

from __future__ import annotations

from salesportal.workflows.salesforce_syncing import UNBOUNDED, TimeBudget


def test_another_page_needs_time_for_two_of_the_slowest_and_the_reserve():
    budget = TimeBudget(lambda: 100_000, reserve_s=30)  # 100 s left
    assert budget.allows_another(slowest_page_s=34.9)
    assert not budget.allows_another(slowest_page_s=35.1)


def test_the_reserve_alone_can_stop_a_run_before_any_page_is_slow():
    assert not TimeBudget(lambda: 29_000, reserve_s=30).allows_another(slowest_page_s=0)


def test_outside_a_lambda_there_is_no_limit():
    assert UNBOUNDED.allows_another(slowest_page_s=3_600)
