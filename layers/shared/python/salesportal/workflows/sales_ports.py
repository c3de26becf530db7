"""What the sales workflows need of the sales table: a port small enough for an in-memory fake
(``tests/fakes/sales.py``), and free of the outside world's clients, so a handler that only
reads policies imports no HTTP client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from salesportal.data.sales import PolicyChange
from salesportal.domain.sales import Payment, Policy, Refund


class SalesStore(Protocol):
    """Reads and conditional writes of policies and their money (``data.sales.SalesRepository``)."""

    def policy(self, customer_id: str, policy_id: str) -> Policy | None: ...

    def payment(self, customer_id: str, policy_id: str, payment_id: str) -> Payment | None: ...

    def record(
        self,
        *,
        actor: str,
        policy: PolicyChange | None = None,
        payment: Payment | None = None,
        settles: bool = False,
        refunds: Sequence[Refund] = (),
    ) -> bool: ...
