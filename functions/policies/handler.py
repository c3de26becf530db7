"""A customer's policies: list, read, a short-lived link to the document, and renewal.

The document link is an S3 presigned GET that expires in five minutes: the bucket stays
private and a leaked link stops working soon. Renewal re-rates the policy on the catalog's
current rate table for the next term and leaves it pending payment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.catalog import CatalogRepository
from salesportal.data.sales import SalesRepository, StateChanged
from salesportal.domain import policies as lifecycle
from salesportal.domain.profile import age_on
from salesportal.domain.rating import Applicant, rate
from salesportal.domain.underwriting import adjust
from salesportal.errors import Conflict, NotFound
from salesportal.http import caller, rest_resolver
from salesportal.models.applications import ULID_PATTERN
from salesportal.models.common import Page
from salesportal.models.policies import DocumentLink, Policy
from salesportal.models.rating import RateTable
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()
LINK_TTL = timedelta(minutes=5)
PolicyId = Annotated[str, Path(alias="policyId", pattern=ULID_PATTERN)]


class PoliciesSettings(Settings):
    sales_table_name: str
    catalog_table_name: str
    documents_bucket_name: str


def _sales() -> SalesRepository:
    return SalesRepository(load(PoliciesSettings).sales_table_name)


def _own_policy(customer_id: str, policy_id: str) -> dict[str, Any]:
    item = _sales().get_policy(customer_id, policy_id)
    if item is None:
        raise NotFound("No such policy.", code="policy_not_found")
    return item


@app.get("/policies")
def list_policies(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[Policy]:
    principal = caller(app)
    page = _sales().list_policies(principal.sub, limit=limit, token=next_token)
    return Page[Policy](items=[Policy.model_validate(i) for i in page.items], next_token=page.next_token)


@app.get(
    "/policies/<policyId>",
    responses={200: success("The policy"), **refusals({404: "No such policy (policy_not_found)"})},
)
def get_policy(policy_id: PolicyId) -> Policy:
    principal = caller(app)
    return Policy.model_validate(_own_policy(principal.sub, policy_id))


@app.get(
    "/policies/<policyId>/document",
    responses={
        200: success("A short-lived link to the policy document"),
        **refusals({404: "No such policy (policy_not_found)", 409: "The document is not ready yet"}),
    },
)
def document_link(policy_id: PolicyId) -> DocumentLink:
    principal = caller(app)
    policy = _own_policy(principal.sub, policy_id)
    if policy.get("documentStatus") != "READY" or not policy.get("documentKey"):
        raise Conflict(
            "The policy document is still being prepared; try again in a few seconds.",
            code="document_not_ready",
            details={"documentStatus": policy.get("documentStatus")},
        )
    expires = datetime.now(UTC) + LINK_TTL
    url = aws.client("s3").generate_presigned_url(
        "get_object",
        Params={"Bucket": load(PoliciesSettings).documents_bucket_name, "Key": policy["documentKey"]},
        ExpiresIn=int(LINK_TTL.total_seconds()),
    )
    logger.info("document link issued", extra={"policy_id": policy_id})
    return DocumentLink(url=url, expires_at=expires)


@app.post(
    "/policies/<policyId>/renewal",
    responses={
        200: success("The policy with its renewal offer"),
        **refusals(
            {404: "No such policy (policy_not_found)", 409: "Not renewable now: state, window or product"}
        ),
    },
)
def renew(policy_id: PolicyId) -> Policy:
    principal = caller(app)
    settings = load(PoliciesSettings)
    policy = _own_policy(principal.sub, policy_id)
    today = datetime.now(UTC).date()
    lifecycle.check_renewable(policy, today)

    product = CatalogRepository(settings.catalog_table_name).get_product(policy["productId"])
    if product is None or "rating" not in product:
        raise Conflict("This product is no longer offered for renewal.", code="product_withdrawn")
    start = date.fromisoformat(policy["termEnd"])
    applicant = Applicant(
        age=age_on(date.fromisoformat(policy["dateOfBirth"]), start),
        state=policy["state"],
        risk=policy.get("riskFactors", {}),
    )
    premium = rate(RateTable.model_validate(product["rating"]), policy["coverageOptionCode"], applicant)
    loading = int(policy.get("premiumAdjustmentBps", 0))
    currency = policy["annualPremium"].get("currency", "USD")
    renewal = {
        "termStart": start.isoformat(),
        "termEnd": lifecycle.term_end(start).isoformat(),
        "annualPremium": {"amountCents": adjust(premium.annual_cents, loading), "currency": currency},
        "monthlyPremium": {"amountCents": adjust(premium.monthly_cents, loading), "currency": currency},
        "status": "PENDING_PAYMENT",
        "attempts": 0,
        "requestedAt": datetime.now(UTC).isoformat(),
    }
    try:
        updated = _sales().update_policy(
            principal.sub,
            policy_id,
            {"renewal": renewal, "updatedAt": renewal["requestedAt"]},
            expected=("ACTIVE",),
            actor=principal.actor,
        )
    except StateChanged:
        raise lifecycle.transition_error(_own_policy(principal.sub, policy_id), "renew") from None
    metrics.add_metric(name="RenewalsRequested", unit="Count", value=1)
    logger.info("renewal requested", extra={"policy_id": policy_id, "term_start": renewal["termStart"]})
    return Policy.model_validate(updated)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
