"""Hourly Salesforce pull: Contacts changed since the watermark become portal customers.

Reads Contacts (deleted ones too, through queryAll) with ``SystemModstamp >=`` the watermark
minus a small overlap, ordered by (SystemModstamp, Id), following ``nextRecordsUrl`` to the
last page. Upserts are idempotent (matched by Salesforce id, then email); a deleted Contact
marks its customer deleted and keeps the history; numbers become Decimal. The watermark
moves only after a run that read every page and applied every record, so a run that dies
halfway is simply done again. The run stops cleanly when the API budget runs low
(``Sforce-Limit-Info``), leaving the watermark for the next run. Every run is recorded.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.customers import CustomerRepository
from salesportal.domain.crm import OVERLAP, merge_contact, parse_stamp
from salesportal.integrations.salesforce import SalesforceClient
from salesportal.observability import entrypoint, logger, metrics

ACTOR = "system:salesforce"
EPOCH = "2000-01-01T00:00:00+00:00"
BUDGET_RESERVE = 200  # API calls left for everything else in the org; the next run resumes


class PollSettings(Settings):
    customers_table_name: str
    control_table_name: str
    salesforce_base_url: str
    salesforce_secret_id: str


def apply_contact(
    customers: CustomerRepository, contact: dict[str, Any], now: str, counts: dict[str, Any]
) -> None:
    existing = customers.by_salesforce_id(contact["Id"])
    if existing is None and contact.get("Email"):
        matches = customers.find_by_email(str(contact["Email"]).lower())
        existing = matches[0] if matches else None
    if contact.get("IsDeleted"):
        if existing is not None and not existing.get("deleted"):
            customers.apply_crm(
                existing["customerId"], {"deleted": True, "deletedAt": now}, actor=ACTOR, now=now
            )
            counts["deleted"] += 1
        return
    merge = merge_contact(contact, existing)
    counts["conflicts"].extend({"salesforceId": contact["Id"], **c} for c in merge.conflicts)
    if existing is None:
        customers.create_from_crm(
            f"sf-{contact['Id']}",
            merge.updates,
            modified=parse_stamp(contact["LastModifiedDate"]).isoformat(),
            actor=ACTOR,
            now=now,
        )
        counts["created"] += 1
    elif merge.updates or existing.get("deleted"):
        customers.apply_crm(existing["customerId"], {**merge.updates, "deleted": False}, actor=ACTOR, now=now)
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1


def run(run_id: str, now: datetime) -> dict[str, Any]:
    settings = load(PollSettings)
    control = ControlRepository(settings.control_table_name)
    customers = CustomerRepository(settings.customers_table_name)
    watermark = control.salesforce_watermark() or EPOCH
    counts: dict[str, Any] = {
        "pages": 0,
        "records": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "conflicts": [],
    }
    report: dict[str, Any] = {
        "runId": run_id,
        "direction": "pull",
        "startedAt": now.isoformat(),
        "watermarkBefore": watermark,
    }
    control.record_salesforce_run(run_id, {**report, "status": "RUNNING"})
    try:
        secret = parameters.get_secret(settings.salesforce_secret_id, transform="json", max_age=300)
        client = SalesforceClient(settings.salesforce_base_url, secret["clientId"], secret["clientSecret"])
        newest = watermark
        status = "SUCCEEDED"
        for page in client.contact_pages(datetime.fromisoformat(watermark) - OVERLAP):
            counts["pages"] += 1
            for contact in page:
                apply_contact(customers, contact, now.isoformat(), counts)
                counts["records"] += 1
                newest = max(newest, parse_stamp(contact["SystemModstamp"]).isoformat())
            budget = client.budget
            if budget is not None and budget.remaining < BUDGET_RESERVE:
                status = "STOPPED_AT_API_LIMIT"  # clean stop: the next run starts from the same watermark
                logger.warning(
                    "salesforce API budget low; stopping", extra={"used": budget.used, "total": budget.total}
                )
                break
    except Exception as exc:
        control.record_salesforce_run(
            run_id,
            {
                **report,
                **counts,
                "status": "FAILED",
                "error": f"{type(exc).__name__}: {exc}"[:500],
                "finishedAt": datetime.now(UTC).isoformat(),
            },
        )
        raise
    if status == "SUCCEEDED":
        control.set_salesforce_watermark(newest, run_id)
    final = {
        **report,
        **counts,
        "status": status,
        "watermarkAfter": newest if status == "SUCCEEDED" else watermark,
        "finishedAt": datetime.now(UTC).isoformat(),
    }
    control.record_salesforce_run(run_id, final)
    for name in ("records", "created", "updated", "deleted"):
        metrics.add_metric(name=f"SalesforcePull{name.capitalize()}", unit="Count", value=counts[name])
    logger.info(
        "salesforce pull finished",
        # LogRecord reserves "created": the counts go out under their own names.
        extra={f"sf_{k}": final[k] for k in ("status", "pages", "records", "created", "updated", "deleted")},
    )
    return final


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = datetime.now(UTC)
    return run(f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}", now)
