"""Whether a message is written in Spanish, for the one reply that must be understood.

Why: the red-flag rules read Spanish emergencies, but the assistant answers in English.
A patient who wrote "no puedo orinar" must understand "call 911 now" whatever else
they miss, so the emergency advice is also given in Spanish when the message is. A
count of common Spanish words is enough here: a false "yes" only adds one line.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-záéíóúñü]+")
# Words common in Spanish and rare in English messages ("no", "me" and "a" are both).
_SPANISH_WORDS = frozenset(
    {"el", "la", "los", "las", "un", "una", "de", "del", "que", "y", "en", "mi", "mis"}
    | {"con", "por", "para", "pero", "muy", "desde", "tengo", "tiene", "puedo", "siento"}
    | {"duele", "dolor", "espalda", "pierna", "piernas", "orinar", "ayer", "hoy", "anoche"}
    | {"mañana", "esta", "estoy", "es", "se", "lo", "le", "nada", "sin", "cuando", "hace"}
    | {"fiebre", "caí", "cai", "accidente", "entre", "ni", "ya", "ahora", "también"}
)
_ENGLISH_WORDS = frozenset(
    {"the", "and", "my", "i", "is", "it", "to", "of", "in", "have", "can't", "cant", "can"}
    | {"with", "since", "pain", "back", "leg", "legs", "feel", "not", "this", "that", "was"}
)


def looks_spanish(text: str) -> bool:
    """True when more of the message's words are common Spanish words than English ones."""
    words = _WORD_RE.findall((text or "").lower())
    spanish = sum(word in _SPANISH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    return spanish >= 2 and spanish > english
