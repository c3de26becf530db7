"""Shapes shared by every API: the base models, money, pages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:
    from salesportal.domain import sales

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339's date-time (what OpenAPI's format means): a zone is required; "Z" or an offset.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _date_text(value: Any) -> Any:
    """Only YYYY-MM-DD text (or a date, from Python callers): lax parsing would take 0 or
    "86400" as days since 1970, and the schema promises a string in date format."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


def _date_time_text(value: Any) -> Any:
    """Only RFC 3339 text with a zone (or an aware datetime): lax parsing would read "0.5" as
    a Unix time, and a time without a zone means nothing to compare stored UTC stamps with."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        return value
    raise ValueError("must be a date-time as YYYY-MM-DDThh:mm:ss with Z or an offset")


# What str.strip() removes (str.isspace), spelled out: \s means other sets in Python's,
# Rust's (pydantic) and ECMA-262's (JSON Schema) regular expressions.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def not_blank(min_chars: int = 1) -> str:
    """A pattern for text that is at least ``min_chars`` long once trimmed. Input models trim
    before they check lengths, so the schema must say that surrounding spaces do not count
    (a bare minLength would promise that "  " is a name)."""
    char = f"[^{SPACE}]"
    return char if min_chars <= 1 else f"{char}[\\s\\S]{{{min_chars - 2},}}{char}"


# Input types for the wire's text forms; strict models parse them from strings only.
IsoDate = Annotated[date, Strict(False), BeforeValidator(_date_text)]
IsoDateTime = Annotated[
    datetime,
    Strict(False),
    BeforeValidator(_date_time_text),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class ApiModel(BaseModel):
    """Output model: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class InputModel(ApiModel):
    """Input model: unknown fields are an error, strings are trimmed, and types are strict: a
    number is no string, 1 is no boolean, "5" no integer, as the schema says (dates and times
    are text: IsoDate, IsoDateTime)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        strict=True,
    )


class Money(ApiModel):
    """Money is integer cents plus an ISO 4217 currency code, never a float."""

    amount_cents: int = Field(ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    @classmethod
    def of(cls, money: sales.Money) -> Money:
        """The API's money from the domain's."""
        return cls(amount_cents=money.amount_cents, currency=money.currency)


T = TypeVar("T")


class Page(ApiModel, Generic[T]):
    items: list[T]
    next_token: str | None = None
