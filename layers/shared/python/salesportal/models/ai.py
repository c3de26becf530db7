"""AI assistant questions and answers, and the staff view of customers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from salesportal.contract import LOCATION, refusals, success
from salesportal.models.common import ApiModel, InputModel, not_blank
from salesportal.models.customers import Profile

if TYPE_CHECKING:
    from salesportal.domain.questions import Question

CUSTOMER_ID = r"^[A-Za-z0-9-]{1,64}$"


class AiQueryRequest(InputModel):
    question: str = Field(
        min_length=3, max_length=2000, pattern=not_blank(3), description="What to ask, in plain language"
    )
    customer_id: str | None = Field(
        default=None, pattern=CUSTOMER_ID, description="Answer with this customer's data"
    )


class Usage(ApiModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AiQuery(ApiModel):
    query_id: str
    status: Literal["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]
    question: str
    customer_id: str | None = None
    answer: str | None = None
    model: str | None = None
    usage: Usage | None = None
    latency_ms: int | None = None
    failure_reason: str | None = None
    created_at: datetime
    completed_at: datetime | None = None
    expires_at: datetime

    @classmethod
    def from_entity(cls, question: Question) -> AiQuery:
        answer = question.answer
        return cls(
            query_id=question.query_id,
            status=question.status,
            question=question.question,
            customer_id=question.customer_id,
            answer=answer.text if answer else None,
            model=answer.model if answer else None,
            usage=Usage(
                prompt_tokens=answer.prompt_tokens,
                completion_tokens=answer.completion_tokens,
                total_tokens=answer.total_tokens,
            )
            if answer
            else None,
            latency_ms=answer.latency_ms if answer else None,
            failure_reason=question.failure_reason,
            created_at=question.created_at,
            completed_at=question.completed_at,
            expires_at=question.expires_at,
        )


ASK_DOCS: dict[str, Any] = {
    "responses": {
        202: success("Queued; poll Location for the answer", headers=LOCATION),
        **refusals({404: "No such customer to ask about (customer_not_found)"}),
    }
}
QUERY_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The query and, once answered, its answer"),
        **refusals({404: "No such query, or expired"}),
    }
}


class CustomerSummary(ApiModel):
    customer_id: str
    email: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    salesforce_id: str | None = None
    deleted: bool = False
    updated_at: datetime


class CustomerRecord(Profile):
    """One customer as staff see it: the profile plus what the CRM says about them."""

    salesforce_id: str | None = None
    account_name: str | None = None
    lead_source: str | None = None
    lifetime_value: Decimal | None = None
    source: str | None = Field(default=None, description="'salesforce' when the customer came from the CRM")
    crm_synced_at: datetime | None = None
    deleted: bool = Field(default=False, description="Deleted in Salesforce; the history is kept")
    deleted_at: datetime | None = None
