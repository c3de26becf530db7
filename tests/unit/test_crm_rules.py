"""Field ownership between Salesforce and the portal, with plain values: pull merges and push records."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from salesportal.domain.crm import (
    FIELD_OWNERSHIP,
    CrmCustomer,
    contact_for_push,
    merge_contact,
    needs_push,
    parse_stamp,
    with_fields,
)

STAMP = "2026-03-01T10:00:00.000+0000"


def _contact(**fields):
    return {
        "Id": "003000000000000001",
        "FirstName": "Ana",
        "LastName": "Rivera",
        "Email": "Ana@Example.com",
        "Phone": "+15125550001",
        "LeadSource": "Web",
        "Lifetime_Value__c": 1234.56,
        "Account": {"Name": "Household 00001"},
        "SystemModstamp": STAMP,
        "LastModifiedDate": STAMP,
        **fields,
    }


def test_a_new_contact_becomes_a_customer_with_decimals_and_a_lowercase_email():
    merge = merge_contact(_contact(), None)
    assert merge.updates["lifetimeValue"] == Decimal("1234.56")  # a float would crash the DynamoDB write
    assert merge.updates["email"] == "ana@example.com"
    assert merge.updates["accountName"] == "Household 00001" and merge.updates["salesforceId"].startswith(
        "003"
    )
    assert not merge.conflicts


def test_salesforce_never_overwrites_the_portals_own_fields():
    customer = CrmCustomer(
        "c-1", given_name="Anita", family_name="Rivera", updated_at="2026-01-01T00:00:00+00:00"
    )
    merge = merge_contact(_contact(), customer)
    assert "givenName" not in merge.updates and "familyName" not in merge.updates


def test_salesforce_owns_its_crm_fields_even_when_the_portal_changed_later():
    customer = CrmCustomer("c-1", lead_source="Partner", updated_at="2026-12-01T00:00:00+00:00")
    assert merge_contact(_contact(), customer).updates["leadSource"] == "Web"


def test_a_shared_field_goes_to_the_later_change_and_the_loser_is_recorded():
    portal_later = CrmCustomer("c-1", phone="+15125559999", updated_at="2026-04-01T00:00:00+00:00")
    merge = merge_contact(_contact(), portal_later)
    assert "phone" not in merge.updates
    assert {"field": "phone", "kept": "portal", "lost": "salesforce"} in merge.conflicts

    salesforce_later = CrmCustomer("c-1", phone="+15125559999", updated_at="2026-02-01T00:00:00+00:00")
    merge = merge_contact(_contact(), salesforce_later)
    assert merge.updates["phone"] == "+15125550001"
    assert {"field": "phone", "kept": "salesforce", "lost": "portal"} in merge.conflicts


def test_salesforce_stamps_parse_as_utc():
    assert parse_stamp(STAMP).isoformat() == "2026-03-01T10:00:00+00:00"


def test_a_push_sends_only_the_portals_and_shared_fields_with_the_external_id():
    customer = CrmCustomer(
        "c-1",
        given_name="Ana",
        family_name="Rivera",
        email="ana@example.com",
        phone=None,
        lead_source="Web",  # Salesforce's: never sent back
        contact_preferences={"email": True, "sms": True},
    )
    assert contact_for_push(customer) == {
        "Portal_Customer_Id__c": "c-1",
        "FirstName": "Ana",
        "LastName": "Rivera",
        "Email": "ana@example.com",
        "Portal_Contact_Preferences__c": "Email;SMS",
    }
    assert contact_for_push(replace(customer, salesforce_id="003X"))["Id"] == "003X"


def test_preferences_a_pull_took_as_salesforces_picklist_text_are_pushed_as_they_are():
    customer = CrmCustomer("c-1", family_name="Rivera", contact_preferences="Email;SMS")
    assert contact_for_push(customer)["Portal_Contact_Preferences__c"] == "Email;SMS"


def test_what_is_not_pushed_and_why():
    base = CrmCustomer("c-1", family_name="Rivera", created_at="t1", updated_at="t2")
    assert needs_push(base) is None
    assert needs_push(replace(base, deleted=True)) == "deleted"
    assert needs_push(replace(base, source="salesforce", updated_at="t1")) == "unchanged since pulled"
    assert needs_push(replace(base, source="salesforce")) is None  # pulled, then edited in the portal
    assert needs_push(replace(base, family_name=None)) == "no family name yet"
    assert needs_push(replace(base, family_name=None, salesforce_id="003X")) is None  # an update needs none


def test_every_field_a_sync_writes_is_one_the_entity_holds():
    names = [*FIELD_OWNERSHIP, "deleted", "deletedAt"]
    changed = with_fields(CrmCustomer("c-1"), {name: f"new {name}" for name in names})
    assert {name: changed.crm_value(name) for name in names} == {name: f"new {name}" for name in names}
    assert changed.customer_id == "c-1"


def test_salesforce_picklist_text_becomes_the_portals_choices():
    from salesportal.domain.crm import choices_of

    assert choices_of("Email;SMS") == {"email": True, "sms": True}
    assert choices_of("SMS") == {"email": False, "sms": True}
    assert choices_of(" sms ; EMAIL ") == {"email": True, "sms": True}
    assert choices_of("") == {"email": False, "sms": False}
    assert choices_of("Fax") == {"email": False, "sms": False}
