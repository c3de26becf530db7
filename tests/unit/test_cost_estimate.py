"""The cost estimate per million API requests: manifest memory x measured duration, plus per-request fees."""

from __future__ import annotations

import pytest

from benchmarks import cost
from infrastructure import manifest


def _event(name: str, ms: float, operations: dict[str, float]) -> dict:
    return {"function": name, "own_p50_ms": ms, "aws_calls_by_operation": operations}


def _results(*events: dict) -> dict:
    return {"warm": {"events": {f"{e['function']}/{i}": e for i, e in enumerate(events)}}}


def test_a_function_costs_its_memory_times_its_billed_duration_plus_fees_and_its_calls():
    fn = manifest.function("catalog")  # 256 MB
    c = cost.function_cost(fn, cost.Measured(10.2, {"dynamodb.Query": 1, "dynamodb.PutItem": 1}))
    assert c.duration_ms == 23  # 10.2 + 2 x 6 ms, rounded up to Lambda's whole millisecond
    compute = 0.25 * 0.023 * cost.LAMBDA_ARM_GB_SECOND * 1e6
    fees = 0.20 + 3.50 + 0.60 + 0.125 + 0.625 + 1500 / 1e9 * 0.50 * 1e6 + 0.05 * 5.00
    assert c.usd_per_million == pytest.approx(compute + fees)
    assert c.unpriced == ()


def test_sample_events_are_averaged_and_an_operation_without_a_price_is_named():
    measured = cost.measured(
        _results(
            _event("quotes", 10, {"dynamodb.GetItem": 2}),
            _event("quotes", 20, {"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1}),
        )
    )["quotes"]
    assert measured.own_ms == 15 and measured.operations == {
        "dynamodb.GetItem": 1.5,
        "dynamodb.TransactWriteItems": 0.5,
    }
    odd = cost.function_cost(manifest.function("quotes"), cost.Measured(1, {"ses.SendRawEmail": 1}))
    assert odd.unpriced == ("ses.SendRawEmail",)


def test_more_memory_or_a_longer_duration_costs_more_and_the_floor_is_the_fees():
    small = cost.function_cost(manifest.function("health"), cost.Measured(1, {}))
    slow = cost.function_cost(manifest.function("health"), cost.Measured(100, {}))
    bigger = cost.function_cost(manifest.function("catalog"), cost.Measured(1, {}))
    assert small.usd_per_million < bigger.usd_per_million and small.usd_per_million < slow.usd_per_million
    assert small.usd_per_million > (0.20 + 3.50 + 0.60)


def test_the_report_covers_the_measured_api_functions_and_names_the_unmeasured():
    costs, unmeasured = cost.estimate(
        _results(
            _event("health", 0.5, {}),
            _event("catalog", 8.0, {"dynamodb.Query": 1}),
            _event("notifications", 5.0, {"dynamodb.PutItem": 3}),
        )
    )
    assert [c.name for c in costs] == ["health", "catalog"]  # a queue worker is not an API request
    api = [fn.name for fn in manifest.FUNCTIONS if isinstance(fn.trigger, manifest.ApiTrigger)]
    assert set(unmeasured) == set(api) - {"health", "catalog"}
    text = cost.report(costs, unmeasured)
    assert "Per million API requests, every route equally often: USD" in text
    assert "Not measured" in text


def test_without_results_it_says_to_run_the_benchmark(tmp_path, capsys):
    assert cost.main(["--results", str(tmp_path / "none.json")]) == 2
    assert "make bench" in capsys.readouterr().err


def test_funnel_steps_count_for_their_function_and_unnamed_calls_are_priced_as_writes():
    results = _results(_event("payments", 10, {"dynamodb.GetItem": 1}))
    results["warm"]["funnel"] = {
        "pay": {"function": "payments", "own_p50_ms": 30, "aws_calls_per_request": 4},
    }
    measured = cost.measured(results)["payments"]
    assert measured.own_ms == 20 and measured.operations == {"dynamodb.GetItem": 0.5, cost.UNNAMED: 2.0}
    priced = cost.function_cost(manifest.function("payments"), measured)
    unpriced = cost.function_cost(manifest.function("payments"), cost.Measured(20, {"dynamodb.GetItem": 0.5}))
    longer = 0.25 * 0.012 * cost.LAMBDA_ARM_GB_SECOND * 1e6  # two more calls: 12 ms more at 256 MB
    assert priced.usd_per_million - unpriced.usd_per_million == pytest.approx(2 * 0.625 + longer)
