"""Plan-delta rows from the system of record: parsed and validated, or refused with a reason.

Pure: a raw row (from JSON Lines or CSV) in, a ``Change`` out, or ``RowError`` naming what
is wrong. A row is validated whole before anything is applied, so a bad row never half-applies.

Source entities and their columns (the system of record's model):
- beneficiary(beneficiary_id, fname, lname, sex, ssn, birthdate, address, city, state, zip_code)
- beneficiary_to_plan(beneficiary_id, plan_id, start_date, end_date)
- plan(plan_id, plan_name, insurer_name, status, description, avg_monthly_cost,
  avg_copay_amount, annual_deductible, min_age, max_age)
- plan_feature(plan_id, feature_key, feature_value)
- plan_to_zip(plan_id, zip_code)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from salesportal.domain.plans import FEATURES, cents
from salesportal.domain.raw import JsonObject, JsonValue
from salesportal.pii import holds_ssn, mask, redacted

Entity = Literal["beneficiary", "beneficiary_to_plan", "plan", "plan_feature", "plan_to_zip"]
Op = Literal["upsert", "delete"]
ENTITIES: tuple[str, ...] = ("beneficiary", "beneficiary_to_plan", "plan", "plan_feature", "plan_to_zip")
ID = r"^[A-Za-z0-9_-]{1,40}$"
ZIP = r"^\d{5}$"


class RowError(ValueError):
    """Why a row was quarantined, in words an operator can act on. The words may quote raw
    input (an unknown entity, a bad value), so they are masked before they are written."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class PlanValues(TypedDict):
    """A plan's own values, as the catalog keeps them."""

    planId: str
    planName: str
    insurerName: str
    status: str
    description: str | None
    monthlyCostCents: int
    copayCents: int
    deductibleCents: int
    minAge: int
    maxAge: int


class PlanKey(_Row):
    plan_id: str = Field(pattern=ID)


class PlanRow(PlanKey):
    plan_name: str = Field(min_length=1, max_length=200)
    insurer_name: str = Field(min_length=1, max_length=200)
    status: Literal["ACTIVE", "INACTIVE"]
    description: str | None = Field(default=None, max_length=2000)
    avg_monthly_cost: Any
    avg_copay_amount: Any
    annual_deductible: Any
    min_age: int = Field(ge=0, le=130)
    max_age: int = Field(ge=0, le=130)

    @field_validator("status", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _band(self) -> PlanRow:
        if self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self

    def values(self) -> PlanValues:
        return {
            "planId": self.plan_id,
            "planName": self.plan_name,
            "insurerName": self.insurer_name,
            "status": self.status,
            "description": self.description,
            "monthlyCostCents": cents(self.avg_monthly_cost, "avg_monthly_cost"),
            "copayCents": cents(self.avg_copay_amount, "avg_copay_amount"),
            "deductibleCents": cents(self.annual_deductible, "annual_deductible"),
            "minAge": self.min_age,
            "maxAge": self.max_age,
        }


class FeatureKey(PlanKey):
    feature_key: str

    @field_validator("feature_key")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in FEATURES:
            raise ValueError(f"unknown feature {value!r}")
        return value


class FeatureRow(FeatureKey):
    feature_value: str = Field(min_length=1, max_length=100)


class ZipRow(PlanKey):
    zip_code: str = Field(pattern=ZIP)


class BeneficiaryKey(_Row):
    beneficiary_id: str = Field(pattern=ID)


class BeneficiaryRow(BeneficiaryKey):
    fname: str = Field(min_length=1, max_length=60)
    lname: str = Field(min_length=1, max_length=60)
    sex: Literal["F", "M", "U"] = "U"
    ssn: str = Field(pattern=r"^\d{3}-?\d{2}-?\d{4}$")
    birthdate: date
    address: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=60)
    state: str = Field(pattern=r"^[A-Z]{2}$")
    zip_code: str = Field(pattern=ZIP)

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, value: Any) -> Any:
        return (value or "U").upper()[:1] if isinstance(value, str) else value


class EnrollmentKey(BeneficiaryKey):
    plan_id: str = Field(pattern=ID)
    start_date: date


class EnrollmentRow(EnrollmentKey):
    end_date: date | None = None

    @field_validator("end_date", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @model_validator(mode="after")
    def _ordered(self) -> EnrollmentRow:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


_MODELS: Mapping[tuple[str, str], type[_Row]] = {
    ("plan", "upsert"): PlanRow,
    ("plan", "delete"): PlanKey,
    ("plan_feature", "upsert"): FeatureRow,
    ("plan_feature", "delete"): FeatureKey,
    ("plan_to_zip", "upsert"): ZipRow,
    ("plan_to_zip", "delete"): ZipRow,
    ("beneficiary", "upsert"): BeneficiaryRow,
    ("beneficiary", "delete"): BeneficiaryKey,
    ("beneficiary_to_plan", "upsert"): EnrollmentRow,
    ("beneficiary_to_plan", "delete"): EnrollmentKey,
}

# The fields each row model keeps, bar the SSN: where a stray SSN would be stored.
_KEPT: Mapping[type[_Row], tuple[str, ...]] = {
    model: tuple(name for name in model.model_fields if name != "ssn") for model in set(_MODELS.values())
}


@dataclass(frozen=True)
class Change:
    entity: str
    op: str
    row: Any  # the validated model for (entity, op)


def _describe(error: ValidationError) -> str:
    parts = []
    for err in error.errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "row"
        # pydantic's message may echo the input: never for the SSN.
        message = "invalid" if field == "ssn" else err.get("msg", "invalid")
        parts.append(f"{field}: {message}")
    return "; ".join(parts)


def parse(entity: object, op: object, data: JsonObject) -> Change:
    entity = str(entity or "").strip().lower()
    op = str(op or "upsert").strip().lower()
    if entity not in ENTITIES:
        raise RowError(f"unknown entity {entity!r}")
    if op not in ("upsert", "delete"):
        raise RowError(f"unknown op {op!r}")
    model = _MODELS[(entity, op)]
    try:
        row = model.model_validate(dict(data))
        if isinstance(row, PlanRow):
            row.values()  # amounts are checked here, before anything is written
    except ValidationError as exc:
        raise RowError(_describe(exc)) from None
    except ValueError as exc:
        raise RowError(str(exc)) from None
    _no_stray_ssn(model, data)
    return Change(entity, op, row)


def _no_stray_ssn(model: type[_Row], data: JsonObject) -> None:
    """Refuses a row that would store nine digits in a row outside its ``ssn``: an SSN in
    the wrong column (a shifted CSV, a mis-mapped export) would otherwise be written in clear.
    Ids, ZIPs, dates, ages and amounts never hold so many digits; free text rarely does (a
    phone number in a description), and then an operator's look beats an SSN in clear. Reads
    the raw values of the fields the row keeps (what is stored, before trimming and typing)."""
    values = {name: str(data[name]) for name in _KEPT[model] if name in data}
    if not holds_ssn("|".join(values.values())):  # one search per row; "|" ends a run
        return
    name = next(name for name, value in values.items() if holds_ssn(value))
    raise RowError(f"{name}: holds nine digits in a row, as an SSN does; an SSN goes only in ssn")


def masked(data: JsonObject) -> dict[str, JsonValue]:
    """A raw row as it may be written to the quarantine: the SSN reduced to its last four,
    and any nine digits in a row anywhere else (an SSN in another column) masked too."""
    out = dict(data)
    if "ssn" in out and out["ssn"] is not None:
        digits = "".join(ch for ch in str(out["ssn"]) if ch.isdigit())
        out["ssn"] = f"***-**-{digits[-4:]}" if len(digits) >= 4 else "***"
    masked_row: dict[str, JsonValue] = redacted(out)
    return masked_row


# -- files: lines in, rows out -------------------------------------------------------------
RAW_KEPT = 500  # characters of an unparseable line kept for the operator, masked first


@dataclass(frozen=True, slots=True)
class RawRow:
    """A line of a delta file before validation; ``error`` says why it could not even be read."""

    line: int
    entity: object
    op: object
    data: JsonObject
    error: str | None = None


def _jsonl_rows(lines: Iterable[str]) -> Iterator[RawRow]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        # The line is quoted only masked, and masked before it is cut: a cut first could
        # leave an SSN's first digits at the end, shorter than a run and so unmasked.
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):  # also too deep, or a number too long for int
            yield RawRow(number, None, None, {"raw": mask(line)[:RAW_KEPT]}, "not valid JSON")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("data", {}), dict):
            raw = {"raw": mask(line)[:RAW_KEPT]}
            yield RawRow(number, None, None, raw, 'a line must be {"entity", "op", "data": {...}}')
            continue
        yield RawRow(number, row.get("entity"), row.get("op"), row.get("data") or {})


def _csv_rows(name: str, lines: Iterable[str]) -> Iterator[RawRow]:
    entity = name.split("-", 1)[0].split(".", 1)[0]
    if entity not in ENTITIES:
        yield RawRow(
            0, None, None, {"file": name}, f"a CSV file name must start with one of {', '.join(ENTITIES)}"
        )
        return
    for number, record in enumerate(csv.DictReader(lines), 2):  # line 1 is the header
        data = {k.strip(): (v or "").strip() for k, v in record.items() if k}
        yield RawRow(number, entity, data.pop("op", "") or "upsert", data)


def read_rows(key: str, lines: Iterable[str]) -> Iterator[RawRow]:
    """The rows of a delta file, streamed: JSON Lines (``{"entity", "op", "data"}`` per line,
    any entity) or CSV (one entity per file, named ``<entity>-….csv``, with an ``op`` column)."""
    name = PurePosixPath(key).name
    if name.endswith((".jsonl", ".ndjson")):
        yield from _jsonl_rows(lines)
    elif name.endswith(".csv"):
        yield from _csv_rows(name, lines)
    else:
        yield RawRow(0, None, None, {"file": name}, "unsupported file type (use .jsonl or .csv)")


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A refused row as the quarantine file keeps it: masked, with the reason (masked too)."""

    line: int
    reason: str
    row: JsonObject


def quarantined(row: RawRow, error: RowError) -> Quarantined:
    # The reason may quote the row (an unknown entity, a bad value): masked as the row is.
    return Quarantined(row.line, mask(str(error)), masked(row.data))


@dataclass(frozen=True, slots=True)
class ApplyTotals:
    plans_changed: int = 0
    zip_items_written: int = 0
    zip_items_deleted: int = 0


@dataclass(frozen=True, slots=True)
class DeltaFile:
    key: str
    etag: str

    @property
    def stem(self) -> str:
        """The name its quarantine and report files share: the file's stem and its ETag's start."""
        return f"{PurePosixPath(self.key).stem}-{self.etag.strip(chr(34))[:12]}"


@dataclass(frozen=True, slots=True)
class FileReport:
    run_id: str
    file: DeltaFile
    applied_at: datetime
    applied: Mapping[str, int]  # "<entity>:<op>" -> rows
    quarantined: int
    totals: ApplyTotals
    report_key: str
    quarantine_key: str | None = None

    @property
    def rows_applied(self) -> int:
        return sum(self.applied.values())


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: str
    files: tuple[FileReport, ...] = field(default=())
    already_applied: int = 0
