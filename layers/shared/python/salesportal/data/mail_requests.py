"""Mail requests' delivery records, kept in the control table (``data.control`` owns the key):
what was sent or refused for a request id, so a request queued twice is mailed once."""

from __future__ import annotations

from dataclasses import dataclass

from salesportal.data.control import ControlRepository
from salesportal.domain.mailing import MailOutcome, MailRequest, MailStatus


@dataclass(frozen=True)
class MailRequests:
    table_name: str

    def handled(self, request_id: str) -> MailStatus | None:
        """SENT or REJECTED once the mail house answered; None before."""
        item = ControlRepository(self.table_name).mail_request(request_id)
        status = item.get("status") if item else None
        return status if status in ("SENT", "REJECTED") else None

    def record(self, request: MailRequest, outcome: MailOutcome) -> None:
        item = {
            "requestId": request.request_id,
            "planId": request.plan_id,
            "requestedAt": request.requested_at.isoformat(),
            "status": outcome.status,
            "updatedAt": outcome.at.isoformat(),
        }
        if outcome.fulfillment_id is not None:
            item["fulfillmentId"] = outcome.fulfillment_id
        if outcome.reason is not None:
            item["reason"] = outcome.reason[:300]
        ControlRepository(self.table_name).record_mail_request(request.request_id, item)
