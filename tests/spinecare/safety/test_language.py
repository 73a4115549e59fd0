"""Spanish messages are told apart from English ones, so the emergency advice is understood."""

from __future__ import annotations

import pytest

from spinecare.safety.language import looks_spanish


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
