"""The language of an emergency message, for the one reply that must be understood.

Why: the red-flag rules read Spanish and Portuguese emergencies, but the assistant answers
in English. A patient who wrote "no puedo orinar" or "não consigo urinar" must understand
"call 911 now" whatever else they miss, so the emergency advice is also given in their
language. A count of common words is enough here: a wrong guess only adds one line.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-záàâãéêíóôõúçñü]+")
# Words common in the language and rare in English messages ("no", "me" and "a" are both).
_SPANISH_WORDS = frozenset(
    {"el", "la", "los", "las", "un", "una", "de", "del", "que", "y", "en", "mi", "mis"}
    | {"con", "por", "para", "pero", "muy", "desde", "tengo", "tiene", "puedo", "siento"}
    | {"duele", "dolor", "espalda", "pierna", "piernas", "orinar", "ayer", "hoy", "anoche"}
    | {"mañana", "esta", "estoy", "es", "se", "lo", "le", "nada", "sin", "cuando", "hace"}
    | {"fiebre", "caí", "cai", "accidente", "entre", "ni", "ya", "ahora", "también"}
)
_PORTUGUESE_WORDS = frozenset(
    {"os", "um", "uma", "de", "do", "da", "que", "e", "em", "na", "meu"}
    | {"minha", "meus", "com", "por", "para", "mas", "muito", "desde", "tenho", "consigo"}
    | {"sinto", "dói", "doi", "dor", "costas", "perna", "pernas", "urinar", "xixi", "ontem"}
    | {"hoje", "noite", "manhã", "estou", "está", "nada", "sem", "quando", "febre", "caí"}
    | {"não", "nao", "eu", "ele", "ela", "também", "agora", "já", "cocô", "bexiga", "mãe"}
    | {"pai", "minhas", "fazer", "sentir", "mais", "tô", "tá", "à", "ao", "das"}
)
# Words only one of the two has, which decide between them when both counts are close.
_ONLY_SPANISH = _SPANISH_WORDS - _PORTUGUESE_WORDS
_ONLY_PORTUGUESE = _PORTUGUESE_WORDS - _SPANISH_WORDS
_ENGLISH_WORDS = frozenset(
    {"the", "and", "my", "i", "is", "it", "to", "of", "in", "have", "can't", "cant", "can"}
    | {"with", "since", "pain", "back", "leg", "legs", "feel", "not", "this", "that", "was"}
)
SPANISH, PORTUGUESE = "es", "pt"


def emergency_language(text: str) -> str | None:
    """ "es" or "pt" when more of the message's words are that language's than English."""
    words = _WORD_RE.findall((text or "").lower())
    english = sum(word in _ENGLISH_WORDS for word in words)
    spanish = sum(word in _SPANISH_WORDS for word in words)
    portuguese = sum(word in _PORTUGUESE_WORDS for word in words)
    if max(spanish, portuguese) < 2 or max(spanish, portuguese) <= english:
        return None
    only_spanish = sum(word in _ONLY_SPANISH for word in words)
    only_portuguese = sum(word in _ONLY_PORTUGUESE for word in words)
    if only_spanish != only_portuguese:
        return SPANISH if only_spanish > only_portuguese else PORTUGUESE
    return SPANISH if spanish >= portuguese else PORTUGUESE


def looks_spanish(text: str) -> bool:
    """True when the message reads as Spanish rather than English or Portuguese."""
    return emergency_language(text) == SPANISH
