"""Rendering a policy's document over in-memory ports: in the customer's preferred language
(English without a profile), once per policy and term, the language named by the stored key."""

from __future__ import annotations

from salesportal.domain.policy_document import render as policy_pdf
from salesportal.workflows import documents
from tests.fakes.documents import FakeDocumentStore, FakeProfiles
from tests.fakes.sales import CUSTOMER, NOW, POLICY_ID, FakeSales, a_policy
from tests.support.pdf_text import text_lines

ACTOR = "system:policy-documents"
PREFIX = f"policies/{CUSTOMER}/{POLICY_ID}/certificate-2026-12-01"


def _render(sales: FakeSales, store: FakeDocumentStore, profiles: FakeProfiles) -> documents.Rendered:
    return documents.render(sales, store, CUSTOMER, POLICY_ID, actor=ACTOR, profiles=profiles, pdf=policy_pdf)


def _world() -> tuple[FakeSales, FakeDocumentStore]:
    sales = FakeSales()
    sales.add(a_policy())
    return sales, FakeDocumentStore()


def test_a_customer_who_prefers_spanish_gets_the_document_in_spanish():
    sales, store = _world()
    assert _render(sales, store, FakeProfiles({CUSTOMER: "es"})) == "rendered"
    key = f"{PREFIX}-es.pdf"
    body, filename = store.objects[key]
    lines = text_lines(body)
    assert lines[0] == "Certificado de seguro" and "Número de póliza" in lines
    assert "Del 1 de diciembre de 2026 al 1 de diciembre de 2027" in lines and "$365.00" in lines
    assert filename == "TL-2026-8R0T2V4W6Z.pdf"
    stored = sales.policies[POLICY_ID]
    assert (stored.document_status, stored.document_key) == ("READY", key)


def test_a_customer_without_a_profile_gets_the_document_in_english():
    sales, store = _world()
    profiles = FakeProfiles()
    assert _render(sales, store, profiles) == "rendered"
    assert profiles.read == [CUSTOMER]
    assert list(store.objects) == [f"{PREFIX}-en.pdf"]
    lines = text_lines(store.objects[f"{PREFIX}-en.pdf"][0])
    assert lines[0] == "Certificate of Insurance" and "December 1, 2026 to December 1, 2027" in lines
    assert sales.policies[POLICY_ID].document_key == f"{PREFIX}-en.pdf"


def test_a_customer_with_the_default_preference_gets_english():
    sales, store = _world()
    assert _render(sales, store, FakeProfiles({CUSTOMER: "en"})) == "rendered"
    assert text_lines(store.objects[f"{PREFIX}-en.pdf"][0])[0] == "Certificate of Insurance"


def test_a_redelivered_event_keeps_the_document_in_the_language_it_was_made_in():
    sales, store = _world()
    profiles = FakeProfiles({CUSTOMER: "es"})
    assert _render(sales, store, profiles) == "rendered"
    profiles.languages[CUSTOMER] = "en"  # the customer changes their preference afterwards
    assert _render(sales, store, profiles) == "already_ready"
    assert list(store.objects) == [f"{PREFIX}-es.pdf"]
    assert sales.policies[POLICY_ID].document_key == f"{PREFIX}-es.pdf"


def test_no_document_for_a_policy_that_is_not_there():
    sales, store = FakeSales(), FakeDocumentStore()
    assert _render(sales, store, FakeProfiles({CUSTOMER: "es"})) == "no_policy"
    assert store.objects == {}


def test_the_link_points_at_the_stored_document_in_its_language():
    sales, store = _world()
    _render(sales, store, FakeProfiles({CUSTOMER: "es"}))
    link = documents.link(sales, store, CUSTOMER, POLICY_ID, NOW)
    assert link.url.startswith(f"https://documents.example.invalid/{PREFIX}-es.pdf")
    assert link.expires_at == NOW + documents.LINK_TTL


def test_a_policy_that_vanishes_while_rendering_is_reported():
    sales, store = _world()
    sales.meanwhile.append(lambda s: s.policies.pop(POLICY_ID))  # gone between the read and the write
    assert _render(sales, store, FakeProfiles()) == "policy_vanished"
