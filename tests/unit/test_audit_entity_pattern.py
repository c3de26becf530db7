"""How GET /admin/audit names an entity: the IDs the data layer gives payments, refunds and
renewal reminders fit the pattern to the last character, and the portal checks the same text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import StringConstraints, TypeAdapter, ValidationError

from salesportal.models.admin import AUDIT_ENTITY

PORTAL = Path(__file__).resolve().parents[2] / "web" / "src" / "features" / "admin" / "audit.ts"
POLICY = "01M8T7AK1CZCQYZGMPBKPGS5RE"
# The engine the handler's query validation uses (pydantic's), not Python's re.
entity = TypeAdapter(Annotated[str, StringConstraints(pattern=AUDIT_ENTITY)])


def test_the_portal_checks_an_entity_with_the_apis_pattern() -> None:
    found = re.search(r"export const ENTITY =\s*/(.+)/;\n", PORTAL.read_text())
    assert found is not None, "features/admin/audit.ts no longer declares ENTITY as a regex literal"
    assert found.group(1) == AUDIT_ENTITY


@pytest.mark.parametrize(
    "name",
    [
        f"policy#{POLICY}",
        f"user#{'a' * 8}-1111-4222-8333-{'b' * 12}",
        f"payment#{POLICY}:pi_3cd735be491163382b58bbe7",
        f"refund#{POLICY}:re_3cd735be491163382b58bbe7",
        # A charge declined without a gateway ID: declined-<Idempotency-Key of 64>, the longest.
        f"payment#{POLICY}:declined-{'k' * 64}",
        f"payment#{POLICY}:declined-renewal-2027-12-02-attempt-3",
        f"renewal_reminder#{POLICY}:2027-12-02#7",
        f"renewal_reminder#{POLICY}:2027-12-02#30",
    ],
)
def test_what_the_data_layer_names_is_taken(name: str) -> None:
    assert entity.validate_python(name) == name


@pytest.mark.parametrize(
    "name",
    [
        f"payment#{POLICY}:declined-{'k' * 65}",
        f"payment#{POLICY}:pi_1\n",
        f"renewal_reminder#{POLICY}:2027-12-02#\u0667",  # an Arabic-Indic seven
        f"renewal_reminder#{POLICY}:\uff12\uff10\uff12\uff17-12-02#7",  # full-width digits
        f"refund#{POLICY}:2027-12-02#7",
    ],
)
def test_anything_longer_or_of_another_script_is_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        entity.validate_python(name)
