"""Rasa's own example bot (`rasa init`), trained once with our venv: the yardstick of `make bench`.

Why a cache keyed by the Rasa version and a hash of the template: `rasa init --no-prompt`
copies the example project shipped inside the installed Rasa and trains it, which takes a
few minutes on 2 cores. The result only changes when that template or Rasa changes, so it
is kept under build/stock-bot/<rasa version>-<hash>/ and reused by every later run.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from spinecare import devserver, settings

CACHE_ROOT = settings.PROJECT_ROOT / "build" / "stock-bot"
SCENARIOS = Path(__file__).resolve().parent / "scenarios" / "stock.yml"


def template_dir() -> Path:
    """The example project that `rasa init` copies, inside the installed Rasa.

    Found without importing Rasa (which would load TensorFlow into the load generator).
    """
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Rasa is not installed in this interpreter")
    return Path(next(iter(spec.submodule_search_locations))) / "cli" / "initial_project"


def template_files(template: Path) -> list[Path]:
    """The files `rasa init` copies (byte-code caches left out), in a stable order."""
    return sorted(p for p in template.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def cache_key(rasa_version: str, template: Path) -> str:
    """`<rasa version>-<12 hex digits>`: changes when Rasa or its example project changes."""
    digest = hashlib.sha256()
    for file in template_files(template):
        digest.update(str(file.relative_to(template)).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
    return f"{rasa_version}-{digest.hexdigest()[:12]}"


def cached_model(project: Path) -> Path | None:
    models = sorted((project / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def ensure_trained(log: IO[str] | None = None, cache_root: Path = CACHE_ROOT) -> Path:
    """The stock bot's project folder with a trained model, training it the first time."""
    project = cache_root / cache_key(importlib.metadata.version("rasa"), template_dir())
    if cached_model(project):
        print(f"Stock bot up to date: {project}", flush=True)
        return project
    print(f"Training Rasa's example bot once (a few minutes) into {project} ...", flush=True)
    cache_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".train-", dir=cache_root))
    (scratch / "bot").mkdir()  # with --no-prompt, `rasa init` wants the folder to exist
    try:
        subprocess.run(
            [str(devserver.VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", "bot"],
            cwd=scratch,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            check=True,
        )
        if not cached_model(scratch / "bot"):
            raise RuntimeError("`rasa init --no-prompt` finished without a model")
        shutil.rmtree(project, ignore_errors=True)
        (scratch / "bot").rename(project)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return project


def service(project: Path, host: str, port: int) -> devserver.Service:
    """The stock bot's Rasa server: REST channel only, no action server (no custom action)."""
    model = cached_model(project)
    return devserver.Service(
        "stock rasa server",
        [str(devserver.VENV_BIN / "rasa"), "run", "--model", str(model),
         "--interface", host, "--port", str(port),
         "--credentials", str(project / "credentials.yml")],
        f"http://{host}:{port}/webhooks/rest/",
    )  # fmt: skip


def start(
    project: Path,
    conf: settings.Settings,
    port: int,
    log: IO[str] | None,
    timeout: float = 240,
    wait: bool = True,
) -> devserver.Stack:
    """Start the stock bot's server and (unless `wait` is false) wait until it answers."""
    svc = service(project, conf.host, port)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
    stack = devserver.Stack([svc], conf)
    try:
        svc.process = subprocess.Popen(
            svc.command,
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if wait:
            devserver.wait_ready(svc, timeout)
    except BaseException:
        stack.stop()
        raise
    return stack
