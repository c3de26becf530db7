"""Warm latency and AWS calls of the sales-funnel handlers, measured along real flows.

Their sample events need state (an approved application, a pending policy…), and most of
them change it, so replaying one event N times would measure N-1 refusals. Instead each
iteration walks a fresh customer through the funnel and times every step, in-process on
moto with the loopback stand-ins as the outside world (their HTTP round trips are included:
on AWS those are network calls to the real services).
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Functions whose sample events only make sense inside a flow: measured here, not by replay.
MEASURED_BY_WALK = frozenset(
    {
        "applications",
        "underwriting",
        "review",
        "policy_documents",
        "policies",
        "payments",
        "payment_webhook",
        "renewals",
        "notifications",
        "my_notifications",
        "plan_sync",  # a file applies once: timed on one large file instead (benchmarks.plans)
        "ai_worker",
        "salesforce_poll",  # a full pull, timed once as throughput (benchmarks.run)
        "salesforce_sync_worker",  # a push, timed once as throughput (benchmarks.run)
    }
)


@dataclass
class TimedStack:
    """Looks like the integration tests' stack to ``tests.support.funnel``; times each call."""

    physical: Any
    standins: Any
    probe: Any
    step: str = ""
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    calls: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    own: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    functions: dict[str, str] = field(default_factory=dict)
    recording: bool = False

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        from infrastructure import manifest
        from tests.support.lambdas import FakeContext, load_handler

        fn = manifest.function(function)
        handler = load_handler(function).lambda_handler
        measured = self.probe.measure(
            lambda: handler(event, FakeContext(function, fn.memory_mb, fn.timeout_s))
        )
        if self.recording and self.step:
            self.samples[self.step].append(measured.ms)
            self.calls[self.step].append(measured.aws_calls)
            # Without the time moto spent answering (its transactions copy whole tables).
            self.own[self.step].append(measured.own_ms)
            self.functions[self.step] = function
        return measured.result

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, region_name="us-east-1")


def _union_environment(physical: Any) -> None:
    """Every function's manifest environment at once: the names never disagree, and
    switching environments per call would reset the clients and measure cold paths."""
    from infrastructure import manifest

    for fn in manifest.FUNCTIONS:
        os.environ.update(manifest.function_environment(fn, physical))


def walk(stack: TimedStack, customer_sub: str) -> None:
    """One customer through every funnel step; each ``stack.step`` names what is timed."""
    from salesportal.integrations.webhooks import sign
    from tests.support.api import body_of, rest_event
    from tests.support.funnel import AGENT, Funnel, outbox_message

    funnel = Funnel(stack, customer_sub)

    def step(name: str, action: Callable[[], Any]) -> Any:
        stack.step = name
        try:
            return action()
        finally:
            stack.step = ""

    quote = funnel.quote()
    application = body_of(step("POST /applications", lambda: funnel.apply(quote["quoteId"])))
    app_id = application["applicationId"]
    step("underwriting worker (KYC + bureau)", lambda: funnel.underwrite(app_id))
    step("GET /applications/{id}", lambda: funnel.application(app_id))
    step("GET /applications", lambda: funnel.call("applications", "GET", "/applications"))
    policy = body_of(step("POST /applications/{id}/acceptance", lambda: funnel.accept(app_id)))
    policy_id = policy["policyId"]
    created = outbox_message(
        "PolicyCreated", customer_sub, "policy", policy_id, {"policyNumber": policy["policyNumber"]}
    )
    step("policy_documents worker (PDF)", lambda: stack.invoke("policy_documents", created))
    path = (f"/policies/{policy_id}/document", "/policies/{policyId}/document", {"policyId": policy_id})
    step("GET /policies/{id}/document", lambda: funnel.call("policies", "GET", *path))
    step(
        "POST /policies/{id}/payments",
        lambda: funnel.pay(policy_id, "tok_visa", f"bench-{uuid.uuid4().hex[:16]}"),
    )
    step("GET /policies/{id}", lambda: funnel.policy(policy_id))
    step("GET /policies", lambda: funnel.call("policies", "GET", "/policies"))
    step("notifications worker (email)", lambda: stack.invoke("notifications", created))
    step("GET /me/notifications", lambda: funnel.call("my_notifications", "GET", "/me/notifications"))
    step("POST /policies/{id}/cancellation", lambda: funnel.cancel(policy_id))

    # An asynchronous payment, settled by the signed webhook.
    second = funnel.issued_policy()
    funnel.pay(second["policyId"], "tok_async", f"bench-{uuid.uuid4().hex[:16]}")
    intent = next(
        i
        for i in stack.standins.state.intents.values()
        if i["metadata"].get("policyId") == second["policyId"]
    )
    event = {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": "payment_intent.succeeded",
        "data": {"object": {**intent, "status": "succeeded"}},
    }
    raw = json.dumps(event)
    webhook = rest_event(
        "POST",
        "/payments/webhook",
        raw_body=raw,
        headers={
            "Stripe-Signature": sign(raw.encode(), stack.standins.config.webhook_secret, int(time.time()))
        },
    )
    step("POST /payments/webhook (signed)", lambda: stack.invoke("payment_webhook", webhook))

    # A referral, decided by an agent.
    referred = body_of(funnel.apply(funnel.quote()["quoteId"], declarations={"chronicCondition": True}))
    funnel.underwrite(referred["applicationId"])
    step("GET /admin/applications", lambda: funnel.call("review", "GET", "/admin/applications", caller=AGENT))
    decision = {"outcome": "DECLINE", "reason": "Benchmark decision."}
    rid = referred["applicationId"]
    step(
        "PUT /admin/applications/{id}/decision",
        lambda: funnel.call(
            "review",
            "PUT",
            f"/admin/applications/{rid}/decision",
            "/admin/applications/{applicationId}/decision",
            {"applicationId": rid},
            caller=AGENT,
            body=decision,
        ),
    )
    step("renewals daily run", lambda: stack.invoke("renewals", {"time": "2026-11-22T06:00:00Z"}))

    # The AI assistant on this customer (the OpenAI-compatible stand-in answers).
    asked = funnel.call(
        "ai_queries",
        "POST",
        "/ai/queries",
        caller=AGENT,
        body={"question": "What does this customer hold?", "customerId": customer_sub},
    )
    query_id = body_of(asked)["queryId"]
    message = outbox_message("AiQueryCreated", customer_sub, "ai_query", query_id)
    step("ai_worker (context + chat completion)", lambda: stack.invoke("ai_worker", message))


def measure(physical: Any, standins: Any, probe: Any, iterations: int, customer_sub: str) -> dict[str, Any]:
    _union_environment(physical)
    stack = TimedStack(physical, standins, probe)
    walk(stack, customer_sub)  # warm-up: clients, caches, imports
    stack.recording = True
    for _ in range(iterations):
        walk(stack, customer_sub)
    return {
        name: {
            "function": stack.functions[name],
            "p50_ms": statistics.median(values),
            "p99_ms": sorted(values)[max(0, int(len(values) * 0.99) - 1)],
            "own_p50_ms": statistics.median(stack.own[name]),
            "aws_calls_per_request": statistics.mean(stack.calls[name]),
        }
        for name, values in stack.samples.items()
    }
