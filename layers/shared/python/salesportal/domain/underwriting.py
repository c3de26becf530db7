"""Underwriting rules: identity check and bureau score in, a decision a person can read out.

Pure: the worker hands in what KYC and the bureau answered. Thresholds are module
constants because they are the insurer's underwriting policy, reviewed like code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from salesportal.domain.sales import Money

Outcome = Literal["APPROVED", "DECLINED", "REFERRED"]

APPROVE_AT = 700  # bureau score at or above: approved without a person
REFER_AT = 550  # from here up to APPROVE_AT: an underwriter decides
# Band B is approved with a loading on the quoted premium (basis points).
BAND_LOADING_BPS: Mapping[str, int] = {"A": 0, "B": 1000}
# How far a reviewer may move a quoted premium (basis points): the API's bounds. A
# deployment may narrow them (the review function's settings), never widen them.
REVIEW_ADJUSTMENT_FLOOR_BPS = -2500
REVIEW_ADJUSTMENT_CEILING_BPS = 10_000

# What a customer reads for each bureau reason code; unknown codes get a generic line. Each
# is a statement of fact, never of what happens next: the outcome decides that (a DECLINED
# application is not looked at again, so no reason may promise a person will).
REASON_TEXT: Mapping[str, str] = {
    "tobacco_use": "Tobacco use increases the risk we would cover.",
    "minor_violations": "Your driving record shows minor violations.",
    "major_violations": "Your driving record shows major violations.",
    "identity_not_found": "We could not verify your identity with the details given.",
    "ssn_mismatch": "The Social Security number did not match the other details given.",
}
# The bureau names a declaration it weighed as ``declared_<question>``, the question as the
# API spells it (``hospitalizedLast5Years``); keys here are that name folded (lower case, no
# underscores), so ``declared_hospitalized_last_5_years`` reads the same.
DECLARATION_TEXT: Mapping[str, str] = {
    "hospitalizedlast5years": "You told us you were admitted to hospital in the last five years.",
    "chroniccondition": "You told us you have a long-term (chronic) medical condition.",
    "hazardousactivities": "You told us you take part in hazardous activities.",
    "previouslydeclined": "You told us another insurer has declined to cover you before.",
}
DECLARED_PREFIX = "declared_"
_DECLARED_GENERIC = "One of your answers to the health and history questions affects the cover we can offer."
_GENERIC = "The risk assessment did not meet this product's underwriting guidelines."
# The one sentence that says a person will look: a REFERRED decision ends with it.
REFERRED_NOTE = "An underwriter will review your application and write to you with the decision."


@dataclass(frozen=True)
class Decision:
    """What the rules decided; ``salesportal.workflows.deciding`` records it."""

    outcome: Outcome
    reasons: tuple[str, ...]
    annual_premium_cents: int | None = None  # set when approved
    monthly_premium_cents: int | None = None
    adjustment_bps: int = 0  # an approval's loading on the quoted premium


def _folded(name: str) -> str:
    return name.replace("_", "").casefold()


def declared(question: str) -> str:
    """What a customer reads for a declaration the bureau weighed, ``question`` as the API
    names it (``hospitalizedLast5Years``)."""
    return DECLARATION_TEXT.get(_folded(question), _DECLARED_GENERIC)


def readable(code: str) -> str:
    """A bureau or identity reason code as a sentence a customer understands."""
    if code.startswith(DECLARED_PREFIX):
        return declared(code.removeprefix(DECLARED_PREFIX))
    return REASON_TEXT.get(code, _GENERIC)


def adjust(cents: int, bps: int) -> int:
    """``cents`` changed by ``bps`` basis points (+1000 = +10 %), rounded half up."""
    return int((Decimal(cents) * (10_000 + bps) / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def adjusted(premium: Money, bps: int) -> Money:
    """A premium moved by ``bps`` (a band's loading, an agent's adjustment), same currency."""
    return premium.with_cents(adjust(premium.amount_cents, bps))


def decide(
    *,
    identity_verified: bool,
    identity_reasons: Sequence[str],
    score: int,
    band: str,
    reason_codes: Sequence[str],
    quoted_annual_cents: int,
    quoted_monthly_cents: int,
) -> Decision:
    if not identity_verified:
        return Decision(
            "DECLINED", tuple(readable(c) for c in identity_reasons) or (readable("identity_not_found"),)
        )
    reasons = tuple(dict.fromkeys(readable(c) for c in reason_codes))
    if score < REFER_AT:
        return Decision("DECLINED", reasons or (_GENERIC,))
    if score < APPROVE_AT or band not in BAND_LOADING_BPS:
        return Decision("REFERRED", (*reasons, REFERRED_NOTE))
    loading = BAND_LOADING_BPS[band]
    note = (f"Approved with a {loading / 100:g}% risk loading.",) if loading else ()
    return Decision(
        "APPROVED",
        note,
        annual_premium_cents=adjust(quoted_annual_cents, loading),
        monthly_premium_cents=adjust(quoted_monthly_cents, loading),
        adjustment_bps=loading,
    )
