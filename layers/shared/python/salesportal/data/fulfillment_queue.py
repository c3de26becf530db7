"""The fulfillment queue: mail requests on their way to the mail house's worker.

The only code that knows the message's field names on the sending side (``models.mail``
reads them on the other). The recipient's name and address travel only in the message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from salesportal import aws
from salesportal.domain.mailing import MailRequest


@dataclass(frozen=True)
class FulfillmentQueue:
    queue_url: str

    def send(self, request: MailRequest) -> None:
        message = {
            "requestId": request.request_id,
            "planId": request.plan_id,
            "planName": request.plan_name,
            "recipient": {"name": request.recipient_name, "address": dict(request.address)},
            "requestedAt": request.requested_at.isoformat(),
        }
        aws.client("sqs").send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(message))
