"""A customer's policies: list, read, a short-lived link to the document, and renewal.

The document link expires in five minutes (``workflows.documents``); renewal re-rates the
policy on the catalog's current rate table for the next term and leaves it pending payment
(``workflows.renewal_offers``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.catalog import CatalogRepository
from salesportal.data.documents import DocumentBucket
from salesportal.data.sales import SalesRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.applications import ULID_PATTERN
from salesportal.models.common import Page
from salesportal.models.policies import (
    DOCUMENT_DOCS,
    POLICY_DOCS,
    RENEWAL_DOCS,
    DocumentLink,
    Policy,
    policy_of,
)
from salesportal.observability import count, entrypoint, logger
from salesportal.workflows import documents, renewal_offers

app = rest_resolver()
PolicyId = Annotated[str, Path(alias="policyId", pattern=ULID_PATTERN)]


class PoliciesSettings(Settings):
    sales_table_name: str
    catalog_table_name: str
    documents_bucket_name: str


def _sales() -> SalesRepository:
    return SalesRepository(load(PoliciesSettings).sales_table_name)


@app.get("/policies")
def list_policies(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[Policy]:
    page = _sales().policies(caller(app).sub, limit=limit, token=next_token)
    return Page[Policy](items=[policy_of(p) for p in page.items], next_token=page.next_token)


@app.get("/policies/<policyId>", **POLICY_DOCS)
def get_policy(policy_id: PolicyId) -> Policy:
    return policy_of(documents.own_policy(_sales(), caller(app).sub, policy_id))


@app.get("/policies/<policyId>/document", **DOCUMENT_DOCS)
def document_link(policy_id: PolicyId) -> DocumentLink:
    bucket = DocumentBucket(load(PoliciesSettings).documents_bucket_name)
    link = documents.link(_sales(), bucket, caller(app).sub, policy_id, datetime.now(UTC))
    logger.info("document link issued", extra={"policy_id": policy_id})
    return DocumentLink(url=link.url, expires_at=link.expires_at)


@app.post("/policies/<policyId>/renewal", **RENEWAL_DOCS)
def renew(policy_id: PolicyId) -> Policy:
    principal, settings = caller(app), load(PoliciesSettings)
    rates = CatalogRepository(settings.catalog_table_name)
    ports = renewal_offers.OfferPorts(_sales(), rates, principal.actor, datetime.now(UTC))
    renewed = renewal_offers.offer(ports, principal.sub, policy_id)
    count("RenewalsRequested")
    logger.info("renewal requested", extra={"policy_id": policy_id})
    return policy_of(renewed)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
