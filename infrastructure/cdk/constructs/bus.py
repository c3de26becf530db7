"""The domain-event bus: the outbox publishes here; consumers subscribe with rules."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infrastructure import manifest


class DomainEvents(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus")
        self.bus.archive(
            "Archive",
            description="Replayable history of domain events",
            event_pattern=events.EventPattern(source=["salesportal"]),
        )

    def subscribe(self, spec: manifest.Queue, queue: sqs.IQueue, key: kms.IKey) -> events.Rule:
        """A rule delivering ``spec.subscribes_to`` events from the bus into ``queue``."""
        # The queue is encrypted with the stack's key: EventBridge must be able to use it.
        key.grant(iam.ServicePrincipal("events.amazonaws.com"), "kms:GenerateDataKey", "kms:Decrypt")
        return events.Rule(
            self,
            f"To-{spec.name}",
            event_bus=self.bus,
            description=f"Domain events for the {spec.name} queue",
            event_pattern=events.EventPattern(
                source=[manifest.EVENT_SOURCE], detail_type=list(spec.subscribes_to)
            ),
            targets=[targets.SqsQueue(queue)],
        )
