"""The customer profile: what a customer may change about themselves, and what they see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from salesportal.domain.languages import DEFAULT_LANGUAGE, Language, language_of
from salesportal.domain.profile import ContactChoice, CustomerProfile, PostalAddress, ProfileChange
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
