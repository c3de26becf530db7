"""The sign-in stand-in's two languages say the same things, and Spanish is really Spanish."""

from __future__ import annotations

import re
import string

import pytest

from infrastructure.local.hosted_ui_text import EN, ES, TEXTS, language, text

# Words that read the same in both languages. None today: every page text is a sentence or a
# label with a Spanish word of its own (OAuth parameter names inside a sentence are the same,
# but never a whole text).
SAME_IN_BOTH: frozenset[str] = frozenset()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_exactly_the_same_keys() -> None:
    assert set(EN) - set(ES) == set(), "missing in Spanish"
    assert set(ES) - set(EN) == set(), "missing in English"
    assert set(TEXTS) == {"en", "es"}


def test_no_spanish_text_is_left_in_english() -> None:
    untranslated = {key for key in EN if ES[key].strip() == EN[key].strip()}
    assert untranslated == set(SAME_IN_BOTH)


@pytest.mark.parametrize("key", sorted(EN))
def test_each_text_takes_the_same_values_in_both_languages(key: str) -> None:
    assert _fields(ES[key]) == _fields(EN[key])
    assert ES[key].strip() and EN[key].strip()


def test_spanish_questions_open_with_their_inverted_mark() -> None:
    for key, value in ES.items():
        for question in re.findall(r"[^.?!]*\?", value):
            assert question.lstrip().startswith("¿"), (key, value)


@pytest.mark.parametrize(
    ("asked", "spoken"),
    [("es", "es"), ("en", "en"), (None, "en"), ("", "en"), ("fr", "en"), ("es-MX", "en"), ("ES", "en")],
)
def test_exactly_es_is_spanish_and_anything_else_english(asked: str | None, spoken: str) -> None:
    # The stand-in speaks en and es; as the portal sends them, "es" exactly is Spanish, all else English.
    assert language(asked) == spoken


def test_a_text_fills_in_its_values() -> None:
    assert text("es", "confirm.sent_to", email="ana@example.com") == "Enviamos un código a ana@example.com."
    assert text("en", "confirm.sent_to", email="ana@example.com") == "We sent a code to ana@example.com."
