"""The policy document: a PDF rendered from the policy's values (fpdf2, core fonts only).

Pure: values in, bytes out. fpdf2 is imported inside ``render`` so only the document
worker pays its ~300 ms import, not every module that imports this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from salesportal.domain.notifications import money


def _lines(policy: Mapping[str, Any]) -> list[tuple[str, str]]:
    premium = policy.get("annualPremium") or {}
    monthly = policy.get("monthlyPremium") or {}
    return [
        ("Policy number", str(policy["policyNumber"])),
        ("Product", str(policy.get("productName") or policy["productId"])),
        ("Coverage option", str(policy["coverageOptionCode"])),
        ("Insured state", str(policy.get("state", ""))),
        ("Term", f"{policy['termStart']} to {policy['termEnd']}"),
        ("Annual premium", money(premium.get("amountCents"), premium.get("currency", "USD"))),
        ("Monthly equivalent", money(monthly.get("amountCents"), monthly.get("currency", "USD"))),
        ("Issued", str(policy["issuedAt"])[:10]),
    ]


def render(policy: Mapping[str, Any]) -> bytes:
    from fpdf import FPDF  # heavy: see the module docstring

    pdf = FPDF(format="Letter")
    pdf.set_title(f"Policy {policy['policyNumber']}")
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
