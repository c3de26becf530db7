"""A customers-table item as the Salesforce sync sees it (salesportal.data.customers.crm_customer)."""

from __future__ import annotations

from decimal import Decimal

from salesportal.data.customers import crm_customer
from salesportal.domain.crm import CrmCustomer


def test_an_item_becomes_the_entity_with_its_stamps_as_stored_and_other_attributes_left_out():
    item = {
        "customerId": "c-1",
        "email": "ana@example.com",
        "givenName": "Ana",
        "familyName": "Rivera",
        "salesforceId": "003A",
        "lifetimeValue": Decimal("1234.5"),
        "contactPreferences": {"email": True, "sms": False},
        "source": "salesforce",
        "createdAt": "2026-01-01T00:00:00+00:00",
        "updatedAt": "2026-02-01T00:00:00+00:00",
        "dateOfBirth": "1990-01-01",
        "version": 3,
    }
    assert crm_customer(item) == CrmCustomer(
        "c-1",
        email="ana@example.com",
        given_name="Ana",
        family_name="Rivera",
        salesforce_id="003A",
        lifetime_value=Decimal("1234.5"),
        contact_preferences={"email": True, "sms": False},
        source="salesforce",
        created_at="2026-01-01T00:00:00+00:00",
        updated_at="2026-02-01T00:00:00+00:00",
    )


def test_what_a_pull_stored_as_salesforce_gave_it_is_read_as_stored():
    item = {"customerId": "c-1", "contactPreferences": "Email;SMS", "lifetimeValue": 100, "deleted": True}
    customer = crm_customer(item)
    assert (customer.contact_preferences, customer.lifetime_value, customer.deleted) == (
        "Email;SMS",
        100,
        True,
    )


def test_an_attribute_of_the_wrong_type_is_read_as_absent():
    customer = crm_customer({"customerId": "c-1", "phone": 5125550100, "lifetimeValue": True})
    assert (customer.phone, customer.lifetime_value) == (None, None)
