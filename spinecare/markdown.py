"""Escape text a patient typed before the assistant echoes it back in a message.

Why: the chat widget (rasa-webchat 1.0.1) renders every bot message as markdown
and does not sanitise link targets, so a name or symptom such as
`[Jane](javascript:alert(1))` echoed in the summary would become a live link.
Backslash-escaping the characters that open markdown constructs (links, images,
autolinks, emphasis, code, strike-through, tables) makes the text render exactly as
typed. Line breaks become spaces, so echoed text can never start a block.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")


def escape_markdown(value: object) -> str:
    """`value` as text that markdown renders literally."""
    text = " ".join(str(value).split()) if value is not None else ""
    return _SPECIAL.sub(r"\\\1", text)
