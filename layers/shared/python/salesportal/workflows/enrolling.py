"""A beneficiary's drug plan: the enrollment they have today, and another plan beside it.

The enrollment comes from the nightly sync of the system of record, reached through the
beneficiary the account proved (``workflows.linking``). Each refusal is a 404 that says
what is missing: the link, an enrollment covering today, or the plan in the catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.domain.plans import Beneficiary, Comparison, Enrollment, Plan, compare, current
from salesportal.domain.profile import age_on
from salesportal.errors import NotFound
from salesportal.workflows import browsing


class Links(Protocol):
    def beneficiary_of(self, customer_id: str) -> str | None: ...


class Beneficiaries(Protocol):
    def beneficiary(self, beneficiary_id: str) -> Beneficiary | None: ...

    def enrollments(self, beneficiary_id: str) -> list[Enrollment]: ...


class Plans(Protocol):
    def get(self, plan_id: str) -> Plan | None: ...


@dataclass(frozen=True)
class Ports:
    links: Links  # the customers' profiles: which beneficiary an account proved
    beneficiaries: Beneficiaries
    plans: Plans
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Enrolled:
    beneficiary: Beneficiary
    enrollment: Enrollment
    plan: Plan


def enrollment(ports: Ports, customer_id: str) -> Enrolled:
    """The caller's current enrollment and its plan."""
    beneficiary_id = ports.links.beneficiary_of(customer_id)
    if not beneficiary_id:
        raise NotFound("Link your account to your beneficiary record first.", code="beneficiary_not_linked")
    beneficiary = ports.beneficiaries.beneficiary(beneficiary_id)
    today = ports.clock().date()
    enrolled = current(ports.beneficiaries.enrollments(beneficiary_id), today)
    if beneficiary is None or enrolled is None:
        raise NotFound("No current drug-plan enrollment on record.", code="enrollment_not_found")
    enrolled_in = ports.plans.get(enrolled.plan_id)
    if enrolled_in is None:
        raise NotFound("The enrolled plan is not in the catalog.", code="plan_not_found")
    return Enrolled(beneficiary, enrolled, enrolled_in)


def comparison(ports: Ports, customer_id: str, plan_id: str) -> Comparison:
    """Another plan beside the caller's current one, with whether their age is in its band."""
    mine = enrollment(ports, customer_id)
    other = browsing.plan(ports.plans, plan_id)
    age = age_on(mine.beneficiary.birth_date, ports.clock().date())
    return compare(mine.plan, other, age)
