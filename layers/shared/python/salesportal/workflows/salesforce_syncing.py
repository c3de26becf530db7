"""Salesforce sync runs: pull changed Contacts in, push portal changes out, record the run.

Shared by the hourly poll (a pull) and the manual-sync worker (pull, push or both). The
merge rules are pure (``salesportal.domain.crm``); this module moves the data and keeps the
books:

- **pull**: Contacts (deleted ones too, through queryAll) with ``SystemModstamp >=`` the
  watermark minus a small overlap, in (SystemModstamp, Id) order, every page. A Contact is
  matched by Salesforce id, then email; a deleted Contact marks its customer deleted and
  keeps the history. A page of up to 2,000 Contacts costs a few calls, not three per
  Contact: its links (``SFLINK#<id>`` items, salesportal.data.salesforce_links) and the
  linked profiles are read with BatchGetItem, the e-mail index is queried only for
  Contacts with no valid link (side by side), the merge rules decide Contact by Contact in
  page order against what the page has read and changed so far (two Contacts sharing an
  e-mail see each other, as one at a time), then new customers and their links go out in
  BatchWriteItems and updates as one conditional UpdateItem per customer, side by side
  (``workers`` in flight). Links of customers linked before links existed are backfilled
  once. The watermark moves to the newest stamp of each page once the whole page is
  applied: pages come in stamp order and are read again from ``>=`` that stamp, so a
  Contact sharing it on the next page is not skipped, and a run that dies halfway (or a
  first import larger than one invocation) resumes where it got to. A low API budget
  (``Sforce-Limit-Info``) or too little time left in the invocation stops the run cleanly
  between pages; the next run goes on from there.
- **push**: customers changed in the portal, oldest change first (index byUpdated), in
  windows with a checkpoint after each page (see ``push``), 200 to a call: Contacts
  Salesforce already knows are updated by Id, new ones upserted by the external id
  ``Portal_Customer_Id__c`` (a retried batch matches instead of duplicating). A record
  Salesforce refuses is reported in the run and the next window starts where this one
  started, so it is sent again. A low API budget or too little time left stops the push
  between pages; the next run goes on after the last page sent.

Each run is one record in the control table (``GET /salesforce/sync/{runId}``) with a section
per direction: counts, conflicts and errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import monotonic as clock
from typing import Literal, Protocol

from salesportal.data.dynamo import Page
from salesportal.data.salesforce_links import BATCH_GET, BATCH_WRITE
from salesportal.domain.crm import (
    OVERLAP,
    PORTAL_ID_FIELD,
    BackfillState,
    Conflict,
    Contact,
    ContactFields,
    CrmCustomer,
    CrmFields,
    Cursor,
    Link,
    NewCustomer,
    PullReport,
    PushCheckpoint,
    PushReport,
    QueueUnavailable,
    RunReport,
    SaveResult,
    contact_for_push,
    merge_contact,
    needs_push,
    parse_stamp,
    text,
    with_fields,
)
from salesportal.errors import NotFound, ServiceUnavailable
from salesportal.integrations.salesforce_port import COLLECTION_LIMIT, SalesforceGateway
from salesportal.observability import logger, metrics

Direction = Literal["pull", "push", "both"]
ACTOR = "system:salesforce"
EPOCH = "2000-01-01T00:00:00+00:00"
BUDGET_RESERVE = 200  # API calls left for everything else in the org; the next run resumes
WORKERS = 8  # DynamoDB calls in flight at once: each waits ~5-10 ms on the network
MAX_REMEMBERED = 2000  # sent records remembered from a push window's overlap (~100 KB)
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

    client: SalesforceGateway
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


Customer = CrmCustomer


class Store(Protocol):
    """Customers, their links to Contacts and the runs' bookkeeping (salesportal.data.crm_sync)."""

    def links_of(self, salesforce_ids: list[str]) -> dict[str, str]: ...

    def customers_by_id(self, customer_ids: list[str]) -> dict[str, Customer]: ...

    def customers_by_email(self, email: str) -> list[Customer]: ...

    def new_customer(self, new: NewCustomer) -> Customer:
        """The customer ``new`` becomes once written (``write_new`` writes it)."""
        ...

    def write_new(self, records: Sequence[NewCustomer | Link]) -> None: ...

    def apply_crm(self, customer_id: str, fields: CrmFields, *, actor: str, now: str) -> None: ...

    def linked_page(self, cursor: Cursor | None) -> Page[Link]: ...

    def changed_oldest_first(
        self, *, since: str, until: str, limit: int, token: Cursor | None
    ) -> Page[Customer]: ...

    def backfill_state(self) -> BackfillState: ...

    def record_backfill(self, *, done: bool, cursor: Cursor | None, linked: int) -> None: ...

    def push_checkpoint(self) -> PushCheckpoint | None: ...

    def move_push_checkpoint(self, checkpoint: PushCheckpoint, *, expected_seq: int) -> bool: ...

    def watermark(self, kind: Literal["pull", "push"]) -> str | None: ...

    def set_watermark(self, value: str, run_id: str, kind: Literal["pull", "push"]) -> None: ...

    def run(self, run_id: str) -> RunReport | None: ...

    def record_run(self, run_id: str, values: RunReport) -> None: ...


@dataclass(frozen=True)
class Ports:
    """Where a run reads and writes, how it reaches Salesforce (a fresh token per run, its
    credentials read then), and how many store calls it keeps in flight at once (they wait on
    the network, not the CPU)."""

    store: Store
    salesforce: Callable[[], SalesforceGateway]
    workers: int = WORKERS


def _listed[T](items: list[T]) -> list[T]:
    return items[:MAX_LISTED]


# ---------------------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------------------
@dataclass
class _PageView:
    """The customers a page of Contacts touches, as the page's earlier Contacts left them.

    Decisions are taken Contact by Contact in page order against this view, exactly as the
    one-at-a-time pull took them against the table, so two Contacts sharing an e-mail (or a
    customer) still see each other's effect; only the reads and writes around them are
    batched. ``by_email`` holds candidates (from the index and from this page's changes),
    checked against the customer's current e-mail when used.
    """

    customers: dict[str, Customer] = field(default_factory=dict)
    by_salesforce_id: dict[str, str] = field(default_factory=dict)
    by_email: dict[str, list[str]] = field(default_factory=dict)

    def find(self, contact: Contact) -> Customer | None:
        customer_id = self.by_salesforce_id.get(text(contact, "Id"))
        if customer_id is not None and self.customers[customer_id].salesforce_id == text(contact, "Id"):
            return self.customers[customer_id]
        email = text(contact, "Email").lower()
        for candidate in self.by_email.get(email, []) if email else []:
            if self.customers[candidate].email == email:
                return self.customers[candidate]
        return None

    def put(self, customer: Customer) -> None:
        customer_id = customer.customer_id
        self.customers[customer_id] = customer
        salesforce_id, email = customer.salesforce_id, customer.email
        if salesforce_id:
            self.by_salesforce_id[salesforce_id] = customer_id
        if email:
            known = self.by_email.setdefault(email, [])
            if customer_id not in known:
                known.append(customer_id)


@dataclass
class _PageWrites:
    """What a page's decisions write: new customers (put in batches, no condition needed),
    updates per customer (merged in page order: one conditional UpdateItem each) and links."""

    creates: dict[str, NewCustomer] = field(default_factory=dict)  # by customer id
    updates: dict[str, CrmFields] = field(default_factory=dict)  # customerId -> fields
    links: dict[str, str] = field(default_factory=dict)  # salesforceId -> customerId

    def update(self, customer_id: str, fields: CrmFields) -> None:
        if customer_id in self.creates:  # created on this page: the put carries the change
            self.creates[customer_id] = self.creates[customer_id].with_fields(fields)
        else:
            self.updates.setdefault(customer_id, {}).update(fields)


def decide_contact(
    view: _PageView,
    writes: _PageWrites,
    store: Store,
    contact: Contact,
    now: str,
    counts: PullReport,
) -> None:
    """One Contact against the page's view: the merge rules decide, the view and the page's
    writes record the outcome (matched by Salesforce id, then e-mail; a deleted Contact marks
    its customer deleted and keeps the history)."""
    existing = view.find(contact)
    if contact.get("IsDeleted"):
        if existing is not None and not existing.deleted:
            changes: CrmFields = {"deleted": True, "deletedAt": now}
            writes.update(existing.customer_id, changes)
            view.put(with_fields(existing, changes))
            counts["deleted"] += 1
        return
    merge = merge_contact(contact, existing)
    contact_id = text(contact, "Id")
    counts["conflicts"].extend(Conflict(**c, salesforceId=contact_id) for c in merge.conflicts)
    if existing is None:
        customer_id = f"sf-{contact_id}"
        modified = parse_stamp(text(contact, "LastModifiedDate")).isoformat()
        new = NewCustomer(customer_id, merge.updates, modified, ACTOR, now)
        writes.creates[customer_id] = new
        customer = store.new_customer(new)
        view.put(customer)
        counts["created"] += 1
    elif merge.updates or existing.deleted:
        changes = {**merge.updates, "deleted": False}
        writes.update(existing.customer_id, changes)
        customer = with_fields(existing, changes)
        view.put(customer)
        counts["updated"] += 1
    else:
        customer = existing
        counts["unchanged"] += 1
    if customer.salesforce_id == contact_id:
        writes.links[contact_id] = customer.customer_id


def _chunks[T](items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _read_page(store: Store, page: list[Contact], pool: Executor) -> tuple[_PageView, set[str]]:
    """Every customer the page's Contacts could match, in a few batched calls: their links
    (BatchGetItem), the linked profiles (BatchGetItem), and, only for Contacts with no valid
    link, the e-mail index (one Query each, side by side). Returns the view and the ids whose
    link is valid (no need to write it again)."""
    ids = [text(c, "Id") for c in page]
    linked: dict[str, str] = {}
    for found in pool.map(store.links_of, _chunks(ids, BATCH_GET)):
        linked |= found
    view = _PageView()
    for profiles in pool.map(store.customers_by_id, _chunks(sorted(set(linked.values())), BATCH_GET)):
        for profile in profiles.values():
            view.customers[profile.customer_id] = profile
    valid = {i for i, c in linked.items() if c in view.customers and view.customers[c].salesforce_id == i}
    for salesforce_id in valid:
        view.by_salesforce_id[salesforce_id] = linked[salesforce_id]
    emails = sorted(
        {text(c, "Email").lower() for c in page if text(c, "Id") not in valid and text(c, "Email")}
    )
    for email, matches in zip(emails, pool.map(store.customers_by_email, emails), strict=True):
        for match in matches:
            view.customers.setdefault(match.customer_id, match)
        view.by_email[email] = [m.customer_id for m in matches]
    for customer in list(view.customers.values()):  # e-mails of linked customers too
        address = customer.email
        if address:
            known = view.by_email.setdefault(address, [])
            if customer.customer_id not in known:
                known.append(customer.customer_id)
    return view, valid


def _write_page(store: Store, writes: _PageWrites, stamp: str, pool: Executor) -> None:
    """New customers and links in BatchWriteItems of 25 (a new customer's link rides in the
    same batch as its profile), updates as one conditional UpdateItem per customer; all side
    by side: each customer is written once per page, so their order does not matter."""
    records: list[NewCustomer | Link] = list(writes.creates.values())
    records += [Link(s, c) for s, c in writes.links.items()]
    jobs = [pool.submit(store.write_new, chunk) for chunk in _chunks(records, BATCH_WRITE)]
    jobs += [
        pool.submit(store.apply_crm, customer_id, fields, actor=ACTOR, now=stamp)
        for customer_id, fields in writes.updates.items()
    ]
    for job in jobs:
        job.result()  # the first failure fails the page (and the run): the watermark stays


def apply_page(store: Store, page: list[Contact], stamp: str, counts: PullReport, pool: Executor) -> None:
    """A page of Contacts: batched reads, decisions in page order, batched writes."""
    view, valid_links = _read_page(store, page, pool)
    writes = _PageWrites()
    for contact in page:
        decide_contact(view, writes, store, contact, stamp, counts)
    writes.links = {s: c for s, c in writes.links.items() if s not in valid_links}
    _write_page(store, writes, stamp, pool)


def backfill_links(store: Store) -> int:
    """Write the link of every customer linked to a Contact before links existed, once.

    Until the backfill is done, a Contact with no link could still be a customer linked by
    id, and only the bySalesforceId index would say so; after it, every writer of a
    ``salesforceId`` (this module) writes the link too. Resumable: the cursor is saved after
    each index page. Returns the links written by this call."""
    state = store.backfill_state()
    if state.get("done"):
        return 0
    cursor = state.get("cursor")
    written, total = 0, int(state.get("linked") or 0)
    while True:
        page = store.linked_page(cursor)
        cursor = page.next_token
        for chunk in _chunks(page.items, BATCH_WRITE):
            store.write_new(chunk)
        written += len(page.items)
        store.record_backfill(done=cursor is None, cursor=cursor, linked=total + written)
        if cursor is None:
            return written


def pull(ports: Ports, client: SalesforceGateway, run: RunContext) -> PullReport:
    store = ports.store
    backfilled = backfill_links(store)
    watermark = store.watermark("pull") or EPOCH
    counts: PullReport = {
        "watermarkBefore": watermark,
        "pages": 0,
        "records": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "conflicts": [],
    }
    if backfilled:
        counts["linksBackfilled"] = backfilled
    newest = watermark
    status = "SUCCEEDED"
    stamp = run.now.isoformat()
    pacer = _Pacer(client, run, "pull")
    with ThreadPoolExecutor(max_workers=ports.workers, thread_name_prefix="pull") as pool:
        for page, more in client.contact_pages(datetime.fromisoformat(watermark) - OVERLAP):
            counts["pages"] += 1
            apply_page(store, page, stamp, counts, pool)
            counts["records"] += len(page)
            for contact in page:
                newest = max(newest, parse_stamp(text(contact, "SystemModstamp")).isoformat())
            # The page is applied: the next run starts here, whatever becomes of this one.
            store.set_watermark(newest, run.run_id, "pull")
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
def _send(client: SalesforceGateway, records: list[ContactFields]) -> list[tuple[ContactFields, SaveResult]]:
    """Each record with its result: known Contacts updated by Id, new ones upserted."""
    known = [r for r in records if "Id" in r]
    new = [r for r in records if "Id" not in r]
    paired: list[tuple[ContactFields, SaveResult]] = []
    if known:
        paired += list(zip(known, client.update_contacts(known), strict=True))
    if new:
        paired += list(zip(new, client.upsert_contacts(PORTAL_ID_FIELD, new), strict=True))
    return paired


def _push_page(
    store: Store,
    client: SalesforceGateway,
    ready: list[Customer],
    stamp: str,
    counts: PushReport,
    pool: Executor,
) -> list[Customer]:
    """Send one page of customers and count each result; link new Contacts back (their id
    on the customer, side by side, and their link items in batches). Returns those sent."""
    by_id = {c.customer_id: c for c in ready}
    linked: dict[str, str] = {}
    sent = []
    for record, result in _send(client, [contact_for_push(c) for c in ready]):
        customer = by_id[record[PORTAL_ID_FIELD]]
        counts["sent"] += 1
        if not result.get("success"):
            counts["failed"] += 1
            counts["errors"].append(
                {
                    "customerId": customer.customer_id,
                    "errors": [
                        {"statusCode": e.get("statusCode"), "message": e.get("message")}
                        for e in result.get("errors", [])
                    ],
                }
            )
            continue
        sent.append(customer)
        if result.get("created"):
            counts["created"] += 1
        else:
            counts["updated"] += 1
        if customer.salesforce_id != result.get("id"):
            linked[customer.customer_id] = result["id"]
    # The link back: the next pull matches these Contacts to these customers by id. A CRM
    # write never touches updatedAt, so the customer keeps its place in the push's window.
    jobs = [
        pool.submit(store.apply_crm, customer_id, {"salesforceId": sf_id}, actor=ACTOR, now=stamp)
        for customer_id, sf_id in linked.items()
    ]
    links = [Link(sf_id, customer_id) for customer_id, sf_id in linked.items()]
    jobs += [pool.submit(store.write_new, chunk) for chunk in _chunks(links, BATCH_WRITE)]
    for job in jobs:
        job.result()
    return sent


def _sent_mark(customer: Customer) -> str:
    return f"{customer.customer_id}|{customer.updated_at}"


def _newest(marks: list[str]) -> list[str]:
    """At most MAX_REMEMBERED sent marks, the newest changes kept (older ones are resent)."""
    return sorted(set(marks), key=lambda mark: mark.rpartition("|")[2])[-MAX_REMEMBERED:]


def _open_window(store: Store, stamp: str) -> PushCheckpoint:
    """The checkpoint, with a window open: the one a stopped push left, or a new one from
    where the last window ended up to this run's start. Before checkpoints existed the push
    kept a watermark (when the last complete push started); a new window starts there."""
    checkpoint = store.push_checkpoint()
    if checkpoint is None:
        old = store.watermark("push")
        since = (datetime.fromisoformat(old) - OVERLAP).isoformat() if old else EPOCH
        checkpoint = {"since": since, "seq": 0}
    if not checkpoint.get("until"):
        checkpoint |= {"until": stamp, "startKey": None, "refused": False, "recent": []}
    return checkpoint


def push(ports: Ports, client: SalesforceGateway, run: RunContext) -> PushReport:
    """Send what changed in the portal, oldest change first, one checkpoint per page.

    A run reads a window of ``updatedAt`` (from where the last window ended, minus the
    overlap, up to the start of the run that opened it) in index order, and saves after each
    page where it got to. A run that stops early leaves the window open and the next run goes
    on after the last page sent, so a backlog of any size completes over successive runs and
    nothing is sent twice. A window's last five minutes are read again by the next one
    (a change committed late must not be missed), but what was sent from them is remembered
    and not sent again unless it changed. A record Salesforce refuses keeps the next window
    starting where this one started, so it is sent again.
    """
    store = ports.store
    stamp = run.now.isoformat()
    checkpoint = _open_window(store, stamp)
    seq = int(checkpoint.get("seq") or 0)
    already = set(checkpoint.get("skip") or [])
    until = checkpoint.get("until") or stamp  # _open_window opened one
    near_end = (datetime.fromisoformat(until) - OVERLAP).isoformat()
    counts: PushReport = {
        "watermarkBefore": checkpoint["since"],
        "windowUntil": until,
        "resumed": checkpoint.get("startKey") is not None,
        "considered": 0,
        "sent": 0,
        "created": 0,
        "updated": 0,
        "skipped": 0,
        "alreadySent": 0,
        "failed": 0,
        "errors": [],
    }
    pacer = _Pacer(client, run, "push")
    with ThreadPoolExecutor(max_workers=ports.workers, thread_name_prefix="push") as pool:
        while True:
            page = store.changed_oldest_first(
                since=checkpoint["since"],
                until=until,
                limit=COLLECTION_LIMIT,
                token=checkpoint.get("startKey"),
            )
            start = page.next_token
            counts["considered"] += len(page.items)
            ready = []
            for customer in page.items:
                if _sent_mark(customer) in already:
                    counts["alreadySent"] += 1
                elif needs_push(customer) is None:
                    ready.append(customer)
                else:
                    counts["skipped"] += 1
            failed_before = counts["failed"]
            sent = _push_page(store, client, ready, stamp, counts, pool) if ready else []
            recent = checkpoint.get("recent") or []
            recent += [_sent_mark(c) for c in sent if str(c.updated_at) >= near_end]
            checkpoint |= {
                "startKey": start,
                "refused": bool(checkpoint.get("refused")) or counts["failed"] > failed_before,
                "recent": _newest(recent),
            }
            if start is None:  # the window is done: the next one starts at its end
                # What was sent (in this window or an earlier one) with a change inside the
                # next window's overlap is remembered, so that reading it again sends nothing.
                sent_near_end = [
                    mark for mark in [*already, *checkpoint["recent"]] if mark.rpartition("|")[2] >= near_end
                ]
                checkpoint |= {
                    "since": checkpoint["since"] if checkpoint["refused"] else near_end,
                    "until": None,
                    "skip": [] if checkpoint["refused"] else _newest(sent_near_end),
                    "recent": [],
                    "refused": False,
                }
            if not store.move_push_checkpoint(checkpoint, expected_seq=seq):
                raise RuntimeError("another push moved the checkpoint; this run stops, the next goes on")
            seq += 1
            if start is None:
                counts["status"] = "COMPLETED_WITH_ERRORS" if counts["failed"] else "SUCCEEDED"
                break
            if stop := pacer.stop_before_next_page():
                counts["status"] = stop
                break
    counts["watermarkAfter"] = checkpoint["since"]
    counts["errors"] = _listed(counts["errors"])
    metrics.add_metric(name="SalesforcePushSent", unit="Count", value=counts["sent"])
    metrics.add_metric(name="SalesforcePushFailed", unit="Count", value=counts["failed"])
    return counts


# ---------------------------------------------------------------------------------------
# a run
# ---------------------------------------------------------------------------------------
_SEVERITY = ("SUCCEEDED", "COMPLETED_WITH_ERRORS", "STOPPED_AT_TIME_LIMIT", "STOPPED_AT_API_LIMIT")


def run(
    ports: Ports,
    run_id: str,
    direction: Direction,
    *,
    trigger: Literal["schedule", "manual"],
    now: datetime,
    base: RunReport | None = None,
    time_budget: TimeBudget = UNBOUNDED,
) -> RunReport:
    """Run a sync and record it: RUNNING, then the outcome. Pull goes first in ``both``, so
    a push never overwrites a Salesforce change the pull would have merged (nor runs after
    a pull that stopped early). An exception is recorded on the run (FAILED) and raised
    again for the caller's retry policy."""
    report: RunReport = {
        **(base or {}),
        "runId": run_id,
        "direction": direction,
        "trigger": trigger,
        "startedAt": now.isoformat(),
    }
    store = ports.store
    store.record_run(run_id, {**report, "status": "RUNNING"})
    try:
        client = ports.salesforce()
        context = RunContext(run_id, now, time_budget)
        if direction in ("pull", "both"):
            report["pull"] = pull(ports, client, context)
        if direction in ("push", "both") and report.get("pull", {}).get("status", "SUCCEEDED") == "SUCCEEDED":
            report["push"] = push(ports, client, context)
    except Exception as exc:
        failed: RunReport = {
            **report,
            "status": "FAILED",
            "error": f"{type(exc).__name__}: {exc}"[:500],
            "finishedAt": datetime.now(UTC).isoformat(),
        }
        store.record_run(run_id, failed)
        raise
    outcomes = [section["status"] for section in (report.get("pull"), report.get("push")) if section]
    report["status"] = max(outcomes, key=_SEVERITY.index)
    report["finishedAt"] = datetime.now(UTC).isoformat()
    store.record_run(run_id, report)
    logger.info(
        "salesforce sync finished",
        extra={
            "run_id": run_id,
            "direction": direction,
            "status": report["status"],
            **_counted("pull", report.get("pull", {}), ("records", "created", "updated", "deleted")),
            **_counted("push", report.get("push", {}), ("sent", "created", "updated", "failed")),
        },
    )
    return report


def _counted(direction: str, section: PullReport | PushReport, names: tuple[str, ...]) -> dict[str, int]:
    counts: Mapping[str, object] = section
    return {f"{direction}_{n}": v for n in names if isinstance(v := counts.get(n), int)}


@dataclass(frozen=True, slots=True)
class QueuedRun:
    """A manual run as the sync worker receives it, on its ``attempt``-th delivery."""

    run_id: str
    direction: Direction
    attempt: int
    last: bool  # no delivery follows this one


def run_queued(
    queued: QueuedRun, ports: Ports, *, now: datetime, time_budget: TimeBudget
) -> RunReport | None:
    """Run a queued manual sync; None when a redelivery finds it finished. A failure is
    recorded RETRYING (the queue delivers it again) unless this was the last delivery, where
    the run stays FAILED, and is raised either way."""
    recorded = ports.store.run(queued.run_id) or {"runId": queued.run_id, "trigger": "manual"}
    if recorded.get("status") in FINISHED:
        logger.info("sync run already finished; nothing to do", extra={"run_id": queued.run_id})
        return None
    # queuedAt is the run's place in the list (data.crm_sync.listed_at), so every attempt
    # keeps it; a run found without its QUEUED record takes its first delivery's time.
    base: RunReport = {"attempts": queued.attempt, "queuedAt": recorded.get("queuedAt") or now.isoformat()}
    if "requestedBy" in recorded:
        base["requestedBy"] = recorded["requestedBy"]
    try:
        return run(
            ports,
            queued.run_id,
            queued.direction,
            trigger="manual",
            now=now,
            base=base,
            time_budget=time_budget,
        )
    except Exception:
        if not queued.last:
            ports.store.record_run(
                queued.run_id, {**(ports.store.run(queued.run_id) or {}), "status": "RETRYING"}
            )
        raise


# ---------------------------------------------------------------------------------------
# a manual run: queued by an admin, run by the worker
# ---------------------------------------------------------------------------------------
class RunBook(Protocol):
    def run(self, run_id: str) -> RunReport | None: ...

    def record_run(self, run_id: str, values: RunReport) -> None: ...


class RunQueue(Protocol):
    def send(self, run_id: str, direction: str) -> None:
        """Hand the run to the worker; raises ``QueueUnavailable``."""
        ...


def request_run(
    run_id: str, direction: Direction, requested_by: str, *, now: datetime, runs: RunBook, queue: RunQueue
) -> RunReport:
    """Record the run QUEUED and queue it. If the queue cannot take it, the run is FAILED and
    the admin is told to retry (503): nothing waits that will never run."""
    run: RunReport = {
        "runId": run_id,
        "direction": direction,
        "trigger": "manual",
        "status": "QUEUED",
        "requestedBy": requested_by,
        "queuedAt": now.isoformat(),
    }
    runs.record_run(run_id, run)
    try:
        queue.send(run_id, direction)
    except QueueUnavailable as exc:
        logger.exception("could not queue the sync run", extra={"run_id": run_id})
        runs.record_run(run_id, {**run, "status": "FAILED", "error": f"could not be queued: {exc}"})
        raise ServiceUnavailable("The sync could not be queued; try again shortly.") from exc
    metrics.add_metric(name="SalesforceSyncRequested", unit="Count", value=1)
    logger.info("sync run queued", extra={"run_id": run_id, "direction": direction})
    return run


def recorded_run(run_id: str, runs: RunBook) -> RunReport:
    found = runs.run(run_id)
    if found is None:
        raise NotFound(f"No sync run {run_id!r}.", code="sync_run_not_found")
    return found
