"""The languages a customer can choose for what the portal and its messages say to them."""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"


def language_of(value: object) -> Language:
    """The language a stored preference means: unset or one we do not speak is English, so a
    profile written before the preference existed (or by another system) still gets messages."""
    for language in LANGUAGES:
        if value == language:
            return language
    return DEFAULT_LANGUAGE
