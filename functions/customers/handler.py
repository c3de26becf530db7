"""GET /customers and GET /customers/{customerId}: customer reads for staff.

Lists come from indexes, never a Scan: by last change (``updatedSince``) or by email
(``salesportal.workflows.reading_customers``).
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.ai import CUSTOMER_ID, CustomerRecord, CustomerSummary
from salesportal.models.common import IsoDateTime, Page
from salesportal.models.staff import CUSTOMER_DOCS, record_of, summary_of
from salesportal.observability import entrypoint
from salesportal.workflows import reading_customers as reading

app = rest_resolver()


class CustomersSettings(Settings):
    customers_table_name: str


def _customers() -> CustomerRepository:
    return CustomerRepository(load(CustomersSettings).customers_table_name)


@app.get("/customers")
def list_customers(
    email: Annotated[str | None, Query(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] = None,
    updated_since: Annotated[
        IsoDateTime | None, Query(alias="updatedSince", description="Changed at or after (RFC 3339)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[CustomerSummary]:
    caller(app)
    page = reading.find(_customers(), email=email, changed_since=updated_since, limit=limit, token=next_token)
    return Page[CustomerSummary](items=[summary_of(c) for c in page.items], next_token=page.next_token)


@app.get("/customers/<customerId>", **CUSTOMER_DOCS)
def get_customer(
    customer_id: Annotated[str, Path(alias="customerId", pattern=CUSTOMER_ID)],
) -> CustomerRecord:
    caller(app)
    return record_of(reading.record(_customers(), customer_id))


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
