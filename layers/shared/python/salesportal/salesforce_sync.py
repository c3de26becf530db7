"""Salesforce sync runs: pull changed Contacts in, push portal changes out, record the run.

Shared by the hourly poll (a pull) and the manual-sync worker (pull, push or both). The
merge rules are pure (``salesportal.domain.crm``); this module moves the data and keeps the
books:

- **pull**: Contacts (deleted ones too, through queryAll) with ``SystemModstamp >=`` the
  watermark minus a small overlap, in (SystemModstamp, Id) order, every page. Upserts are
  idempotent (matched by Salesforce id, then email); a deleted Contact marks its customer
  deleted and keeps the history. The watermark moves to the newest stamp of each page once
  the whole page is applied: pages come in stamp order and are read again from ``>=`` that
  stamp, so a Contact sharing it on the next page is not skipped, and a run that dies
  halfway (or a first import larger than one invocation) resumes where it got to instead of
  starting over. A low API budget (``Sforce-Limit-Info``) or too little time left in the
  invocation stops the run cleanly between pages; the next run goes on from there.
- **push**: customers changed in the portal since the last complete push (index byUpdated),
  200 to a call: Contacts Salesforce already knows are updated by Id, new ones upserted by
  the external id ``Portal_Customer_Id__c`` (a retried batch matches instead of duplicating).
  A record Salesforce refuses is reported in the run and keeps the push watermark where it
  was, so the next push sends it again. A low API budget or too little time left stops the
  push between pages, its watermark unmoved.

Each run is one record in the control table (``GET /salesforce/sync/{runId}``) with a section
per direction: counts, conflicts and errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import monotonic as clock
from typing import Any, Literal

from salesportal import secrets
from salesportal.data.control import ControlRepository
from salesportal.data.customers import CustomerRepository
from salesportal.domain.crm import (
    OVERLAP,
    PORTAL_ID_FIELD,
    contact_for_push,
    merge_contact,
    needs_push,
    parse_stamp,
)
from salesportal.integrations.salesforce import COLLECTION_LIMIT, SalesforceClient
from salesportal.observability import logger, metrics

Direction = Literal["pull", "push", "both"]
ACTOR = "system:salesforce"
EPOCH = "2000-01-01T00:00:00+00:00"
BUDGET_RESERVE = 200  # API calls left for everything else in the org; the next run resumes
MAX_LISTED = 50  # conflicts and errors kept on a run record (the counts are complete)
# A run's terminal states; a redelivered message for one of these does nothing.
FINISHED = frozenset(
    {"SUCCEEDED", "COMPLETED_WITH_ERRORS", "STOPPED_AT_TIME_LIMIT", "STOPPED_AT_API_LIMIT", "FAILED"}
)


@dataclass(frozen=True)
class TimeBudget:
    """Whether a run may start another page: only while the invocation keeps time for a page
    as slow as the slowest so far (twice, for a margin) and for recording the run."""

    remaining_ms: Callable[[], int]
    reserve_s: float = 30

    def allows_another(self, slowest_page_s: float) -> bool:
        return self.remaining_ms() / 1000 > self.reserve_s + 2 * slowest_page_s


UNBOUNDED = TimeBudget(lambda: sys.maxsize)


@dataclass(frozen=True)
class RunContext:
    """What a direction needs to know of its run: its id, its start and its time."""

    run_id: str
    now: datetime
    time_budget: TimeBudget = UNBOUNDED


@dataclass
class _Pacer:
    """Decides, between pages, whether a direction stops early and with which status."""

    client: SalesforceClient
    run: RunContext
    direction: str
    slowest_page_s: float = 0.0
    _page_started: float = field(default_factory=clock)

    def stop_before_next_page(self) -> str | None:
        now = clock()
        self.slowest_page_s = max(self.slowest_page_s, now - self._page_started)
        self._page_started = now
        budget = self.client.budget
        if budget is not None and budget.remaining < BUDGET_RESERVE:
            logger.warning(
                "salesforce API budget low; stopping between pages",
                extra={"run_id": self.run.run_id, "direction": self.direction, "used": budget.used},
            )
            return "STOPPED_AT_API_LIMIT"
        if not self.run.time_budget.allows_another(self.slowest_page_s):
            logger.warning(
                "too little time left for another page; the next run goes on from here",
                extra={
                    "run_id": self.run.run_id,
                    "direction": self.direction,
                    "slowest_page_s": round(self.slowest_page_s, 1),
                },
            )
            return "STOPPED_AT_TIME_LIMIT"
        return None


@dataclass(frozen=True)
class Connection:
    """Where a run reads and writes: the tables and the Salesforce credentials."""

    customers: CustomerRepository
    control: ControlRepository
    base_url: str
    secret_id: str

    def salesforce(self) -> SalesforceClient:
        secret = secrets.get_json(self.secret_id, "clientId", "clientSecret")
        return SalesforceClient(self.base_url, secret["clientId"], secret["clientSecret"])


def _listed(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return items[:MAX_LISTED]


# ---------------------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------------------
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


def pull(connection: Connection, client: SalesforceClient, run: RunContext) -> dict[str, Any]:
    control, customers = connection.control, connection.customers
    watermark = control.salesforce_watermark("pull") or EPOCH
    counts: dict[str, Any] = {
        "watermarkBefore": watermark,
        "pages": 0,
        "records": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "conflicts": [],
    }
    newest = watermark
    status = "SUCCEEDED"
    stamp = run.now.isoformat()
    pacer = _Pacer(client, run, "pull")
    for page, more in client.contact_pages(datetime.fromisoformat(watermark) - OVERLAP):
        counts["pages"] += 1
        for contact in page:
            apply_contact(customers, contact, stamp, counts)
            counts["records"] += 1
            newest = max(newest, parse_stamp(contact["SystemModstamp"]).isoformat())
        # The page is applied: the next run starts here, whatever becomes of this one.
        control.set_salesforce_watermark(newest, run.run_id, "pull")
        if more and (stop := pacer.stop_before_next_page()):
            status = stop
            break
    counts["watermarkAfter"] = newest
    counts["conflictCount"] = len(counts["conflicts"])
    counts["conflicts"] = _listed(counts["conflicts"])
    counts["status"] = status
    for name in ("records", "created", "updated", "deleted"):
        metrics.add_metric(name=f"SalesforcePull{name.capitalize()}", unit="Count", value=counts[name])
    return counts


# ---------------------------------------------------------------------------------------
# push
# ---------------------------------------------------------------------------------------
def _changed_customers(
    customers: CustomerRepository, since: str | None
) -> Iterator[tuple[list[dict[str, Any]], bool]]:
    """Pages of customers changed since the watermark, each with whether another follows."""
    start = (datetime.fromisoformat(since) - OVERLAP).isoformat() if since else None
    token = None
    while True:
        page, token = customers.list_changed(since=start, limit=COLLECTION_LIMIT, token=token)
        yield page, token is not None
        if token is None:
            return


def _send(
    client: SalesforceClient, records: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each record with its result: known Contacts updated by Id, new ones upserted."""
    known = [r for r in records if "Id" in r]
    new = [r for r in records if "Id" not in r]
    paired = []
    if known:
        paired += list(zip(known, client.update_contacts(known), strict=True))
    if new:
        paired += list(zip(new, client.upsert_contacts(PORTAL_ID_FIELD, new), strict=True))
    return paired


def _push_page(
    client: SalesforceClient,
    customers: CustomerRepository,
    ready: list[dict[str, Any]],
    stamp: str,
    counts: dict[str, Any],
) -> None:
    """Send one page of customers and count each result; link new Contacts back."""
    by_id = {c["customerId"]: c for c in ready}
    for record, result in _send(client, [contact_for_push(c) for c in ready]):
        customer = by_id[record[PORTAL_ID_FIELD]]
        counts["sent"] += 1
        if not result.get("success"):
            counts["failed"] += 1
            counts["errors"].append(
                {
                    "customerId": customer["customerId"],
                    "errors": [
                        {"statusCode": e.get("statusCode"), "message": e.get("message")}
                        for e in result.get("errors", [])
                    ],
                }
            )
            continue
        if result.get("created"):
            counts["created"] += 1
        else:
            counts["updated"] += 1
        if customer.get("salesforceId") != result.get("id"):
            # The link back: the next pull matches this Contact to this customer by id.
            customers.apply_crm(
                customer["customerId"], {"salesforceId": result["id"]}, actor=ACTOR, now=stamp
            )


def push(connection: Connection, client: SalesforceClient, run: RunContext) -> dict[str, Any]:
    control, customers = connection.control, connection.customers
    since = control.salesforce_watermark("push")
    counts: dict[str, Any] = {
        "watermarkBefore": since,
        "considered": 0,
        "sent": 0,
        "created": 0,
        "updated": 0,
        "skipped": 0,
        "failed": 0,
        "errors": [],
    }
    stamp = run.now.isoformat()
    pacer = _Pacer(client, run, "push")
    for page, more in _changed_customers(customers, since):
        counts["considered"] += len(page)
        ready = []
        for customer in page:
            if needs_push(customer) is None:
                ready.append(customer)
            else:
                counts["skipped"] += 1
        if ready:
            _push_page(client, customers, ready, stamp, counts)
        # Stopping leaves the watermark (a refused record must be sent again), so the next
        # push reads these pages again: updates are idempotent, upserts match by external id.
        if more and (stop := pacer.stop_before_next_page()):
            counts["status"] = stop
            break
    else:
        counts["status"] = "COMPLETED_WITH_ERRORS" if counts["failed"] else "SUCCEEDED"
    if counts["status"] == "SUCCEEDED":
        # The run's start, not its end: a change made while it ran is sent next time.
        control.set_salesforce_watermark(stamp, run.run_id, "push")
    counts["watermarkAfter"] = stamp if counts["status"] == "SUCCEEDED" else since
    counts["errors"] = _listed(counts["errors"])
    metrics.add_metric(name="SalesforcePushSent", unit="Count", value=counts["sent"])
    metrics.add_metric(name="SalesforcePushFailed", unit="Count", value=counts["failed"])
    return counts


# ---------------------------------------------------------------------------------------
# a run
# ---------------------------------------------------------------------------------------
_SEVERITY = ("SUCCEEDED", "COMPLETED_WITH_ERRORS", "STOPPED_AT_TIME_LIMIT", "STOPPED_AT_API_LIMIT")


def run(
    connection: Connection,
    run_id: str,
    direction: Direction,
    *,
    trigger: Literal["schedule", "manual"],
    now: datetime,
    base: dict[str, Any] | None = None,
    time_budget: TimeBudget = UNBOUNDED,
) -> dict[str, Any]:
    """Run a sync and record it: RUNNING, then the outcome. Pull goes first in ``both``, so
    a push never overwrites a Salesforce change the pull would have merged (nor runs after
    a pull that stopped early). An exception is recorded on the run (FAILED) and raised
    again for the caller's retry policy."""
    report: dict[str, Any] = {
        **(base or {}),
        "runId": run_id,
        "direction": direction,
        "trigger": trigger,
        "startedAt": now.isoformat(),
    }
    control = connection.control
    control.record_salesforce_run(run_id, {**report, "status": "RUNNING"})
    try:
        client = connection.salesforce()
        context = RunContext(run_id, now, time_budget)
        if direction in ("pull", "both"):
            report["pull"] = pull(connection, client, context)
        if direction in ("push", "both") and report.get("pull", {}).get("status", "SUCCEEDED") == "SUCCEEDED":
            report["push"] = push(connection, client, context)
    except Exception as exc:
        failed = {
            **report,
            "status": "FAILED",
            "error": f"{type(exc).__name__}: {exc}"[:500],
            "finishedAt": datetime.now(UTC).isoformat(),
        }
        control.record_salesforce_run(run_id, failed)
        raise
    outcomes = [report[d]["status"] for d in ("pull", "push") if d in report]
    report["status"] = max(outcomes, key=_SEVERITY.index)
    report["finishedAt"] = datetime.now(UTC).isoformat()
    control.record_salesforce_run(run_id, report)
    logger.info(
        "salesforce sync finished",
        extra={
            "run_id": run_id,
            "direction": direction,
            "status": report["status"],
            **{
                f"{d}_{k}": report[d][k]
                for d in ("pull", "push")
                if d in report
                for k in ("records", "created", "updated", "deleted", "sent", "failed")
                if k in report[d]
            },
        },
    )
    return report
