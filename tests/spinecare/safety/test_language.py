"""Spanish and Portuguese messages are told apart from English ones and from each other,
so the emergency advice is understood."""

from __future__ import annotations

import pytest

from spinecare.safety.language import PORTUGUESE, SPANISH, emergency_language, looks_spanish


@pytest.mark.parametrize(
    "text",
    ["no siento nada entre las piernas y no puedo orinar", "me caí de la escalera ayer",
     "tengo fiebre y dolor de espalda", "las piernas no me responden desde anoche",
     "Perdí el control de la vejiga esta mañana"],
)  # fmt: skip
def test_spanish_messages(text):
    assert looks_spanish(text)


@pytest.mark.parametrize(
    "text",
    ["I can't pee since yesterday", "my legs gave out and I fell down the stairs",
     "numbness in my groin", "fever and back pain", "sí", "",
     "my name is Maria de la Cruz and I can't feel my legs"],
)  # fmt: skip
def test_english_and_too_short_messages(text):
    assert not looks_spanish(text)


@pytest.mark.parametrize(
    "text",
    ["não consigo urinar desde ontem e minhas costas doem muito",
     "minha mãe caiu ontem e agora não sente as pernas", "estou com febre e dor nas costas",
     "eu não sinto nada lá embaixo", "caí da escada hoje de manhã e não consigo andar"],
)  # fmt: skip
def test_portuguese_messages(text):
    assert emergency_language(text) == PORTUGUESE
    assert not looks_spanish(text)


@pytest.mark.parametrize(
    "text",
    ["no puedo caminar y tengo fiebre", "no siento nada entre las piernas y no puedo orinar"],
)
def test_spanish_is_not_taken_for_portuguese(text):
    assert emergency_language(text) == SPANISH


@pytest.mark.parametrize("text", ["no no", "I can't pee e no", "sí", ""])
def test_short_or_english_messages_have_no_other_language(text):
    assert emergency_language(text) is None
