"""The customer profile: what a customer may change about themselves, and what they see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from salesportal.contract import ETAG, reads_headers, refusals, request_header, success
from salesportal.domain.languages import DEFAULT_LANGUAGE, Language, language_of
from salesportal.domain.profile import ContactChoice, CustomerProfile, PostalAddress, ProfileChange
from salesportal.errors import BadRequest
from salesportal.models.common import ApiModel, InputModel, IsoDate, not_blank

US_STATE = r"^(A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])$"


class Address(InputModel):
    line1: str = Field(min_length=1, max_length=100, pattern=not_blank())
    line2: str | None = Field(default=None, max_length=100)
    city: str = Field(min_length=1, max_length=60, pattern=not_blank())
    state: str = Field(pattern=US_STATE, description="Two-letter US state code")
    postal_code: str = Field(pattern=r"^\d{5}(-\d{4})?$")

    def to_entity(self) -> PostalAddress:
        return PostalAddress(
            line1=self.line1, line2=self.line2, city=self.city, state=self.state, postal_code=self.postal_code
        )

    @classmethod
    def from_entity(cls, address: PostalAddress) -> Address:
        # Validated like input: an address stored by another writer that breaks the rules
        # is an error here, as it always was, never passed on unchecked.
        return cls.model_validate(
            {
                "line1": address.line1,
                "line2": address.line2,
                "city": address.city,
                "state": address.state,
                "postalCode": address.postal_code,
            }
        )


class ContactPreferences(InputModel):
    email: bool = True
    sms: bool = False


class ProfileUpdate(InputModel):
    """PUT /me replaces every editable field: an optional field left out is cleared."""

    given_name: str = Field(min_length=1, max_length=50, pattern=not_blank())
    family_name: str = Field(min_length=1, max_length=50, pattern=not_blank())
    phone: str | None = Field(default=None, pattern=r"^\+[1-9]\d{7,14}$", description="E.164")
    date_of_birth: IsoDate | None = None
    address: Address | None = None
    contact_preferences: ContactPreferences = ContactPreferences()
    preferred_language: Language = Field(
        default=DEFAULT_LANGUAGE,
        description="The language of the portal and of the e-mails and SMS sent to you (left out: en)",
    )

    @model_validator(mode="after")
    def _sms_needs_phone(self) -> ProfileUpdate:
        if self.contact_preferences.sms and not self.phone:
            raise ValueError("contactPreferences.sms needs a phone number")
        return self

    def to_change(self) -> ProfileChange:
        return ProfileChange(
            given_name=self.given_name,
            family_name=self.family_name,
            phone=self.phone,
            date_of_birth=self.date_of_birth,
            address=self.address.to_entity() if self.address else None,
            contact=ContactChoice(email=self.contact_preferences.email, sms=self.contact_preferences.sms),
            preferred_language=self.preferred_language,
        )


class Profile(ApiModel):
    customer_id: str
    email: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    address: Address | None = None
    contact_preferences: ContactPreferences = ContactPreferences()
    # A profile stored before the preference existed has none: it reads as the default.
    preferred_language: Annotated[Language, BeforeValidator(language_of)] = DEFAULT_LANGUAGE
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def from_entity(cls, profile: CustomerProfile) -> Profile:
        return cls(
            customer_id=profile.customer_id,
            email=profile.email,
            given_name=profile.given_name,
            family_name=profile.family_name,
            phone=profile.phone,
            date_of_birth=profile.date_of_birth,
            address=Address.from_entity(profile.address) if profile.address else None,
            contact_preferences=ContactPreferences(email=profile.contact.email, sms=profile.contact.sms),
            preferred_language=profile.preferred_language,
            created_at=profile.created_at,
            updated_at=profile.updated_at,
            version=profile.version,
        )


# -- PUT /me's If-Match, and what GET and PUT /me answer ---------------------------------------
IF_MATCH = r'^(\*|(W/)?"?[0-9]{1,18}"?)$'  # what expected_version accepts
_MAX_VERSION_DIGITS = 18


def expected_version(if_match: str | None) -> int | None:
    """The profile version an ``If-Match`` names; None for absent or ``*`` (any version)."""
    if if_match is None or if_match.strip() == "*":
        return None
    # Versions count up from 1: more than 18 digits was never an ETag of ours, and would reach
    # DynamoDB as a number beyond its 38 digits (a 500). int() alone also takes "+1" and "1_0".
    digits = if_match.strip().removeprefix("W/").strip('"')
    if not (digits.isascii() and digits.isdigit() and len(digits) <= _MAX_VERSION_DIGITS):
        raise BadRequest("If-Match must be an ETag returned by GET /me.", code="invalid_if_match")
    return int(digits)


_NO_PROFILE = {404: "No profile exists for this account yet (profile_not_found)"}
GET_ME_DOCS: dict[str, Any] = {
    "responses": {200: success("Your profile; ETag is its version", headers=ETAG), **refusals(_NO_PROFILE)}
}
PUT_ME_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The profile as stored; ETag is its new version", headers=ETAG),
        **refusals(
            {
                400: "If-Match is not an ETag of this API (invalid_if_match)",
                **_NO_PROFILE,
                412: "If-Match names a version that is no longer current (precondition_failed)",
                422: "A rule beyond the schema: age 18 to 120 today, SMS needs a phone (validation_error)",
            }
        ),
    },
    "openapi_extensions": reads_headers(
        request_header(
            "If-Match",
            "The ETag from GET /me: the update applies only to that version (* or absent: any)",
            pattern=IF_MATCH,
        )
    ),
}
