"""Salesforce through simple-salesforce, after an OAuth 2.0 client-credentials token.

The token step is done here rather than by ``SalesforceLogin`` (which only knows
``*.salesforce.com`` hosts), so a My Domain URL, a sandbox or the offline stand-in are all
just ``SALESFORCE_BASE_URL``. simple-salesforce is imported on first use (about 300 ms).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

from salesportal import secrets
from salesportal.domain.crm import Contact, ContactFields, SaveResult
from salesportal.integrations.salesforce_port import COLLECTION_LIMIT, Budget

CONTACT_FIELDS = (
    "Id, FirstName, LastName, Email, Phone, LeadSource, Lifetime_Value__c, Portal_Customer_Id__c, "
    "Account.Name, IsDeleted, SystemModstamp, LastModifiedDate"
)


def connect(base_url: str, secret_id: str) -> SalesforceClient:
    """A client with a fresh token, its credentials read now (salesportal.secrets: rotation is seen)."""
    secret = secrets.get_json(secret_id, "clientId", "clientSecret")
    return SalesforceClient(base_url, secret["clientId"], secret["clientSecret"])


class SalesforceClient:
    def __init__(self, base_url: str, client_id: str, client_secret: str, *, timeout_s: float = 30.0) -> None:
        import requests  # simple-salesforce's transport: one CA configuration for both calls

        response = requests.post(
            f"{base_url.rstrip('/')}/services/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret},
            timeout=timeout_s,
        )
        if response.status_code != 200:
            # Imported here: its module loads httpx (and, through it, rich and click): ~100 ms
            # of cold start that a run pays only when the token is refused.
            from salesportal.integrations.http import DependencyError

            raise DependencyError(
                "salesforce", f"OAuth token refused: HTTP {response.status_code}", status=response.status_code
            )
        token = response.json()
        from simple_salesforce.api import Salesforce

        self._sf = Salesforce(instance_url=token["instance_url"], session_id=token["access_token"])
        self._sf.session.request = _with_timeout(self._sf.session.request, timeout_s)  # type: ignore[method-assign]

    @property
    def budget(self) -> Budget | None:
        usage = self._sf.api_usage.get("api-usage")
        return Budget(usage.used, usage.total) if usage else None

    def contact_pages(self, since: datetime) -> Iterator[tuple[list[Contact], bool]]:
        """Contacts (deleted ones too) changed at or after ``since``, in (SystemModstamp, Id)
        order, one page at a time, following ``nextRecordsUrl`` to the end. Each page comes
        with whether another follows, so a caller can stop between pages knowingly."""
        literal = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # a formatted datetime, never input
        soql = f"SELECT {CONTACT_FIELDS} FROM Contact WHERE SystemModstamp >= {literal} ORDER BY SystemModstamp, Id"  # noqa: S608
        result = self._sf.query(soql, include_deleted=True)
        while True:
            more = not result.get("done", True) and bool(result.get("nextRecordsUrl"))
            yield list(result.get("records", [])), more
            if not more:
                return
            result = self._sf.query_more(result["nextRecordsUrl"], identifier_is_url=True)

    def upsert_contacts(self, external_id_field: str, records: list[ContactFields]) -> list[SaveResult]:
        """Upsert up to 200 Contacts by an external id (composite sObject collections).
        One result per record, in order: ``{id, success, created, errors}``."""
        return self._collection(f"composite/sobjects/Contact/{external_id_field}", records)

    def update_contacts(self, records: list[ContactFields]) -> list[SaveResult]:
        """Update up to 200 Contacts by their Salesforce ``Id`` (composite sObject collections)."""
        return self._collection("composite/sobjects", records)

    def _collection(self, path: str, records: list[ContactFields]) -> list[SaveResult]:
        if len(records) > COLLECTION_LIMIT:
            raise ValueError(f"at most {COLLECTION_LIMIT} records per call, got {len(records)}")
        answer = self._sf.restful(
            path,
            method="PATCH",
            # allOrNone=false: one bad record is reported in its result, the others are saved.
            json={"allOrNone": False, "records": [{"attributes": {"type": "Contact"}, **r} for r in records]},
        )
        return cast(list[SaveResult], list(answer or []))


def _with_timeout(request: Any, timeout_s: float) -> Any:
    def call(method: str, url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", timeout_s)
        return request(method, url, **kwargs)

    return call
