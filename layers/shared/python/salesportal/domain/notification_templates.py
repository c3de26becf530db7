"""What each e-mail and SMS says, in every language a customer can choose.

Every language has every template, with the same ``{placeholders}``
(tests/unit/test_notification_templates.py fails otherwise). The Spanish is US Spanish in the
formal "usted", the register and the words of the portal's own catalogue (póliza, prima,
suscriptor). Values for the placeholders are written by salesportal.domain.notifications.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from salesportal.domain import underwriting
from salesportal.domain.languages import Language

Kind = Literal[
    "application_approved",
    "application_declined",
    "application_referred",
    "policy_issued",
    "payment_succeeded",
    "payment_failed",
    "policy_cancelled",
    "policy_lapsed",
    "refund_issued",
    "renewal_due",
]


@dataclass(frozen=True)
class Template:
    subject: str
    text: str


TEMPLATES: Mapping[Language, Mapping[Kind, Template]] = {
    "en": {
        "application_approved": Template(
            "Your application is approved",
            "Good news: your application was approved. Sign in to review and accept your terms.",
        ),
        "application_declined": Template(
            "About your application",
            "We are sorry: we cannot offer cover on this application. {reasons}",
        ),
        "application_referred": Template(
            "Your application is with an underwriter",
            "An underwriter is reviewing your application. We will write again when it is decided.",
        ),
        "policy_issued": Template(
            "Policy {policy} issued",
            "Your policy {policy} is issued. Pay the first premium to start your cover; "
            "your policy document is in your account.",
        ),
        "payment_succeeded": Template(
            "Payment received",
            "We received your payment of {amount} for policy {policy}. Thank you.",
        ),
        "payment_failed": Template(
            "Your payment did not go through",
            "Your payment of {amount} for policy {policy} failed: {reason} Please update your payment method.",
        ),
        "policy_cancelled": Template(
            "Policy {policy} cancelled",
            "Your policy {policy} is cancelled from {date}.",
        ),
        "policy_lapsed": Template(
            "Policy {policy} has lapsed",
            "Your renewal premium for policy {policy} could not be collected, so the policy has lapsed. "
            "Contact us to reinstate it.",
        ),
        "refund_issued": Template(
            "Your refund is on its way",
            "We refunded {amount} for the unused part of policy {policy}.",
        ),
        "renewal_due": Template(
            "Policy {policy} renews in {days} days",
            "Your policy {policy} ends on {date}. Renew it in your account to keep your cover without a gap.",
        ),
    },
    "es": {
        "application_approved": Template(
            "Su solicitud fue aprobada",
            "Buenas noticias: su solicitud fue aprobada. Inicie sesión para revisar y aceptar sus condiciones.",
        ),
        "application_declined": Template(
            "Sobre su solicitud",
            "Lo sentimos: no podemos ofrecerle cobertura con esta solicitud. {reasons}",
        ),
        "application_referred": Template(
            "Un suscriptor está revisando su solicitud",
            "Un suscriptor está revisando su solicitud. Le escribiremos de nuevo cuando haya una decisión.",
        ),
        "policy_issued": Template(
            "Póliza {policy} emitida",
            "Su póliza {policy} fue emitida. Pague la primera prima para que comience su cobertura; "
            "el documento de su póliza está en su cuenta.",
        ),
        "payment_succeeded": Template(
            "Recibimos su pago",
            "Recibimos su pago de {amount} para la póliza {policy}. Gracias.",
        ),
        "payment_failed": Template(
            "Su pago no se pudo procesar",
            "Su pago de {amount} para la póliza {policy} no se pudo procesar: {reason} "
            "Actualice su método de pago.",
        ),
        "policy_cancelled": Template(
            "Póliza {policy} cancelada",
            "Su póliza {policy} queda cancelada a partir del {date}.",
        ),
        "policy_lapsed": Template(
            "La póliza {policy} venció por falta de pago",
            "No pudimos cobrar la prima de renovación de su póliza {policy}, por lo que la póliza venció. "
            "Comuníquese con nosotros para restablecerla.",
        ),
        "refund_issued": Template(
            "Su reembolso está en camino",
            "Le reembolsamos {amount} por la parte no utilizada de la póliza {policy}.",
        ),
        "renewal_due": Template(
            "Su póliza {policy} se renueva en {days} días",
            "Su póliza {policy} termina el {date}. Renuévela en su cuenta para mantener su cobertura "
            "sin interrupciones.",
        ),
    },
}

# A failed payment's reason. English quotes the gateway's own message (it writes English);
# other languages say what the gateway's decline code means, or the generic line.
PAYMENT_DECLINED: Mapping[Language, str] = {
    "en": "Your payment was declined.",
    "es": "Su banco rechazó el pago.",
}
PAYMENT_DECLINE_CODES: Mapping[Language, Mapping[str, str]] = {
    "es": {
        "generic_decline": "Su tarjeta fue rechazada.",
        "card_declined": "Su tarjeta fue rechazada.",
        "insufficient_funds": "Su tarjeta no tiene fondos suficientes.",
        "expired_card": "Su tarjeta está vencida.",
        "incorrect_cvc": "El código de seguridad de la tarjeta no es correcto.",
        "lost_card": "Su tarjeta fue reportada como perdida.",
        "stolen_card": "Su tarjeta fue reportada como robada.",
        "processing_error": "Hubo un error al procesar su tarjeta.",
    },
}

# Underwriting reasons reach the event as the English sentences of salesportal.domain.underwriting
# (what the API shows). Each is written here in the other languages, keyed as underwriting keys
# it; a reviewer's own words are passed on as written.
UNDERWRITING_REASONS: Mapping[Language, Mapping[str, str]] = {
    "es": {
        "tobacco_use": "El consumo de tabaco aumenta el riesgo que cubriríamos.",
        "minor_violations": "Su historial de manejo muestra infracciones menores.",
        "major_violations": "Su historial de manejo muestra infracciones graves.",
        "identity_not_found": "No pudimos verificar su identidad con los datos proporcionados.",
        "ssn_mismatch": "El número de Seguro Social no coincide con los demás datos proporcionados.",
    },
}
DECLARATIONS: Mapping[Language, Mapping[str, str]] = {
    "es": {
        "hospitalizedlast5years": "Nos informó que tuvo una hospitalización en los últimos cinco años.",
        "chroniccondition": "Nos informó que tiene una afección médica crónica (de largo plazo).",
        "hazardousactivities": "Nos informó que participa en actividades peligrosas.",
        "previouslydeclined": "Nos informó que otra aseguradora le negó cobertura anteriormente.",
    },
}
# The sentences underwriting writes for an unknown reason code, an unknown declaration and a
# referral, in the order of ``english_generic_reasons``.
GENERIC_REASONS: Mapping[Language, tuple[str, str, str]] = {
    "es": (
        "La evaluación de riesgo no cumplió con las pautas de suscripción de este producto.",
        "Una de sus respuestas a las preguntas de salud e historial afecta la cobertura que podemos ofrecer.",
        "Un suscriptor revisará su solicitud y le escribirá con la decisión.",
    ),
}


def english_generic_reasons() -> tuple[str, str, str]:
    """Underwriting's generic sentences, through its public functions (an unknown code)."""
    return (
        underwriting.readable("\x00unknown"),
        underwriting.declared("\x00unknown"),
        underwriting.REFERRED_NOTE,
    )


def reason_translations(language: Language) -> dict[str, str]:
    """Underwriting's English sentence → the same sentence in ``language`` (empty for English)."""
    if language == "en":
        return {}
    codes = {underwriting.REASON_TEXT[c]: text for c, text in UNDERWRITING_REASONS[language].items()}
    declared = {underwriting.DECLARATION_TEXT[q]: text for q, text in DECLARATIONS[language].items()}
    generic = dict(zip(english_generic_reasons(), GENERIC_REASONS[language], strict=True))
    return {**generic, **codes, **declared}
