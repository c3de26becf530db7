"""Sign-up creates a profile; GET/PUT /me read and replace only the caller's own profile."""

from __future__ import annotations

import copy
import json

import pytest

from tests.support.api import body_of, claims, header_of
from tests.support.lambdas import sample_event

VALID = sample_event("profile", "put_me")
UPDATE = json.loads(VALID["body"])


def _sign_up(stack, email: str = "dana@example.com") -> str:
    """A confirmed user in the pool, passed through the post-confirmation trigger."""
    cognito = stack.client("cognito-idp")
    pool = stack.physical.user_pool_id
    user = cognito.admin_create_user(UserPoolId=pool, Username=email)["User"]
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    event = copy.deepcopy(sample_event("post_confirmation", "confirm_sign_up"))
    event.update(userPoolId=pool, userName=user["Username"])
    event["request"]["userAttributes"].update(sub=sub, email=email)
    assert stack.invoke("post_confirmation", event) == event
    return sub


def _get(stack, sub, groups="customers"):
    return stack.request("GET", "/me", caller=claims(sub, groups))


def _put(stack, sub, body=UPDATE, *, raw=None, headers=None, groups="customers"):
    return stack.request(
        "PUT", "/me", body=None if raw else body, raw_body=raw, caller=claims(sub, groups), headers=headers
    )


def _stored(stack, sub):
    return (
        stack.client("dynamodb")
        .get_item(
            TableName=stack.physical.tables["customers"],
            Key={"pk": {"S": f"CUSTOMER#{sub}"}, "sk": {"S": "PROFILE"}},
        )
        .get("Item")
    )


def test_sign_up_creates_profile_and_customer_membership(stack):
    sub = _sign_up(stack)
    profile = body_of(_get(stack, sub))
    assert profile["customerId"] == sub and profile["email"] == "dana@example.com"
    assert profile["version"] == 1 and profile["contactPreferences"] == {"email": True, "sms": False}
    groups = stack.client("cognito-idp").admin_list_groups_for_user(
        UserPoolId=stack.physical.user_pool_id, Username="dana@example.com"
    )["Groups"]
    assert [g["GroupName"] for g in groups] == ["customers"]


def test_replayed_confirmation_changes_nothing(stack):
    sub = _sign_up(stack)
    _put(stack, sub)
    event = copy.deepcopy(sample_event("post_confirmation", "confirm_sign_up"))
    event.update(userPoolId=stack.physical.user_pool_id, userName="dana@example.com")
    event["request"]["userAttributes"].update(sub=sub, email="dana@example.com")
    stack.invoke("post_confirmation", event)
    assert body_of(_get(stack, sub))["givenName"] == "Dana"  # not reset to a blank profile


def test_password_reset_confirmation_creates_nothing(stack):
    event = copy.deepcopy(sample_event("post_confirmation", "confirm_sign_up"))
    event["triggerSource"] = "PostConfirmation_ConfirmForgotPassword"
    stack.invoke("post_confirmation", event)
    assert _stored(stack, event["request"]["userAttributes"]["sub"]) is None


def test_put_me_replaces_the_profile_and_bumps_the_version(stack):
    sub = _sign_up(stack)
    response = _put(stack, sub)
    assert response["statusCode"] == 200
    profile = body_of(response)
    assert profile["givenName"] == "Dana" and profile["address"]["postalCode"] == "78701"
    assert profile["version"] == 2 and header_of(response, "ETag") == '"2"'
    assert body_of(_get(stack, sub)) == profile
    assert _stored(stack, sub)["lastModifiedBy"] == {"S": f"customer:{sub}"}


def test_put_me_clears_optional_fields_left_out(stack):
    sub = _sign_up(stack)
    _put(stack, sub)
    trimmed = {k: v for k, v in UPDATE.items() if k not in {"phone", "address", "contactPreferences"}}
    profile = body_of(_put(stack, sub, trimmed))
    assert "phone" not in profile or profile["phone"] is None
    assert profile.get("address") is None
    assert profile["email"] == "dana@example.com"  # not editable, kept


def test_stale_if_match_is_412_and_changes_nothing(stack):
    sub = _sign_up(stack)
    _put(stack, sub)  # version 2
    response = _put(stack, sub, {**UPDATE, "givenName": "Other"}, headers={"If-Match": '"1"'})
    assert response["statusCode"] == 412
    assert body_of(response)["error"]["code"] == "version_mismatch"
    assert body_of(_get(stack, sub))["givenName"] == "Dana"


def test_matching_if_match_succeeds(stack):
    sub = _sign_up(stack)
    etag = header_of(_get(stack, sub), "ETag")
    assert _put(stack, sub, headers={"If-Match": etag})["statusCode"] == 200


@pytest.mark.parametrize(
    "presented",
    ['"' + "9" * 40 + '"', "9" * 40, 'W/"' + "1" * 39 + '"', '"+1"', '"1_0"', '"-1"', '"\u0661"', '"abc"'],
)
def test_an_if_match_that_no_get_returned_is_400_and_changes_nothing(stack, presented):
    # A 40-digit version would reach DynamoDB as a number beyond its 38 digits: a 500 before.
    sub = _sign_up(stack)
    response = _put(stack, sub, {**UPDATE, "givenName": "Other"}, headers={"If-Match": presented})
    assert response["statusCode"] == 400, response
    assert body_of(response)["error"]["code"] == "invalid_if_match"
    assert body_of(_get(stack, sub))["givenName"] != "Other"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**UPDATE, "ssn": "123-45-6789"}, "ssn"),
        ({**UPDATE, "givenName": ""}, "givenName"),
        ({**UPDATE, "phone": "555-0123"}, "phone"),
        ({**UPDATE, "address": {**UPDATE["address"], "state": "ZZ"}}, "address.state"),
        ({**UPDATE, "address": {**UPDATE["address"], "postalCode": "7870"}}, "address.postalCode"),
        ({**UPDATE, "dateOfBirth": "not-a-date"}, "dateOfBirth"),
        ({k: v for k, v in UPDATE.items() if k != "familyName"}, "familyName"),
        ({**UPDATE, "phone": None}, "body"),  # sms preference without a phone
    ],
)
def test_invalid_profile_is_422_naming_the_field_and_changes_nothing(stack, body, field):
    sub = _sign_up(stack)
    before = _stored(stack, sub)
    response = _put(stack, sub, body)
    assert response["statusCode"] == 422
    error = body_of(response)["error"]
    assert error["code"] == "validation_error"
    assert any(d["field"] == field or d["field"].startswith(field) for d in error["details"]), error
    assert _stored(stack, sub) == before


def test_a_child_birth_date_is_refused(stack):
    sub = _sign_up(stack)
    response = _put(stack, sub, {**UPDATE, "dateOfBirth": "2020-01-01"})
    assert response["statusCode"] == 422
    assert body_of(response)["error"]["details"][0]["field"] == "dateOfBirth"


def test_malformed_json_is_400(stack):
    sub = _sign_up(stack)
    response = _put(stack, sub, raw='{"givenName": "Dana",')
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "malformed_json"


def test_oversize_body_is_413(stack):
    sub = _sign_up(stack)
    response = _put(stack, sub, raw=json.dumps({**UPDATE, "givenName": "x" * 70_000}))
    assert response["statusCode"] == 413


def test_without_identity_is_401_and_without_a_role_is_403(stack):
    anonymous = stack.request("GET", "/me")
    assert anonymous["statusCode"] == 401
    no_group = _get(stack, "6c1d3a52-0000-4000-8000-000000000001", groups="")
    assert no_group["statusCode"] == 403


def test_profile_of_an_unconfirmed_account_is_404(stack):
    response = _put(stack, "6c1d3a52-0000-4000-8000-000000000002")
    assert response["statusCode"] == 404
    assert body_of(response)["error"]["code"] == "profile_not_found"


def test_each_caller_sees_only_their_own_profile(stack):
    dana, lee = _sign_up(stack, "dana@example.com"), _sign_up(stack, "lee@example.com")
    _put(stack, dana)
    assert body_of(_get(stack, lee))["customerId"] == lee
    assert body_of(_get(stack, lee)).get("givenName") is None


def test_personal_data_never_reaches_the_logs(stack, capsys):
    sub = _sign_up(stack)
    _put(stack, sub)
    _put(stack, sub, {**UPDATE, "unknown": 1})
    logs = capsys.readouterr()
    for secret in ("+15125550123", "1986-04-12", "100 Congress Ave"):
        assert secret not in logs.out + logs.err


def test_a_body_that_is_not_json_is_415_and_changes_nothing(stack):
    sub = _sign_up(stack)
    before = _stored(stack, sub)
    response = stack.request(
        "PUT", "/me", raw_body=json.dumps(UPDATE), caller=claims(sub), headers={"Content-Type": "text/plain"}
    )
    assert response["statusCode"] == 415
    assert body_of(response)["error"]["code"] == "unsupported_media_type"
    assert _stored(stack, sub) == before


def test_preferred_language_is_english_until_chosen(stack):
    sub = _sign_up(stack)
    assert body_of(_get(stack, sub))["preferredLanguage"] == "en"
    assert body_of(_put(stack, sub))["preferredLanguage"] == "en"  # UPDATE leaves it out


def test_put_me_stores_and_returns_the_preferred_language(stack):
    sub = _sign_up(stack)
    response = _put(stack, sub, {**UPDATE, "preferredLanguage": "es"})
    assert response["statusCode"] == 200
    assert body_of(response)["preferredLanguage"] == "es"
    assert body_of(_get(stack, sub))["preferredLanguage"] == "es"
    assert _stored(stack, sub)["preferredLanguage"] == {"S": "es"}


def test_preferred_language_left_out_of_a_put_goes_back_to_english(stack):
    # PUT replaces every editable field: a client that omits the language states the default.
    sub = _sign_up(stack)
    _put(stack, sub, {**UPDATE, "preferredLanguage": "es"})
    assert body_of(_put(stack, sub))["preferredLanguage"] == "en"


@pytest.mark.parametrize("language", ["fr", "ES", "es-US", "", None, 1, ["es"]])
def test_a_language_we_do_not_speak_is_422_naming_the_field_and_changes_nothing(stack, language):
    sub = _sign_up(stack)
    _put(stack, sub, {**UPDATE, "preferredLanguage": "es"})
    before = _stored(stack, sub)
    response = _put(stack, sub, {**UPDATE, "givenName": "Other", "preferredLanguage": language})
    assert response["statusCode"] == 422, response
    error = body_of(response)["error"]
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == ["preferredLanguage"], error
    assert _stored(stack, sub) == before


def test_a_stored_language_we_do_not_speak_reads_as_english(stack):
    # Another writer (a CRM sync, an older portal) may have stored something else.
    sub = _sign_up(stack)
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["customers"],
        Key={"pk": {"S": f"CUSTOMER#{sub}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression="SET preferredLanguage = :l",
        ExpressionAttributeValues={":l": {"S": "fr"}},
    )
    response = _get(stack, sub)
    assert response["statusCode"] == 200
    assert body_of(response)["preferredLanguage"] == "en"
