"""A loopback Salesforce: OAuth token, SOQL query/queryAll with 2,000-row pages, upserts.

It speaks HTTPS, because simple-salesforce builds ``https://`` URLs from the instance URL.
The certificate is made at start-up for 127.0.0.1 and written next to the key; clients
trust it through ``REQUESTS_CA_BUNDLE`` (an environment difference only, like
``AWS_ENDPOINT_URL``). Seeded with generated Contacts (with Accounts), some sharing a
``SystemModstamp``, some deleted; every API response carries ``Sforce-Limit-Info``.

Supported SOQL is what the sync sends: ``SELECT … FROM Contact WHERE SystemModstamp >=
<datetime> ORDER BY SystemModstamp, Id``; ``queryAll`` includes deleted rows. Writes are the
composite sObject collections: update by Id, and upsert by an external id field (a record
without a match is created, and refused with REQUIRED_FIELD_MISSING when it has no LastName).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import random
import re
import secrets
import ssl
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_VERSION = "59.0"
PAGE_SIZE = 2000


@dataclass
class SalesforceConfig:
    client_id: str = "local-client-id"
    client_secret: str = "local-client-secret"
    contacts: int = 4500
    api_limit: int = 15000
    seed: int = 11
    page_size: int = PAGE_SIZE  # Salesforce's default batch; smaller in tests to see many pages


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost, valid for a month."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "salesportal local salesforce")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "salesforce.pem", directory / "salesforce.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def generate_contacts(count: int, seed: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    contacts = {}
    moment = start
    for n in range(count):
        if rng.random() > 0.15:  # 15 % share the previous SystemModstamp: ties must not be lost
            moment += dt.timedelta(seconds=rng.randint(1, 3600))
        contact_id = f"003{n:015d}"
        contacts[contact_id] = {
            "attributes": {
                "type": "Contact",
                "url": f"/services/data/v{API_VERSION}/sobjects/Contact/{contact_id}",
            },
            "Id": contact_id,
            "FirstName": rng.choice(
                ["Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "June"]
            ),
            "LastName": rng.choice(
                ["Rivera", "Okafor", "Smith", "Nguyen", "Garcia", "Kowalski", "Haddad", "Lee"]
            ),
            "Email": f"contact{n:05d}@example.com",
            "Phone": f"+1512555{n % 10000:04d}",
            "LeadSource": rng.choice(["Web", "Partner", "Referral", None]),
            "Lifetime_Value__c": round(rng.uniform(0, 25000), 2),  # a float: must become Decimal
            "Portal_Customer_Id__c": None,
            "Account": {"attributes": {"type": "Account"}, "Name": f"Household {n // 3:05d}"},
            "IsDeleted": rng.random() < 0.02,
            "SystemModstamp": _stamp(moment),
            "LastModifiedDate": _stamp(moment),
        }
    return contacts


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    cursors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    api_calls: int = 0
    fail_after_pages: int | None = None  # serve this many pages, then 500 (a run dying halfway)
    upserts: list[dict[str, Any]] = field(default_factory=list)
    # Records saved per portal customer id (update or upsert): a push must send each once.
    saves_by_portal_id: Counter[str] = field(default_factory=Counter)


class SalesforceStandIn:
    def __init__(self, config: SalesforceConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self.state = _State(contacts=generate_contacts(config.contacts, config.seed))
        self._external: tuple[Any, dict[tuple[str, Any], str]] = (None, {})
        self._dir = Path(tempfile.mkdtemp(prefix="salesforce-"))
        self.cert_path, key_path = make_certificate(self._dir)
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, headers = standin.handle(method, self.path, dict(self.headers.items()), raw)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_PATCH(self) -> None:
                self._answer("PATCH")

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, key_path)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="salesforce", daemon=True)

    def start(self) -> SalesforceStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- protocol ----------------------------------------------------------------------
    def _limit_header(self) -> dict[str, str]:
        return {"Sforce-Limit-Info": f"api-usage={self.state.api_calls}/{self.config.api_limit}"}

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        url = urlsplit(target)
        if method == "POST" and url.path == "/services/oauth2/token":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            if (
                form.get("grant_type") != "client_credentials"
                or form.get("client_id") != self.config.client_id
                or form.get("client_secret") != self.config.client_secret
            ):
                return 400, {"error": "invalid_client", "error_description": "invalid client credentials"}, {}
            token = secrets.token_hex(16)
            self.state.tokens.add(token)
            return (
                200,
                {"access_token": token, "instance_url": self.url, "token_type": "Bearer", "issued_at": "0"},
                {},
            )
        if url.path.startswith("/_control/"):
            return self._control(method, url.path, raw)
        token = {k.lower(): v for k, v in headers.items()}.get("authorization", "").removeprefix("Bearer ")
        if token not in self.state.tokens:
            return 401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}], {}
        with self.state.lock:
            self.state.api_calls += 1
            if self.state.api_calls > self.config.api_limit:
                return (
                    403,
                    [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
                    self._limit_header(),
                )
        base = f"/services/data/v{API_VERSION}"
        match = re.fullmatch(rf"{re.escape(base)}/(query|queryAll)/?(?:(?P<cursor>[\w-]+))?", url.path)
        if method == "GET" and match:
            return self._query(
                match.group(1) == "queryAll", match.group("cursor"), parse_qs(url.query).get("q", [""])[0]
            )
        upsert = re.fullmatch(rf"{re.escape(base)}/composite/sobjects/Contact/(\w+)", url.path)
        if method == "PATCH" and upsert:
            return self._upsert(upsert.group(1), json.loads(raw or b"{}"))
        if method == "PATCH" and url.path == f"{base}/composite/sobjects":
            return self._update(json.loads(raw or b"{}"))
        return (
            404,
            [{"message": f"not found: {method} {url.path}", "errorCode": "NOT_FOUND"}],
            self._limit_header(),
        )

    def _query(self, include_deleted: bool, cursor: str | None, soql: str) -> tuple[int, Any, dict[str, str]]:
        with self.state.lock:
            if cursor:
                pending = self.state.cursors.pop(cursor, None)
                if pending is None:
                    return (
                        400,
                        [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}],
                        {},
                    )
            else:
                since = re.search(r"SystemModstamp\s*>=\s*(\S+)", soql)
                if not re.search(r"FROM\s+Contact", soql, re.I) or not since:
                    return (
                        400,
                        [{"message": f"unsupported query: {soql}", "errorCode": "MALFORMED_QUERY"}],
                        {},
                    )
                threshold = since.group(1).replace("Z", "+0000")
                rows = [
                    c
                    for c in self.state.contacts.values()
                    if c["SystemModstamp"] >= threshold.replace("T", "T")
                    and (include_deleted or not c["IsDeleted"])
                ]
                pending = sorted(rows, key=lambda c: (c["SystemModstamp"], c["Id"]))
            if self.state.fail_after_pages is not None:
                if self.state.fail_after_pages <= 0:
                    return (
                        500,
                        [{"message": "injected failure", "errorCode": "UNKNOWN_EXCEPTION"}],
                        self._limit_header(),
                    )
                self.state.fail_after_pages -= 1
            size = self.config.page_size
            page, rest = pending[:size], pending[size:]
            body: dict[str, Any] = {
                "totalSize": len(pending),
                "done": not rest,
                "records": json.loads(json.dumps(page)),
            }
            if rest:
                locator = f"01g{secrets.token_hex(8)}-{size}"
                self.state.cursors[locator] = rest
                body["nextRecordsUrl"] = (
                    f"/services/data/v{API_VERSION}/{'queryAll' if include_deleted else 'query'}/{locator}"
                )
        return 200, body, self._limit_header()

    def _upsert(self, external_field: str, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        """Match each record by the external id only (as Salesforce does); no match creates."""
        results = []
        with self.state.lock:
            for record in body.get("records", []):
                key = record.get(external_field)
                existing = self._by_external_id(external_field, key) if key else None
                if existing is None and not record.get("LastName"):
                    results.append(
                        _refused("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]")
                    )
                    continue
                created = existing is None
                if existing is None:
                    contact_id = f"003{len(self.state.contacts):015d}"
                    existing = {
                        "attributes": {"type": "Contact"},
                        "Id": contact_id,
                        "IsDeleted": False,
                        "Account": None,
                    }
                    self.state.contacts[contact_id] = existing
                results.append(self._save(existing, record, created))
        return 200, results, self._limit_header()

    def _by_external_id(self, external_field: str, key: Any) -> dict[str, Any] | None:
        """The Contact carrying ``key`` in ``external_field``: an index, not a scan per record
        (a push of 25,000 records would otherwise take minutes here); rebuilt whenever a test
        swaps the Contacts."""
        contacts = self.state.contacts
        if self._external[0] is not contacts:
            index: dict[tuple[str, Any], str] = {}
            for contact in contacts.values():
                for name, value in contact.items():
                    if name.endswith("__c") and value:
                        index.setdefault((name, value), contact["Id"])
            self._external = (contacts, index)
        found = self._external[1].get((external_field, key))
        match = contacts.get(found) if found else None
        return match if match is not None and match.get(external_field) == key else None

    def _update(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        results = []
        with self.state.lock:
            for record in body.get("records", []):
                existing = self.state.contacts.get(record.get("Id", ""))
                if existing is None or existing["IsDeleted"]:
                    results.append(_refused("ENTITY_IS_DELETED", "entity is deleted"))
                    continue
                results.append(self._save(existing, record, created=False))
        return 200, results, self._limit_header()

    def _save(self, contact: dict[str, Any], record: dict[str, Any], created: bool) -> dict[str, Any]:
        contact.update({k: v for k, v in record.items() if k not in ("attributes", "Id")})
        contact["SystemModstamp"] = contact["LastModifiedDate"] = _stamp(dt.datetime.now(dt.UTC))
        self.state.upserts.append(dict(record))
        if self._external[0] is self.state.contacts:  # keep the external-id index current
            for name, value in record.items():
                if name.endswith("__c") and value:
                    self._external[1][(name, value)] = contact["Id"]
        if record.get("Portal_Customer_Id__c"):
            self.state.saves_by_portal_id[record["Portal_Customer_Id__c"]] += 1
        return {"id": contact["Id"], "success": True, "errors": [], "created": created}

    def _control(self, method: str, path: str, raw: bytes) -> tuple[int, Any, dict[str, str]]:
        deleted = re.fullmatch(r"/_control/contacts/(\w+)/delete", path)
        with self.state.lock:
            if method == "POST" and deleted and deleted.group(1) in self.state.contacts:
                contact = self.state.contacts[deleted.group(1)]
                contact["IsDeleted"] = True
                contact["SystemModstamp"] = _stamp(dt.datetime.now(dt.UTC))
                return 200, {"deleted": contact["Id"]}, {}
            portal = re.fullmatch(r"/_control/contacts/by-portal-id/([\w-]+)", path)
            if method == "GET" and portal:
                found = [
                    c
                    for c in self.state.contacts.values()
                    if c.get("Portal_Customer_Id__c") == portal.group(1)
                ]
                return (200, found[0], {}) if found else (404, {"error": "no such contact"}, {})
            one = re.fullmatch(r"/_control/contacts/(\w+)", path)
            if method == "GET" and one and one.group(1) in self.state.contacts:
                return 200, self.state.contacts[one.group(1)], {}
            if method == "POST" and path == "/_control/fail-after-pages":
                self.state.fail_after_pages = json.loads(raw or b"null")
                return 200, {"failAfterPages": self.state.fail_after_pages}, {}
            if method == "GET" and path == "/_control/stats":
                return (
                    200,
                    {
                        "apiCalls": self.state.api_calls,
                        "contacts": len(self.state.contacts),
                        "upserts": len(self.state.upserts),
                        "savedTwice": sum(1 for n in self.state.saves_by_portal_id.values() if n > 1),
                    },
                    {},
                )
        return 404, {"error": "no such control endpoint"}, {}


def _refused(code: str, message: str) -> dict[str, Any]:
    return {"id": None, "success": False, "errors": [{"statusCode": code, "message": message, "fields": []}]}


def serve_salesforce(config: SalesforceConfig) -> SalesforceStandIn:
    return SalesforceStandIn(config).start()
