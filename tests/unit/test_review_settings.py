"""The review function's configured premium-adjustment range: within the API's bounds, around zero."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from salesportal.domain.underwriting import REVIEW_ADJUSTMENT_CEILING_BPS, REVIEW_ADJUSTMENT_FLOOR_BPS
from tests.support.lambdas import load_handler


def _settings(**values):
    return load_handler("review").ReviewSettings.model_validate({"sales_table_name": "sales", **values})


def test_the_default_range_is_the_apis_bounds():
    settings = _settings()
    assert (settings.premium_adjustment_min_bps, settings.premium_adjustment_max_bps) == (
        REVIEW_ADJUSTMENT_FLOOR_BPS,
        REVIEW_ADJUSTMENT_CEILING_BPS,
    )
    assert (REVIEW_ADJUSTMENT_FLOOR_BPS, REVIEW_ADJUSTMENT_CEILING_BPS) == (-2500, 10_000)  # -25 %..+100 %


@pytest.mark.parametrize(
    "values",
    [
        {"premium_adjustment_min_bps": "-2501"},  # wider than the API allows
        {"premium_adjustment_max_bps": "10001"},
        {"premium_adjustment_min_bps": "100"},  # a range that excludes "no change"
        {"premium_adjustment_max_bps": "-100"},
        {"premium_adjustment_min_bps": "ten"},
    ],
)
def test_a_range_outside_the_bounds_or_not_around_zero_fails_loudly(values):
    with pytest.raises(ValidationError):
        _settings(**values)


def test_a_narrower_range_is_accepted():
    settings = _settings(premium_adjustment_min_bps="-1000", premium_adjustment_max_bps="2000")
    assert (settings.premium_adjustment_min_bps, settings.premium_adjustment_max_bps) == (-1000, 2000)
