"""GET /customers and GET /customers/{customerId}: customer reads for staff.

Lists come from indexes, never a Scan: by last change (``updatedSince``) or by email.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.customers import CustomerRepository
from salesportal.errors import NotFound
from salesportal.http import caller, rest_resolver
from salesportal.models.ai import CUSTOMER_ID, CustomerRecord, CustomerSummary
from salesportal.models.common import IsoDateTime, Page
from salesportal.observability import entrypoint

app = rest_resolver()


class CustomersSettings(Settings):
    customers_table_name: str


def _customers() -> CustomerRepository:
    return CustomerRepository(load(CustomersSettings).customers_table_name)


def _summary(item: dict[str, Any]) -> CustomerSummary:
    return CustomerSummary.model_validate({**item, "customerId": item.get("customerId") or item["entityId"]})


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
    customers = _customers()
    if email:
        return Page[CustomerSummary](items=[_summary(i) for i in customers.find_by_email(email.lower())])
    items, token = customers.list_changed(
        since=updated_since.isoformat() if updated_since else None, limit=limit, token=next_token
    )
    return Page[CustomerSummary](items=[_summary(i) for i in items], next_token=token)


@app.get(
    "/customers/<customerId>",
    responses={
        200: success("The customer record"),
        **refusals({404: "No such customer (customer_not_found)"}),
    },
)
def get_customer(
    customer_id: Annotated[str, Path(alias="customerId", pattern=CUSTOMER_ID)],
) -> CustomerRecord:
    caller(app)
    item = _customers().get(customer_id)
    if item is None:
        raise NotFound("No such customer.", code="customer_not_found")
    return CustomerRecord.model_validate(item)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
