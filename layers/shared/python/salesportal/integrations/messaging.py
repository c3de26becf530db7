"""E-mail (SES) and SMS (SNS) to a customer: the ``Messenger`` port and its AWS client.

A provider's refusal or outage is raised as it came (botocore retries first, within the
client's bounded timeouts: salesportal.aws); the notifications worker fails the message,
and the queue retries it. Text is sent as UTF-8, so every language's letters arrive intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from salesportal import aws

# SNS takes up to 1,600 per SMS publish (the API reference says characters, the developer
# guide bytes); text with any letter outside GSM/ASCII (Spanish's á, í, ó, ú, ¿) travels as
# UCS-2, two bytes each, so it is held to 800 characters, plain text to 1,400 as before.
SMS_MAX_CHARS = 1400
SMS_MAX_CHARS_UCS2 = 800


class Messenger(Protocol):
    def email(self, to: str, subject: str, text: str) -> str:
        """Send a plain-text e-mail; the provider's message id."""
        ...

    def sms(self, to: str, subject: str, text: str) -> str:
        """Send a transactional SMS to an E.164 number; the provider's message id."""
        ...


def sms_body(subject: str, text: str) -> str:
    """One SMS: the subject leads (a phone shows only the first line), cut to what SNS sends whole."""
    body = f"{subject}: {text}"
    return body[: SMS_MAX_CHARS if body.isascii() else SMS_MAX_CHARS_UCS2]


@dataclass(frozen=True)
class AwsMessenger:
    sender: str  # a verified SES identity

    def email(self, to: str, subject: str, text: str) -> str:
        response = aws.client("sesv2").send_email(
            FromEmailAddress=self.sender,
            Destination={"ToAddresses": [to]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
                }
            },
        )
        return str(response.get("MessageId", ""))

    def sms(self, to: str, subject: str, text: str) -> str:
        response = aws.client("sns").publish(
            PhoneNumber=to,
            Message=sms_body(subject, text),
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
        )
        return str(response.get("MessageId", ""))
