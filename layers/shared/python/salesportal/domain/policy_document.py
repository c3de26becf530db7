"""The policy document: a PDF rendered from the policy's values in the customer's language
(fpdf2, core fonts only).

Pure: values in, bytes out. ``content`` decides every text the page shows (the words are
salesportal.domain.policy_document_texts', amounts and dates written as en-US or es-US write
them by salesportal.domain.formatting, as the notifications write them); ``render`` only lays
it out. fpdf2 is imported inside ``render`` so only the document worker pays its ~300 ms
import, not every module that imports this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesportal.domain import formatting
from salesportal.domain.languages import DEFAULT_LANGUAGE, Language
from salesportal.domain.policy_document_texts import TEXTS
from salesportal.domain.sales import Money, Policy

# The label column: wide enough for the longest label in every language (a test measures it).
LABEL_WIDTH_MM = 55
LABEL_FONT = ("Helvetica", "B", 11)
# The PDF's /Lang: a screen reader reads the document in the voice of its language.
LOCALES: dict[Language, str] = {"en": "en-US", "es": "es-US"}


@dataclass(frozen=True)
class Content:
    """Everything the document says, in one language, before it is laid out."""

    language: Language
    pdf_title: str  # the document's title in its properties (a viewer's window title)
    title: str
    intro: str
    rows: tuple[tuple[str, str], ...]  # (label, value)
    terms: str


def _money(amount: Money, language: Language) -> str:
    return formatting.money(amount.amount_cents, amount.currency, language)


def content(policy: Policy, language: Language = DEFAULT_LANGUAGE) -> Content:
    texts = TEXTS[language]
    term = texts["term_range"].format(
        start=formatting.long_date(policy.term.start, language),
        end=formatting.long_date(policy.term.end, language),
    )
    rows = (
        (texts["policy_number"], policy.policy_number),
        (texts["product"], policy.product_id),
        (texts["coverage_option"], policy.coverage_option_code),
        (texts["insured_state"], policy.state),
        (texts["term"], term),
        (texts["annual_premium"], _money(policy.annual_premium, language)),
        (texts["monthly_equivalent"], _money(policy.monthly_premium, language)),
        (texts["issued"], formatting.long_date(policy.issued_at.date(), language)),
    )
    return Content(
        language=language,
        pdf_title=texts["pdf_title"].format(number=policy.policy_number),
        title=texts["title"],
        intro=texts["intro"],
        rows=rows,
        terms=texts["terms"],
    )


def render(policy: Policy, language: Language = DEFAULT_LANGUAGE) -> bytes:
    from fpdf import FPDF  # heavy: see the module docstring

    page = content(policy, language)
    pdf = FPDF(format="Letter")
    pdf.set_title(page.pdf_title)
    pdf.set_lang(LOCALES[language])
    pdf.set_creator("salesportal")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, page.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 8, page.intro, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in page.rows:
        pdf.set_font(*LABEL_FONT)
        pdf.cell(LABEL_WIDTH_MM, 8, label)
        pdf.set_font("Helvetica", "", 11)
        pdf.cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, page.terms)
    return bytes(pdf.output())
