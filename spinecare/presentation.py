"""How a stored request reads to a person: one place for the console, the CLI and exports.

Values are shown the same way on a console page, in `spinecare requests show` and in a
CSV cell; text from patients is made harmless for where it goes (terminal control
characters escaped, spreadsheet formulas defused).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from spinecare.requests import REQUEST_TYPE_LABELS


def plain(value: object, *, keep_newlines: bool = False) -> str:
    """Text safe to print to a terminal: control and format characters escaped."""
    out = []
    for ch in "" if value is None else str(value):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def escape(ch: str) -> str:
    """A \\uXXXX escape, as a surrogate pair above U+FFFF so it is also valid JSON."""
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def is_e164(text: str) -> bool:
    return text.startswith("+") and text[1:].isdigit() and 8 <= len(text) <= 16


def csv_cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would treat as a formula gets a leading quote.

    E.164 phone numbers ("+12125550182") are left alone: they start with "+" but a
    spreadsheet only reads them as a number, and a consultant needs them intact.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = plain(value, keep_newlines=True)
    if text[:1] in ("=", "+", "-", "@") and not is_e164(text):
        return "'" + text
    return text


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def describe(name: str, value: Any) -> str:
    """A stored value as text for a page; markup is left to autoescaping."""
    if value is None or value == [] or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return value.strftime("%Y-%m") if name == "mri_taken" else value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {describe(key, item)}" for key, item in value.items())
    if name == "request_type":
        return type_label(value)
    return str(value)


def type_label(request_type: str | None) -> str:
    """A request type as a page or table shows it: "MRI review", "Callback"."""
    label = REQUEST_TYPE_LABELS.get(request_type or "", request_type or "-")
    return label[:1].upper() + label[1:]
