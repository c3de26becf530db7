"""SQS workers: the growing delay before a failed message's next attempt.

Lambda's event source retries a failed message when its visibility timeout ends, always
the same wait. A worker whose dependency is down pushes that out instead: ``first_s``,
then double on each receive, up to ``max_s``. The caller still reports the message as
failed; this only decides when it comes back.
"""

from __future__ import annotations

from typing import Any

from salesportal import aws
from salesportal.observability import logger


def retry_delay(attempt: int, *, first_s: int, max_s: int) -> int:
    return min(max_s, first_s << max(0, attempt - 1))  # first_s x 2^(attempt-1)


def delay_next_attempt(queue_url: str, record: Any, attempt: int, *, first_s: int, max_s: int) -> None:
    try:
        aws.client("sqs").change_message_visibility(
            QueueUrl=queue_url,
            ReceiptHandle=record.receipt_handle,
            VisibilityTimeout=retry_delay(attempt, first_s=first_s, max_s=max_s),
        )
    except Exception:  # the message still comes back at the queue's own timeout
        logger.warning("could not set the retry delay", exc_info=True)
