"""The policy document in each language a customer can choose: what it says, written with en-US
and es-US amounts and dates, set in the core fonts without a missing letter or an overflow."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from typing import get_args

import pytest
from fpdf import FPDF

from salesportal.domain.languages import LANGUAGES
from salesportal.domain.policy_document import LABEL_FONT, LABEL_WIDTH_MM, content, render
from salesportal.domain.policy_document_texts import TEXTS, TextKey
from salesportal.domain.sales import Money, Term
from tests.fakes.sales import a_policy
from tests.support.pdf_text import text_lines

POLICY = a_policy(
    policy_number="TL-2026-8R0T2V4W6Z",
    term=Term(date(2026, 12, 1), date(2027, 12, 1)),
    annual_premium=Money(123_456),
    monthly_premium=Money(10_288),
    issued_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
)


def test_the_english_document_says_what_the_policy_is_in_en_us_formats():
    page = content(POLICY, "en")
    assert (page.language, page.pdf_title, page.title) == (
        "en",
        "Policy TL-2026-8R0T2V4W6Z",
        "Certificate of Insurance",
    )
    assert page.intro == "This certificate summarises the cover issued under your policy."
    assert page.rows == (
        ("Policy number", "TL-2026-8R0T2V4W6Z"),
        ("Product", "term-life"),
        ("Coverage option", "TL-250K"),
        ("Insured state", "CA"),
        ("Term", "December 1, 2026 to December 1, 2027"),
        ("Annual premium", "$1,234.56"),
        ("Monthly equivalent", "$102.88"),
        ("Issued", "November 30, 2026"),
    )
    assert page.terms.startswith("Cover starts when the first premium is paid.")


def test_the_spanish_document_says_it_in_spanish_with_us_spanish_dates_and_dollars():
    page = content(POLICY, "es")
    assert (page.language, page.pdf_title, page.title) == (
        "es",
        "Póliza TL-2026-8R0T2V4W6Z",
        "Certificado de seguro",
    )
    assert page.intro == "Este certificado resume la cobertura emitida conforme a su póliza."
    assert page.rows == (
        ("Número de póliza", "TL-2026-8R0T2V4W6Z"),
        ("Producto", "term-life"),
        ("Opción de cobertura", "TL-250K"),
        ("Estado del asegurado", "CA"),
        ("Vigencia", "Del 1 de diciembre de 2026 al 1 de diciembre de 2027"),
        ("Prima anual", "$1,234.56"),  # es-US keeps the dollar's US form, never 1.234,56 $
        ("Equivalente mensual", "$102.88"),
        ("Fecha de emisión", "30 de noviembre de 2026"),
    )
    assert page.terms.startswith("La cobertura comienza cuando se paga la primera prima.")


def test_a_document_without_a_language_is_english():
    assert content(POLICY) == content(POLICY, "en")


def test_the_pdf_shows_the_spanish_text_with_its_accented_letters():
    pdf = render(POLICY, "es")
    assert pdf.startswith(b"%PDF-") and b"/Lang (es-US)" in pdf
    lines = text_lines(pdf)
    page = content(POLICY, "es")
    # Every label and value is one line of the page, accents intact (Latin-1 in the core fonts).
    for row in page.rows:
        assert list(row) == lines[lines.index(row[0]) : lines.index(row[0]) + 2]
    assert lines[:2] == [page.title, page.intro]
    assert " ".join(lines[-2:]) == page.terms  # the paragraph, wrapped on two lines
    assert not any("Certificate" in line or "Policy number" in line for line in lines)


def test_the_english_pdf_is_english():
    pdf = render(POLICY, "en")
    lines = text_lines(pdf)
    assert b"/Lang (en-US)" in pdf and lines[0] == "Certificate of Insurance"
    assert "December 1, 2026 to December 1, 2027" in lines and "$1,234.56" in lines


# -- the per-language table ------------------------------------------------------------------
KEYS: tuple[TextKey, ...] = get_args(TextKey)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_text_of_the_document(language):
    assert set(TEXTS) == set(LANGUAGES)
    assert set(TEXTS[language]) == set(KEYS), f"{language}: missing {set(KEYS) - set(TEXTS[language])}"
    assert all(TEXTS[language][key].strip() for key in KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_a_text_has_the_same_placeholders_in_every_language(key):
    assert {language: _placeholders(TEXTS[language][key]) for language in LANGUAGES} == {
        language: _placeholders(TEXTS["en"][key]) for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_written_in_the_core_fonts_encoding(language):
    # fpdf2 refuses a character outside Latin-1 in a core font: the worker would fail the event.
    assert {key: text for key, text in TEXTS[language].items() if not _latin_1(text)} == {}


def _latin_1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_fits_its_column_and_every_value_the_page(language):
    # The longest month and day: values are cells that do not wrap, so they must fit the line.
    longest = a_policy(term=Term(date(2026, 9, 30), date(2027, 9, 30)), annual_premium=Money(123_456_789))
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font(*LABEL_FONT)
    page = content(longest, language)
    room = LABEL_WIDTH_MM - 2 * pdf.c_margin
    assert [label for label, _ in page.rows if pdf.get_string_width(label) > room] == []
    pdf.set_font("Helvetica", "", 11)
    line = pdf.epw - LABEL_WIDTH_MM - 2 * pdf.c_margin
    assert max(pdf.get_string_width(value) for _, value in page.rows) <= line
    assert pdf.get_string_width(page.intro) <= pdf.epw
