"""The offline stack keeps processing changes after moto replaces a table (it restores a copy
of the whole table when a transaction is cancelled, as a retried request's is)."""

from __future__ import annotations

import pytest

from tests.e2e.test_races import IDENTITY, NO, Customer
from tests.e2e.test_sales_funnel import QUOTE

pytestmark = pytest.mark.e2e


def test_a_retried_application_does_not_stop_the_next_ones_underwriting(local_stack):
    customer = Customer(local_stack, "retry")
    quote = customer("POST", "/quotes", json=QUOTE)
    assert quote.status_code == 201, quote.text
    body = {
        "quoteId": quote.json()["quoteId"],
        "identity": IDENTITY,
        "declarations": NO,
        "consentToChecks": True,
    }
    first = customer("POST", "/applications", json=body)
    retried = customer("POST", "/applications", json=body)  # its transaction is cancelled
    assert first.status_code == retried.status_code == 202, retried.text
    assert retried.json()["applicationId"] == first.json()["applicationId"]
    # Changes after the cancelled transaction still reach the stream processor.
    customer.approved_application()
