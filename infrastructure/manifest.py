"""The wiring table: every resource and function, what triggers each function, what it may touch.

The CDK app builds functions, routes, event sources and least-privilege grants from this
file; the offline stack creates resources, routes HTTP and polls event sources from it; the
auth-matrix test enumerates its routes. Adding a function is one entry here plus its folder
under ``functions/``. This module is plain data: no CDK, no boto3.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Literal


# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------
class Access(StrEnum):
    """Who may call a route. Levels are ordered: each level admits the ones above it."""

    PUBLIC = "public"
    CUSTOMER = "customer"
    AGENT = "agent"
    ADMIN = "admin"


class Perm(StrEnum):
    READ = "read"
    WRITE = "write"
    READ_WRITE = "read_write"
    # PutItem only: for append-only tables such as the audit trail (no update, no delete).
    APPEND = "append"


@dataclass(frozen=True)
class Key:
    name: str
    type: Literal["S", "N"] = "S"


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: Key
    sort_key: Key | None = None


@dataclass(frozen=True)
class Table:
    """A DynamoDB table. Access patterns live beside its repository in salesportal.data."""

    name: str
    partition_key: Key = Key("pk")
    sort_key: Key | None = Key("sk")
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    # The stream is the outbox: committed changes become audit records and domain events.
    stream: bool = False


@dataclass(frozen=True)
class Queue:
    """An SQS work queue; every queue gets a DLQ and an alarm on the DLQ's depth.

    ``subscribes_to`` lists domain-event detail types an EventBridge rule on the bus
    delivers into this queue (the outbox publishes them; see salesportal.domain.outbox).
    """

    name: str
    visibility_timeout_s: int = 60
    max_receive_count: int = 3
    subscribes_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bucket:
    name: str


@dataclass(frozen=True)
class Secret:
    """A JSON object of credentials. The deployment creates it with ``fields`` set to a
    placeholder; ``make secrets`` sets the values (README: Secrets)."""

    name: str
    description: str
    fields: tuple[str, ...] = ("apiKey",)


@dataclass(frozen=True)
class Service:
    """An outside HTTP service. Its base URL is deployment configuration (CDK context
    ``serviceUrls``; the offline stack's stand-ins), its credentials live in ``secret``."""

    name: str
    secret: str
    description: str


# ---------------------------------------------------------------------------------------
# Triggers
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str
    access: Access
    # A stricter per-client limit than the API-wide one (requests per 5 minutes, WAF's
    # rate-rule window), for routes that cost money or invite abuse.
    rate_limit_per_5min: int | None = None


@dataclass(frozen=True)
class ApiTrigger:
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class QueueTrigger:
    queue: str
    batch_size: int = 10
    max_concurrency: int | None = None


@dataclass(frozen=True)
class Cron:
    """EventBridge cron fields (UTC). ``week_day`` and ``day`` follow EventBridge rules."""

    minute: str = "0"
    hour: str = "*"
    day: str = "*"
    month: str = "*"
    week_day: str | None = None

    def expression(self) -> str:
        day = "?" if self.week_day else self.day
        week_day = self.week_day or "?"
        return f"cron({self.minute} {self.hour} {day} {self.month} {week_day} *)"


@dataclass(frozen=True)
class ScheduleTrigger:
    name: str
    cron: Cron
    description: str = ""


@dataclass(frozen=True)
class StreamTrigger:
    """DynamoDB stream records of these tables; failed batches go to ``failure_queue``."""

    tables: tuple[str, ...]
    failure_queue: str
    batch_size: int = 100


@dataclass(frozen=True)
class CognitoTrigger:
    operation: Literal["post_confirmation", "post_authentication"]

    # Cognito waits 5 s for a trigger, then fails the user's sign-up or sign-in.
    MAX_TIMEOUT_S = 5


Trigger = ApiTrigger | QueueTrigger | ScheduleTrigger | StreamTrigger | CognitoTrigger


# ---------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------
def _frozen(mapping: Mapping[str, Perm] | None = None) -> Mapping[str, Perm]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Grants:
    """Everything a function may touch. Anything not listed here is denied."""

    tables: Mapping[str, Perm] = field(default_factory=_frozen)
    send_queues: tuple[str, ...] = ()
    buckets: Mapping[str, Perm] = field(default_factory=_frozen)
    secrets: tuple[str, ...] = ()
    put_events: bool = False
    services: tuple[str, ...] = ()  # outside HTTP services: <NAME>_BASE_URL in the environment
    send_email: bool = False  # SES, from the deployment's notification sender identity
    send_sms: bool = False  # SNS direct-to-phone publish
    encrypt_pii: bool = False  # kms:Encrypt with the PII key (SSNs): PII_KEY_ID in the environment
    # Cognito admin actions on the user pool, e.g. ("cognito-idp:AdminAddUserToGroup",).
    user_pool_actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Function:
    name: str  # folder under functions/, handler is functions/<name>/handler.lambda_handler
    description: str
    trigger: Trigger
    grants: Grants = Grants()
    memory_mb: int = 256
    timeout_s: int = 10
    # X-Ray costs ~400 ms of cold start (DESIGN.md §8): only where a trace answers a question.
    tracing: bool = False
    # Dependency layers beyond "core" (infrastructure.layers.LAYERS), for the few functions that
    # import their packages: nobody else unpacks a PDF library or an SDK they never use.
    layers: tuple[str, ...] = ()

    @property
    def handler(self) -> str:
        return "handler.lambda_handler"

    @property
    def source_dir(self) -> str:
        return f"functions/{self.name}"


# ---------------------------------------------------------------------------------------
# The system
# ---------------------------------------------------------------------------------------
EVENT_BUS = "domain-events"
EVENT_SOURCE = "salesportal"

TABLES: tuple[Table, ...] = (
    Table(
        "customers",
        indexes=(
            Index("byEmail", Key("email")),
            Index("bySalesforceId", Key("salesforceId")),
            # Staff lists: customers by last change (entityType="customer" is the partition).
            Index("byUpdated", Key("entityType"), Key("updatedAt")),
        ),
        stream=True,
    ),
    Table("catalog"),
    # Per customer: quotes (TTL), applications, policies, payments, refunds, reminders.
    Table(
        "sales",
        indexes=(
            # Sparse: "APPLICATION#REFERRED" oldest first (review queue), "POLICY#ACTIVE" by
            # term end (renewal reminders, dunning, lapse). See salesportal.data.sales.
            Index("byStatus", Key("statusKey"), Key("statusSort")),
            # Staff find an application by id without knowing whose it is.
            Index("byEntity", Key("entityId"), Key("entityType")),
        ),
        ttl_attribute="expiresAtEpoch",
        stream=True,
    ),
    # Append-only: written by the stream processor alone, with a conditional put.
    Table("audit"),
    # Per customer: the notification log (and later analytics events).
    Table("activity"),
    # Powertools idempotency records (payments, webhook events), expiring by TTL.
    Table("idempotency", partition_key=Key("id"), sort_key=None, ttl_attribute="expiration"),
    # Drug-plan beneficiaries and their enrollments, from the system of record (nightly delta).
    Table("enrollments"),
    # Operational records: delta-file ledger and run reports, mail requests.
    Table("control"),
    # Staff questions to the AI assistant and their answers, expiring by TTL. The stream
    # (the outbox) hands each new question to the AI worker's queue.
    Table(
        "ai-queries",
        # Each asker's questions, newest first (the assistant's history).
        indexes=(Index("byAsker", Key("askedBy"), Key("createdAt")),),
        ttl_attribute="expiresAtEpoch",
        stream=True,
    ),
    # Per-day business counters and the markers that make counting idempotent (TTL).
    Table("analytics", ttl_attribute="expiresAtEpoch"),
)

QUEUES: tuple[Queue, ...] = (
    # Stream batches the processor could not handle after its retries, kept for replay.
    Queue("outbox-failures"),
    # Submitted applications, fed by the outbox (no dual write: a committed application is
    # always underwritten). Five receives with growing backoff (set by the worker) span a
    # few minutes of a KYC or bureau outage before the DLQ and UNDER_REVIEW.
    Queue(
        "underwriting", visibility_timeout_s=120, max_receive_count=5, subscribes_to=("ApplicationCreated",)
    ),
    # Issued policies whose PDF is still to be rendered.
    Queue("policy-documents", visibility_timeout_s=180, subscribes_to=("PolicyCreated",)),
    Queue(
        "notifications",
        visibility_timeout_s=120,
        subscribes_to=(
            "ApplicationStatusChanged",
            "PolicyCreated",
            "PolicyStatusChanged",
            "PaymentCreated",
            "PaymentStatusChanged",
            "RefundCreated",
            "RenewalReminderCreated",
        ),
    ),
    # Plan-information mail requests, sent to the Fulfillment API by a worker.
    Queue("fulfillment", visibility_timeout_s=120),
    # AI questions (from the outbox). Visibility is 6x the worker's timeout (AWS's advice).
    Queue("ai-queries", visibility_timeout_s=360, max_receive_count=4, subscribes_to=("AiQueryCreated",)),
    # Manual Salesforce syncs, one run per message. Visibility is 6x the worker's timeout.
    Queue("salesforce-sync", visibility_timeout_s=3600, max_receive_count=3),
    # Domain events the analytics recorder counts (= salesportal.domain.analytics.COUNTED_EVENTS).
    Queue(
        "analytics",
        subscribes_to=(
            "CustomerCreated",
            "QuoteCreated",
            "ApplicationCreated",
            "ApplicationStatusChanged",
            "PolicyCreated",
            "PaymentCreated",
            "PaymentStatusChanged",
            "AiQueryCreated",
        ),
    ),
)

BUCKETS: tuple[Bucket, ...] = (
    Bucket("documents"),
    # Plan-delta files from the system of record (incoming/), quarantined rows and run reports.
    Bucket("plan-inbox"),
)
# Every field of a secret the deployment creates holds this until set (= salesportal.secrets.PLACEHOLDER).
SECRET_PLACEHOLDER = "REPLACE_ME"  # noqa: S105 (a marker, not a credential)
SECRETS: tuple[Secret, ...] = (
    Secret("payment-gateway", "Payment gateway credentials", ("apiKey", "webhookSecret")),
    Secret("kyc", "Identity verification credentials"),
    Secret("underwriting-bureau", "Underwriting bureau credentials"),
    Secret("fulfillment", "Fulfillment API credentials"),
    Secret("openai", "OpenAI API credentials"),
    Secret("salesforce", "Salesforce connected app (client credentials)", ("clientId", "clientSecret")),
)
SERVICES: tuple[Service, ...] = (
    Service("payments", "payment-gateway", "Stripe-style payment intents and refunds"),
    Service("kyc", "kyc", "Identity verification"),
    Service("bureau", "underwriting-bureau", "Risk scores for underwriting"),
    Service("fulfillment", "fulfillment", "Printed plan information by mail"),
    # OPENAI_BASE_URL is also the name the openai SDK reads.
    Service("openai", "openai", "OpenAI-compatible chat completions"),
    Service("salesforce", "salesforce", "Salesforce (My Domain) login and REST API"),
)

R, W, RW = Perm.READ, Perm.WRITE, Perm.READ_WRITE
# A Salesforce sync run (the hourly pull, a manual pull or push): customers, its run records
# and watermarks, and the Salesforce connection.
SALESFORCE_SYNC_GRANTS = Grants(
    tables=_frozen({"customers": RW, "control": RW}), secrets=("salesforce",), services=("salesforce",)
)

FUNCTIONS: tuple[Function, ...] = (
    Function(
        "health",
        "Liveness probe; makes no AWS calls.",
        ApiTrigger((Route("GET", "/health", Access.PUBLIC),)),
        memory_mb=128,
    ),
    Function(
        "catalog",
        "Insurance product catalog.",
        ApiTrigger(
            (
                Route("GET", "/products", Access.PUBLIC),
                Route("GET", "/products/{productId}", Access.PUBLIC),
            )
        ),
        Grants(tables=_frozen({"catalog": R})),
    ),
    Function(
        "profile",
        "The signed-in customer's own profile.",
        ApiTrigger(
            (
                Route("GET", "/me", Access.CUSTOMER),
                Route("PUT", "/me", Access.CUSTOMER),
            )
        ),
        Grants(tables=_frozen({"customers": RW})),
    ),
    Function(
        "quotes",
        "Instant premium quotes from the catalog's rate tables.",
        ApiTrigger(
            (
                Route("POST", "/quotes", Access.CUSTOMER),
                Route("GET", "/quotes/{quoteId}", Access.CUSTOMER),
            )
        ),
        Grants(tables=_frozen({"catalog": R, "sales": RW})),
    ),
    Function(
        "applications",
        "Apply from a quote (underwritten asynchronously); accept approved terms to issue the policy.",
        ApiTrigger(
            (
                Route("POST", "/applications", Access.CUSTOMER),
                Route("GET", "/applications", Access.CUSTOMER),
                Route("GET", "/applications/{applicationId}", Access.CUSTOMER),
                Route("POST", "/applications/{applicationId}/acceptance", Access.CUSTOMER),
            )
        ),
        Grants(tables=_frozen({"sales": RW})),
    ),
    Function(
        "underwriting",
        "Underwrites an application: KYC, a bureau risk score, then the rules.",
        QueueTrigger("underwriting", batch_size=5),
        Grants(
            tables=_frozen({"sales": RW}),
            secrets=("kyc", "underwriting-bureau"),
            services=("kyc", "bureau"),
        ),
        timeout_s=20,
    ),
    Function(
        "review",
        "The underwriting review queue: referred applications, decided by agents.",
        ApiTrigger(
            (
                Route("GET", "/admin/applications", Access.AGENT),
                Route("PUT", "/admin/applications/{applicationId}/decision", Access.AGENT),
            )
        ),
        Grants(tables=_frozen({"sales": RW})),
    ),
    Function(
        "policy_documents",
        "Renders an issued policy's PDF into the documents bucket.",
        QueueTrigger("policy-documents", batch_size=5),
        Grants(tables=_frozen({"sales": RW, "customers": R}), buckets=_frozen({"documents": W})),
        memory_mb=512,
        timeout_s=30,
        layers=("pdf",),
    ),
    Function(
        "policies",
        "A customer's policies, their documents (short-lived links) and renewals.",
        ApiTrigger(
            (
                Route("GET", "/policies", Access.CUSTOMER),
                Route("GET", "/policies/{policyId}", Access.CUSTOMER),
                Route("GET", "/policies/{policyId}/document", Access.CUSTOMER),
                Route("POST", "/policies/{policyId}/renewal", Access.CUSTOMER),
            )
        ),
        Grants(tables=_frozen({"sales": RW, "catalog": R}), buckets=_frozen({"documents": R})),
    ),
    Function(
        "payments",
        "Premium payments (idempotent) and cancellations with pro-rata refunds, via the gateway.",
        ApiTrigger(
            (
                Route("POST", "/policies/{policyId}/payments", Access.CUSTOMER),
                Route("POST", "/policies/{policyId}/cancellation", Access.CUSTOMER),
            )
        ),
        Grants(
            tables=_frozen({"sales": RW, "idempotency": RW}),
            secrets=("payment-gateway",),
            services=("payments",),
        ),
        timeout_s=29,  # API Gateway's own limit; the gateway client's retries fit inside it
    ),
    Function(
        "payment_webhook",
        "The payment gateway's signed webhook: asynchronous payment outcomes, deduplicated.",
        ApiTrigger((Route("POST", "/payments/webhook", Access.PUBLIC),)),
        # payments: a charge that settles after its premium stopped being due is refunded at once
        Grants(
            tables=_frozen({"sales": RW, "idempotency": RW}),
            secrets=("payment-gateway",),
            services=("payments",),
        ),
    ),
    Function(
        "renewals",
        "Daily: renewal reminders, dunning of unpaid renewals, term roll-over and lapse.",
        ScheduleTrigger(
            "renewals-daily", Cron(minute="0", hour="6"), "Renewal reminders and payment retries"
        ),
        Grants(
            tables=_frozen({"sales": RW}),
            secrets=("payment-gateway",),
            services=("payments",),
        ),
        timeout_s=300,
    ),
    Function(
        "notifications",
        "Sends each domain event a customer should hear about by email and SMS, once.",
        QueueTrigger("notifications", batch_size=10),
        Grants(
            tables=_frozen({"customers": R, "activity": RW}),
            send_email=True,
            send_sms=True,
        ),
        timeout_s=20,
    ),
    Function(
        "my_notifications",
        "What was sent to the signed-in customer.",
        ApiTrigger((Route("GET", "/me/notifications", Access.CUSTOMER),)),
        Grants(tables=_frozen({"activity": R})),
    ),
    Function(
        "plans",
        "Drug plans sold in a ZIP, filtered and sorted by cost; one plan. Cacheable.",
        ApiTrigger(
            (
                Route("GET", "/plans", Access.PUBLIC),
                Route("GET", "/plans/{planId}", Access.PUBLIC),
            )
        ),
        Grants(tables=_frozen({"catalog": R})),
    ),
    Function(
        "plan_mail_requests",
        "Queues a request to mail a plan's information to a postal address.",
        ApiTrigger((Route("POST", "/plans/{planId}/mail-requests", Access.PUBLIC, rate_limit_per_5min=20),)),
        Grants(tables=_frozen({"catalog": R}), send_queues=("fulfillment",)),
    ),
    Function(
        "fulfillment",
        "Sends queued mail requests to the Fulfillment API, once each.",
        QueueTrigger("fulfillment", batch_size=10),
        Grants(tables=_frozen({"control": RW}), secrets=("fulfillment",), services=("fulfillment",)),
        timeout_s=20,
    ),
    Function(
        "beneficiary_link",
        "Links the signed-in account to a beneficiary record the caller proves they are.",
        ApiTrigger((Route("POST", "/me/beneficiary-link", Access.CUSTOMER),)),
        Grants(tables=_frozen({"customers": RW, "enrollments": RW})),
    ),
    Function(
        "enrollment",
        "The linked beneficiary's current drug plan, and any plan compared against it.",
        ApiTrigger(
            (
                Route("GET", "/me/enrollment", Access.CUSTOMER),
                Route("GET", "/plans/{planId}/comparison", Access.CUSTOMER),
            )
        ),
        Grants(tables=_frozen({"customers": R, "enrollments": R, "catalog": R})),
    ),
    Function(
        "plan_sync",
        "Nightly: applies plan and enrollment delta files from the inbox, idempotently.",
        ScheduleTrigger("plan-delta-sync", Cron(minute="30", hour="2"), "Plan and enrollment deltas"),
        Grants(
            tables=_frozen({"catalog": RW, "enrollments": RW, "control": RW}),
            buckets=_frozen({"plan-inbox": RW}),
            put_events=True,
            encrypt_pii=True,
        ),
        memory_mb=1024,
        timeout_s=900,
        layers=("crypto",),
    ),
    Function(
        "ai_queries",
        "Staff questions to the AI assistant: accepted (202), then polled for the answer.",
        ApiTrigger(
            (
                Route("POST", "/ai/queries", Access.AGENT),
                Route("GET", "/ai/queries", Access.AGENT),
                Route("GET", "/ai/queries/{queryId}", Access.AGENT),
            )
        ),
        Grants(tables=_frozen({"ai-queries": RW, "customers": R})),
    ),
    Function(
        "ai_worker",
        "Answers a queued AI question with OpenAI, with the customer's data when one is named.",
        # Capped: the model provider's rate limit is shared by every question in flight.
        QueueTrigger("ai-queries", batch_size=1, max_concurrency=2),
        Grants(
            tables=_frozen({"ai-queries": RW, "customers": R, "sales": R}),
            secrets=("openai",),
            services=("openai",),
        ),
        memory_mb=512,
        timeout_s=60,
        layers=("openai",),
    ),
    Function(
        "customers",
        "Customer reads for staff: by last change, by email, one customer.",
        ApiTrigger(
            (
                Route("GET", "/customers", Access.AGENT),
                Route("GET", "/customers/{customerId}", Access.AGENT),
            )
        ),
        Grants(tables=_frozen({"customers": R})),
    ),
    Function(
        "salesforce_poll",
        "Hourly: Contacts changed in Salesforce since the watermark become portal customers.",
        ScheduleTrigger("salesforce-poll", Cron(minute="15"), "Pull changed Salesforce Contacts"),
        SALESFORCE_SYNC_GRANTS,
        memory_mb=512,
        timeout_s=600,
        layers=("salesforce",),
    ),
    Function(
        "salesforce_sync",
        "An admin's manual Salesforce sync (pull, push or both): queued (202), then polled.",
        ApiTrigger(
            (
                Route("POST", "/salesforce/sync", Access.ADMIN),
                Route("GET", "/salesforce/sync", Access.ADMIN),
                Route("GET", "/salesforce/sync/{runId}", Access.ADMIN),
            )
        ),
        Grants(tables=_frozen({"control": RW}), send_queues=("salesforce-sync",)),
    ),
    Function(
        "salesforce_sync_worker",
        "Runs a queued manual Salesforce sync; portal changes are pushed by external id.",
        # One run at a time per message; two at most, so a manual run never starves the org's API budget.
        QueueTrigger("salesforce-sync", batch_size=1, max_concurrency=2),
        SALESFORCE_SYNC_GRANTS,
        memory_mb=512,
        timeout_s=600,
        layers=("salesforce",),
    ),
    Function(
        "users",
        "User management for admins: list users, set their roles, disable and enable them.",
        ApiTrigger(
            (
                Route("GET", "/admin/users", Access.ADMIN),
                Route("GET", "/admin/users/{userId}", Access.ADMIN),
                Route("PUT", "/admin/users/{userId}/roles", Access.ADMIN),
                Route("POST", "/admin/users/{userId}/disable", Access.ADMIN),
                Route("POST", "/admin/users/{userId}/enable", Access.ADMIN),
            )
        ),
        # The access record (customers table) is what the stream audits: a put, never a read.
        Grants(
            tables=_frozen({"customers": W}),
            user_pool_actions=(
                "cognito-idp:ListUsers",
                "cognito-idp:ListUsersInGroup",
                "cognito-idp:AdminListGroupsForUser",
                "cognito-idp:AdminAddUserToGroup",
                "cognito-idp:AdminRemoveUserFromGroup",
                "cognito-idp:AdminDisableUser",
                "cognito-idp:AdminEnableUser",
                "cognito-idp:AdminUserGlobalSignOut",
            ),
        ),
    ),
    Function(
        "audit",
        "The audit trail of one entity, newest first, for admins.",
        ApiTrigger((Route("GET", "/admin/audit", Access.ADMIN),)),
        Grants(tables=_frozen({"audit": R})),
    ),
    Function(
        "analytics",
        "The business by day for admins: sign-ups, sign-ins, quotes, applications, premium, AI use.",
        ApiTrigger((Route("GET", "/admin/analytics", Access.ADMIN),)),
        Grants(tables=_frozen({"analytics": R})),
    ),
    Function(
        "analytics_recorder",
        "Counts domain events into per-day analytics counters, each event once.",
        QueueTrigger("analytics", batch_size=10),
        Grants(tables=_frozen({"analytics": W})),
    ),
    Function(
        "sign_in_recorder",
        "Cognito post-authentication: counts each sign-in (never blocks one).",
        CognitoTrigger("post_authentication"),
        Grants(tables=_frozen({"analytics": W})),
        # Not the slowest (128 MB) CPU share, and nothing kept running past Cognito's wait.
        timeout_s=CognitoTrigger.MAX_TIMEOUT_S,
    ),
    Function(
        "post_confirmation",
        "Cognito post-confirmation: creates the profile and joins the customers group.",
        CognitoTrigger("post_confirmation"),
        Grants(
            tables=_frozen({"customers": W}),
            user_pool_actions=("cognito-idp:AdminAddUserToGroup",),
        ),
        timeout_s=CognitoTrigger.MAX_TIMEOUT_S,
    ),
    Function(
        "stream_processor",
        "The outbox: committed changes become audit records and domain events.",
        StreamTrigger(tables=("customers", "sales", "ai-queries"), failure_queue="outbox-failures"),
        Grants(tables=_frozen({"audit": Perm.APPEND}), put_events=True),
        timeout_s=30,
    ),
)


# ---------------------------------------------------------------------------------------
# Lookups and the environment contract between infrastructure and handlers
# ---------------------------------------------------------------------------------------
def function(name: str) -> Function:
    for fn in FUNCTIONS:
        if fn.name == name:
            return fn
    raise KeyError(name)


def table(name: str) -> Table:
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)


def queue(name: str) -> Queue:
    for q in QUEUES:
        if q.name == name:
            return q
    raise KeyError(name)


def secret(name: str) -> Secret:
    for s in SECRETS:
        if s.name == name:
            return s
    raise KeyError(name)


def service(name: str) -> Service:
    for s in SERVICES:
        if s.name == name:
            return s
    raise KeyError(name)


def routes() -> list[tuple[Function, Route]]:
    return [
        (fn, route) for fn in FUNCTIONS if isinstance(fn.trigger, ApiTrigger) for route in fn.trigger.routes
    ]


def _env_key(name: str, suffix: str) -> str:
    return f"{name.upper().replace('-', '_')}_{suffix}"


def table_env(name: str) -> str:
    return _env_key(name, "TABLE_NAME")


def queue_env(name: str) -> str:
    return _env_key(name, "QUEUE_URL")


def bucket_env(name: str) -> str:
    return _env_key(name, "BUCKET_NAME")


def secret_env(name: str) -> str:
    return _env_key(name, "SECRET_ID")


def service_env(name: str) -> str:
    return _env_key(name, "BASE_URL")


@dataclass(frozen=True)
class Physical:
    """Deployed identifiers of the resources, by logical name (CDK tokens or local names)."""

    tables: Mapping[str, str]
    queue_urls: Mapping[str, str]
    buckets: Mapping[str, str]
    secrets: Mapping[str, str]
    event_bus: str
    user_pool_id: str
    service_urls: Mapping[str, str] = field(default_factory=dict)
    notification_sender: str = "no-reply@salesportal.example.com"
    pii_key_id: str = "alias/salesportal-pii"
    # The web origins whose browsers may read the API's answers: the preflight's list.
    allowed_origins: tuple[str, ...] = ()

    @classmethod
    def placeholders(cls, prefix: str = "salesportal") -> Physical:
        """Names for every resource, for code that needs an environment but no AWS (tests, benchmarks)."""
        return cls(
            tables={t.name: f"{prefix}-{t.name}" for t in TABLES},
            queue_urls={
                q.name: f"https://sqs.us-east-1.amazonaws.com/123456789012/{prefix}-{q.name}" for q in QUEUES
            },
            buckets={b.name: f"{prefix}-{b.name}" for b in BUCKETS},
            secrets={s.name: f"{prefix}/{s.name}" for s in SECRETS},
            event_bus=f"{prefix}-{EVENT_BUS}",
            user_pool_id="us-east-1_placeholder",
            service_urls={s.name: f"https://{s.name}.example.invalid" for s in SERVICES},
        )


def function_environment(fn: Function, physical: Physical) -> dict[str, str]:
    """The environment a function gets: exactly the resources its grants name."""
    env = {
        "POWERTOOLS_SERVICE_NAME": fn.name,
        "POWERTOOLS_METRICS_NAMESPACE": "SalesPortal",  # = salesportal.observability.METRICS_NAMESPACE
        "POWERTOOLS_TRACE_DISABLED": "false" if fn.tracing else "true",
        "LOG_LEVEL": "INFO",
    }
    g = fn.grants
    env.update({table_env(t): physical.tables[t] for t in g.tables})
    env.update({queue_env(q): physical.queue_urls[q] for q in g.send_queues})
    env.update({bucket_env(b): physical.buckets[b] for b in g.buckets})
    env.update({secret_env(s): physical.secrets[s] for s in g.secrets})
    env.update({service_env(s): physical.service_urls[s] for s in g.services})
    if g.send_email:
        env["NOTIFICATION_SENDER"] = physical.notification_sender
    if g.encrypt_pii:
        env["PII_KEY_ID"] = physical.pii_key_id
    if g.put_events:
        env["EVENT_BUS_NAME"] = physical.event_bus
        env["EVENT_SOURCE"] = EVENT_SOURCE
    # A Cognito trigger learns its pool from the event: the pool cannot name itself to its
    # own trigger without a circular dependency in CloudFormation.
    if g.user_pool_actions and not isinstance(fn.trigger, CognitoTrigger):
        env["USER_POOL_ID"] = physical.user_pool_id
    if isinstance(fn.trigger, ApiTrigger):
        # Read by salesportal.http: a listed Origin is echoed, no other (and never "*").
        env["ALLOWED_ORIGINS"] = ",".join(physical.allowed_origins)
        # Read by salesportal.access: the routes' access levels, stated here and nowhere else.
        env["ROUTE_ACCESS"] = json.dumps(
            {f"{r.method} {r.path}": r.access.value for r in fn.trigger.routes}, separators=(",", ":")
        )
    if isinstance(fn.trigger, QueueTrigger):
        # A worker knows its last attempt: it then records the outcome before the DLQ.
        env["MAX_RECEIVE_COUNT"] = str(queue(fn.trigger.queue).max_receive_count)
        # ... and may delay a failed message's next attempt (backoff) on its own queue.
        env["SOURCE_QUEUE_URL"] = physical.queue_urls[fn.trigger.queue]
    return env
