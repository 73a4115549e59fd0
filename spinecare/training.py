"""Train the Rasa model only when what it is trained from has changed.

Why our own fingerprint: `rasa train` also skips unchanged training, but it has
to import TensorFlow and load the old model to find out, which costs a newcomer
half a minute on every `make run`. Hashing the inputs here takes milliseconds, and
the hash is the model's file name, so the served model always matches the repo.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

from spinecare import settings
from spinecare.nlp.build import source_fingerprint

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
MODELS_KEPT = 3


def training_fingerprint(root: Path = settings.PROJECT_ROOT) -> str:
    """Hash of config, domain, training data and the spaCy pipeline's own sources."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    digest.update(source_fingerprint().encode())
    return digest.hexdigest()[:12]


def model_path(models_dir: Path, fingerprint: str) -> Path:
    return models_dir / f"spinecare-{fingerprint}.tar.gz"


def train_if_needed(models_dir: Path | None = None, force: bool = False) -> Path:
    """Return the model for the current sources, training it first if it does not exist."""
    conf = settings.load()
    models_dir = models_dir or conf.models_dir
    target = model_path(models_dir, training_fingerprint())
    if target.exists() and not force:
        print(f"Model up to date: {target}", flush=True)
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    rasa = Path(sys.executable).with_name("rasa")
    subprocess.run(
        [
            str(rasa),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(models_dir),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
        ],
        cwd=settings.PROJECT_ROOT,
        check=True,
    )
    old = sorted(models_dir.glob("spinecare-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-MODELS_KEPT]:
        stale.unlink()
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the Rasa model if its inputs changed.")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--print-path", action="store_true", help="only print the model path")
    args = parser.parse_args(argv)
    if args.print_path:
        print(model_path(settings.load().models_dir, training_fingerprint()))
        return
    train_if_needed(force=args.force)


if __name__ == "__main__":
    main()
