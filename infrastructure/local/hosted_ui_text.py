"""The hosted-UI stand-in's words, in each language it speaks: English, and Spanish for lang=es.

Cognito's managed login picks its pages' language from the ``lang`` parameter of
``/oauth2/authorize``, ``/login``, ``/signup`` and ``/logout``; a value it does not speak (or
none) gets English. The stand-in speaks the portal's two languages and follows the same rule.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "es"]
DEFAULT: Language = "en"

EN: dict[str, str] = {
    "field.email": "E-mail address",
    "field.password": "Password",
    "field.code": "Verification code",
    "login.title": "Sign in",
    "login.submit": "Sign in",
    "login.missing": "Enter your e-mail address and password.",
    "login.wrong": "Incorrect username or password.",
    "login.new": "New here?",
    "login.to_signup": "Create an account",
    "signup.title": "Create an account",
    "signup.submit": "Create account",
    "signup.rules": "At least 12 characters with upper- and lower-case letters, a digit and a symbol.",
    "signup.missing": "Enter an e-mail address and a password.",
    "signup.exists": "An account with this e-mail address exists.",
    "signup.weak_password": "The password does not meet the requirements below.",
    "signup.have_account": "Have an account?",
    "signup.to_login": "Sign in",
    "confirm.title": "Confirm your account",
    "confirm.sent_to": "We sent a code to {email}.",
    "confirm.sent": "We sent a code to your e-mail address.",
    "confirm.wrong_code": "Invalid verification code provided.",
    "confirm.submit": "Confirm account",
    "refused.title": "Sign-in request refused",
    "refused.client_id_missing": "client_id is required.",
    "refused.unknown_client": "No such client in this user pool.",
    "refused.redirect_uri": "redirect_uri is not a callback URL of this client.",
    "refused.code_flow": "This client may not use the authorization-code flow.",
    "refused.response_type": "Only response_type=code is supported.",
    "refused.challenge_method": "code_challenge_method must be S256.",
    "refused.logout_uri": "logout_uri is not a sign-out URL of this client.",
    "missing.title": "Not found",
    "missing.body": "This page does not exist.",
    "failed.title": "Something went wrong",
}

ES: dict[str, str] = {
    "field.email": "Correo electrónico",
    "field.password": "Contraseña",
    "field.code": "Código de verificación",
    "login.title": "Iniciar sesión",
    "login.submit": "Iniciar sesión",
    "login.missing": "Escriba su correo electrónico y su contraseña.",
    "login.wrong": "Nombre de usuario o contraseña incorrectos.",
    "login.new": "¿Es nuevo aquí?",
    "login.to_signup": "Crear una cuenta",
    "signup.title": "Crear una cuenta",
    "signup.submit": "Crear cuenta",
    "signup.rules": "Al menos 12 caracteres, con mayúsculas y minúsculas, un dígito y un símbolo.",
    "signup.missing": "Escriba un correo electrónico y una contraseña.",
    "signup.exists": "Ya existe una cuenta con este correo electrónico.",
    "signup.weak_password": "La contraseña no cumple los requisitos que se indican abajo.",
    "signup.have_account": "¿Ya tiene una cuenta?",
    "signup.to_login": "Iniciar sesión",
    "confirm.title": "Confirme su cuenta",
    "confirm.sent_to": "Enviamos un código a {email}.",
    "confirm.sent": "Enviamos un código a su correo electrónico.",
    "confirm.wrong_code": "El código de verificación no es válido.",
    "confirm.submit": "Confirmar cuenta",
    "refused.title": "Solicitud de inicio de sesión rechazada",
    "refused.client_id_missing": "Falta client_id.",
    "refused.unknown_client": "Este grupo de usuarios no tiene ese cliente.",
    "refused.redirect_uri": "redirect_uri no es una URL de retorno de este cliente.",
    "refused.code_flow": "Este cliente no puede usar el flujo de código de autorización.",
    "refused.response_type": "Solo se admite response_type=code.",
    "refused.challenge_method": "code_challenge_method debe ser S256.",
    "refused.logout_uri": "logout_uri no es una URL de cierre de sesión de este cliente.",
    "missing.title": "Página no encontrada",
    "missing.body": "Esta página no existe.",
    "failed.title": "Algo salió mal",
}

TEXTS: dict[Language, dict[str, str]] = {"en": EN, "es": ES}


def language(lang: str | None) -> Language:
    """Managed login's rule for the two languages spoken here: exactly ``es`` is Spanish."""
    return "es" if lang == "es" else DEFAULT


def text(lang: Language, key: str, **values: str) -> str:
    return TEXTS[lang][key].format(**values)
