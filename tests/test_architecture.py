"""The layers of docs/architecture.md hold in the code: every import is read and checked.

A failure names the module and the import that crosses a layer the wrong way, or the
module (and function) that reads the settings below the entry points.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from spinecare import settings

ROOT = settings.PROJECT_ROOT
PACKAGES = ("actions", "addons", "channels", "spinecare", "rasa_sdk_plugins")

DOMAIN = (
    "spinecare.intake",
    "spinecare.safety",
    "spinecare.answers",
    "spinecare.handoff",
    "spinecare.requests",
    "spinecare.names",
    "spinecare.markdown",
    "spinecare.messaging.keywords",
    "spinecare.messaging.render",
    "spinecare.messaging.phone_on_file",
)
ADAPTERS = (
    "spinecare.storage",
    "spinecare.delivery",
    "spinecare.messaging.twilio_api",
    "spinecare.messaging.messenger_api",
)
ENTRY_POINTS = (
    "actions",
    "channels",
    "addons",
    "spinecare.console",
    "spinecare.cli",
    "spinecare.devserver",
    "spinecare.scaled",
    "spinecare.rasa_entry",
)
SERVICES = ("spinecare.services", "spinecare.bootstrap")
FRAMEWORKS = ("rasa", "rasa_sdk", "sanic", "sqlalchemy", "alembic", "socketio", "httpx")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            names = found.setdefault(_module_name(path), set())
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module)
                    names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


IMPORTS = _imports()


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def _crossings(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if _within(module, sources)
        for name in names
        if _within(name, forbidden)
    )


def test_every_package_was_read():
    assert {"actions.forms", "spinecare.intake.validators", "spinecare.storage.repository"} <= set(
        IMPORTS
    )


@pytest.mark.parametrize(
    ("sources", "forbidden", "rule"),
    [
        (DOMAIN, ADAPTERS, "domain code never reaches storage or delivery"),
        (DOMAIN, ENTRY_POINTS, "domain code never imports an entry point"),
        (DOMAIN, FRAMEWORKS, "domain code runs without Rasa, Sanic or a database"),
        (ADAPTERS, ENTRY_POINTS, "adapters never import an entry point"),
        (("actions",), ("spinecare.storage",), "actions go through spinecare.services"),
        (SERVICES, ENTRY_POINTS, "services serve, never call up"),
    ],
    ids=["domain-adapters", "domain-entry", "domain-frameworks", "adapters-entry",
         "actions-storage", "services-entry"],
)  # fmt: skip
def test_imports_follow_the_layers(sources, forbidden, rule):
    assert _crossings(sources, forbidden) == [], rule


def test_the_rules_would_catch_a_crossing():
    """The checker itself: a known import is reported when its target is forbidden."""
    assert "actions.forms imports spinecare.intake" in " ".join(
        _crossings(("actions.forms",), ("spinecare.intake",))
    )


# Who may call `settings.load()`: the process edges and bootstrap; everything below them
# is handed its settings. Entries are module prefixes, or "module:function" for one place.
SETTINGS_READERS = (
    "actions.config",  # the action server's one place
    "addons",
    "channels",
    "spinecare.bootstrap",
    "spinecare.cli",
    "spinecare.console.__main__",
    "spinecare.devserver",
    "spinecare.scaled",
    "spinecare.rasa_entry",
    "spinecare.training",
    "spinecare.nlp.build",
    "spinecare.webchat",
    "spinecare.storage.migrations.env",  # Alembic's own entry point
    # A column type is called by SQLAlchemy with a value only; no caller can hand it keys.
    "spinecare.crypto:_current",
)


class _SettingsReads(ast.NodeVisitor):
    """Each `settings.load(...)` call (or import of `load`), as "module:function"."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.functions: list[str] = []
        self.found: list[str] = []

    def _where(self) -> str:
        return f"{self.module}:{self.functions[-1]}" if self.functions else self.module

    def _visit_function(self, node: ast.AST) -> None:
        self.functions.append(node.name)  # type: ignore[attr-defined]
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "load":
            target = func.value
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if name == "settings":
                self.found.append(self._where())
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "spinecare.settings" and any(a.name == "load" for a in node.names):
            self.found.append(self._where())


def _settings_reads(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    found = []
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            reads = _SettingsReads(_module_name(path))
            reads.visit(ast.parse(path.read_text(encoding="utf-8")))
            found += reads.found
    return found


def _allowed(where: str) -> bool:
    module = where.partition(":")[0]
    return where in SETTINGS_READERS or _within(module, SETTINGS_READERS)


def test_settings_are_read_only_at_the_process_edges():
    """Storage, delivery, privacy, services and domain code take settings as arguments."""
    misplaced = sorted(where for where in _settings_reads() if not _allowed(where))
    assert misplaced == [], "settings.load() below the entry points (hand settings in)"


def test_the_settings_check_would_catch_a_read_in_storage():
    assert "spinecare.storage.migrations.env:_url" in _settings_reads(("spinecare",))
    assert not _allowed("spinecare.storage.db:make_engine")
    assert not _allowed("spinecare.crypto:cipher")
    assert _allowed("spinecare.crypto:_current") and _allowed("channels.sms:from_credentials")
