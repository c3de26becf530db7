"""What the identity (KYC) and risk-bureau services are sent about an application, as their
APIs name it. Apart from their clients so that building a document loads no HTTP stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salesportal.domain.raw import JsonObject
    from salesportal.domain.sales import Application


def identity_document(application: Application) -> JsonObject:
    identity, address = application.identity, application.identity.address
    return {
        "givenName": identity.given_name,
        "familyName": identity.family_name,
        "dateOfBirth": identity.date_of_birth.isoformat(),
        "ssnLast4": identity.ssn_last4,
        "address": {
            "line1": address.line1,
            "city": address.city,
            "state": address.state,
            "postalCode": address.postal_code,
        },
    }


def facts_document(application: Application, age: int) -> JsonObject:
    d = application.declarations
    return {
        "productId": application.product_id,
        "age": age,
        "state": application.state,
        # The bureau names a declaration it weighed after the API's field (declared_<name>).
        "declarations": {
            "hospitalizedLast5Years": d.hospitalized_last_5_years,
            "chronicCondition": d.chronic_condition,
            "hazardousActivities": d.hazardous_activities,
            "previouslyDeclined": d.previously_declined,
        },
        "riskFactors": dict(application.risk_factors),
    }
