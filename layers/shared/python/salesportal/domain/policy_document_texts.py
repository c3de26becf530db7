"""What the policy document says, in every language a customer can choose.

Every language has every text, with the same ``{placeholders}``
(tests/unit/test_policy_document.py fails otherwise). The document is set in the PDF core
fonts, which write Latin-1 only: Spanish letters (á é í ó ú ñ ¿ ¡) are in it, typographic
quotes and dashes are not, so the texts keep to straight quotes and hyphens. The Spanish is
the formal "usted" and the words of the portal's catalogue and the notification templates
(póliza, prima, vigencia). Values are written by salesportal.domain.policy_document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from salesportal.domain.languages import Language

TextKey = Literal[
    "pdf_title",
    "title",
    "intro",
    "policy_number",
    "product",
    "coverage_option",
    "insured_state",
    "term",
    "term_range",
    "annual_premium",
    "monthly_equivalent",
    "issued",
    "terms",
]

TEXTS: Mapping[Language, Mapping[TextKey, str]] = {
    "en": {
        "pdf_title": "Policy {number}",
        "title": "Certificate of Insurance",
        "intro": "This certificate summarises the cover issued under your policy.",
        "policy_number": "Policy number",
        "product": "Product",
        "coverage_option": "Coverage option",
        "insured_state": "Insured state",
        "term": "Term",
        "term_range": "{start} to {end}",
        "annual_premium": "Annual premium",
        "monthly_equivalent": "Monthly equivalent",
        "issued": "Issued",
        "terms": "Cover starts when the first premium is paid. The full terms and conditions of the "
        "product apply. You may cancel at any time; unused premium is refunded pro rata.",
    },
    "es": {
        "pdf_title": "Póliza {number}",
        "title": "Certificado de seguro",
        "intro": "Este certificado resume la cobertura emitida conforme a su póliza.",
        "policy_number": "Número de póliza",
        "product": "Producto",
        "coverage_option": "Opción de cobertura",
        "insured_state": "Estado del asegurado",
        "term": "Vigencia",
        "term_range": "Del {start} al {end}",
        "annual_premium": "Prima anual",
        "monthly_equivalent": "Equivalente mensual",
        "issued": "Fecha de emisión",
        "terms": "La cobertura comienza cuando se paga la primera prima. Se aplican los términos y "
        "condiciones completos del producto. Puede cancelar en cualquier momento; la prima no "
        "utilizada se reembolsa en proporción a los días no cubiertos.",
    },
}
