"""The domain-event bus: the outbox publishes here; consumers subscribe with rules."""

from __future__ import annotations

from aws_cdk import aws_events as events
from constructs import Construct


class DomainEvents(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus")
        self.bus.archive(
            "Archive",
            description="Replayable history of domain events",
            event_pattern=events.EventPattern(source=["salesportal"]),
        )
