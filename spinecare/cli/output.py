"""Plain-text output of the `spinecare` commands: tables, JSON, private export files.

Why a module of its own: listings, exports and privacy exports format the same
way. Making stored text terminal-safe is spinecare.presentation's job (`plain`,
`csv_cell`), shared with the console; this module only lays text out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from spinecare.presentation import plain


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def json_text(rows: Any) -> str:
    """JSON with every control or format character escaped, not only the ones JSON must.

    Inside JSON strings "\\u009b" and the raw character mean the same, so the data is
    unchanged, but a terminal showing the export cannot be steered by it.
    """
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    return plain(text, keep_newlines=True) + "\n"


def write_private_file(path: Path, content: str) -> None:
    """Write an export readable by its owner only: it holds personal health data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)
