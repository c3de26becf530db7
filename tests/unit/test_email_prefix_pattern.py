"""How GET /admin/users takes the start of an e-mail: every character an address may hold, none
that could close or escape the quotes of Cognito's filter, and the portal checks the same text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import StringConstraints, TypeAdapter, ValidationError

from salesportal.models.admin import EMAIL_PREFIX

PORTAL = Path(__file__).resolve().parents[2] / "web" / "src" / "features" / "admin" / "users.ts"
# The engine the handler's query validation uses (pydantic's), not Python's re.
prefix = TypeAdapter(Annotated[str, StringConstraints(pattern=EMAIL_PREFIX)])


def test_the_portal_checks_a_prefix_with_the_apis_pattern() -> None:
    found = re.search(r"export const EMAIL_PREFIX = /(.+)/;\n", PORTAL.read_text())
    assert found is not None, "features/admin/users.ts no longer declares EMAIL_PREFIX as a regex literal"
    assert found.group(1) == EMAIL_PREFIX


@pytest.mark.parametrize(
    "text",
    ["r", "rosa@", "Rosa@Example.com", "o'brien+sales_1.x-y!#$%&*/=?^`{|}~@example.com", "josé@", "r" * 254],
)
def test_the_start_of_any_address_is_taken(text: str) -> None:
    assert prefix.validate_python(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        'a" or email ^= "',
        '"',
        "rosa\\",
        '\\"',
        "rosa example",
        " rosa",
        "rosa\x00",
        "rosa\n",
        "rosa\t",
        "rosa\x1b",
        "rosa\x7f",
        "rosa\x85",
        "rosa\u2028",
        "rosa\u00a0",
        "r" * 255,
    ],
)
def test_what_could_change_the_filter_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        prefix.validate_python(text)
