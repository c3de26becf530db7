"""Shapes shared by every API: the base models, money, pages."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """Output model: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class InputModel(ApiModel):
    """Input model: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


class Money(ApiModel):
    """Money is integer cents plus an ISO 4217 currency code, never a float."""

    amount_cents: int = Field(ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")


T = TypeVar("T")


class Page(ApiModel, Generic[T]):
    items: list[T]
    next_token: str | None = None
