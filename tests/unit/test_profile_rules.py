"""Profile input rules: field validation and the age check, with plain values."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from salesportal.domain.profile import MAX_AGE_YEARS, MIN_AGE_YEARS, age_on, validate_update
from salesportal.errors import Unprocessable
from salesportal.models.customers import ProfileUpdate

TODAY = date(2026, 11, 22)


def _update(**fields):
    return ProfileUpdate.model_validate({"givenName": "Dana", "familyName": "Reyes", **fields})


def test_age_turns_on_the_birthday_not_before():
    assert age_on(date(2008, 11, 22), TODAY) == 18
    assert age_on(date(2008, 11, 23), TODAY) == 17


def test_leap_day_birthdays():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


@given(st.dates(min_value=date(1880, 1, 1), max_value=TODAY))
def test_only_adults_up_to_the_maximum_age_are_accepted(birth):
    age = age_on(birth, TODAY)
    if MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
        validate_update(_update(dateOfBirth=birth.isoformat()), TODAY)
    else:
        with pytest.raises(Unprocessable):
            validate_update(_update(dateOfBirth=birth.isoformat()), TODAY)


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as error:
        _update(ssn="123-45-6789")
    assert error.value.errors()[0]["loc"] == ("ssn",)


def test_sms_without_a_phone_is_refused():
    with pytest.raises(ValidationError, match="needs a phone"):
        _update(contactPreferences={"email": True, "sms": True})


def test_strings_are_trimmed():
    assert _update(givenName="  Dana ").given_name == "Dana"


@pytest.mark.parametrize("state", ["TX", "NY", "DC"])
def test_real_states_pass(state):
    address = {"line1": "1 Main St", "city": "Austin", "state": state, "postalCode": "78701-1234"}
    assert _update(address=address).address.state == state


@pytest.mark.parametrize("state", ["ZZ", "tx", "Texas", ""])
def test_unknown_states_fail(state):
    with pytest.raises(ValidationError):
        _update(address={"line1": "1 Main St", "city": "Austin", "state": state, "postalCode": "78701"})
