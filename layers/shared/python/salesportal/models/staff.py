"""Customers as staff read them, on the wire: the list's summaries and the whole record,
built from ``domain.customers``' entities (the models themselves are ``models.ai``'s, where
the assistant's customer questions name them too)."""

from __future__ import annotations

from typing import Any

from salesportal.contract import refusals, success
from salesportal.domain import customers as staff
from salesportal.models.ai import CustomerRecord, CustomerSummary
from salesportal.models.customers import Profile


def summary_of(customer: staff.CustomerSummary) -> CustomerSummary:
    return CustomerSummary(
        customer_id=customer.customer_id,
        email=customer.email,
        given_name=customer.given_name,
        family_name=customer.family_name,
        salesforce_id=customer.salesforce_id,
        deleted=customer.deleted,
        updated_at=customer.updated_at,
    )


def record_of(customer: staff.CustomerRecord) -> CustomerRecord:
    crm = customer.crm
    return CustomerRecord(
        **Profile.from_entity(customer.profile).model_dump(),
        salesforce_id=crm.salesforce_id,
        account_name=crm.account_name,
        lead_source=crm.lead_source,
        lifetime_value=crm.lifetime_value,
        source=crm.source,
        crm_synced_at=crm.synced_at,
        deleted=crm.deleted,
        deleted_at=crm.deleted_at,
    )


CUSTOMER_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The customer record"),
        **refusals({404: "No such customer (customer_not_found)"}),
    }
}
