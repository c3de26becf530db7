"""The policy document: a PDF rendered from the policy's values (fpdf2, core fonts only).

Pure: values in, bytes out. fpdf2 is imported inside ``render`` so only the document
worker pays its ~300 ms import, not every module that imports this one.
"""

from __future__ import annotations

from salesportal.domain.notifications import money
from salesportal.domain.sales import Policy


def _lines(policy: Policy) -> list[tuple[str, str]]:
    premium, monthly = policy.annual_premium, policy.monthly_premium
    return [
        ("Policy number", policy.policy_number),
        ("Product", policy.product_id),
        ("Coverage option", policy.coverage_option_code),
        ("Insured state", policy.state),
        ("Term", f"{policy.term.start.isoformat()} to {policy.term.end.isoformat()}"),
        ("Annual premium", money(premium.amount_cents, premium.currency)),
        ("Monthly equivalent", money(monthly.amount_cents, monthly.currency)),
        ("Issued", policy.issued_at.isoformat()[:10]),
    ]


def render(policy: Policy) -> bytes:
    from fpdf import FPDF  # heavy: see the module docstring

    pdf = FPDF(format="Letter")
    pdf.set_title(f"Policy {policy.policy_number}")
    pdf.set_creator("salesportal")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, "Certificate of Insurance", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(
        0, 8, "This certificate summarises the cover issued under your policy.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    for label, value in _lines(policy):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(55, 8, label)
        pdf.set_font("Helvetica", "", 11)
        pdf.cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(
        0,
        5,
        "Cover starts when the first premium is paid. The full terms and conditions of the "
        "product apply. You may cancel at any time; unused premium is refunded pro rata.",
    )
    return bytes(pdf.output())
